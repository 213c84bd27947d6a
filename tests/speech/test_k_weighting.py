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
