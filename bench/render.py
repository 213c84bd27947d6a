"""Render speed: a cold and a warm render of every bundled practice, next to a naive baseline.

    .venv/bin/python bench/render.py [--check] [--jobs N]

Cold: empty cache and output in a temporary SECUREBASE_HOME, everything synthesized and
post-processed. Warm: the same render again (everything up to date). Baseline: one pyttsx3
engine, sequential, no cache, no post-processing, on the same sentences in the same run.
Real-time factor = seconds of audio produced per wall-clock second.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app import paths  # noqa: E402
from app.core.practice import Practice, Step  # noqa: E402
from app.speech.engine import SynthesisError, check_wav  # noqa: E402
from app.speech.render import RenderSettings, render_practices  # noqa: E402
from app.speech.text import Speech, count_words, split_step  # noqa: E402

COLD_GOAL = 50.0   # x real time, including post-processing, on 2 cores
WARM_GOAL = 0.5    # seconds to re-render everything when nothing changed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: "
                                                               "one per core)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="securebase-bench-") as home:
        os.environ["SECUREBASE_HOME"] = home  # cache and audio stay out of the real ones
        practices, source = bundled_practices()
        out = Path(home) / "audio"
        settings = RenderSettings()
        cold = render_practices(practices, out, settings, jobs=args.jobs)
        warm = render_practices(practices, out, settings, jobs=args.jobs)
        speech = cached_speech_seconds()
        base_audio, base_wall, base_bad, base_count = naive_baseline(
            practices, settings, Path(home) / "naive")
    cold_rtf = cold.rendered_seconds / cold.wall_seconds
    base_rtf = base_audio / base_wall
    steps = cold.steps_rendered
    print(f"practices   : {len(practices)} ({source}), {steps} steps, "
          f"{cold.chunks_synthesized} sentences, {os.cpu_count()} cores")
    print(f"cold render : {cold.rendered_seconds:7.1f} s of audio ({speech:.1f} s speech) in "
          f"{cold.wall_seconds:6.2f} s -> {cold_rtf:6.1f}x real time "
          f"({speech / cold.wall_seconds:.1f}x counting speech only)")
    print(f"warm render : {warm.wall_seconds:7.3f} s ({warm.steps_up_to_date} steps up to "
          f"date, {warm.chunks_synthesized} sentences spoken)")
    print(f"baseline    : {base_audio:7.1f} s of speech in {base_wall:6.2f} s -> "
          f"{base_rtf:6.1f}x real time (one engine, sequential, no cache, no post-processing;"
          f" {base_bad} of {base_count} files missing or implausible)")
    print(f"ratios      : cold wall / baseline wall = {cold.wall_seconds / base_wall:.2f}; "
          f"speech RTF cold / baseline = {speech / cold.wall_seconds / base_rtf:.2f}; "
          f"baseline wall / warm wall = {base_wall / max(warm.wall_seconds, 1e-6):.0f}x")
    met = cold_rtf >= COLD_GOAL and warm.wall_seconds < WARM_GOAL and warm.steps_rendered == 0
    print(f"{'goals met' if met else 'GOAL MISSED'}: cold {cold_rtf:.1f}x real time "
          f"(goal >= {COLD_GOAL:g}x), warm re-render {warm.wall_seconds:.3f} s "
          f"(goal < {WARM_GOAL:g} s)")
    return 1 if args.check and not met else 0


def bundled_practices() -> tuple[list[Practice], str]:
    """The bundled scripts (not the user's), or a built-in sample while there are none."""
    try:
        from app.core.scripts import load_all

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
