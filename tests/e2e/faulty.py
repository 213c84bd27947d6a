"""Run one journal operation with a fault injected at a chosen system call: the Nth call of
os.replace / os.rename / os.fsync kills this process with SIGKILL, just before the call or
just after it. Used by tests/e2e/test_fault_kills.py.

    python faulty.py CALL N WHEN OPERATION [ARGS…]
    CALL: replace | rename | fsync     N: 1, 2, …  (0: never; prints "calls CALL K" at exit)
    WHEN: before | after
    OPERATION: prepare JOURNAL YYYY-MM-DD      (open: recovery, daily backup, rotation)
               export FORMAT OUT               (securebase export, the person's own journal)
"""
from __future__ import annotations

import os
import signal
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def inject(call: str, nth: int, when: str) -> dict[str, int]:
    real = getattr(os, call)
    seen = {"calls": 0}

    def faulty(*args, **kwargs):
        seen["calls"] += 1
        if seen["calls"] == nth and when == "before":
            os.kill(os.getpid(), signal.SIGKILL)
        result = real(*args, **kwargs)
        if seen["calls"] == nth and when == "after":
            os.kill(os.getpid(), signal.SIGKILL)
        return result
    setattr(os, call, faulty)
    return seen


def main() -> int:
    call, nth, when, operation, *args = sys.argv[1:]
    seen = inject(call, int(nth), when)
    if operation == "prepare":
        from app.storage.recovery import prepare_journal
        for notice in prepare_journal(Path(args[0]), today=date.fromisoformat(args[1])):
            print("notice", notice.replace("\n", " "))
        code = 0
    else:
        from app.__main__ import main as securebase
        code = securebase(["export", "--format", args[0], "--out", args[1]])
    print("calls", call, seen["calls"], flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
