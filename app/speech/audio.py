"""Post-processing of synthesized speech: trim, join with natural gaps, fade, normalise.

pydub does the file I/O and format conversion; the per-sample work is numpy because it runs
over every second of every step and must not be the render bottleneck.
Loudness follows ITU-R BS.1770-4 (K-weighting, 400 ms blocks, absolute and relative gates).
"""
from __future__ import annotations

import functools
import math
import os
import warnings
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from app.speech.engine import plausible_seconds
from app.storage.privacy import private_folder
from app.speech.text import Chunk, Pause, Speech

with warnings.catch_warnings():
    # pydub warns on import about ffmpeg (unused: WAV only) and audioop; keep terminals clean.
    warnings.simplefilter("ignore")
    from pydub import AudioSegment

SAMPLE_RATE = 22_050
# Seconds of quiet after speech. A sentence gap is clearly longer than any pause inside a
# sentence (MAX_INNER_PAUSE), so the listener hears where a thought ends.
GAPS = {"clause": 0.25, "sentence": 0.6, "paragraph": 1.0}
# Pauses the engine makes inside a sentence (Piper's commas: up to 1 s at a calm pace) are
# shortened to this, so "If it feels okay, ..." does not hesitate and then rush.
MAX_INNER_PAUSE = 0.3
_INNER_QUIET_DB = -40.0
_SOUND_FLOOR = 0.001     # -60 dBFS: below this a sample counts as silence  # below the sentence's own peak: a pause, not a soft consonant
CHUNK_FADE_IN = 0.03     # at chunk edges: enough to avoid clicks, short enough to keep onsets
# A sentence end decays over this long rather than stopping hard into silence (espeak often
# ends a word at full level).
CHUNK_FADE_OUT = 0.1
STEP_FADE = 0.3
# The step starts and ends with quiet, so the step fades never touch a word. The lead-in is
# short: it is the wait before the first word after Begin (bench/first_sound.py).
STEP_LEAD_IN = 0.1
STEP_TAIL = 0.5
TRIM_THRESHOLD_DBFS = -50.0
TRIM_KEEP_BEFORE = 0.03  # keep a breath of the engine's own lead-in / decay around speech
TRIM_KEEP_AFTER = 0.06
# At full volume the speaker gets about -19 LUFS: Qt's mono-to-stereo upmix costs ~3 dB.
TARGET_LUFS = -16.0
MAX_TRUE_PEAK_DBFS = -1.0
_LIMIT_CEILING_DBFS = -1.5  # margin for inter-sample peaks the 4x estimate misses
# Levelled chunks peak lower still: joined into a step they measure ~0.3 LU quieter (gating
# at the gaps), and the step's correction can then boost them without another limiter pass.
_CHUNK_CEILING_DBFS = -2.0
_STEP_BOOST_FREE_DB = MAX_TRUE_PEAK_DBFS - _CHUNK_CEILING_DBFS - 0.2
_OVERSAMPLE = 4
# Gain and loudness work in blocks of 105 samples (~4.8 ms), which divide the 100 ms gating hop
# at 22,050 Hz exactly: 21 blocks a hop, 84 a 400 ms gating block.
_BLOCK = 105
_GATE_HOP, _GATE_LEN = 21, 84

Samples = np.ndarray  # float64 mono in [-1, 1] at SAMPLE_RATE


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


# --- files --------------------------------------------------------------------------------

def load_wav(path: Path) -> Samples:
    """Any WAV pydub reads, as float mono at SAMPLE_RATE (future engines may differ)."""
    segment = AudioSegment.from_wav(str(path))
    segment = segment.set_channels(1).set_sample_width(2).set_frame_rate(SAMPLE_RATE)
    return np.frombuffer(segment.raw_data, dtype="<i2").astype(np.float64) / 32768.0


def to_segment(samples: Samples) -> AudioSegment:
    pcm = np.clip(np.round(samples * 32767.0), -32768, 32767).astype("<i2")
    return AudioSegment(data=pcm.tobytes(), sample_width=2, frame_rate=SAMPLE_RATE, channels=1)


