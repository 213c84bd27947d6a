"""Render speed per installed engine: a cold and a warm render of every bundled practice.

    .venv/bin/python bench/render.py [--check] [--jobs N] [--engine NAME ...]

Cold: empty cache and output in a temporary SECUREBASE_HOME, everything synthesized and
post-processed. Warm: the same render again (everything up to date). For espeak-ng also a naive
baseline: one pyttsx3 engine, sequential, no cache, no post-processing, on the same sentences.
Real-time factor = seconds of audio produced (silences included) per wall-clock second.
--check exits 1 when a goal is missed; the last line states the figures and the goals.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import os
import sys
import tempfile
import time
import wave
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import paths  # noqa: E402
from app.core.practice import Practice, Step  # noqa: E402
from app.speech.engine import ENGINES, SynthesisError, check_wav  # noqa: E402
from app.speech.render import RenderReport, RenderSettings, render_practices  # noqa: E402
from app.speech.text import Speech, count_words, split_step  # noqa: E402

# x real time, including post-processing, on 2 cores; and seconds to re-render everything when
# nothing changed. Piper is a neural network: far slower than espeak, still far ahead of playback.
COLD_GOALS = {"espeak": 50.0, "piper": 10.0}
WARM_GOAL = 0.5


@dataclass
class EngineRun:
    engine: str
    cold: RenderReport
    warm: RenderReport
    speech: float  # seconds of synthesized speech in the cache (no gaps, no pauses)

    @property
    def cold_rtf(self) -> float:
        return self.cold.rendered_seconds / self.cold.wall_seconds

    def met(self) -> bool:
        return (self.cold_rtf >= COLD_GOALS.get(self.engine, 10.0)
                and self.warm.wall_seconds < WARM_GOAL and self.warm.steps_rendered == 0)

    def summary(self) -> str:
        return (f"{self.engine} cold {self.cold_rtf:.1f}x real time (goal >= "
                f"{COLD_GOALS.get(self.engine, 10.0):g}x), warm re-render "
                f"{self.warm.wall_seconds:.3f} s (goal < {WARM_GOAL:g} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: "
                                                               "one per core)")
    parser.add_argument("--engine", action="extend", nargs="+", choices=sorted(ENGINES),
                        help="only these engines (default: every installed one)")
    args = parser.parse_args()
    practices, source = bundled_practices()
    print(f"practices   : {len(practices)} ({source}), {os.cpu_count()} cores; engines "
          f"installed: {', '.join(sorted(ENGINES))}")
    runs = [bench_engine(name, practices, args.jobs) for name in args.engine or sorted(ENGINES)]
    met = all(run.met() for run in runs)
    print(f"{'goals met' if met else 'GOAL MISSED'}: " + "; ".join(run.summary() for run in runs))
    return 1 if args.check and not met else 0


def bench_engine(engine: str, practices: list[Practice], jobs: int | None) -> EngineRun:
    """Cold and warm render in a fresh home of its own, so no engine finds another's cache."""
    with tempfile.TemporaryDirectory(prefix=f"securebase-bench-{engine}-") as home:
        os.environ["SECUREBASE_HOME"] = home  # cache and audio stay out of the real ones
        out = Path(home) / "audio"
        settings = RenderSettings(engine=engine)
        cold = render_practices(practices, out, settings, jobs=jobs)
        warm = render_practices(practices, out, settings, jobs=jobs)
        run = EngineRun(engine, cold, warm, cached_speech_seconds())
        print(f"{engine:<12}: {cold.steps_rendered} steps, {cold.chunks_synthesized} sentences")
        print(f"  cold render : {cold.rendered_seconds:7.1f} s of audio ({run.speech:.1f} s "
              f"speech) in {cold.wall_seconds:6.2f} s -> {run.cold_rtf:6.1f}x real time "
              f"({run.speech / cold.wall_seconds:.1f}x counting speech only)")
        print(f"  warm render : {warm.wall_seconds:7.3f} s ({warm.steps_up_to_date} steps up "
              f"to date, {warm.chunks_synthesized} sentences spoken)")
        if engine == "espeak":
            print_baseline(run, practices, settings, Path(home) / "naive")
    return run


