"""A body mark with its place only (strength not rated) is stored as NULL, survives every
path out of and into the journal, and journals from before keep every mark on upgrade."""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
import zipfile
from datetime import date
from pathlib import Path

import pytest

from sqlite_utils import Database

from app import paths
from app.core.progress import region_counts
from app.core.records import BodyMark
from app.core.trends import Span
from app.storage import helps_queries as hq
from app.storage.export import export_csv, export_json
from app.storage.importer import import_json
from app.storage.journal import Journal, before_migration_copy
from app.storage.migrations import MIGRATIONS, SCHEMA_VERSION
from app.storage.wipe import personal_files

AT = "2026-03-04T09:15:00+01:00"
MARKS = [("2025-01-02T08:03:00+01:00", 1, "throat", 6, None),
         ("2025-01-02T08:04:00+01:00", 1, "jaw", 0, "tight"),
         ("2025-01-02T08:05:00+01:00", None, "chest-left", 10, None),
         ("2025-01-02T08:06:00+01:00", 1, "solar-plexus", 3, None)]


def test_a_mark_with_its_place_only_is_stored_as_null(journal):
    mark_id = journal.add_body_mark(BodyMark("front", "throat", at=AT))
    row = journal.db.execute("SELECT intensity FROM body_marks WHERE id = ?",
                             [mark_id]).fetchone()
    assert row == (None,)
    assert journal.body_marks()[0].intensity is None


def make_v2(path) -> None:
    """A journal exactly as version 2 left it: intensity NOT NULL, and one mark whose part
    was deleted with foreign keys off (an old row the upgrade must keep as it is)."""
    db = Database(sqlite3.connect(path, isolation_level=None))
    for number, step in enumerate(MIGRATIONS[:2], start=1):
        with db.atomic():
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
    db.execute("INSERT INTO sessions (practice_id, started_at) "
               "VALUES ('unblending', '2025-01-02T08:00:00+01:00')")
    for at, session, region, intensity, qualities in MARKS:
        db.execute("INSERT INTO body_marks (at, session_id, view, region, x, y, intensity, "
                   "qualities) VALUES (?, ?, 'front', ?, 0.5, 0.25, ?, ?)",
                   [at, session, region, intensity, qualities])
    db.execute("INSERT INTO body_marks (at, view, region, intensity, part_id) "
               "VALUES ('2025-01-03T08:00:00+01:00', 'back', 'upper-spine', 2, 41)")
    db.conn.close()


def rows(path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT * FROM body_marks ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture
def v2(tmp_path) -> tuple[Path, list[tuple]]:
    """A version 2 journal file and its body marks as they were."""
    path = tmp_path / "journal.db"
    make_v2(path)
    return path, rows(path)


def test_a_v2_journal_keeps_every_mark_and_accepts_unrated_ones(v2):
    path, old = v2
    journal = Journal(path)
    try:
        assert journal.schema_version == SCHEMA_VERSION >= 3
        assert journal.db.execute("SELECT * FROM body_marks ORDER BY id").fetchall() == old
        assert journal.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        plan = str(journal.db.execute("EXPLAIN QUERY PLAN SELECT * FROM body_marks "
                                      "WHERE at >= ?", ["2025"]).fetchall())
        assert "idx_body_marks_at" in plan
        new = journal.add_body_mark(BodyMark("front", "throat", at=AT))
        assert new == len(old) + 1                 # ids go on where they were
        assert journal.body_marks()[-1].intensity is None
    finally:
        journal.close()


def test_the_journal_is_copied_whole_before_its_schema_changes(v2):
    path, old = v2
    Journal(path).close()
    copy = before_migration_copy(path)
    assert copy.name == f"journal.db.before-v{SCHEMA_VERSION}"
    assert rows(copy) == old
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    conn = sqlite3.connect(copy)
    assert conn.execute("PRAGMA user_version").fetchone() == (2,)
    conn.close()
    copy.write_bytes(b"kept")                      # a second start copies nothing again
    Journal(path).close()
    assert copy.read_bytes() == b"kept"


def test_a_new_journal_makes_no_copy(tmp_path):
    path = tmp_path / "journal.db"
    Journal(path).close()
    Journal(path).close()
    assert not before_migration_copy(path).exists()


def test_delete_all_my_data_includes_the_copy_made_before_an_upgrade(securebase_home):
    make_v2(paths.journal_file())
    Journal(paths.journal_file()).close()
    assert before_migration_copy(paths.journal_file()) in personal_files()


def add_marks(journal: Journal) -> None:
    for region, intensity in (("throat", 8), ("throat", None), ("jaw", None), ("throat", 6)):
        journal.add_body_mark(BodyMark("front", region, intensity, at=AT))


def test_sql_sums_skip_unrated_strengths_as_python_does(journal):
    add_marks(journal)
    span = Span(date(2026, 3, 1), date(2026, 3, 31))
    counts, _ = hq.marks_by_part(journal, span, span.midpoint.isoformat())
    assert counts == region_counts(journal.body_marks(), span.midpoint.isoformat())
    throat = next(c for c in counts if c.region == "throat")
    assert (throat.count, throat.rated_count, throat.mean_intensity) == (3, 2, 7.0)


def test_exports_leave_a_not_rated_strength_empty_and_import_keeps_it(journal, tmp_path):
    add_marks(journal)
    out = tmp_path / "export.json"
    export_json(journal, out)
    marks = json.loads(out.read_text(encoding="utf-8"))["tables"]["body_marks"]
    assert [m["intensity"] for m in marks] == [8, None, None, 6]
    fresh = Journal(tmp_path / "fresh.db")
    try:
        import_json(fresh, out)
        assert [m.intensity for m in fresh.body_marks()] == [8, None, None, 6]
    finally:
        fresh.close()
    zipped = tmp_path / "export.zip"
    export_csv(journal, zipped)
    with zipfile.ZipFile(zipped) as z:
        text = z.read("body_marks.csv").decode("utf-8-sig")
    assert [r["intensity"] for r in csv.DictReader(io.StringIO(text))] == ["8", "", "", "6"]
