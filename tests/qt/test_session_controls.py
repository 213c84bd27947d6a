"""SessionController, control by control: pause and resume (voice and text), "Stay with this
step", the quiet setting, step gaps, late audio, a failing player, the media keys' play/pause.
Each test fails if the behaviour it names is broken (see bench/mutation.py)."""
from __future__ import annotations

import logging
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QElapsedTimer

from app.core.practice import Practice, Step
from app.core.session import SessionRunner, State
from app.qt.player import GuidancePlayer
from app.qt.session_controller import SessionController, reading_seconds
from app.storage.journal import Journal
from tests.support.factories import dispose, tone_wav

LISTEN = 30          # seconds written in the script: [listen 30]
GAP = 0.5            # the first step's own quiet


def two_steps(wait: bool = False) -> Practice:
    steps = (Step("ask", "Ask", f"Turn inward. [listen {LISTEN}] What does it need?",
                  silence_after=GAP, wait=wait),
             Step("close", "Close", "Thank you.", silence_after=GAP))
    return Practice("paced", "Paced", "", 1, steps)


class Sitting:
    """One practice on a real player, with what the controller said recorded."""

    def __init__(self, qtbot, tmp_path: Path, player: GuidancePlayer, *, multiplier: float,
                 rate: float, text_only: bool, audio_seconds: float, audio: bool = True):
        self.qtbot = qtbot
        self.runner = SessionRunner(two_steps(), Journal(":memory:"))
        self.player = player
        self.controller = SessionController(self.runner, self.player, playback_rate=rate,
                                            silence_multiplier=multiplier)
        self.ticks: list[tuple[float, float]] = []
        self.countdowns: list[float] = []
        self.started: list[str] = []
        self.waiting: list[bool] = []
        self.notices: list[str] = []
        self.states: list[tuple[State, int, int, float]] = []   # with a monotonic time
        c = self.controller
        c.tick.connect(lambda elapsed, total: self.ticks.append((elapsed, total)))
        c.countdown.connect(self.countdowns.append)
        c.waiting_for_audio.connect(self.waiting.append)
        c.notice.connect(self.notices.append)
        c.snapshot.connect(lambda s: self.states.append((s.state, s.index, s.segment,
                                                         time.monotonic())))
        self._on_started = lambda path: self.started.append(Path(path).name)
        self.player.started.connect(self._on_started)
        if text_only:
            c.use_text_only("No sound here.")
        elif audio:
            for audio_id in ("ask", "ask.2", "close"):
                self.give_audio(tmp_path, audio_id, audio_seconds)

    def give_audio(self, tmp_path: Path, audio_id: str, seconds: float) -> None:
        wav = tone_wav(tmp_path / f"{audio_id}.wav", seconds)
        self.controller.set_step_audio(audio_id, wav, seconds)

    def until(self, state: State, segment: int = 0, index: int = 0, timeout: int = 5000):
        r = self.runner
        self.qtbot.waitUntil(lambda: (r.state, r.segment, r.index) == (state, segment, index),
                             timeout=timeout)

    def entered(self, state: State, index: int = 0, segment: int = 0) -> float:
        return next(t for s, i, g, t in self.states if (s, i, g) == (state, index, segment))

    def close(self) -> None:
        self.player.started.disconnect(self._on_started)
        self.player.stop()
        dispose(self.controller)


@pytest.fixture(scope="module")
def player(qapp):
    """One player for the whole module, as the app keeps one: deleting a QMediaPlayer while
    its decoder thread still starts a file crashes the process now and then (a Qt bug)."""
    one = GuidancePlayer()
    yield one
    dispose(one)


@pytest.fixture
def sitting(qtbot, tmp_path, player):
    made: list[Sitting] = []

    def make(*, multiplier: float = 0.02, rate: float = 8.0, text_only: bool = False,
             audio_seconds: float = 0.4, audio: bool = True) -> Sitting:
        made.append(Sitting(qtbot, tmp_path, player, multiplier=multiplier, rate=rate,
                            text_only=text_only, audio_seconds=audio_seconds, audio=audio))
        return made[-1]
    yield make
    for one in made:
        one.close()


# -- pause and resume ------------------------------------------------------------------------

