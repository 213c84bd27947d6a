"""Compare Piper's variation settings (noise_scale: voice variation, noise_w: timing variation)
for a steady, warm read: pitch movement within sentences, pace spread between sentences, and
what an offline recogniser understands, on the bundled practices' own sentences at 140 wpm.

Not a pass/fail bench: it prints the figures behind piper_engine.NOISE_SCALE / NOISE_W.

    .venv/bin/python bench/piper_settings.py [--sentences N]
"""
from __future__ import annotations

import statistics
import sys

from _common import parser
from _speech import score, transcribe, words
from delivery import pace, sample_sentences

import numpy as np

from app.speech import audio, piper_engine
from app.speech.engine import get_engine
from app.speech.text import count_words

SETTINGS = [(0.667, 0.8), (0.5, 0.6), (0.4, 0.5), (0.333, 0.333)]


def pitch_semitones(samples: np.ndarray, rate: int = audio.SAMPLE_RATE) -> float:
    """Spread (std, semitones) of the voiced pitch within one sentence (autocorrelation)."""
    frame, hop = int(0.04 * rate), int(0.01 * rate)
    lo, hi = rate // 300, rate // 70          # 70-300 Hz: a speaking voice
    pitches = []
    for start in range(0, len(samples) - frame, hop):
        x = samples[start:start + frame]
        if np.sqrt(np.mean(x ** 2)) < 0.02:
            continue
        x = x - x.mean()
        corr = np.correlate(x, x, "full")[frame - 1:]
        lag = lo + int(np.argmax(corr[lo:hi]))
        if corr[lag] > 0.5 * corr[0]:
            pitches.append(rate / lag)
    if len(pitches) < 5:
        return 0.0
    semis = 12 * np.log2(np.array(pitches) / np.median(pitches))
    return float(np.std(semis))


def main() -> int:
    args = parser(__doc__)
    args.add_argument("--sentences", type=int, default=24)
    options = args.parse_args()
    sentences = sample_sentences(options.sentences)
    engine = get_engine("piper")
    model = engine._model(piper_engine.voice_id("en_US-joe-medium"))  # type: ignore[attr-defined]
    for noise, noise_w in SETTINGS:
        piper_engine.NOISE_SCALE, piper_engine.NOISE_W = noise, noise_w
        pieces, spreads, errors, total = [], [], 0, 0
        for text in sentences:
            samples = audio.trim_silence(engine._speak(model, text, 140))  # type: ignore
            pieces.append((text, samples))
            spreads.append(pitch_semitones(samples))
            result = score(words(text), words(transcribe(samples)))
            errors, total = errors + result.errors, total + result.reference_words
        paces = [count_words(t) * 60 * audio.SAMPLE_RATE / len(s) for t, s in pieces]
        print(f"noise_scale {noise:5.3f} noise_w {noise_w:5.3f}: pitch spread "
              f"{statistics.median(spreads):.2f} st, pace {pace(pieces):.0f} wpm "
              f"(sd {statistics.pstdev(paces):.0f}), WER {100 * errors / total:.1f} %",
              flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
