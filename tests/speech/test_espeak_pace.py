"""The pace a person sets is the pace the standard voice speaks: espeak-ng's rate setting and word
gap are mapped by measurement (app/speech/espeak_pace.py), and checked here on the real engine
with the bundled practices' own sentences, as the pipeline prepares them."""
from __future__ import annotations

from pathlib import Path

import pytest

from app import paths
from app.speech import audio, espeak_pace, plan
from app.speech.engine import get_engine
from app.speech.espeak_pace import MAX_SETTING, MIN_SETTING, espeak_pace as pace_for, heard_wpm
from app.speech.text import Speech, count_words, split_step
from app.storage.script_files import load_all


def test_every_pace_settings_offer_is_mapped_within_two_percent() -> None:
    gaps = []
    for rate in range(80, 221):
        setting, gap = pace_for(rate)
        assert MIN_SETTING <= setting <= MAX_SETTING
        assert heard_wpm(setting, gap) == pytest.approx(rate, rel=0.02), rate
        gaps.append(gap)
    assert gaps == sorted(gaps, reverse=True)       # slower paces, more gap, never less
    # one unit keeps words apart at every pace (far better understood); more only below it
    assert pace_for(220)[1] == pace_for(140)[1] == pace_for(100)[1] == 1
    assert pace_for(80)[1] > pace_for(100)[1]


def test_the_model_matches_the_measured_gaps() -> None:
    """The word-gap model against the points measured on all bundled sentences."""
    for setting, gap, measured in ((80, 1, 95.0), (80, 2, 91.7), (80, 4, 85.5), (80, 6, 79.9),
                                   (86, 1, 96.8), (92, 1, 103.1), (100, 1, 111.6)):
        assert heard_wpm(setting, gap) == pytest.approx(measured, rel=0.01)


def test_a_new_pace_table_re_renders_the_standard_voice_only() -> None:
    assert espeak_pace.PACE_DIGEST in plan.pipeline_version("espeak")
    assert espeak_pace.PACE_DIGEST not in plan.pipeline_version("piper")


def bundled_sentences(every: int) -> list[str]:
    practices, _ = load_all(paths.BUNDLED_SCRIPTS_DIR, Path("/nonexistent"))
    found = [c.text for p in practices for s in p.steps for segment in s.segments
             for c in split_step(segment.say) if isinstance(c, Speech)]
    return found[::every]


@pytest.mark.slow
@pytest.mark.parametrize("rate", [80, 100, 140, 200])
def test_the_real_engine_speaks_the_pace_asked(rate: int, tmp_path: Path) -> None:
    """Over every sixth sentence of the bundled practices, within 3 %: the goal is 5 % for
    every practice a person may write, and sentences vary. Every twelfth was enough until the
    guidance was reworded for the natural voice (30 Nov): then it read 206 words a minute at 200
    while all the sentences read 203.6; every sixth read 203.5 (and 140.6 at 140, all 140.5).
    Before the tables were measured on all the sentences, 80 words a minute came out at 83 and
    100 at 95 (a 48-sentence sample had said 0.91x)."""
    engine = get_engine("espeak")
    words = seconds = 0.0
    for text in bundled_sentences(every=6):
        raw, chunk = tmp_path / "raw.wav", tmp_path / "chunk.wav"
        engine.synthesize(text, raw, voice=None, rate=rate)
        audio.prepare_chunk(raw, chunk)
        words += count_words(text)
        seconds += len(audio.load_wav(chunk)) / audio.SAMPLE_RATE
    assert words * 60 / seconds == pytest.approx(rate, rel=0.03)
