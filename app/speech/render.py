"""The render pipeline: practices -> cached sentence audio -> one checked WAV per step.

Sentences are synthesized in worker processes (one engine each, made by the pool initializer:
an engine per sentence would cost more than speaking it) and cached by content hash. Steps are
assembled as soon as their sentences exist, in practice order, so the first can play while the
rest render. A manifest per practice records what each WAV was made from.

A step with `[listen N]` marks is rendered as one WAV per segment (`step.wav`, `step.2.wav`, …):
the listening time between them is kept by the player, not baked into the audio. Everything
here that says "step" means such a unit of audio, named by `Segment.audio_id`."""
from __future__ import annotations

import contextlib
import hashlib
import heapq
import json
import os
import signal
import time
import wave
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import (FIRST_COMPLETED, Executor, Future, ProcessPoolExecutor,
                                ThreadPoolExecutor, wait)
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from app import paths
from app.core.practice import Practice
from app.speech import audio, engine as engines, lead
from app.speech.isolated import exit_with_parent, prepare_engine_process, worker_context
from app.speech.text import Chunk, Speech, count_words, split_step
from app.storage.files import write_private
from app.storage.privacy import private_folder, private_process

# Bump the number whenever audio processing changes what a chunk or step sounds like.
PIPELINE_VERSION = f"6+{engines.PRONUNCIATION_DIGEST}"
MANIFEST = "manifest.json"
# Workers yield to the window and to the sound already playing: Qt's player keeps only ~0.1 s
# in the sound device, so a starved player is heard as a gap (tests/e2e/test_real_sound.py).
WORKER_NICENESS = 5             # someone waits for this audio: the step about to be heard
BACKGROUND_NICENESS = 19        # nobody waits (the safety exit, other practices, first steps)


@dataclass(frozen=True)
class RenderSettings:
    engine: str = "espeak"
    voice: str | None = None
    rate: int = 140  # words a minute; espeak's 200 is far too fast for guidance


@dataclass(frozen=True)
class RenderProgress:
    done: int    # speech chunks ready (cached or synthesized) in this run
    total: int   # speech chunks in the steps this run renders
    practice_id: str | None = None  # set, with step_id and wav, when a step's WAV is ready
    step_id: str | None = None
    wav: Path | None = None
    up_to_date: bool = False        # the step needed no work
    head: bool = False              # wav is only the step's first sentence (lead.py)
    rest: Path | None = None        # for a step whose head was reported: the rest of it


@dataclass
class RenderReport:
    steps_rendered: int = 0
    steps_up_to_date: int = 0
    chunks_synthesized: int = 0
    chunks_cached: int = 0
    audio_seconds: float = 0.0      # all steps of the practices, rendered or not
    rendered_seconds: float = 0.0   # steps written by this run
    wall_seconds: float = 0.0
    cancelled: bool = False
    wavs: list[Path] = field(default_factory=list)


class RenderError(Exception):
    """Rendering failed; the message is plain and names what failed."""


@dataclass(frozen=True)
class StepPlan:
    order: int
    practice_id: str
    step_id: str
    chunks: tuple[Chunk, ...]
    keys: tuple[str, ...]   # cache key per Speech chunk, in order
    digest: str             # everything the step's audio depends on
    wav: Path
    words: int
    rate: int
    # Resolved here, in the parent: workers fork from a long-lived server whose environment
    # (SECUREBASE_HOME) may be older than the caller's.
    cache_files: tuple[Path, ...] = ()


EngineFactory = Callable[[str], engines.SpeechEngine]


