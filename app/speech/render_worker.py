"""The work render workers do, each in its own process: start one engine, speak a sentence
into the cache, assemble a step (or the first sentence of one) from cached sentences. The
pool they run in is made here too, with the priority that says whether someone is waiting.

The window imports this module to schedule the work (render.py), so the audio modules (numpy,
pydub: ~14 MB) are imported by the functions that run in a worker, never at the top: the
window of a session holds no numpy (tests/ui/test_session_imports.py). The server the workers
fork from imports them ahead (isolated.worker_context), so no task waits for the import."""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import os
import signal
import wave
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from app.speech import engine as engines
from app.speech.isolated import exit_with_parent, prepare_engine_process, worker_context
from app.speech.plan import RenderError, RenderSettings, StepPlan
from app.speech.text import count_words
from app.storage.privacy import private_folder, private_process

# Workers yield to the window and to the sound already playing: Qt's player keeps only ~0.1 s
# in the sound device, so a starved player is heard as a gap (tests/e2e/test_real_sound.py).
WORKER_NICENESS = 5             # someone waits for this audio: the step about to be heard
BACKGROUND_NICENESS = 19        # nobody waits (the safety exit, other practices, first steps)

EngineFactory = Callable[[str], engines.SpeechEngine]


@dataclass(frozen=True)
class ChunkTask:  # what a worker process needs to synthesize one sentence into the cache
    key: str
    text: str
    cache_file: Path
    settings: RenderSettings
    practice_id: str  # the first step that needs it, for error messages
    step_id: str


_worker_engine: engines.SpeechEngine | engines.EngineUnavailable | None = None


@functools.cache
def _libc() -> ctypes.CDLL | None:
    """glibc, where there is one (malloc_trim is glibc's; elsewhere nothing to do)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


# Growth a worker keeps between tasks rather than give back at once: handing back pages that
# the next task touches again costs a fault for each (espeak's sentences re-fault ~1,000 pages,
# ~2 ms of a sentence's ~12 ms of CPU); Piper's inference grows a worker 35-50 MB a sentence,
# which still goes back after every task.
KEEP_GROWTH_BYTES = 16 << 20
_resident_after_trim: int | None = None


def give_back_memory(keep: int = KEEP_GROWTH_BYTES) -> None:
    """Return freed heap to the system once the worker has grown by more than `keep` since it
    last did (resident size). glibc keeps what Piper's inference and a long step's arrays
    freed: a worker grew to 315-564 MB (bench/session_memory.py); 40 sentences alone peaked at
    244 MB resident, 144 MB with this (and no slower)."""
    global _resident_after_trim
    libc = _libc()
    if libc is None:
        return
    resident = _resident_bytes()
    if (resident is not None and _resident_after_trim is not None
            and resident - _resident_after_trim <= keep):
        return
    libc.malloc_trim(0)
    _resident_after_trim = _resident_bytes()


def _resident_bytes() -> int | None:
    """This process's resident memory (Linux), None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


# glibc's mallopt parameters
M_TRIM_THRESHOLD = -1
M_MMAP_THRESHOLD = -3


def keep_freed_memory(keep: int = KEEP_GROWTH_BYTES) -> None:
    """Let freed blocks of up to `keep` bytes stay with the process for the next sentence.
    glibc's defaults (a block of 128 KB or more mapped on its own, the heap's top handed back
    once 128 KB of it is free, both thresholds rising only with what is freed) gave a
    sentence's arrays (~0.5 MB each) back and faulted them in again: ~495 page faults a
    sentence, 1.6 with this. What a worker keeps is still bounded: give_back_memory trims once
    it has grown by `keep`. An espeak worker only: Piper's sets its own (give_big_blocks_back).
    Elsewhere (not glibc) nothing to do."""
    libc = _libc()
    if libc is None or not hasattr(libc, "mallopt"):
        return
    libc.mallopt(M_MMAP_THRESHOLD, keep)
    libc.mallopt(M_TRIM_THRESHOLD, keep)


