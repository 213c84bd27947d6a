"""The microphone recorder: what a take holds, how the meter reads, when the microphone closes,
and what the person is told when something goes wrong.

There is no microphone on a test machine, so the device and its audio source are replaced at
Qt's edge by a small fake that hands over bytes the way QAudioSource does in push mode (a
QIODevice with readyRead). Everything above that edge is the recorder's real code; the real
microphone path is exercised end to end in tests/e2e (record_driver)."""
from __future__ import annotations

import io
import os
import wave

import numpy as np
import pytest
from PySide6.QtCore import QIODevice, QObject
from PySide6.QtMultimedia import QAudioFormat, QtAudio

from app.qt import recorder as rec
from app.qt.recorder import NO_MICROPHONE, Take, VoiceRecorder, _level, write_take

Int16 = QAudioFormat.SampleFormat.Int16
Float = QAudioFormat.SampleFormat.Float


class Feed(QIODevice):
    """What QAudioSource.start() returns in push mode: bytes arrive, readyRead says so."""

    def __init__(self) -> None:
        super().__init__()
        self.pending = bytearray()

    def isSequential(self) -> bool:
        return True

    def bytesAvailable(self) -> int:
        return len(self.pending) + super().bytesAvailable()

    def readData(self, maxlen: int) -> bytes:
        data, self.pending = bytes(self.pending[:maxlen]), self.pending[maxlen:]
        return data

    def writeData(self, data) -> int:
        return -1

    def put(self, data: bytes, announce: bool = True) -> None:
        self.pending += data
        if announce:
            self.readyRead.emit()


class Microphone:
    """A QAudioDevice stand-in: its preferred format, and which formats it takes."""

    def __init__(self, rate: int = 44_100, takes_int16: bool = True, null: bool = False):
        self.rate, self.takes_int16, self.null = rate, takes_int16, null

    def isNull(self) -> bool:
        return self.null

    def preferredFormat(self) -> QAudioFormat:
        fmt = QAudioFormat()
        fmt.setSampleRate(self.rate)
        fmt.setChannelCount(2)
        fmt.setSampleFormat(Float)
        return fmt

    def isFormatSupported(self, fmt: QAudioFormat) -> bool:
        return self.takes_int16 or fmt.sampleFormat() != Int16


class Source(QObject):
    """A QAudioSource stand-in that records what the recorder asked of it."""
    made: list[Source] = []
    opens = True
    error_at_start = QtAudio.Error.NoError

    def __init__(self, device, fmt: QAudioFormat, parent: QObject | None = None):
        super().__init__(parent)
        self.format = fmt
        self.feed = Feed()
        self.stops = 0
        self._state = QtAudio.State.ActiveState
        self._error = Source.error_at_start
        Source.made.append(self)

    def start(self) -> Feed | None:
        if not Source.opens:
            return None
        self.feed.open(QIODevice.OpenModeFlag.ReadOnly)
        return self.feed

    def error(self):
        return self._error

    def state(self):
        return self._state

    def stop(self) -> None:
        self.stops += 1
        self._state = QtAudio.State.StoppedState

    def unplug(self, error=QtAudio.Error.IOError) -> None:
        self._state, self._error = QtAudio.State.StoppedState, error


@pytest.fixture
def microphone(monkeypatch):
    """A microphone at 44.1 kHz that takes 16-bit mono; returns it to change before start."""
    mic = Microphone()

    class Devices:
        @staticmethod
        def defaultAudioInput():
            return mic

        @staticmethod
        def audioInputs():
            return [] if mic.null else [mic]

    Source.made, Source.opens, Source.error_at_start = [], True, QtAudio.Error.NoError
    monkeypatch.setattr(rec, "QMediaDevices", Devices)
    monkeypatch.setattr(rec, "QAudioSource", Source)
    return mic


@pytest.fixture
def recorder(qapp):
    made = VoiceRecorder()
    yield made
    made.discard()
    made.deleteLater()


def pcm16(seconds: float, amplitude: float, rate: int = 44_100, tone: float = 220.0) -> bytes:
    t = np.arange(int(seconds * rate)) / rate
    return (np.sin(2 * np.pi * tone * t) * amplitude * 32767).astype("<i2").tobytes()


# -- opening the microphone --------------------------------------------------------------------

def test_without_a_microphone_the_person_is_told_plainly(qtbot, microphone, recorder):
    microphone.null = True
    with qtbot.waitSignal(recorder.failed) as said:
        assert recorder.start() is False
    assert said.args == [NO_MICROPHONE]
    assert not recorder.recording and Source.made == []
    assert rec.has_microphone() is False


def test_a_microphone_is_found_when_one_is_plugged_in(microphone):
    assert rec.has_microphone() is True


def test_a_default_microphone_that_is_not_listed_is_not_offered(microphone, monkeypatch):
    monkeypatch.setattr(rec.QMediaDevices, "audioInputs", staticmethod(lambda: []))
    assert rec.has_microphone() is False


