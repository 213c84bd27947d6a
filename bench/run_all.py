"""Run every benchmark and print one table: bench, its figures and goals, ok.

    .venv/bin/python bench/run_all.py [--check]

Each bench runs in its own process with --check; its last line states its figures and goals.
With --check this exits 1 if any goal is missed.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from _common import parser

HERE = Path(__file__).resolve().parent
BENCHES = ["startup.py", "step_gap.py", "session_memory.py", "body_tap.py", "render.py",
           "progress.py", "journal_io.py", "first_sound.py", "delivery.py",
           "intelligibility.py"]


def run(name: str) -> tuple[bool, str, float]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(HERE / name), "--check"], capture_output=True,
                            text=True, timeout=900)
    lines = [line for line in result.stdout.splitlines() if line.strip()]
    last = lines[-1] if lines else (result.stderr.strip().splitlines() or ["(no output)"])[-1]
    return result.returncode == 0, last.strip(), time.perf_counter() - started


def mutation_line() -> str:
    """The last mutation run's score (bench/mutation.py takes ~15 minutes, so it runs apart)."""
    try:
        last = json.loads((HERE / "mutation_result.json").read_text())
    except (OSError, ValueError):
        return "mutation score: not measured yet (.venv/bin/python bench/mutation.py)"
    judged = last.get("score_without_equivalent")
    rest = (f", {judged:.1%} of those not judged equivalent ({last['equivalent']})"
            if judged is not None else "")
    load = last.get("load_average")
    under = f", load {load[0]} → {load[1]}" if load else ""
    return (f"mutation score: {last['score']:.1%} of {last['sampled']} sampled mutants killed"
            f"{rest} (goal 85%; {last['when']}, seed {last['seed']}, {last['minutes']} min"
            f"{under}; refresh with .venv/bin/python bench/mutation.py)")


def main() -> int:
    args = parser(__doc__).parse_args()
    rows = []
    for name in BENCHES:
        if not (HERE / name).exists():
            continue
        ok, last, seconds = run(name)
        rows.append((name, ok, last, seconds))
        print(f"{'ok    ' if ok else 'MISSED'} {name:<20} {seconds:6.1f} s  {last}", flush=True)
    print()
    print(f"{'bench':<20} {'ok':<6} figures and goals")
    for name, ok, last, _ in rows:
        print(f"{name:<20} {'yes' if ok else 'NO':<6} {last}")
    missed = [name for name, ok, *_ in rows if not ok]
    print(f"{len(rows) - len(missed)} of {len(rows)} benchmarks met their goals"
          + (f"; missed: {', '.join(missed)}" if missed else ""))
    print(mutation_line())
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
