"""SessionController at its edges: how long text is shown when there is no voice, the body map
opened before any quiet, a voice still being prepared when the app turns to text."""
from __future__ import annotations

import time

import pytest

from app.core.practice import Step
from app.core.session import State
from app.qt.session_controller import reading_seconds
from tests.qt.test_session_controls import player, sitting  # noqa: F401  (fixtures)


def words(n: int) -> str:
    return " ".join(["calm"] * n) + "."


@pytest.mark.parametrize(("text", "seconds"), [
    (words(280), 120.0),                     # 280 words at 140 a minute: two minutes
    (words(70) + " [pause 5]", 35.0),        # half a minute, and the pause written in it
    (words(3), 4.0),                         # never less than four seconds to read
])
def test_text_is_shown_for_its_reading_time(text, seconds):
    assert reading_seconds(Step("s", "S", text)) == pytest.approx(seconds, abs=0.01)


def test_the_body_map_opened_while_the_voice_speaks_holds_the_quiet_that_follows(qtbot,
                                                                                 sitting):
    s = sitting(multiplier=0.02)                      # 0.6 s to listen after the question
    s.runner.check_in(3)
    s.controller.set_marking(True)                    # B pressed while the voice speaks
    s.until(State.SILENCE)
    qtbot.wait(900)
    assert s.runner.state is State.SILENCE             # not moved on while marking
    s.controller.set_marking(False)
    s.until(State.PLAYING, segment=1, timeout=2000)


def test_turning_to_text_while_the_voice_is_prepared_stops_waiting_for_it(qtbot, sitting):
    s = sitting(audio=False)
    s.runner.check_in(3)
    assert s.waiting == [True]                        # "preparing the voice…"
    s.controller.use_text_only("The voice cannot be made here.")
    assert s.waiting == [True, False]
    assert s.notices == ["The voice cannot be made here."]


def test_when_a_step_waits_its_clock_shows_the_whole_step(qtbot, player, tmp_path):
    from app.core.session import SessionRunner
    from app.qt.session_controller import SessionController
    from app.storage.journal import Journal
    from tests.qt.test_session_controls import two_steps
    from tests.support.factories import dispose
    runner = SessionRunner(two_steps(wait=True), Journal(":memory:"))
    controller = SessionController(runner, player, playback_rate=20.0, silence_multiplier=0.02)
    ticks: list[tuple[float, float]] = []
    controller.tick.connect(lambda elapsed, total: ticks.append((elapsed, total)))
    controller.use_text_only("No sound here.")
    runner.check_in(3)
    qtbot.waitUntil(lambda: runner.state is State.WAITING, timeout=5000)
    total = controller.step_total(runner.step)
    assert ticks[-1] == (pytest.approx(total), pytest.approx(total))
    dispose(controller)


def test_a_short_quiet_never_shows_more_than_its_own_length(qtbot, sitting):
    s = sitting(multiplier=0.03)                      # 0.9 s to listen after the question
    s.runner.check_in(3)
    s.until(State.PLAYING, segment=1, timeout=5000)
    shown = [c for c in s.countdowns if c >= 0]
    assert shown and max(shown) <= 0.9 + 1e-6           # never above the quiet itself


def test_marking_the_body_while_staying_keeps_what_was_left_of_the_quiet(qtbot, sitting):
    s = sitting(multiplier=0.1)                       # 3 s to listen after the question
    s.runner.check_in(3)
    s.until(State.SILENCE)
    s.controller.hold_countdown(True)                 # "Stay with this step"
    s.controller.set_marking(True)                    # then B: the body map
    s.controller.set_marking(False)
    s.controller.hold_countdown(False)                # and on again
    assert s.countdowns[-1] > 2.0
    qtbot.wait(300)
    assert s.runner.state is State.SILENCE            # the rest of the quiet, not cut to nothing


def test_the_body_map_opened_before_the_first_step_holds_its_quiet_too(qtbot, sitting):
    s = sitting(multiplier=0.02)
    s.controller.set_marking(True)                    # B at the check-in screen
    s.runner.check_in(3)
    s.until(State.SILENCE)
    qtbot.wait(900)
    assert s.runner.state is State.SILENCE
    s.controller.set_marking(False)
    s.until(State.PLAYING, segment=1, timeout=2000)


