"""What a journal file holds, read without changing it: how many records, how far its ids have
got, and when its newest entry was written.

Backups are chosen and rotated by this, not by the dates in their names: a computer whose clock
once said 2099 names a backup `journal-2099-…`, and a clock set back names a new backup as if it
were old. What a copy *holds* cannot lie that way. The journal only grows (nothing in the app
deletes records except undoing a body mark and "delete all my data", which removes the backups
too), and SQLite gives each new row a larger id than the last, so the copy with the most records
and the highest ids is the newest one, whatever the clock said when it was made.
"""
from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

# Tables whose rows are the person's records (settings are preferences, not records).
RECORD_TABLES = ("sessions", "step_events", "checkins", "body_marks", "parts", "part_links")
# The time column of each dated table: the newest row's time is the newest entry's time.
TIMED = {"sessions": "started_at", "step_events": "at", "checkins": "at", "body_marks": "at"}
SQLITE_HEADER = b"SQLite format 3\x00"
# How long to wait for another connection's write lock (the same as Journal's own timeout).
BUSY_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class Content:
    counts: dict[str, int]          # rows per record table (0 for a table that is not there)
    last_ids: dict[str, int]        # the largest id per record table
    latest_at: str | None           # ISO time of the newest dated entry, None if there is none

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    @property
    def sessions(self) -> int:
        return self.counts.get("sessions", 0)

    @property
    def order(self) -> tuple[int, int]:
        """Newer copies sort later: more records first, then ids that have got further."""
        return (self.records, sum(self.last_ids.values()))


def connect_read_only(path: Path, untouched: bool = False) -> sqlite3.Connection:
    """A connection that can never change the file or its -wal (it still reads the -wal), and
    keeps SQLite's temporary sorts in memory rather than in the shared /tmp.

    `untouched`: not even an empty -wal and -shm beside a WAL-mode file (SQLite makes them to
    read one). Only when there is no -wal, so no writer is open and nothing waits in one."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    # In a read-only folder SQLite cannot make the -shm it needs to read a WAL-mode file; with
    # no -wal there, nothing can be waiting to be read, so the file is read as it stands.
    frozen = untouched or not os.access(path.parent, os.W_OK)
    if frozen and not os.path.lexists(f"{path}-wal"):
        uri += "&immutable=1"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S)
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def has_sqlite_header(path: Path) -> bool:
    """False for a file that is not SQLite at all (garbage, one stray byte, text)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except OSError:
        return False


def read_content(path: Path, untouched: bool = False) -> Content | None:
    """What the SQLite file at `path` holds, or None when it cannot be read as one (missing,
    a folder, not SQLite, damaged). A valid file with no tables holds zero records."""
    try:
        if not path.is_file() or not has_sqlite_header(path):
            return None
        conn = connect_read_only(path, untouched)
        try:
            return _read(conn)
        finally:
            conn.close()
    except (sqlite3.Error, OSError):
        return None


def _read(conn: sqlite3.Connection) -> Content:
    present = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    counts, last_ids, times = {}, {}, []
    for table in RECORD_TABLES:
        if table not in present:
            counts[table] = last_ids[table] = 0
            continue
        count, last = conn.execute(f"SELECT count(*), max(id) FROM [{table}]").fetchone()
        counts[table], last_ids[table] = count, last or 0
        if table in TIMED and last:
            # the time of the row written last (largest id), not max(time): a clock that was
            # once far ahead must not make an old row look like the newest
            row = conn.execute(f"SELECT [{TIMED[table]}] FROM [{table}] WHERE id = ?",
                               (last,)).fetchone()
            if row and row[0]:
                times.append(str(row[0]))
    return Content(counts, last_ids, max(times) if times else None)


def holds_nothing(path: Path) -> bool:
    """True when the journal file has no records to lose: missing, empty (0 bytes), or a valid
    SQLite file without records (e.g. a fresh schema). A damaged file is not "nothing"."""
    if not os.path.lexists(path):
        return True
    if path.is_file() and path.stat().st_size == 0:
        return True
    content = read_content(path)
    return content is not None and content.records == 0
