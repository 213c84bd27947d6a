"""Exiting while background tasks still report back never crashes the process.

At exit PySide deletes every QObject Python owns, the tasks' relays too; a worker emitting on a
relay being deleted crashed the window on exit ("Thread (pooled)", QMetaObject::metacall; see
app/qt/tasks.py). Each child here starts four tasks that report as fast as they can, lets them
run, and exits under them. Before the fix 10 of 20 such exits crashed (SIGSEGV), so the chance
that all of RUNS pass with the bug present is about 0.5 ** RUNS; after it, 0 of 60 crashed.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUNS = 8

_EXIT_UNDER_TASKS = textwrap.dedent("""
    import time
    from PySide6.QtWidgets import QApplication
    from app.qt.tasks import run_in_background

    app = QApplication([])
    seen = []

    def work(report, cancelled):
        sent = 0
        while not cancelled():
            report(sent)
            sent += 1
        return sent

    for _ in range(4):
        run_in_background(work, on_progress=seen.append)
    deadline = time.monotonic() + 0.3
    while time.monotonic() < deadline:
        app.processEvents()
    assert seen, "no task reported before the exit"
    print("exiting", flush=True)
""")


def test_exiting_while_tasks_report_never_crashes(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    children = [subprocess.Popen([sys.executable, "-X", "faulthandler", "-c", _EXIT_UNDER_TASKS],
                                 cwd=tmp_path, env=env, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for _ in range(RUNS)]
    ends = [(child.wait(timeout=60), *child.communicate()) for child in children]
    crashed = [(code, err[-1500:]) for code, _out, err in ends if code != 0]
    assert not crashed, f"{len(crashed)} of {RUNS} exits failed: {crashed[0]}"
    assert all("exiting" in out for _code, out, _err in ends)
