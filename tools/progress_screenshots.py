"""Screenshots of the Progress page for each range, with demo data, and of an empty journal.

    xvfb-run -a -s "-screen 0 1920x1200x24" .venv/bin/python tools/progress_screenshots.py \
        [--out docs/screenshots] [--size 1280x800]

Each journal is made with `securebase demo-data` in a scratch SECUREBASE_HOME (never a real
one). The page is reached and driven with the keyboard only (Tab to "Go to Progress", Space,
Tab to each range chip, Space), as a person without a mouse would. Saves progress-<range>.png
(the window) and, with --pages, progress-<range>-page.png (the whole scrolling page).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.qpa.*=false")
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
RANGES = (("week", "Show the last 7 days"), ("month", "Show the last 30 days"),
          ("year", "Show the last 12 months"), ("all", "Show everything recorded so far"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--size", default="1280x800")
    parser.add_argument("--years", default="1")
    parser.add_argument("--pages", action="store_true",
                        help="also save each whole scrolling page (progress-<range>-page.png)")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    width, height = (int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as demo, tempfile.TemporaryDirectory() as empty:
        subprocess.run([sys.executable, "-m", "app", "demo-data", "--years", args.years],
                       env={**os.environ, "SECUREBASE_HOME": demo}, check=True,
                       capture_output=True)
        return _shoot(args.out, (width, height), demo, empty, args.pages)


def _shoot(out: Path, size: tuple[int, int], demo: str, empty: str, pages: bool) -> int:
    from PySide6.QtCore import QEventLoop, Qt, QTimer
    from PySide6.QtTest import QTest
    from app.ui.app import build_window, create_app

    _app = create_app(sys.argv[:1])              # kept: the window needs it alive
    suffix = "" if size == (1280, 800) else f"-{size[0]}x{size[1]}"

    def settle(ms: int = 500) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    def tab_to(window, name: str) -> None:
        """Tab from control to control; inside a group of choices (the sidebar, the range
        chips), the arrow keys move, as Qt's segmented buttons expect."""
        for _ in range(200):
            focused = window.focusWidget()
            if focused is not None and focused.accessibleName() == name:
                QTest.keyClick(focused, Qt.Key.Key_Space)
                settle()
                return
            group = getattr(focused, "group", lambda: None)()
            if group is not None and name in [b.accessibleName() for b in group.buttons()]:
                names = [b.accessibleName() for b in group.buttons()]
                forward = names.index(name) > names.index(focused.accessibleName())
                for key in ((Qt.Key.Key_Right, Qt.Key.Key_Down) if forward
                            else (Qt.Key.Key_Left, Qt.Key.Key_Up)):  # a row or a column
                    QTest.keyClick(focused, key)
                    if window.focusWidget() is not focused:
                        break
                continue
            QTest.keyClick(focused or window, Qt.Key.Key_Tab)
        raise SystemExit(f"could not reach {name!r} with the keyboard")

    for home, ranges in ((demo, RANGES), (empty, (("empty", None),))):
        os.environ["SECUREBASE_HOME"] = home
        window = build_window()
        window.resize(*size)
        window.show()
        window.activateWindow()
        settle(800)
        tab_to(window, "Go to Progress")
        for key, chip in ranges:
            if chip:
                tab_to(window, chip)
            settle(800)
            window.grab().save(str(out / f"progress-{key}{suffix}.png"))
            view = _progress_view(window)
            if pages and view is not None and chip:
                view.scroll.widget().grab().save(str(out / f"progress-{key}-page{suffix}.png"))
            if view is not None and key == "year":          # the two cards, for the README
                view.body_card.grab().save(str(out / f"progress-body{suffix}.png"))
                view.helps_card.grab().save(str(out / f"progress-what-helps{suffix}.png"))
            print(f"saved progress-{key}{suffix}.png")
        window.close()
        window.deleteLater()
        settle(200)
    return 0


def _progress_view(window):
    from app.ui.progress.view import ProgressView
    views = window.findChildren(ProgressView)
    return views[0] if views else None


if __name__ == "__main__":
    sys.exit(main())
