"""Loudness and peaks of speech samples (ITU-R BS.1770-4): K-weighting, 400 ms blocks with
absolute and relative gates, a 4x oversampled true-peak estimate and a smooth limiter.

Pure numpy on float mono samples at 22,050 Hz; reading files is app/speech/audio.py's job.
"""
from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

import numpy as np

from app.speech.k_weighting import k_filter
from app.speech.k_weighting import k_weighting as k_weighting  # part of this module's vocabulary

# At full volume the speaker gets about -19 LUFS: Qt's mono-to-stereo upmix costs ~3 dB.
TARGET_LUFS = -16.0
MAX_TRUE_PEAK_DBFS = -1.0
_LIMIT_CEILING_DBFS = -1.5  # margin for inter-sample peaks the 4x estimate misses
_OVERSAMPLE = 4
# Gain and loudness work in blocks of 105 samples (~4.8 ms), which divide the 100 ms gating hop
# at 22,050 Hz exactly: 21 blocks a hop, 84 a 400 ms gating block.
_BLOCK = 105
_GATE_HOP, _GATE_LEN = 21, 84

SAMPLE_RATE = 22_050   # every WAV of the pipeline (app.speech.audio)
Samples = np.ndarray  # float64 mono in [-1, 1] at SAMPLE_RATE


def db_to_gain(db: float) -> float:
    return float(10.0 ** (db / 20.0))


def normalise(samples: Samples, target: float = TARGET_LUFS,
              ceiling_dbfs: float = _LIMIT_CEILING_DBFS) -> Samples:
    """Gain to `target` LUFS integrated, with peaks limited to the ceiling."""
    return normalise_measured(samples, target, ceiling_dbfs)[0]


def normalise_measured(samples: Samples, target: float = TARGET_LUFS,
                       ceiling_dbfs: float = _LIMIT_CEILING_DBFS, *, in_place: bool = False
                       ) -> tuple[Samples, np.ndarray]:
    """`normalise`, and the result's `block_energies`. in_place: levelled into `samples`
    themselves (a caller done with them: a sentence's post-processing), no copy.

    One K-weighting pass and one peak pass; the gain that still meets the target after
    limiting is then found on per-block energies (the limiter's gain moves slowly, so
    K(g * x) ~ g * K(x)). Sentences shorter than a gating block are measured ungated.
    """
    # K-weighted, squared in place, with the filter's ring-out after the last sample
    filtered = k_filter(samples, SAMPLE_RATE, tail=_K_TAPS, fast=True)
    np.square(filtered, out=filtered)
    whole = _blocks(filtered, np.sum)
    energy = _sound_blocks(whole, filtered, len(samples))
    ceiling = db_to_gain(ceiling_dbfs)
    peaks = BlockPeaks(samples)
    gain, limiter = 1.0, _limiter_gains(peaks.above(ceiling), ceiling)
    for _ in range(4):
        loudness = _block_loudness(energy * (gain * limiter) ** 2)
        if not math.isfinite(loudness) or abs(loudness - target) < 0.05:
            break
        gain *= db_to_gain(target - loudness)
        limiter = _limiter_gains(peaks.above(ceiling / gain) * gain, ceiling)
    # Its blocks past the sound keep the limiter's last gain; K(g * x) ~ g * K(x) as above.
    scale = _edge_padded(limiter, 0, len(whole) - len(limiter))
    scale *= gain
    return _scaled(samples, gain, limiter, in_place=in_place), whole * scale ** 2


def _sound_blocks(whole: np.ndarray, filtered: Samples, length: int) -> np.ndarray:
    """`_blocks(filtered[:length], np.sum)` from the blocks of all of `filtered`: the same
    sums (each block is reduced alike) but the one the sound ends in, without the ring-out."""
    full, rest = divmod(length, _BLOCK)
    if not rest:
        return whole[:full]
    last = np.zeros(_BLOCK)
    last[:rest] = filtered[full * _BLOCK:length]
    return np.append(whole[:full], np.sum(last[None, :], axis=1))


# --- loudness (ITU-R BS.1770-4) -----------------------------------------------------------

# Samples after a sound over which its K-weighted response still counts: past them it holds
# less than 1e-13 of its energy.
_K_TAPS = 2048


