"""The journal writes each event at once, keeps the file private and explains failures."""
from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from app.core.records import BodyMark, CheckIn, Part, StepEvent
from app.storage.errors import JournalError
from app.storage.journal import Journal
from app.storage.migrations import SCHEMA_VERSION


def other_connection(path):
    return sqlite3.connect(path)


def test_each_event_is_visible_to_another_connection_immediately(journal):
    session = journal.start_session("unblending", "Unblending")
    journal.add_checkin(CheckIn("before", 6, {"calm": 3, "curiosity": 5}, session_id=session))
    event = journal.log_step(session, "arrive", "started")
    journal.add_body_mark(BodyMark("front", "chest-left", 7, 0.4, 0.3, ("tight", "heavy"),
                                   session_id=session, step_id="arrive"))
    reader = other_connection(journal.path)
    assert reader.execute("SELECT count(*) FROM step_events").fetchone() == (1,)
    # the id handed back is the row's own (the window's journal thread passes it on)
    assert reader.execute("SELECT id, step_id, kind FROM step_events").fetchone() == (
        event, "arrive", "started")
    assert reader.execute("SELECT intensity, calm, curiosity FROM checkins").fetchone() == (6, 3, 5)
    assert reader.execute("SELECT region, qualities FROM body_marks").fetchone() == (
        "chest-left", "tight,heavy")
    assert reader.execute("SELECT current_step FROM sessions").fetchone() == ("arrive",)


def test_file_and_wal_are_owner_only(journal):
    journal.start_session("x", "X")
    for suffix in ("", "-wal"):
        mode = stat.S_IMODE(os.stat(str(journal.path) + suffix).st_mode)
        assert mode == 0o600, (suffix, oct(mode))


def test_wal_and_full_sync(journal):
    assert journal.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert journal.db.execute("PRAGMA synchronous").fetchone()[0] == 2


def test_schema_is_versioned(journal):
    assert journal.schema_version == SCHEMA_VERSION >= 1


def test_session_lifecycle_and_resume(journal):
    first = journal.start_session("a", "A")
    journal.end_session(first, "completed", note="felt lighter")
    assert journal.unfinished_session() is None
    second = journal.start_session("b", "B")
    journal.log_step(second, "one", "started")
    journal.log_step(second, "one", "finished")
    journal.log_step(second, "two", "started")
    unfinished = journal.unfinished_session()
    assert unfinished.id == second and unfinished.current_step == "two"
    assert journal.step_events(second) == [("one", "started"), ("one", "finished"),
                                           ("two", "started")]
    assert journal.session(first).note == "felt lighter"
    assert journal.session(first).outcome == "completed"


def test_a_practice_left_ends_stopped_early_when_last_active(journal):
    """Not "now": a practice left on Monday and ended on Friday did not last until Friday."""
    left = journal.start_session("a", "A", at="2026-01-05T10:00:00+01:00")
    journal.log_step(left, "one", "started", at="2026-01-05T10:01:00+01:00")
    journal.add_body_mark(BodyMark("front", "chest", 3, session_id=left,
                                   at="2026-01-05T10:04:00+01:00"))
    unstarted = journal.start_session("b", "B", at="2026-01-06T10:00:00+01:00")
    done = journal.start_session("c", "C", at="2026-01-07T10:00:00+01:00")
    journal.end_session(done, "completed", at="2026-01-07T10:20:00+01:00")
    assert journal.stop_left(left) == 1 and journal.stop_left(left) == 0   # once
    assert journal.stop_left() == 1                                      # every one left
    ended = {s.id: (s.outcome, s.ended_at) for s in journal.sessions()}
    assert ended == {left: ("stopped_early", "2026-01-05T10:04:00+01:00"),
                     unstarted: ("stopped_early", "2026-01-06T10:00:00+01:00"),
                     done: ("completed", "2026-01-07T10:20:00+01:00")}


