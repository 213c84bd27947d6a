"""Record a step in a voice: your own, or your therapist's.

The words to read are on screen, large; a level meter shows the microphone is hearing; a take
can be played back, recorded again or kept. Keeping it trims the silence around the voice and
levels it as the spoken steps are (app.speech.recording). A step cut by listening marks is
read in parts, one recording each, so the listening time stays where it was written.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QProgressBar, QVBoxLayout, QWidget

from app.core.practice import Step
from app.qt.practice_files import PracticeFiles
from app.qt.recorder import Take, VoiceRecorder
from app.ui.common.widgets import button, label, minutes_text


class RecordDialog(QDialog):
    def __init__(self, files: PracticeFiles, player, practice_id: str, step: Step,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.files, self.player = files, player
        self.practice_id, self.step = practice_id, step
        self.segments = step.segments
        self.part = 0
        self.take: Take | None = None
        self.take_file: Path | None = None
        self.recorder = VoiceRecorder(self)
        self.setWindowTitle(f"Record “{step.title}”")
        self.resize(640, 480)
        self._build()
        self._connect()
        self._show_part()

    def _build(self) -> None:
        column = QVBoxLayout(self)
        column.setSpacing(10)
        self.where = label("", "muted")
        column.addWidget(self.where)
        column.addWidget(label("Read these words slowly, as you would say them to a friend. "
                               "Pauses and listening time are added for you.", "muted"))
        self.words = label("", "steptext")
        self.words.setAccessibleDescription("Words to read")
        self.words.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.words, 1)
        self.meter = QProgressBar()
        self.meter.setRange(0, 100)
        self.meter.setTextVisible(False)
        self.meter.setAccessibleName("Microphone level")
        column.addWidget(self.meter)
        self.status = label("", "muted")
        self.status.setAccessibleDescription("Recording status")
        column.addWidget(self.status)
        row = QHBoxLayout()
        self.record = button("Record", "Start recording", "primary")
        self.play = button("Play it back", "Play the take back")
        self.keep = button("Keep this take", "Keep this take for the step")
        self.remove = button("Remove the recording", "Remove the recording; the voice speaks "
                             "this part again")
        self.previous = button("Previous part", "Previous part of the step")
        self.next = button("Next part", "Next part of the step")
        self.close_button = button("Close", "Close")
        for widget in (self.record, self.play, self.keep, self.remove):
            row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
        parts = QHBoxLayout()
        for widget in (self.previous, self.next):
            parts.addWidget(widget)
        parts.addStretch(1)
        parts.addWidget(self.close_button)
        column.addLayout(parts)

    def _connect(self) -> None:
        self.record.clicked.connect(self._toggle)
        self.play.clicked.connect(self._play)
        self.keep.clicked.connect(self._keep)
        self.remove.clicked.connect(self._remove)
        self.previous.clicked.connect(lambda: self._go(-1))
        self.next.clicked.connect(lambda: self._go(1))
        self.close_button.clicked.connect(self.reject)
        self.recorder.level.connect(lambda v: self.meter.setValue(int(v * 100)))
        self.recorder.elapsed.connect(
            lambda s: self.status.setText(f"Recording… {minutes_text(s)}. Press Stop when "
                                          "you have read the words."))
        self.recorder.stopped.connect(self._stopped)
        self.recorder.failed.connect(self._failed)

    # -- parts ----------------------------------------------------------------------------------

    @property
    def audio_id(self) -> str:
        return self.segments[self.part].audio_id

    def _show_part(self) -> None:
        count = len(self.segments)
        segment = self.segments[self.part]
        self.where.setText(f"Part {self.part + 1} of {count}" if count > 1 else "")
        self.where.setVisible(count > 1)
        self.words.setText(_words(segment.say))
        self.previous.setVisible(count > 1)
        self.next.setVisible(count > 1)
        self.previous.setEnabled(self.part > 0)
        self.next.setEnabled(self.part < count - 1)
        self._discard_take()
        recorded = self.audio_id in self.files.recordings(self.practice_id)
        from app.qt.recorder import NO_MICROPHONE, has_microphone
        self.status.setText(NO_MICROPHONE if not has_microphone() else
                            "This part already plays in a recorded voice; record it again to "
                            "replace it." if recorded else
                            "Press Record, read the words, then press Stop.")
        self._buttons(recorded)

    def _go(self, delta: int) -> None:
        self.recorder.discard()
        self.part = max(0, min(len(self.segments) - 1, self.part + delta))
        self._show_part()

    def _buttons(self, recorded: bool | None = None) -> None:
        if recorded is None:
            recorded = self.audio_id in self.files.recordings(self.practice_id)
        busy = self.recorder.recording
        self.record.setText("Stop" if busy else ("Record again" if self.take else "Record"))
        self.record.setAccessibleName("Stop recording" if busy else "Start recording")
        self.play.setEnabled(not busy and (self.take is not None or recorded))
        self.keep.setEnabled(not busy and self.take is not None)
        self.remove.setEnabled(not busy and recorded and self.take is None)

    # -- recording ------------------------------------------------------------------------------

    def _toggle(self) -> None:
        if self.recorder.recording:
            self.recorder.stop()
            return
        self.player.stop()
        self._discard_take()
        if self.recorder.start():
            # "Recording" only once sound arrives (`elapsed`): a microphone takes a moment
            # to open, and words read before then would be lost
            self.status.setText("Starting the microphone… wait a moment before reading.")
        self._buttons()

    def _stopped(self) -> None:
        self.meter.setValue(0)
        self.status.setText("Getting the take ready…")
        self._buttons()
        self.recorder.finish(self._finished, self._failed)

    def _finished(self, take: Take) -> None:
        from app.qt.recorder import write_take
        self.take, self.take_file = take, write_take(take)
        self.status.setText(f"A take of {minutes_text(take.seconds)} is ready: play it back, "
                            "record it again, or keep it.")
        self._buttons()
        self.play.setFocus()

    def _failed(self, message: str) -> None:
        self.meter.setValue(0)
        self.status.setText(message)
        self._buttons()

    def _play(self) -> None:
        recorded = self.files.recordings(self.practice_id).get(self.audio_id)
        wav = self.take_file or recorded
        if wav is not None:
            self.player.play_file(wav)

    def _keep(self) -> None:
        if self.take is None:
            return
        self.keep.setEnabled(False)
        self.files.save_recording(self.practice_id, self.audio_id, self.take.wav, self._kept)

    def _kept(self, _path) -> None:
        self._discard_take()
        self.status.setText("Kept. This part now plays in the recorded voice.")
        self._buttons(True)

    def _remove(self) -> None:
        self.player.stop()
        self.files.remove_recording(self.practice_id, self.audio_id, self._removed)

    def _removed(self, _none: object) -> None:
        self.status.setText("Removed. The voice speaks this part again.")
        self._buttons(False)

    def _discard_take(self) -> None:
        if self.take_file is not None:
            self.player.stop()
            self.take_file.unlink(missing_ok=True)
        self.take, self.take_file = None, None

    def reject(self) -> None:          # Esc and Close: stop, and leave nothing half-made
        self.recorder.discard()
        self._discard_take()
        super().reject()


def _words(say: str) -> str:
    from app.core.practice import Step as _Step
    return _Step("words", "", say).display_text
