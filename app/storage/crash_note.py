"""A note a crash leaves behind, so the next start can say plainly what happened (no Qt here).

While the window runs, Python's faulthandler is armed on `crash-note.txt` in the log folder
(0600, beside the log: "Open the log folder" shows it to whoever helps, and "delete all my
data" removes it with the logs). A clean exit leaves the file empty; a fatal signal (a
segfault in a native library, an abort) makes faulthandler write every thread's Python stack
into it before the process dies.
The next start finds it not empty: it keeps the note as `crash-note.previous.txt` for whoever
helps later (it holds code locations only, never what the person wrote) and tells the person,
once, that the app closed unexpectedly and that what they recorded is safe (every journal event
is committed as it happens, so a crash cannot take it back).

Arming costs one small file open: it is done after the one-window lock is held (a second launch
must not empty the running window's note) and before the window is built.
"""
from __future__ import annotations

import faulthandler
import logging
import os
import stat
from pathlib import Path
from typing import IO

NOTE_NAME = "crash-note.txt"
PREVIOUS_NAME = "crash-note.previous.txt"
# Only what is true: each record is committed when it is made, so everything recorded before the
# crash is kept; a write caught by the crash itself could not have been (the WAL check says so
# separately when a damaged log loses commits).
CRASH_NOTICE = ("Secure Base closed unexpectedly last time. What you recorded up to then is "
                "kept: each answer, body mark and step is saved the moment it happens.")
logger = logging.getLogger(__name__)
# Kept open for the life of the process: faulthandler writes to its file descriptor when a
# fatal signal arrives, when nothing else can be opened any more.
_armed: IO[str] | None = None


def arm(folder: Path) -> bool:
    """Whether the last run ended in a crash; then arm the note for this run. Never raises:
    a folder that cannot hold the note only means no note (the window still starts)."""
    global _armed
    note = folder / NOTE_NAME
    crashed = False
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        found = note.stat()
        if stat.S_ISREG(found.st_mode) and found.st_size > 0:
            crashed = True
            os.replace(note, folder / PREVIOUS_NAME)
    except FileNotFoundError:
        pass
    except OSError as exc:
        logger.warning("the crash note could not be read: %s", type(exc).__name__)
    try:
        fd = os.open(note, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o600)
        _armed = os.fdopen(fd, "w", encoding="utf-8")
        faulthandler.enable(_armed, all_threads=True)
    except OSError as exc:
        logger.warning("the crash note could not be armed: %s", type(exc).__name__)
    if crashed:
        logger.warning("the last run ended in a crash; its note is in %s", PREVIOUS_NAME)
    return crashed
