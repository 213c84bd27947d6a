"""How long from a tap on the body map to the mark being committed in SQLite?

    python bench/body_tap.py            # print the figures
    python bench/body_tap.py --check    # also exit 1 if the median misses one frame (16 ms)

Each tap is a synthetic mouse press + release on the offscreen widget (hit test, panel opens),
then the panel's Save is pressed programmatically; the clock stops when the journal's INSERT
has committed (file journal, WAL, synchronous=FULL, so the commit waits for fsync). The
baseline, measured in the same run on the same disk, is a bare sqlite3 INSERT + COMMIT with
the same settings: the ratio shows what the app adds on top of the unavoidable write.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GOAL_MS = 16.0                                     # one frame at 60 Hz


def baseline_ms(folder: Path, n: int) -> list[float]:
    """A bare INSERT + COMMIT of a body-mark-sized row, same pragmas as the journal."""
    conn = sqlite3.connect(folder / "baseline.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE marks (id INTEGER PRIMARY KEY, at TEXT, view TEXT, region TEXT,"
                 " x REAL, y REAL, intensity INTEGER, qualities TEXT)")
    times = []
    for i in range(n):
        start = time.perf_counter()
        conn.execute("BEGIN")
        conn.execute("INSERT INTO marks (at, view, region, x, y, intensity, qualities) "
                     "VALUES (?, ?, ?, ?, ?, ?, ?)",
                     ("2024-01-01T10:00:00+00:00", "front", "chest-left", 0.4, 0.3, i % 11,
                      "tight,heavy"))
        conn.execute("COMMIT")
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    return times


def tap_ms(folder: Path, n: int) -> tuple[list[float], int]:
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from app.core import body
    from app.core.records import VIEWS
    from app.storage.journal import Journal
    from app.ui.body.map_widget import BodyMapWidget
    from app.ui.common.theme import LIGHT, stylesheet

    app = QApplication.instance() or QApplication([])
    app.setStyleSheet(stylesheet(LIGHT))
    journal = Journal(folder / "journal.db")
    widget = BodyMapWidget(journal, LIGHT)
    widget.resize(1000, 720)
    widget.show()
    app.processEvents()
    targets = [(v, r) for v in VIEWS for r in body.regions(v)]
    saved: list[int] = []
    widget.markSaved.connect(saved.append)
    times = []
    for i in range(n):
        view, reg = targets[i % len(targets)]
        pos = widget.canvas.box_to_widget(view, *body.interior_point(reg)).toPoint()
        start = time.perf_counter()
        QTest.mouseClick(widget.canvas, Qt.MouseButton.LeftButton,
                         Qt.KeyboardModifier.NoModifier, pos)
        widget.panel.save_button.click()
        times.append((time.perf_counter() - start) * 1000)
        if len(saved) != i + 1:
            raise SystemExit(f"tap {i + 1} on {reg.id} did not save a mark")
        app.processEvents()                        # paint between taps, as a person would
    rows = journal.db.execute("SELECT count(*) FROM body_marks").fetchone()[0]
    widget.close()
    journal.close()
    return times, rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="tap-to-commit latency of the body map")
    parser.add_argument("--check", action="store_true", help="exit 1 if the goal is missed")
    parser.add_argument("--taps", type=int, default=60, help="taps to time (at least 50)")
    args = parser.parse_args(argv)
    n = max(50, args.taps)
    with tempfile.TemporaryDirectory(prefix="securebase-bench-") as tmp:
        folder = Path(tmp)
        base = baseline_ms(folder, n)
        taps, rows = tap_ms(folder, n)
    if rows != n:
        print(f"expected {n} committed marks, found {rows}")
        return 1
    tap_med, base_med = statistics.median(taps), statistics.median(base)
    p90 = statistics.quantiles(taps, n=10)[-1]
    met = tap_med < GOAL_MS
    print(f"baseline sqlite insert+commit: median {base_med:.2f} ms over {n}")
    print(f"body tap -> committed mark:    median {tap_med:.2f} ms, p90 {p90:.2f} ms, "
          f"max {max(taps):.2f} ms over {n}")
    print(f"body tap: median {tap_med:.2f} ms = {tap_med / base_med:.1f}x bare commit "
          f"({base_med:.2f} ms); goal median < {GOAL_MS:.0f} ms: {'met' if met else 'MISSED'}")
    return 0 if met or not args.check else 1


if __name__ == "__main__":
    sys.exit(main())
