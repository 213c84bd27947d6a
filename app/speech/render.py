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
import heapq
import os
import time
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Executor, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.practice import Practice
from app.speech import chunk_cache, engine as engines, lead
from app.speech.plan import (MANIFEST, PIPELINE_VERSION, Manifest, RenderError, RenderSettings,
                             StepPlan, cache_path, chunk_key, plan_all, plan_step, units)
from app.speech.render_worker import (BACKGROUND_NICENESS, WORKER_NICENESS, ChunkTask,
                                      EngineFactory, Head, StepOutcome, assemble_head,
                                      assemble_step, end_workers, executor,
                                      remove_leftovers, synthesize_chunks)
from app.speech.text import Speech

# Sentences a worker is given at a time (render_worker.synthesize_chunks).
BATCH = 4

# Callers import these from here, the pipeline's front door.
__all__ = ["MANIFEST", "PIPELINE_VERSION", "RenderError", "RenderProgress", "RenderReport",
           "RenderSettings", "WORKER_NICENESS", "BACKGROUND_NICENESS", "cache_path",
           "chunk_key", "is_up_to_date", "manifest_status", "render_practices"]


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
    # held for the whole run: the cache's pruning (chunk_cache.prune) waits for it to end
    with chunk_cache.rendering():
        manifests = {p.id: Manifest.load(p, Path(out_dir), settings) for p in practices}
        plans = plan_all(practices, Path(out_dir), settings)
        run = _Run(plans, settings, report, manifests, progress, cancel)
        if run.missing:
            jobs = (os.cpu_count() or 1) if jobs is None else jobs
            job_count = len(run.synth) + len(run.missing)
            niceness = BACKGROUND_NICENESS if background else WORKER_NICENESS
            with executor(jobs, settings.engine, engine_factory, job_count, niceness) as pool:
                run.execute(pool, limit=max(1, 2 * jobs), workers=max(1, jobs))
                if report.cancelled:  # quitting: the sentences in flight are not awaited
                    ended = end_workers(pool)
                    remove_leftovers(ended, {file.parent for plan in plans
                                             for file in (plan.wav, *plan.cache_files)})
        for manifest in manifests.values():  # forget steps the practices no longer have
            if prune:  # (not when only some steps were asked for)
                manifest.prune()
    report.wall_seconds = time.perf_counter() - started
    return report


def manifest_status(practice: Practice, out_dir: Path, settings: RenderSettings
                    ) -> dict[str, Path | None]:
    """Per audio unit (a step, or a segment of one), its WAV when it exists and matches the
    current text and settings, else None."""
    manifest = Manifest.load(practice, Path(out_dir), settings)
    status: dict[str, Path | None] = {}
    for audio_id, say in units(practice):
        status[audio_id] = None
        with contextlib.suppress(ValueError, RenderError):  # unrenderable counts as missing
            plan = plan_step(practice.id, audio_id, say, 0, Path(out_dir), settings)
            if manifest.current(plan):
                status[audio_id] = plan.wav
                # about to be heard: it and its sentences count as used (pruned by use)
                chunk_cache.mark_used((plan.wav, *plan.cache_files))
    return status


def is_up_to_date(practice: Practice, out_dir: Path, settings: RenderSettings) -> bool:
    return all(path is not None for path in manifest_status(practice, out_dir, settings).values())


# A step written by a worker, not yet in its manifest: (plan, seconds, bytes, the rest of the
# step whose head a listener may have)
Written = tuple[StepPlan, float, int, Path | None]


@dataclass(frozen=True)
class _Batch:  # sentences for a worker to speak, and ready steps it assembles meanwhile
    tasks: tuple[ChunkTask, ...]
    steps: tuple[StepPlan, ...] = ()


