"""Render speed per installed engine, judged on speech against the engines themselves.

    .venv/bin/python bench/render.py [--check] [--jobs N] [--engine NAME ...] [--rounds R]

Baseline, same run, same sentences: a raw pool of bare engines -- as many worker processes as
the pipeline uses (one per core), each one engine, every distinct sentence of the bundled
practices spoken once to a file, nothing else (no cache, no checks of ours, no trimming,
levelling or joining).
Pipeline: a cold render of every bundled practice with an empty cache (everything synthesized,
post-processed, assembled and checked), then a warm one (everything up to date).

Rounds are interleaved, pool, render, pool, render, ..., pool, so a busy machine slows both
alike: each render is judged against the mean of the pool runs just before and after it, and
the figure is the median of the rounds, printed with their spread (the pool's own runs differ
by up to 40 % on a loaded machine: one round proves little).
Start-up is timed alike for both: the processes, and each one's engine, inside the timing; the
Python that they come from with its libraries loaded, before it. For the pool that is this
process with the engine library loaded; for the pipeline, the server its workers fork from,
which the app starts at idle after its own start (isolated.start_workers_early): started here
before the first round, its time printed (and the share with it counted, too).

Real-time factor = seconds of *speech* (the synthesized sentences, trimmed, no gaps or pauses)
per wall-clock second, the same numerator for both. Goal: the pipeline at >= 60 % of the raw
pool's speed (median of the rounds); a warm render under 0.5 s (every round). --check exits 1
when a goal is missed; the last line states the figures and the goals.
"""
from __future__ import annotations

import argparse
import multiprocessing
import multiprocessing.util
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import wave
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
# The pipeline's work in this process runs BLAS on one thread, as in its workers
# (app.speech.isolated.one_thread_blas); set before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from app import paths  # noqa: E402
from app.core.practice import Practice, Step  # noqa: E402
from app.speech.engine import ENGINES, _started, get_engine  # noqa: E402
from app.speech.isolated import worker_context  # noqa: E402
from app.speech.render import (WORKER_NICENESS, RenderReport, RenderSettings,  # noqa: E402
                               render_practices)
from app.speech.text import Speech, split_step  # noqa: E402

SHARE_GOAL = 0.60     # pipeline speed / raw pool speed, on the same speech
WARM_GOAL = 0.5
# Rounds by default: the natural voice's raw pool alone takes minutes on a busy machine.
ROUNDS = {"espeak": 3, "piper": 1}


@dataclass
class Round:
    cold: RenderReport
    warm: RenderReport
    raw_walls: tuple[float, float]  # the raw pool just before and just after the render
    load: float                     # the 1-minute load average when the render ended
    raw_cpu: float                  # CPU seconds of the raw pool (mean of the two runs)
    cold_cpu: tuple[float, float]   # CPU seconds of the cold render: workers, this process

    @property
    def cpu_share(self) -> float:
        """Raw pool CPU / render CPU: what the share tends to when CPU is what is short."""
        return self.raw_cpu / sum(self.cold_cpu)

    @property
    def raw_wall(self) -> float:
        return sum(self.raw_walls) / len(self.raw_walls)

    @property
    def share(self) -> float:
        return self.raw_wall / self.cold.wall_seconds


