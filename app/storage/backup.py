"""Safety copies of the journal, made with SQLite's online backup API.

One copy a day, at the first open of that day, named by date (`journal-2026-03-04.db`; a second
copy the same day, or a name already taken by something else, gets `-2`, `-3`, …). Seven are
kept. Copies are ranked by what they hold (app.storage.content), not by the date in their name,
so a clock that was once far ahead or has been set back can neither make an old copy look new
nor get a new copy rotated out; and a copy with fewer records never pushes out a fuller one.

The backup API (not a file copy) is used because it reads through the WAL and a consistent
snapshot even while the window is writing, so a copy is never half a transaction. Each copy is
written to a hidden `.partial` file and renamed into place only when complete, so a crash or a
full disk mid-copy can never leave something that looks like a good backup.
"""
from __future__ import annotations

import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from app import paths
from app.storage.clock import words
from app.storage.content import (
    BUSY_TIMEOUT_S, Content, connect_read_only, read_content,
)
from app.storage.errors import explain, explain_os

KEEP = 7
_NAME = re.compile(r"^journal-(\d{4}-\d{2}-\d{2})(?:-(\d{1,4}))?\.db$")

__all__ = ["BUSY_TIMEOUT_S", "KEEP", "Backup", "best_backup", "connect_read_only",
           "copy_database", "daily_backup", "list_backups", "newest_days", "rotate", "survey"]


@dataclass(frozen=True)
class Backup:
    path: Path
    day: date                       # the date in its name: what the clock said, nothing more
    number: int = 1                 # the -N of a second copy with the same date
    content: Content | None = None  # None until surveyed, or when it cannot be read

    @property
    def label(self) -> str:
        """The day in words, e.g. "Tuesday 3 March 2026", for messages to the person."""
        return words(self.day)

    @property
    def rank(self) -> tuple[tuple[int, int], date, int]:
        """Content first; the name's date and number only break ties between equal copies."""
        return (self.content.order if self.content else (-1, -1), self.day, self.number)


def backup_name(day: date, number: int = 1) -> str:
    return f"journal-{day.isoformat()}{'' if number == 1 else f'-{number}'}.db"


def list_backups(folder: Path | None = None) -> list[Backup]:
    """Backup files (regular files with a backup's name), oldest name first. Anything else
    with such a name (a folder, a device) is not a backup and is left alone."""
    folder = folder or paths.backups_dir()
    found = []
    try:
        entries = list(folder.glob("journal-*.db")) if folder.is_dir() else []
    except OSError:
        entries = []
    for entry in entries:
        match = _NAME.match(entry.name)
        if match and _is_regular_file(entry):
            try:
                day = date.fromisoformat(match.group(1))
            except ValueError:
                continue            # a name that looks like a date but is not one
            found.append(Backup(entry, day, int(match.group(2) or 1)))
    return sorted(found, key=lambda b: (b.day, b.number))


def survey(folder: Path | None = None) -> tuple[list[Backup], list[Backup]]:
    """(readable copies ranked oldest → newest by content, copies that cannot be read)."""
    readable, unreadable = [], []
    for found in list_backups(folder):
        content = read_content(found.path)
        if content is None:
            unreadable.append(found)
        else:
            readable.append(Backup(found.path, found.day, found.number, content))
    return sorted(readable, key=lambda b: b.rank), unreadable


def newest_days(ranked: list[Backup]) -> list[date]:
    """The date on the newest copy by content, for noticing a clock jump; of several holding
    the same, the earliest date. One start with the clock at 2099 leaves a copy named 2099:
    said once, not every day until that copy is rotated out."""
    if not ranked:
        return []
    return [min(b.day for b in ranked if b.rank[0] == ranked[-1].rank[0])]


def best_backup(folder: Path | None = None) -> Backup | None:
    """The newest copy by content that passes an integrity check; None if there is none.
    Never raises: one unreadable copy must not stop the others from being used."""
    for candidate in reversed(survey(folder)[0]):
        if is_healthy(candidate.path):
            return candidate
    return None


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
    except (sqlite3.Error, OSError):
        return False


