"""Daily safety copies of the journal, made with SQLite's online backup API.

One copy a day, at the first open of that day, named by date (`journal-2026-03-04.db`), the last
seven kept. The backup API (not a file copy) is used because it reads through the WAL and a
consistent snapshot even while the window is writing, so a copy is never half a transaction.
Each copy is written to a hidden `.partial` file and renamed into place only when complete, so
a crash or a full disk mid-copy can never leave something that looks like a good backup.
"""
from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app import paths
from app.storage.errors import JournalError, explain, explain_os, is_damage

KEEP = 7
# How long to wait for another connection's write lock before saying the journal is in use
# (the same as Journal's own timeout).
BUSY_TIMEOUT_S = 2.0
_NAME = re.compile(r"^journal-(\d{4}-\d{2}-\d{2})\.db$")


@dataclass(frozen=True)
class Backup:
    path: Path
    day: date

    @property
    def label(self) -> str:
        """The day in words, e.g. "Tuesday 3 March 2026", for messages to the person."""
        return f"{self.day:%A} {self.day.day} {self.day:%B %Y}"


def backup_name(day: date) -> str:
    return f"journal-{day.isoformat()}.db"


def list_backups(folder: Path | None = None) -> list[Backup]:
    """Backups, oldest first."""
    folder = folder or paths.backups_dir()
    found = []
    for entry in folder.glob("journal-*.db") if folder.is_dir() else ():
        match = _NAME.match(entry.name)
        if match:
            try:
                found.append(Backup(entry, date.fromisoformat(match.group(1))))
            except ValueError:
                continue            # a name that looks like a date but is not one
    return sorted(found, key=lambda b: b.day)


def daily_backup(journal_path: Path, folder: Path | None = None,
                 today: date | None = None) -> Path | None:
    """Make today's copy if there is none yet; returns its path, or None if nothing was done.

    Opens its own connections, so it is safe to call from a worker thread.
    Raises JournalError (plain words) if the copy cannot be written; the journal is untouched.
    """
    folder = folder or paths.backups_dir()
    today = today or date.today()
    target = folder / backup_name(today)
    if target.exists() or not journal_path.exists() or journal_path.stat().st_size == 0:
        return None
    _remove_partials(folder)
    copy_database(journal_path, target)
    rotate(folder)
    return target


def copy_database(source: Path, target: Path) -> None:
    """A consistent, self-contained (no -wal), owner-only copy of `source` at `target`."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        _write_copy(source, partial)
        os.replace(partial, target)
        _fsync_dir(target.parent)
    except sqlite3.Error as exc:
        _discard(partial)
        raise explain(exc, source) from exc
    except OSError as exc:
        _discard(partial)
        raise explain_os(exc, target) from exc


def _write_copy(source: Path, partial: Path) -> None:
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
    os.close(fd)
    os.chmod(partial, 0o600)        # O_CREAT's mode does not apply to an existing file
    src = connect_read_only(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst)
            # The copy inherits WAL mode from the source; a backup should be one plain file.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())


def rotate(folder: Path, keep: int = KEEP) -> list[Path]:
    """Delete all but the newest `keep` dated backups; returns what was removed."""
    removed = []
    for old in list_backups(folder)[:-keep] if keep > 0 else []:
        old.path.unlink(missing_ok=True)
        removed.append(old.path)
    return removed


def is_healthy(path: Path) -> bool:
    """True if `path` is a readable SQLite file that passes PRAGMA quick_check.

    quick_check (not integrity_check) because backups are only ever made from a journal that
    already passed the full check; here we only need to know the file is still intact."""
    try:
        conn = connect_read_only(path)
        try:
            return conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if is_damage(exc) or "unable to open" in str(exc).lower():
            return False
        raise JournalError(f"A backup ({path.name}) could not be read: {exc}") from exc


def connect_read_only(path: Path) -> sqlite3.Connection:
    """A connection that can never change the file or its -wal (it still reads the -wal)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                           timeout=BUSY_TIMEOUT_S)


def latest_healthy(folder: Path | None = None) -> Backup | None:
    for backup in reversed(list_backups(folder)):
        if is_healthy(backup.path):
            return backup
    return None


def _remove_partials(folder: Path) -> None:
    # Only our own unfinished copies: they were never renamed, so they are never a backup.
    for partial in folder.glob(".journal-*.db.partial"):
        partial.unlink(missing_ok=True)


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable (POSIX); harmless where directories cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