def save_wav(samples: Samples, path: Path) -> int:
    """Write 22,050 Hz mono 16-bit atomically (readers never see half a file); bytes written."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    to_segment(samples).export(str(temp), format="wav")
    os.chmod(temp, 0o600)           # speech of the person's practices: owner-only
    os.replace(temp, path)
    return path.stat().st_size


# --- chunks -------------------------------------------------------------------------------

def trim_silence(samples: Samples) -> Samples:
    """Cut the engine's edge silence (espeak adds ~0.45 s after each sentence), keeping a
    few ms around the speech so soft onsets and decays are not clipped."""
    block = int(SAMPLE_RATE * 0.005)
    padded = np.pad(np.abs(samples), (0, -len(samples) % block))
    loud = np.flatnonzero(padded.reshape(-1, block).max(axis=1) > db_to_gain(TRIM_THRESHOLD_DBFS))
    if loud.size == 0:
        return samples[:0]
    start = max(0, loud[0] * block - int(TRIM_KEEP_BEFORE * SAMPLE_RATE))
    end = min(len(samples), (loud[-1] + 1) * block + int(TRIM_KEEP_AFTER * SAMPLE_RATE))
    return samples[start:end]


def fade_out_sound(samples: Samples, seconds: float) -> Samples:
    """A raised-cosine fade ending where the sound ends (its last sample above -60 dBFS), not
    where the file ends: espeak stops words at full level and pads with exact zeros, so a fade
    over the padding would leave the hard stop in place."""
    audible = np.flatnonzero(np.abs(samples) > _SOUND_FLOOR)
    if not audible.size:
        return samples
    end = int(audible[-1]) + 1
    n = min(end, int(seconds * SAMPLE_RATE))
    out = samples.copy()
    out[end - n:end] *= np.cos(np.linspace(0.0, np.pi / 2, n)) ** 2
    out[end:] = 0.0
    return out


def cap_pauses(samples: Samples, longest: float = MAX_INNER_PAUSE) -> Samples:
    """Shorten every quiet stretch inside the speech to `longest` seconds, cutting from its
    middle (the engine's own decay and the next onset stay) with a 2 ms crossfade."""
    block = int(SAMPLE_RATE * 0.005)
    usable = len(samples) // block * block
    if not usable:
        return samples
    peak = float(np.abs(samples).max())
    rms = np.sqrt((samples[:usable].reshape(-1, block) ** 2).mean(axis=1))
    quiet = rms < peak * db_to_gain(_INNER_QUIET_DB)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]])))
    keep_each = int(longest * SAMPLE_RATE) // 2
    pieces, position = [], 0
    for start, end in zip(edges[::2] * block, edges[1::2] * block):
        if end - start <= 2 * keep_each or start == 0 or end >= usable:
            continue  # short enough, or the edge silence (trim_silence's business)
        pieces.append(samples[position:start + keep_each])
        position = end - keep_each
    if not pieces:
        return samples
    pieces.append(samples[position:])
    return _crossfade_join(pieces, int(SAMPLE_RATE * 0.002))


def _crossfade_join(pieces: list[Samples], overlap: int) -> Samples:
    out = pieces[0]
    ramp = np.linspace(0.0, 1.0, overlap, endpoint=False)
    for piece in pieces[1:]:
        if len(out) < overlap or len(piece) < overlap:
            out = np.concatenate([out, piece])
            continue
        mixed = out[-overlap:] * (1 - ramp) + piece[:overlap] * ramp
        out = np.concatenate([out[:-overlap], mixed, piece[overlap:]])
    return out


def fade(samples: Samples, fade_in: float, fade_out: float) -> Samples:
    """Fades from and to exact zero, so no click. The fade-in is a quarter sine: espeak often
    starts a vowel at full level on sample 0, and this shape lets it through sooner (-6 dB
    after a third of the fade) than a raised cosine would. The fade-out is a raised cosine."""
    out = samples.copy()
    for seconds, power, edge in ((fade_in, 1, slice(None)), (fade_out, 2, slice(None, None, -1))):
        n = min(len(out), int(seconds * SAMPLE_RATE))
        if n > 0:
            view = out[edge]
            view[:n] *= np.sin(np.linspace(0.0, np.pi / 2, n, endpoint=False)) ** power
    return out


