"""Exports carry the same truth as the view and the PDF: every session with how it ended and
whether the averages count it, and the plain statement of what they leave out."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date

from app.core.progress_text import EXCLUSIONS
from app.storage.export import DateRange, export_csv, export_json
from app.storage.importer import import_json
from app.storage.journal import Journal
from tests.support.known import THE_WEEK, write

EXPECTED = [  # started_at, practice, outcome, before, after, change, in_averages
    ("2026-11-24T08:10:00+01:00", "Unblending", "finished", 7, 4, -3, True),
    ("2026-11-25T20:30:00+01:00", "Building Self-energy", "finished", 6, 5, -1, True),
    ("2026-11-26T12:00:00+01:00", "Unblending", "grounded", 8, 6, -2, False),
    ("2026-11-27T07:45:00+01:00", "Building Self-energy", "finished", 5, 5, 0, True),
    ("2026-11-29T08:00:00+01:00", "Unblending", "stopped early", 6, None, None, False),
    ("2026-11-29T21:15:00+01:00", "Unblending", "finished", 4, 2, -2, True),
]


def test_json_lists_each_session_with_its_outcome_and_states_the_exclusions(journal, tmp_path):
    ids = write(journal, THE_WEEK)
    out = tmp_path / "week.json"
    export_json(journal, out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["progress"]["about"] == EXCLUSIONS
    rows = data["progress"]["sessions"]
    assert [r["session_id"] for r in rows] == ids
    assert [(r["started_at"], r["practice"], r["outcome"], r["before"], r["after"], r["change"],
             r["in_averages"]) for r in rows] == EXPECTED
    assert "grounded" in EXCLUSIONS.lower() and "left out of the averages" in EXCLUSIONS
    # still an export that imports: the progress section is information, not data
    fresh = Journal(tmp_path / "fresh.db")
    assert import_json(fresh, out)["sessions"] == len(THE_WEEK)
    fresh.close()


def test_an_interrupted_session_says_so(journal, tmp_path):
    sid = journal.start_session("unblending", "Unblending")
    out = tmp_path / "open.json"
    export_json(journal, out)
    (row,) = json.loads(out.read_text(encoding="utf-8"))["progress"]["sessions"]
    assert (row["session_id"], row["outcome"], row["in_averages"]) == (sid, "interrupted", False)


def test_csv_has_a_progress_table_and_the_statement(journal, tmp_path):
    write(journal, THE_WEEK)
    out = tmp_path / "week.zip"
    export_csv(journal, out, DateRange(date(2026, 11, 26), date(2026, 11, 29)))
    with zipfile.ZipFile(out) as archive:
        rows = list(csv.DictReader(io.StringIO(
            archive.read("progress.csv").decode("utf-8-sig"), newline="")))
        about = archive.read("about-progress.txt").decode("utf-8")
    assert list(rows[0]) == ["session_id", "started_at", "practice", "outcome", "before",
                             "after", "change", "in_averages"]
    assert [(r["outcome"], r["before"], r["after"], r["change"], r["in_averages"])
            for r in rows] == [("grounded", "8", "6", "-2", "no"),
                               ("finished", "5", "5", "0", "yes"),
                               ("stopped early", "6", "", "", "no"),
                               ("finished", "4", "2", "-2", "yes")]
    assert about.strip() == EXCLUSIONS
