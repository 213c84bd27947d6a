"""Import and the journal's own writes follow one set of rules (app.core.record_rules), and a
huge or hostile file is refused with a plain message before heavy work (issue 15, 13 and 15)."""
from __future__ import annotations

import json
import os
import sys
import threading
import tracemalloc
from pathlib import Path

import pytest

import app
from app.core.record_rules import NOTE_MAX, RULES, is_time, row_problems
from app.core.records import BodyMark, CheckIn, Part
from app.storage.errors import InvalidRecord, JournalError
from app.storage.export import export_json
from app.storage.importer import MAX_FILE_BYTES, ImportProblem, import_json
from app.storage.journal import Journal
from tests.support.big_files import write_note_file

T = "2026-01-05T09:30:00+01:00"


def export_file(tmp_path: Path, **tables: list[dict]) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"format": "securebase-journal", "schema_version": 2,
                                "tables": tables}), encoding="utf-8")
    return path


def refused(journal: Journal, path: Path) -> str:
    with pytest.raises(ImportProblem) as info:
        import_json(journal, path)
    assert not any(journal.counts().values())          # all or nothing
    return str(info.value)


SESSION = {"id": 1, "practice_id": "grounding", "practice_title": "Grounding", "started_at": T}
PARTS = [{"id": 1, "name": "Critic"}, {"id": 2, "name": "Soother"}]


@pytest.mark.parametrize("tables, words", [
    ({"checkins": [{"id": 1, "phase": "before", "at": T, "intensity": 99}]},
     "tables.checkins[0].intensity: should be a whole number from 0 to 10"),
    ({"checkins": [{"id": 1, "phase": "before", "at": T, "calm": -1}]},
     "tables.checkins[0].calm: should be a whole number from 0 to 10"),
    ({"checkins": [{"id": 1, "phase": "sideways", "at": T}]}, "phase: should be one of"),
    ({"parts": PARTS, "part_links": [{"id": 1, "from_part": 1, "to_part": 2,
                                      "kind": "marries"}]},
     "tables.part_links[0].kind: should be one of polarised, protects"),
    ({"parts": PARTS, "part_links": [{"id": 1, "from_part": 1, "to_part": 1,
                                      "kind": "protects"}]}, "cannot be linked with itself"),
    ({"sessions": [{**SESSION, "started_at": "not a date"}]},
     "tables.sessions[0].started_at: should be a date and time with its UTC offset"),
    ({"sessions": [{**SESSION, "started_at": "2026-01-05T09:30:00"}]}, "UTC offset"),
    ({"sessions": [{**SESSION, "ended_at": "yesterday"}]}, "sessions[0].ended_at"),
    ({"sessions": [{**SESSION, "outcome": "exploded"}]}, "outcome: should be one of"),
    ({"sessions": [{**SESSION, "note": "x" * (NOTE_MAX + 1)}]}, "note: is too long"),
    ({"parts": [{"id": 1, "name": "\u200b\u200b \u2060"}]}, "name: should not be empty"),
    ({"parts": [{"id": 1, "name": "A", "role": "king"}]}, "role: should be one of"),
    ({"parts": [{"id": 1, "name": "A", "colour": "red; evil"}]}, "colour: "),
    ({"parts": [{"id": 1, "name": "A", "where_felt": "heart-area,<b>x</b>"}]}, "where_felt"),
    ({"body_marks": [{"id": 1, "at": T, "view": "side", "region": "chest", "intensity": 3}]},
     "view: should be one of front, back"),
    ({"body_marks": [{"id": 1, "at": T, "view": "front", "region": "chest", "intensity": 3,
                      "x": 7.5}]}, "x: should be between 0 and 1"),
    ({"body_marks": [{"id": 1, "at": T, "view": "front", "region": "chest", "intensity": 3,
                      "qualities": "tight,evil"}]}, "qualities: holds 'evil'"),
    ({"settings": [{"key": "theme", "value": "not json"}]}, "value: should be a JSON value"),
    ({"step_events": [{"id": 1, "kind": "started", "at": T, "session_id": -4}]},
     "session_id: should be a whole number from 1 up"),
])
def test_import_refuses_what_the_app_would_refuse(journal, tmp_path, tables, words):
    assert words in refused(journal, export_file(tmp_path, **tables))


def test_the_journal_refuses_the_same_things_itself(journal):
    session = journal.start_session("grounding", "Grounding")
    a, b = journal.add_part(Part("Critic")), journal.add_part(Part("Soother"))
    attempts = [
        lambda: journal.link_parts(a, b, "marries"),
        lambda: journal.add_checkin(CheckIn("before", 99, session_id=session)),
        lambda: journal.add_checkin(CheckIn("before", 3, at="not a date")),
        lambda: journal.add_body_mark(BodyMark("side", "chest", 3)),
        lambda: journal.end_session(session, "completed", "x" * (NOTE_MAX + 1)),
        lambda: journal.add_part(Part("\u200b\ufeff")),
        lambda: journal.update_part(Part("A", role="king", id=a)),
    ]
    for attempt in attempts:
        with pytest.raises(InvalidRecord) as info:
            attempt()
        assert "could not be saved" in str(info.value) and "Nothing was changed" in str(info.value)
        assert isinstance(info.value, JournalError)
    assert journal.part_links() == [] and journal.part(a).role == "unsure"
    assert journal.session(session).note is None and journal.checkins() == []


def test_everything_the_app_writes_passes_the_rules(demo_journal):
    for table in RULES:
        rows = demo_journal.db.execute(f"SELECT * FROM [{table}]")
        names = [c[0] for c in rows.description]
        for row in rows.fetchall():
            assert row_problems(table, dict(zip(names, row))) == [], (table, row)


