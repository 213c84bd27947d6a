"""A take from a microphone becomes a step like the rendered ones: 22,050 Hz mono, the room's
silence around the voice trimmed (against its own noise floor), levelled to the same loudness."""
from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from app.speech import audio
from app.speech.recording import (
    KEEP_AFTER, KEEP_BEFORE, RecordingError, finish_take, to_mono, voice_bounds, wav_bytes,
)

MIC_RATE = 48_000


def take(before: float, voice: float, after: float, *, noise_db: float = -55.0,
         level: float = 0.05, rate: int = MIC_RATE) -> np.ndarray:
    """A room's hiss throughout, a 180 Hz voice-like tone in the middle."""
    rng = np.random.default_rng(7)
    total = int((before + voice + after) * rate)
    samples = rng.normal(0, audio.db_to_gain(noise_db), total)
    start, end = int(before * rate), int((before + voice) * rate)
    t = np.arange(end - start) / rate
    samples[start:end] += level * np.sin(2 * np.pi * 180 * t) * (0.7 + 0.3 * np.sin(6 * t))
    return samples


def test_a_take_is_trimmed_to_its_voice_and_levelled_like_a_rendered_step():
    finished = finish_take(take(1.5, 2.0, 2.5), MIC_RATE)
    expected = audio.STEP_LEAD_IN + KEEP_BEFORE + 2.0 + KEEP_AFTER + audio.STEP_TAIL
    assert abs(len(finished) / audio.SAMPLE_RATE - expected) < 0.05
    assert abs(audio.integrated_lufs(finished) - audio.TARGET_LUFS) < 0.5
    assert np.abs(finished).max() <= audio.db_to_gain(audio.MAX_TRUE_PEAK_DBFS)
    assert abs(finished[:10]).max() < 1e-3 and abs(finished[-10:]).max() < 1e-3   # faded


def test_a_noisy_room_still_finds_the_voice():
    """A microphone's floor at -40 dBFS is far above the -50 dBFS that trims synthesized
    speech: the voice is found against the take's own quiet."""
    samples = audio.SAMPLE_RATE
    bounds = voice_bounds(take(1.0, 1.0, 1.0, noise_db=-40.0, level=0.2, rate=samples))
    assert bounds is not None
    assert abs(bounds[0] / samples - 1.0) < 0.03 and abs(bounds[1] / samples - 2.0) < 0.03


@pytest.mark.parametrize("samples, words", [
    (np.zeros(MIC_RATE * 2), "nothing was heard"),
    (take(1.0, 0.1, 1.0), "too short"),
])
def test_an_unusable_take_says_why(samples, words):
    with pytest.raises(RecordingError, match=words):
        finish_take(samples, MIC_RATE)


def test_what_microphones_give_is_read_as_mono():
    stereo_float = np.array([[0.5, -0.5], [0.25, 0.25]], dtype="<f4").tobytes()
    assert to_mono(stereo_float, "float", 2).tolist() == [0.0, 0.25]
    assert to_mono(np.array([0, 16384], "<i2").tobytes() + b"\x01", "int16", 1).tolist() \
        == [0.0, 0.5]                                  # a torn last sample is dropped
    assert to_mono(bytes([128, 255]), "uint8", 1)[0] == 0.0
    with pytest.raises(RecordingError, match="sample format"):
        to_mono(b"\x00\x00", "unknown", 1)


def test_the_kept_file_is_what_every_step_is():
    data = wav_bytes(finish_take(take(0.5, 1.0, 0.5), MIC_RATE))
    with wave.open(io.BytesIO(data), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (
            audio.SAMPLE_RATE, 1, 2)
