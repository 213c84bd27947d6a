"""Regenerate the README's screenshots of every main screen, with demo data.

    xvfb-run -a .venv/bin/python tools/screenshots.py [--out docs/screenshots]

Runs on a real (virtual) X screen when DISPLAY is set, offscreen otherwise. Uses a temporary
SECUREBASE_HOME, so it never touches a real journal.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--years", type=int, default=1, help="years of demo data")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as home:
        os.environ["SECUREBASE_HOME"] = home
        return _shoot(args.out, args.years)


def _shoot(out: Path, years: int) -> int:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.ui.session import view as session_view
    from app.ui.app import build_window, create_app

    app = create_app(sys.argv[:1])
    window = build_window()
    _demo(window.context, years)
    session_view.has_sound_output = lambda: False     # screenshots show the text pacing
    window.resize(1280, 800)
    window.show()

    def settle(ms: int = 400) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def shot(name: str) -> None:
        settle()
        window.grab().save(str(out / f"{name}.png"))
        print(f"saved {out / name}.png")

    shot("library")
    for key in ("body", "progress", "parts", "settings"):
        if key in window._page_factories:
            window.show_page(key)
            shot(key)
    window.show_page("practices")
    window.start_practice(window.context.practice("unblending"))
    session = window.session
    session.audio.cancel()
    shot("check-in")
    session.checkin.go.click()
    session.runner.go_to(2)
    session.controller.hold_countdown(True)
    shot("player")
    session.ground()
    shot("grounding")
    session.grounding_view.back.click()
    while session.runner.state.value != "check-out":
        session.runner.next_step()
    session.checkout.intensity.setValue(2)
    shot("check-out")
    session.checkout.go.click()
    shot("done")
    QApplication.quit()
    return 0


def _demo(context, years: int) -> None:
    try:
        from app.storage.demo import fill_demo
    except ImportError:
        return
    fill_demo(context.journal, years=years, seed=7)


if __name__ == "__main__":
    sys.exit(main())