def test_the_body_map_opened_during_a_quiet_stops_its_count_where_it_was(qtbot, sitting):
    """B pressed in the middle of the quiet after a question (no "Stay"): the practice waits
    for the person to come back from the map, then gives the rest of the quiet."""
    s = sitting(multiplier=0.02)                      # 0.6 s to listen after the question
    s.runner.check_in(3)
    s.until(State.SILENCE)
    s.controller.set_marking(True)
    qtbot.wait(900)
    assert s.runner.state is State.SILENCE             # not moved on while marking
    s.controller.set_marking(False)
    s.until(State.PLAYING, segment=1, timeout=2000)


def test_the_chime_rings_when_a_step_begins_to_wait_and_only_then(qtbot, player, tmp_path):
    """The soft chime is how a person with closed eyes hears that the voice has finished and
    is waiting for them: it rings as the wait begins, and a step that goes on by itself
    (the closing one) rings nothing."""
    from pathlib import Path

    from app.core.session import SessionRunner
    from app.qt.session_controller import SessionController
    from app.storage.journal import Journal
    from tests.qt.test_session_controls import two_steps
    from tests.support.factories import dispose, tone_wav
    runner = SessionRunner(two_steps(wait=True), Journal(":memory:"))
    controller = SessionController(runner, player, playback_rate=40.0, silence_multiplier=0.005)
    controller.set_cue(tone_wav(tmp_path / "cue.wav", 0.2, freq=660))
    rung: list[tuple[str, State]] = []

    def on_started(path: str) -> None:
        rung.append((Path(path).name, runner.state))

    player.started.connect(on_started)
    try:
        controller.use_text_only("No sound here.")
        runner.check_in(3)
        qtbot.waitUntil(lambda: runner.state is State.WAITING, timeout=5000)
        assert rung == [("cue.wav", State.WAITING)]
        controller.continue_on()
        qtbot.waitUntil(lambda: runner.state is State.CHECK_OUT, timeout=5000)
        assert rung == [("cue.wav", State.WAITING)]
    finally:
        player.started.disconnect(on_started)
        player.stop()
        dispose(controller)


def test_moving_on_to_a_step_still_being_prepared_silences_the_step_before(qtbot, sitting,
                                                                           tmp_path):
    """→ while the first step speaks, to a step whose voice is not ready yet: the screen says
    the voice is being prepared, and the first step's voice must not go on over it."""
    s = sitting(audio=False, rate=1.0)
    for audio_id in ("ask", "ask.2"):                 # "close" is still rendering
        s.give_audio(tmp_path, audio_id, 1.5)
    s.runner.check_in(3)
    qtbot.waitUntil(lambda: s.player.position_ms() > 100, timeout=5000)
    s.runner.next_step()
    assert s.runner.index == 1 and s.waiting[-1] is True
    assert not s.player.is_playing() and s.player.current == ""


def test_stay_pressed_partway_through_a_quiet_keeps_only_what_was_left(qtbot, sitting):
    """"Stay with this step" and then on again: the quiet resumes with what was left of it
    when Stay was pressed, not with more (the display's last tick can be 200 ms old)."""
    s = sitting(multiplier=0.1)                       # 3 s to listen after the question
    s.runner.check_in(3)
    s.until(State.SILENCE)
    began = time.monotonic()
    qtbot.wait(100)                                   # before the first tick of the quiet
    s.controller.hold_countdown(True)
    held_after = time.monotonic() - began
    s.controller.hold_countdown(False)
    assert 0 < s.countdowns[-1] <= 3.0 - held_after + 0.01


def test_the_countdown_after_stay_goes_on_from_where_it_was_left(qtbot, sitting):
    """Held for a while, then released: the countdown shown goes on from what was left, and
    the time spent holding is not taken off it at the next tick."""
    s = sitting(multiplier=0.1)                       # 3 s to listen after the question
    s.runner.check_in(3)
    s.until(State.SILENCE)
    s.controller.hold_countdown(True)
    qtbot.wait(300)                                   # staying with it
    s.controller.hold_countdown(False)
    released, left = time.monotonic(), s.countdowns[-1]
    count = len(s.countdowns)
    qtbot.waitUntil(lambda: len(s.countdowns) > count, timeout=2000)
    assert s.countdowns[count] >= left - (time.monotonic() - released) - 0.02
