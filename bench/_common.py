"""Shared bits for benchmarks: medians, a result line, --check handling."""
from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false;qt.qpa.*=false")


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--check", action="store_true", help="exit 1 when a goal is missed")
    return p


def median(values: list[float]) -> float:
    return statistics.median(values)


def finish(check: bool, goals: list[tuple[str, float, str, bool]]) -> int:
    """goals: (figure name, value, goal text, ok). Prints one summary line last."""
    for name, value, goal, ok in goals:
        print(f"  {name:<34} {value:>10.3f}   goal {goal:<14} {'ok' if ok else 'MISSED'}")
    summary = "; ".join(f"{n}={v:.3f} (goal {g})" for n, v, g, _ in goals)
    all_ok = all(ok for *_, ok in goals)
    print(("OK: " if all_ok else "MISSED: ") + summary)
    return 0 if all_ok or not check else 1
