"""`securebase doctor`: a plain report of the journal, its copies and the folder's privacy,
exit 1 when something needs attention, and nothing changed by looking."""
from __future__ import annotations

import os
from datetime import date, timedelta

import pytest

from app import paths
from app.__main__ import main
from app.storage import backup as backups
from app.storage.doctor import examine
from app.storage.recovery import open_journal

TODAY = date(2026, 3, 4)


@pytest.fixture(autouse=True)
def entries_dated_today(monkeypatch):
    monkeypatch.setattr("app.storage.journal.now_iso", lambda: f"{TODAY}T10:00:00+00:00")


@pytest.fixture
def used(journal_path):
    """Three days of use: copies holding 2 and 3 sessions, a journal holding 4."""
    for offset, count in enumerate([2, 1, 1]):
        journal, _ = open_journal(journal_path, today=TODAY + timedelta(days=offset))
        for i in range(count):
            journal.start_session(f"p{i}", "Practice")
        journal.close()
    return journal_path


def everything(root) -> dict[str, tuple]:
    """Name, size, mode and modification time of every file and folder: what "changes
    nothing" means."""
    found = {}
    for path in (root, *root.rglob("*")):
        info = os.lstat(path)
        found[str(path)] = (info.st_size, info.st_mode, info.st_mtime_ns)
    return found


def run_doctor(capsys) -> tuple[int, str]:
    """Exit code and the report with its line wrapping undone (so phrases can be found)."""
    code = main(["doctor"])
    return code, " ".join(capsys.readouterr().out.split())


def test_a_well_kept_journal_is_reported_and_exits_0(used, capsys, monkeypatch):
    monkeypatch.setattr("app.storage.doctor.date", type("D", (date,), {
        "today": staticmethod(lambda: TODAY + timedelta(days=2))}))
    code, out = run_doctor(capsys)
    assert code == 0, out
    assert "passed SQLite's full integrity check" in out
    assert "It holds 4 sessions" in out and "Wednesday 4 March 2026" in out
    assert "journal-2026-03-06.db: Friday 6 March 2026, 3 sessions." in out
    assert "journal-2026-03-05.db: Thursday 5 March 2026, 2 sessions." in out
    assert "brought back would be journal-2026-03-06.db" in out
    assert "Only you can open the folder" in out and "Everything looks well." in out
    assert "Traceback" not in out


def test_looking_changes_nothing(used, securebase_home, capsys):
    (securebase_home / "cache").mkdir(mode=0o755)
    os.chmod(securebase_home / "cache", 0o755)
    before = everything(securebase_home)
    run_doctor(capsys)
    assert everything(securebase_home) == before


@pytest.mark.parametrize("trouble,said", [
    ("damaged", "It is damaged"),
    ("empty", "It is empty (0 bytes)"),
    ("loose", "cache (755) can be opened by other people"),
    ("folder-copy", "is named like a safety copy but is not a file"),
    ("garbage-copy", "cannot be read as a safety copy"),
    ("fewer", "The journal holds fewer records"),
    ("restoring", "a restore that did not finish"),
])
def test_what_needs_attention_is_said_and_exits_1(used, securebase_home, capsys, trouble,
                                                  said):
    folder = paths.backups_dir()
    if trouble == "damaged":
        used.write_bytes(os.urandom(8192))
    elif trouble == "empty":
        used.write_bytes(b"")
    elif trouble == "loose":
        (securebase_home / "cache").mkdir()
        os.chmod(securebase_home / "cache", 0o755)
    elif trouble == "folder-copy":
        (folder / backups.backup_name(TODAY + timedelta(days=9))).mkdir(mode=0o700)
    elif trouble == "garbage-copy":
        (folder / backups.backup_name(TODAY + timedelta(days=9))).write_bytes(b"x" * 100)
    elif trouble == "fewer":
        import sqlite3
        conn = sqlite3.connect(used)
        conn.execute("DELETE FROM sessions")
        conn.commit()
        conn.close()
    elif trouble == "restoring":
        used.with_name("journal.db.restoring").write_bytes(b"")
    code, out = run_doctor(capsys)
    assert code == 1 and said in out and "NEEDS ATTENTION" in out, out
    assert "Nothing was changed." in out and "Traceback" not in out


def test_a_damaged_left_over_wal_is_reported(journal_path, capsys):
    from tests.storage.test_wal import crash_after
    crash_after(journal_path, 20)
    log = journal_path.with_name("journal.db-wal")
    data = bytearray(log.read_bytes())
    data[32 + 24 + 200] ^= 0xFF                      # inside the first frame's page
    log.write_bytes(bytes(data))
    code, out = run_doctor(capsys)
    assert code == 1 and "working file is damaged" in out
    assert log.read_bytes() == bytes(data)           # still there for the window to keep


def test_a_clock_jump_is_reported(used):
    report = examine(today=TODAY - timedelta(days=30))
    assert report.attention == 1
    assert "clock says" in report.text()


def test_no_journal_yet_is_well(capsys):
    code, out = run_doctor(capsys)
    assert code == 0 and "There is no journal yet" in out