def prepare_chunk(raw_wav: Path, out_wav: Path) -> float:
    """Engine output -> cached chunk: trimmed, faded at both edges, and already at the target
    loudness under the peak ceiling. Levelling here (in the workers, once per sentence, on
    speech only) leaves each step a cheap final correction. Returns seconds."""
    samples = fade_out_sound(fade(cap_pauses(trim_silence(load_wav(raw_wav))), CHUNK_FADE_IN, 0.0),
                             CHUNK_FADE_OUT)
    if not len(samples):
        raise ValueError(f"the audio never rises above {TRIM_THRESHOLD_DBFS:g} dBFS")
    samples = normalise(samples, ceiling_dbfs=_CHUNK_CEILING_DBFS)
    save_wav(samples, out_wav)
    return len(samples) / SAMPLE_RATE


# --- steps --------------------------------------------------------------------------------

def layout(chunks: Sequence[Chunk], audio_for: Callable[[Speech], Samples]) -> list[Samples]:
    """Speech audio and silences in order. Between two pieces of speech a natural gap; a pause
    mark replaces the gap (its seconds are the whole quiet between the words)."""
    parts: list[Samples] = []
    for index, chunk in enumerate(chunks):
        if isinstance(chunk, Pause):
            parts.append(silence(chunk.seconds))
            continue
        parts.append(audio_for(chunk))
        following = chunks[index + 1] if index + 1 < len(chunks) else None
        if isinstance(following, Speech):
            parts.append(silence(GAPS[chunk.end]))
    return parts


def silence(seconds: float) -> Samples:
    return np.zeros(int(round(seconds * SAMPLE_RATE)))


def finish_step(parts: Sequence[Samples], tail: float = STEP_TAIL) -> Samples:
    """Join, add quiet lead-in and tail with step fades, and correct the (already levelled)
    chunks to TARGET_LUFS for the step as a whole, under the peak cap. With no tail (the head
    of a step, lead.py) there is no closing fade either: the rest of the step follows."""
    joined = np.concatenate([silence(STEP_LEAD_IN), *parts, silence(tail)])
    faded = fade(joined, STEP_LEAD_IN, STEP_FADE if tail else 0.0)
    loudness = integrated_lufs(faded)
    if not math.isfinite(loudness):
        return faded
    gain_db = TARGET_LUFS - loudness
    corrected = faded * db_to_gain(gain_db)
    # Chunks peak at most at their ceiling: a boost within the margin stays legal.
    return limit_peaks(corrected) if gain_db > _STEP_BOOST_FREE_DB else corrected


def render_step(chunks: Sequence[Chunk], chunk_files: Sequence[Path], out_wav: Path, *,
                words: int, rate: int) -> tuple[float, int]:
    """Assemble a step from its cached chunk WAVs (one per Speech, in order), write it and
    check the file against what its words and quiet imply. Returns (seconds, bytes)."""
    files = iter(chunk_files)
    samples = finish_step(layout(chunks, lambda _speech: load_wav(next(files))))
    private_folder(out_wav.parent)
    size = save_wav(samples, out_wav)
    quiet = sum(c.seconds for c in chunks if isinstance(c, Pause)) + STEP_LEAD_IN + STEP_TAIL
    speaking = len(chunk_files) > 0
    low, high = plausible_seconds(words, rate) if speaking else (0.0, 0.0)
    slack = 0.01  # each silence is rounded to whole samples
    check_wav_file(out_wav, quiet + low - slack,
                   quiet + high + GAPS["paragraph"] * len(chunk_files) + slack, sound=speaking)
    return len(samples) / SAMPLE_RATE, size


