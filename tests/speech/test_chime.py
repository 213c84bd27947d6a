"""The waiting cue: soft (well under the voice), no click at either end, made once."""
from __future__ import annotations

import numpy as np
import pytest

from app.speech import audio
from app.speech.chime import CHIME_LUFS, ensure_chime


def test_the_chime_is_soft_and_clean(tmp_path):
    path = ensure_chime(tmp_path)
    samples = audio.load_wav(path)
    assert audio.measure_lufs(path) == pytest.approx(CHIME_LUFS, abs=0.5)
    assert CHIME_LUFS <= audio.TARGET_LUFS - 8            # a cue, quieter than the guidance
    assert audio.true_peak_dbfs(path) < -10
    assert abs(samples[0]) < 1e-3 and np.abs(samples[-200:]).max() < 1e-3
    assert 1.5 < len(samples) / audio.SAMPLE_RATE < 4


def test_the_chime_is_written_once(tmp_path):
    first = ensure_chime(tmp_path)
    stamp = first.stat().st_mtime_ns
    assert ensure_chime(tmp_path) == first and first.stat().st_mtime_ns == stamp