def init_worker(engine_name: str, factory: EngineFactory | None, in_pool: bool,
                 niceness: int = WORKER_NICENESS) -> None:
    """Start this process's one engine. A failure is kept and raised by the first synthesis,
    so it reaches the caller as a plain message rather than a broken pool."""
    global _worker_engine
    private_process()       # WAVs written by this worker are owner-only, whoever started it
    if in_pool:
        # What the worker inherited from the server it forked from (numpy, onnxruntime, the
        # pipeline's modules) is never collected: left out of the collector's passes, whose
        # writes to every object's header would copy each of those pages into the worker.
        gc.freeze()
        # Temporary files inside the data folder before the engine loads (the forkserver did
        # this already; a spawned worker has not), and no worker outlives the window.
        prepare_engine_process()
        exit_with_parent()
        # Ctrl-C is the parent's to handle; workers would print tracebacks
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        with contextlib.suppress(OSError):
            os.nice(niceness)
        if engine_name == "espeak":
            keep_freed_memory()
    try:
        _worker_engine = (factory or engines.get_engine)(engine_name)
    except engines.EngineUnavailable as exc:
        _worker_engine = exc


# A step assembled beside a batch of sentences: (seconds, bytes), or what went wrong.
StepOutcome = tuple[float, int] | Exception


def synthesize_chunks(tasks: Sequence[ChunkTask],
                      steps: Sequence[StepPlan] = ()) -> list[StepOutcome]:
    """Speak a few sentences into the cache. While the engine speaks one, a helper thread
    post-processes the one before (numpy lets go of the interpreter, and espeak's process
    waits for its forked child): the two overlap instead of adding up. The engine stays on
    this thread.
    steps: steps whose sentences are all cached, assembled on the helper thread first, while
    the engine speaks (on their own they ran with the engine idle: 7-14 % of a worker's
    time). Their outcomes are returned in order; a failing step does not fail the batch."""
    pending: list[Future[None]] = []
    assembling = [_post_processor().submit(_assembled, plan) for plan in steps]
    try:
        for task in tasks:
            pending.append(_post_processor().submit(_prepare, task, _speak(task)))
    finally:
        # Every sentence spoken is finished (or fails) before the batch is reported; the
        # first failure is raised unless speaking failed first (that is raised as it is).
        failures = [future.exception() for future in pending]
        outcomes = [future.result() for future in assembling]
        give_back_memory()
    first = next((failure for failure in failures if failure is not None), None)
    if first is not None:
        raise first
    return outcomes


def _assembled(plan: StepPlan) -> StepOutcome:
    try:
        return assemble_step(plan)
    except Exception as exc:  # noqa: BLE001 - the window names the step (render._Run)
        return exc


_post: ThreadPoolExecutor | None = None


def _post_processor() -> ThreadPoolExecutor:
    global _post
    if _post is None:
        _post = ThreadPoolExecutor(1, thread_name_prefix="sentence-post-processing")
    return _post


def _speak(task: ChunkTask) -> Path:
    """The engine's WAV of the sentence, checked; RenderError naming the sentence if not."""
    engine = _worker_engine
    if engine is None or isinstance(engine, engines.EngineUnavailable):
        raise engine or engines.EngineUnavailable("The speech engine did not start.")
    private_folder(task.cache_file.parent)
    raw = task.cache_file.with_name(f".{task.key}.{os.getpid()}.raw.wav")
    try:
        # checked when post-processing reads it (_prepare): no engine's word is trusted
        engine.synthesize(task.text, raw, voice=task.settings.voice, rate=task.settings.rate)
    except engines.UnknownVoice as exc:
        raw.unlink(missing_ok=True)
        raise RenderError(str(exc)) from None
    except (engines.SynthesisError, OSError, ValueError, EOFError, wave.Error) as exc:
        raw.unlink(missing_ok=True)
        raise _failed(task, exc) from None
    return raw


