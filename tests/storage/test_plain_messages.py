"""Plain, true messages instead of tracebacks or misleading words (issue 15, items 14–15):
a data folder that is a file or read-only, an ASCII-only terminal, a journal that is a folder,
two commands at once, and titles made only of invisible characters."""
from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app import paths
from app.__main__ import main
from app.storage.errors import DataFolderError
from app.storage.instance import COMMAND, WINDOW, InstanceLock
from tests.core.test_scripts import GOOD

ROOT = Path(__file__).resolve().parents[2]
EXPORT_JSON = ["export", "--format", "json", "--out"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and "unexpected" not in (out + err).lower()
    return code, out, err


def securebase(env: dict[str, str], *argv: str, prefix: tuple[str, ...] = (),
               timeout: float = 120) -> subprocess.CompletedProcess:
    """The real console command in a child process (its own locale, mounts and streams)."""
    env = {**env, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([*prefix, sys.executable, "-m", "app", *argv], env=env,
                          capture_output=True, timeout=timeout, cwd=ROOT)


def text(done: subprocess.CompletedProcess) -> str:
    both = (done.stdout + done.stderr).decode("ascii", errors="replace")
    assert "Traceback" not in both and "unexpected" not in both.lower(), both[-2000:]
    return both


# -- 14: SECUREBASE_HOME pointing at a file -------------------------------------------------

@pytest.fixture
def home_is_a_file(tmp_path, monkeypatch):
    home = tmp_path / "not-a-folder"
    home.write_text("my shopping list")
    monkeypatch.setenv("SECUREBASE_HOME", str(home))
    return home


@pytest.mark.parametrize("argv", [["check"], EXPORT_JSON + ["x.json"],
                                  ["demo-data", "--years", "0.1"], ["doctor"]])
def test_a_home_that_is_a_file_is_said_plainly(capsys, home_is_a_file, tmp_path, argv,
                                               monkeypatch):
    monkeypatch.chdir(tmp_path)          # back where it was after the test
    code, _, err = run(capsys, *argv)
    assert code == 1 and f"{home_is_a_file}, but that is a file, not a folder" in err
    assert "SECUREBASE_HOME" in err and home_is_a_file.read_text() == "my shopping list"


def test_the_data_folder_function_raises_a_plain_error(home_is_a_file):
    with pytest.raises(DataFolderError, match="is a file, not a folder"):
        paths.data_dir()
    with pytest.raises(DataFolderError, match="is a file, not a folder"):
        paths.cache_dir()


# -- 14: a read-only data folder (a real read-only mount, in a private mount namespace) -------

def read_only(folder: Path) -> tuple[str, ...]:
    if shutil.which("unshare") is None or os.geteuid() != 0:
        pytest.skip("needs unshare and root for a private read-only mount")
    probe = subprocess.run(["unshare", "--mount", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("mount namespaces are not available here")
    return ("unshare", "--mount", "sh", "-c",
            f'mount --bind "{folder}" "{folder}" && mount -o remount,ro,bind "{folder}" '
            '&& exec "$@"', "-")


def test_commands_in_a_read_only_data_folder(tmp_path, securebase_home):
    env = {**os.environ, "SECUREBASE_HOME": str(securebase_home)}
    assert securebase(env, "demo-data", "--years", "0.05").returncode == 0
    prefix = read_only(securebase_home)
    done = securebase(env, "demo-data", "--years", "0.05", "--force", prefix=prefix)
    assert done.returncode == 1 and "read-only" in text(done)
    done = securebase(env, "check", prefix=prefix)
    assert done.returncode == 0, text(done)
    done = securebase(env, *EXPORT_JSON, str(tmp_path / "rescue.json"), prefix=prefix)
    assert done.returncode == 0 and "Exported" in text(done)      # a rescue still works


WINDOW_DRIVER = """
import sys
from app.ui.common import widgets
class Box:
    def __init__(self, text): self.text = text
    def exec(self): print("BOX:", self.text); return 0
widgets.message = lambda parent, text, *a, **k: Box(text)
import app.ui.error_reporting as reporting
reporting.install_error_reporting = lambda: None
from app.ui.app import run_app
sys.exit(run_app(["securebase"]))
"""


def test_the_window_in_a_read_only_data_folder_says_so(securebase_home):
    env = {**os.environ, "SECUREBASE_HOME": str(securebase_home), "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([*read_only(securebase_home), sys.executable, "-c", WINDOW_DRIVER],
                          env=env, capture_output=True, timeout=120, cwd=ROOT)
    said = text(done)
    assert done.returncode == 1 and "BOX:" in said and "read-only" in said


def test_the_window_with_a_home_that_is_a_file_says_so(home_is_a_file):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, "-c", WINDOW_DRIVER], env=env,
                          capture_output=True, timeout=120, cwd=ROOT)
    said = text(done)
    assert done.returncode == 1 and "BOX:" in said and "is a file, not a folder" in said


# -- 14: an ASCII-only terminal ---------------------------------------------------------------

@pytest.fixture
def ascii_env(securebase_home):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("LC_", "LANG", "PYTHONIOENCODING", "PYTHONUTF8"))}
    return {**env, "LC_ALL": "C", "PYTHONUTF8": "0", "SECUREBASE_HOME": str(securebase_home)}


