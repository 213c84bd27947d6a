"""A small local log, so someone helping later can tell what went wrong (no Qt here).

It lives in the data folder (`logs/securebase.log`, 0600, in a 0700 folder) and rotates at
512 KB with three old files kept: 2 MB at most. It holds what happened and where in the code,
never what the person wrote: Secure Base logs no notes, part names or script text itself, and
every record passes through `scrub`, which replaces quoted text in messages (where Python puts
the values of keys and strings) with its length, and the home folder with "~".

`install_excepthook` routes every uncaught exception (main thread and others) into the log and
then to a `notify` callback that shows the person one calm sentence.
"""
from __future__ import annotations

import logging
import os
import re
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from app import paths

LOG_NAME = "securebase.log"
MAX_BYTES = 512 * 1024
BACKUPS = 3
logger = logging.getLogger("securebase")
# Modules log under their own names (`logging.getLogger(__name__)`: app.storage.journal, …);
# they reach the same file.
_OUR_LOGGERS = (logger, logging.getLogger("app"))

# Compiled by `re` (and kept in its cache) when the log is first scrubbed, not at every start.
_QUOTED = r"""'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*\""""
_ours: "PrivateRotatingFileHandler | None" = None


def log_dir() -> Path:
    folder = paths.data_dir() / "logs"
    folder.mkdir(mode=0o700, exist_ok=True)
    os.chmod(folder, 0o700)
    return folder


def log_file() -> Path:
    return log_dir() / LOG_NAME


def scrub(text: str) -> str:
    """Text fit for the log: quoted values become "<N characters>", the home folder "~"."""
    return _home_to_tilde(re.sub(_QUOTED, lambda m: f"<{len(m.group()) - 2} characters>", text))


def _home_to_tilde(text: str) -> str:
    home = os.path.expanduser("~")
    return text.replace(home, "~") if len(home) > 1 else text


class PrivateRotatingFileHandler(logging.FileHandler):
    """A log file that rotates by size (`securebase.log.1` … `.N`), every file of it 0600.

    Our own few lines rather than logging.handlers.RotatingFileHandler: that module imports
    socket, pickle and queue for its other handlers, ~8 ms of the window's start-up for one
    class (bench/startup.py; tests/ui/test_startup_imports.py keeps it out)."""

    def __init__(self, filename: Path, max_bytes: int, backups: int, encoding: str,
                 errors: str):
        self.max_bytes, self.backups = max_bytes, backups
        self._failing = False          # said once on stderr; quiet until a line goes in again
        super().__init__(filename, mode="a", encoding=encoding, errors=errors)

    def _open(self):  # noqa: ANN202 - the base class's signature
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND
                     | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0), 0o600)
        os.fchmod(fd, 0o600)  # a file left by an older version may have been wider
        return open(fd, self.mode, encoding=self.encoding, errors=self.errors)

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
        except Exception:  # noqa: BLE001 - logging must never break the app (as logging does)
            self.handleError(record)
            return
        super().emit(record)
        if self._failing and self.stream is not None:
            self._failing = False          # room again: the log goes on where it can

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """A line that cannot be written (a full disk, a folder gone read-only) is dropped
        quietly: not Python's "--- Logging error ---" traceback on stderr for every line,
        just one plain line the first time. The file is closed so the next line opens it
        afresh and the log resumes once there is room."""
        reason = sys.exc_info()[1]
        stream, self.stream = self.stream, None
        if stream is not None:
            try:
                stream.close()             # may fail to flush what it held: that is dropped
            except Exception:  # noqa: BLE001, S110 - the file is closed either way
                pass
        if not self._failing:
            self._failing = True
            why = getattr(reason, "strerror", None) or type(reason).__name__
            try:
                print(f"securebase: the log file cannot be written just now ({why}); "
                      "Secure Base goes on without it.", file=sys.stderr)
            except Exception:  # noqa: BLE001, S110 - no stderr either: stay quiet
                pass

    def _full(self, record: logging.LogRecord) -> bool:
        """Whether this record would take the file past max_bytes (as the standard handler
        counts: characters of the formatted line)."""
        if self.max_bytes <= 0 or not os.path.isfile(self.baseFilename):
            return False
        if self.stream is None:
            self.stream = self._open()
        self.stream.seek(0, 2)
        return self.stream.tell() + len(self.format(record)) + 1 >= self.max_bytes

    def _rotate(self) -> None:
        """securebase.log.N-1 → .N, …, securebase.log → .1; the oldest falls off."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        for number in range(self.backups - 1, 0, -1):
            older = f"{self.baseFilename}.{number}"
            if os.path.exists(older):
                os.replace(older, f"{self.baseFilename}.{number + 1}")
        if self.backups > 0:
            os.replace(self.baseFilename, f"{self.baseFilename}.1")
        self.stream = self._open()


class ScrubbingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        exc_info, record.exc_info, record.exc_text = record.exc_info, None, None
        try:
            text = scrub(super().format(record))
        finally:
            record.exc_info = exc_info
        return text + "\n" + self.formatException(exc_info) if exc_info else text

    def formatException(self, ei) -> str:  # noqa: N802 - logging's name
        """Frames (indented: file, line, our own source) stay readable; the messages, the only
        lines that can carry the person's data, are scrubbed."""
        lines = traceback.TracebackException(ei[0], ei[1], ei[2]).format()
        return "".join(_home_to_tilde(line) if line.startswith("  ") else scrub(line)
                       for line in lines).rstrip()