@dataclass
class EngineRun:
    engine: str
    rounds: list[Round]
    speech: float          # seconds of synthesized speech in the cache (no gaps, no pauses)
    server_seconds: float  # starting the server the pipeline's workers fork from

    @property
    def share(self) -> float:
        return statistics.median(r.share for r in self.rounds)

    @property
    def share_with_server(self) -> float:
        return statistics.median(r.raw_wall / (r.cold.wall_seconds + self.server_seconds)
                                 for r in self.rounds)

    @property
    def cpu_share(self) -> float:
        return statistics.median(r.cpu_share for r in self.rounds)

    @property
    def warm_wall(self) -> float:
        return max(r.warm.wall_seconds for r in self.rounds)

    def met(self) -> bool:
        return (self.share >= SHARE_GOAL and self.warm_wall < WARM_GOAL
                and all(r.warm.steps_rendered == 0 for r in self.rounds))

    def summary(self) -> str:
        shares = [100 * r.share for r in self.rounds]
        cold = statistics.median(r.cold.wall_seconds for r in self.rounds)
        raw = statistics.median(r.raw_wall for r in self.rounds)
        return (f"{self.engine} speech {self.speech / cold:.0f}x real time = "
                f"{100 * self.share:.0f} % of a raw pool's {self.speech / raw:.0f}x "
                f"(median of {len(shares)}, {min(shares):.0f}-{max(shares):.0f} %; "
                f"{100 * self.share_with_server:.0f} % with the server's start; goal >= "
                f"{100 * SHARE_GOAL:.0f} %), warm <= {self.warm_wall:.3f} s "
                f"(goal < {WARM_GOAL:g} s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: "
                                                               "one per core)")
    parser.add_argument("--engine", action="extend", nargs="+", choices=sorted(ENGINES),
                        help="only these engines (default: every installed one)")
    parser.add_argument("--practice", action="append", help="only these practices (quicker)")
    parser.add_argument("--rounds", type=int, default=None,
                        help="interleaved pool/render rounds (default: "
                             + ", ".join(f"{k} {v}" for k, v in ROUNDS.items()) + ")")
    args = parser.parse_args()
    practices, source = bundled_practices()
    if args.practice:
        practices = [p for p in practices if p.id in args.practice]
    jobs = args.jobs or os.cpu_count() or 1
    print(f"practices   : {len(practices)} ({source}), {os.cpu_count()} cores, {jobs} workers, "
          f"load {os.getloadavg()[0]:.1f}; engines installed: {', '.join(sorted(ENGINES))}")
    runs = [bench_engine(name, practices, jobs, max(1, args.rounds or ROUNDS.get(name, 1)))
            for name in args.engine or sorted(ENGINES)]
    met = all(run.met() for run in runs)
    print(f"{'goals met' if met else 'GOAL MISSED'}: " + "; ".join(run.summary() for run in runs))
    return 1 if args.check and not met else 0


