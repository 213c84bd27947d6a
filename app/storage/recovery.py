"""Opening the journal safely: check it, recover from damage, make the daily copy.

Nothing here ever deletes or overwrites the person's journal. A damaged file is *renamed* next
to itself (`journal.db.damaged-20260304-101500`, with its -wal and -shm), the newest good backup
(by content, see app.storage.content) is put in its place, and the person is told in plain
words what happened and where the damaged copy is. A journal that is missing, empty or holds no
records while a backup holds some is treated the same way: it is never silently replaced by a
fresh one. Locks, permissions and a full disk are never mistaken for damage: those raise a
JournalError with a clear message and leave every file exactly as it was.

A restore is three steps (copy the backup beside the journal, move the journal aside, rename the
copy in). Before the first rename a note with the notice is written, and it is dropped only when
the start is over and the notice handed on; if the process is killed anywhere in between, the
next start finishes the restore and still tells the person what it did.
"""
from __future__ import annotations

import json
import os
import sqlite3
from datetime import date, datetime
from pathlib import Path

from app import paths
from app.storage import backup as backups
from app.storage.clock import clock_notice
from app.storage.content import has_sqlite_header, holds_nothing, read_content
from app.storage.errors import JournalError, explain, explain_os, is_damage
from app.storage.files import write_private
from app.storage.privacy import tighten, tighten_notice
from app.storage.journal import Journal
from app.storage.wal import damaged_log_notice, keep_damaged_log, recall

SIDECARS = ("-wal", "-shm")

# PRAGMA integrity_check, not quick_check: on a 10-year demo journal (3,650 sessions, ~36,000
# body marks, ~62,000 step events, 11 MB) the full check took 0.08-0.09 s on a 2-core CI-class
# machine (quick_check 0.035 s). Affordable once per start, and unlike quick_check it also
# verifies every index against its table.
CHECK_SQL = "PRAGMA integrity_check(20)"


def check_integrity(path: Path, untouched: bool = False) -> str | None:
    """None if the journal is healthy (or does not exist yet, or is empty); otherwise what is
    wrong. Raises JournalError for anything that is not damage (locked, unreadable folder, …).
    `untouched`: see content.connect_read_only (for `doctor`, which changes nothing)."""
    if not path.exists() or (path.is_file() and path.stat().st_size == 0):
        return None
    if not path.is_file():
        return "the journal is not a file"
    if not has_sqlite_header(path):
        # SQLite itself accepts a file shorter than its header (one stray byte) as a new,
        # empty database: that must count as damage, never as a journal to write into.
        return "not an SQLite file"
    try:
        # Read-only on purpose: a read-write connection to a damaged file deletes its -wal on
        # close (measured), and could checkpoint into it. The evidence must stay as it was.
        conn = backups.connect_read_only(path, untouched)
        try:
            rows = conn.execute(CHECK_SQL).fetchall()
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if is_damage(exc):
            return str(exc)
        raise explain(exc, path) from exc
    if rows == [("ok",)]:
        return None
    return "; ".join(str(row[0]) for row in rows[:3])


def prepare_journal(path: Path | None = None, backups_dir: Path | None = None,
                    today: date | None = None) -> list[str]:
    """Check, recover if needed, and make today's backup; returns notices for the person.

    Uses only its own short-lived connections, so it may run on a worker thread; open the
    Journal itself afterwards on the thread that will use it (sqlite3 connections are bound to
    the thread that made them)."""
    path = Path(path or paths.journal_file())
    notices = finish_interrupted_restore(path) + recall(path)
    try:
        kept = keep_damaged_log(path)   # before SQLite replays (and then empties) the -wal
    except OSError as exc:
        raise explain_os(exc, path) from exc
    if kept is not None:
        notices.append(damaged_log_notice(*kept))
    reason = needs_restore(path, backups_dir)
    if reason is not None:
        notices.append(recover(path, backups_dir, reason))
    notices += _daily(path, backups_dir, today or date.today()) + _private(path)
    # Only now, with every notice in hand, is the restore's note dropped: killed anywhere
    # before this (even in the daily copy after a finished restore), the next start says it.
    forget_note(path)
    return notices