def test_export_then_import_still_round_trips(demo_journal, tmp_path):
    out = tmp_path / "all.json"
    export_json(demo_journal, out)
    other = Journal(tmp_path / "other.db")
    try:
        assert import_json(other, out)["sessions"] == demo_journal.counts()["sessions"]
    finally:
        other.close()


@pytest.mark.parametrize("text", ["2026-03-04T09:15:00+01:00", "2026-03-04 09:15:00Z",
                                  "2026-03-04T09:15:00.123456-05:30"])
def test_times_with_an_offset_are_times(text):
    assert is_time(text)


@pytest.mark.parametrize("text", ["not a date", "2026-03-04", "2026-03-04T09:15:00",
                                  "2026-13-04T09:15:00+01:00", "2026-03-04T09:15:00+01:00" * 3])
def test_anything_else_is_not(text):
    assert not is_time(text)


# -- big and hostile files: refused before heavy work -----------------------------------------

def refused_measured(journal, path: Path) -> tuple[str, int]:
    """The refusal and the most memory Python held meanwhile: what "unread" means here,
    counted rather than timed so a busy machine cannot fail it."""
    tracemalloc.start()
    try:
        message = refused(journal, path)
        return message, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_file_larger_than_any_export_is_refused_unread(journal, tmp_path):
    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)                  # sparse: no disk used
    message, peak = refused_measured(journal, huge)
    assert peak < 1_000_000                                  # unread: not even a megabyte
    assert "larger than" in message and "Nothing was changed" in message


def test_a_100_mb_note_is_refused_unread(journal, tmp_path):
    path = write_note_file(tmp_path / "note.json", 100_000_000)
    message, peak = refused_measured(journal, path)
    assert peak < 1_000_000                                  # unread: 100 MB not loaded
    assert "larger than 64 MB" in message


class TooManySteps(Exception):
    pass


def refused_counted(journal, path: Path, limit: int) -> tuple[str, int]:
    """The refusal and how many lines of the app's Python ran for it: the import's checks must
    not walk a long text character by character in Python. Counted, not timed, so a busy machine
    cannot fail it; a tracer stops a runaway count early. A tracer already installed (the
    mutation run's map of which test runs which line) keeps running inside this one and is
    given back afterwards."""
    app_dir = str(Path(app.__file__).parent)
    before = sys.gettrace()
    steps = 0

    def chained(inner):
        def local(frame, event, arg):
            nonlocal inner, steps
            if inner is not None:
                inner = inner(frame, event, arg)
            if event == "line":
                steps += 1
                if steps > limit:
                    raise TooManySteps(steps)
            return local
        return local

    def tracer(frame, event, arg):
        inner = before(frame, event, arg) if before is not None else None
        if frame.f_code.co_filename.startswith(app_dir):
            return chained(inner)
        return inner
    sys.settrace(tracer)
    try:
        return refused(journal, path), steps
    finally:
        sys.settrace(before)


def test_a_long_note_in_a_file_of_plausible_size_is_named_without_walking_it(journal, tmp_path):
    path = write_note_file(tmp_path / "note.json", 5_000_000)
    message, steps = refused_counted(journal, path, limit=50_000)
    assert "tables.sessions[0].note: is too long (5,000,000 characters; at most 20,000)" \
        in message
    assert steps < 5_000, steps


def test_counting_gives_back_a_tracer_already_running(journal, tmp_path):
    """The mutation run traces which test runs which line: a test that dropped that tracer
    left every later test file of its worker unmapped (36 of 117 files, 30 Nov)."""
    app_dir = str(Path(app.__file__).parent)
    before, seen = sys.gettrace(), set()

    def outer(frame, event, arg):
        if frame.f_code.co_filename.startswith(app_dir):
            seen.add(frame.f_code.co_name)
        return None
    sys.settrace(outer)
    try:
        refused_counted(journal, write_note_file(tmp_path / "note.json", 30_000), 50_000)
        after = sys.gettrace()
    finally:
        sys.settrace(before)
    assert after is outer and "import_json" in seen


def test_deeply_nested_json_is_not_an_unexpected_error(journal, tmp_path, capsys):
    from app.__main__ import main
    path = tmp_path / "deep.json"
    path.write_text("[" * 200_000 + "]" * 200_000)
    assert "nested far more deeply" in refused(journal, path)
    assert main(["import", str(path), "--journal", str(tmp_path / "new.db")]) == 1
    out, err = capsys.readouterr()
    assert "nested far more deeply" in err and "unexpected" not in err
    assert "Traceback" not in out + err


def test_a_pipe_is_refused_without_waiting_for_it(tmp_path):
    from app.storage.importer import check_file
    pipe = tmp_path / "in.json"
    os.mkfifo(pipe)
    result: list[str] = []

    def run() -> None:
        try:
            check_file(pipe)
        except ImportProblem as exc:
            result.append(str(exc))

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(10)
    assert result and "not a regular file" in result[0]


def test_two_imports_at_once_into_one_journal(demo_journal, tmp_path):
    """The second waits for the first, then says the journal holds records — not
    "UNIQUE constraint failed: parts.id"."""
    out = tmp_path / "all.json"
    export_json(demo_journal, out)
    target = tmp_path / "target.db"
    Journal(target).close()
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def run() -> None:
        journal = Journal(target)
        try:
            barrier.wait()
            import_json(journal, out)
            outcomes.append("imported")
        except JournalError as exc:
            outcomes.append(str(exc))
        finally:
            journal.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes)[-1] == "imported", outcomes
    assert "already holds records" in sorted(outcomes)[0], outcomes
    assert "UNIQUE" not in " ".join(outcomes)
