"""A pytest plugin for bench/mutation.py (bench/ on sys.path, `-p mutation_plugin`).

    MUTATION_SELECT=ids.txt     run exactly the tests whose node ids the file lists, in its
                                order (ids with any characters, which the command line cannot
                                always name); MUTATION_FAILED_OUT=f gets the first that failed
    MUTATION_TRACE_OUT=map.json trace which test runs which lines of the mutated modules

Tracing records, for every test (its set-up and tear-down included), the lines it ran in app/core,
app/qt and app/storage/journal*.py, how long it took and whether it passed. Lines run while
modules are imported (collection) go under "<import>": a module-level constant is read by code
that a test runs, so bench/mutation.py runs the module's test files for those, not this map.

Why not coverage.py: on Python 3.11 it traces Python threads only, and the journal's and the
voice's background work runs in QThreadPool threads (app.qt.tasks.Task.run), which this plugin
traces by wrapping that one entry point.
"""
from __future__ import annotations

import json
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

ROOT = Path.cwd()
PREFIXES = tuple(str(ROOT / p) + os.sep for p in ("app/core", "app/qt"))
JOURNAL = str(ROOT / "app" / "storage" / "journal")

_contexts: dict[str, dict[str, set[int]]] = {}
_current: dict[str, set[int]] = {}
_targets: dict[str, str | None] = {}     # co_filename → relative path, or None: not traced
_tests: dict[str, dict[str, Any]] = {}


def _relative(filename: str) -> str | None:
    if filename not in _targets:
        wanted = filename.startswith(PREFIXES) or (filename.startswith(JOURNAL)
                                                   and filename.endswith(".py"))
        _targets[filename] = str(Path(filename).relative_to(ROOT)) if wanted else None
    return _targets[filename]


def _trace(frame: FrameType, event: str, arg: Any):
    if event != "call":
        return None
    name = _relative(frame.f_code.co_filename)
    if name is None:
        return None
    lines = _current.setdefault(name, set())

    def local(frame: FrameType, event: str, arg: Any):
        if event == "line":
            lines.add(frame.f_lineno)
        return local

    return local


def _switch(context: str) -> None:
    global _current
    _current = _contexts.setdefault(context, {})


def _trace_task_threads() -> None:
    """QThreadPool threads start without a trace function: give each task's run one."""
    from app.qt import tasks
    original = tasks.Task.run

    def run(self: Any) -> None:
        sys.settrace(_trace)
        try:
            original(self)
        finally:
            sys.settrace(None)

    tasks.Task.run = run  # type: ignore[method-assign]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("MUTATION_TRACE_OUT"):
        _switch("<import>")
        sys.settrace(_trace)
        threading.settrace(_trace)
        _trace_task_threads()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    chosen = os.environ.get("MUTATION_SELECT")
    if not chosen:
        return
    order = {test: i for i, test in enumerate(Path(chosen).read_text().splitlines())}
    kept = sorted((item for item in items if item.nodeid in order),
                  key=lambda item: order[item.nodeid])
    config.hook.pytest_deselected(items=[item for item in items if item.nodeid not in order])
    items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    if not os.environ.get("MUTATION_TRACE_OUT"):
        yield
        return
    _switch(item.nodeid)
    if sys.gettrace() is not _trace:
        sys.settrace(_trace)         # a test before this one set its own tracer and dropped ours
    started = time.perf_counter()
    _tests[item.nodeid] = {"passed": True}
    yield
    _tests[item.nodeid]["seconds"] = round(time.perf_counter() - started, 3)
    _switch("<between>")


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if not report.failed:
        return
    if report.nodeid in _tests:
        _tests[report.nodeid]["passed"] = False
        # why, kept with the map: a test failing only in the traced run is otherwise a riddle
        _tests[report.nodeid]["why"] = report.longreprtext.strip().splitlines()[-1][:300] \
            if report.longreprtext.strip() else report.when
    out = os.environ.get("MUTATION_FAILED_OUT")
    if out and not Path(out).exists():
        Path(out).write_text(report.nodeid)


def pytest_unconfigure(config: pytest.Config) -> None:
    out = os.environ.get("MUTATION_TRACE_OUT")
    if out:
        sys.settrace(None)
        threading.settrace(None)  # type: ignore[arg-type]
        Path(out).write_text(json.dumps({
            "tests": _tests,
            "lines": {context: {name: sorted(lines) for name, lines in files.items()}
                      for context, files in _contexts.items()}}))
