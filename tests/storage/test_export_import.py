"""Export (CSV, JSON, date ranges) and import (validated, all or nothing, exact round trip)."""
from __future__ import annotations

import csv
import io
import json
import os
import zipfile
from datetime import date

import pytest

from app.core.records import BodyMark, CheckIn, Part
from app.storage.errors import JournalError
from app.storage.export import TABLES, DateRange, export_csv, export_json
from app.storage.importer import ImportProblem, import_json
from app.storage.journal import Journal

PROGRESS = ["progress.csv", "about-progress.txt"]      # tests/storage/test_export_progress.py


def without_time(path):
    data = json.loads(path.read_text(encoding="utf-8"))
    data.pop("exported_at")
    return data


def test_json_round_trip_is_exact(demo_journal, tmp_path):
    demo_journal.add_part(Part("Ünïcode “quotes”\nand a new line", notes="=1+1"))
    demo_journal.add_body_mark(BodyMark("back", "upper-spine", 4, 0.123456789, 0.5,
                                        note="no session"))
    demo_journal.set_setting("streaks", {"on": False, "list": [1, 2]})
    first = tmp_path / "first.json"
    export_json(demo_journal, first)
    fresh = Journal(tmp_path / "fresh.db")
    counts = import_json(fresh, first)
    assert counts == demo_journal.counts()
    second = tmp_path / "second.json"
    export_json(fresh, second)
    fresh.close()
    assert without_time(first) == without_time(second)
    assert first.read_text().splitlines()[5:] == second.read_text().splitlines()[5:]


def test_json_says_what_it_is(demo_journal, tmp_path):
    out = tmp_path / "j.json"
    export_json(demo_journal, out, DateRange(date(2026, 2, 1), None))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["format"] == "securebase-journal"
    assert data["schema_version"] == demo_journal.schema_version
    assert data["exported_at"][:4].isdigit() and data["range"] == {"from": "2026-02-01",
                                                                   "to": None}
    assert list(data["tables"]) == list(TABLES)
    assert oct(os.stat(out).st_mode & 0o777) == "0o600"


def test_date_range_keeps_sessions_their_records_and_all_parts(demo_journal, tmp_path):
    demo_journal.add_body_mark(BodyMark("front", "throat", 3, at="2026-02-10T09:00:00+01:00"))
    demo_journal.add_body_mark(BodyMark("front", "throat", 3, at="2026-01-10T09:00:00+01:00"))
    demo_journal.add_checkin(CheckIn("standalone", 4, at="2026-02-28T21:00:00+01:00"))
    out = tmp_path / "feb.json"
    export_json(demo_journal, out, DateRange(date(2026, 2, 1), date(2026, 2, 28)))
    tables = json.loads(out.read_text(encoding="utf-8"))["tables"]
    sessions = {s["id"] for s in tables["sessions"]}
    assert sessions and all("2026-02-01" <= s["started_at"][:10] <= "2026-02-28"
                            for s in tables["sessions"])
    expected = {s.id for s in demo_journal.sessions("2026-02-01", "2026-02-28")}
    assert sessions == expected
    for name in ("step_events", "checkins", "body_marks"):
        assert tables[name] and all(r["session_id"] in sessions or r["session_id"] is None
                                    for r in tables[name])
    loose = [m["at"] for m in tables["body_marks"] if m["session_id"] is None]
    assert "2026-02-10T09:00:00+01:00" in loose and "2026-01-10T09:00:00+01:00" not in loose
    assert any(c["phase"] == "standalone" for c in tables["checkins"])
    assert len(tables["parts"]) == demo_journal.counts()["parts"]
    fresh = Journal(tmp_path / "feb.db")               # a range export imports cleanly too
    assert import_json(fresh, out)["sessions"] == len(sessions)
    fresh.close()


def read_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf")                   # BOM: spreadsheets see UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def test_csv_folder_has_one_file_per_table_with_headers(demo_journal, tmp_path):
    demo_journal.add_part(Part("Crítico", notes='says "never",\nthen =SUM(A1)'))
    out = tmp_path / "csv"
    export_csv(demo_journal, out)
    assert sorted(p.name for p in out.iterdir()) == sorted([f"{t}.csv" for t in TABLES]
                                                           + PROGRESS)
    sessions = read_csv((out / "sessions.csv").read_bytes())
    assert len(sessions) == demo_journal.counts()["sessions"]
    assert list(sessions[0])[:4] == ["id", "practice_id", "practice_title", "started_at"]
    date.fromisoformat(sessions[0]["started_at"][:10])
    parts = read_csv((out / "parts.csv").read_bytes())
    assert parts[-1]["name"] == "Crítico"
    assert parts[-1]["notes"] == 'says "never",\nthen =SUM(A1)'       # quoted, not split
    marks = read_csv((out / "body_marks.csv").read_bytes())
    assert set(marks[0]) >= {"at", "view", "region", "x", "y", "intensity", "qualities"}
    assert read_csv((out / "settings.csv").read_bytes()) == []


