"""A calm delivery, measured on the bundled practices' own sentences, for both voices.

- pace: words a minute inside sentences (each sentence's speech, edge silence trimmed, its
  comma pauses included) at 100, 140 and 180 asked; goal within 5 % of what was asked;
- short sentences (six words or fewer) not rushed: their pace at most 10 % above the asked one;
- comma pauses clearly shorter than the gap between sentences: the longest at most 0.6 x it;
- no hard stops: the last 5 ms of sound before each sentence's end under -35 dBFS.

Baseline, same run: the engines' raw output (what the pipeline starts from), for the pace and
the comma pauses. `--calibrate` fits the raw pace against the engine's own setting, to map by
measurement (speech/engine.py's espeak rate, piper_engine.py's length_scale).

    .venv/bin/python bench/delivery.py [--check] [--voice piper|espeak] [--sentences N]
"""
from __future__ import annotations

import math
import os
import statistics
import sys
import tempfile
from pathlib import Path

from _common import finish, parser

os.environ.setdefault("SECUREBASE_HOME", tempfile.mkdtemp(prefix="securebase-delivery-"))

import numpy as np  # noqa: E402
from _speech import speech_runs  # noqa: E402

from app.storage.script_files import load_all  # noqa: E402
from app.speech import audio  # noqa: E402
from app.speech.engine import get_engine  # noqa: E402
from app.speech.text import Speech, count_words, split_step  # noqa: E402
from app.speech.voices import NATURAL_VOICE, STANDARD_VOICE, settings_for  # noqa: E402

RATES = (80, 100, 140, 180)
VOICES = {"piper": NATURAL_VOICE, "espeak": STANDARD_VOICE}
COMMA_GAP_MIN_S = 0.12   # quiet inside a sentence longer than a stop consonant's closure