def test_the_take_is_asked_for_as_16_bit_mono_at_the_microphones_own_rate(microphone,
                                                                           recorder):
    assert recorder.start() is True and recorder.recording
    asked = Source.made[-1].format
    assert (asked.sampleRate(), asked.channelCount(), asked.sampleFormat()) == (44_100, 1, Int16)


def test_a_microphone_without_a_rate_of_its_own_is_asked_for_48_khz(microphone, recorder):
    microphone.rate = 0
    assert recorder.start()
    assert Source.made[-1].format.sampleRate() == 48_000


def test_a_microphone_that_cannot_give_16_bit_mono_records_in_its_own_format(microphone,
                                                                             recorder):
    microphone.takes_int16 = False
    assert recorder.start()
    asked = Source.made[-1].format
    assert (asked.channelCount(), asked.sampleFormat()) == (2, Float)
    Source.made[-1].feed.put(np.full(8, 0.5, dtype="<f4").tobytes())
    assert recorder.raw()[1:] == ("float", 2, 44_100)


@pytest.mark.parametrize("how", ["no device", "an error"])
def test_a_microphone_that_will_not_open_is_closed_and_named(qtbot, microphone, recorder, how):
    Source.opens = how != "no device"
    Source.error_at_start = QtAudio.Error.OpenError if how == "an error" else \
        QtAudio.Error.NoError
    with qtbot.waitSignal(recorder.failed) as said:
        assert recorder.start() is False
    assert said.args == [NO_MICROPHONE]
    assert not recorder.recording and Source.made[-1].stops == 1


# -- while recording ---------------------------------------------------------------------------

def test_what_arrives_is_the_take_and_moves_the_meter(qtbot, microphone, recorder):
    assert recorder.start()
    feed = Source.made[-1].feed
    levels: list[float] = []
    recorder.level.connect(levels.append)
    loud, quiet = pcm16(0.05, 1.0), pcm16(0.05, 10 ** (-30 / 20))
    with qtbot.waitSignal(recorder.elapsed) as first:
        feed.put(loud)
    feed.put(quiet)
    assert recorder.raw() == (loud + quiet, "int16", 1, 44_100)
    assert levels[0] == pytest.approx(1.0, abs=0.01)
    assert levels[1] == pytest.approx(0.5, abs=0.02)
    assert 0 <= first.args[0] < 1.0          # the take's time starts with its first sound


def test_the_takes_time_counts_from_its_first_sound(qtbot, microphone, recorder):
    assert recorder.start()
    feed = Source.made[-1].feed
    seen: list[float] = []
    recorder.elapsed.connect(seen.append)
    feed.put(b"")                                # an empty read is not the first sound
    assert seen == []
    feed.put(pcm16(0.01, 0.5))
    qtbot.waitUntil(lambda: recorder._clock.elapsed() >= 30, timeout=2000)
    feed.put(pcm16(0.01, 0.5))
    assert seen[0] < seen[1] < 1.0


def test_recording_again_starts_the_clock_again(qtbot, microphone, recorder):
    assert recorder.start()
    Source.made[-1].feed.put(pcm16(0.01, 0.5))
    qtbot.waitUntil(lambda: recorder._clock.elapsed() >= 300, timeout=3000)
    assert recorder.start()
    with qtbot.waitSignal(recorder.elapsed) as again:
        Source.made[-1].feed.put(pcm16(0.01, 0.5))
    assert again.args[0] < 0.25


def test_a_closed_microphone_is_let_go(qtbot, microphone, recorder):
    assert recorder.start()
    source = Source.made[-1]
    with qtbot.waitSignal(source.destroyed, timeout=2000):
        recorder.stop()


def test_stop_keeps_what_was_still_buffered_and_closes_the_microphone(qtbot, microphone,
                                                                      recorder):
    assert recorder.start()
    source = Source.made[-1]
    last = pcm16(0.05, 0.5)
    source.feed.put(last, announce=False)        # arrived, but no readyRead yet
    with qtbot.waitSignal(recorder.stopped):
        recorder.stop()
    assert recorder.raw()[0] == last
    assert not recorder.recording and source.stops == 1
    assert not recorder._watch.isActive()


def test_stop_when_not_recording_says_nothing(qtbot, recorder):
    with qtbot.assertNotEmitted(recorder.stopped):
        recorder.stop()


def test_the_meter_keeps_moving_when_the_device_is_slow_to_say_so(qtbot, microphone, recorder):
    """Some devices signal readyRead rarely: the watch reads what has arrived anyway."""
    assert recorder.start()
    Source.made[-1].feed.put(pcm16(0.05, 0.5), announce=False)
    with qtbot.waitSignal(recorder.level, timeout=2000):
        pass
    assert len(recorder.raw()[0]) == len(pcm16(0.05, 0.5))