def test_voice_pause_holds_the_file_where_it_was_and_resume_goes_on(qtbot, sitting):
    s = sitting(rate=1.0, audio_seconds=1.5)
    s.runner.check_in(3)
    qtbot.waitUntil(lambda: s.player.position_ms() > 200, timeout=5000)
    s.controller.toggle_play()
    assert s.runner.state is State.PAUSED and not s.player.is_playing()
    held_at = s.player.position_ms()
    qtbot.wait(250)
    assert s.player.position_ms() == held_at and s.player.current.endswith("ask.wav")
    ticks_while_paused = len(s.ticks)
    qtbot.wait(250)
    assert len(s.ticks) == ticks_while_paused          # the clock does not run while paused
    s.controller.toggle_play()
    assert s.runner.state is State.PLAYING
    count = len(s.ticks)
    qtbot.waitUntil(lambda: len(s.ticks) > count, timeout=3000)
    assert s.started == ["ask.wav"]                    # resumed, not started again
    assert s.ticks[-1][0] >= held_at / 1000


def test_text_mode_pause_keeps_the_reading_clock(qtbot, sitting):
    """Pause then resume goes on reading where it was: not from the start of the step."""
    s = sitting(rate=1.0, text_only=True)
    s.runner.check_in(3)
    qtbot.waitUntil(lambda: bool(s.ticks) and s.ticks[-1][0] >= 0.6, timeout=5000)
    s.controller.toggle_play()
    read = s.ticks[-1][0]
    qtbot.wait(400)                                   # a pause longer than the ticks
    s.controller.toggle_play()
    count = len(s.ticks)
    qtbot.waitUntil(lambda: len(s.ticks) > count, timeout=2000)
    assert read <= s.ticks[-1][0] < read + 0.35        # on from `read`; the pause not counted


def test_text_mode_reading_ends_after_its_time_then_the_quiet(qtbot, sitting):
    s = sitting(rate=20.0, text_only=True)
    s.runner.check_in(3)
    s.until(State.SILENCE)
    voiced = s.entered(State.SILENCE) - s.entered(State.PLAYING)
    expected = reading_seconds(two_steps().steps[0].segments[0]) / 20.0
    assert expected * 0.9 <= voiced < expected + 0.4
    assert s.started == []                            # nothing is played in text mode


def test_a_pause_during_a_quiet_and_resume_speaks_the_segment_again(qtbot, sitting):
    s = sitting(multiplier=1.0)
    s.runner.check_in(3)
    s.until(State.SILENCE)
    s.controller.toggle_play()
    assert s.runner.state is State.SILENCE and s.countdowns[-1] == -1   # Space: stay
    s.controller.pause()                                # already held: nothing changes
    assert s.runner.state is State.SILENCE
    s.runner.pause()
    assert s.runner.state is State.PAUSED
    s.controller.play()
    assert s.runner.state is State.PLAYING and s.started == ["ask.wav", "ask.wav"]


# -- "Stay with this step", the quiet setting, the gaps --------------------------------------

def test_the_quiet_is_the_listening_time_times_the_setting(qtbot, sitting):
    s = sitting(multiplier=0.01)                       # 30 s x 0.01: 0.3 s to listen
    s.runner.check_in(3)
    s.until(State.PLAYING, segment=1, timeout=4000)
    quiet = s.entered(State.PLAYING, segment=1) - s.entered(State.SILENCE)
    assert 0.28 <= quiet < 0.8
    step = two_steps().steps[0]
    assert s.controller.step_total(step) == pytest.approx(
        2 * 0.4 / 8.0 + (LISTEN + GAP) * 0.01)


def test_the_countdown_starts_at_the_scaled_quiet(qtbot, sitting):
    s = sitting(multiplier=0.5)                        # 15 s
    s.runner.check_in(3)
    s.until(State.SILENCE)
    qtbot.waitUntil(lambda: bool(s.countdowns), timeout=2000)
    assert 14.0 < s.countdowns[0] <= 15.0
    total = s.ticks[-1][1]
    assert total == pytest.approx(2 * 0.05 + (LISTEN + GAP) * 0.5)


