"""Turn SQLite and file-system failures into plain sentences a person can act on."""
from __future__ import annotations

import errno
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:      # only named in annotations: the window's start need not load SQLite
    import sqlite3

# Primary SQLite result codes (extended codes carry these in their low byte).
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_IOERR = 5, 6, 8, 10
SQLITE_CORRUPT, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOTADB = 11, 13, 14, 26


class JournalError(Exception):
    """A journal problem, with a message meant for the person using the app."""

    def __init__(self, message: str, kind: str = "other"):
        super().__init__(message)
        # "locked" | "full" | "readonly" | "corrupt" | "invalid" | "folder" | "other"
        self.kind = kind


class DataFolderError(JournalError, OSError):
    """The data folder cannot be used at all: it is a file, or cannot be created or written.
    Also an OSError, so code that already copes with a failing file (the log, a cache) still
    does."""

    def __init__(self, message: str):
        super().__init__(message, "folder")


def data_folder_error(exc: OSError | None, folder: Path, is_file: bool = False) -> DataFolderError:
    """Plain words for a data folder that is a file, read-only or otherwise unusable."""
    import os
    hint = ("set SECUREBASE_HOME to a folder you can write to (or unset it)"
            if os.environ.get("SECUREBASE_HOME") else "check the disk and the folder")
    if is_file or exc is not None and exc.errno in (errno.ENOTDIR, errno.EEXIST):
        what = "is a file, not a folder"
    elif exc is not None and exc.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        what = "cannot be written to (the disk or the folder is read-only)"
    elif exc is not None and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        what = "is on a full disk"
    else:
        what = f"cannot be used ({exc.strerror if exc is not None else 'unknown reason'})"
    return DataFolderError(f"Secure Base keeps your journal in {folder}, but that {what}. "
                           f"Nothing in it has been changed. Please {hint}, then try again.")


class InvalidRecord(JournalError, ValueError):
    """A row breaks the journal's rules (app.core.record_rules): nothing was written."""

    def __init__(self, message: str):
        super().__init__(message, "invalid")


def is_damage(exc: sqlite3.Error) -> bool:
    """True only when the file itself is damaged — never for locks, permissions or a full disk,
    because a damaged file gets moved aside and that must not happen to a healthy one."""
    code = _primary_code(exc)
    if code is not None:
        return code in (SQLITE_CORRUPT, SQLITE_NOTADB)
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text


def explain(exc: sqlite3.Error, path: Path | None) -> JournalError:
    kind = _kind(exc)
    where = f" ({path})" if path else ""
    if kind == "locked":
        # One copy of Secure Base holds the instance lock, so a lock on the file is more
        # often another program (a backup or sync tool, a database viewer) than a second copy.
        return JournalError("Your journal is busy: another program (perhaps another copy of "
                            "Secure Base) is using it. Nothing has been lost. Close that "
                            "program, then try again.", "locked")
    if kind == "full":
        return _full()
    if kind == "readonly":
        return _readonly(where)
    if kind == "corrupt":
        return JournalError(f"The journal file{where} is damaged.", "corrupt")
    if kind == "io" and path is not None and nearly_full(path):
        return _full()              # SQLite says "I/O error" for some out-of-space failures
    if kind == "io":
        return JournalError("The disk reported an error while saving. Everything saved before "
                            "is safe; please try again.", "other")
    return JournalError(f"The journal could not be used: {exc}", "other")


def explain_os(exc: OSError, path: Path | None) -> JournalError:
    """The same plain words for failures that happen before SQLite is involved."""
    where = f" ({path})" if path else ""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return _full()
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _readonly(where)
    return JournalError(f"The journal{where} could not be used: {exc.strerror or exc}", "other")


def _full() -> JournalError:
    return JournalError("The disk is full, so this could not be saved. Everything saved "
                        "before is safe. Free some space and try again.", "full")


def _readonly(where: str) -> JournalError:
    return JournalError(f"Secure Base cannot write to its journal{where}. Check that the "
                        "folder is writable; nothing saved before has been lost.", "readonly")


def nearly_full(path: Path, margin: int = 1 << 20) -> bool:
    try:
        return shutil.disk_usage(path.parent).free < margin
    except OSError:
        return False


def _primary_code(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _kind(exc: sqlite3.Error) -> str:
    code = _primary_code(exc)
    by_code = {SQLITE_BUSY: "locked", SQLITE_LOCKED: "locked", SQLITE_FULL: "full",
               SQLITE_READONLY: "readonly", SQLITE_CANTOPEN: "readonly",
               SQLITE_CORRUPT: "corrupt", SQLITE_NOTADB: "corrupt", SQLITE_IOERR: "io"}
    if code in by_code:
        return by_code[code]
    # Errors raised by Python itself (no code) still carry SQLite's wording.
    text = str(exc).lower()
    for words, kind in ((("locked", "busy"), "locked"), (("full",), "full"),
                        (("readonly", "read-only", "unable to open"), "readonly"),
                        (("not a database", "malformed", "corrupt"), "corrupt"),
                        (("disk i/o",), "io")):
        if any(w in text for w in words):
            return kind
    return "other"
