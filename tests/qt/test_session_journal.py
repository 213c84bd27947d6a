"""SessionRunner through the JournalService: every event committed as it happens, in order,
off the GUI thread; on a full disk the practice goes on and nothing is lost."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.core.session import SessionRunner, State
from app.qt.journal_service import JournalProblem, JournalService
from app.qt.session_journal import SessionJournal
from tests.support.disk import tiny_disk  # noqa: F401  (a fixture)
from tests.support.journal import read_now
from tests.support.factories import tiny_practice


def sit_through(runner: SessionRunner) -> None:
    runner.check_in(6, {"calm": 4})
    while runner.state is State.PLAYING:
        runner.audio_finished()
        runner.silence_finished()


@pytest.fixture
def service(tmp_path: Path):
    made = JournalService(tmp_path / "journal.db")
    yield made
    made.close()


def test_each_event_is_committed_when_it_happens(qtbot, service):
    runner = SessionRunner(tiny_practice(2), SessionJournal(service))
    runner.check_in(6)
    # committed before anything else happens: the row and the first step are in the journal
    record, steps = read_now(qtbot, service, lambda j: (j.session(runner.session_id),
                                                        j.step_events(runner.session_id)))
    assert record.current_step == "s1" and steps == [("s1", "started")]
    runner.pause()
    assert read_now(qtbot, service, lambda j: j.step_events(runner.session_id))[-1] == (
        "s1", "paused")


def test_a_whole_sitting_lands_in_the_journal_in_order(qtbot, service):
    runner = SessionRunner(tiny_practice(2), SessionJournal(service))
    sit_through(runner)
    runner.check_out(3, {"calm": 7}, note="softer")
    record, steps, checkins = read_now(qtbot, service, lambda j: (
        j.session(runner.session_id), j.step_events(runner.session_id),
        j.checkins(runner.session_id)))
    assert (record.outcome, record.note) == ("completed", "softer")
    assert steps == [("s1", "started"), ("s1", "finished"), ("s2", "started"),
                     ("s2", "finished")]
    assert [(c.phase, c.intensity, c.note) for c in checkins] == [
        ("before", 6, None), ("after", 3, "softer")]


def test_on_a_full_disk_the_practice_goes_on_and_the_note_waits(qtbot, tiny_disk):
    service = JournalService(tiny_disk.root / "journal.db")
    problems: list[JournalProblem] = []
    service.failed.connect(problems.append)
    read_now(qtbot, service, lambda j: True)
    tiny_disk.fill()
    runner = SessionRunner(tiny_practice(2), SessionJournal(service))
    sit_through(runner)                                    # Begin, Next: never stuck
    runner.check_out(2, note="a warm note I typed")          # Finish
    assert runner.state is State.ENDED
    read_now(qtbot, service, lambda j: True)
    assert problems and "disk is full" in problems[-1].message and problems[-1].has_text
    assert service.unsaved_text() == "a warm note I typed"
    assert read_now(qtbot, service, lambda j: j.sessions()) == []
    waiting = service.unsaved()              # named as the person would name them, in order
    assert waiting[0] == "the start of this practice" and waiting[1] == "your check-in"
    assert waiting[-2:] == ["your check-out", "the end of this practice"]

    tiny_disk.free()
    with qtbot.waitSignal(service.unsaved_changed, timeout=5000,
                          check_params_cb=lambda n: n == 0):
        service.retry()
    record, steps = read_now(qtbot, service, lambda j: (j.session(runner.session_id),
                                                        j.step_events(runner.session_id)))
    assert (record.outcome, record.note) == ("completed", "a warm note I typed")
    assert len(steps) == 4
    service.close()