def render_practices(practices: Sequence[Practice], out_dir: Path, settings: RenderSettings, *,
                     jobs: int | None = None,
                     progress: Callable[[RenderProgress], None] | None = None,
                     cancel: Callable[[], bool] | None = None,
                     engine_factory: EngineFactory | None = None,
                     prune: bool = True, background: bool = False) -> RenderReport:
    """Render every step not already up to date; see the module docstring.

    jobs: worker processes (default: all cores); 0 renders in this process.
    prune: forget steps the practices do not have (False when given only some of their steps).
    background: nobody waits for this audio: workers run at the lowest priority.
    engine_factory: tests only (a fake engine); the app always uses `engine.get_engine`.
    """
    started = time.perf_counter()
    report = RenderReport()
    manifests = {p.id: _Manifest.load(p, Path(out_dir), settings) for p in practices}
    run = _Run(_plan_all(practices, Path(out_dir), settings), settings, report, manifests,
               progress, cancel)
    if run.missing:
        jobs = (os.cpu_count() or 1) if jobs is None else jobs
        job_count = len(run.synth) + len(run.missing)
        niceness = BACKGROUND_NICENESS if background else WORKER_NICENESS
        with _executor(jobs, settings.engine, engine_factory, job_count, niceness) as pool:
            run.execute(pool, limit=max(1, 2 * jobs))
    for manifest in manifests.values():  # forget steps the practices no longer have
        if prune:  # (not when only some steps were asked for)
            manifest.prune()
    report.wall_seconds = time.perf_counter() - started
    return report


def manifest_status(practice: Practice, out_dir: Path, settings: RenderSettings
                    ) -> dict[str, Path | None]:
    """Per audio unit (a step, or a segment of one), its WAV when it exists and matches the
    current text and settings, else None."""
    manifest = _Manifest.load(practice, Path(out_dir), settings)
    status: dict[str, Path | None] = {}
    for audio_id, say in _units(practice):
        status[audio_id] = None
        with contextlib.suppress(ValueError, RenderError):  # unrenderable counts as missing
            plan = _plan_step(practice.id, audio_id, say, 0, Path(out_dir), settings)
            status[audio_id] = plan.wav if manifest.current(plan) else None
    return status


def _units(practice: Practice) -> list[tuple[str, str]]:
    """(audio id, text) of every piece of audio a practice needs, in order."""
    return [(segment.audio_id, segment.say) for step in practice.steps
            for segment in step.segments]


def is_up_to_date(practice: Practice, out_dir: Path, settings: RenderSettings) -> bool:
    return all(path is not None for path in manifest_status(practice, out_dir, settings).values())


def chunk_key(settings: RenderSettings, text: str) -> str:
    material = [settings.engine, settings.voice, settings.rate, text, PIPELINE_VERSION]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()  # also the file name


def cache_path(key: str) -> Path:
    return paths.chunk_cache_dir() / key[:2] / f"{key}.wav"


def _plan_all(practices: Sequence[Practice], out_dir: Path, settings: RenderSettings
              ) -> list[StepPlan]:
    plans = []
    for practice in practices:
        for audio_id, say in _units(practice):
            try:
                plans.append(_plan_step(practice.id, audio_id, say, len(plans), out_dir,
                                        settings))
            except ValueError as exc:
                raise RenderError(f"{practice.id} / {audio_id}: {exc}") from None
    return plans


def _plan_step(practice_id: str, step_id: str, say: str, order: int, out_dir: Path,
               settings: RenderSettings) -> StepPlan:
    for name in (practice_id, step_id):
        if not name or name.startswith(".") or any(c in name for c in "/\\\0"):
            raise RenderError(f"{name!r} cannot be used as a file name")
    chunks = tuple(split_step(say))
    keys = tuple(chunk_key(settings, c.text) for c in chunks if isinstance(c, Speech))
    material = [PIPELINE_VERSION, asdict(settings), [repr(c) for c in chunks]]
    digest = hashlib.sha256(json.dumps(material).encode()).hexdigest()
    return StepPlan(order, practice_id, step_id, chunks, keys, digest,
                    out_dir / practice_id / f"{step_id}.wav", count_words(say),
                    settings.rate, tuple(cache_path(k) for k in keys))


