"""SessionController with the real GuidancePlayer: listening time between segments is timed by
the controller (scaled by the quiet setting, held by "Stay with this step"), and a step that
waits waits, with one soft cue. The text-only fallback keeps the same model."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.core.practice import Practice, Step
from app.core.session import SessionRunner, State
from app.qt.player import GuidancePlayer
from app.qt.session_controller import SessionController
from app.storage.journal import Journal
from tests.support.factories import dispose, tone_wav

LISTEN = 30          # seconds written in the script: [listen 30]


def practice(wait: bool = False) -> Practice:
    steps = (Step("ask", "Ask", f"Turn inward. [listen {LISTEN}] What does it need?",
                  silence_after=0.5, wait=wait),
             Step("close", "Close", "Thank you.", silence_after=0.5))
    return Practice("paced", "Paced", "", 1, steps)


@pytest.fixture
def session(qtbot, tmp_path):
    made = []

    def make(*, wait: bool = False, multiplier: float = 0.02, text_only: bool = False,
             cue: bool = False):
        runner = SessionRunner(practice(wait), Journal(":memory:"))
        player = GuidancePlayer()
        controller = SessionController(runner, player, playback_rate=8.0,
                                       silence_multiplier=multiplier)
        if text_only:
            controller.use_text_only("No sound here.")
            controller.playback_rate = 40.0
        else:
            for audio_id in ("ask", "ask.2", "close"):
                controller.set_step_audio(audio_id, tone_wav(tmp_path / f"{audio_id}.wav", 0.4),
                                          0.4)
        if cue:
            controller.set_cue(tone_wav(tmp_path / "cue.wav", 0.2, freq=660))
        started: list[str] = []
        player.started.connect(lambda path: started.append(Path(path).name))
        made.append((controller, player))
        return runner, controller, started
    yield make
    for controller, player in made:
        dispose(controller, player)


def at_second_segment(runner: SessionRunner) -> bool:
    return runner.state is State.PLAYING and runner.segment == 1


@pytest.mark.parametrize("text_only", [False, True], ids=["audio", "text only"])
def test_segments_play_in_order_with_listening_time_between(qtbot, session, text_only):
    runner, controller, started = session(text_only=text_only)
    seen: list[tuple[str, str, int]] = []
    controller.snapshot.connect(lambda snap: seen.append((snap.step.id, snap.state.value,
                                                          snap.segment)))
    runner.check_in(3)
    qtbot.waitUntil(lambda: runner.state is State.CHECK_OUT, timeout=10000)
    assert started == ([] if text_only else ["ask.wav", "ask.2.wav", "close.wav"])
    assert seen[:-1] == [("ask", "playing", 0), ("ask", "silence", 0), ("ask", "playing", 1),
                         ("ask", "silence", 1), ("close", "playing", 0),
                         ("close", "silence", 0)]


@pytest.mark.parametrize("text_only", [False, True], ids=["audio", "text only"])
def test_the_quiet_setting_lengthens_listening_time(qtbot, session, text_only):
    runner, controller, _ = session(multiplier=100.0, text_only=text_only)
    runner.check_in(3)
    qtbot.waitUntil(lambda: runner.state is State.SILENCE, timeout=5000)
    qtbot.wait(600)                             # scaled: 3,000 s
    assert runner.state is State.SILENCE and runner.segment == 0
    controller.silence_multiplier = 0.02        # (the next silence is short again)
    controller.continue_on()
    qtbot.waitUntil(lambda: runner.state is State.CHECK_OUT, timeout=10000)


@pytest.mark.parametrize("text_only", [False, True], ids=["audio", "text only"])
def test_stay_with_this_step_holds_listening_time(qtbot, session, text_only):
    runner, controller, _ = session(multiplier=0.02, text_only=text_only)   # 0.6 s to listen
    held: list[float] = []
    controller.countdown.connect(held.append)
    runner.check_in(3)
    qtbot.waitUntil(lambda: runner.state is State.SILENCE, timeout=5000)
    controller.toggle_play()                    # Space in a quiet: stay
    qtbot.wait(900)
    assert runner.state is State.SILENCE and runner.segment == 0 and held[-1] == -1
    controller.toggle_play()                    # Space again: continue now
    assert at_second_segment(runner)


@pytest.mark.parametrize("text_only", [False, True], ids=["audio", "text only"])
def test_a_step_that_waits_waits_with_one_soft_cue(qtbot, session, text_only):
    runner, controller, started = session(wait=True, text_only=text_only, cue=True)
    runner.check_in(3)
    qtbot.waitUntil(lambda: runner.state is State.WAITING, timeout=10000)
    qtbot.wait(700)                             # far beyond any silence in this practice
    assert runner.state is State.WAITING and runner.index == 0
    runner.ground()                             # and back: still waiting, no second cue
    runner.return_from_grounding()
    qtbot.wait(300)
    assert runner.state is State.WAITING
    assert started.count("cue.wav") == 1
    controller.toggle_play()                    # Space (or Continue) goes on
    assert runner.index == 1 and runner.state is State.PLAYING
    qtbot.waitUntil(lambda: runner.state is State.CHECK_OUT, timeout=10000)
    kinds = [k for _, k in runner.journal.step_events(runner.session_id)]
    assert kinds == ["started", "grounding", "returned", "finished", "started", "finished"]


def test_elapsed_time_counts_earlier_segments(qtbot, session):
    runner, controller, _ = session(multiplier=0.05)
    controller.playback_rate = 1.0              # each tone takes its 0.4 s
    ticks: list[tuple[int, float, float]] = []
    controller.tick.connect(lambda elapsed, total: ticks.append((runner.segment, elapsed,
                                                                 total)))
    runner.check_in(3)
    qtbot.waitUntil(lambda: any(segment == 1 for segment, _, _ in ticks), timeout=5000)
    segment, elapsed, total = next(t for t in ticks if t[0] == 1)
    # 0.4 s of voice, then 30 s x 0.05 of listening, before segment two begins
    assert elapsed >= 1.9
    assert total == pytest.approx(2 * 0.4 + 1.5 + 0.5 * 0.05, abs=0.01)


def test_the_grounding_sequence_plays_segments_with_their_listening_time(tmp_path):
    from app.qt.sequence import practice_items
    paced = practice(wait=True)
    audio = {key: tmp_path / f"{key}.wav" for key in ("ask", "ask.2")}
    assert practice_items(paced, audio) is None                 # "close" is not ready yet
    audio["close"] = tmp_path / "close.wav"
    assert practice_items(paced, audio) == [
        (audio["ask"], LISTEN), (audio["ask.2"], 0.5), (audio["close"], 0.5)]


def test_a_closing_pause_is_shown_as_quiet_not_playing(qtbot, tmp_path):
    """"Thank you. [pause 8]": the voice file ends with the words; the 8 s are a quiet the
    screen counts down (and the person can hold), not 8 s of "playing" silence."""
    steps = (Step("close", "Close", "Thank you. [pause 8]", silence_after=0.5),)
    runner = SessionRunner(Practice("p", "P", "", 1, steps), Journal(":memory:"))
    player = GuidancePlayer()
    controller = SessionController(runner, player, playback_rate=8.0, silence_multiplier=1.0)
    controller.set_step_audio("close", tone_wav(tmp_path / "close.wav", 0.4), 0.4)
    counts: list[float] = []
    controller.countdown.connect(counts.append)
    try:
        runner.check_in(3)
        qtbot.waitUntil(lambda: runner.state is State.SILENCE, timeout=5000)
        qtbot.waitUntil(lambda: bool(counts), timeout=2000)
        assert counts[0] == pytest.approx(8.5, abs=0.3)      # the pause plus silence_after
        assert controller.step_total(steps[0]) == pytest.approx(0.4 / 8 + 8.5)
        controller.toggle_play()                             # Space holds it like any quiet
        assert counts[-1] == -1
        controller.continue_on()
        assert runner.state is State.CHECK_OUT
    finally:
        dispose(controller, player)
