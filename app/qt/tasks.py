"""The one way to run slow work off the GUI thread and hear back on it.

Exit. When the process ends, PySide deletes every QObject Python owns, the relays included,
while a task may still be running (the idle warm-up render, a render when the window is
closed). A worker thread emitting on a relay being deleted is a use-after-free: the window
segfaulted on exit in "Thread (pooled)" inside QMetaObject::metacall (bench/first_sound.py's
Piper runs, 4 times). So `close_background_work` (run at exit, before PySide's clean-up) first
stops every further report under the same lock each report is sent under, then asks the tasks to
stop and waits a little for them; tests/qt/test_tasks_exit.py exits under a task to prove it.
"""
from __future__ import annotations

import atexit
import threading
from typing import Any
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

# How long the exit waits for running tasks to notice they were cancelled (a render checks
# between sentences; Piper says one in well under a second).
EXIT_WAIT_SECONDS = 5.0


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker arrive queued, on that thread."""
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


# Every report is sent holding `_reporting`; `close_background_work` sets `_closed` under it, so
# once it returns no worker is inside an emit, and none starts one.
_reporting = threading.Lock()
_closed = False
_live: set[Task] = set()   # running or queued; what the exit cancels and waits for
# Held while _live changes; told each time a task leaves it, so the exit returns the moment the
# last task ends rather than at its next look.
_live_changed = threading.Condition()


class Task(QRunnable):
    def __init__(self, fn: Callable[..., Any], relay: _Relay, with_progress: bool):
        super().__init__()
        self.fn = fn
        self.relay = relay
        self.with_progress = with_progress
        self.cancelled = False

    def cancel(self) -> None:
        """Ask politely: functions that take `cancelled` check it between pieces of work."""
        self.cancelled = True

    def _say(self, signal_name: str, value: Any) -> None:
        with _reporting:
            if not _closed:
                getattr(self.relay, signal_name).emit(value)

    @Slot()
    def run(self) -> None:
        try:
            if self.with_progress:
                result = self.fn(lambda value: self._say("progress", value),
                                 lambda: self.cancelled)
            else:
                result = self.fn()
        except BaseException as exc:  # report everything; the GUI decides what to say
            self._say("failed", exc)
        else:
            self._say("done", result)
        finally:
            with _live_changed:
                _live.discard(self)
                _live_changed.notify_all()


_running: set[_Relay] = set()   # keep relays alive until their task reports back


def run_in_background(fn: Callable[..., Any],
                      on_done: Callable[[Any], None] | None = None,
                      on_error: Callable[[BaseException], None] | None = None,
                      on_progress: Callable[[Any], None] | None = None,
                      pool: QThreadPool | None = None,
                      owner: QObject | None = None) -> Task:
    """Run `fn` on a worker thread; callbacks run on the GUI thread.

    With `on_progress`, `fn` is called as `fn(report, cancelled)`: `report(value)` sends progress,
    `cancelled()` says whether the task was cancelled. If `owner` is deleted before the task
    reports back, the callbacks are skipped (the view that asked has gone).
    """
    relay = _Relay()
    _running.add(relay)

    def finish(callback: Callable[[Any], None] | None, value: Any) -> None:
        _running.discard(relay)
        if callback and (owner is None or shiboken6.isValid(owner)):
            callback(value)

    relay.done.connect(lambda result: finish(on_done, result))
    relay.failed.connect(lambda exc: finish(on_error, exc))
    if on_progress:
        relay.progress.connect(
            lambda value: (owner is None or shiboken6.isValid(owner)) and on_progress(value))
    task = Task(fn, relay, with_progress=on_progress is not None)
    with _live_changed:
        _live.add(task)
    (pool or QThreadPool.globalInstance()).start(task)
    return task


def close_background_work(wait_seconds: float = EXIT_WAIT_SECONDS) -> bool:
    """At exit: no task reports any more (its relay may be deleted from now on), every task is
    asked to stop, and the exit waits up to `wait_seconds` for them. Returns whether all ended.
    Nothing is lost by it: journal writes are awaited by JournalService.close, and a render
    keeps every sentence it finished."""
    global _closed
    with _reporting:
        _closed = True
    with _live_changed:
        for task in _live:
            task.cancel()
        # wait_for lets go of the lock (and the GIL) while it waits: the tasks can end
        return _live_changed.wait_for(lambda: not _live, timeout=wait_seconds)


# Registered after PySide's own exit clean-up (this module imports PySide first), so it runs
# before it: atexit calls the last registered first.
atexit.register(close_background_work)