class _Run:
    """Schedules synthesis and step assembly on the pool, earliest step first."""

    def __init__(self, plans: list[StepPlan], settings: RenderSettings, report: RenderReport,
                 manifests: dict[str, _Manifest],
                 progress: Callable[[RenderProgress], None] | None,
                 cancel: Callable[[], bool] | None) -> None:
        self.settings, self.report, self.manifests = settings, report, manifests
        self.progress, self.cancel = progress, cancel
        current = [(plan, manifests[plan.practice_id].current(plan)) for plan in plans]
        self.total = sum(len(plan.keys) for plan, entry in current if entry is None)
        self.done = 0
        self.missing: dict[int, set[str]] = {}  # step order -> keys it still waits for
        self.waiting: dict[str, list[StepPlan]] = {}
        self.synth: deque[ChunkTask] = deque()
        self.ready: list[tuple[int, StepPlan]] = []
        # The first step to render is what a listener may be waiting for: its first sentence
        # is written on its own as soon as it exists (lead.py).
        self.lead = next((plan for plan, entry in current if entry is None), None)
        self.heads: list[_Head] = []
        self.head_queued = self.head_done = False
        for plan, entry in current:
            if entry is None:
                self._plan(plan)
            else:  # up to date: reported at once, so a player can start on it
                report.steps_up_to_date += 1
                report.audio_seconds += float(entry["duration"])  # type: ignore[arg-type]
                report.wavs.append(plan.wav)
                if progress:
                    progress(RenderProgress(0, self.total, plan.practice_id, plan.step_id,
                                            plan.wav, up_to_date=True))
        if self.lead is not None and not lead.can_lead(self.lead.chunks):
            self.lead = None
        self._queue_head()

    def _queue_head(self) -> None:
        plan = self.lead
        if plan is None or self.head_queued or plan.keys[0] in self.waiting:
            return
        if self.missing.get(plan.order):  # the rest is still to come: the head is worth it
            self.heads.append(_Head(plan))
            self.head_queued = True
        else:
            self.lead = None

    def _plan(self, plan: StepPlan) -> None:
        """Queue what the step lacks; a sentence used twice is synthesized once."""
        missing = self.missing.setdefault(plan.order, set())
        texts = (c.text for c in plan.chunks if isinstance(c, Speech))
        for key, text in zip(plan.keys, texts):
            if key not in self.waiting and cache_path(key).exists():
                self.done += 1
                self.report.chunks_cached += 1
                continue
            if key not in self.waiting:
                self.synth.append(ChunkTask(key, text, cache_path(key), self.settings,
                                            plan.practice_id, plan.step_id))
            self.waiting.setdefault(key, []).append(plan)
            missing.add(key)
        if not missing:
            heapq.heappush(self.ready, (plan.order, plan))

    def execute(self, pool: Executor, limit: int) -> None:
        running: dict[Future[Any], StepPlan | ChunkTask | _Head] = {}
        self._report_progress()
        while True:
            while len(running) < limit and (self.heads or self.ready or self.synth):
                # Assembly first: a finished step is what a listener is waiting for.
                if self.heads:
                    head = self.heads.pop()
                    running[pool.submit(_assemble_head, head.plan)] = head
                elif self.ready:
                    plan = heapq.heappop(self.ready)[1]
                    running[pool.submit(_assemble_step, plan)] = plan
                else:
                    task = self.synth.popleft()
                    running[pool.submit(_synthesize_chunk, task)] = task
            if not running:
                return
            finished, _ = wait(running, timeout=0.1, return_when=FIRST_COMPLETED)
            if self.cancel is not None and self.cancel():
                self.report.cancelled = True
                return
            for future in finished:
                self._finished(running.pop(future), future)

    def _finished(self, item: StepPlan | ChunkTask | _Head, future: Future[Any]) -> None:
        try:
            result = future.result()
        except (engines.EngineUnavailable, RenderError):
            raise
        except Exception as exc:  # a crashed worker or an unexpected bug: still a plain message
            sentence = f", sentence {item.text!r}" if isinstance(item, ChunkTask) else ""
            raise RenderError(f"Rendering {item.practice_id} / {item.step_id}{sentence} failed "
                              f"({exc or type(exc).__name__}).") from exc
        if isinstance(item, ChunkTask):
            self._chunk_done(item.key)
        elif isinstance(item, _Head):
            if item.plan is not self.lead:
                return  # the whole step was written first: no need for its head
            self.head_done = True
            if self.progress is not None:
                self.progress(RenderProgress(self.done, self.total, item.plan.practice_id,
                                             item.plan.step_id, lead.head_path(item.plan.wav),
                                             head=True))
        else:
            self._step_done(item, *result)

    def _chunk_done(self, key: str) -> None:
        self.report.chunks_synthesized += 1
        for plan in self.waiting.pop(key):
            self.done += 1
            self.missing[plan.order].discard(key)
            if not self.missing[plan.order]:
                heapq.heappush(self.ready, (plan.order, plan))
        self._queue_head()
        self._report_progress()

    def _step_done(self, plan: StepPlan, seconds: float, size: int) -> None:
        self.manifests[plan.practice_id].record(plan, seconds, size)
        self.report.steps_rendered += 1
        self.report.audio_seconds += seconds
        self.report.rendered_seconds += seconds
        self.report.wavs.append(plan.wav)
        if plan is self.lead:
            self.lead = None
            if self.head_done:  # someone may be listening to the head: give them the rest
                rest = lead.write_rest(plan.chunks, plan.cache_files[0], plan.wav)
                if self.progress is not None:
                    self.progress(RenderProgress(self.done, self.total, plan.practice_id,
                                                 plan.step_id, plan.wav, rest=rest))
                return
        self._report_progress(plan)

    def _report_progress(self, plan: StepPlan | None = None) -> None:
        if self.progress is not None:
            where = (plan.practice_id, plan.step_id, plan.wav) if plan else ()
            self.progress(RenderProgress(self.done, self.total, *where))