def needs_restore(path: Path, backups_dir: Path | None = None) -> str | None:
    """"damaged", "missing" or "empty" when the journal should be set aside (and the best
    backup brought back); None when it is fine to open as it is."""
    if path.is_dir():
        return "folder"             # moved aside like damage, but said as what it is
    if check_integrity(path) is not None:
        return "damaged"
    if not holds_nothing(path):
        return None
    if _has_data(Path(str(path) + "-wal")) and not _has_data(path):
        # SQLite deletes the -wal of a 0-byte or missing database when it opens it: the -wal
        # may hold everything, so keep it aside rather than let it go.
        return "damaged"
    best = backups.best_backup(backups_dir)
    if best is None or best.content is None or best.content.records == 0:
        return None                 # nothing better to bring back: a fresh journal is right
    return "missing" if not os.path.lexists(path) else "empty"


def open_journal(path: Path | None = None, backups_dir: Path | None = None,
                 today: date | None = None) -> tuple[Journal, list[str]]:
    """`prepare_journal` then `Journal(path)`: the one call the app makes at start."""
    path = Path(path or paths.journal_file())
    notices = prepare_journal(path, backups_dir, today)
    try:
        return Journal(path), notices
    except JournalError as exc:
        if exc.kind != "corrupt":
            raise
    # Damage that only showed while migrating (rare): recover once more and try again.
    notices.append(recover(path, backups_dir))
    journal = Journal(path)
    forget_note(path)
    return journal, notices


def recover(path: Path, backups_dir: Path | None = None, reason: str = "damaged") -> str:
    """Put the journal aside, restore the newest healthy backup; returns the notice.

    The backup is copied to a staging file *before* anything is moved, so a full disk or a
    read-only folder stops the recovery with every file still where it was."""
    good = backups.best_backup(backups_dir)
    staged = _staged(path)
    if good is not None:
        backups.copy_database(good.path, staged)
    aside = aside_name(path) if _any_file(path) else None
    notice = _notice(reason, aside, good)
    note = _note(path)
    try:
        write_private(note, json.dumps({"notice": notice}).encode())
        backups.fsync_dir(path.parent)
        if aside is not None:
            move_aside(path, aside)
        if good is not None:
            os.replace(staged, path)
            backups.fsync_dir(path.parent)
    except OSError as exc:
        if not path.exists():       # moved aside but not replaced: the next start finishes
            raise explain_os(exc, path) from exc
        staged.unlink(missing_ok=True)          # only a copy of a backup
        note.unlink(missing_ok=True)
        raise explain_os(exc, path) from exc
    return notice


