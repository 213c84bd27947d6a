"""Opening the journal: integrity check, damaged files moved aside, backups restored, daily
backups rotated, and locks / read-only folders / full disks reported without losing anything."""
from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
import textwrap
from datetime import date, timedelta

import pytest

from app import paths
from app.core.records import CheckIn
from app.storage import backup as backups
from app.storage.errors import JournalError
from app.storage.journal import Journal
from app.storage.recovery import check_integrity, damaged_copies, open_journal

TODAY = date(2026, 3, 4)
ROOT = paths.PROJECT_ROOT


@pytest.fixture(autouse=True)
def entries_dated_today(monkeypatch):
    """Entries carry the date these tests pretend it is, so no clock jump is seen."""
    monkeypatch.setattr("app.storage.journal.now_iso", lambda: f"{TODAY}T10:00:00+00:00")


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def journal_with_sessions(path, n: int, day: date = TODAY) -> None:
    """A closed journal with n sessions and a backup of it dated `day`."""
    journal, _ = open_journal(path, today=day)
    for i in range(n):
        journal.start_session(f"p{i}", f"Practice {i}")
    journal.close()
    backups.daily_backup(path, today=day)


def garbage(path) -> None:
    path.write_bytes(os.urandom(8192))


def truncate_half(path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def test_fresh_start_creates_a_private_journal_and_no_notice(journal_path):
    journal, notices = open_journal(journal_path, today=TODAY)
    journal.start_session("x", "X")
    assert notices == [] and mode(journal_path) == 0o600
    assert backups.list_backups() == []              # nothing to copy before the first open
    journal.close()


def test_first_open_of_the_day_makes_one_private_backup(journal_path):
    journal_with_sessions(journal_path, 2)
    journal, _ = open_journal(journal_path, today=TODAY)
    journal.start_session("later", "Later")
    journal.close()
    open_journal(journal_path, today=TODAY)[0].close()     # same day: no second copy
    found = backups.list_backups()
    assert [b.day for b in found] == [TODAY]
    assert mode(found[0].path) == 0o600 and mode(paths.backups_dir()) == 0o700
    copy = sqlite3.connect(found[0].path)
    assert copy.execute("SELECT count(*) FROM sessions").fetchone() == (2,)
    assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)   # one plain file
    copy.close()
    assert not list(paths.backups_dir().glob("*-wal"))


def test_backup_rotation_keeps_the_last_seven(journal_path):
    journal_with_sessions(journal_path, 1)
    for offset in range(1, 11):
        open_journal(journal_path, today=TODAY + timedelta(days=offset))[0].close()
    days = [b.day for b in backups.list_backups()]
    assert days == [TODAY + timedelta(days=o) for o in range(4, 11)]


def test_backup_is_consistent_while_the_window_is_writing(journal_path):
    journal, _ = open_journal(journal_path, today=TODAY)
    session = journal.start_session("x", "X")
    journal.add_checkin(CheckIn("before", 5, session_id=session))     # still in the WAL
    made = backups.daily_backup(journal_path, today=TODAY + timedelta(days=1))
    copy = sqlite3.connect(made)
    assert copy.execute("SELECT count(*) FROM checkins").fetchone() == (1,)
    copy.close()
    journal.close()


@pytest.mark.parametrize("damage", [garbage, truncate_half], ids=["garbage", "truncated"])
def test_damaged_journal_is_moved_aside_and_backup_restored(journal_path, damage):
    journal_with_sessions(journal_path, 3, day=TODAY - timedelta(days=1))  # backup: 3 sessions
    journal, _ = open_journal(journal_path, today=TODAY)
    for _ in range(40):                  # grow the file so that truncation cuts real pages
        journal.start_session("after-backup", "After the backup")
    journal.close()
    damage(journal_path)
    damaged_bytes = journal_path.read_bytes()
    assert check_integrity(journal_path) is not None

    journal, notices = open_journal(journal_path, today=TODAY)
    assert [s.practice_id for s in journal.sessions()] == ["p0", "p1", "p2"]
    assert journal.schema_version >= 2 and mode(journal_path) == 0o600
    aside = damaged_copies(journal_path)
    assert len(aside) == 1 and aside[0].read_bytes() == damaged_bytes   # kept, byte for byte
    assert aside[0].name.startswith("journal.db.damaged-")
    assert len(notices) == 1
    notice = notices[0]
    # today's copy was made at the first open, before the 40 later sessions
    assert "set it aside" in notice and "Wednesday 4 March 2026" in notice
    assert str(aside[0]) in notice and "Nothing has been deleted" in notice
    assert "Traceback" not in notice and "sqlite" not in notice.lower()
    journal.close()


def test_damaged_wal_moves_aside_with_its_journal(journal_path):
    journal_with_sessions(journal_path, 1, day=TODAY - timedelta(days=1))
    garbage(journal_path)
    wal = journal_path.with_name("journal.db-wal")
    wal.write_bytes(b"left over from the damaged file")
    journal, notices = open_journal(journal_path, today=TODAY)
    assert journal.counts()["sessions"] == 1
    [aside] = damaged_copies(journal_path)
    assert (aside.parent / (aside.name + "-wal")).read_bytes() == b"left over from the damaged file"
    assert not wal.exists() or wal.read_bytes() != b"left over from the damaged file"
    journal.close()


def test_no_backup_gives_a_fresh_journal_and_says_so(journal_path):
    garbage(journal_path)
    journal, notices = open_journal(journal_path, today=TODAY)
    assert journal.counts()["sessions"] == 0
    assert "started a fresh journal" in notices[0] and len(damaged_copies(journal_path)) == 1
    journal.close()


