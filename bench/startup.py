"""Launch → the first complete frame of the main window (the window and every visible child
painted at least once), against an empty QMainWindow process timed the same way, same run.

Secure Base is launched the way a person launches it: the `securebase` command's own entry
point (logging, the data folder, the one-window lock, the sound menu on the session bus), not
a shortcut into the window code.

Goal: Secure Base's first complete frame ≤ 1.5× the empty window's (charts, audio and the
journal load lazily). Each figure is the median of several cold-ish process starts.

How the frame is seen, and why in two kinds of run. A probe that watches every widget's paint
needs an application-wide Python event filter, and that filter makes PySide wrap every object
that gets an event and build the enums of every widget class it meets: tens of milliseconds the
app itself does not spend. So:
- timed runs watch the top-level window alone (Qt paints every child in passes that the
  window's own Paint or UpdateRequest starts) and note when each pass ends;
- untimed runs watch every widget as well, and say after which pass every visible widget had
  painted. A timed launch counts up to that pass. A launch whose frame never completes within
  10 s names the widgets that did not paint, and fails.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager

from _common import ROOT, finish, median, parser

# Notes the end of each paint pass of the top-level window (a 0 ms timer queued by the Expose,
# Paint or UpdateRequest that starts a pass runs once the pass, children included, is painted);
# once nothing has painted for SETTLE_MS, prints the pass end times (seconds since the epoch)
# and exits.
PASSES = r"""
import os, resource, sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

SETTLE_MS, GIVE_UP_MS = 400, 10_000
PASS_EVENTS = (QEvent.Type.Paint, QEvent.Type.UpdateRequest, QEvent.Type.Expose)

class Passes(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window, self.handle, self.ends, self.cpu, self.queued = window, None, [], [], False
        self.quiet = QTimer(self)
        self.quiet.setSingleShot(True)
        self.quiet.timeout.connect(self.settled)
        QTimer.singleShot(GIVE_UP_MS, self.settled)
        window.installEventFilter(self)

    def eventFilter(self, obj, event):
        if obj is self.window and event.type() == QEvent.Type.Show and self.handle is None:
            # The first pass is the platform's Expose of the window's QWindow, which exists
            # from here on (a window whose children cover it gets no Paint of its own).
            self.handle = self.window.windowHandle()
            self.handle.installEventFilter(self)
        if (obj is self.window or obj is self.handle) and event.type() in PASS_EVENTS \
                and not self.queued:
            self.queued = True
            QTimer.singleShot(0, self.pass_ended)
        return False

    def pass_ended(self):
        self.queued = False
        self.ends.append(time.time())
        used = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu.append(used.ru_utime + used.ru_stime)
        self.quiet.start(SETTLE_MS)

    def settled(self):
        print("passes", " ".join(repr(end) for end in self.ends), "cpu",
              " ".join(repr(cpu) for cpu in self.cpu), flush=True)
        os._exit(0)

def watch(window):
    window._passes = Passes(window)
"""

# Untimed: also watches every widget's Paint, and says after which pass the frame was complete.
EVERY_WIDGET = PASSES + r"""
from shiboken6 import getCppPointer

def key(widget):
    return getCppPointer(widget)[0]

class EveryWidget(Passes):
    def __init__(self, window):
        super().__init__(window)
        self.painted, self.complete_at = set(), None
        QApplication.instance().installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and isinstance(obj, QWidget):
            self.painted.add(key(obj))
        return super().eventFilter(obj, event)

    def waiting(self):
        widgets = [self.window, *self.window.findChildren(QWidget)]
        return [w for w in widgets if w.isVisible() and not w.visibleRegion().isEmpty()
                and key(w) not in self.painted]

    def pass_ended(self):
        super().pass_ended()
        if self.complete_at is None and not self.waiting():
            self.complete_at = len(self.ends)

    def settled(self):
        if self.complete_at is None:
            names = sorted({type(w).__name__ + ":" + w.objectName() for w in self.waiting()})
            print("incomplete", ", ".join(names[:20]), flush=True)
            os._exit(1)
        print("complete after pass", self.complete_at, "of", len(self.ends), flush=True)
        os._exit(0)

def watch(window):
    window._passes = EveryWidget(window)
"""

EMPTY = r"""
from PySide6.QtWidgets import QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800)
watch(w)
w.show(); app.exec()
"""

# The `securebase` command, with the probe attached to the main window as it is made.
SECURE_BASE = r"""
import app.ui.main_window as main_window
made = main_window.MainWindow.__init__
def watched(self, *args, **kwargs):
    made(self, *args, **kwargs)
    watch(self)
