"""Memory during a practice, every process counted: the whole window playing a session whose
guidance is rendered while it plays, in the voice a person gets by default (the natural voice
when installed), with every render worker and the server they fork from.

Figure: the peak, over the session, of the summed proportional set size (PSS: a page that
several processes share counts once in all) of the window's process and all its descendants;
the summed RSS (shared pages counted in every process) and the summed USS (pages no other
process maps: what ending them all would free at least) are printed beside it. Baseline, same
run: this process with just a QApplication. Goal: peak total < 300 MB.

Run it alone: PSS also divides a page with processes outside the session that map the same
file (a test run using the same venv lowered the figure by ~50 MB once); USS does not.
"""
from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

import psutil
from _common import finish, parser

# Only light imports at the top: each render worker imports the window's main module again
# (multiprocessing's spawn preparation; forkserver's preload of __main__ does nothing in
# Python 3.11), as the app's workers import `app.__main__`. Qt and the window imported here
# loaded QtWidgets, QtGui and every view into the measured worker too (~25 MB), which the
# app's workers never load: they are imported in main() instead, and `_qt_in_workers` checks.
GOAL_MB = 300


def tree_mb() -> tuple[float, float, int, list[str], float]:
    """(PSS, RSS) in MB summed over this process and its descendants, how many there are,
    each one's share ("window 180", "worker 160", ...), and their summed USS."""
    me = psutil.Process()
    pss = rss = uss = 0
    shares = []
    processes = [me, *me.children(recursive=True)]
    for process in processes:
        try:
            info = process.memory_full_info()
            role = "window" if process.pid == me.pid else _role(process, me.pid)
        except psutil.Error:      # a worker that ended meanwhile
            continue
        pss, rss, uss = pss + info.pss, rss + info.rss, uss + info.uss
        shares.append(f"{role} {info.pss / 2**20:.0f}")
    return pss / 2**20, rss / 2**20, len(processes), shares, uss / 2**20


def _role(process: psutil.Process, window: int) -> str:
    """Workers are forked by the server, so they show its command line; the parent tells."""
    if process.ppid() != window:
        return "worker"
    return "tracker" if "resource_tracker" in " ".join(process.cmdline()) else "server"


def _qt_in_workers(checked: set[int]) -> list[int]:
    """Render workers (descendants) that have Qt's libraries loaded; each process is looked
    at once, a second after it started (when it has imported what it will)."""
    loaded = []
    for process in psutil.Process().children(recursive=True):
        try:
            if process.pid in checked or time.time() - process.create_time() < 1.0:
                continue
            checked.add(process.pid)
            if any("/PySide6/" in m.path for m in process.memory_maps()):
                loaded.append(process.pid)
        except psutil.Error:
            continue
    return loaded


def main() -> int:
    home = os.environ["SECUREBASE_HOME"] = tempfile.mkdtemp(prefix="securebase-memory-")
    from pathlib import Path

    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.core.session import State
    from app.qt.tasks import EXIT_WAIT_SECONDS, close_background_work
    from app.storage.preferences import Preferences
    from app.storage.script_files import load_all
    from app.ui.context import AppContext
    from app.ui.main_window import MainWindow
    from app.ui.session import view as session_view

    p = parser(__doc__)
    p.add_argument("--trace", action="store_true",
                   help="print every sample: total and each process's share")
    args = p.parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    baseline = tree_mb()[0]
    peak: tuple[float, float, int, list[str], float] = (baseline, 0.0, 1, [], 0.0)
    with tempfile.TemporaryDirectory() as tmp:
        practices, broken = load_all()
        context = AppContext(practices, broken, Preferences(),
                             journal_path=str(Path(tmp) / "journal.db"))
        window = MainWindow(context)
        window.show()
        practice = context.practice("disorganised-attachment")
        # Play the files even where no sound device exists (QtMultimedia then plays on the
        # wall clock), so the decoder, the audio pipeline and the renderers are all measured.
        session_view.has_sound_output = lambda: True
        window.start_practice(practice, playback_rate=16.0)
        session = window.session
        session.controller.silence_multiplier = 0.02
        # Steps that wait for the person: Continue, as a person would.
        session.controller.snapshot.connect(lambda snap: snap.state is State.WAITING and QTimer
                                            .singleShot(0, session.controller.continue_on))
        session.checkin.go.click()
        started = time.perf_counter()
        deadline = started + 600
        sampled = 0.0
        checked: set[int] = set()
        with_qt: list[int] = []
        while session.runner.state is not State.CHECK_OUT and time.perf_counter() < deadline:
            app.processEvents()
            if time.perf_counter() - sampled > 0.25:
                sampled = time.perf_counter()
                now = tree_mb()
                peak = max(peak, now)
                with_qt += _qt_in_workers(checked)
                if args.trace:
                    print(f"{sampled - started:6.2f} s {now[0]:4.0f} MB: {', '.join(now[3])}",
                          flush=True)
            time.sleep(0.01)
        # The window goes on preparing speech at idle (other practices' first steps) after
        # check-out. Stop it, as quitting does, before the folders go: a render worker whose
        # cache folder was removed under it printed "AttributeError: 'Wave_write' object has
        # no attribute '_file'" at the end of the second of two runs in a row.
        if not close_background_work():
            print("note: the background work had not ended after "
                  f"{EXIT_WAIT_SECONDS:.0f} s; its folders are removed anyway", file=sys.stderr)
        context.journal.close()
        if session.runner.state is not State.CHECK_OUT or session.controller.text_only_reason:
            raise SystemExit("the session did not reach check-out with speech "
                             f"({session.controller.text_only_reason or 'timed out'})")
    if with_qt:  # the app's workers never load Qt: this would measure something else
        raise SystemExit(f"render workers loaded Qt (pids {with_qt})")
    pss, rss, count, shares, uss = peak
    print(f"memory, every process: bare QApplication {baseline:.0f} MB; peak during a 10-step "
          f"session with its guidance rendering in the default voice {pss:.0f} MB PSS over "
          f"{count} processes ({', '.join(shares)}; {rss:.0f} MB summed RSS, {uss:.0f} MB summed "
          f"USS); ratio "
          f"{pss / baseline:.2f}x")
    # The rendered audio and the split voice (~130 MB a run, which once helped fill the disk);
    # the rest (the workers' server socket) is small and goes with the process.
    for folder in ("audio", "cache"):
        shutil.rmtree(os.path.join(home, folder), ignore_errors=True)
    return finish(args.check, [("peak PSS, window + workers (MB)", pss, f"< {GOAL_MB}",
                                pss < GOAL_MB)])


if __name__ == "__main__":
    sys.exit(main())