def test_a_damaged_backup_is_skipped_for_an_older_healthy_one(journal_path):
    journal_with_sessions(journal_path, 2, day=TODAY - timedelta(days=2))
    open_journal(journal_path, today=TODAY - timedelta(days=1))[0].close()
    garbage(backups.list_backups()[-1].path)                 # yesterday's copy is bad too
    garbage(journal_path)
    journal, notices = open_journal(journal_path, today=TODAY)
    assert journal.counts()["sessions"] == 2 and "Monday 2 March 2026" in notices[0]
    journal.close()


def test_two_recoveries_in_the_same_second_keep_both_damaged_copies(journal_path):
    for _ in range(2):
        garbage(journal_path)
        open_journal(journal_path, today=TODAY)[0].close()
    assert len(damaged_copies(journal_path)) == 2


def test_interrupted_restore_is_finished_not_replaced_by_an_empty_journal(journal_path):
    journal_with_sessions(journal_path, 2)
    os.replace(journal_path, journal_path.with_name("journal.db.restoring"))
    journal, notices = open_journal(journal_path, today=TODAY)
    assert journal.counts()["sessions"] == 2 and notices == []
    journal.close()


def test_locked_journal_is_reported_and_never_moved(journal_path, monkeypatch):
    journal_with_sessions(journal_path, 1)
    monkeypatch.setattr(backups, "BUSY_TIMEOUT_S", 0.2)
    holder = sqlite3.connect(journal_path, isolation_level=None)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("INSERT INTO settings VALUES ('k', '1')")
    try:
        with pytest.raises(JournalError) as info:
            open_journal(journal_path, today=TODAY + timedelta(days=1))
        assert info.value.kind == "locked" and "another copy" in str(info.value)
        assert damaged_copies(journal_path) == [] and journal_path.exists()
    finally:
        holder.rollback()
        holder.close()
    journal, notices = open_journal(journal_path, today=TODAY + timedelta(days=1))
    assert journal.counts()["sessions"] == 1 and notices == []
    journal.close()


def test_read_only_folder_gives_a_plain_message_and_loses_nothing(journal_path, monkeypatch):
    journal_with_sessions(journal_path, 2)
    before = journal_path.read_bytes()
    if os.geteuid() != 0:                        # a real read-only folder where we can have one
        os.chmod(journal_path.parent, 0o500)
    else:                                        # root writes anywhere: simulate what SQLite says
        real_connect = sqlite3.connect

        def refuse(target, *args, **kwargs):
            if str(target).startswith(str(journal_path)):
                raise sqlite3.OperationalError("unable to open database file")
            return real_connect(target, *args, **kwargs)
        monkeypatch.setattr(sqlite3, "connect", refuse)
    try:
        with pytest.raises(JournalError) as info:
            open_journal(journal_path, today=TODAY)
    finally:
        os.chmod(journal_path.parent, 0o700)
        monkeypatch.undo()
    assert info.value.kind == "readonly" and "nothing saved before has been lost" in str(
        info.value)
    assert journal_path.read_bytes() == before and damaged_copies(journal_path) == []


def test_new_journal_in_unwritable_place_is_a_journal_error_not_a_traceback(tmp_path,
                                                                          monkeypatch):
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(os, "open", refuse)
    with pytest.raises(JournalError) as info:
        Journal(tmp_path / "new.db")
    assert info.value.kind == "readonly"


def test_failed_daily_backup_does_not_keep_the_person_out(journal_path, monkeypatch):
    journal_with_sessions(journal_path, 1)

    def no_space(*args, **kwargs):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(backups, "_write_copy", no_space)
    journal, notices = open_journal(journal_path, today=TODAY + timedelta(days=1))
    assert journal.counts()["sessions"] == 1
    assert "safety copy" in notices[0] and "disk is full" in notices[0]
    assert [b.day for b in backups.list_backups()] == [TODAY]
    journal.close()


FULL_DISK_WRITER = textwrap.dedent("""
    import os, resource, signal, sys
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)     # get EFBIG instead of being killed
    from app.storage.errors import JournalError
    from app.storage.journal import Journal
    journal = Journal(sys.argv[1])
    session = journal.start_session("x", "X")
    limit = os.path.getsize(sys.argv[1] + "-wal") + 150_000
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    try:
        while True:
            print(journal.log_step(session, "s" * 200, "started"), flush=True)  # the longest id
    except JournalError as exc:
        print("ERROR", exc.kind, exc, flush=True)
""")


def test_full_disk_gives_a_plain_message_and_keeps_what_was_saved(journal_path):
    """A file-size limit makes SQLite's writes fail part-way, as on a full disk."""
    done = subprocess.run([sys.executable, "-c", FULL_DISK_WRITER, str(journal_path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    lines = done.stdout.splitlines()
    assert lines[-1].startswith("ERROR") and "Traceback" not in done.stderr
    assert "Everything saved before is safe" in lines[-1]
    saved = {int(line) for line in lines[:-1]}
    assert len(saved) > 5
    check = sqlite3.connect(journal_path)
    assert check.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    stored = {row[0] for row in check.execute("SELECT id FROM step_events")}
    check.close()
    assert saved <= stored


def test_opening_a_foreign_file_directly_keeps_its_wal(journal_path):
    """Journal() alone (without open_journal) must not let SQLite delete the -wal either."""
    garbage(journal_path)
    wal = journal_path.with_name("journal.db-wal")
    wal.write_bytes(b"maybe the latest records")
    with pytest.raises(JournalError) as info:
        Journal(journal_path)
    assert info.value.kind == "corrupt" and wal.read_bytes() == b"maybe the latest records"
