"""The app as a person installs it: a wheel in a fresh virtualenv, with no source tree nearby.

The wheel is built from a copy of the tracked files (the checkout stays untouched), installed
without its dependencies into a new venv that borrows this venv's libraries through a .pth line
(installing PySide6 again would take minutes), and run from an empty folder with only
XDG_DATA_HOME pointing somewhere private: exactly the default data folder of a new user.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import sysconfig
import time
import zipfile
from pathlib import Path

import pytest

from app import paths

ROOT = paths.PROJECT_ROOT
pytestmark = pytest.mark.slow


def tracked_files() -> list[str]:
    result = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=ROOT, capture_output=True, timeout=30)
    if result.returncode != 0:
        pytest.skip("not a git checkout")
    return [name for name in result.stdout.decode().split("\0")
            if name and (ROOT / name).is_file()]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in tracked_files():
        (source / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
                    "--no-build-isolation", "-w", str(out), str(source)],
                   check=True, capture_output=True, timeout=180)
    (built,) = out.glob("securebase-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True,
                   timeout=120)
    subprocess.run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"),
                    "install", "-q", "--no-deps", str(wheel)], check=True,
                   capture_output=True, timeout=180)
    site = Path(subprocess.check_output(
        [str(venv / "bin" / "python"), "-c",
         "import sysconfig; print(sysconfig.get_path('purelib'))"],
        text=True).strip())
    # The dependencies come from this venv; a plain path line adds no editable finder, so
    # `app` can only come from the wheel.
    (site / "borrowed-deps.pth").write_text(sysconfig.get_path("purelib") + "\n")
    return venv


def new_user_env(tmp_path: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if key not in ("SECUREBASE_HOME", "PYTHONPATH", "VIRTUAL_ENV")}
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    env["HOME"] = str(tmp_path / "home")
    return env


def test_the_wheel_carries_the_scripts_and_resources(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for script in (ROOT / "scripts").glob("*.toml"):
        assert f"app/bundled/scripts/{script.name}" in names
    assert "app/bundled/resources/body/regions.json" in names


def test_an_installed_wheel_checks_renders_and_opens(installed: Path, tmp_path: Path) -> None:
    env, cwd = new_user_env(tmp_path), tmp_path / "elsewhere"
    cwd.mkdir()
    securebase = str(installed / "bin" / "securebase")
    check = subprocess.run([securebase, "check"], env=env, cwd=cwd, capture_output=True,
                           text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    # every bundled script passes (pacing warnings are advice, not problems)
    said = check.stdout.splitlines()[-1]
    assert ("look good" in said or "the scripts work" in said) and str(installed) in \
        subprocess.check_output(
            [str(installed / "bin" / "python"), "-c", "import app.paths as p; "
             "print(p.BUNDLED_SCRIPTS_DIR)"], env=env, cwd=cwd, text=True)

    # The standard voice: quick (the natural voice's own tests are in tests/speech).
    render = subprocess.run([securebase, "render", "--practice", "grounding", "--jobs", "0",
                             "--voice", "espeak:"],  # the standard voice's own folder
                            env=env, cwd=cwd, capture_output=True, text=True, timeout=180)
    assert render.returncode == 0, render.stderr
    data = tmp_path / "xdg-data" / "securebase"
    assert len(list((data / "audio").rglob("grounding/*.wav"))) >= 3  # one folder per voice
    assert list(cwd.iterdir()) == []

    window = subprocess.Popen([securebase], env={**env, "QT_QPA_PLATFORM": "offscreen"},
                              cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and window.poll() is None and \
                not (data / "journal.db").exists():
            time.sleep(0.1)  # the journal opens after the first paint: the window is up
        assert window.poll() is None, window.communicate()
        assert (data / "journal.db").exists()
        with pytest.raises(subprocess.TimeoutExpired):
            window.wait(timeout=3)  # and it stays up, working in the background
    finally:
        window.send_signal(signal.SIGTERM)
        _out, err = window.communicate(timeout=30)
    assert "Traceback" not in err, err


def test_use_leaves_the_source_tree_untouched(monkeypatch: pytest.MonkeyPatch,
                                              tmp_path: Path) -> None:
    """Rendering with no SECUREBASE_HOME writes into the data folder, never the checkout."""
    monkeypatch.delenv("SECUREBASE_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    before = sorted(p for p in ROOT.iterdir())
    assert paths.audio_dir() == tmp_path / "xdg-data" / "securebase" / "audio"
    assert not paths.audio_dir().is_relative_to(ROOT)
    assert sorted(p for p in ROOT.iterdir()) == before
