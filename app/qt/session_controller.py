"""SessionController: joins the SessionRunner (what happens) to the player and timers (when).

Audio for a step may arrive late (rendered in the background) or never (no voice, no sound
device); then the step is shown as text for a reading time paced by its word count. A step's
speech may come in segments (cut at `[listen N]` marks): each plays from its own file, and the
listening time between them is timed here, so the quiet setting scales it and "Stay with this
step" holds it, exactly like the quiet at a step's end.
"""
from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QElapsedTimer, QObject, Qt, QTimer, Signal

from app.core.practice import Step
from app.core.segment import Segment
from app.core.session import SessionRunner, Snapshot, State
from app.qt.player import GuidancePlayer

log = logging.getLogger(__name__)
READING_WPM = 140
TICK_MS = 200


def reading_seconds(speech: Step | Segment) -> float:
    """How long the text-only fallback shows a step (or a segment of one) before its quiet."""
    return max(4.0, speech.word_count / READING_WPM * 60 + speech.pause_seconds)


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
        self._audio: dict[str, Path] = {}         # by audio id (Segment.audio_id)
        self._durations: dict[str, float] = {}
        self._cue: Path | None = None             # the soft chime that says "waiting for you"
        self._cue_due = False
        self._held = False                        # "Stay with this step": the person holds
        self._marking = False                     # the body map is open: the quiet waits too
        self._voice_clock = QElapsedTimer()
        # Text mode: seconds already read of the current segment before a pause, and which
        # segment (index, segment) that was, so resuming reads on instead of starting again.
        self._read_before = 0.0
        self._read_paused: tuple[int, int] | None = None
        self._state = runner.state
        self._voice_began = False                 # False while a resumed step waits for Play
        self._voice_done_at = 0.0
        self._silence_left = 0.0
        self._silence_total = 0.0
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

    def set_step_audio(self, audio_id: str, path: Path, duration: float) -> None:
        """The WAV of a step, or of one segment of it (`step.2`, … see Segment.audio_id)."""
        self._audio[audio_id] = Path(path)
        self._durations[audio_id] = duration
        self.show_unstarted_time()                # the voice's own length, not the estimate
        if (self.runner.state is State.PLAYING and self._segment().audio_id == audio_id
                and self.text_only_reason is None and not self.player.current):
            self.waiting_for_audio.emit(False)
            self._start_voice()

    def set_cue(self, path: Path | None) -> None:
        """The chime played once when a step starts waiting for the person (None: none)."""
        self._cue = Path(path) if path else None

    def use_text_only(self, reason: str) -> None:
        """From now on show steps as text with a timer; tell the person why, once."""
        if self.text_only_reason is None:
            # Qt's own warnings (no sound device, a codec) go to stderr only: a Python message
            # handler could freeze the window (see error_reporting); this is their trace.
            log.warning("Guidance shown as text from now: %s", reason)
            self.text_only_reason = reason
            self.notice.emit(reason)
        if self.runner.state is State.PLAYING:
            self.player.stop()
            self.waiting_for_audio.emit(False)
            self._start_voice()

    def show_unstarted_time(self) -> None:
        """A step shown paused before its voice ever began (a resumed practice) has its
        position and length at once, as a fresh step has, not a blank line until Play."""
        if self.runner.state is State.PAUSED and not self._voice_began:
            self.tick.emit(self._offset(), self.step_total(self.runner.step))

    def step_total(self, step: Step) -> float:
        return sum(self._voice_seconds(seg) + step.quiet_after(seg) * self.silence_multiplier
                   for seg in step.segments)

    def remaining_practice_seconds(self, elapsed_in_step: float) -> float:
        steps = self.runner.practice.steps[self.runner.index:]
        return max(0.0, sum(self.step_total(s) for s in steps) - elapsed_in_step)

    def _segment(self) -> Segment:
        return self.runner.step.segments[self.runner.segment]

    def _voice_seconds(self, segment: Segment) -> float:
        if self.text_only_reason is None and segment.audio_id in self._durations:
            return self._durations[segment.audio_id] / self.playback_rate
        return reading_seconds(segment) / self.playback_rate

    def _offset(self) -> float:
        """Seconds into the step at which the current segment's voice begins."""
        step = self.runner.step
        return sum(self._voice_seconds(seg) + step.quiet_after(seg) * self.silence_multiplier
                   for seg in step.segments[:self.runner.segment])

    # -- reacting to the runner ----------------------------------------------------------------

    def _on_snapshot(self, snap: Snapshot) -> None:
        state = snap.state
        if state is not State.SILENCE:
            self._silence_end.stop()
        if state is not State.WAITING:
            self._cue_due = False                 # the cue belongs to a wait that just began
        read_paused, self._read_paused = self._read_paused, None
        if state is State.PLAYING:
            self._held = False
            resuming = self.player.current == str(self._audio.get(self._segment().audio_id, ""))
            if self.text_only_reason is not None and read_paused == (snap.index, snap.segment):
                self._voice_clock.start()         # reading on from self._read_before
                self._timer.start()
            elif resuming and self.player.current:
                self.player.resume()
                self._timer.start()
            else:
                self._start_voice()
        elif state is State.SILENCE:
            self._held = False
            segment = snap.step.segments[snap.segment]
            self._silence_total = snap.step.quiet_after(segment) * self.silence_multiplier
            self._silence_left = self._silence_total
            self._voice_done_at = self._offset() + self._voice_seconds(segment)
            self._last_tick.start()
            self._timer.start()
            if not self._marking:
                self._silence_end.start(int(self._silence_left * 1000))
        elif state is State.WAITING:
            self._timer.stop()
            total = self.step_total(snap.step)
            self.tick.emit(total, total)           # the step's timed part is over
            self._play_cue()
        elif state is State.PAUSED:
            self.player.pause()
            if self._state is State.PLAYING and self.text_only_reason is not None:
                self._read_before += self._voice_clock.elapsed() / 1000
                self._read_paused = (snap.index, snap.segment)
            self._stop_timers()
        else:  # grounding, check-out, ended: the voice stops at once
            self.player.stop()
            self._stop_timers()
        self._state = state
        self.snapshot.emit(snap)

    def _play_cue(self) -> None:
        """Once, as the wait begins (not again after grounding or a replay of the wait)."""
        due, self._cue_due = self._cue_due, False
        if due and self._cue is not None:
            self.player.play_file(self._cue)

    def _stop_timers(self) -> None:
        self._timer.stop()
        self._silence_end.stop()

    def _end_silence(self) -> None:
        if self.runner.state is State.SILENCE and not self._held and not self._marking:
            self._timer.stop()
            self.runner.silence_finished()

    def _start_voice(self) -> None:
        self._voice_clock.start()
        self._read_before = 0.0
        self._voice_began = True
        # where the voice begins, at once: while the voice is still being prepared (no tick
        # yet) the line went on showing the step before's position and length
        self.tick.emit(self._offset(), self.step_total(self.runner.step))
        self._timer.start()
        path = self._audio.get(self._segment().audio_id)
        if self.text_only_reason is None and path is None:
            self.player.stop()
            self.waiting_for_audio.emit(True)     # rendering; set_step_audio will start it
            return
        if path is not None and self.text_only_reason is None:
            self.player.play_file(path, self.playback_rate)

    def _voice_done(self) -> None:
        self._cue_due = True
        self.runner.audio_finished()

    def _on_audio_finished(self, path: str) -> None:
        if self.runner.state is State.PLAYING and path == str(
                self._audio.get(self._segment().audio_id, "")):
            self.player.stop()
            self._voice_done()

    def _on_player_error(self, message: str) -> None:
        if self.runner.state is State.WAITING:
            return      # only the chime plays while waiting; the guidance itself is fine
        self.use_text_only(f"{message} The guidance continues as text.")

    def _on_tick(self) -> None:
        state, step = self.runner.state, self.runner.step
        if state is State.PLAYING:
            if self.text_only_reason is None:
                if not self.player.current:
                    return                                # still waiting for audio
                voice = self.player.position_ms() / 1000 / self.playback_rate
            else:
                voice = self._read_before + self._voice_clock.elapsed() / 1000
                if voice >= self._voice_seconds(self._segment()):
                    self._voice_done()
                    return
            self.tick.emit(self._offset() + voice, self.step_total(step))
        elif state is State.SILENCE:
            dt = self._last_tick.restart() / 1000
            if self._held:
                self.countdown.emit(-1)
                return
            if self._marking:
                return                            # frozen until the person is back
            self._silence_left = max(0.0, self._silence_left - dt)
            self.tick.emit(self._voice_done_at + self._silence_total - self._silence_left,
                           self.step_total(step))
            self.countdown.emit(self._silence_left)

    # -- person's controls ---------------------------------------------------------------------

    def toggle_play(self) -> None:
        """Space: pause/resume the voice; in a quiet, stay with it, then go on when held;
        while waiting, go on."""
        state = self.runner.state
        if state is State.PLAYING:
            self.runner.pause()
        elif state is State.PAUSED:
            self.runner.play()
        elif state is State.SILENCE and not self._held:
            self.hold_countdown(True)
        elif state in (State.SILENCE, State.WAITING):
            self.continue_on()

    # -- media keys (app.qt.mpris): play and pause that never toggle the wrong way -------------

    def play(self) -> None:
        """Resume the voice, or let a held quiet count down again."""
        if self.runner.state is State.PAUSED:
            self.runner.play()
        elif self.runner.state is State.SILENCE and self._held:
            self.hold_countdown(False)

    def pause(self) -> None:
        """Pause the voice, or hold the quiet (as "Stay with this step" does)."""
        if self.runner.state is State.PLAYING:
            self.runner.pause()
        elif self.runner.state is State.SILENCE and not self._held:
            self.hold_countdown(True)

    def playback_status(self) -> str:
        """MPRIS's words: "Playing" while the voice or a counting quiet goes on, "Paused" when
        the person has paused, held or is asked to continue, "Stopped" outside the steps."""
        state = self.runner.state
        if state is State.PLAYING or (state is State.SILENCE and not self._held):
            return "Playing"
        if state in (State.PAUSED, State.SILENCE, State.WAITING):
            return "Paused"
        return "Stopped"

    def continue_on(self) -> None:
        """Continue: go on now from a held silence or a wait."""
        if self.runner.state in (State.SILENCE, State.WAITING):
            self._stop_timers()
            if self.runner.state is State.WAITING:
                self.player.stop()                 # the chime, if it is still ringing
            self.runner.continue_on()

    def set_marking(self, marking: bool) -> None:
        """While the person marks the body map the practice never moves on by itself: a quiet
        stops counting (where it was) until they are back."""
        self._freeze(marking=marking)

    def hold_countdown(self, held: bool = True) -> None:
        """Stay with this step: the silence stops counting down until released."""
        if self.runner.state is State.SILENCE:
            self._freeze(held=held)
            self.countdown.emit(-1 if held else self._silence_left)

    def _freeze(self, held: bool | None = None, marking: bool | None = None) -> None:
        """A quiet counts down unless the person holds it or is marking the body map."""
        was = self._held or self._marking
        self._held = self._held if held is None else held
        self._marking = self._marking if marking is None else marking
        frozen = self._held or self._marking
        if self.runner.state is not State.SILENCE or frozen == was:
            return
        if frozen:
            self._silence_left = max(0.0, self._silence_end.remainingTime() / 1000)
            self._silence_end.stop()
        else:
            self._last_tick.restart()
            self._silence_end.start(int(self._silence_left * 1000))
