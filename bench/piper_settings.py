"""Compare Piper's variation settings (noise_scale: voice variation, noise_w: timing variation)
for a steady, warm read, on the bundled practices' own sentences at 140 wpm, each rendered
`--rounds` times as the pipeline leaves it (engine, then audio.prepare_chunk):

- repeatable: how many sentences come out the same to the bit in every round (a render that
  was checked once is then the render every person gets);
- heard: word errors and lost first/last words by an offline recogniser, over every round;
- pitch movement within a sentence (median spread, semitones), pace (wpm) and its spread
  between sentences, short sentences' pace, the longest comma pause against the sentence gap.

Not a pass/fail bench: it prints the figures behind piper_engine.NOISE_SCALE / NOISE_W. The
first setting is the voice's own default (the baseline, measured in the same run).

    .venv/bin/python bench/piper_settings.py [--sentences N] [--rounds R] [--setting A,B ...]
"""
from __future__ import annotations

import os
import statistics
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from _common import parser

os.environ.setdefault("SECUREBASE_HOME", tempfile.mkdtemp(prefix="securebase-settings-"))

import numpy as np  # noqa: E402
from _speech import score, transcribe, words  # noqa: E402
from delivery import comma_pauses, pace, sample_sentences  # noqa: E402

from app.speech import audio, piper_engine  # noqa: E402
from app.speech.engine import get_engine  # noqa: E402
from app.speech.text import count_words  # noqa: E402

# (noise_scale, noise_w): Piper's default first (the baseline), then quieter variation.
SETTINGS = [(0.667, 0.8), (0.4, 0.5), (0.2, 0.3), (0.4, 0.0), (0.0, 0.0)]
AIR_S = 0.3   # quiet around a sentence for the recogniser (a bare onset loses first words)


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


@dataclass
class Figures:
    """One setting over every round."""
    first: list[np.ndarray] = field(default_factory=list)   # round 0's chunks
    changed: set[int] = field(default_factory=set)          # sentences that differed later
    errors: int = 0
    words: int = 0
    edges_lost: list[str] = field(default_factory=list)     # "F: heard" / "L: heard"
    slips: int = 0                                           # sentence reads with any error
    spreads: list[float] = field(default_factory=list)
    paces: list[float] = field(default_factory=list)
    pieces: list[tuple[str, np.ndarray]] = field(default_factory=list)


def render(engine, text: str, folder: Path) -> np.ndarray:
    raw, chunk = folder / "raw.wav", folder / "chunk.wav"
    engine.synthesize(text, raw, voice=None, rate=140)
    audio.prepare_chunk(raw, chunk)
    return audio.load_wav(chunk)


def measure(engine, sentences: list[str], rounds: int, folder: Path) -> Figures:
    figures = Figures()
    quiet = np.zeros(int(AIR_S * audio.SAMPLE_RATE), dtype=np.float32)
    for round_ in range(rounds):
        for index, text in enumerate(sentences):
            samples = render(engine, text, folder)
            if round_ == 0:
                figures.first.append(samples)
            elif not np.array_equal(samples, figures.first[index]):
                figures.changed.add(index)
            heard = transcribe(np.concatenate([quiet, samples, quiet]))
            result = score(words(text), words(heard))
            figures.errors += result.errors
            figures.words += result.reference_words
            figures.slips += result.errors > 0
            if result.first_lost or result.last_lost:
                edge = ("F" if result.first_lost else "") + ("L" if result.last_lost else "")
                figures.edges_lost.append(f"{edge}: {text!r} heard {heard!r}")
            figures.spreads.append(pitch_semitones(audio.trim_silence(samples)))
            figures.paces.append(count_words(text) * 60 * audio.SAMPLE_RATE / len(samples))
            figures.pieces.append((text, samples))
    return figures


def report(noise: float, noise_w: float, figures: Figures, sentences: list[str], rounds: int,
           baseline: Figures | None) -> None:
    same = len(sentences) - len(figures.changed) if rounds > 1 else 0
    short = [(t, s) for t, s in figures.pieces if count_words(t) <= 6]
    commas = [g for t, s in figures.pieces if "," in t for g in comma_pauses(s)]
    spread = statistics.median(figures.spreads)
    wer = 100 * figures.errors / figures.words
    line = (f"noise_scale {noise:5.3f} noise_w {noise_w:5.3f}: same to the bit in every round "
            f"{same}/{len(sentences)}; WER {wer:.2f} % ({figures.errors}/{figures.words}), "
            f"reads with a slip {figures.slips}/{len(figures.pieces)}, first/last lost "
            f"{len(figures.edges_lost)}; pitch spread {spread:.2f} st; pace "
            f"{pace(figures.pieces):.0f} wpm (sd between sentences "
            f"{statistics.pstdev(figures.paces):.1f}), short {pace(short):.0f} wpm; comma pause "
            f"longest {max(commas, default=0.0):.2f} s, median "
            f"{statistics.median(commas) if commas else 0.0:.2f} s (sentence gap "
            f"{audio.GAPS['sentence']:.2f} s)")
    if baseline is not None:
        line += (f"; against the default: pitch spread x"
                 f"{spread / statistics.median(baseline.spreads):.2f}, WER x"
                 f"{figures.errors / max(baseline.errors, 1):.2f}")
    print(line, flush=True)
    for edge in figures.edges_lost:
        print(f"    {edge}", flush=True)


def main() -> int:
    args = parser(__doc__)
    args.add_argument("--sentences", type=int, default=24)
    args.add_argument("--rounds", type=int, default=2)
    args.add_argument("--setting", action="append", metavar="NOISE,NOISE_W",
                      help="instead of SETTINGS; the first one is the baseline")
    options = args.parse_args()
    settings = ([tuple(float(v) for v in s.split(",")) for s in options.setting]
                if options.setting else SETTINGS)
    sentences = sample_sentences(options.sentences)
    engine = get_engine("piper")
    baseline = None
    with tempfile.TemporaryDirectory() as folder:
        for noise, noise_w in settings:
            piper_engine.NOISE_SCALE, piper_engine.NOISE_W = noise, noise_w
            figures = measure(engine, sentences, options.rounds, Path(folder))
            report(noise, noise_w, figures, sentences, options.rounds, baseline)
            baseline = baseline or figures
    return 0


if __name__ == "__main__":
    sys.exit(main())
