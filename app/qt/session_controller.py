"""SessionController: joins the SessionRunner (what happens) to the player and timers (when).

Audio for a step may arrive late (rendered in the background) or never (no voice, no sound
device); then the step is shown as text for a reading time paced by its word count.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from app.core.practice import Step
from app.core.session import SessionRunner, Snapshot, State
from app.qt.player import GuidancePlayer

READING_WPM = 140
TICK_MS = 200


def reading_seconds(step: Step) -> float:
    """How long the text-only fallback shows a step before its silence begins."""
    return max(4.0, step.word_count / READING_WPM * 60 + step.pause_seconds)


class SessionController(QObject):
    snapshot = Signal(object)               # Snapshot, whenever the runner moves
    tick = Signal(float, float)             # seconds into the step (voice + silence), its total
    countdown = Signal(float)               # seconds of silence left before moving on; -1 = held
    waiting_for_audio = Signal(bool)        # the current step's voice is still being prepared
    notice = Signal(str)                    # a plain sentence for the person, said once

    def __init__(self, runner: SessionRunner, player: GuidancePlayer, *,
                 silence_multiplier: float = 1.0, playback_rate: float = 1.0,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.runner = runner
        self.player = player
        self.silence_multiplier = silence_multiplier
        self.playback_rate = playback_rate
        self.text_only_reason: str | None = None
        self._audio: dict[str, Path] = {}
        self._durations: dict[str, float] = {}
        self._held = False
        self._voice_clock = QElapsedTimer()
        self._voice_done_at = 0.0
        self._silence_left = 0.0
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._on_tick)
        self._last_tick = QElapsedTimer()
        # The silence ends on its own precise timer; the tick only refreshes the display.
        self._silence_end = QTimer(self)
        self._silence_end.setSingleShot(True)
        self._silence_end.setTimerType(Qt.TimerType.PreciseTimer)
        self._silence_end.timeout.connect(self._end_silence)
        player.finished.connect(self._on_audio_finished)
        player.error.connect(self._on_player_error)
        runner.subscribe(self._on_snapshot)

    # -- audio supply --------------------------------------------------------------------------

    def set_step_audio(self, step_id: str, path: Path, duration: float) -> None:
        self._audio[step_id] = Path(path)
        self._durations[step_id] = duration
        if (self.runner.state is State.PLAYING and self.runner.step.id == step_id
                and self.text_only_reason is None and not self.player.current):
            self.waiting_for_audio.emit(False)
            self._start_voice()

    def use_text_only(self, reason: str) -> None:
        """From now on show steps as text with a timer; tell the person why, once."""
        if self.text_only_reason is None:
            self.text_only_reason = reason
            self.notice.emit(reason)
        if self.runner.state is State.PLAYING:
            self.player.stop()
            self.waiting_for_audio.emit(False)
            self._start_voice()

    def step_total(self, step: Step) -> float:
        return self._voice_seconds(step) + step.silence_after * self.silence_multiplier

    def remaining_practice_seconds(self, elapsed_in_step: float) -> float:
        steps = self.runner.practice.steps[self.runner.index:]
        return max(0.0, sum(self.step_total(s) for s in steps) - elapsed_in_step)

    def _voice_seconds(self, step: Step) -> float:
        if self.text_only_reason is None and step.id in self._durations:
            return self._durations[step.id] / self.playback_rate
        return reading_seconds(step) / self.playback_rate

    # -- reacting to the runner ----------------------------------------------------------------

    def _on_snapshot(self, snap: Snapshot) -> None:
        state = snap.state
        if state is State.PLAYING:
            self._held = False
            resuming = self.player.current == str(self._audio.get(snap.step.id, ""))
            if resuming and self.player.current:
                self.player.resume()
                self._timer.start()
            else:
                self._start_voice()
        elif state is State.SILENCE:
            self._silence_left = snap.step.silence_after * self.silence_multiplier
            self._voice_done_at = self._voice_seconds(snap.step)
            self._last_tick.start()
            self._timer.start()
            self._silence_end.start(int(self._silence_left * 1000))
        elif state is State.PAUSED:
            self.player.pause()
            self._stop_timers()
        else:  # grounding, check-out, ended: the voice stops at once
            self.player.stop()
            self._stop_timers()
        self.snapshot.emit(snap)

    def _stop_timers(self) -> None:
        self._timer.stop()
        self._silence_end.stop()

    def _end_silence(self) -> None:
        if self.runner.state is State.SILENCE and not self._held:
            self._timer.stop()
            self.runner.silence_finished()

    def _start_voice(self) -> None:
        step = self.runner.step
        self._voice_clock.start()
        self._timer.start()
        path = self._audio.get(step.id)
        if self.text_only_reason is None and path is None:
            self.player.stop()
            self.waiting_for_audio.emit(True)     # rendering; set_step_audio will start it
            return
        if path is not None and self.text_only_reason is None:
            self.player.play_file(path, self.playback_rate)

    def _on_audio_finished(self, _path: str) -> None:
        if self.runner.state is State.PLAYING:
            self.player.stop()
            self.runner.audio_finished()

    def _on_player_error(self, message: str) -> None:
        self.use_text_only(f"{message} The guidance continues as text.")

    def _on_tick(self) -> None:
        state, step = self.runner.state, self.runner.step
        if state is State.PLAYING:
            if self.text_only_reason is None:
                if not self.player.current:
                    return                                # still waiting for audio
                elapsed = self.player.position_ms() / 1000 / self.playback_rate
            else:
                elapsed = self._voice_clock.elapsed() / 1000
                if elapsed >= self._voice_seconds(step):
                    self.runner.audio_finished()
                    return
            self.tick.emit(elapsed, self.step_total(step))
        elif state is State.SILENCE:
            dt = self._last_tick.restart() / 1000
            if self._held:
                self.countdown.emit(-1)
                return
            self._silence_left = max(0.0, self._silence_left - dt)
            total_silence = step.silence_after * self.silence_multiplier
            self.tick.emit(self._voice_done_at + total_silence - self._silence_left,
                           self.step_total(step))
            self.countdown.emit(self._silence_left)

    # -- person's controls ---------------------------------------------------------------------

    def toggle_play(self) -> None:
        state = self.runner.state
        if state is State.PLAYING:
            self.runner.pause()
        elif state is State.PAUSED:
            self.runner.play()
        elif state is State.SILENCE:
            self.hold_countdown(not self._held)

    def hold_countdown(self, held: bool = True) -> None:
        """Stay with this step: the silence stops counting down until released."""
        if self.runner.state is State.SILENCE:
            self._held = held
            if held:
                self._silence_left = max(0.0, self._silence_end.remainingTime() / 1000)
                self._silence_end.stop()
            else:
                self._last_tick.restart()
                self._silence_end.start(int(self._silence_left * 1000))
            self.countdown.emit(-1 if held else self._silence_left)