def test_the_gap_after_a_step_is_its_quiet_scaled(qtbot, sitting):
    s = sitting(multiplier=0.8)                        # 0.4 s after the step
    s.runner.check_in(3)
    s.until(State.SILENCE)
    s.controller.continue_on()                         # skip the 24 s of listening
    s.until(State.SILENCE, segment=1)
    qtbot.waitUntil(lambda: s.runner.index == 1, timeout=3000)
    gap = s.entered(State.PLAYING, index=1) - s.entered(State.SILENCE, segment=1)
    assert 0.38 <= gap < 0.9


def test_stay_holds_the_quiet_and_release_counts_on_from_where_it_was(qtbot, sitting):
    s = sitting(multiplier=0.03)                       # 0.9 s to listen
    s.runner.check_in(3)
    s.until(State.SILENCE)
    qtbot.wait(300)
    s.controller.hold_countdown(True)
    assert s.countdowns[-1] == -1
    assert s.controller.playback_status() == "Paused"
    qtbot.wait(1200)                                   # longer than the whole quiet
    assert s.runner.state is State.SILENCE and s.runner.segment == 0
    s.controller.hold_countdown(False)
    left = s.countdowns[-1]
    assert 0.3 < left < 0.75                           # what was left, not the whole again
    assert s.controller.playback_status() == "Playing"
    clock = QElapsedTimer()
    clock.start()
    s.until(State.PLAYING, segment=1, timeout=3000)
    assert clock.elapsed() / 1000 >= left - 0.05


def test_the_media_keys_play_and_pause_never_toggle_the_wrong_way(qtbot, sitting):
    s = sitting(rate=0.05, audio_seconds=0.4)          # the voice lasts 8 s
    s.controller.play()                                # check-in: nothing to play
    assert s.runner.state is State.CHECK_IN and s.controller.playback_status() == "Stopped"
    s.runner.check_in(3)
    s.controller.play()
    assert s.runner.state is State.PLAYING and s.controller.playback_status() == "Playing"
    s.controller.pause()
    s.controller.pause()
    assert s.runner.state is State.PAUSED and s.controller.playback_status() == "Paused"
    s.controller.play()
    s.controller.play()
    assert s.runner.state is State.PLAYING


def test_marking_the_body_freezes_the_quiet(qtbot, sitting):
    s = sitting(multiplier=0.02)                       # 0.6 s to listen
    s.runner.check_in(3)
    s.until(State.SILENCE)
    s.controller.set_marking(True)
    qtbot.wait(900)
    assert s.runner.state is State.SILENCE
    s.controller.set_marking(False)
    s.until(State.PLAYING, segment=1, timeout=2000)


def test_continue_from_a_quiet_goes_on_at_once(qtbot, sitting):
    s = sitting(multiplier=10.0)
    s.runner.check_in(3)
    s.until(State.SILENCE)
    s.controller.continue_on()
    assert (s.runner.state, s.runner.segment) == (State.PLAYING, 1)
    s.controller.continue_on()                         # while playing: nothing
    assert (s.runner.state, s.runner.segment) == (State.PLAYING, 1)


# -- audio that comes late, or not at all ----------------------------------------------------

def test_a_step_waits_for_its_audio_then_plays_it(qtbot, sitting, tmp_path):
    s = sitting(audio=False)
    s.runner.check_in(3)
    assert s.waiting == [True] and s.runner.state is State.PLAYING
    qtbot.wait(300)
    assert s.runner.state is State.PLAYING and s.started == []   # no clock runs meanwhile
    s.give_audio(tmp_path, "ask.2", 0.4)               # another segment: still waiting
    assert s.waiting == [True]
    s.give_audio(tmp_path, "ask", 0.4)
    assert s.waiting == [True, False] and s.started == ["ask.wav"]


def test_a_player_failure_turns_to_text_and_says_so_once(qtbot, sitting, tmp_path):
    s = sitting(rate=1.0, audio_seconds=1.0)
    s.runner.check_in(3)
    logged: list[logging.LogRecord] = []
    catcher = logging.Handler(logging.WARNING)
    catcher.emit = logged.append  # type: ignore[method-assign]
    logging.getLogger("app.qt.session_controller").addHandler(catcher)
    try:
        s.player.error.emit("The sound device went away.")
        s.player.error.emit("Again.")
    finally:
        logging.getLogger("app.qt.session_controller").removeHandler(catcher)
    assert [r.getMessage() for r in logged] == [  # the log's trace of it, once
        "Guidance shown as text from now: The sound device went away. "
        "The guidance continues as text."]
    assert s.notices == ["The sound device went away. The guidance continues as text."]
    assert s.controller.text_only_reason == s.notices[0]
    assert s.runner.state is State.PLAYING and not s.player.is_playing()
    assert s.controller.step_total(two_steps().steps[1]) == pytest.approx(
        reading_seconds(two_steps().steps[1].segments[0]) + GAP * 0.02)


