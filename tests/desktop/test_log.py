"""The local log: private, small, rotating, and free of anything the person wrote."""
from __future__ import annotations

import errno
import io
import logging
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from app import log, paths


@pytest.fixture
def logging_to_file(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)        # restored afterwards
    monkeypatch.setattr("threading.excepthook", __import__("threading").excepthook)
    yield
    log.stop_logging()


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_the_log_rotates_and_stays_private(logging_to_file, monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    monkeypatch.setattr(log, "MAX_BYTES", 4_000)
    os.umask(0o022)  # a usual umask: the log must still be 0600
    file = log.setup_logging()
    assert file == paths.data_dir() / "logs" / "securebase.log"
    for number in range(400):
        log.logger.warning("event number %d of many, to fill the log", number)
    files = sorted(file.parent.iterdir())
    assert [f.name for f in files] == ["securebase.log", "securebase.log.1",
                                       "securebase.log.2", "securebase.log.3"]
    assert all(mode(f) == 0o600 for f in files) and mode(file.parent) == 0o700
    assert all(f.stat().st_size <= 4_000 for f in files)
    assert "event number 399" in file.read_text()


def test_the_log_is_a_few_megabytes_at_most() -> None:
    assert log.MAX_BYTES * (log.BACKUPS + 1) <= 4 * 1024 * 1024


def test_an_older_wider_log_file_is_made_private(logging_to_file) -> None:
    folder = paths.data_dir() / "logs"
    folder.mkdir(mode=0o755)
    (folder / "securebase.log").write_text("old\n")
    os.chmod(folder / "securebase.log", 0o644)
    log.setup_logging()
    assert mode(folder / "securebase.log") == 0o600 and mode(folder) == 0o700


def test_an_uncaught_error_is_logged_without_what_the_person_wrote(logging_to_file) -> None:
    told = []
    log.setup_logging()
    log.install_excepthook(notify=lambda kind, error: told.append(kind))
    note = "I felt my mother's voice in my chest"
    try:
        raise KeyError(note)
    except KeyError:
        sys.excepthook(*sys.exc_info())
    text = log.log_file().read_text()
    assert told == [KeyError]
    assert "Traceback (most recent call last)" in text and "test_log.py" in text
    assert "KeyError: <36 characters>" in text and "mother" not in text
    assert "securebase" in text and "Python 3" in text          # which version failed


def test_a_thread_error_is_logged(logging_to_file) -> None:
    import threading
    log.setup_logging()
    log.install_excepthook()
    worker = threading.Thread(target=lambda: 1 / 0, name="renderer")
    worker.start()
    worker.join()
    text = log.log_file().read_text()
    assert "in thread renderer" in text and "ZeroDivisionError" in text


def test_the_command_line_says_one_calm_line(securebase_home: Path) -> None:
    code = ("import sys, app.__main__ as m\n"
            "m.cmd_check = lambda args: {}['boom']\n"
            "sys.argv = ['securebase', 'check']\n"
            "sys.exit(m.console())\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=paths.PROJECT_ROOT, timeout=60,
                            env={**os.environ, "SECUREBASE_HOME": str(securebase_home)})
    assert result.returncode == 1
    assert result.stderr.startswith("securebase: something unexpected went wrong.")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    logged = (securebase_home / "logs" / "securebase.log").read_text()
    assert "KeyError" in logged and "Traceback" in logged


def test_scrub_keeps_code_and_hides_values() -> None:
    home = os.path.expanduser("~")
    where = f"{home}/notes/Angry part.txt"
    assert log.scrub(f"No such file: '{where}'") == f"No such file: <{len(where)} characters>"
    assert log.scrub(f"in {home}/x") == "in ~/x"
    logging.getLogger("unrelated").info("not ours")  # other loggers are untouched


def test_the_modules_own_loggers_reach_the_file(logging_to_file) -> None:
    """The journal and the journal service log as `app.storage.journal`, `app.qt.…`: their
    warnings (a failed journal operation) belong in the same file, not on a terminal nobody
    sees."""
    log.setup_logging()
    logging.getLogger("app.qt.journal_service").error("journal operation failed")
    logging.getLogger("app.storage.journal").info("checkpointed")
    log.stop_logging()
    logged = log.log_file().read_text(encoding="utf-8")
    assert "ERROR app.qt.journal_service: journal operation failed" in logged
    assert "INFO app.storage.journal: checkpointed" in logged


def test_a_file_name_that_is_not_utf8_is_logged_not_choked_on(logging_to_file, capsys) -> None:
    """A file name from an old disk arrives in Python with a surrogate in it; the log writes
    it escaped instead of printing its own error to the terminal."""
    log.setup_logging()
    odd = os.fsdecode(b"/media/old/caf\xe9.toml")
    log.logger.warning("Could not read %s", odd)
    log.stop_logging()
    assert "Logging error" not in capsys.readouterr().err
    assert "caf\\udce9.toml" in log.log_file().read_text(encoding="utf-8")


class _FullDisk(io.StringIO):
    """A log stream on a disk with no room: every write says ENOSPC."""

    def write(self, text: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_drops_the_log_quietly_and_it_resumes_with_room(
        logging_to_file, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """Found by a helper: on a full disk every log line printed Python's "--- Logging error
    ---" and a traceback ending in "No space left on device" to stderr (before: three of them
    for three lines)."""
    file = log.setup_logging()
    assert file is not None and log._ours is not None
    real_open = log._ours._open
    room = [False]
    monkeypatch.setattr(log._ours, "_open", lambda: real_open() if room[0] else _FullDisk())
    log._ours.close()                                  # the next line opens the full disk
    for number in range(3):
        log.logger.warning("event %d with no room", number)
    err = capsys.readouterr().err
    assert "Logging error" not in err and "Traceback" not in err
    assert len(err.splitlines()) <= 1                  # at most one plain line, once
    room[0] = True                                     # room again
    log.logger.warning("back with room")
    assert "back with room" in file.read_text()
    assert capsys.readouterr().err == ""