def bench_engine(engine: str, practices: list[Practice], jobs: int, rounds: int) -> EngineRun:
    """Raw pool, then (cold render, warm render, raw pool) per round, in a fresh home."""
    home = Path(tempfile.mkdtemp(prefix=f"securebase-bench-{engine}-"))
    os.environ["SECUREBASE_HOME"] = str(home)  # cache and audio stay out of the real ones
    # Removed at exit after multiprocessing has removed its own folder in it (the server's
    # socket; its remover has priority -100): removing the home first made that remover
    # print a traceback at every exit.
    multiprocessing.util.Finalize(None, shutil.rmtree, args=(str(home),),
                                  kwargs={"ignore_errors": True}, exitpriority=-200)
    settings = settings_for(engine)
    texts = sentences(practices)
    started = time.perf_counter()
    server_ready(engine)
    server = time.perf_counter() - started
    print(f"{engine:<12}: worker server started in {server:.2f} s (before the timing, as "
          f"the app does at idle)", flush=True)
    pools = [measured(raw_pool, engine, settings, texts, jobs, home / "raw")]
    walls = [pools[0][0]]
    done: list[Round] = []
    for index in range(rounds):
        shutil.rmtree(paths.chunk_cache_dir(), ignore_errors=True)  # every sentence again
        out = home / f"audio{index}"
        cold, cold_cpu = measured(render_practices, practices, out, settings, jobs=jobs)
        load = os.getloadavg()[0]
        warm = render_practices(practices, out, settings, jobs=jobs)
        pools.append(measured(raw_pool, engine, settings, texts, jobs, home / "raw"))
        walls.append(pools[-1][0])
        raw_cpu = (sum(pools[-2][1]) + sum(pools[-1][1])) / 2
        done.append(Round(cold, warm, (walls[-2], walls[-1]), load, raw_cpu, cold_cpu))
        print(f"  round {index + 1}: raw pool {walls[-2]:.2f} and {walls[-1]:.2f} s, cold "
              f"render {cold.wall_seconds:.2f} s = {100 * done[-1].share:.0f} %, warm "
              f"{warm.wall_seconds:.3f} s, load {load:.1f}; CPU: pool {raw_cpu:.2f} s, "
              f"render {sum(cold_cpu):.2f} s (workers {cold_cpu[0]:.2f}, this process "
              f"{cold_cpu[1]:.2f}) = {100 * done[-1].cpu_share:.0f} %", flush=True)
    run = EngineRun(engine, done, cached_speech_seconds(), server)
    # last: it starts the engine in this process, and no raw pool may fork after that
    cpu = cpu_per_sentence(engine, practices[:1], settings, home / "cpu")
    cold = done[-1].cold
    cold_median = statistics.median(r.cold.wall_seconds for r in done)
    raw_median = statistics.median(r.raw_wall for r in done)
    print(f"{engine:<12}: {cold.steps_rendered} steps, {cold.chunks_synthesized} sentences "
          f"({len(texts)} distinct), {len(done)} rounds (medians below)")
    print(f"  raw pool    : {run.speech:7.1f} s of speech in {raw_median:.2f} s -> "
          f"{run.speech / raw_median:6.1f}x real time ({jobs} bare engines, nothing else; "
          f"every run: {', '.join(f'{w:.2f}' for w in walls)} s)")
    print(f"  cold render : {run.speech:7.1f} s of speech ({cold.rendered_seconds:.0f} s with "
          f"gaps and pauses) in {cold_median:6.2f} s -> {run.speech / cold_median:6.1f}x real "
          f"time = {100 * run.share:.0f} % of the raw pool (rounds: "
          f"{', '.join(f'{100 * r.share:.0f}' for r in done)} %; with the server's start "
          f"{server:.2f} s counted: {100 * run.share_with_server:.0f} %)")
    print(f"  warm render : {run.warm_wall:7.3f} s at most "
          f"({done[-1].warm.steps_up_to_date} steps up to date, "
          f"{sum(r.warm.chunks_synthesized for r in done)} sentences spoken)")
    print(f"  CPU, all    : the raw pool's CPU is {100 * run.cpu_share:.0f} % of the cold "
          f"render's (median; every process of each: what the share tends to where CPU is "
          f"short)")
    print(f"  CPU         : {cpu[0]:.1f} ms a sentence for the engine alone, {cpu[1]:.1f} ms "
          f"for the pipeline = {100 * cpu[0] / cpu[1]:.0f} % (one process, {practices[0].id}: "
          f"what a machine with no CPU to spare allows, whatever its load)", flush=True)
    return run


T = TypeVar("T")


def measured(work: Callable[..., T], *args: Any, **kwargs: Any
             ) -> tuple[T, tuple[float, float]]:
    """work's result, and the CPU seconds it cost (other processes, this process). Other
    processes: this one's children (the raw pool's workers, forked from here) and the workers'
    server's (the render's workers), once they have ended and been waited for."""
    before = _cpu_seconds()
    result = work(*args, **kwargs)
    after = _cpu_seconds()
    return result, (after[0] - before[0], after[1] - before[1])


def _cpu_seconds() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (children.ru_utime + children.ru_stime + _server_children_cpu(),
            own.ru_utime + own.ru_stime)


def _server_children_cpu() -> float:
    """CPU seconds of the processes the workers' server forked and has waited for (it waits
    for each when it ends): cutime + cstime in /proc/<server>/stat (Linux; 0 elsewhere)."""
    from multiprocessing import forkserver

    pid = getattr(forkserver._forkserver, "_forkserver_pid", None)
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[13]) + int(fields[14])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def server_ready(engine: str) -> None:
    """Start the server the pipeline's workers fork from, as the app does at idle, and wait
    until it has imported what it preloads (a process forked from it has answered)."""
    with ProcessPoolExecutor(1, mp_context=worker_context(engine)) as pool:
        pool.submit(os.getpid).result()


