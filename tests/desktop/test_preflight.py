"""Plain lines instead of Qt's abort dump: no screen, and a system library that is missing."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from app import paths
from app.desktop.preflight import (DEBIAN_PACKAGES, NO_DISPLAY, display_problem,
                                   missing_library_message)

ROOT = paths.PROJECT_ROOT


def launch(env_changes: dict[str, str | None], *wrap: str) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    for key, value in env_changes.items():
        env.pop(key, None) if value is None else env.__setitem__(key, value)
    return subprocess.run([*wrap, sys.executable, "-m", "app"], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def test_no_display_is_one_plain_line_and_exit_1() -> None:
    result = launch({"DISPLAY": None, "WAYLAND_DISPLAY": None, "QT_QPA_PLATFORM": None})
    assert result.returncode == 1, result.stderr
    assert result.stderr == NO_DISPLAY + "\n"
    assert "applications menu" in result.stderr and "plugin" not in result.stderr


@pytest.mark.parametrize("env, problem", [
    ({}, True),
    ({"DISPLAY": ":0"}, False),
    ({"WAYLAND_DISPLAY": "wayland-0"}, False),
    ({"QT_QPA_PLATFORM": "offscreen"}, False),
    ({"QT_QPA_PLATFORM": "xcb"}, True),          # xcb with no DISPLAY would abort too
])
def test_display_problem(env: dict[str, str], problem: bool) -> None:
    assert (display_problem(env) is not None) is problem


def test_missing_library_names_its_debian_package() -> None:
    line = missing_library_message("libEGL.so.1: cannot open shared object file: No such file")
    assert line is not None and "libEGL.so.1" in line and "sudo apt install libegl1" in line
    unknown = missing_library_message("libfoo.so.7: cannot open shared object file")
    assert unknown is not None and "apt-file search libfoo.so.7" in unknown
    assert missing_library_message("some other error") is None


@pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs Debian's dpkg")
def test_the_package_table_agrees_with_dpkg() -> None:
    checked = 0
    for library, package in DEBIAN_PACKAGES.items():
        found = subprocess.run(["dpkg", "-S", f"*/{library}"], capture_output=True, text=True)
        if found.returncode == 0:  # only libraries installed here can be checked
            owners = {line.split(":")[0] for line in found.stdout.splitlines()}
            assert package in owners, (library, owners)
            checked += 1
    assert checked >= 20


def _hide_library(library: str) -> list[str]:
    """Run the app in a private mount namespace where `library` is an empty file."""
    target = next((p for p in ("/usr/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu",
                               "/lib/x86_64-linux-gnu") if os.path.exists(f"{p}/{library}")),
                  None)
    probe = subprocess.run(["unshare", "-m", "true"], capture_output=True)
    if target is None or shutil.which("unshare") is None or probe.returncode != 0:
        pytest.skip("needs unshare -m (root) and the library installed")
    script = f'mount --bind /dev/null {target}/{library} && exec "$@"'
    return ["unshare", "-m", "sh", "-c", script, "sh"]


@pytest.mark.parametrize("library, package, env", [
    ("libxcb-cursor.so.0", "libxcb-cursor0", {"DISPLAY": ":99", "QT_QPA_PLATFORM": None}),
    ("libEGL.so.1", "libegl1", {"QT_QPA_PLATFORM": "offscreen"}),
])
def test_a_missing_library_is_named_with_its_package(library: str, package: str,
                                                      env: dict[str, str | None]) -> None:
    result = launch(env, *_hide_library(library))
    assert result.returncode == 1, result.stderr
    assert result.stderr.count("\n") == 1 and library in result.stderr
    assert f"sudo apt install {package}" in result.stderr
