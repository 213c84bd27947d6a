"""Screenshots of every screen (tools/screen_tour.py), at the sizes people's screens have.

    .venv/bin/python tools/screenshots.py                  # all sizes, into docs/screenshots
    .venv/bin/python tools/screenshots.py --sizes 800x600 --themes dark --only player

Each size runs on its own virtual X screen of exactly that size (xvfb-run), so the window opens
the way it would there: fitted to the screen. 1280x760 stands for a 1280x800 screen less a
title bar. Writes docs/screenshots/<size>/<theme>/<screen>.png (light at every size, dark at
1280x760), and the README's images (docs/screenshots/<screen>.png) from 1280x760, light. Uses a
temporary SECUREBASE_HOME with demo data, so it never touches a real journal.
"""
from __future__ import annotations

import argparse
import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")

SIZES = ("800x600", "1280x760", "1920x1080")
THEMES = ("light", "dark")
README_SIZE = "1280x760"
# progress has its own tool
README_SCREENS = ("library", "editor", "player", "grounding", "parts", "body")
DARK_SIZES = (README_SIZE,)          # the dark theme once, at the common size, unless asked


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--years", type=int, default=1, help="years of demo data")
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--themes", default="",
                        help="light,dark (default: light everywhere, dark at the README size)")
    parser.add_argument("--only", default="", help="screen names, comma separated")
    parser.add_argument("--here", action="store_true",
                        help="shoot on the current display, at its size (used per size)")
    args = parser.parse_args()
    asked = tuple(t for t in args.themes.split(",") if t)
    from tools.screen_tour import SCREENS
    only = tuple(s for s in args.only.split(",") if s) or SCREENS
    if args.here:
        home = tempfile.mkdtemp(prefix="securebase-shots-")
        # removed last: atexit runs in reverse, after multiprocessing has cleaned its own
        # temporary folder inside this home
        atexit.register(shutil.rmtree, home, ignore_errors=True)
        os.environ["SECUREBASE_HOME"] = home
        return _shoot(args.out, args.years, asked or THEMES, only)
    for size in (s for s in args.sizes.split(",") if s):
        themes = asked or (THEMES if size in DARK_SIZES else ("light",))
        code = _run_on_screen(size, args, themes, only)
        if code:
            return code
    _readme_images(args.out)
    return 0


def _run_on_screen(size: str, args, themes: tuple[str, ...], only: tuple[str, ...]) -> int:
    if shutil.which("xvfb-run") is None:
        print("xvfb-run is needed (apt-get install xvfb xauth)", file=sys.stderr)
        return 1
    command = ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", sys.executable, __file__,
               "--here", "--out", str(args.out / size), "--years", str(args.years),
               "--themes", ",".join(themes), "--only", ",".join(only)]
    return subprocess.run(command, check=False).returncode


def _readme_images(out: Path) -> None:
    for name in README_SCREENS:
        source = out / README_SIZE / "light" / f"{name}.png"
        if source.exists():
            shutil.copyfile(source, out / f"{name}.png")


def _shoot(out: Path, years: int, themes: tuple[str, ...], only: tuple[str, ...]) -> int:
    from PySide6.QtCore import QEventLoop, QTimer

    from app.ui.app import build_window, create_app
    from tools.screen_tour import tour

    app = create_app(sys.argv[:1])
    _demo(years)

    def settle(ms: int = 500) -> None:
        loop = QEventLoop()
        QTimer.singleShot(ms, loop.quit)
        loop.exec()

    for theme in themes:
        window = build_window(_context(theme))
        window.show()
        # the whole virtual screen, as a maximised window (there is no window manager here)
        window.setGeometry(window.screen().availableGeometry())
        settle()
        folder = out / theme
        folder.mkdir(parents=True, exist_ok=True)
        for stop in tour(window, settle, only=only, voices_within=60):
            stop.top.grab().save(str(folder / f"{stop.name}.png"), "PNG", 0)
            print(f"saved {folder / stop.name}.png  ({stop.top.width()}x{stop.top.height()})")
        window.context.journal.close()
        window.deleteLater()
        settle(100)
    app.quit()
    return 0


def _context(theme: str):
    from dataclasses import replace

    from app.qt import player
    from app.storage.library_cache import load_library
    from app.storage.preferences import load_preferences
    from app.ui.context import AppContext
    player.has_sound_output = lambda: False      # screenshots show the text pacing
    from app.ui.session import view as session_view
    session_view.has_sound_output = lambda: False
    practices, broken = load_library()
    return AppContext(practices, broken, replace(load_preferences(), theme=theme))


def _demo(years: int) -> None:
    """Demo records in the temporary journal, written before the window opens it."""
    from app import paths
    from app.storage.demo import fill_demo
    from app.storage.journal import Journal
    journal = Journal(paths.journal_file())
    try:
        fill_demo(journal, years=years, seed=7)
    finally:
        journal.close()


if __name__ == "__main__":
    sys.exit(main())