main_window.MainWindow.__init__ = watched
sys.argv = ["securebase"]
from app.__main__ import console
sys.exit(console())
"""


def launch_env(scratch: str) -> dict[str, str]:
    """A person's Python keeps compiled bytecode (pip compiles an installed wheel); a machine
    with PYTHONDONTWRITEBYTECODE set would recompile every module of ours at each launch and
    none of the empty window's. So both keep bytecode, in a folder of this run."""
    env = {**os.environ, "SECUREBASE_HOME": os.path.join(scratch, "home"),
           "PYTHONPYCACHEPREFIX": os.path.join(scratch, "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@contextmanager
def session_bus(env: dict[str, str]):
    """A desktop has a session bus, and Secure Base registers with the sound menu on it; a
    private dbus-daemon of this run stands in (none when dbus-daemon is not installed)."""
    if shutil.which("dbus-daemon") is None:
        env.pop("DBUS_SESSION_BUS_ADDRESS", None)
        yield "no session bus"
        return
    out = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1",
                          "--print-pid=1"], capture_output=True, text=True, check=True)
    address, pid = out.stdout.split()[:2]
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    try:
        yield "a private session bus"
    finally:
        os.kill(int(pid), 15)


def run(code: str, env: dict[str, str]) -> tuple[float, str]:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env=env, timeout=60)
    return started, out.stdout.strip().splitlines()[-1] if out.stdout.strip() else (
        "no output: " + out.stderr[-2000:])


def complete_after(kind: str, code: str, env: dict[str, str]) -> int:
    """The pass after which every visible widget has painted (untimed: the probe is heavy)."""
    _, said = run(EVERY_WIDGET + code, env)
    if not said.startswith("complete after pass"):
        raise SystemExit(f"{kind}: the window's first frame did not complete: {said}")
    return int(said.split()[3])


def frame_time(code: str, env: dict[str, str], passes: int) -> tuple[float, float]:
    """Wall time from launch to the end of paint pass `passes`, and the CPU time (user and
    system, all threads) the process had used by then."""
    started, said = run(PASSES + code, env)
    words = said.split()
    if not said.startswith("passes") or "cpu" not in words:
        raise SystemExit(f"a timed launch said: {said}")
    ends = [float(end) for end in words[1:words.index("cpu")]]
    cpu = [float(used) for used in words[words.index("cpu") + 1:]]
    if len(ends) < passes:
        raise SystemExit(f"a timed launch painted {len(ends)} passes, {passes} needed: {said}")
    return ends[passes - 1] - started, cpu[passes - 1]


def main() -> int:
    args = parser(__doc__).parse_args()
    runs = 15
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as scratch:
        env = launch_env(scratch)
        with session_bus(env) as bus:
            # warm the file cache, create the data folder, compile the bytecode both use
            base_pass = max(complete_after("empty window", EMPTY, env) for _ in range(2))
            our_pass = max(complete_after("Secure Base", SECURE_BASE, env) for _ in range(3))
            empty, ours, empty_cpu, our_cpu = [], [], [], []
            for _ in range(runs):           # interleaved, so machine noise hits both alike
                for times, cpus, code, passes in ((empty, empty_cpu, EMPTY, base_pass),
                                                  (ours, our_cpu, SECURE_BASE, our_pass)):
                    wall, cpu = frame_time(code, env, passes)
                    times.append(wall)
                    cpus.append(cpu)
    base, mine = median(empty), median(ours)
    # Each launch of ours ran right after an empty-window launch: the median of those paired
    # ratios shrugs off the machine's drift better than a ratio of two medians.
    ratios = [o / e for e, o in zip(empty, ours)]
    ratio = median(ratios)
    print("each run (empty ms / Secure Base ms = ratio): " + ", ".join(
        f"{e * 1000:.0f}/{o * 1000:.0f}={o / e:.2f}" for e, o in zip(empty, ours)))
    print(f"startup to the first complete frame (the `securebase` command, {bus}), median of "
          f"{runs} (load {load_before:.1f} before, {os.getloadavg()[0]:.1f} after): empty "
          f"QMainWindow {base * 1000:.0f} ms (complete after paint pass {base_pass}), Secure "
          f"Base {mine * 1000:.0f} ms (pass {our_pass}); fastest {min(empty) * 1000:.0f} / "
          f"{min(ours) * 1000:.0f} ms; median paired ratio {ratio:.2f} (spread "
          f"{min(ratios):.2f}–{max(ratios):.2f}, middle half {quartile(ratios, 1):.2f}–"
          f"{quartile(ratios, 3):.2f})")
    # Not the goal, a second view: CPU time moves far less with the machine's load than wall
    # time does (at a load of 8-10 the wall ratio of one run ranges 1.2-3 and more).
    cpu_ratios = [o / e for e, o in zip(empty_cpu, our_cpu)]
    print(f"CPU time to the same frame (user + system), medians: empty "
          f"{median(empty_cpu) * 1000:.0f} ms, Secure Base {median(our_cpu) * 1000:.0f} ms; "
          f"median paired ratio {median(cpu_ratios):.2f} (spread {min(cpu_ratios):.2f}–"
          f"{max(cpu_ratios):.2f})")
    return finish(args.check, [("complete frame ratio vs empty window", ratio, "≤ 1.5",
                                ratio <= 1.5)])


def quartile(values: list[float], which: int) -> float:
    return statistics.quantiles(values, n=4)[which - 1]


if __name__ == "__main__":
    sys.exit(main())