def test_check_in_an_ascii_terminal(ascii_env, securebase_home):
    scripts = paths.user_scripts_dir()
    (scripts / "café.toml").write_text(GOOD.format(id="café").replace(
        'title = "A gentle pause"', 'title = "Café — “quiet” …"'), encoding="utf-8")
    done = securebase(ascii_env, "check")
    said = text(done)
    assert done.returncode == 1 and "caf" in said and "should be lowercase" in said


def test_exports_in_an_ascii_terminal_say_they_succeeded(ascii_env, tmp_path):
    assert securebase(ascii_env, "demo-data", "--years", "0.05").returncode == 0
    for fmt, name in (("pdf", "report.pdf"), ("json", "all.json"), ("csv", "tables.zip")):
        out = tmp_path / name
        done = securebase(ascii_env, "export", "--format", fmt, "--out", str(out))
        assert done.returncode == 0 and out.exists(), text(done)
        assert ("Saved the report" if fmt == "pdf" else "Exported") in text(done)
    done = securebase(ascii_env, "voices")
    assert done.returncode == 0, text(done)


def test_plain_streams_turn_our_punctuation_into_ascii(monkeypatch):
    from app.__main__ import plain_streams
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    plain_streams()
    print("Saved the report for 1 – 31 March … “ok” → caf\udcc3\udca9.toml")
    stream.flush()
    assert raw.getvalue() == b'Saved the report for 1 - 31 March ... "ok" -> caf??.toml\n'


# -- 15: misleading messages --------------------------------------------------------------------

def test_a_journal_that_is_a_folder_is_called_a_folder(capsys, tmp_path):
    folder = paths.journal_file()
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    for argv in (EXPORT_JSON + [str(tmp_path / "x.json")], ["demo-data", "--years", "0.1"]):
        code, _, err = run(capsys, *argv)
        assert code == 1 and "is a folder, not a journal file" in err
        assert "disk reported an error" not in err and "damaged" not in err
    assert (folder / "keep.txt").read_text() == "mine"


def test_the_window_moves_a_journal_folder_aside_and_says_what_it_was():
    from app.storage.recovery import prepare_journal
    folder = paths.journal_file()
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    [notice, *_] = prepare_journal(folder)
    assert "there was a folder" in notice and "the folder, with everything in it," in notice
    assert "damaged" not in notice.split("kept at")[0]
    [aside] = [p for p in folder.parent.iterdir() if p.name.startswith("journal.db.")]
    assert (aside / "keep.txt").read_text() == "mine"


@pytest.mark.parametrize("holder, words", [
    (COMMAND, "Another Secure Base command"), (WINDOW, "open in a window"),
])
def test_two_commands_at_once_are_told_apart_from_a_window(capsys, tmp_path, holder, words):
    export = tmp_path / "all.json"
    run(capsys, "demo-data", "--years", "0.05", "--journal", str(tmp_path / "demo.db"))
    run(capsys, *EXPORT_JSON, str(export), "--journal", str(tmp_path / "demo.db"))
    lock = InstanceLock()
    assert lock.acquire(holder)
    try:
        code, _, err = run(capsys, "import", str(export))
    finally:
        lock.release()
    assert code == 1 and words in err
    if holder == COMMAND:
        assert "window" not in err
    assert run(capsys, "import", str(export))[0] == 0      # free again: it goes ahead


def test_a_lock_file_from_before_roles_gives_a_neutral_message():
    lock = InstanceLock()
    lock.lock_file.write_text("12345\n")
    assert lock.holder() is None


@pytest.mark.parametrize("invisible", ["\u200b\u200d\ufeff", " \u2060\u00ad ", "\u200e\u200f",
                                       "\u3000"])
def test_titles_made_of_invisible_characters_fail_check(capsys, tmp_path, invisible):
    script = tmp_path / "gentle.toml"
    script.write_text(GOOD.format(id="gentle").replace(
        'title = "A gentle pause"', f'title = "{invisible}"').replace(
        'title = "Arrive"', f'title = "{invisible}"'), encoding="utf-8")
    code, out, _ = run(capsys, "check", str(script))
    assert code == 1 and f"{script}:3: title is empty" in out
    assert "step 1: title is empty" in out