def print_baseline(run: EngineRun, practices: list[Practice], settings: RenderSettings,
                   folder: Path) -> None:
    base_audio, base_wall, base_bad, base_count = naive_baseline(practices, settings, folder)
    base_rtf = base_audio / base_wall
    cold, warm = run.cold, run.warm
    print(f"  baseline    : {base_audio:7.1f} s of speech in {base_wall:6.2f} s -> "
          f"{base_rtf:6.1f}x real time (one engine, sequential, no cache, no post-processing;"
          f" {base_bad} of {base_count} files missing or implausible)")
    print(f"  ratios      : cold wall / baseline wall = {cold.wall_seconds / base_wall:.2f}; "
          f"speech RTF cold / baseline = {run.speech / cold.wall_seconds / base_rtf:.2f}; "
          f"baseline wall / warm wall = {base_wall / max(warm.wall_seconds, 1e-6):.0f}x")


def bundled_practices() -> tuple[list[Practice], str]:
    """The bundled scripts (not the user's), or a built-in sample while there are none."""
    try:
        from app.storage.script_files import load_all

        with tempfile.TemporaryDirectory() as no_user_scripts:
            practices, _broken = load_all(paths.BUNDLED_SCRIPTS_DIR, Path(no_user_scripts))
        if practices:
            return list(practices), "bundled scripts"
    except ImportError:
        pass
    return sample_practices(), "built-in sample"


def sample_practices() -> list[Practice]:
    places = ["shoulders", "jaw", "chest", "belly", "hands", "feet", "forehead", "throat"]
    qualities = ["warmth", "tightness", "stillness", "movement", "heaviness", "softness"]
    steps = []
    for index, place in enumerate(places):
        quality = qualities[index % len(qualities)]
        say = (f"Let your attention rest gently on your {place}. [pause 2] "
               f"Notice any {quality} there, without needing to change it. "
               f"If a part of you has something to say about your {place}, you can listen. "
               f"[pause 3] Thank it for letting you know, and breathe.")
        steps.append(Step(f"step-{index}", place.title(), say))
    return [Practice("sample", "Sample", "Built-in bench sample", 10.0, tuple(steps))]


def cached_speech_seconds() -> float:
    total = 0.0
    for chunk in paths.chunk_cache_dir().rglob("*.wav"):
        with wave.open(str(chunk)) as handle:
            total += handle.getnframes() / handle.getframerate()
    return total


def naive_baseline(practices: list[Practice], settings: RenderSettings, folder: Path
                   ) -> tuple[float, float, int, int]:
    """What a first attempt would do: one engine, one save_to_file + runAndWait per sentence.
    Returns seconds of audio, wall seconds, files failing the pipeline's check, and files."""
    import pyttsx3

    folder.mkdir(parents=True)
    texts = [chunk.text for practice in practices for step in practice.steps
             for chunk in split_step(step.say) if isinstance(chunk, Speech)]
    started = time.perf_counter()
    engine = pyttsx3.init("espeak")
    engine.setProperty("rate", settings.rate)
    with contextlib.redirect_stdout(io.StringIO()):
        for index, text in enumerate(texts):
            engine.save_to_file(text, str(folder / f"{index}.wav"))
            engine.runAndWait()
    wall = time.perf_counter() - started
    time.sleep(0.5)  # the last file may still be being written by espeak's thread
    seconds, bad = 0.0, 0
    for index, text in enumerate(texts):
        try:
            seconds += check_wav(folder / f"{index}.wav", count_words(text), settings.rate)
        except (SynthesisError, wave.Error, EOFError):
            bad += 1
    return seconds, wall, bad, len(texts)


if __name__ == "__main__":
    sys.exit(main())
