"""Launch → first painted main window, against an empty QMainWindow process, same run.

Goal: Secure Base's first paint ≤ 1.5× the empty window's (charts, audio and the journal load
lazily). Each figure is the median of several cold-ish process starts.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time

from _common import ROOT, finish, median, parser

PAINT_PROBE = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject
class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("painted", flush=True)
            sys.stdout.close()
            import os; os._exit(0)
        return False
"""

EMPTY = PAINT_PROBE + r"""
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.resize(1280, 800)
probe = FirstPaint(); w.installEventFilter(probe)
w.show(); app.exec()
"""

SECURE_BASE = PAINT_PROBE + r"""
from app.ui.app import build_window, create_app, start_after_paint
app = create_app(sys.argv)
w = build_window()
probe = FirstPaint(); w.installEventFilter(probe)
w.show(); start_after_paint(w); app.exec()
"""


def launch(code: str, home: str) -> float:
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True,
                         env={**__import__("os").environ, "SECUREBASE_HOME": home}, timeout=60)
    if "painted" not in out.stdout:
        raise SystemExit(f"the window did not paint:\n{out.stderr[-2000:]}")
    return time.perf_counter() - started


def main() -> int:
    args = parser(__doc__).parse_args()
    runs = 15
    with tempfile.TemporaryDirectory() as home:
        launch(SECURE_BASE, home)          # warm the file cache and create the data folder
        launch(EMPTY, home)
        empty, ours = [], []
        for _ in range(runs):               # interleaved, so machine noise hits both alike
            empty.append(launch(EMPTY, home))
            ours.append(launch(SECURE_BASE, home))
    base, mine = median(empty), median(ours)
    # Each launch of ours ran right after an empty-window launch: the median of those paired
    # ratios shrugs off the machine's drift better than a ratio of two medians.
    ratio = median([o / e for e, o in zip(empty, ours)])
    print(f"startup to first paint, median of {runs}: empty QMainWindow {base * 1000:.0f} ms, "
          f"Secure Base {mine * 1000:.0f} ms (fastest: {min(empty) * 1000:.0f} / "
          f"{min(ours) * 1000:.0f} ms); median paired ratio {ratio:.2f}")
    return finish(args.check, [("first paint ratio vs empty window", ratio, "≤ 1.5",
                                ratio <= 1.5)])


if __name__ == "__main__":
    sys.exit(main())
