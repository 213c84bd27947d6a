"""Little ever lives only in the -wal, and what goes wrong with it is noticed: a checkpoint at
the end of each session and on close, a -wal deleted while the journal is open, one flipped
byte in a -wal left over by a crash."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap

import pytest

from app import paths
from app.storage import wal
from app.storage.journal import Journal
from tests.support.big_files import fill_wal
from tests.support.files import sessions_in
from app.storage.recovery import prepare_journal

ROOT = paths.PROJECT_ROOT
CRASHER = textwrap.dedent("""
    import os, signal, sys
    from app.storage.journal import Journal
    journal = Journal(sys.argv[1])
    for i in range(int(sys.argv[2])):
        journal.start_session(f"p{i}", "Practice")
    os.kill(os.getpid(), signal.SIGKILL)      # no close, no checkpoint: the -wal stays
""")


def crash_after(path, sessions: int) -> None:
    done = subprocess.run([sys.executable, "-c", CRASHER, str(path), str(sessions)], cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60)
    assert done.returncode == -9



def what_a_crash_leaves(path, into) -> None:
    """Copy the journal's files as they are on disk now, with the connection still open: the
    same files a SIGKILL at this moment would leave."""
    into.mkdir()
    for suffix in ("", "-wal"):
        if os.path.exists(str(path) + suffix):
            shutil.copyfile(str(path) + suffix, into / f"journal.db{suffix}")


def test_ending_a_session_checkpoints_the_wal(journal_path):
    journal = Journal(journal_path)
    session = journal.start_session("x", "X")
    for step in range(10):
        journal.log_step(session, f"s{step}", "started")
    assert os.path.getsize(wal.wal_path(journal_path)) > 0
    journal.end_session(session, "completed")
    assert os.path.getsize(wal.wal_path(journal_path)) == 0   # all of it in journal.db
    journal.close()


def test_closing_checkpoints_even_while_a_reader_is_open(journal_path):
    journal = Journal(journal_path)
    reader = sqlite3.connect(journal_path)
    journal.start_session("x", "X")
    reader.execute("SELECT count(*) FROM sessions").fetchall()   # so SQLite's own close
    journal.close()                                               # is not the last one
    assert os.path.getsize(wal.wal_path(journal_path)) == 0
    reader.close()


def test_a_wal_deleted_while_open_loses_nothing_in_a_crash(journal_path, tmp_path):
    journal = Journal(journal_path)
    for i in range(11):
        journal.start_session(f"p{i}", "Before")
    os.unlink(wal.wal_path(journal_path))            # a clean-up program
    journal.start_session("after", "After")          # noticed after this commit
    assert journal.notices == [wal.WAL_VANISHED]
    journal.start_session("later", "Later")
    what_a_crash_leaves(journal_path, tmp_path / "crashed")
    assert sessions_in(tmp_path / "crashed" / "journal.db") == 13
    journal.close()
    assert sessions_in(journal_path) == 13
    assert prepare_journal(journal_path) == [wal.WAL_VANISHED]   # said at the next start,
    assert prepare_journal(journal_path) == []                   # once


def test_a_left_over_wal_from_a_crash_is_replayed_without_a_word(journal_path):
    crash_after(journal_path, 20)
    assert wal.scan(wal.wal_path(journal_path)).lost_commits == 0
    assert prepare_journal(journal_path) == []
    assert sessions_in(journal_path) == 20


def test_a_flipped_byte_in_a_left_over_wal_is_said_and_the_wal_kept(journal_path):
    crash_after(journal_path, 20)
    log = wal.wal_path(journal_path)
    found = wal.scan(log)
    page_size = int.from_bytes(log.read_bytes()[8:12], "big")
    frame = wal.FRAME_HEADER + page_size
    middle = wal.HEADER + (found.frames // 2) * frame + wal.FRAME_HEADER + 100
    data = bytearray(log.read_bytes())
    data[middle] ^= 0x01
    log.write_bytes(bytes(data))
    damaged = bytes(data)

    notices = prepare_journal(journal_path)
    assert len(notices) == 1 and "could not be brought back" in notices[0]
    kept = [p for p in journal_path.parent.glob("journal.db.damaged-*-wal")]
    assert len(kept) == 1 and kept[0].read_bytes() == damaged and str(kept[0]) in notices[0]
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600"
    assert 0 < sessions_in(journal_path) < 20          # SQLite replayed the good part


def test_scanning_a_4_mb_wal_reads_each_byte_once(journal_path, monkeypatch):
    """The scan runs before the window opens after a crash, so it must stay linear: every byte
    of the log is read once and checksummed at most once (a per-frame re-sum from the start
    would take minutes on SQLite's 4 MB log). Judged by the bytes summed, not by a clock."""
    journal = Journal(journal_path)
    log = fill_wal(journal, 4_000_000)
    summed = []
    real = wal._checksum
    monkeypatch.setattr(wal, "_checksum",
                        lambda data, *rest: (summed.append(len(data)), real(data, *rest))[1])
    found, size = wal.scan(log), os.path.getsize(log)
    journal.close()                                  # (closing checkpoints the log away)
    assert found.frames > 900 and found.lost_commits == 0
    assert len(summed) == found.frames + 1          # the header, then each frame once
    assert sum(summed) <= size


@pytest.mark.parametrize("content", [b"", b"x" * 31, b"\x00" * 4096])
def test_a_wal_that_is_not_a_wal_is_ignored_like_sqlite_does(tmp_path, content):
    path = tmp_path / "j.db-wal"
    path.write_bytes(content)
    assert wal.scan(path) is None


WRITER = textwrap.dedent("""
    import sys
    from app.storage.journal import Journal
    journal = Journal(sys.argv[1])
    i = 0
    while True:
        print(journal.start_session(f"p{i}", "Practice"), flush=True)   # after the commit
        i += 1
""")


def test_a_wal_deleted_under_a_running_writer_then_sigkill_loses_nothing_acknowledged(
        journal_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(journal_path)], cwd=ROOT,
                              env={**os.environ, "PYTHONPATH": str(ROOT)},
                              stdout=subprocess.PIPE, text=True)
    acked = [int(writer.stdout.readline()) for _ in range(30)]
    os.unlink(wal.wal_path(journal_path))                 # a clean-up program, mid-run
    acked += [int(writer.stdout.readline()) for _ in range(5)]
    writer.kill()                                         # SIGKILL
    rest, _ = writer.communicate(timeout=10)
    acked += [int(line) for line in rest.splitlines(keepends=True) if line.endswith("\n")]
    conn = sqlite3.connect(journal_path)
    stored = {row[0] for row in conn.execute("SELECT id FROM sessions")}
    conn.close()
    assert set(acked) <= stored, f"lost {sorted(set(acked) - stored)[:10]}"
