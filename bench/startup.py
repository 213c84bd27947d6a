"""Launch → the first complete frame of the main window (the window and every visible child
painted at least once), against an empty QMainWindow process timed the same way, same run.

Goal: Secure Base's first complete frame ≤ 1.5× the empty window's (charts, audio and the
journal load lazily). Each figure is the median of several cold-ish process starts; a launch
whose frame never completes within 10 s names the widgets that did not paint, and fails.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time

from _common import ROOT, finish, median, parser

# An application-wide filter notes every painted widget; once per turn of the event loop after
# a paint it checks whether every visible, unobscured widget of the window has painted.
FRAME_PROBE = r"""
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import getCppPointer

def key(widget):
    return getCppPointer(widget)[0]

class CompleteFrame(QObject):
    def __init__(self, window):
        super().__init__()
        self.window, self.painted, self.queued = window, set(), False
        QTimer.singleShot(10_000, self.give_up)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget):
            self.painted.add(key(obj))
            if not self.queued:
                self.queued = True
                QTimer.singleShot(0, self.check)
        return False

    def waiting(self):
        widgets = [self.window, *self.window.findChildren(QWidget)]
        return [w for w in widgets if w.isVisible() and not w.visibleRegion().isEmpty()
                and key(w) not in self.painted]

    def check(self):
        self.queued = False
        if not self.waiting():
            print("complete", len(self.painted), flush=True)
            os._exit(0)

    def give_up(self):
        names = sorted({type(w).__name__ + ":" + w.objectName() for w in self.waiting()})
        print("incomplete", ", ".join(names[:20]), flush=True)
        os._exit(1)

def watch(window):
    probe = CompleteFrame(window)
    QApplication.instance().installEventFilter(probe)
    return probe
"""

EMPTY = FRAME_PROBE + r"""
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800)
probe = watch(w)
w.show(); app.exec()
"""

SECURE_BASE = FRAME_PROBE + r"""
from app.ui.app import build_window, create_app, start_after_paint
app = create_app(sys.argv)
w = build_window()
probe = watch(w)
w.show(); start_after_paint(w); app.exec()
"""


def launch_env(scratch: str) -> dict[str, str]:
    """A person's Python keeps compiled bytecode (pip compiles an installed wheel); a machine
    with PYTHONDONTWRITEBYTECODE set would recompile every module of ours at each launch and
    none of the empty window's. So both keep bytecode, in a folder of this run."""
    env = {**os.environ, "SECUREBASE_HOME": os.path.join(scratch, "home"),
           "PYTHONPYCACHEPREFIX": os.path.join(scratch, "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def launch(code: str, env: dict[str, str]) -> float:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env=env, timeout=60)
    if "complete" not in out.stdout.split()[:1]:
        raise SystemExit(f"the window's first frame did not complete: {out.stdout.strip()}\n"
                         f"{out.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> int:
    args = parser(__doc__).parse_args()
    runs = 15
    with tempfile.TemporaryDirectory() as scratch:
        env = launch_env(scratch)
        launch(SECURE_BASE, env)           # warm the file cache, create the data folder, and
        launch(EMPTY, env)                 # compile the bytecode both kinds of launch use
        empty, ours = [], []
        for _ in range(runs):               # interleaved, so machine noise hits both alike
            empty.append(launch(EMPTY, env))
            ours.append(launch(SECURE_BASE, env))
    base, mine = median(empty), median(ours)
    # Each launch of ours ran right after an empty-window launch: the median of those paired
    # ratios shrugs off the machine's drift better than a ratio of two medians.
    ratio = median([o / e for e, o in zip(empty, ours)])
    print(f"startup to the first complete frame, median of {runs} (load "
          f"{os.getloadavg()[0]:.1f}): empty QMainWindow {base * 1000:.0f} ms, Secure Base "
          f"{mine * 1000:.0f} ms (fastest: {min(empty) * 1000:.0f} / {min(ours) * 1000:.0f} ms);"
          f" median paired ratio {ratio:.2f}")
    return finish(args.check, [("complete frame ratio vs empty window", ratio, "≤ 1.5",
                                ratio <= 1.5)])


if __name__ == "__main__":
    sys.exit(main())
