"""GuidancePlayer: the one owner of audio playback.

QMediaPlayer keeps "playing" on the wall clock even with no sound device and reports no error,
so whether sound can be heard is checked explicitly (has_sound_output).
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer


def has_sound_output() -> bool:
    return bool(QMediaDevices.audioOutputs()) and not QMediaDevices.defaultAudioOutput().isNull()


class GuidancePlayer(QObject):
    started = Signal(str)           # path of the file that began playing
    finished = Signal(str)          # it reached its end
    position = Signal(int, int)     # position ms, duration ms
    error = Signal(str)             # a plain sentence

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._player = QMediaPlayer(self)
        # A long-lived child of the player: destroying it right after stop() can crash.
        self._output = QAudioOutput(self._player)
        self._player.setAudioOutput(self._output)
        self._current = ""
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.positionChanged.connect(self._emit_position)
        self._player.errorOccurred.connect(self._on_error)

    @property
    def current(self) -> str:
        return self._current

    def play_file(self, path: Path, rate: float = 1.0) -> None:
        self._current = str(path)
        self._player.stop()
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        self._player.setPlaybackRate(rate)
        self._player.play()
        self.started.emit(self._current)

    def pause(self) -> None:
        self._player.pause()

    def resume(self) -> None:
        if self._current:
            self._player.play()

    def stop(self) -> None:
        self._current = ""
        self._player.stop()

    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def set_volume(self, volume: float) -> None:
        self._output.setVolume(max(0.0, min(1.0, volume)))

    def volume(self) -> float:
        return self._output.volume()

    def position_ms(self) -> int:
        return self._player.position()

    def duration_ms(self) -> int:
        return self._player.duration()

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia and self._current:
            self.finished.emit(self._current)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._fail(f"The audio file {Path(self._current).name} could not be played.")

    def _emit_position(self, position: int) -> None:
        self.position.emit(position, self._player.duration())

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        self._fail(f"Playback stopped: {message or 'the audio could not be played'}.")

    def _fail(self, message: str) -> None:
        """Report a file's failure once (Qt may signal it twice: status and error)."""
        if self._current:
            self._current = ""
            self.error.emit(message)