def setup_logging(level: int = logging.INFO) -> Path | None:
    """Start logging to the file; returns its path, or None when it cannot be written (the app
    works the same without a log)."""
    global _ours
    if _ours is not None:
        return Path(_ours.baseFilename)
    try:
        handler = PrivateRotatingFileHandler(log_file(), MAX_BYTES, BACKUPS, encoding="utf-8",
                                             errors="backslashreplace")  # odd file names
    except OSError:
        return None
    handler.setFormatter(ScrubbingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for ours in _OUR_LOGGERS:
        ours.addHandler(handler)
        ours.setLevel(level)
        ours.propagate = False
    _ours = handler
    return Path(handler.baseFilename)


def stop_logging() -> bool:
    """Close the log file; True when it was open."""
    global _ours
    if _ours is None:
        return False
    for ours in _OUR_LOGGERS:
        ours.removeHandler(_ours)
        ours.propagate = True
    _ours.close()
    _ours = None
    return True


def versions() -> str:
    """Enough about this installation to make sense of a traceback."""
    import platform
    from importlib import metadata
    found = []
    for package in ("securebase", "PySide6-Essentials"):
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} not installed")
    return ", ".join(found + [f"Python {platform.python_version()}", platform.platform()])


def print_calm_line(_kind: type[BaseException], _error: BaseException) -> None:
    """For the command line: one sentence and where the details are, not a traceback."""
    where = f" The details are in {_ours.baseFilename}." if _ours is not None else ""
    print(f"securebase: something unexpected went wrong.{where}", file=sys.stderr)


Notify = Callable[[type[BaseException], BaseException], None]


def install_excepthook(notify: Notify | None = None) -> None:
    """Log every uncaught exception; then `notify` (main thread only) tells the person."""

    def hook(kind: type[BaseException], error: BaseException,
             tb: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, tb)
            return
        logger.error("Unexpected error (%s)", versions(), exc_info=(kind, error, tb))
        if notify is not None:
            try:
                notify(kind, error)
            except Exception:  # noqa: BLE001 - telling must never raise from the hook itself
                logger.exception("Could not show the error message")

    def thread_hook(args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return
        thread = args.thread.name if args.thread is not None else "?"
        logger.error("Unexpected error in thread %s", thread,
                     exc_info=(args.exc_type, args.exc_value, args.exc_traceback))

    sys.excepthook = hook
    threading.excepthook = thread_hook
