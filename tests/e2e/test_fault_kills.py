"""SIGKILL at chosen system calls of recovery, the daily backup and export: whichever rename
or fsync the process dies at (just before it, or just after), nothing acknowledged is lost,
the person is told what happened, and no half-made file is ever taken for a real one.

Each case runs tests/e2e/faulty.py, which replaces os.replace / os.rename / os.fsync so that
its Nth call kills the process. The number of calls is first counted in a run without a fault,
so every call of the operation is tried. "Acknowledged" here is everything committed to the
journal before the operation started: the sessions the test wrote and closed.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from app import paths
from app.storage import backup as backups
from app.storage.recovery import damaged_copies, open_journal
from tests.support.files import session_names

FAULTY = Path(__file__).with_name("faulty.py")
TODAY = date.today()
CALLS = ("replace", "rename", "fsync")


def run(env: dict[str, str], call: str, nth: int, when: str, *operation: str
        ) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(FAULTY), call, str(nth), when, *operation],
                          env=env, capture_output=True, text=True, timeout=120)


def calls_made(env, template: Path, home: Path, call: str, *operation: str) -> int:
    restore(template, home)
    done = run(env, call, 0, "before", *operation)
    assert done.returncode in (0, 1), done.stderr[-2000:]
    [count] = [int(line.split()[2]) for line in done.stdout.splitlines()
               if line.startswith(f"calls {call} ")]
    return count


def faults(env, template: Path, home: Path, *operation: str):
    """Every (call, N, when) the operation makes, after restoring the home each time."""
    for call in CALLS:
        for nth in range(1, calls_made(env, template, home, call, *operation) + 1):
            for when in ("before", "after"):
                restore(template, home)
                yield call, nth, when, run(env, call, nth, when, *operation)


def restore(template: Path, home: Path) -> None:
    shutil.rmtree(home)
    shutil.copytree(template, home, symlinks=True)


def sessions_in(path: Path) -> set[str]:
    return set(session_names(path))


def use(journal_path: Path, names_per_day: list[list[str]], last_day: date) -> None:
    """Open on consecutive days ending the day before `last_day`, adding named sessions."""
    first = last_day - timedelta(days=len(names_per_day))
    for offset, names in enumerate(names_per_day):
        journal, _ = open_journal(journal_path, today=first + timedelta(days=offset))
        for name in names:
            journal.start_session(name, "Practice")
        journal.close()


@pytest.fixture
def env(securebase_home) -> dict[str, str]:
    return {**os.environ, "SECUREBASE_HOME": str(securebase_home)}


@pytest.fixture
def template(tmp_path) -> Path:
    return tmp_path / "template"


def freeze(home: Path, template: Path) -> None:
    shutil.copytree(home, template, symlinks=True)


def test_recovery_killed_at_any_rename_or_fsync(env, securebase_home, template):
    journal_path = paths.journal_file()
    use(journal_path, [["a", "b", "c"], ["d"], []], TODAY)   # copies: {a,b,c} and {a,b,c,d}
    journal, _ = open_journal(journal_path, today=TODAY - timedelta(days=1))
    journal.start_session("after-copy", "Practice")          # only in the journal
    journal.close()
    journal_path.write_bytes(journal_path.read_bytes()[:4096] + os.urandom(8192))
    damaged = hashlib.sha256(journal_path.read_bytes()).hexdigest()
    freeze(securebase_home, template)
    kills = 0
    for call, nth, when, done in faults(env, template, securebase_home, "prepare",
                                        str(journal_path), TODAY.isoformat()):
        kills += done.returncode == -signal.SIGKILL
        journal, notices = open_journal(journal_path, today=TODAY)     # the next start
        where = f"killed {when} {call} #{nth}"
        assert {s.practice_id for s in journal.sessions()} == {"a", "b", "c", "d"}, where
        journal.close()
        said = " ".join(notices) + " ".join(line for line in done.stdout.splitlines()
                                           if line.startswith("notice"))
        assert "brought back the safety copy" in said, where
        kept = [hashlib.sha256(p.read_bytes()).hexdigest() for p in damaged_copies()]
        assert damaged in kept, where                        # "after-copy" is still in there
        assert not list(securebase_home.glob("journal.db.re*")), where
        assert max(len(b.content.counts) and b.content.sessions
                   for b in backups.survey()[0]) == 4, where
    assert kills >= 10


def test_daily_backup_killed_at_any_rename_or_fsync(env, securebase_home, template):
    journal_path = paths.journal_file()
    use(journal_path, [[f"day{i}"] for i in range(9)], TODAY)   # 7 copies kept, then more
    everything = sessions_in(journal_path)
    freeze(securebase_home, template)
    kills = 0
    for call, nth, when, done in faults(env, template, securebase_home, "prepare",
                                        str(journal_path), TODAY.isoformat()):
        kills += done.returncode == -signal.SIGKILL
        where = f"killed {when} {call} #{nth}"
        assert sessions_in(journal_path) == everything, where
        journal, _ = open_journal(journal_path, today=TODAY)  # the next start finishes
        journal.close()
        readable, unreadable = backups.survey()
        assert unreadable == [] and len(readable) == backups.KEEP, where
        assert readable[-1].content.sessions == len(everything), where
        assert not list(paths.backups_dir().glob(".*partial")), where
    assert kills >= 4


@pytest.mark.parametrize("fmt,name", [("json", "out.json"), ("csv", "out.zip")])
def test_export_killed_at_any_rename_or_fsync(env, securebase_home, template, fmt, name):
    journal_path = paths.journal_file()
    use(journal_path, [["a", "b"], ["c"]], TODAY)
    before = hashlib.sha256(journal_path.read_bytes()).hexdigest()
    out = securebase_home / "exports" / name
    out.parent.mkdir(mode=0o700)
    out.write_bytes(b"an older export")
    freeze(securebase_home, template)
    kills = 0
    for call, nth, when, done in faults(env, template, securebase_home, "export", fmt,
                                        str(out)):
        kills += done.returncode == -signal.SIGKILL
        where = f"killed {when} {call} #{nth}"
        assert hashlib.sha256(journal_path.read_bytes()).hexdigest() == before, where
        assert out.read_bytes() == b"an older export" or complete(out, fmt), where
        again = run(env, "fsync", 0, "before", "export", fmt, str(out))
        assert again.returncode == 0, again.stderr
        assert complete(out, fmt), where
        assert [p.name for p in out.parent.iterdir()] == [name], where   # no partials left
    assert kills >= 3


def complete(out: Path, fmt: str) -> bool:
    if fmt == "json":
        return len(json.loads(out.read_text())["tables"]["sessions"]) == 3
    import zipfile
    with zipfile.ZipFile(out) as archive:
        return archive.testzip() is None and "sessions.csv" in archive.namelist()
