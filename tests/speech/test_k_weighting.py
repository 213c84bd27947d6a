"""K-weighting run a block at a time is the two BS.1770 biquads' recursion."""
from __future__ import annotations

import numpy as np
import pytest

from app.speech import k_weighting, loudness
from tests.speech.test_audio import speechlike

RATE = loudness.SAMPLE_RATE


def biquads_sample_by_sample(samples: np.ndarray, rate: int) -> np.ndarray:
    """The reference: each biquad's difference equation, one sample after another."""
    signal = samples.astype(float)
    for b, a in k_weighting.k_weighting(rate):
        out = np.empty(len(signal))
        x1 = x2 = y1 = y2 = 0.0
        for index, x in enumerate(signal.tolist()):
            y = b[0] * x + b[1] * x1 + b[2] * x2 - a[1] * y1 - a[2] * y2
            x2, x1, y2, y1 = x1, x, y1, y
            out[index] = y
        signal = out
    return signal


@pytest.mark.parametrize("length", [1, 63, 64, 65, 1000, 9000])
@pytest.mark.parametrize("rate", [RATE, 48_000])
def test_the_block_filter_is_the_recursion_with_its_ring_out(length: int, rate: int) -> None:
    """Within 1e-11 of full scale, every sample and the tail (the FFT overlap-add it
    replaced was 3.5e-10 off on a sentence: its response stopped after 2048 samples)."""
    samples = speechlike(1.0, seed=length)[:length]
    samples[0] = 0.9  # an impulse at the start: the whole response shows in the tail
    tail = 2048
    expected = biquads_sample_by_sample(np.concatenate([samples, np.zeros(tail)]), rate)
    filtered = k_weighting.k_filter(samples, rate, tail=tail)
    assert len(filtered) == length + tail
    np.testing.assert_allclose(filtered, expected, rtol=0, atol=1e-11)


def test_nothing_filtered_is_nothing() -> None:
    assert k_weighting.k_filter(np.zeros(0), RATE).shape == (0,)
    assert not k_weighting.k_filter(np.zeros(0), RATE, tail=5).any()


@pytest.mark.parametrize("freq", [40.0, 100.0, 997.0, 5000.0])
def test_a_tone_comes_out_with_the_filters_gain_at_its_frequency(freq: float) -> None:
    """The power of a settled tone is |H|^2 of the biquads at its frequency (at 997 Hz
    about +0.7 dB, at 40 Hz the high-pass takes ~5.5 dB)."""
    t = np.arange(RATE * 2) / RATE
    settled = k_weighting.k_filter(np.sin(2 * np.pi * freq * t), RATE)[RATE:]
    z = np.exp(-2j * np.pi * freq / RATE)
    response = 1.0
    for b, a in k_weighting.k_weighting(RATE):
        response *= np.polyval(b[::-1], z) / np.polyval(a[::-1], z)
    expected_db = 20 * np.log10(abs(response))
    assert 10 * np.log10(np.mean(settled ** 2) / 0.5) == pytest.approx(expected_db, abs=0.01)



@pytest.mark.parametrize("length", [1, 65, 9000, 60_000])
def test_the_fast_way_is_the_recursion_to_within_what_a_loudness_can_hear(length: int) -> None:
    """A sentence's energies are K-weighted the fast way (single precision, half the memory
    of double, with the filters' state carried in double): every sample within 3e-6 of full
    scale (-110 dBFS), also at the end of a long ring-out (all in single precision, the
    state too, drifted to 5e-4 there), and the energy of the whole within 1e-5 dB."""
    samples = speechlike(3.0, seed=length)[:length]
    samples[0] = 0.9
    expected = biquads_sample_by_sample(np.concatenate([samples, np.zeros(2048)]), RATE)
    filtered = k_weighting.k_filter(samples, RATE, tail=2048, fast=True)
    assert filtered.dtype == np.float32 and len(filtered) == length + 2048
    np.testing.assert_allclose(filtered, expected, rtol=0, atol=3e-6)
    energy = np.sum(filtered.astype(np.float64) ** 2)
    assert abs(10 * np.log10(energy / np.sum(expected ** 2))) < 1e-5


def test_a_sentences_energies_are_those_of_its_levelled_audio() -> None:
    """normalise_measured's energies (the fast way, then scaled by its gains) are the
    levelled audio's, K-weighted in full, to within 1e-5 dB."""
    for seed in range(5):
        levelled, energies = loudness.normalise_measured(speechlike(2.5, seed) * 0.3)
        assert loudness.integrated_lufs(levelled) == pytest.approx(loudness.TARGET_LUFS,
                                                                   abs=0.06)
        exact = loudness._blocks(k_weighting.k_filter(levelled, RATE, tail=2048) ** 2, np.sum)
        assert len(energies) == len(exact)
        assert abs(10 * np.log10(energies.sum() / exact.sum())) < 1e-5
