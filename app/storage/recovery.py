"""Opening the journal safely: check it, recover from damage, make the daily copy.

Nothing here ever deletes or overwrites the person's journal. A damaged file is *renamed* next
to itself (`journal.db.damaged-20260304-101500`, with its -wal and -shm), a healthy backup is
put in its place, and the person is told in plain words what happened and where the damaged
copy is. Locks, permissions and a full disk are never mistaken for damage: those raise a
JournalError with a clear message and leave every file exactly as it was.
"""
from __future__ import annotations

import os
import sqlite3
from datetime import date, datetime
from pathlib import Path

from app import paths
from app.storage import backup as backups
from app.storage.errors import JournalError, explain, explain_os, is_damage
from app.storage.journal import Journal

SIDECARS = ("-wal", "-shm")

# PRAGMA integrity_check, not quick_check: on a 10-year demo journal (3,650 sessions, ~36,000
# body marks, ~62,000 step events, 11 MB) the full check took 0.08-0.09 s on a 2-core CI-class
# machine (quick_check 0.035 s). Affordable once per start, and unlike quick_check it also
# verifies every index against its table.
CHECK_SQL = "PRAGMA integrity_check(20)"


def check_integrity(path: Path) -> str | None:
    """None if the journal is healthy (or does not exist yet); otherwise what is wrong.

    Raises JournalError for anything that is not damage (locked, unreadable folder, …)."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        # Read-only on purpose: a read-write connection to a damaged file deletes its -wal on
        # close (measured), and could checkpoint into it. The evidence must stay as it was.
        conn = backups.connect_read_only(path)
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
    notices: list[str] = []
    _finish_interrupted_restore(path)
    damage = check_integrity(path)
    if damage is not None:
        notices.append(recover(path, backups_dir))
    try:
        backups.daily_backup(path, backups_dir, today)
    except JournalError as exc:
        # The journal itself is fine; a missing safety copy must not keep the person out.
        notices.append(f"Today's safety copy of your journal could not be made. {exc}")
    return notices


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
    return Journal(path), notices


def recover(path: Path, backups_dir: Path | None = None) -> str:
    """Put the damaged journal aside, restore the newest healthy backup; returns the notice.

    The backup is copied to a staging file *before* anything is moved, so a full disk or a
    read-only folder stops the recovery with every file still where it was."""
    good = backups.latest_healthy(backups_dir)
    staged = path.with_name(path.name + ".restoring")
    if good is not None:
        backups.copy_database(good.path, staged)
    try:
        aside = move_aside(path)
    except OSError as exc:
        staged.unlink(missing_ok=True)          # only a copy of a backup
        raise explain_os(exc, path) from exc
    if good is not None:
        try:
            os.replace(staged, path)
        except OSError as exc:
            raise explain_os(exc, path) from exc
    return _notice(aside, good)


def move_aside(path: Path, when: datetime | None = None) -> Path:
    """Rename the journal and its -wal/-shm to `<name>.damaged-YYYYmmdd-HHMMSS[-N]`.

    The sidecars move too: a -wal left behind would be replayed into the restored journal."""
    stamp = (when or datetime.now()).strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    counter = 2
    while any(Path(str(target) + s).exists() for s in ("", *SIDECARS)):
        target = path.with_name(f"{path.name}.damaged-{stamp}-{counter}")
        counter += 1
    for suffix in ("", *SIDECARS):
        source = Path(str(path) + suffix)
        if source.exists():
            os.rename(source, str(target) + suffix)
    return target


def _finish_interrupted_restore(path: Path) -> None:
    """A restore that stopped between moving the damaged file aside and renaming the staged
    backup in leaves no journal but a complete `.restoring` copy: finish it rather than start
    an empty journal."""
    staged = path.with_name(path.name + ".restoring")
    if staged.exists() and not path.exists():
        try:
            os.replace(staged, path)
        except OSError as exc:
            raise explain_os(exc, path) from exc


def damaged_copies(path: Path | None = None) -> list[Path]:
    """Every damaged journal set aside so far (the main files; each may have -wal / -shm)."""
    path = Path(path or paths.journal_file())
    return sorted(p for p in path.parent.glob(f"{path.name}.damaged-*")
                  if not p.name.endswith(SIDECARS))


def _notice(aside: Path, good: backups.Backup | None) -> str:
    kept = (f"Nothing has been deleted: the damaged file is kept at {aside} in case it is "
            "needed later.")
    if good is None:
        return ("Your journal file could not be read properly, so Secure Base set it aside and "
                "started a fresh journal (there was no safety copy to bring back). " + kept)
    return ("Your journal file could not be read properly, so Secure Base set it aside and "
            f"brought back the safety copy from {good.label}. Anything recorded after that "
            "copy is not in the journal now. " + kept)