def test_csv_cells_that_look_like_formulas_stay_text(journal, tmp_path):
    journal.add_part(Part("=HYPERLINK(\"x\")", notes="+1 felt better"))
    export_csv(journal, tmp_path / "csv")
    [row] = read_csv((tmp_path / "csv" / "parts.csv").read_bytes())
    assert row["name"] == "'=HYPERLINK(\"x\")" and row["notes"] == "'+1 felt better"


def test_csv_zip_and_range(demo_journal, tmp_path):
    out = tmp_path / "export.zip"
    report = export_csv(demo_journal, out, DateRange(None, date(2026, 1, 31)))
    with zipfile.ZipFile(out) as archive:
        assert sorted(archive.namelist()) == sorted([f"{t}.csv" for t in TABLES] + PROGRESS)
        sessions = read_csv(archive.read("sessions.csv"))
    assert len(sessions) == report.counts["sessions"] > 0
    assert all(s["started_at"][:10] <= "2026-01-31" for s in sessions)


def test_export_refuses_to_overwrite_the_journal_or_misuse_a_folder(demo_journal, tmp_path):
    with pytest.raises(JournalError, match="journal itself"):
        export_json(demo_journal, demo_journal.path)
    with pytest.raises(JournalError, match="is a folder"):
        export_json(demo_journal, tmp_path)
    (tmp_path / "file.txt").write_text("keep me")
    with pytest.raises(JournalError, match="is a file"):
        export_csv(demo_journal, tmp_path / "file.txt")
    assert (tmp_path / "file.txt").read_text() == "keep me"


@pytest.mark.parametrize("content, words", [
    ("{not json", "not valid JSON (line 1"),
    ("[1, 2, 3]", "not a Secure Base export"),
    ('{"format": "securebase-journal", "schema_version": 99, "tables": {}}', "newer"),
    ('{"format": "securebase-journal", "schema_version": 1, "tables": []}', "tables:"),
    ('{"format": "securebase-journal", "schema_version": 2, "tables": {"secrets": []}}',
     "tables.secrets: not a journal table"),
    ('{"format": "securebase-journal", "schema_version": 2, "tables": {"sessions": '
     '[{"id": 1, "practice_id": 5, "started_at": "2026-01-01"}]}}',
     "tables.sessions[0].practice_id: should be text"),
    ('{"format": "securebase-journal", "schema_version": 2, "tables": {"sessions": '
     '[{"id": 1, "practice_id": "x"}]}}', "tables.sessions[0].started_at: a value is required"),
    ('{"format": "securebase-journal", "schema_version": 2, "tables": {"sessions": '
     '[{"id": 1, "practice_id": "x", "started_at": "t", "mood": 3}]}}', "mood: not a column"),
    ('{"format": "securebase-journal", "schema_version": 2, "tables": {"step_events": '
     '[{"id": 1, "session_id": 9, "kind": "started", "at": "2026-01-01T10:00:00+00:00"}]}}',
     "refers to sessions id 9"),
    ('{"format": "securebase-journal", "schema_version": 2, "tables": {"parts": '
     '[{"id": 1, "name": "a"}, {"id": 1, "name": "b"}]}}', "appears twice"),
])
def test_bad_files_get_a_clear_message_and_change_nothing(journal, tmp_path, content, words):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    with pytest.raises(ImportProblem) as info:
        import_json(journal, bad)
    assert words in str(info.value) and "Traceback" not in str(info.value)
    assert not any(journal.counts().values())


def test_binary_and_missing_files(journal, tmp_path):
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00\x81" * 10)
    with pytest.raises(ImportProblem, match="not a text file"):
        import_json(journal, binary)
    with pytest.raises(ImportProblem, match="no file"):
        import_json(journal, tmp_path / "missing.json")


def test_import_only_into_an_empty_journal(demo_journal, tmp_path):
    out = tmp_path / "all.json"
    export_json(demo_journal, out)
    before = demo_journal.counts()
    with pytest.raises(ImportProblem, match="already holds records"):
        import_json(demo_journal, out)
    assert demo_journal.counts() == before


@pytest.mark.parametrize("counts, said", [
    ({"sessions": 1, "checkins": 1, "body_marks": 0, "parts": 2, "step_events": 9},
     "Exported 1 session, 1 check-in, 0 body marks and 2 parts to "),
    ({"sessions": 1200, "checkins": 2, "body_marks": 1, "parts": 1},
     "Exported 1,200 sessions, 2 check-ins, 1 body mark and 1 part to "),
])
def test_the_export_summary_is_plain_english(tmp_path, counts, said):
    """review8: the window said "Exported 1 sessions, 1 checkins, 0 body marks, 0 parts",
    table names with their plurals, to the person."""
    from app.storage.export import ExportReport
    assert ExportReport(tmp_path / "out.json", counts).summary() == said + str(
        tmp_path / "out.json")