def sample_sentences(count: int) -> list[str]:
    """Every count-th sentence of the bundled practices, short ones and commas included."""
    practices, _ = load_all()
    # segment by segment: a step's [listen] marks are cut out before its speech is rendered
    found = [c.text for p in practices for s in p.steps for segment in s.segments
             for c in split_step(segment.say) if isinstance(c, Speech)]
    step = max(1, len(found) // count)
    return found[::step][:count]


def prepared(engine, text: str, voice: str | None, rate: int, folder: Path
             ) -> tuple[np.ndarray, np.ndarray]:
    """(raw engine output trimmed, the pipeline's cached chunk) for one sentence."""
    raw, chunk = folder / "raw.wav", folder / "chunk.wav"
    engine.synthesize(text, raw, voice=voice, rate=rate)
    audio.prepare_chunk(raw, chunk)
    return audio.trim_silence(audio.load_wav(raw)), audio.load_wav(chunk)


def pace(pieces: list[tuple[str, np.ndarray]]) -> float:
    words = sum(count_words(text) for text, _ in pieces)
    seconds = sum(len(samples) for _, samples in pieces) / audio.SAMPLE_RATE
    return words * 60 / seconds if seconds else math.nan


def comma_pauses(samples: np.ndarray) -> list[float]:
    runs = speech_runs(samples, min_gap_s=COMMA_GAP_MIN_S, threshold_dbfs=_quiet_level(samples))
    return [(b[0] - a[1]) / audio.SAMPLE_RATE for a, b in zip(runs, runs[1:])]


def end_level_dbfs(samples: np.ndarray, seconds: float = 0.005) -> float:
    """The level of the last 5 ms of sound before it falls under -60 dBFS for good: about
    -20 dBFS where a word stops hard into silence, far lower where it fades."""
    audible = np.flatnonzero(np.abs(samples) > 0.001)
    if not audible.size:
        return -120.0
    end = int(audible[-1]) + 1
    tail = samples[max(0, end - int(seconds * audio.SAMPLE_RATE)):end]
    rms = float(np.sqrt(np.mean(tail ** 2))) if len(tail) else 0.0
    return 20 * math.log10(rms) if rms > 0 else -120.0


def _quiet_level(samples: np.ndarray) -> float:
    peak = float(np.abs(samples).max()) or 1e-9
    return 20 * math.log10(peak) - 40.0


def measure_voice(name: str, sentences: list[str], folder: Path) -> dict[str, float]:
    settings = settings_for(VOICES[name], 140)
    engine = get_engine(settings.engine)
    figures: dict[str, float] = {}
    for rate in RATES:
        raw_pieces, pieces = [], []
        for text in sentences:
            raw, chunk = prepared(engine, text, settings.voice, rate, folder)
            raw_pieces.append((text, raw))
            pieces.append((text, chunk))
        figures[f"raw wpm @{rate}"] = pace(raw_pieces)
        figures[f"wpm @{rate}"] = pace(pieces)
        if rate == 140:
            short = [(t, s) for t, s in pieces if count_words(t) <= 6]
            figures["short wpm @140"] = pace(short) if short else math.nan
            commas = [g for t, s in pieces if "," in t for g in comma_pauses(s)]
            raw_commas = [g for t, s in raw_pieces if "," in t for g in comma_pauses(s)]
            figures["comma pause median s"] = statistics.median(commas) if commas else 0.0
            figures["comma pause max s"] = max(commas, default=0.0)
            figures["raw comma pause max s"] = max(raw_commas, default=0.0)
            figures["loudest sentence end dBFS"] = max(end_level_dbfs(s) for _, s in pieces)
            figures["raw loudest sentence end dBFS"] = max(end_level_dbfs(s)
                                                           for _, s in raw_pieces)
    return figures


def calibrate(name: str, sentences: list[str], folder: Path) -> None:
    """The pace heard (the pipeline's chunks) against the engine's own setting. espeak: its
    tables for app/speech/espeak_pace.py (run with every sentence: --sentences 1000); Piper:
    a fit of wpm = a * length_scale ** b."""
    if name == "espeak":
        calibrate_espeak(sentences, folder)
        return
    from app.speech import piper_engine
    settings = settings_for(VOICES[name], 140)
    engine = get_engine(settings.engine)
    points = []
    for rate in (100, 140, 180):
        pieces = [(t, prepared(engine, t, settings.voice, rate, folder)[1]) for t in sentences]
        points.append((piper_engine.length_scale(rate), pace(pieces)))
        print(f"  {name} asked {rate}: setting {points[-1][0]:.3f} -> {points[-1][1]:.1f} wpm")
    xs, ys = np.log([p[0] for p in points]), np.log([p[1] for p in points])
    b, log_a = np.polyfit(xs, ys, 1)
    print(f"  {name}: wpm = {math.exp(log_a):.1f} * setting ** {b:.3f}")


def calibrate_espeak(sentences: list[str], folder: Path) -> None:
    """Words a minute heard at each of espeak's rate settings with no word gap (HEARD), then
    at its floor setting with a growing gap, and one gap at a faster setting (the gap model)."""
    from app.speech import engine as engines, espeak_pace
    engine = get_engine("espeak")
    settings = settings_for(STANDARD_VOICE, 140)
    heard = []
    points = [(s, 0) for s, _ in espeak_pace.HEARD] + [
        (espeak_pace.MIN_SETTING, g) for g in (1, 2, 3, 4, 6)] + [(92, 1), (100, 1)]
    for setting, gap in points:
        # the engine asked for these exact settings; `rate` still sizes its duration check
        engines.espeak_pace = lambda _rate, s=setting, g=gap: (s, g)  # type: ignore[attr-defined]
        engine._applied = None  # type: ignore[attr-defined]
        rate = int(espeak_pace.heard_wpm(setting, gap))
        wpm = pace([(t, prepared(engine, t, settings.voice, rate, folder)[1]) for t in sentences])
        model = espeak_pace.heard_wpm(setting, gap)
        print(f"  espeak setting {setting:>3} gap {gap}: {wpm:6.1f} wpm heard "
              f"(tables say {model:6.1f})", flush=True)
        if gap == 0:
            heard.append((setting, round(wpm, 1)))
    print(f"  HEARD = {tuple(heard)}")


def main() -> int:
    p = parser(__doc__)
    p.add_argument("--voice", choices=sorted(VOICES), action="append")
    # 120 of the 730 bundled sentences: within 1.5 % of all of them; 48 read 4-5 % slow
    p.add_argument("--sentences", type=int, default=120)
    p.add_argument("--calibrate", action="store_true")
    args = p.parse_args()
    sentences = sample_sentences(args.sentences)
    goals = []
    with tempfile.TemporaryDirectory() as folder:
        for name in args.voice or ["piper", "espeak"]:
            if args.calibrate:
                calibrate(name, sentences, Path(folder))
                continue
            figures = measure_voice(name, sentences, Path(folder))
            for key, value in figures.items():
                print(f"  {name:<7} {key:<28} {value:8.2f}")
            for rate in RATES:
                ratio = figures[f"wpm @{rate}"] / rate
                goals.append((f"{name} pace/asked @{rate}", ratio, "0.95-1.05",
                              0.95 <= ratio <= 1.05))
            short = figures["short wpm @140"] / 140
            goals.append((f"{name} short-sentence pace/asked", short, "<= 1.10", short <= 1.10))
            comma = figures["comma pause max s"] / audio.GAPS["sentence"]
            goals.append((f"{name} longest comma/sentence gap", comma, "<= 0.60", comma <= 0.6))
            end = figures["loudest sentence end dBFS"]
            goals.append((f"{name} loudest sentence end dBFS", end, "<= -35", end <= -35))
    return 0 if args.calibrate else finish(args.check, goals)


if __name__ == "__main__":
    sys.exit(main())