def test_body_marks_filter_and_delete(journal):
    ids = [journal.add_body_mark(BodyMark("back", "upper-back", i,
                                          at=f"2026-01-0{i}T10:00:00+00:00"))
           for i in range(1, 6)]
    assert [m.intensity for m in journal.body_marks("2026-01-02", "2026-01-04")] == [2, 3, 4]
    assert journal.delete_body_mark(ids[0]) and not journal.delete_body_mark(ids[0])
    assert len(journal.body_marks()) == 4


def test_parts_round_trip_and_archive(journal):
    part_id = journal.add_part(Part("The one who holds on", role="exile", fears="being left"))
    part = journal.part(part_id)
    assert part.fears == "being left" and not part.archived
    journal.update_part(Part(**{**part.__dict__, "archived": True}))
    assert journal.parts() == [] and journal.parts(include_archived=True)[0].archived


def test_settings_round_trip(journal):
    assert journal.setting("rate", 140) == 140
    journal.set_setting("rate", 130)
    journal.set_setting("rate", 125)
    assert journal.setting("rate") == 125


def test_bad_values_are_refused(journal):
    with pytest.raises(ValueError):
        journal.add_checkin(CheckIn("before", 11))
    with pytest.raises(ValueError):
        journal.add_checkin(CheckIn("before", 5, {"sparkle": 3}))
    with pytest.raises(ValueError):
        journal.end_session(journal.start_session("x", "X"), "exploded")


def test_locked_journal_gets_a_plain_message(journal):
    session = journal.start_session("x", "X")
    blocker = other_connection(journal.path)
    blocker.execute("BEGIN EXCLUSIVE")
    with pytest.raises(JournalError) as info:
        journal.log_step(session, "a", "started")
    assert info.value.kind == "locked" and "another copy" in str(info.value)
    # review8: a second copy cannot hold it (the instance lock); another program can
    assert "another program" in str(info.value)
    blocker.rollback()
    journal.log_step(session, "a", "started")


def test_not_a_database_is_reported_as_damaged(tmp_path):
    path = tmp_path / "journal.db"
    path.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(JournalError) as info:
        Journal(path)
    assert info.value.kind == "corrupt"


def test_memory_journal_for_tests():
    j = Journal(":memory:")
    j.start_session("x", "X")
    assert j.counts()["sessions"] == 1


def test_a_journal_in_a_folder_not_made_yet_makes_it_private(tmp_path):
    path = tmp_path / "new" / "deeper" / "journal.db"
    opened = Journal(path)
    try:
        assert path.is_file()
        assert stat.S_IMODE(os.stat(path.parent).st_mode) == 0o700
    finally:
        opened.close()


def test_sorts_stay_in_memory_never_in_shared_temp_files(journal):
    # SQLite otherwise writes big sorts to /var/tmp or /tmp as etilqs_* (GOTCHAS)
    assert journal.db.execute("PRAGMA temp_store").fetchone()[0] == 2      # MEMORY


def test_editing_a_part_keeps_when_it_was_first_described(journal):
    part_id = journal.add_part(Part(name="The Guard"))
    first = next(p for p in journal.parts() if p.id == part_id)
    assert first.created_at
    journal.update_part(Part(id=part_id, name="The Gentle Guard"))     # no created_at given
    again = next(p for p in journal.parts() if p.id == part_id)
    assert (again.name, again.created_at) == ("The Gentle Guard", first.created_at)


def test_a_record_pointing_at_no_session_is_refused_and_nothing_is_written(journal):
    """SQLite ignores declared references unless each connection turns them on: without it a
    step or check-in could be saved under a session that does not exist, and vanish from every
    view that joins on sessions."""
    with pytest.raises(JournalError):
        journal.log_step(12345, "arrive", StepEvent.STARTED)
    with pytest.raises(JournalError):
        journal.add_checkin(CheckIn(session_id=12345, phase="before", intensity=3))
    assert journal.counts()["step_events"] == 0 and journal.counts()["checkins"] == 0
