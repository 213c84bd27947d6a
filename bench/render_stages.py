"""Where a sentence's render CPU goes, stage by stage (one process, CPU time, no pool).

    .venv/bin/python bench/render_stages.py [--practices N] [--rounds R]

The bare engine speaks every distinct sentence of the first N bundled practices (its CPU is
the baseline, as in bench/render.py's raw pool); then each stage of the pipeline's own work
runs on those WAVs, timed with the process's CPU clock (every thread; sleeping costs none, so
a loaded machine moves these figures far less than wall-clock ones), and the steps are
assembled from the cached sentences. Prints milliseconds a sentence per stage.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The pipeline's work in this process runs BLAS on one thread, as in its workers
# (app.speech.isolated.one_thread_blas); set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from app.speech import audio, loudness, render_worker  # noqa: E402
from app.speech.engine import get_engine  # noqa: E402
from app.speech.plan import RenderSettings, plan_all  # noqa: E402
from bench.render import bundled_practices, sentences  # noqa: E402


class Stages:
    def __init__(self) -> None:
        self.cpu: dict[str, float] = defaultdict(float)
        for name in ("read the engine's WAV", "trim (16-bit)", "to floats", "cap pauses",
                     "fades", "loudness + limiter", "  of which K-weighting"):
            self.cpu[name] = 0.0  # printed in this order

    def run(self, name: str, work: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        result = work(*args, **kwargs)
        self.cpu[name] += time.process_time() - started
        return result


def post_process(stages: Stages, raw: Path, out: Path) -> None:
    """audio.prepare_chunk, stage by stage (the same calls in the same order)."""
    pcm = stages.run("read the engine's WAV", audio.load_pcm, raw)
    span = stages.run("trim (16-bit)", audio._speech_span, pcm,
                      audio.db_to_gain(audio.TRIM_THRESHOLD_DBFS) * 32768.0)
    speech = stages.run("to floats", audio.to_float, pcm[span], np.float32)
    speech = stages.run("cap pauses", audio.cap_pauses, speech)
    speech = stages.run("fades", audio._fade_in_place, speech, audio.CHUNK_FADE_IN, 0.0)
    speech = stages.run("fades", audio._fade_out_sound_in_place, speech, audio.CHUNK_FADE_OUT)
    levelled, energies = stages.run("loudness + limiter", loudness.normalise_measured,
                                    speech, ceiling_dbfs=audio._CHUNK_CEILING_DBFS,
                                    in_place=True)
    stages.run("write energies + WAV", audio.save_energies, energies, len(levelled), out)
    stages.run("write energies + WAV", audio.save_wav, levelled, out, in_place=True)


def loudness_parts(stages: Stages, speech: np.ndarray) -> None:
    """Inside "loudness + limiter": K-weighting vs the rest (run again, not counted above),
    the way normalise_measured runs it (fast, on single-precision samples): the exact way
    in double, timed here until now, cost twice as much and overstated its share."""
    stages.run("  of which K-weighting", loudness.k_filter, speech.astype(np.float32),
               loudness.SAMPLE_RATE, tail=loudness._K_TAPS, fast=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="securebase-stages-"))
    os.environ["SECUREBASE_HOME"] = str(home)
    practices = bundled_practices()[0][:args.practices]
    texts = sentences(practices)
    settings = RenderSettings()
    engine = get_engine(settings.engine)
    raw_dir = home / "raw"
    raw_dir.mkdir()
    engine.synthesize(texts[0], raw_dir / "warm-up.wav", voice=settings.voice, rate=settings.rate)
    stages = Stages()
    for index, text in enumerate(texts):
        stages.run("ENGINE (bare, for comparison)", engine.synthesize, text,
                   raw_dir / f"{index}.wav", voice=settings.voice, rate=settings.rate)
    for round_ in range(args.rounds):
        out = home / f"round{round_}"
        out.mkdir()
        for index in range(len(texts)):
            post_process(stages, raw_dir / f"{index}.wav", out / f"{index}.wav")
            loudness_parts(stages, audio.load_wav(out / f"{index}.wav"))
        for plan in plan_all(practices, home / f"audio{round_}", settings):
            for text_index, cache_file in zip(_speech_indexes(plan, texts), plan.cache_files):
                _place(out / f"{text_index}.wav", cache_file)
            stages.run("assemble steps (per sentence)", render_worker.assemble_step, plan)
    count = len(texts)
    engine_ms = 1000 * stages.cpu.pop("ENGINE (bare, for comparison)") / count
    print(f"{count} sentences ({args.practices} practices), {args.rounds} rounds, load "
          f"{os.getloadavg()[0]:.1f}; CPU milliseconds a sentence:")
    own = 0.0
    for name, seconds in stages.cpu.items():
        ms = 1000 * seconds / count / args.rounds
        own += 0.0 if name.startswith("  ") else ms
        print(f"  {name:<32} {ms:6.2f}")
    print(f"  {'pipeline own work':<32} {own:6.2f}   (engine alone: {engine_ms:.2f})")
    shutil.rmtree(home, ignore_errors=True)  # the WAVs of every round: megabytes each
    return 0


def _speech_indexes(plan: Any, texts: list[str]) -> list[int]:
    from app.speech.text import Speech
    return [texts.index(chunk.text) for chunk in plan.chunks if isinstance(chunk, Speech)]


def _place(chunk: Path, cache_file: Path) -> None:
    cache_file.parent.mkdir(parents=True, exist_ok=True)
    for source, target in ((chunk, cache_file),
                           (audio.energies_path(chunk), audio.energies_path(cache_file))):
        if not target.exists():
            target.write_bytes(source.read_bytes())


if __name__ == "__main__":
    sys.exit(main())