def block_energies(samples: Samples) -> np.ndarray:
    """K-weighted energy per _BLOCK samples of `samples` followed by quiet, up to where the
    filter's response to them has died away (_K_TAPS samples after the last one). Cached with
    each sentence: a step's loudness is then summed from its sentences (`placed_lufs`) instead
    of K-weighting the whole step again, which was most of a step's assembly."""
    filtered = k_filter(samples, SAMPLE_RATE, tail=_K_TAPS, fast=True)
    return _blocks(np.square(filtered, out=filtered), np.sum)


def energy_blocks(samples: int) -> int:
    """How many `block_energies` a sound of this many samples has."""
    return -(-(samples + _K_TAPS) // _BLOCK)


def placed_lufs(placed: Sequence[tuple[int, int, np.ndarray]], length: int) -> float | None:
    """Integrated loudness of `length` samples of quiet holding sounds at known places, from
    their `block_energies`: (offset, sample count, energies) each, in order. Exact where K
    weighting is (a linear filter: the step's response is the sum of its sounds'), except
    that a block a gating edge cuts is split in proportion: on the 119 steps of the bundled
    practices within 0.03 LU (mean 0.003) of K-weighting the step. None where it cannot be
    summed: sounds whose responses overlap (no quiet between them) or run past the end, or a
    step shorter than one gating block."""
    if length < _GATE_LEN * _BLOCK:
        return None
    reach = 0
    for offset, count, _energies in placed:
        if offset < reach:
            return None
        reach = offset + count + _K_TAPS
    if reach > length:
        return None
    total = np.zeros(-(-length // _BLOCK) + 3)
    for offset, _count, energies in placed:
        block, into = divmod(offset, _BLOCK)
        share = into / _BLOCK  # of each of the sound's blocks, in the step's next block
        total[block:block + len(energies)] += energies * (1.0 - share)
        total[block + 1:block + 1 + len(energies)] += energies * share
    # The same 400 ms gating blocks as gated_loudness: every one that fits in `length`.
    return _block_loudness(total[:length // _BLOCK])


def integrated_lufs(samples: Samples, rate: int = SAMPLE_RATE) -> float:
    """Gated integrated loudness of one channel in LUFS; -inf when everything is gated out."""
    return gated_loudness([samples], rate)


def gated_loudness(channels: Sequence[Samples], rate: int) -> float:
    block, hop = int(0.4 * rate), int(0.1 * rate)
    if not channels or len(channels[0]) < block:
        return -math.inf
    starts = np.arange(0, len(channels[0]) - block + 1, hop)
    power = np.zeros(len(starts))
    for channel in channels:  # BS.1770 weights L, R and C by 1.0
        cumulative = np.concatenate([[0.0], np.cumsum(k_filter(channel, rate) ** 2)])
        power += (cumulative[starts + block] - cumulative[starts]) / block
    return _gate(power)


def _gate(power: np.ndarray) -> float:
    """BS.1770 gating of 400 ms block powers: absolute at -70 LUFS, then relative at -10 LU."""
    with np.errstate(divide="ignore"):
        block_lufs = -0.691 + 10.0 * np.log10(power)
    kept = power[block_lufs > -70.0]
    if kept.size == 0:
        return -math.inf
    # means as sum / count: what ndarray.mean computes, without its Python-level set-up
    relative_gate = -0.691 + 10.0 * math.log10(float(kept.sum()) / kept.size) - 10.0
    kept = power[(block_lufs > -70.0) & (block_lufs > relative_gate)]
    return -0.691 + 10.0 * math.log10(float(kept.sum()) / kept.size)


def _block_loudness(energy: np.ndarray) -> float:
    """Integrated loudness from K-weighted energy per _BLOCK samples (22,050 Hz)."""
    if len(energy) < _GATE_LEN:  # shorter than one gating block ("Yes."): ungated
        power = float(energy.sum()) / (len(energy) * _BLOCK) if len(energy) else 0.0
        return -0.691 + 10.0 * math.log10(power) if power > 0 else -math.inf
    cumulative = np.empty(len(energy) + 1)
    cumulative[0] = 0.0
    np.cumsum(energy, out=cumulative[1:])
    starts = np.arange(0, len(energy) - _GATE_LEN + 1, _GATE_HOP)
    return _gate((cumulative[starts + _GATE_LEN] - cumulative[starts]) / (_GATE_LEN * _BLOCK))


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
    peaks: Samples = np.abs(samples)
    if not len(samples) or peaks.max() * _OVERSHOOT < floor:
        return peaks
    reach = len(_KERNELS) // 2
    for kernel in _KERNELS.T:
        between = np.convolve(samples, kernel[::-1], mode="full")[reach:reach + len(samples)]
        np.maximum(peaks, np.abs(between), out=peaks)
    return peaks


class BlockPeaks:
    """Per _BLOCK samples, the peak as the limiter needs it: the 4x oversampled estimate
    where it could reach a level, the plain sample peak where even the largest possible
    overshoot stays below it (the limiter treats both alike there). Speech rarely comes near
    its ceiling, so most blocks skip the interpolation, which was most of a sentence's work."""

    def __init__(self, samples: Samples) -> None:
        self.samples = samples
        # max |x| per block as max(max x, -min x): no array of magnitudes
        self.peaks: np.ndarray = np.maximum(_blocks(samples, np.max), -_blocks(samples, np.min))
        self.exact = np.zeros(len(self.peaks), dtype=bool)

    def above(self, level: float) -> np.ndarray:
        """The block peaks, exact wherever a block could pass `level`."""
        todo = np.flatnonzero(~self.exact & (self.peaks * _OVERSHOOT >= level))
        for first in range(0, todo.size, 1024):  # ~2.6 MB at a time
            batch = todo[first:first + 1024]
            self.peaks[batch] = np.maximum(self.peaks[batch], self._between(batch))
        self.exact[todo] = True
        return self.peaks

    def _between(self, blocks: np.ndarray) -> np.ndarray:
        """The largest between-sample magnitude of each block: its samples and the taps
        around them (x[n-5..n+6], zero beyond the ends) gathered as rows of _SPAN samples
        with their taps, then every value of every row in one matrix product (BLAS). A
        strided view of 12-tap windows, multiplied with the kernels, was not something BLAS
        could take: numpy's own loop ran it at a third of the speed."""
        count = len(self.samples)
        index = blocks[:, None, None] * _BLOCK + _ROWS
        if blocks[0] == 0 or index[-1, -1, -1] >= count:  # the ends: zero beyond them
            around = np.where((index >= 0) & (index < count),
                              self.samples.take(np.clip(index, 0, count - 1)), 0.0)
        else:
            around = self.samples.take(index)
        kernels = _SPAN_KERNELS_32 if around.dtype == np.float32 else _SPAN_KERNELS
        values = (around.reshape(-1, _ROWS.shape[1]) @ kernels).reshape(len(blocks), -1)
        return np.asarray(np.maximum(values.max(axis=1), -values.min(axis=1)))


def _span_kernels(kernels: np.ndarray, span: int) -> np.ndarray:
    """The kernels of `span` consecutive samples side by side: row j of a gathered row
    (x[s-5..s+span+5]) times column 3 i + p is the value at s + i + p/4."""
    taps, phases = kernels.shape
    out = np.zeros((span + taps - 1, span * phases))
    for i in range(span):
        out[i:i + taps, i * phases:(i + 1) * phases] = kernels
    return out


# Samples a row of the product in _between: a divisor of _BLOCK (105 = 15 x 7). Shorter rows
# gather more (each row repeats 11 taps), longer ones multiply more zeros; in double 7 was the
# fastest, in single (a sentence's samples) 15: 0.46 -> 0.41 ms a sentence (3: 0.56, 35: 0.43).
_SPAN = 15
_SPAN_KERNELS = _span_kernels(_KERNELS, _SPAN)
_SPAN_KERNELS_32 = _SPAN_KERNELS.astype(np.float32)  # for a sentence in single precision
# Per block, its rows and the taps around each: x[s-5..s+_SPAN+5] from each row's start s
_ROWS = (np.arange(_BLOCK // _SPAN)[:, None] * _SPAN
         + np.arange(_SPAN + len(_KERNELS) - 1)[None, :] - (len(_KERNELS) // 2 - 1))


def limit_peaks(samples: Samples, ceiling_dbfs: float = _LIMIT_CEILING_DBFS) -> Samples:
    """Smooth gain reduction wherever the (oversampled) peak would pass the ceiling."""
    ceiling = db_to_gain(ceiling_dbfs)
    peaks = BlockPeaks(samples).above(ceiling)
    return _scaled(samples, 1.0, _limiter_gains(peaks, ceiling))


def _limiter_gains(block_peaks: np.ndarray, ceiling: float) -> np.ndarray:
    """Per-block gain keeping every block under the ceiling: spread to the neighbouring
    blocks so it ramps down before a peak, and recovering slowly after it (no pumping)."""
    need = np.minimum(1.0, ceiling / np.maximum(block_peaks, 1e-12))
    if need.size == 0 or need.min() >= 1.0:
        return np.ones(len(need))
    edged = _edge_padded(need, 1, 1)
    gain = np.minimum(np.minimum(edged[:-2], edged[1:-1]), edged[2:])  # block and neighbours
    gain = _slew(gain, per_block=0.01)               # release: ~0.5 s from -10 dB to unity
    return _slew(gain[::-1], per_block=0.05)[::-1]  # attack: ramp down ahead of the peak


def _scaled(samples: Samples, gain: float, block_gains: np.ndarray, *,
            in_place: bool = False) -> Samples:
    """`samples * gain` times the block gains interpolated between block centres: every
    sample of a block gets at most the smallest gain of it and its neighbours, which
    _limiter_gains already allowed for. np.interp's line: from one centre (105 k + 52.5) to
    the next lie 105 samples, at the same fractions every time. In the samples' precision;
    in_place: into `samples` themselves (a caller done with them), no array of its own."""
    out = samples if in_place else samples.copy()
    if block_gains.size == 0 or block_gains.min() >= 1.0:
        out *= gain
        return out
    first = _BLOCK // 2 + 1  # the first sample after the first centre
    end = first + (len(block_gains) - 1) * _BLOCK
    # `gain` rides on the block gains (one product a sample, not two), as the samples' type:
    # double ramps made single samples pass through double, each sample converted twice
    gains = (block_gains * gain).astype(out.dtype, copy=False)
    out[:first] *= gains[0]
    out[end:] *= gains[-1]
    # Every row of samples between two centres times its ramp, one contiguous product: a
    # row between two gains of 1 (the limiter's gains never exceed 1) has a ramp of exactly
    # gain + 0 * f = gain, the product every sample of a sentence the limiter leaves alone
    # gets. Picking out the rows below 1 instead (a gather and a scatter of most of a
    # sentence) cost three times as much (_scaled was 0.5 ms of a sentence's work).
    between = out[first:end]
    fraction = _FRACTION_32 if out.dtype == np.float32 else _FRACTION
    ramps = np.multiply.outer(np.diff(gains), fraction)  # the same sums, in place
    ramps += gains[:-1, None]
    between *= ramps.ravel()[:len(between)]  # the last row may be cut short
    return out


# Where each sample between two block centres lies, as a fraction of the way (_scaled)
_FRACTION = (np.arange(_BLOCK) + 0.5) / _BLOCK
_FRACTION_32 = _FRACTION.astype(np.float32)


def _blocks(values: Samples, reduce: Callable[..., np.ndarray]) -> np.ndarray:
    """`reduce` over consecutive _BLOCK-sample blocks (the last one zero-padded). Only the
    last block is copied: padding the whole array cost more than the reduction."""
    whole = len(values) // _BLOCK * _BLOCK
    out = np.asarray(reduce(values[:whole].reshape(-1, _BLOCK), axis=1))
    if whole == len(values):
        return out
    last = np.zeros(_BLOCK, dtype=values.dtype)
    last[:len(values) - whole] = values[whole:]
    return np.append(out, reduce(last[None, :], axis=1))


def _edge_padded(values: np.ndarray, before: int, after: int) -> np.ndarray:
    """np.pad(values, (before, after), mode="edge") as a new array, without np.pad's
    Python-level set-up (it ran 5-6 times a sentence, as long as the arithmetic around it)."""
    out = np.empty(before + len(values) + after)
    out[before:before + len(values)] = values
    out[:before] = values[0]
    out[before + len(values):] = values[-1]
    return out


@functools.lru_cache(maxsize=64)
def _ramp(length: int, per_block: float) -> np.ndarray:
    """0, per_block, 2 per_block, ...: the same for each of a sentence's limiter passes."""
    ramp = np.arange(length) * per_block
    ramp.flags.writeable = False
    return ramp


def _slew(gain: np.ndarray, per_block: float) -> np.ndarray:
    """Limit how fast gain may rise (it may always fall): g[k] <= g[k-1] + per_block."""
    ramp = _ramp(len(gain), per_block)
    return np.asarray(np.minimum(gain, np.minimum.accumulate(gain - ramp) + ramp))


def true_peak_dbfs(samples: Samples) -> float:
    if not len(samples):
        return -math.inf
    peak = float(oversampled_peaks(samples).max())
    return 20.0 * math.log10(peak) if peak > 0 else -math.inf
