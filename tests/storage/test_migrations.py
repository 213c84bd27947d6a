"""A journal written by an older version upgrades in place, keeping every record."""
from __future__ import annotations

import sqlite3

from sqlite_utils import Database

from app.storage.journal import Journal
from app.storage.migrations import MIGRATIONS, SCHEMA_VERSION


def make_v1(path):
    """A journal exactly as version 1 left it, with a few records."""
    db = Database(sqlite3.connect(path, isolation_level=None))
    with db.atomic():
        MIGRATIONS[0](db)
        db.execute("PRAGMA user_version = 1")
    db.execute("INSERT INTO sessions (practice_id, practice_title, started_at) "
               "VALUES ('unblending', 'Unblending', '2025-01-02T08:00:00+01:00')")
    db.execute("INSERT INTO checkins (session_id, phase, at, intensity, calm) "
               "VALUES (1, 'before', '2025-01-02T08:00:05+01:00', 7, 3)")
    db.execute("INSERT INTO body_marks (at, session_id, view, region, intensity) "
               "VALUES ('2025-01-02T08:03:00+01:00', 1, 'front', 'throat', 6)")
    db.conn.close()


def test_v1_journal_upgrades_in_place(tmp_path):
    path = tmp_path / "journal.db"
    make_v1(path)
    journal = Journal(path)
    try:
        assert SCHEMA_VERSION >= 2 and journal.schema_version == SCHEMA_VERSION
        assert journal.sessions()[0].practice_id == "unblending"
        assert journal.checkins(1)[0].self_energy == {"calm": 3}
        assert journal.body_marks()[0].region == "throat"
        indexes = {tuple(i.columns) for i in journal.db["checkins"].indexes}
        assert ("at",) in indexes
        plan = journal.db.execute("EXPLAIN QUERY PLAN SELECT * FROM checkins WHERE at >= ?",
                                  ["2025"]).fetchall()
        assert "idx_checkins_at" in str(plan)
    finally:
        journal.close()
    again = Journal(path)                       # running the migrations twice changes nothing
    assert again.schema_version == SCHEMA_VERSION and again.counts()["sessions"] == 1
    again.close()


def test_v1_schema_itself_is_unchanged(tmp_path):
    """Shipped steps are never edited: a fresh v1 still has exactly the v1 tables."""
    db = Database(memory=True)
    MIGRATIONS[0](db)
    assert set(db.table_names()) == {"sessions", "step_events", "checkins", "parts",
                                     "part_links", "body_marks", "settings"}
    assert not any(i.columns == ["at"] for i in db["checkins"].indexes)