def aside_name(path: Path, when: datetime | None = None) -> Path:
    """`<name>.damaged-YYYYmmdd-HHMMSS[-N]`, free for the journal and its -wal and -shm."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 2
    while any(os.path.lexists(str(target) + s) for s in ("", *SIDECARS)):
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
        counter += 1
    return target


def move_aside(path: Path, target: Path | None = None) -> Path:
    """Rename the journal and its -wal/-shm to `target` (default: a fresh `aside_name`).

    The sidecars move first: a -wal left beside a restored journal would be replayed into it,
    and if the process is killed in between, the journal itself is still where it was."""
    target = target or aside_name(path)
    for suffix in (*SIDECARS, ""):
        source = Path(str(path) + suffix)
        if os.path.lexists(source):
            os.rename(source, str(target) + suffix)
    return target


def finish_interrupted_restore(path: Path) -> list[str]:
    """A restore killed part-way: finish it (never start an empty journal over a staged copy)
    and tell the person what it did, from the note written before anything was moved."""
    staged, note = _staged(path), _note(path)
    notice = _read_note(note)
    try:
        if staged.exists() and not os.path.lexists(path):
            if any(os.path.lexists(str(path) + s) for s in SIDECARS):
                move_aside(path)    # a stray -wal must never be replayed into the copy
            os.replace(staged, path)
            backups.fsync_dir(path.parent)
        elif staged.exists():
            # Killed before the journal was moved: it is all still there, and the check that
            # follows starts the restore again from the beginning (with a fresh notice).
            staged.unlink()
            notice = None
    except OSError as exc:
        raise explain_os(exc, path) from exc
    if notice is None:
        return []
    return ["Secure Base was stopped last time while it was restoring your journal, and "
            "has finished that now. " + notice]


def forget_note(path: Path) -> None:
    """The person has the notice in hand (it goes to the window next): drop the note."""
    try:
        _note(path).unlink(missing_ok=True)
    except OSError:
        pass                        # told twice is better than a start that fails


def damaged_copies(path: Path | None = None) -> list[Path]:
    """Every damaged journal set aside so far (the main files; each may have -wal / -shm)."""
    path = Path(path or paths.journal_file())
    return sorted(p for p in path.parent.glob(f"{path.name}.damaged-*")
                  if not p.name.endswith(SIDECARS))


def _daily(path: Path, backups_dir: Path | None, today: date) -> list[str]:
    """Today's copy and, with it (so once a day), a word if the clock looks wrong."""
    try:
        made = backups.daily_backup(path, backups_dir, today)
    except JournalError as exc:
        # The journal itself is fine; a missing safety copy must not keep the person out.
        return [f"Today's safety copy of your journal could not be made. {exc}"]
    if made is None:
        return []
    earlier = [b for b in backups.survey(backups_dir)[0] if b.path != made]
    said = clock_notice(today, read_content(path), backups.newest_days(earlier))
    return [said] if said else []


def _private(path: Path) -> list[str]:
    """The data folder and everything in it owner-only (an earlier version left `cache/` and
    `audio/` open); said once, because once put right there is nothing more to say."""
    home = paths.data_dir()
    if path.parent.resolve() != home.resolve():
        return []
    said = tighten_notice(home, tighten(home))
    return [said] if said else []


def _staged(path: Path) -> Path:
    return path.with_name(path.name + ".restoring")


def _note(path: Path) -> Path:
    return path.with_name(path.name + ".recovering")


def _read_note(note: Path) -> str | None:
    try:
        notice = json.loads(note.read_text(encoding="utf-8"))["notice"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return notice if isinstance(notice, str) else None


def _any_file(path: Path) -> bool:
    return any(os.path.lexists(str(path) + s) for s in ("", *SIDECARS))


def _has_data(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size > 0
    except OSError:
        return False


def _notice(reason: str, aside: Path | None, good: backups.Backup | None) -> str:
    what = {"damaged": "Your journal file could not be read properly, so Secure Base set it "
                       "aside and ",
            "empty": "Your journal file was empty, so Secure Base set it aside and ",
            "missing": "Secure Base could not find your journal file, so it ",
            "folder": "Where your journal file belongs there was a folder, so Secure Base "
                      "moved that folder aside and "}[reason]
    thing = "folder, with everything in it," if reason == "folder" else f"{reason} file"
    kept = ("" if aside is None else f" Nothing has been deleted: the {thing} is kept at "
            f"{aside} in case it is needed later.")
    if good is None:
        return (what + "started a fresh journal (there was no safety copy to bring back)."
                + kept)
    held = good.content.sessions if good.content else 0
    restart = (" If you meant to start afresh, Settings → Your data → Delete all my data does "
               "that." if reason in ("empty", "missing") else "")
    return (what + f"brought back the safety copy from {good.label}, with {held:,} "
            f"session{'s' if held != 1 else ''}. Anything recorded after that copy is not in "
            "the journal now." + kept + restart)
