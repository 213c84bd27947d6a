"""Large inputs the journal must handle without stalling, shared by the tests that count the
work (tests/storage) and the bench that times it (bench/journal_io.py)."""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any

NOTE_STARTED = "2026-01-05T09:30:00+01:00"


def fill_wal(journal: Any, size: int) -> Path:
    """Commit rows one at a time, as the app does, until the journal's write-ahead log holds
    `size` bytes (automatic checkpoints off, so it keeps growing); the log's path."""
    from app.storage import wal
    log = wal.wal_path(journal.path)
    journal.db.execute("PRAGMA wal_autocheckpoint=0")
    count = 0
    while os.path.getsize(log) < size:
        with journal.db.atomic():
            journal.db.execute("INSERT INTO settings VALUES (?, ?)", (f"k{count}", "x" * 3000))
        count += 1
    return log


def write_note_file(path: Path, size: int) -> Path:
    """A journal export whose one session has a note `size` characters long."""
    with open(path, "w", encoding="utf-8") as handle:
        handle.write('{"format": "securebase-journal", "schema_version": 2, "tables": '
                     '{"sessions": [{"id": 1, "practice_id": "x", "started_at": "'
                     + NOTE_STARTED + '", "note": "')
        handle.write("a" * size)
        handle.write('"}]}}')
    return path