def daily_backup(journal_path: Path, folder: Path | None = None,
                 today: date | None = None) -> Path | None:
    """Make today's copy if there is none yet; returns its path, or None if nothing was done.

    A journal with no records is never copied (a copy of nothing only crowds out real ones).
    Opens its own connections, so it is safe to call from a worker thread.
    Raises JournalError (plain words) if the copy cannot be written; the journal is untouched.
    """
    folder = folder or paths.backups_dir()
    today = today or date.today()
    content = read_content(journal_path)
    if content is None or content.records == 0:
        return None
    ranked, _ = survey(folder)
    if _done_today(ranked, today):
        if len(ranked) > KEEP:      # a start killed between making today's copy and rotating
            rotate(folder, protect=max((b for b in ranked if b.day == today),
                                       key=lambda b: b.rank).path)
        return None
    _remove_partials(folder)
    target = _free_name(folder, today)
    copy_database(journal_path, target)
    rotate(folder, protect=target)
    return target


def _done_today(ranked: list[Backup], today: date) -> bool:
    """A copy named today exists, and (when the clock has been set back, so that copies are
    named after today) it is at least as new as those: otherwise today's name says nothing."""
    named_today = [b.rank for b in ranked if b.day == today]
    later = [b.rank for b in ranked if b.day > today]
    return bool(named_today) and (not later or max(named_today)[0] >= max(later)[0])


def _free_name(folder: Path, today: date) -> Path:
    number = 1
    while os.path.lexists(folder / backup_name(today, number)):
        number += 1
    return folder / backup_name(today, number)


def rotate(folder: Path, keep: int = KEEP, protect: Path | None = None) -> list[Path]:
    """Keep the `keep` newest copies by content (and `protect`, the one just made, even if an
    undone body mark made it hold one record fewer); delete the rest. Copies that cannot be
    read are left alone: not ours to judge, and `securebase doctor` points them out."""
    ranked, _ = survey(folder)
    keepers = [b.path for b in ranked if b.path == protect]
    for candidate in reversed(ranked):
        if len(keepers) >= keep:
            break
        if candidate.path not in keepers:
            keepers.append(candidate.path)
    removed = []
    for old in ranked:
        if old.path not in keepers:
            try:
                old.path.unlink(missing_ok=True)
                removed.append(old.path)
            except OSError:
                continue            # a copy we cannot remove is only one copy too many
    return removed


def copy_database(source: Path, target: Path) -> None:
    """A consistent, self-contained (no -wal), owner-only copy of `source` at `target`."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        _write_copy(source, partial)
        os.replace(partial, target)
        fsync_dir(target.parent)
    except sqlite3.Error as exc:
        _discard(partial)
        raise explain(exc, source) from exc
    except OSError as exc:
        _discard(partial)
        raise explain_os(exc, target) from exc


def _write_copy(source: Path, partial: Path) -> None:
    fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW, 0o600)
    os.close(fd)
    os.chmod(partial, 0o600)        # O_CREAT's mode does not apply to an existing file
    src = connect_read_only(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            dst.execute("PRAGMA temp_store=MEMORY")
            src.backup(dst)
            # The copy inherits WAL mode from the source; a backup should be one plain file.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    with open(partial, "rb+") as handle:
        os.fsync(handle.fileno())


def _is_regular_file(path: Path) -> bool:
    try:
        return path.is_file() and not path.is_symlink()
    except OSError:
        return False


def _remove_partials(folder: Path) -> None:
    # Only our own unfinished copies: they were never renamed, so they are never a backup.
    for partial in folder.glob(".journal-*.db.partial"):
        _discard(partial)


def _discard(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass


def fsync_dir(folder: Path) -> None:
    """Make a rename itself durable (POSIX); harmless where directories cannot be opened."""
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
