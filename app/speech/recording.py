"""A step recorded in a person's voice, made to sit beside the rendered steps.

The microphone gives whatever its device offers (48 kHz stereo floats, 44.1 kHz 16-bit, …).
A take becomes what every step of the app is: 22,050 Hz mono 16-bit, the silence before and
after the voice trimmed, the same quiet lead-in and tail, fades, and the same loudness
(TARGET_LUFS under the same peak ceiling, app.speech.audio), so a recorded step is neither
louder nor softer than the spoken one before it.
"""
from __future__ import annotations

import io
import wave

import numpy as np

from app.speech import audio

# A microphone's noise floor sits well above a synthetic voice's digital silence: the voice
# starts where the sound rises this far above the quietest stretch of the take…
NOISE_MARGIN_DB = 12.0
# …and never below -50 dBFS, the threshold used for synthesized speech.
MIN_THRESHOLD_DBFS = audio.TRIM_THRESHOLD_DBFS
KEEP_BEFORE, KEEP_AFTER = 0.12, 0.25     # a breath before the first word, the last word's decay
MIN_VOICE_SECONDS = 0.3
_TAPS = 63


class RecordingError(ValueError):
    """The take cannot be used; the message is plain."""


def to_mono(raw: bytes, sample_format: str, channels: int) -> np.ndarray:
    """PCM bytes as float mono in [-1, 1]. `sample_format`: uint8, int16, int32 or float."""
    kinds = {"uint8": ("<u1", 128.0, 128.0), "int16": ("<i2", 0.0, 32768.0),
             "int32": ("<i4", 0.0, 2147483648.0), "float": ("<f4", 0.0, 1.0)}
    if sample_format not in kinds:
        raise RecordingError(f"the microphone's sample format ({sample_format}) is not one "
                             "Secure Base reads")
    dtype, offset, scale = kinds[sample_format]
    width = np.dtype(dtype).itemsize * max(1, channels)
    usable = len(raw) - len(raw) % width
    data = (np.frombuffer(raw[:usable], dtype=dtype).astype(np.float64) - offset) / scale
    return data.reshape(-1, max(1, channels)).mean(axis=1) if channels > 1 else data


def resample(samples: np.ndarray, rate: int, target: int = audio.SAMPLE_RATE) -> np.ndarray:
    """To `target` Hz: a windowed-sinc low-pass below the new Nyquist, then interpolation
    (speech has little above 8 kHz; this keeps what is there from folding back)."""
    if rate == target or not len(samples):
        return samples
    if target < rate:
        cutoff = 0.45 * target / rate
        n = np.arange(_TAPS) - (_TAPS - 1) / 2
        kernel = 2 * cutoff * np.sinc(2 * cutoff * n) * np.hamming(_TAPS)
        samples = np.convolve(samples, kernel / kernel.sum(), mode="same")
    times = np.arange(int(len(samples) * target / rate)) * (rate / target)
    resampled: np.ndarray = np.interp(times, np.arange(len(samples)), samples)
    return resampled


def voice_bounds(samples: np.ndarray) -> tuple[int, int] | None:
    """(first, last) sample of the voice in a take, or None when nothing rises above the
    noise. Measured in 10 ms blocks against the take's own quietest blocks."""
    block = int(audio.SAMPLE_RATE * 0.01)
    usable = len(samples) // block * block
    if not usable:
        return None
    rms = np.sqrt((samples[:usable].reshape(-1, block) ** 2).mean(axis=1)) + 1e-12
    floor_db = 20 * np.log10(np.percentile(rms, 10))
    threshold = audio.db_to_gain(max(MIN_THRESHOLD_DBFS, floor_db + NOISE_MARGIN_DB))
    loud = np.flatnonzero(rms > threshold)
    if not loud.size:
        # No stretch is quieter than the rest: all voice (spoken from the first moment to
        # the last), unless all of it is below what counts as sound at all.
        return (0, usable) if rms.max() > audio.db_to_gain(MIN_THRESHOLD_DBFS) else None
    return int(loud[0] * block), int((loud[-1] + 1) * block)


def finish_take(samples: np.ndarray, rate: int) -> np.ndarray:
    """A raw take (float mono at `rate`) as a finished step: 22,050 Hz, trimmed, levelled."""
    samples = resample(np.asarray(samples, dtype=np.float64), rate)
    bounds = voice_bounds(samples)
    if bounds is None:
        raise RecordingError("nothing was heard; check that the microphone is on and not muted")
    if bounds[1] - bounds[0] < MIN_VOICE_SECONDS * audio.SAMPLE_RATE:   # a click, a cough
        raise RecordingError("the recording is too short to use")
    start = max(0, bounds[0] - int(KEEP_BEFORE * audio.SAMPLE_RATE))
    end = min(len(samples), bounds[1] + int(KEEP_AFTER * audio.SAMPLE_RATE))
    voice = samples[start:end]
    voice = audio.fade(voice - voice.mean(), 0.05, 0.15)     # no DC offset, no clicks
    voice = audio.normalise(voice)
    joined = np.concatenate([audio.silence(audio.STEP_LEAD_IN), voice,
                             audio.silence(audio.STEP_TAIL)])
    return audio.fade(joined, audio.STEP_FADE, audio.STEP_FADE)


def wav_bytes(samples: np.ndarray) -> bytes:
    """22,050 Hz mono 16-bit WAV, as every step of the app is stored."""
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(audio.SAMPLE_RATE)
        wav.writeframes(pcm.tobytes())
    return buffer.getvalue()
