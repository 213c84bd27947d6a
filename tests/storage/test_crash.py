"""Kill a writing process at random moments: the journal stays sound and keeps every event
the writer reported as saved (it prints an id only after that event's commit returned)."""
from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

from app import paths
from app.storage.recovery import check_integrity, open_journal

KILLS = 24
ROOT = paths.PROJECT_ROOT
WRITER = textwrap.dedent("""
    import sys
    from app.core.records import BodyMark, CheckIn
    from app.storage.journal import Journal
    journal = Journal(sys.argv[1])
    session = journal.start_session("crash", "Crash test")
    print("S", session, flush=True)
    step = 0
    while True:
        print("E", journal.log_step(session, f"step-{step % 7}", "started"), flush=True)
        print("M", journal.add_body_mark(BodyMark("front", "throat", step % 11,
                                                  session_id=session)), flush=True)
        print("C", journal.add_checkin(CheckIn("before", step % 11, {"calm": 3},
                                               session_id=session)), flush=True)
        step += 1
""")
TABLE = {"S": "sessions", "E": "step_events", "M": "body_marks", "C": "checkins"}


def reported(output: str) -> dict[str, set[int]]:
    """Ids from complete lines only: a line cut off by the kill proves nothing."""
    saved: dict[str, set[int]] = {key: set() for key in TABLE}
    for line in output.splitlines(keepends=True):
        if line.endswith("\n"):
            key, ident = line.split()
            saved[key].add(int(ident))
    return saved


def stored(path) -> dict[str, set[int]]:
    conn = sqlite3.connect(path)
    try:
        return {key: {r[0] for r in conn.execute(f"SELECT id FROM {table}")}
                for key, table in TABLE.items()}
    finally:
        conn.close()


def test_sigkill_at_random_moments_loses_nothing_that_was_reported(journal_path):
    rng = random.Random(int(os.environ.get("CRASH_SEED", "20260304")))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    all_saved: dict[str, set[int]] = {key: set() for key in TABLE}
    mid_run = 0
    for _ in range(KILLS):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(journal_path)],
                                  stdout=subprocess.PIPE, cwd=ROOT, env=env)
        first = writer.stdout.readline()              # the session row is committed
        assert first.startswith(b"S "), first
        time.sleep(rng.uniform(0.0, 0.15))
        writer.send_signal(signal.SIGKILL)
        output = first + writer.stdout.read()
        writer.wait(10)
        assert writer.returncode == -signal.SIGKILL
        saved = reported(output.decode())
        mid_run += len(saved["E"]) > 0

        assert check_integrity(journal_path) is None          # PRAGMA integrity_check: ok
        for key, ids in saved.items():
            all_saved[key] |= ids
        present = stored(journal_path)
        for key in TABLE:
            missing = all_saved[key] - present[key]
            assert not missing, f"{TABLE[key]} lost after a kill: {sorted(missing)[:5]}"
    assert mid_run >= KILLS // 2          # most kills landed while events were being written
    assert sum(len(ids) for ids in all_saved.values()) > 100

    journal, notices = open_journal(journal_path)              # and the app opens it as usual
    assert notices == [] and journal.counts()["sessions"] == KILLS
    journal.close()
