"""Progress view and PDF report with ten years of journal (3,650 sessions, ~36,000 marks).

    .venv/bin/python bench/progress.py            # print the figures
    .venv/bin/python bench/progress.py --check    # also exit 1 if a goal is missed

In one run, on a demo journal in a temporary folder (offscreen Qt):
- opening the Progress page on "All time": from constructing the view until its charts,
  figures and heat map hold the data (the `loaded` signal) — goal < 300 ms;
- the same for "Last week", as the baseline: goal all-time ≤ 3× the one-week view;
- the 10-year PDF report (gather, lay out, draw, write) — goal < 5 s.
Opening figures are medians of interleaved runs after one warm-up each (the first open of a
process also parses the body atlas; it is printed, not judged). "All time" includes "what
helps" (per practice, part and quality), as the page shows it.
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from _common import finish, median, parser

OPEN_GOAL_MS, RATIO_GOAL, PDF_GOAL_S = 300.0, 3.0, 5.0


def make_journal(folder: Path, years: float = 10.0) -> Path:
    """A demo journal file (app/storage/demo.py), created and closed again."""
    from app.storage.demo import fill_demo
    from app.storage.journal import Journal

    path = folder / "journal.db"
    journal = Journal(path)
    try:
        fill_demo(journal, years=years, seed=1)
    finally:
        journal.close()
    return path


def open_ms(context, preset: str) -> float:
    """Construct the view and wait until it shows the range's data."""
    from PySide6.QtCore import QEventLoop, QTimer

    from app.ui.progress.view import ProgressView

    loop = QEventLoop()
    start = time.perf_counter()
    view = ProgressView(context, preset=preset)
    view.resize(1080, 800)
    view.loaded.connect(loop.quit)
    view.show()
    QTimer.singleShot(30_000, loop.quit)               # never hang the bench
    loop.exec()
    elapsed = (time.perf_counter() - start) * 1000
    if view.result is None or view.result.progress is None:
        raise SystemExit(f"the {preset} view did not load its data")
    view.close()
    view.deleteLater()
    return elapsed


def pdf_seconds(path: Path, out: Path) -> tuple[float, str]:
    from app.core.trends import span_for
    from app.storage.queries import ReadOnlyJournal, first_day
    from app.qt.progress_reads import export_report
    from app.ui.report.pdf import render

    start = time.perf_counter()
    with ReadOnlyJournal(path) as snapshot:
        span = span_for("all", date.today(), first_day(snapshot))
        message = export_report(snapshot, out, span, render)
    return time.perf_counter() - start, message


def main() -> int:
    args = parser(__doc__).parse_args()
    from PySide6.QtWidgets import QApplication

    from app.storage.preferences import Preferences
    from app.ui.context import AppContext
    from app.ui.common.theme import LIGHT, stylesheet

    app = QApplication.instance() or QApplication([])
    app.setStyleSheet(stylesheet(LIGHT))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["SECUREBASE_HOME"] = tmp            # backups etc. never touch a real home
        started = time.perf_counter()
        path = make_journal(folder)
        print(f"10-year demo journal in {time.perf_counter() - started:.1f} s")
        context = AppContext([], [], Preferences(), journal_path=str(path))
        first = open_ms(context, "all")
        open_ms(context, "week")
        week, whole = [], []
        for _ in range(7):                              # interleaved: noise hits both alike
            week.append(open_ms(context, "week"))
            whole.append(open_ms(context, "all"))
            app.processEvents()
        pdf = [pdf_seconds(path, folder / f"report-{n}.pdf") for n in range(3)]
        context.journal.close()
    one_week, all_time = median(week), median(whole)
    pdf_s = median([s for s, _ in pdf])
    print(f"first open in this process (imports, atlas): {first:.0f} ms")
    print(f"open 'Last week': median {one_week:.0f} ms   (runs: "
          f"{', '.join(f'{v:.0f}' for v in week)})")
    print(f"open 'All time':  median {all_time:.0f} ms   (runs: "
          f"{', '.join(f'{v:.0f}' for v in whole)})")
    print(f"all-time / one-week: {all_time / one_week:.2f}×")
    print(f"10-year PDF: median {pdf_s:.2f} s — {pdf[0][1]}")
    return finish(args.check, [
        ("all-time open (ms)", all_time, f"< {OPEN_GOAL_MS:.0f}", all_time < OPEN_GOAL_MS),
        ("all-time / one-week", all_time / one_week, f"≤ {RATIO_GOAL:.0f}",
         all_time / one_week <= RATIO_GOAL),
        ("10-year PDF export (s)", pdf_s, f"< {PDF_GOAL_S:.0f}", pdf_s < PDF_GOAL_S),
    ])


if __name__ == "__main__":
    sys.exit(main())
