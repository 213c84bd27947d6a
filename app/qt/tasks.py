"""The one way to run slow work off the GUI thread and hear back on it."""
from __future__ import annotations

from typing import Any
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    """Lives on the GUI thread; signals emitted from the worker arrive queued, on that thread."""
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


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

    @Slot()
    def run(self) -> None:
        try:
            if self.with_progress:
                result = self.fn(self.relay.progress.emit, lambda: self.cancelled)
            else:
                result = self.fn()
        except BaseException as exc:  # report everything; the GUI decides what to say
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


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
    (pool or QThreadPool.globalInstance()).start(task)
    return task