def check_wav_file(path: Path, min_seconds: float, max_seconds: float, *, sound: bool) -> None:
    """ValueError saying what is wrong unless `path` is a complete 22,050 Hz mono 16-bit WAV
    of plausible length (and not silent when it should hold speech)."""
    with wave.open(str(path), "rb") as wav:
        shape = (wav.getframerate(), wav.getnchannels(), wav.getsampwidth())
        frames = wav.getnframes()
        data = wav.readframes(frames)
    seconds = frames / SAMPLE_RATE
    if shape != (SAMPLE_RATE, 1, 2):
        raise ValueError("it is not 22,050 Hz mono 16-bit")
    if len(data) != 2 * frames:
        raise ValueError("it is incomplete")
    if sound and not data.strip(b"\x00"):
        raise ValueError("it is silent")
    if not min_seconds <= seconds <= max_seconds:
        raise ValueError(f"{seconds:.1f} s is outside the plausible "
                         f"{min_seconds:.1f}-{max_seconds:.1f} s")


def normalise(samples: Samples, target: float = TARGET_LUFS,
              ceiling_dbfs: float = _LIMIT_CEILING_DBFS) -> Samples:
    """Gain to `target` LUFS integrated, with peaks limited to the ceiling.

    One K-weighting pass and one peak pass; the gain that still meets the target after
    limiting is then found on per-block energies (the limiter's gain moves slowly, so
    K(g * x) ~ g * K(x)). Sentences shorter than a gating block are measured ungated.
    """
    energy = _blocks(_k_filter(samples, SAMPLE_RATE) ** 2, np.sum)
    peaks = _blocks(oversampled_peaks(samples), np.max)
    ceiling = db_to_gain(ceiling_dbfs)
    gain, limiter = 1.0, _limiter_gains(peaks, ceiling)
    for _ in range(4):
        loudness = _block_loudness(energy * (gain * limiter) ** 2)
        if not math.isfinite(loudness) or abs(loudness - target) < 0.05:
            break
        gain *= db_to_gain(target - loudness)
        limiter = _limiter_gains(peaks * gain, ceiling)
    return samples * gain * _per_sample(limiter, len(samples))


# --- loudness (ITU-R BS.1770-4) -----------------------------------------------------------

def k_weighting(rate: int) -> tuple[tuple[np.ndarray, np.ndarray], ...]:
    """The two K-weighting biquads (b, a) for any sample rate, from the analogue prototype as
    libebur128 derives it; at 48 kHz it reproduces the coefficients printed in BS.1770."""
    shelf_f0, shelf_gain_db, shelf_q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
    k = math.tan(math.pi * shelf_f0 / rate)
    vh = 10.0 ** (shelf_gain_db / 20.0)
    vb = vh ** 0.4996667741545416
    a0 = 1.0 + k / shelf_q + k * k
    shelf = (np.array([(vh + vb * k / shelf_q + k * k) / a0, 2.0 * (k * k - vh) / a0,
                       (vh - vb * k / shelf_q + k * k) / a0]),
             np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / shelf_q + k * k) / a0]))
    hp_f0, hp_q = 38.13547087602444, 0.5003270373238773
    k = math.tan(math.pi * hp_f0 / rate)
    a0 = 1.0 + k / hp_q + k * k
    highpass = (np.array([1.0, -2.0, 1.0]),
                np.array([1.0, 2.0 * (k * k - 1.0) / a0, (1.0 - k / hp_q + k * k) / a0]))
    return shelf, highpass


# K-weighting as an FIR: the IIR response is below 1e-13 of its energy after 2048 samples.
_K_TAPS = 2048
_K_FRAME = 1 << 14
_K_HOP = _K_FRAME - _K_TAPS


