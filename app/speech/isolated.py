"""Engine work in a separate process, for callers that must not start espeak themselves.

espeak runs its own thread and, started on a worker thread of the Qt process, it can hang; a
GUI therefore asks a helper process. The same process context serves the render workers.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from collections.abc import Callable, Iterator
from multiprocessing.connection import wait
from multiprocessing.context import BaseContext
from typing import TypeVar

from app.speech.engine import Voice, get_engine

T = TypeVar("T")


def prepare_engine_process() -> None:
    """First thing in a process that runs an engine: what it writes is owner-only, and its
    temporary files (and its libraries': onnxruntime's `.ses`) stay inside the data folder."""
    from app import paths
    from app.storage.privacy import private_process, use_private_temp

    private_process()
    use_private_temp(paths.data_dir())


def exit_with_parent() -> None:
    """End this worker when the process that started it is gone. Forkserver workers are
    children of the server, not of the window, and each holds the server's "alive" pipe: a
    window killed with SIGKILL would leave both idling forever. The parent's sentinel (a
    pipe) becomes readable only when that process has ended."""
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch(sentinel: int) -> None:
        wait([sentinel])
        os._exit(0)   # nothing half-written survives: files are renamed into place whole

    threading.Thread(target=watch, args=(parent.sentinel,), name="exit-with-parent",
                     daemon=True).start()


def worker_context(engine: str) -> BaseContext:
    """forkserver, not fork: forking a threaded (Qt) process can deadlock. The server imports
    the pipeline once (~0.2 s, first use only); workers fork from it. Spawn where forkserver
    does not exist (Windows). For the natural voice the server imports Piper and onnxruntime
    too (~0.3 s), so no worker imports them again before its first sentence. Only the first
    caller's `engine` counts (the server then runs until the window ends), so every caller
    names the engine in use, the chime's helper too."""
    from multiprocessing import forkserver

    from app import paths
    from app.storage.privacy import private_temp, use_private_multiprocessing_dir

    # the forkserver's socket folder (pymp-*) lives in the data folder, not the shared /tmp
    use_private_multiprocessing_dir(paths.data_dir())
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        # engine_server first: the process is made private before any engine is imported.
        # The audio modules too: the window's render module leaves them to the workers.
        preload = ["app.speech.engine_server", "__main__", "app.speech.render",
                   "app.speech.audio", "app.speech.lead"]
        if engine == "piper":  # piper_prepare last: it splits the voice model, once
            preload += ["app.speech.piper_engine", "piper", "onnxruntime",
                        "app.speech.piper_prepare"]
        context.set_forkserver_preload(preload)
        # started here, with TMPDIR in the data folder: the server and every worker it forks
        # keep the environment it started with (onnxruntime writes $TMPDIR/.ses on import)
        with private_temp(paths.data_dir()), one_thread_blas():
            forkserver.ensure_running()
        return context
    return multiprocessing.get_context("spawn")


# numpy's BLAS reads these once, when numpy is imported (in the server, by its preloads)
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")


@contextlib.contextmanager
def one_thread_blas() -> Iterator[None]:
    """While it lasts, a process started here gives numpy's BLAS one thread (where nothing
    says otherwise). A worker is one of a pool that has one per core, and BLAS threads spin
    while they wait: with K-weighting's matrix products (k_weighting.py) a sentence's
    post-processing took 15 ms of CPU with a BLAS thread per core, 4 ms with one. The window
    itself holds no numpy."""
    added = [name for name in _BLAS_THREADS if name not in os.environ]
    os.environ.update(dict.fromkeys(added, "1"))
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def start_workers_early(engine: str) -> None:
    """Start the server the render workers fork from, ahead of the first render (at idle after
    start-up): the first sentence a person waits for then starts ~0.5 s sooner."""
    context = worker_context(engine)
    if context.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


def _voices(engine_name: str) -> list[Voice]:
    return get_engine(engine_name).voices()


def in_helper(fn: Callable[..., T], *args: object, engine: str, timeout: float = 60) -> T:
    """`fn(*args)` in a short-lived helper process (forked from the render workers' server,
    where the engines and the audio modules are imported already); its exception is raised
    here, and a helper that dies raises BrokenProcessPool. `engine`: the one in use, which
    the server imports ahead if this call starts it (worker_context)."""
    with ProcessPoolExecutor(1, mp_context=worker_context(engine)) as pool:
        return pool.submit(fn, *args).result(timeout=timeout)


def list_voices(engine_name: str = "espeak") -> list[Voice]:
    """The engine's voices, asked in a helper process (raises EngineUnavailable)."""
    return in_helper(_voices, engine_name, engine=engine_name)


def _all_voices() -> tuple[list[Voice], list[str]]:
    from app.speech.voices import all_voices  # voices imports render, which imports this module

    return all_voices()


def list_all_voices(engine: str) -> tuple[list[Voice], list[str]]:
    """Voices of every installed engine, and a sentence for each one that is unavailable, all
    asked in one short-lived helper process (espeak and Piper both start there, not here).
    `engine`: the one in use (in_helper)."""
    return in_helper(_all_voices, engine=engine)
