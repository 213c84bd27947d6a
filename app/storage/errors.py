"""Turn SQLite failures into plain sentences a person can act on."""
from __future__ import annotations

import sqlite3
from pathlib import Path


class JournalError(Exception):
    """A journal problem, with a message meant for the person using the app."""

    def __init__(self, message: str, kind: str = "other"):
        super().__init__(message)
        self.kind = kind          # "locked" | "full" | "readonly" | "corrupt" | "other"


def explain(exc: sqlite3.Error, path: Path | None) -> JournalError:
    text = str(exc).lower()
    where = f" ({path})" if path else ""
    if "locked" in text or "busy" in text:
        return JournalError("Your journal is in use by another copy of Secure Base. "
                            "Close the other window and try again; nothing has been lost.",
                            "locked")
    if "full" in text:
        return JournalError("The disk is full, so this could not be saved. Everything saved "
                            "before is safe. Free some space and try again.", "full")
    if "readonly" in text or "read-only" in text or "unable to open" in text:
        return JournalError(f"Secure Base cannot write to its journal{where}. Check that the "
                            "folder is writable; nothing saved before has been lost.", "readonly")
    if "not a database" in text or "malformed" in text or "corrupt" in text:
        return JournalError(f"The journal file{where} is damaged.", "corrupt")
    if "disk i/o" in text:
        return JournalError("The disk reported an error while saving. Everything saved before "
                            "is safe; please try again.", "other")
    return JournalError(f"The journal could not be used: {exc}", "other")
