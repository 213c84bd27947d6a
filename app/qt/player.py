"""GuidancePlayer: the one owner of audio playback.

QMediaPlayer keeps "playing" on the wall clock even with no sound device and reports no error,
so whether sound can be heard is checked explicitly (has_sound_output).

A step heard before it is fully rendered plays in two files: its first sentence ("head"), then
the rest once it is written. `continue_with(head, rest)` says so; to its callers the player
plays one file, `head`, and says `finished` once, after the rest.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QUrl, Signal
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer


def _ask_pyside_here(*objects: QObject) -> None:
    """Have PySide settle, on the GUI thread, that Python overrides neither connectNotify nor
    disconnectNotify of these objects; it caches that answer on each object.

    Why: FFmpeg's audio renderer (its own thread) connects to the QAudioOutput, and when a stop
    or a new file tears it down, ~QObject calls the output's disconnectNotify while holding a Qt
    signal-slot mutex. Unanswered, PySide takes the GIL there to look for an override, while
    the GUI thread, holding the GIL, may be waiting for that same mutex in a connect (building
    a screen): the window froze for good. tests/qt/test_player_threads.py reproduces it.
    """
    def nothing() -> None:
        pass

    for obj in objects:
        obj.destroyed.connect(nothing)       # connectNotify, asked here
        obj.destroyed.disconnect(nothing)    # disconnectNotify, asked here


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
        _ask_pyside_here(self._player, self._output)
        self._current = ""
        # head file -> the rest of its step (None: still rendering)
        self._rests: dict[str, Path | None] = {}
        self._in_rest = False       # playing the rest of the current file
        self._waiting = False       # the head has ended; the rest is not written yet
        self._paused = False
        self._offset_ms = 0         # the head's length, while the rest plays
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.positionChanged.connect(self._emit_position)
        self._player.errorOccurred.connect(self._on_error)

    @property
    def current(self) -> str:
        return self._current

    def play_file(self, path: Path, rate: float = 1.0) -> None:
        self._current = str(path)
        self._in_rest = self._waiting = self._paused = False
        self._offset_ms = 0
        self._load(path, rate)
        self.started.emit(self._current)

    def continue_with(self, head: Path, rest: Path | None) -> None:
        """`head` is the start of a step whose rest is `rest` (None: being written)."""
        self._rests[str(head)] = None if rest is None else Path(rest)
        if rest is not None and self._waiting and self._current == str(head) and not self._paused:
            self._play_rest()

    def pause(self) -> None:
        self._paused = True
        self._player.pause()

    def resume(self) -> None:
        if not self._current:
            return
        self._paused = False
        if self._waiting:
            if self._rests.get(self._current) is not None:
                self._play_rest()
        else:
            self._player.play()

    def stop(self) -> None:
        self._current = ""
        self._in_rest = self._waiting = self._paused = False
        self._player.stop()

    def is_playing(self) -> bool:
        return self._player.playbackState() == QMediaPlayer.PlaybackState.PlayingState

    def set_volume(self, volume: float) -> None:
        self._output.setVolume(volume)          # QAudioOutput keeps it within 0..1 itself

    def volume(self) -> float:
        return self._output.volume()

    def position_ms(self) -> int:
        return self._offset_ms + self._player.position()

    def duration_ms(self) -> int:
        return self._offset_ms + self._player.duration()

    def _load(self, path: Path, rate: float | None = None) -> None:
        self._player.stop()
        self._player.setSource(QUrl.fromLocalFile(str(path)))
        if rate is not None:
            self._player.setPlaybackRate(rate)
        self._player.play()

    def _play_rest(self) -> None:
        rest = self._rests[self._current]
        self._waiting, self._in_rest = False, True
        self._load(rest)  # type: ignore[arg-type]

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.EndOfMedia and self._current:
            if not self._in_rest and self._current in self._rests:
                self._offset_ms = self._player.duration()
                if self._rests[self._current] is None:
                    self._waiting = True        # continue_with starts the rest
                else:
                    self._play_rest()
                return
            self.finished.emit(self._current)
        elif status == QMediaPlayer.MediaStatus.InvalidMedia:
            self._fail(f"The audio file {Path(self._current).name} could not be played.")

    def _emit_position(self, position: int) -> None:
        self.position.emit(self._offset_ms + position, self.duration_ms())

    def _on_error(self, _error: QMediaPlayer.Error, message: str) -> None:
        self._fail(f"Playback stopped: {message or 'the audio could not be played'}.")

    def _fail(self, message: str) -> None:
        """Report a file's failure once (Qt may signal it twice: status and error)."""
        if self._current:
            self._current = ""
            self.error.emit(message)