def _k_filter(samples: Samples, rate: int) -> Samples:
    """K-weight by FFT overlap-add in fixed frames: the IIR filters' result, without a
    per-sample Python loop, and with one cached frame response for every step length."""
    frames = -(-len(samples) // _K_HOP)
    padded = np.zeros(frames * _K_HOP)
    padded[:len(samples)] = samples
    blocks = padded.reshape(frames, _K_HOP)
    live = np.flatnonzero(blocks.any(axis=1))  # pauses are silent frames: nothing to filter
    filtered = np.zeros((frames, _K_FRAME))
    if live.size:
        spectra = np.fft.rfft(blocks[live], _K_FRAME, axis=1)
        filtered[live] = np.fft.irfft(spectra * _k_frame_response(rate), _K_FRAME, axis=1)
    out = np.zeros((frames + 1, _K_HOP))
    out[:frames] = filtered[:, :_K_HOP]
    out[1:, :_K_TAPS] += filtered[:, _K_HOP:]  # each frame's tail rings into the next
    return out.ravel()[:len(samples)]


@functools.lru_cache(maxsize=4)
def _k_frame_response(rate: int) -> np.ndarray:
    """Spectrum of the K-weighting impulse response (truncated to _K_TAPS) at _K_FRAME points."""
    size = 1 << 17
    z_inv = np.exp(-2j * np.pi * np.arange(size // 2 + 1) / size)
    response = np.ones(len(z_inv), dtype=complex)
    for b, a in k_weighting(rate):
        response *= np.polyval(b[::-1], z_inv) / np.polyval(a[::-1], z_inv)
    return np.fft.rfft(np.fft.irfft(response, size)[:_K_TAPS], _K_FRAME)


def integrated_lufs(samples: Samples, rate: int = SAMPLE_RATE) -> float:
    """Gated integrated loudness of one channel in LUFS; -inf when everything is gated out."""
    return _gated_loudness([samples], rate)


def _gated_loudness(channels: Sequence[Samples], rate: int) -> float:
    block, hop = int(0.4 * rate), int(0.1 * rate)
    if not channels or len(channels[0]) < block:
        return -math.inf
    starts = np.arange(0, len(channels[0]) - block + 1, hop)
    power = np.zeros(len(starts))
    for channel in channels:  # BS.1770 weights L, R and C by 1.0
        cumulative = np.concatenate([[0.0], np.cumsum(_k_filter(channel, rate) ** 2)])
        power += (cumulative[starts + block] - cumulative[starts]) / block
    return _gate(power)


def _gate(power: np.ndarray) -> float:
    """BS.1770 gating of 400 ms block powers: absolute at -70 LUFS, then relative at -10 LU."""
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10.0 * np.log10(power)
    kept = power[block_lufs > -70.0]
    if kept.size == 0:
        return -math.inf
    relative_gate = -0.691 + 10.0 * math.log10(kept.mean()) - 10.0
    kept = power[(block_lufs > -70.0) & (block_lufs > relative_gate)]
    return -0.691 + 10.0 * math.log10(kept.mean())


def _block_loudness(energy: np.ndarray) -> float:
    """Integrated loudness from K-weighted energy per _BLOCK samples (22,050 Hz)."""
    if len(energy) < _GATE_LEN:  # shorter than one gating block ("Yes."): ungated
        power = float(energy.sum()) / (len(energy) * _BLOCK) if len(energy) else 0.0
        return -0.691 + 10.0 * math.log10(power) if power > 0 else -math.inf
    cumulative = np.concatenate([[0.0], np.cumsum(energy)])
    starts = np.arange(0, len(energy) - _GATE_LEN + 1, _GATE_HOP)
    return _gate((cumulative[starts + _GATE_LEN] - cumulative[starts]) / (_GATE_LEN * _BLOCK))


def measure_lufs(source: Path | str | AudioSegment | Samples, rate: int = SAMPLE_RATE) -> float:
    """Integrated loudness of a WAV file, a pydub segment or float samples (at `rate`)."""
    if isinstance(source, (str, Path)):
        source = AudioSegment.from_wav(str(source))
    if isinstance(source, AudioSegment):
        scale = float(1 << (8 * source.sample_width - 1))
        channels = [np.array(mono.get_array_of_samples(), dtype=np.float64) / scale
                    for mono in source.split_to_mono()]
        return _gated_loudness(channels, source.frame_rate)
    return _gated_loudness([np.asarray(source, dtype=np.float64)], rate)


# --- peaks --------------------------------------------------------------------------------

def _interpolation_kernels(factor: int = _OVERSAMPLE, half_width: int = 6) -> np.ndarray:
    """Windowed-sinc filters giving the signal between samples at 1/factor steps, one column
    per phase (BS.1770 Annex 2 estimates true peak the same way, 4 phases of 12 taps)."""
    offsets = np.arange(-half_width + 1, half_width + 1)
    kernels = []
    for phase in range(1, factor):
        distance = offsets - phase / factor
        window = 0.5 * (1.0 + np.cos(np.pi * distance / half_width))
        kernel = np.sinc(distance) * window
        kernels.append(kernel / kernel.sum())
    return np.stack(kernels, axis=1)


_KERNELS = _interpolation_kernels()  # (12 taps, 3 phases): x[n-5..n+6] -> value at n + p/4
# A between-sample value is at most this many times the largest sample around it.
_OVERSHOOT = float(np.abs(_KERNELS).sum(axis=0).max())


def oversampled_peaks(samples: Samples, floor: float = 0.0) -> Samples:
    """Per sample, the largest magnitude at or just after it (4x oversampled estimate).
    When no sample is loud enough for that to reach `floor`, the magnitudes as they are."""
    peaks = np.abs(samples)
    if not len(samples) or peaks.max() * _OVERSHOOT < floor:
        return peaks
    reach = len(_KERNELS) // 2
    for kernel in _KERNELS.T:
        between = np.convolve(samples, kernel[::-1], mode="full")[reach:reach + len(samples)]
        np.maximum(peaks, np.abs(between), out=peaks)
    return peaks


def true_peak_dbfs(source: Path | str | Samples) -> float:
    samples = load_wav(Path(source)) if isinstance(source, (str, Path)) else source
    if not len(samples):
        return -math.inf
    peak = float(oversampled_peaks(samples).max())
    return 20.0 * math.log10(peak) if peak > 0 else -math.inf


def limit_peaks(samples: Samples, ceiling_dbfs: float = _LIMIT_CEILING_DBFS) -> Samples:
    """Smooth gain reduction wherever the (oversampled) peak would pass the ceiling."""
    ceiling = db_to_gain(ceiling_dbfs)
    peaks = _blocks(oversampled_peaks(samples, floor=ceiling), np.max)
    return samples * _per_sample(_limiter_gains(peaks, ceiling), len(samples))


def _limiter_gains(block_peaks: np.ndarray, ceiling: float) -> np.ndarray:
    """Per-block gain keeping every block under the ceiling: spread to the neighbouring
    blocks so it ramps down before a peak, and recovering slowly after it (no pumping)."""
    need = np.minimum(1.0, ceiling / np.maximum(block_peaks, 1e-12))
    if need.size == 0 or need.min() >= 1.0:
        return np.ones(len(need))
    edged = np.pad(need, 1, mode="edge")
    gain = np.minimum(np.minimum(edged[:-2], edged[1:-1]), edged[2:])  # block and neighbours
    gain = _slew(gain, per_block=0.01)               # release: ~0.5 s from -10 dB to unity
    return _slew(gain[::-1], per_block=0.05)[::-1]  # attack: ramp down ahead of the peak


def _per_sample(block_gains: np.ndarray, length: int) -> Samples | float:
    """Block gains interpolated between block centres: every sample of a block gets at most
    the smallest gain of it and its neighbours, which _limiter_gains already allowed for."""
    if block_gains.size == 0 or block_gains.min() >= 1.0:
        return 1.0
    centres = np.arange(len(block_gains)) * _BLOCK + _BLOCK / 2
    return np.interp(np.arange(length), centres, block_gains)


def _blocks(values: Samples, reduce: Callable[..., np.ndarray]) -> np.ndarray:
    """`reduce` over consecutive _BLOCK-sample blocks (the last one zero-padded)."""
    padded = np.pad(values, (0, -len(values) % _BLOCK))
    return reduce(padded.reshape(-1, _BLOCK), axis=1)


def _slew(gain: np.ndarray, per_block: float) -> np.ndarray:
    """Limit how fast gain may rise (it may always fall): g[k] <= g[k-1] + per_block."""
    ramp = np.arange(len(gain)) * per_block
    return np.minimum(gain, np.minimum.accumulate(gain - ramp) + ramp)
