"""Test helpers that read a journal file directly, as a person (or a crash) left it."""
from __future__ import annotations

import sqlite3
from pathlib import Path


def session_names(path: Path) -> list[str]:
    """practice_id of every session, read-only (the file and its -wal are left as they are)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in conn.execute("SELECT practice_id FROM sessions")]
    finally:
        conn.close()


def sessions_in(path: Path) -> int:
    return len(session_names(path))