class _Run:
    """Schedules synthesis and step assembly on the pool, earliest step first."""

    def __init__(self, plans: list[StepPlan], settings: RenderSettings, report: RenderReport,
                 manifests: dict[str, Manifest],
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
        self.started = False  # a first batch of sentences was sent
        self.ready: list[tuple[int, StepPlan]] = []
        # The first step to render is what a listener may be waiting for: its first sentence
        # is written on its own as soon as it exists (lead.py).
        self.lead = next((plan for plan, entry in current if entry is None), None)
        self.heads: list[Head] = []
        self.head_queued = self.head_done = False
        self.written: list[Written] = []
        self.recorder: ThreadPoolExecutor | None = None   # writes manifests (_record_finished)
        self.recording: Future[list[Written]] | None = None
        for plan, entry in current:
            if entry is None:
                self._plan(plan)
            else:  # up to date: reported at once, so a player can start on it
                # it and its sentences were used, not made (pruning goes by use)
                chunk_cache.mark_used((plan.wav, *plan.cache_files))
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
            self.heads.append(Head(plan))
            self.head_queued = True
        else:
            self.lead = None

    def _plan(self, plan: StepPlan) -> None:
        """Queue what the step lacks; a sentence used twice is synthesized once."""
        missing = self.missing.setdefault(plan.order, set())
        texts = (c.text for c in plan.chunks if isinstance(c, Speech))
        for key, text, cache_file in zip(plan.keys, texts, plan.cache_files, strict=True):
            # checked, not only found: a sentence cut short by a power cut is spoken again
            if key not in self.waiting and chunk_cache.usable(cache_file):
                self.done += 1
                self.report.chunks_cached += 1
                continue
            if key not in self.waiting:
                self.synth.append(ChunkTask(key, text, cache_file, self.settings,
                                            plan.practice_id, plan.step_id))
            self.waiting.setdefault(key, []).append(plan)
            missing.add(key)
        if not missing:
            heapq.heappush(self.ready, (plan.order, plan))

    def execute(self, pool: Executor, limit: int, workers: int = 1) -> None:
        """limit: tasks in flight (a queued one keeps a worker busy between tasks). Until the
        first sentence a listener waits for is written (the head), no more than the workers
        can run: a sentence queued behind the first one would run before the head.
        Finished steps are written into their manifests (two fsyncs each) on a thread of
        their own (_record_finished), so this loop goes on handing out work meanwhile."""
        running: dict[Future[Any], StepPlan | _Batch | Head] = {}
        self._report_progress()
        try:
            while True:
                self._hand_out(pool, running, limit, workers)
                self._record_finished()
                if not running:
                    return
                watched = [*running, *([self.recording] if self.recording else [])]
                finished, _ = wait(watched, timeout=0.1, return_when=FIRST_COMPLETED)
                if self.cancel is not None and self.cancel():
                    self.report.cancelled = True
                    return
                for future in finished:
                    if future in running:
                        self._finished(running.pop(future), future)
        finally:  # what finished before a failure or a cancel is kept
            self._record_finished(last=True)

    def _hand_out(self, pool: Executor, running: dict[Future[Any], StepPlan | _Batch | Head],
                  limit: int, workers: int) -> None:
        while len(running) < (limit if self._head_decided() else workers) and (
                self.heads or self.ready or self.synth):
            # Assembly first: a finished step is what a listener is waiting for.
            if self.heads:
                head = self.heads.pop()
                running[pool.submit(assemble_head, head.plan)] = head
            elif self.ready and (not self.synth or self._lead_ready()):
                plan = heapq.heappop(self.ready)[1]
                # a step whose head was asked for: the worker writes its rest too
                rest = plan is self.lead and self.head_queued
                running[pool.submit(assemble_step, plan, rest)] = plan
            else:  # ready steps ride along: assembled while the engine speaks
                batch = _Batch(self._next_batch(limit), tuple(
                    heapq.heappop(self.ready)[1] for _ in range(len(self.ready))))
                running[pool.submit(synthesize_chunks, batch.tasks, batch.steps)] = batch

    def _head_decided(self) -> bool:
        return self.lead is None or self.head_queued

    def _lead_ready(self) -> bool:
        """The first step to render is ready: on its own, at once (its rest, lead.py)."""
        return any(plan is self.lead for _, plan in self.ready)

    def _next_batch(self, limit: int) -> tuple[ChunkTask, ...]:
        """A few sentences of one step for one worker (it overlaps speaking one with
        finishing the one before), fewer as the queue runs low so every worker stays busy to
        the end; the very first alone, as someone may be waiting for it. One step's only, so
        a step is assembled as soon as its own sentences are, and a failing sentence never
        holds back another step's."""
        size = 1 if not self.started else max(1, min(BATCH, len(self.synth) // limit))
        self.started = True
        batch = [self.synth.popleft()]
        while (len(batch) < size and self.synth
               and (self.synth[0].practice_id, self.synth[0].step_id)
               == (batch[0].practice_id, batch[0].step_id)):
            batch.append(self.synth.popleft())
        return tuple(batch)

    def _finished(self, item: StepPlan | _Batch | Head, future: Future[Any]) -> None:
        try:
            result = future.result()
        except (engines.EngineUnavailable, RenderError):
            raise
        except Exception as exc:  # a crashed worker or an unexpected bug: still a plain message
            raise _failure(item.plan if isinstance(item, Head) else (
                item.tasks[0] if isinstance(item, _Batch) else item), exc) from exc
        if isinstance(item, _Batch):
            for task in item.tasks:
                self._chunk_done(task.key)
            outcome: StepOutcome
            for plan, outcome in zip(item.steps, result, strict=True):
                if isinstance(outcome, RenderError):
                    raise outcome
                if isinstance(outcome, Exception):
                    raise _failure(plan, outcome) from outcome
                self._step_done(plan, *outcome)
        elif isinstance(item, Head):
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
        self.report.steps_rendered += 1
        self.report.audio_seconds += seconds
        self.report.rendered_seconds += seconds
        self.report.wavs.append(plan.wav)
        rest: Path | None = None
        if plan is self.lead:
            self.lead = None
            rest = lead.rest_path(plan.wav)  # written by the worker with the step
            if not self.head_done:  # the whole step came first: nobody needs it
                rest.unlink(missing_ok=True)
                rest = None
        self.written.append((plan, seconds, size, rest))

    def _record_finished(self, last: bool = False) -> None:
        """Steps written since the last call: into their manifests, one write a practice,
        then reported (a step is reported once a crash can no longer lose it). The writes
        run on the recorder thread: with the loop waiting in their fsyncs (11-26 ms each on
        a loaded disk) no finished batch was seen and no work handed out, and a cold render
        of the library took 2-18 % longer (median 7 %, 4 runs each, load 4-5) than with
        none. One write at a time, in order. last: wait for it, and write the rest here."""
        if self.recording is not None:
            if not (last or self.recording.done()):
                return
            recording, self.recording = self.recording, None
            self._report_recorded(recording.result())  # a failed write is raised here
        written, self.written = self.written, []
        if last:
            if self.recorder is not None:
                self.recorder.shutdown()
                self.recorder = None
            self._report_recorded(self._record(written))
        elif written:
            if self.recorder is None:
                self.recorder = ThreadPoolExecutor(1, thread_name_prefix="render-manifests")
            self.recording = self.recorder.submit(self._record, written)

    def _record(self, written: list[Written]) -> list[Written]:
        for practice_id in dict.fromkeys(plan.practice_id for plan, *_ in written):
            self.manifests[practice_id].record(
                [(plan, seconds, size) for plan, seconds, size, _ in written
                 if plan.practice_id == practice_id])
        return written

    def _report_recorded(self, written: list[Written]) -> None:
        for plan, _seconds, _size, rest in written:
            if rest is not None:  # someone may be listening to the head: give them the rest
                if self.progress is not None:
                    self.progress(RenderProgress(self.done, self.total, plan.practice_id,
                                                 plan.step_id, plan.wav, rest=rest))
                continue
            self._report_progress(plan)

    def _report_progress(self, plan: StepPlan | None = None) -> None:
        if self.progress is not None:
            where = (plan.practice_id, plan.step_id, plan.wav) if plan else ()
            self.progress(RenderProgress(self.done, self.total, *where))


def _failure(where: StepPlan | ChunkTask, exc: Exception) -> RenderError:
    """A crashed worker or an unexpected bug, as a plain message naming where."""
    # of sentences, the worker names its own failures: this is a crash or a bug
    sentence = f", sentence {where.text!r} or after it" if isinstance(where, ChunkTask) else ""
    return RenderError(f"Rendering {where.practice_id} / {where.step_id}{sentence} failed "
                       f"({exc or type(exc).__name__}).")