def _prepare(task: ChunkTask, raw: Path) -> None:
    from app.speech import audio

    try:
        audio.prepare_chunk(raw, task.cache_file, count_words(task.text), task.settings.rate)
    except (engines.SynthesisError, OSError, ValueError, EOFError, wave.Error) as exc:
        raise _failed(task, exc) from None
    finally:
        raw.unlink(missing_ok=True)


def _failed(task: ChunkTask, exc: Exception) -> RenderError:
    return RenderError(f"Could not render {task.practice_id} / {task.step_id}, sentence "
                       f"{task.text!r}: {exc}")


@dataclass(frozen=True)
class Head:  # the first sentence of the step a listener waits for (lead.py)
    plan: StepPlan


def assemble_head(plan: StepPlan) -> float:
    from app.speech import lead

    try:
        return lead.write_head(plan.chunks, plan.cache_files[0], plan.wav)
    except (ValueError, OSError, EOFError, wave.Error) as exc:
        raise RenderError(f"The audio of {plan.practice_id} / {plan.step_id} failed: {exc}."
                          ) from None
    finally:
        give_back_memory()


def assemble_step(plan: StepPlan, rest: bool = False) -> tuple[float, int]:
    """Write the step's WAV from cached chunks: (seconds, bytes). rest: its head was asked
    for (lead.py), so the rest of it is written too, here rather than in the window."""
    from app.speech import audio, lead

    try:
        seconds, size = audio.render_step(plan.chunks, list(plan.cache_files), plan.wav,
                                          words=plan.words, rate=plan.rate)
        if rest:
            lead.write_rest(plan.chunks, plan.cache_files[0], plan.wav)
        return seconds, size
    except (ValueError, OSError, EOFError, wave.Error) as exc:
        raise RenderError(f"The audio of {plan.practice_id} / {plan.step_id} failed: {exc}."
                          ) from None
    finally:
        give_back_memory()


@contextlib.contextmanager
def executor(jobs: int, engine_name: str, factory: EngineFactory | None, job_count: int,
              niceness: int) -> Iterator[Executor]:
    pool: Executor
    if jobs <= 0:  # in this process: one thread owns the engine (engines are not thread-safe)
        pool = ThreadPoolExecutor(1, initializer=init_worker,
                                  initargs=(engine_name, factory, False))
    else:
        pool = ProcessPoolExecutor(max(1, min(jobs, job_count)),
                                   mp_context=worker_context(engine_name),
                                   initializer=init_worker,
                                   initargs=(engine_name, factory, True, niceness))
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def end_workers(pool: Executor) -> list[int]:
    """End a cancelled render's worker processes now; the ids of those that were running.

    Shutting the pool down waits for the batches in flight: up to four Piper sentences each,
    at the lowest priority, so quitting during a render left the process running 18-23 s
    (load 11) after the window closed, and Python's exit waits for the pool before any atexit
    hook can cancel anything. Nothing half-written survives a worker ended mid-sentence: every
    cached sentence and step is written to a temporary name and renamed into place whole
    (wav_io.write_atomic), so a file under its real name is complete (remove_leftovers
    clears the temporary ones). (Python 3.14 has ProcessPoolExecutor.terminate_workers;
    3.11 keeps the processes in `_processes`.) A thread pool (jobs=0) cannot be ended: its
    queued work is dropped and the sentence it speaks is awaited."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # gone at shutdown
    pool.shutdown(wait=False, cancel_futures=True)      # nothing queued starts
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.terminate()
    for process in processes:
        with contextlib.suppress(OSError, ValueError, AttributeError):
            process.join()
    return [process.pid for process in processes if process.pid is not None]


def remove_leftovers(pids: Sequence[int], folders: Iterable[Path]) -> None:
    """The temporary files ended workers were writing (`.<name>.<pid>...part`, the engine's
    `.<key>.<pid>.raw.wav`): never taken for audio, but litter in the person's data folder."""
    for folder in folders:
        for pid in pids:
            for pattern in (f".*.{pid}.*part", f".*.{pid}.raw.wav"):
                for leftover in folder.glob(pattern):
                    leftover.unlink(missing_ok=True)
