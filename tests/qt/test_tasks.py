"""run_in_background: results, failures and progress arrive on the GUI thread; cancel reaches
the work; a view that has gone hears nothing."""
from __future__ import annotations

import threading
import time

import pytest
import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QThread, QThreadPool

from app.qt.tasks import run_in_background


@pytest.fixture
def pool(qapp):
    own = QThreadPool()
    own.setMaxThreadCount(1)
    yield own
    own.waitForDone(5000)


def test_the_result_arrives_on_the_gui_thread(qtbot, pool):
    got: list[tuple[object, bool]] = []
    gui = qapp_thread()
    run_in_background(lambda: threading.current_thread().name, pool=pool,
                      on_done=lambda r: got.append((r, QThread.currentThread() is gui)))
    qtbot.waitUntil(lambda: bool(got), timeout=3000)
    name, on_gui = got[0]
    assert name != threading.current_thread().name and on_gui


def qapp_thread() -> QThread:
    app = QCoreApplication.instance()
    assert app is not None
    return app.thread()


def test_a_failure_goes_to_on_error_not_on_done(qtbot, pool):
    done: list[object] = []
    errors: list[BaseException] = []

    def broken() -> None:
        raise ValueError("no such file")
    run_in_background(broken, on_done=done.append, on_error=errors.append, pool=pool)
    qtbot.waitUntil(lambda: bool(errors), timeout=3000)
    assert done == [] and isinstance(errors[0], ValueError)


def test_cancel_reaches_the_work_and_it_stops(qtbot, pool):
    started = threading.Event()
    steps: list[int] = []
    results: list[object] = []

    def long_work(report, cancelled) -> str:
        started.set()
        for n in range(500):                  # ~5 s if never cancelled
            if cancelled():
                return f"stopped at {n}"
            report(n)
            threading.Event().wait(0.01)
        return "ran to the end"
    task = run_in_background(long_work, on_done=results.append, on_progress=steps.append,
                             pool=pool)
    assert started.wait(3)
    qtbot.waitUntil(lambda: len(steps) >= 2, timeout=3000)
    task.cancel()
    qtbot.waitUntil(lambda: bool(results), timeout=2000)
    assert results[0].startswith("stopped at")
    assert steps == list(range(len(steps)))            # progress in order, on the GUI thread


def test_a_deleted_owner_hears_nothing(qtbot, pool):
    owner = QObject()
    gate = threading.Event()
    heard: list[object] = []
    run_in_background(lambda: gate.wait(3) and "late", on_done=heard.append, owner=owner,
                      pool=pool)
    shiboken6.delete(owner)
    gate.set()
    pool.waitForDone(3000)
    qtbot.wait(50)                                      # the queued result is delivered
    assert heard == []


def test_progress_for_a_deleted_owner_is_dropped(qtbot, pool):
    owner = QObject()
    started, gate = threading.Event(), threading.Event()
    heard: list[object] = []

    def work(report, _cancelled) -> None:
        started.set()
        gate.wait(3)
        report("late")
    run_in_background(work, on_progress=heard.append, owner=owner, pool=pool)
    assert started.wait(3)
    shiboken6.delete(owner)
    gate.set()
    pool.waitForDone(3000)
    qtbot.wait(50)
    assert heard == []


def test_a_finished_task_lets_go_of_its_relay(qtbot, pool):
    from app.qt import tasks
    before = len(tasks._running)
    done: list[object] = []
    run_in_background(lambda: 1, on_done=done.append, pool=pool)
    assert len(tasks._running) == before + 1            # kept alive while it runs
    qtbot.waitUntil(lambda: bool(done), timeout=3000)
    assert len(tasks._running) == before


def test_an_owner_that_is_still_there_hears_its_result_and_progress(qtbot, pool):
    owner = QObject()
    heard: list[object] = []

    def work(report, _cancelled) -> str:
        report(0.5)
        return "done"
    run_in_background(work, on_done=heard.append, on_progress=heard.append, owner=owner,
                      pool=pool)
    qtbot.waitUntil(lambda: "done" in heard, timeout=3000)
    assert heard == [0.5, "done"]
    failed: list[BaseException] = []
    run_in_background(lambda: 1 / 0, on_error=failed.append, owner=owner, pool=pool)
    qtbot.waitUntil(lambda: bool(failed), timeout=3000)
    assert isinstance(failed[0], ZeroDivisionError)


# -- at exit (close_background_work; tests/qt/test_tasks_exit.py exits for real) --------------

@pytest.fixture
def exiting(monkeypatch):
    """close_background_work run in this process: reports are open again afterwards."""
    from app.qt import tasks
    monkeypatch.setattr(tasks, "_closed", False)
    return tasks.close_background_work


def test_at_exit_a_task_is_stopped_and_reports_nothing_more(qtbot, pool, exiting):
    """Once the exit has begun the task's relay may be deleted under it: a report sent then was
    the crash on exit. The exit asks the task to stop and returns as soon as it has, not at its
    time limit (the window would hang that long after it closed)."""
    started = threading.Event()
    heard: list[object] = []

    def work(report, cancelled) -> str:
        started.set()
        while not cancelled():
            threading.Event().wait(0.005)
        return "stopped"
    run_in_background(work, on_done=heard.append, on_progress=heard.append, pool=pool)
    assert started.wait(3)
    began = time.monotonic()
    assert exiting(wait_seconds=10) is True
    assert time.monotonic() - began < 5
    pool.waitForDone(3000)
    qtbot.wait(50)                                      # anything queued would arrive now
    assert heard == []


def test_the_exit_gives_up_on_a_task_that_does_not_stop(qtbot, pool, exiting):
    started, gate = threading.Event(), threading.Event()

    def stubborn() -> None:                             # never looks at `cancelled`
        started.set()
        gate.wait(3)
    run_in_background(stubborn, pool=pool)
    assert started.wait(3)
    try:
        assert exiting(wait_seconds=0.05) is False
    finally:
        gate.set()