def test_the_remaining_time_counts_every_step_left(qtbot, sitting):
    s = sitting(multiplier=1.0)
    steps = two_steps().steps
    whole = sum(s.controller.step_total(step) for step in steps)
    assert whole == pytest.approx(3 * 0.05 + LISTEN + 2 * GAP)
    assert s.controller.remaining_practice_seconds(1.0) == pytest.approx(whole - 1.0)
    s.runner.check_in(3)
    s.runner.next_step()
    assert s.controller.remaining_practice_seconds(0.0) == pytest.approx(
        s.controller.step_total(steps[1]))
    assert s.controller.remaining_practice_seconds(99.0) == 0.0


def test_grounding_stops_the_voice_at_once(qtbot, sitting):
    s = sitting(rate=0.1, audio_seconds=0.4)
    s.runner.check_in(3)
    qtbot.waitUntil(s.player.is_playing, timeout=3000)
    s.runner.ground()
    assert not s.player.is_playing() and s.player.current == ""
    s.runner.return_from_grounding()
    assert s.runner.state is State.PAUSED
    s.controller.toggle_play()
    assert s.started == ["ask.wav", "ask.wav"]        # the step's voice from its start


def test_the_step_clock_runs_on_through_the_quiet_from_the_end_of_the_voice(qtbot, sitting):
    s = sitting(rate=1.0, multiplier=0.05, audio_seconds=0.4)    # 0.4 s voice, 1.5 s quiet
    s.runner.check_in(3)
    s.until(State.SILENCE)
    count = len(s.ticks)
    qtbot.waitUntil(lambda: len(s.ticks) > count + 1, timeout=3000)
    elapsed, total = s.ticks[-1]
    assert 0.4 <= elapsed < 0.4 + 1.5                  # the voice's 0.4 s, then quiet so far
    assert total == pytest.approx(0.4 + 0.4 + (LISTEN + GAP) * 0.05)


def test_the_media_keys_hold_and_release_a_quiet(qtbot, sitting):
    s = sitting(multiplier=1.0)                        # 30 s to listen
    s.runner.check_in(3)
    s.until(State.SILENCE)
    s.controller.pause()                               # hold, never pause the runner
    assert s.runner.state is State.SILENCE and s.countdowns[-1] == -1
    assert s.controller.playback_status() == "Paused"
    s.controller.play()                                # and count down again
    assert s.countdowns[-1] > 0 and s.controller.playback_status() == "Playing"


def test_a_pause_in_one_segment_does_not_shorten_the_next(qtbot, sitting):
    s = sitting(rate=4.0, multiplier=0.01, text_only=True)   # 1 s a segment, 0.3 s between
    s.runner.check_in(3)
    qtbot.waitUntil(lambda: bool(s.ticks) and s.ticks[-1][0] >= 0.5, timeout=3000)
    s.controller.toggle_play()
    s.controller.toggle_play()                         # read on from about 0.5 s
    qtbot.waitUntil(lambda: s.runner.index == 1, timeout=5000)
    read = s.entered(State.SILENCE, segment=1) - s.entered(State.PLAYING, segment=1)
    assert read >= 0.9                                 # the whole second, not 0.5 of it


def test_a_voice_lost_mid_step_goes_on_as_text_read_from_then(qtbot, sitting):
    s = sitting(rate=1.0, multiplier=0.01, audio_seconds=3.0)
    s.runner.check_in(3)
    qtbot.waitUntil(lambda: s.player.position_ms() > 900, timeout=4000)
    s.controller.playback_rate = 4.0                   # the text's reading time: 1 s
    lost = time.monotonic()
    s.player.error.emit("The sound device went away.")
    s.until(State.SILENCE, timeout=4000)               # read as text, then its quiet
    assert s.entered(State.SILENCE) - lost >= 0.9      # the whole reading time, from then
    assert not s.player.is_playing()
