"""The microphone: record a take, with its level as it comes in, then finish it for a step.

QAudioSource in push mode gives the raw samples as they arrive, so the level meter and the
take come from the same bytes; nothing goes through a file until the take is finished
(app.speech.recording) and the person chooses to keep it. Finishing runs off the GUI thread.
"""
from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QElapsedTimer, QIODevice, QObject, QTimer, Signal
# QtAudio, not QAudio: since Qt 6.7 QAudioSource.error() and stateChanged give QtAudio's enums,
# and in PySide6 they never compare equal to QAudio's (every start looked like a failure).
from PySide6.QtMultimedia import QAudioFormat, QAudioSource, QMediaDevices, QtAudio

from app.qt.tasks import run_in_background

WATCH_MS = 100
MAX_TAKE_SECONDS = 15 * 60            # as app.storage.practice_share accepts
LEVEL_FLOOR_DB = -60.0
NO_MICROPHONE = ("No microphone was found. Plug one in (or allow Secure Base to use it), "
                 "then try again.")
_FORMATS = {QAudioFormat.SampleFormat.UInt8: "uint8", QAudioFormat.SampleFormat.Int16: "int16",
            QAudioFormat.SampleFormat.Int32: "int32", QAudioFormat.SampleFormat.Float: "float"}


def has_microphone() -> bool:
    return bool(QMediaDevices.audioInputs()) and not QMediaDevices.defaultAudioInput().isNull()


@dataclass(frozen=True)
class Take:
    """A finished take: WAV bytes ready to keep, and what it measures."""
    wav: bytes
    seconds: float


class VoiceRecorder(QObject):
    level = Signal(float)             # 0–1, the loudest moment of each piece that arrives
    elapsed = Signal(float)           # seconds recorded so far
    stopped = Signal()                # the microphone is closed; `finish` may follow
    failed = Signal(str)              # a plain sentence

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._source: QAudioSource | None = None
        self._device: QIODevice | None = None
        self._chunks: list[bytes] = []
        self._format = QAudioFormat()
        self._clock = QElapsedTimer()
        # PySide6 6.11 cannot pass stateChanged's QAudio::State to Python (a TypeError per
        # emit), so the source is looked at on a timer: it also reads what has arrived, so
        # the meter moves even when the device signals readyRead rarely.
        self._watch = QTimer(self)
        self._watch.setInterval(WATCH_MS)
        self._watch.timeout.connect(self._check)

    @property
    def recording(self) -> bool:
        return self._source is not None

    def start(self) -> bool:
        """Open the default microphone; False (and `failed`) when there is none."""
        self.discard()
        device = QMediaDevices.defaultAudioInput()
        if device.isNull():
            self.failed.emit(NO_MICROPHONE)
            return False
        wanted = QAudioFormat()
        wanted.setSampleRate(device.preferredFormat().sampleRate() or 48_000)
        wanted.setChannelCount(1)
        wanted.setSampleFormat(QAudioFormat.SampleFormat.Int16)
        self._format = wanted if device.isFormatSupported(wanted) else device.preferredFormat()
        self._source = QAudioSource(device, self._format, self)
        self._device = self._source.start()
        if self._device is None or self._source.error() != QtAudio.Error.NoError:
            self._close()
            self.failed.emit(NO_MICROPHONE)
            return False
        self._device.readyRead.connect(self._read)
        self._clock.invalidate()          # the take's time starts with its first sound
        self._watch.start()
        return True

    def stop(self) -> None:
        if self._source is None:
            return
        self._read()                      # what is buffered belongs to the take
        self._close()
        self.stopped.emit()

    def discard(self) -> None:
        self._close()
        self._chunks = []

    def raw(self) -> tuple[bytes, str, int, int]:
        """(bytes, sample format, channels, rate) of the take so far."""
        return (b"".join(self._chunks), _FORMATS.get(self._format.sampleFormat(), "unknown"),
                self._format.channelCount(), self._format.sampleRate())

    def finish(self, on_done, on_error) -> None:
        """Make the take a step (app.speech.recording) in the background: `on_done(Take)` or
        `on_error(plain sentence)`."""
        raw, kind, channels, rate = self.raw()

        def work() -> Take:
            from app.speech.audio import SAMPLE_RATE
            from app.speech.recording import finish_take, to_mono, wav_bytes
            samples = finish_take(to_mono(raw, kind, channels), rate)
            return Take(wav_bytes(samples), len(samples) / SAMPLE_RATE)

        def failed(exc: BaseException) -> None:
            from app.speech.recording import RecordingError
            reason = str(exc) if isinstance(exc, RecordingError) else type(exc).__name__
            on_error(f"This take cannot be used: {reason}.")
        run_in_background(work, on_done=on_done, on_error=failed, owner=self)

    def _read(self) -> None:
        if self._device is None:
            return
        data = bytes(self._device.readAll().data())
        if not data:
            return
        if not self._clock.isValid():
            self._clock.start()
        self._chunks.append(data)
        self.level.emit(_level(data, *self.raw()[1:3]))
        seconds = self._clock.elapsed() / 1000
        self.elapsed.emit(seconds)
        if seconds >= MAX_TAKE_SECONDS:
            self.stop()

    def _check(self) -> None:
        self._read()
        if self._source is not None and self._source.state() == QtAudio.State.StoppedState \
                and self._source.error() != QtAudio.Error.NoError:
            self._close()
            self.failed.emit("The microphone stopped. Check that it is still connected, then "
                             "record again.")

    def _close(self) -> None:
        self._watch.stop()
        source, self._source, self._device = self._source, None, None
        if source is not None:
            source.stop()
            source.deleteLater()


def _level(data: bytes, kind: str, channels: int) -> float:
    """The piece's peak on a -60…0 dBFS scale, as 0–1 (how a level meter reads)."""
    from app.speech.recording import to_mono
    try:
        samples = to_mono(data, kind, channels)
    except ValueError:
        return 0.0
    peak = float(np.abs(samples).max()) if len(samples) else 0.0
    if peak <= 0:
        return 0.0
    db = 20 * math.log10(peak)
    return max(0.0, min(1.0, (db - LEVEL_FLOOR_DB) / -LEVEL_FLOOR_DB))


def write_take(take: Take) -> Path:
    """A take to play back before it is kept: in the cache (0600), removed when the dialog
    lets it go, and with the cache by "delete all my data"."""
    from app import paths
    from app.storage.files import write_private
    target = paths.cache_dir() / "takes" / f"{secrets.token_hex(8)}.wav"
    write_private(target, take.wav)
    return target