def settings_for(engine: str) -> RenderSettings:
    from app.speech.voices import NATURAL_VOICE
    return RenderSettings(engine=engine, voice=NATURAL_VOICE if engine == "piper" else None)


def sentences(practices: list[Practice]) -> list[str]:
    """Every distinct sentence, in order: what the pipeline synthesizes (once each)."""
    texts = [chunk.text for practice in practices for step in practice.steps
             for segment in step.segments for chunk in split_step(segment.say)
             if isinstance(chunk, Speech)]
    return list(dict.fromkeys(texts))


_bare = None


def _start_bare(engine: str) -> None:
    global _bare
    os.nice(WORKER_NICENESS)  # the pipeline's workers' priority: a fair race on a busy machine
    _bare = get_engine(engine)


def _speak(text: str, path: str, voice: str | None, rate: int) -> None:
    _bare.synthesize(text, Path(path), voice=voice, rate=rate)  # type: ignore[union-attr]


def preload(engine: str) -> None:
    """The engine's libraries imported here, once, as the pipeline's server does. espeak-ng is
    only loaded, not started: a started espeak-ng has a thread its forked children lack, and
    their first call into it waits for that thread forever (the raw pool hung at 0 % CPU)."""
    if engine == "espeak":
        import pyttsx3.drivers._espeak  # noqa: F401 - loads libespeak-ng
    else:
        get_engine(engine)


def raw_pool(engine: str, settings: RenderSettings, texts: list[str], jobs: int,
             folder: Path) -> float:
    """Wall seconds for `jobs` fresh processes, one bare engine each, to speak `texts`. They
    fork from this process with the engine's libraries loaded: the fastest start there is."""
    folder.mkdir(parents=True, exist_ok=True)
    preload(engine)
    started = time.perf_counter()
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                             initializer=_start_bare, initargs=(engine,)) as pool:
        list(pool.map(_speak, texts, [str(folder / f"{i}.wav") for i in range(len(texts))],
                      [settings.voice] * len(texts), [settings.rate] * len(texts),
                      chunksize=4))
    return time.perf_counter() - started


def cpu_per_sentence(engine: str, practices: list[Practice], settings: RenderSettings,
                     folder: Path) -> tuple[float, float]:
    """CPU milliseconds a sentence (every thread of this process; sleeping costs none): the
    bare engine speaking each sentence, then a cold render of the same in this process. On a
    busy machine the pipeline (CPU-bound) competes for the cores while the raw pool mostly
    sleeps in pyttsx3's loop, so the wall-clock share falls towards this ratio."""
    texts = sentences(practices)
    folder.mkdir(parents=True, exist_ok=True)
    bare = get_engine(engine)
    bare.synthesize(texts[0], folder / "warm-up.wav", voice=settings.voice, rate=settings.rate)
    started = _cpu_with_children()
    for index, text in enumerate(texts):
        bare.synthesize(text, folder / f"{index}.wav", voice=settings.voice, rate=settings.rate)
    raw = _cpu_with_children() - started
    os.environ["SECUREBASE_HOME"] = str(folder)  # an empty cache: every sentence again
    started = _cpu_with_children()
    render_practices(practices, folder / "audio", settings, jobs=0)
    pipeline = _cpu_with_children() - started
    return 1000 * raw / len(texts), 1000 * pipeline / len(texts)


def _cpu_with_children() -> float:
    """CPU of this process, of its children that have ended and of espeak's zygote: espeak
    speaks each sentence in a child of its zygote (app/speech/espeak_engine.py), which
    process_time() would not count."""
    times = os.times()
    zygote = getattr(_started.get("espeak"), "_zygote", None)
    return (times.user + times.system + times.children_user + times.children_system
            + (zygote.cpu_seconds() if zygote is not None else 0.0))


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


if __name__ == "__main__":
    sys.exit(main())