@dataclass(frozen=True)
class ChunkTask:  # what a worker process needs to synthesize one sentence into the cache
    key: str
    text: str
    cache_file: Path
    settings: RenderSettings
    practice_id: str  # the first step that needs it, for error messages
    step_id: str


_worker_engine: engines.SpeechEngine | engines.EngineUnavailable | None = None


def _init_worker(engine_name: str, factory: EngineFactory | None, in_pool: bool,
                 niceness: int = WORKER_NICENESS) -> None:
    """Start this process's one engine. A failure is kept and raised by the first synthesis,
    so it reaches the caller as a plain message rather than a broken pool."""
    global _worker_engine
    private_process()       # WAVs written by this worker are owner-only, whoever started it
    if in_pool:
        # Temporary files inside the data folder before the engine loads (the forkserver did
        # this already; a spawned worker has not), and no worker outlives the window.
        prepare_engine_process()
        exit_with_parent()
        # Ctrl-C is the parent's to handle; workers would print tracebacks
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with contextlib.suppress(OSError):
            os.nice(niceness)
    try:
        _worker_engine = (factory or engines.get_engine)(engine_name)
    except engines.EngineUnavailable as exc:
        _worker_engine = exc


def _synthesize_chunk(task: ChunkTask) -> None:
    engine = _worker_engine
    if engine is None or isinstance(engine, engines.EngineUnavailable):
        raise engine or engines.EngineUnavailable("The speech engine did not start.")
    private_folder(task.cache_file.parent)
    raw = task.cache_file.with_name(f".{task.key}.{os.getpid()}.raw.wav")
    try:
        rate = task.settings.rate
        engine.synthesize(task.text, raw, voice=task.settings.voice, rate=rate)
        # Checked here too: the pipeline trusts no engine's word that the file is complete.
        engines.check_wav(raw, count_words(task.text), rate)
        audio.prepare_chunk(raw, task.cache_file)
    except engines.UnknownVoice as exc:
        raise RenderError(str(exc)) from None
    except (engines.SynthesisError, OSError, ValueError, EOFError, wave.Error) as exc:
        raise RenderError(f"Could not render {task.practice_id} / {task.step_id}, sentence "
                          f"{task.text!r}: {exc}") from None
    finally:
        raw.unlink(missing_ok=True)


