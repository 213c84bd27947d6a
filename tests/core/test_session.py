"""The session state machine, driven without Qt against a real in-memory journal."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest

from app.core.practice import Practice, Step
from app.core.session import InvalidTransition, SessionNotStarted, SessionRunner, State
from app.storage.journal import Journal


def practice(n: int = 3) -> Practice:
    steps = tuple(Step(id=f"s{i}", title=f"Step {i}", say=f"Words {i}.", silence_after=1)
                  for i in range(1, n + 1))
    return Practice(id="p", title="P", summary="", minutes=1, steps=steps)


@pytest.fixture
def journal():
    return Journal(":memory:")


def listen_through(runner: SessionRunner) -> None:
    while runner.state is State.PLAYING:
        runner.audio_finished()
        runner.silence_finished()


def test_whole_practice_in_order(journal):
    runner = SessionRunner(practice(), journal)
    seen: list[State] = []
    runner.subscribe(lambda snap: seen.append(snap.state))
    runner.check_in(6, {"calm": 4})
    listen_through(runner)
    assert runner.state is State.CHECK_OUT
    runner.check_out(3, {"calm": 7}, note="softer")
    assert runner.shift == (6, 3)
    assert journal.step_events(runner.session_id) == [
        ("s1", "started"), ("s1", "finished"), ("s2", "started"), ("s2", "finished"),
        ("s3", "started"), ("s3", "finished")]
    record = journal.session(runner.session_id)
    assert record.outcome == "completed" and record.note == "softer"
    assert [c.phase for c in journal.checkins(runner.session_id)] == ["before", "after"]
    assert seen[-1] is State.ENDED and State.SILENCE in seen


def test_events_are_written_as_they_happen(journal):
    runner = SessionRunner(practice(), journal)
    runner.check_in(4)
    assert journal.checkins(runner.session_id)[0].intensity == 4
    assert journal.step_events(runner.session_id) == [("s1", "started")]
    runner.pause()
    assert journal.step_events(runner.session_id)[-1] == ("s1", "paused")


def test_skip_replay_previous(journal):
    runner = SessionRunner(practice(), journal)
    runner.check_in(5)
    runner.next_step()
    runner.replay()
    runner.previous_step()
    assert runner.index == 0
    assert journal.step_events(runner.session_id) == [
        ("s1", "started"), ("s1", "skipped"), ("s2", "started"), ("s2", "replayed"),
        ("s1", "started")]


def test_skipping_the_last_step_goes_to_check_out(journal):
    runner = SessionRunner(practice(1), journal)
    runner.check_in(5)
    runner.next_step()
    assert runner.state is State.CHECK_OUT


def test_grounding_and_return_keeps_the_place(journal):
    runner = SessionRunner(practice(), journal)
    runner.check_in(7)
    runner.audio_finished()
    runner.silence_finished()
    runner.ground()
    assert runner.state is State.GROUNDING
    runner.return_from_grounding()
    assert runner.state is State.PAUSED and runner.index == 1
    runner.play()
    assert runner.state is State.PLAYING
    kinds = [k for _, k in journal.step_events(runner.session_id)]
    assert kinds[-3:] == ["grounding", "returned", "resumed"]


def test_grounding_can_end_the_session(journal):
    runner = SessionRunner(practice(), journal)
    runner.check_in(8)
    runner.ground()
    runner.end_by_grounding()
    assert journal.session(runner.session_id).outcome == "grounded"
    assert journal.unfinished_session() is None


def test_grounding_before_check_in_stores_nothing(journal):
    runner = SessionRunner(practice(), journal)
    runner.ground()
    runner.return_from_grounding()
    assert runner.state is State.CHECK_IN and journal.counts()["sessions"] == 0


def test_resume_after_a_crash_continues_at_the_step(journal):
    runner = SessionRunner(practice(), journal)
    runner.check_in(5)
    runner.audio_finished()
    runner.silence_finished()           # now on s2; the app "crashes" here
    record = journal.unfinished_session()
    resumed = SessionRunner.resume(practice(), journal, record)
    assert resumed.state is State.PAUSED and resumed.step.id == "s2"
    resumed.play()
    listen_through(resumed)
    resumed.check_out(2)
    assert journal.session(record.id).outcome == "completed"


def test_impossible_moves_are_refused(journal):
    runner = SessionRunner(practice(), journal)
    with pytest.raises(InvalidTransition):
        runner.audio_finished()
    runner.check_in(3)
    with pytest.raises(InvalidTransition):
        runner.check_out(3)


def test_stop_early(journal):
    runner = SessionRunner(practice(), journal)
    runner.check_in(3)
    runner.stop_early()
    runner.stop_early()
    assert journal.session(runner.session_id).outcome == "stopped_early"


def paced_practice() -> Practice:
    """A question with listening time inside step 1, and a step 2 that waits for the person."""
    steps = (Step("ask", "Ask", "Turn inward. [listen 40] What does it want? [listen] Rest.",
                  silence_after=5),
             Step("open", "Open time", "Stay as long as you like.", silence_after=5, wait=True),
             Step("close", "Close", "Thank you.", silence_after=2))
    return Practice(id="paced", title="Paced", summary="", minutes=3, steps=steps)


def test_steps_are_cut_into_segments_at_listen_marks():
    ask, open_, _ = paced_practice().steps
    assert [(s.audio_id, s.listen_after) for s in ask.segments] == [
        ("ask", 40.0), ("ask.2", 30.0), ("ask.3", 0.0)]
    assert [s.say.strip() for s in ask.segments] == ["Turn inward.", "What does it want?",
                                                     "Rest."]
    assert ask.listen_seconds == 70 and ask.word_count == 7
    assert "[listen" not in ask.display_text
    assert [ask.quiet_after(s) for s in ask.segments] == [40, 30, 5]
    assert open_.quiet_after(open_.segments[0]) == 0          # it waits instead
    assert open_.quiet_after(open_.segments[0], honour_wait=False) == 5


def test_listen_marks_with_nothing_between_make_one_quiet():
    step = Step("s", "S", "One. [listen 10] [listen 20] Two. [listen 15]")
    assert [(s.say.strip(), s.listen_after) for s in step.segments] == [("One.", 30.0),
                                                                        ("Two.", 15.0)]


def test_a_pause_after_the_last_words_is_quiet_after_the_voice():
    step = Step("s", "S", "One. [pause 2] Two. [pause 3] [listen 10] Three. [pause 8]",
                silence_after=6)
    first, last = step.segments
    assert (first.say, first.closing_pause, step.quiet_after(first)) == (
        "One. [pause 2] Two.", 3, 13)                    # an inner pause stays in the audio
    assert (last.say.strip(), last.closing_pause, step.quiet_after(last)) == ("Three.", 8, 14)
    assert step.pause_seconds == 13                      # the practice's length still counts it
    waits = Step("w", "W", "Rest. [pause 4]", silence_after=6, wait=True)
    assert waits.quiet_after(waits.segments[0]) == 0     # the wait is the quiet
    assert waits.quiet_after(waits.segments[0], honour_wait=False) == 10
    only_quiet = Step("q", "Q", "[pause 4]")             # no words: its audio is the quiet
    assert only_quiet.segments[0].say == "[pause 4]" and only_quiet.segments[0].closing_pause == 0


def test_segments_then_a_wait_then_on(journal):
    runner = SessionRunner(paced_practice(), journal)
    seen: list[tuple[State, int]] = []
    runner.subscribe(lambda snap: seen.append((snap.state, snap.segment)))
    runner.check_in(4)
    for _ in range(3):                       # three segments of "ask", each with its quiet
        runner.audio_finished()
        runner.silence_finished()
    assert (runner.index, runner.state) == (1, State.PLAYING)
    runner.audio_finished()
    assert runner.state is State.WAITING       # no timer ends a wait
    with pytest.raises(InvalidTransition):
        runner.silence_finished()
    runner.continue_on()
    assert (runner.index, runner.state) == (2, State.PLAYING)
    assert seen[:6] == [(State.PLAYING, 0), (State.SILENCE, 0), (State.PLAYING, 1),
                        (State.SILENCE, 1), (State.PLAYING, 2), (State.SILENCE, 2)]
    # segments are one step to the journal: started and finished once each
    assert journal.step_events(runner.session_id) == [
        ("ask", "started"), ("ask", "finished"), ("open", "started"), ("open", "finished"),
        ("close", "started")]


def test_continue_from_a_held_silence_goes_on_at_once(journal):
    runner = SessionRunner(paced_practice(), journal)
    runner.check_in(4)
    runner.audio_finished()
    runner.continue_on()                       # out of the listening time: the next segment
    assert (runner.state, runner.segment) == (State.PLAYING, 1)


def test_grounding_from_a_wait_returns_to_the_wait(journal):
    runner = SessionRunner(paced_practice(), journal)
    runner.check_in(4)
    runner.next_step()
    runner.audio_finished()
    runner.ground()
    runner.return_from_grounding()
    assert runner.state is State.WAITING and runner.index == 1
    runner.replay()                            # a replay starts the step from its first segment
    assert (runner.state, runner.segment) == (State.PLAYING, 0)


def test_only_the_answers_given_are_stored(journal):
    """An untouched check-in is no answer: no row; a partial one keeps its gaps as NULL."""
    runner = SessionRunner(practice(1), journal)
    runner.check_in(None, {})
    assert journal.checkins(runner.session_id) == []
    listen_through(runner)
    runner.check_out(None, {"courage": 3})
    (after,) = journal.checkins(runner.session_id)
    assert (after.phase, after.intensity, after.self_energy) == ("after", None, {"courage": 3})
    assert runner.shift is None
    row = journal.db.execute("SELECT calm, courage FROM checkins").fetchone()
    assert row == (None, 3)


def test_going_to_a_step_past_the_last_is_refused(journal):
    runner = SessionRunner(practice(3), journal)
    runner.check_in(3)
    runner.go_to(2)
    assert runner.index == 2
    for outside in (3, -1):
        with pytest.raises(IndexError):
            runner.go_to(outside)
    assert runner.index == 2


def test_nothing_is_written_under_no_session(journal):
    """A check-out or a step event before any check-in is refused by name, not stored with no
    session (a runner driven wrongly, say by a resumed record that lost its id)."""
    runner = SessionRunner(practice(), journal)
    runner.state = State.CHECK_OUT
    with pytest.raises(SessionNotStarted):
        runner.check_out(3)
    runner.state = State.PLAYING
    with pytest.raises(SessionNotStarted):
        runner.pause()
    assert journal.db.execute("SELECT COUNT(*) FROM checkins").fetchone()[0] == 0
    assert journal.db.execute("SELECT COUNT(*) FROM step_events").fetchone()[0] == 0


def test_the_check_survives_python_O() -> None:
    """`python -O` removes asserts; the guard is a real check, so it stays."""
    code = ("from app.core.session import SessionNotStarted, SessionRunner, State\n"
            "from tests.core.test_session import practice\n"
            "from app.storage.journal import Journal\n"
            "runner = SessionRunner(practice(), Journal(':memory:'))\n"
            "runner.state = State.CHECK_OUT\n"
            "try:\n    runner.check_out(3)\nexcept SessionNotStarted:\n    print('refused')\n")
    from app import paths
    # The child finds this very project whatever it inherits (bench/mutation.py runs the tests
    # in a copy with PYTHONPATH set to its bench folder).
    env = {**os.environ, "PYTHONPATH": str(paths.PROJECT_ROOT)}
    result = subprocess.run([sys.executable, "-O", "-c", code], capture_output=True, text=True,
                            timeout=60, cwd=paths.PROJECT_ROOT, env=env)
    assert result.stdout.strip() == "refused", (result.returncode, result.stderr[-2000:])


def assert_refused(runner: SessionRunner, journal, move, *args) -> None:
    """The move raises, the state stays, and no step event is written for it."""
    state, events = runner.state, journal.step_events(runner.session_id)
    with pytest.raises(InvalidTransition):
        move(*args)
    assert runner.state is state
    assert journal.step_events(runner.session_id) == events


@pytest.mark.parametrize("move", ["next_step", "previous_step", "replay", "go_to"])
@pytest.mark.parametrize("where", ["grounding", "check_out", "ended"])
def test_steps_do_not_move_while_grounding_at_check_out_or_after_the_end(journal, move, where):
    """Grounding holds the practice still until the person comes back; at check-out and after
    the end there is no step left to move to, and nothing more is written about steps."""
    runner = SessionRunner(practice(), journal)
    runner.check_in(5)
    if where == "grounding":
        runner.ground()
    else:
        listen_through(runner)
        if where == "ended":
            runner.check_out(4)
    assert_refused(runner, journal, getattr(runner, move), *([0] if move == "go_to" else []))


@pytest.mark.parametrize("where", ["playing", "grounding", "check_out"])
def test_resume_is_only_from_a_pause(journal, where):
    """A stray Play (a media key, a double press) while the voice already plays, while
    grounding, or at check-out must not write a "resumed" the person never made, nor jump the
    practice out of grounding."""
    runner = SessionRunner(practice(), journal)
    runner.check_in(5)
    if where == "grounding":
        runner.ground()
    elif where == "check_out":
        listen_through(runner)
    assert_refused(runner, journal, runner.play)


@pytest.mark.parametrize("where", ["playing", "paused", "check_out"])
def test_a_session_ends_by_grounding_only_from_grounding(journal, where):
    """"End here" belongs to the grounding screen: from anywhere else it must not close the
    session as "grounded"."""
    runner = SessionRunner(practice(), journal)
    runner.check_in(5)
    if where == "paused":
        runner.pause()
    elif where == "check_out":
        listen_through(runner)
    assert_refused(runner, journal, runner.end_by_grounding)
    assert journal.session(runner.session_id).outcome != "grounded"


def test_back_from_the_third_step_lands_on_the_second(journal):
    # Going back is one step, not two: from step 3 the person hears step 2 again.
    runner = SessionRunner(practice(), journal)
    runner.check_in(5)
    runner.next_step()
    runner.next_step()
    assert runner.index == 2
    runner.previous_step()
    assert runner.index == 1
    assert journal.step_events(runner.session_id)[-1] == ("s2", "started")


def test_the_snapshot_says_when_the_voice_has_said_the_last_of_a_step(journal):
    """The quiet after a `[listen]` is "time to listen inside, the voice goes on"; the quiet
    after the step's last words is "moving on": the view tells them apart by last_segment."""
    ask = Step("ask", "Ask", "Turn inward. [listen 30] What does it need?", silence_after=1)
    runner = SessionRunner(Practice("p", "P", "", 1, (ask,)), journal)
    runner.check_in(3)
    runner.audio_finished()
    assert runner.snapshot().state is State.SILENCE and not runner.snapshot().last_segment
    runner.silence_finished()
    runner.audio_finished()
    assert runner.snapshot().segment == 1 and runner.snapshot().last_segment


def test_going_to_the_first_step_from_the_step_list_goes_there(journal):
    runner = SessionRunner(practice(), journal)
    runner.check_in(4)
    runner.go_to(2)
    runner.go_to(0)
    assert runner.index == 0 and runner.state is State.PLAYING


def test_a_second_check_in_starts_no_second_session(journal):
    """A double press on "Begin" must not record two sessions for one practice."""
    runner = SessionRunner(practice(), journal)
    runner.check_in(4)
    with pytest.raises(InvalidTransition):
        runner.check_in(4)
    assert len(journal.sessions()) == 1