def test_a_microphone_unplugged_while_recording_is_named(qtbot, microphone, recorder):
    assert recorder.start()
    source = Source.made[-1]
    source.unplug()
    with qtbot.waitSignal(recorder.failed, timeout=2000) as said:
        pass
    assert "microphone stopped" in said.args[0]
    assert not recorder.recording and source.stops == 1


def test_a_microphone_that_merely_paused_is_not_a_failure(qtbot, microphone, recorder):
    assert recorder.start()
    Source.made[-1].unplug(error=QtAudio.Error.NoError)
    with qtbot.assertNotEmitted(recorder.failed, wait=350):
        pass
    assert recorder.recording


def test_a_take_stops_by_itself_at_the_longest_length(qtbot, microphone, recorder,
                                                      monkeypatch):
    monkeypatch.setattr(rec, "MAX_TAKE_SECONDS", 0)      # the first sound is already "too long"
    assert recorder.start()
    with qtbot.waitSignal(recorder.stopped):
        Source.made[-1].feed.put(pcm16(0.01, 0.5))
    assert not recorder.recording


def test_the_longest_take_is_fifteen_minutes_as_a_shared_file_accepts():
    assert rec.MAX_TAKE_SECONDS == 15 * 60


def test_discard_forgets_the_take_and_a_new_start_begins_empty(microphone, recorder):
    assert recorder.start()
    Source.made[-1].feed.put(pcm16(0.05, 0.5))
    assert recorder.start()                      # record again
    assert recorder.raw()[0] == b"" and Source.made[0].stops == 1
    Source.made[-1].feed.put(pcm16(0.05, 0.5))
    recorder.discard()
    assert recorder.raw()[0] == b"" and not recorder.recording


# -- the meter ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("amplitude", "reads"), [(1.0, 1.0), (10 ** (-30 / 20), 0.5),
                                                  (10 ** (-45 / 20), 0.25), (10 ** (-80 / 20),
                                                                              0.0), (0.0, 0.0)])
def test_the_meter_reads_the_peak_on_a_60_db_scale(amplitude, reads):
    assert _level(pcm16(0.02, amplitude), "int16", 1) == pytest.approx(reads, abs=0.01)


def test_the_meter_stops_at_full_even_when_a_float_microphone_overshoots():
    assert _level(np.full(16, 2.0, dtype="<f4").tobytes(), "float", 1) == 1.0


def test_the_meter_reads_nothing_from_what_it_cannot_read():
    assert _level(b"\x00\x10" * 10, "mp3", 1) == 0.0
    assert _level(b"", "int16", 1) == 0.0


# -- finishing a take --------------------------------------------------------------------------

def finish(qtbot, recorder: VoiceRecorder) -> tuple[list[Take], list[str]]:
    done: list[Take] = []
    errors: list[str] = []
    recorder.finish(done.append, errors.append)
    qtbot.waitUntil(lambda: bool(done or errors), timeout=10_000)
    return done, errors


def test_a_finished_take_is_a_step_at_22_khz(qtbot, microphone, recorder):
    assert recorder.start()
    feed = Source.made[-1].feed
    feed.put(pcm16(0.3, 0.0005) + pcm16(1.0, 0.5) + pcm16(0.3, 0.0005))
    recorder.stop()
    (take,), errors = finish(qtbot, recorder)
    assert errors == []
    with wave.open(io.BytesIO(take.wav)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22_050, 1, 2)
        assert take.seconds == pytest.approx(wav.getnframes() / 22_050)
    assert 1.0 < take.seconds < 2.5


def test_a_silent_take_is_refused_with_a_reason(qtbot, microphone, recorder):
    assert recorder.start()
    Source.made[-1].feed.put(bytes(44_100))
    recorder.stop()
    done, (error,) = finish(qtbot, recorder)
    assert done == []
    assert error == ("This take cannot be used: nothing was heard; check that the microphone "
                     "is on and not muted.")


def test_an_unexpected_failure_is_named_without_a_traceback(qtbot, recorder, monkeypatch):
    import app.speech.recording as recording

    def broken(*_args):
        raise MemoryError("details a person does not need")
    monkeypatch.setattr(recording, "finish_take", broken)
    recorder._chunks = [pcm16(0.5, 0.5)]
    recorder._format.setSampleFormat(Int16)
    recorder._format.setChannelCount(1)
    recorder._format.setSampleRate(44_100)
    done, (error,) = finish(qtbot, recorder)
    assert error == "This take cannot be used: MemoryError."


def test_a_take_to_listen_to_is_private_and_in_the_cache(securebase_home):
    from app import paths
    target = write_take(Take(b"RIFF-bytes", 1.0))
    assert target.parent == paths.cache_dir() / "takes"
    assert target.read_bytes() == b"RIFF-bytes"
    assert os.stat(target).st_mode & 0o777 == 0o600
    assert write_take(Take(b"x", 0.1)) != target          # each take its own file