@dataclass(frozen=True)
class _Head:  # the first sentence of the step a listener waits for (lead.py)
    plan: StepPlan


def _assemble_head(plan: StepPlan) -> float:
    try:
        return lead.write_head(plan.chunks, plan.cache_files[0], plan.wav)
    except (ValueError, OSError, EOFError, wave.Error) as exc:
        raise RenderError(f"The audio of {plan.practice_id} / {plan.step_id} failed: {exc}."
                          ) from None


def _assemble_step(plan: StepPlan) -> tuple[float, int]:
    """Write the step's WAV from cached chunks: (seconds, bytes)."""
    try:
        return audio.render_step(plan.chunks, list(plan.cache_files), plan.wav,
                                 words=plan.words, rate=plan.rate)
    except (ValueError, OSError, EOFError, wave.Error) as exc:
        raise RenderError(f"The audio of {plan.practice_id} / {plan.step_id} failed: {exc}."
                          ) from None


@contextlib.contextmanager
def _executor(jobs: int, engine_name: str, factory: EngineFactory | None, job_count: int,
              niceness: int) -> Iterator[Executor]:
    pool: Executor
    if jobs <= 0:  # in this process: one thread owns the engine (engines are not thread-safe)
        pool = ThreadPoolExecutor(1, initializer=_init_worker,
                                  initargs=(engine_name, factory, False))
    else:
        pool = ProcessPoolExecutor(max(1, min(jobs, job_count)),
                                   mp_context=worker_context(engine_name),
                                   initializer=_init_worker,
                                   initargs=(engine_name, factory, True, niceness))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


# --- manifest -----------------------------------------------------------------------------

@dataclass
class _Manifest:
    """`<out>/<practice>/manifest.json`: what each step's WAV was made from. Rewritten
    (atomically) after every step, so a cancelled or crashed render keeps finished steps."""

    practice: Practice
    folder: Path
    settings: RenderSettings
    steps: dict[str, dict[str, object]]

    @classmethod
    def load(cls, practice: Practice, out_dir: Path, settings: RenderSettings) -> _Manifest:
        folder = out_dir / practice.id
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            steps = {str(entry["id"]): entry for entry in data["steps"]}
        except (OSError, ValueError, KeyError, TypeError):
            steps = {}  # missing or unreadable: everything counts as stale
        return cls(practice, folder, settings, steps)

    def current(self, plan: StepPlan) -> dict[str, object] | None:
        """The step's entry if its WAV is still what this plan would make (and intact)."""
        entry = self.steps.get(plan.step_id)
        if entry is None or entry.get("hash") != plan.digest or not plan.wav.is_file():
            return None
        return entry if plan.wav.stat().st_size == entry.get("bytes") else None

    def record(self, plan: StepPlan, seconds: float, size: int) -> None:
        self.steps[plan.step_id] = {
            "id": plan.step_id, "file": plan.wav.name, "duration": round(seconds, 3),
            "bytes": size, "hash": plan.digest, "cache_keys": list(plan.keys),
            "words": plan.words}
        self._write()

    def prune(self) -> None:
        wanted = {audio_id for audio_id, _ in _units(self.practice)}
        stale = [step_id for step_id in self.steps if step_id not in wanted]
        for step_id in stale:
            (self.folder / str(self.steps.pop(step_id)["file"])).unlink(missing_ok=True)
        if stale:
            self._write()

    def _write(self) -> None:
        private_folder(self.folder)
        order = {audio_id: index for index, (audio_id, _) in enumerate(_units(self.practice))}
        data = {"practice": self.practice.id, "pipeline_version": PIPELINE_VERSION,
                "settings": asdict(self.settings), "sample_rate": audio.SAMPLE_RATE,
                "steps": sorted(self.steps.values(), key=lambda e: order.get(str(e["id"]), 1e9))}
        # the one private, atomic, link-refusing writer (app.storage.files)
        write_private(self.folder / MANIFEST,
                      json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
