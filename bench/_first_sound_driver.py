"""Run inside the real window for bench/first_sound.py: open a practice and press Begin at once.

    python bench/_first_sound_driver.py PRACTICE_ID

Prints "begin <time.monotonic()>" the moment Begin is pressed (CLOCK_MONOTONIC is shared by
every process on the machine, so the bench can compare it with when sound arrived), then keeps
the window up until the first step has been playing for a moment.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    QMessageBox.exec = lambda box: 0   # the warm run's "continue where you were?": not now
    from app.ui.app import build_window, create_app, start_after_paint

    app = create_app(sys.argv[:1])
    window = build_window()
    window.show()
    start_after_paint(window)

    def wait(condition, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                return False
            app.processEvents()
            time.sleep(0.002)
        return True

    wait(lambda: window.context._journal is not None, 20)
    window.start_practice(window.context.practice(sys.argv[1]))
    session = window.session
    started: list[str] = []
    window.context.player.started.connect(started.append)
    session.audio.step_ready.connect(
        lambda *_a: print(f"ready {time.monotonic():.6f}", flush=True))
    print(f"begin {time.monotonic():.6f}", flush=True)
    QTest.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    if not wait(lambda: bool(started), 60):
        print("no audio started", flush=True)
        return 1
    print(f"started {time.monotonic():.6f}", flush=True)
    wait(lambda: False, 2.5)               # let the sound reach the sink
    window.session.shutdown()
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    sys.exit(main())
