"""Backups that keep the person's records whatever happens to the journal file or the clock:
an empty, missing or one-byte journal is never silently replaced; copies are chosen and rotated
by what they hold; a clock jump is said; one unreadable copy never stops the app; a restore
killed part-way is still explained at the next start."""
from __future__ import annotations

import os
import sqlite3
from datetime import date, timedelta

import pytest

from app import paths
from app.storage import backup as backups
from app.storage import recovery
from app.storage.recovery import damaged_copies, open_journal, prepare_journal
from tests.support.files import sessions_in

TODAY = date(2026, 3, 4)


@pytest.fixture(autouse=True)
def entries_dated(monkeypatch):
    """Entries carry the date the test says it is (`entries_dated.day = …`), not the machine's."""
    class Clock:
        day = TODAY
    clock = Clock()
    monkeypatch.setattr("app.storage.journal.now_iso", lambda: f"{clock.day}T10:00:00+00:00")
    return clock



def use_for_days(path, sessions_per_day: list[int], start: date = TODAY, clock=None) -> None:
    """Open the journal on consecutive days (first open of each day makes that day's copy),
    adding the given number of sessions each day."""
    for offset, count in enumerate(sessions_per_day):
        day = start + timedelta(days=offset)
        if clock is not None:
            clock.day = day
        journal, _ = open_journal(path, today=day)
        for i in range(count):
            journal.start_session(f"p{offset}-{i}", "Practice")
        journal.close()


# -- 1. empty, missing, one-byte or schema-less journal beside real backups -----------------

def make_empty(path):
    path.write_bytes(b"")


def make_missing(path):
    path.unlink()


def make_one_byte(path):
    path.write_bytes(b"\x00")


def make_schema_only(path):
    path.unlink()
    from app.storage.journal import Journal
    Journal(path).close()


@pytest.mark.parametrize("breakage", [make_empty, make_missing, make_one_byte,
                                      make_schema_only],
                         ids=["empty", "missing", "one-byte", "schema-only"])
def test_a_journal_holding_nothing_beside_backups_brings_the_fullest_back(journal_path,
                                                                          breakage):
    use_for_days(journal_path, [3, 2, 0])          # copies hold 3, 5 sessions
    breakage(journal_path)
    journal, notices = open_journal(journal_path, today=TODAY + timedelta(days=3))
    assert journal.counts()["sessions"] == 5
    journal.close()
    assert len(notices) == 1
    assert "5 sessions" in notices[0] and "brought back" in notices[0]
    assert "Friday 6 March 2026" in notices[0]          # the copy made on day three
    if breakage is not make_missing:                # whatever was there is kept
        assert len(damaged_copies(journal_path)) == 1
        assert str(damaged_copies(journal_path)[0]) in notices[0]


def test_an_empty_journal_is_never_copied_and_never_crowds_out_real_copies(journal_path):
    use_for_days(journal_path, [4, 0])              # the second start copies the first day
    make_empty(journal_path)
    # the old behaviour: a fresh journal each day, copied each day, real copies rotated out
    for offset in range(1, 12):
        journal, _ = open_journal(journal_path, today=TODAY + timedelta(days=offset))
        journal.close()
    held = [b.content.sessions for b in backups.survey()[0]]
    assert max(held) == 4 and 0 not in held


def test_a_copy_with_fewer_records_never_pushes_out_the_fullest(journal_path):
    use_for_days(journal_path, [5, 0])
    # seven later copies of a journal that lost most of its records
    conn = sqlite3.connect(journal_path)
    conn.execute("DELETE FROM sessions WHERE id > 1")
    conn.commit()
    conn.close()
    use_for_days(journal_path, [0] * 8, start=TODAY + timedelta(days=1))
    ranked, _ = backups.survey()
    assert len(ranked) == backups.KEEP
    assert ranked[-1].content.sessions == 5               # the fullest is kept, and ranked newest
    assert any(b.day == TODAY + timedelta(days=8) for b in ranked)   # so is the one just made


def test_export_does_not_write_a_schema_into_an_empty_journal(journal_path, tmp_path, capsys):
    from app.__main__ import main
    use_for_days(journal_path, [3, 0])
    make_empty(journal_path)
    code = main(["export", "--format", "json", "--out", str(tmp_path / "out.json")])
    assert journal_path.read_bytes() == b""
    assert code == 1 and not (tmp_path / "out.json").exists()
    message = capsys.readouterr().err
    assert "empty" in message and "3 sessions" in message and "Traceback" not in message


# -- 2. a clock that jumps ------------------------------------------------------------------

def test_a_copy_made_with_the_clock_far_ahead_is_not_preferred_later(journal_path,
                                                                     entries_dated):
    use_for_days(journal_path, [3], clock=entries_dated)
    entries_dated.day = date(2099, 1, 1)                 # one start with the clock at 2099
    journal, notices = open_journal(journal_path, today=date(2099, 1, 1))
    journal.start_session("far", "Far ahead")
    journal.close()
    assert any("2099" in n and "welcome back" in n for n in notices)
    use_for_days(journal_path, [2, 2], start=TODAY + timedelta(days=1), clock=entries_dated)
    recovery.recover(journal_path)                       # as after damage
    assert sessions_in(journal_path) == 6                # 3 + 1 + 2: the fullest copy
    assert any(b.day.year == 2099 for b in backups.list_backups())


def test_a_clock_set_back_does_not_rotate_new_copies_out(journal_path, entries_dated):
    use_for_days(journal_path, [1] * 7, start=TODAY, clock=entries_dated)
    past = TODAY - timedelta(days=400)
    entries_dated.day = past
    notices = prepare_journal(journal_path, today=past)
    assert any("clock says" in n and "Wednesday 4 March 2026" not in n for n in notices)
    assert any("10 March 2026" in n for n in notices)    # the latest date already seen
    made = [b for b in backups.list_backups() if b.day == past]
    assert len(made) == 1                                # made, and kept
    assert backups.survey()[0][-1].path == made[0].path  # and ranked newest by content


def test_a_clock_set_back_onto_a_day_with_an_old_copy_still_makes_a_new_copy(journal_path,
                                                                            entries_dated):
    use_for_days(journal_path, [1, 1, 1], clock=entries_dated)
    entries_dated.day = TODAY                            # the clock goes back two days
    journal, _ = open_journal(journal_path, today=TODAY)
    journal.start_session("late", "Late")
    journal.close()
    prepare_journal(journal_path, today=TODAY + timedelta(days=1))   # a "day" seen already
    newest = backups.survey()[0][-1]
    assert newest.content.sessions == 4


def test_a_clock_put_right_after_one_start_at_2099_is_said_once(journal_path, entries_dated):
    use_for_days(journal_path, [1, 1], clock=entries_dated)
    entries_dated.day = date(2099, 1, 1)
    prepare_journal(journal_path, today=date(2099, 1, 1))          # no entry, just a start
    said = []
    for offset in range(2, 6):                                     # the clock is right again
        entries_dated.day = TODAY + timedelta(days=offset)
        journal, notices = open_journal(journal_path, today=TODAY + timedelta(days=offset))
        journal.start_session("back", "Back")
        journal.close()
        said.append([n for n in notices if "clock" in n])
    assert len(said[0]) == 1 and "2099" in said[0][0]
    assert said[1:] == [[], [], []]


def test_no_clock_notice_on_an_ordinary_day(journal_path, entries_dated):
    use_for_days(journal_path, [1, 1], clock=entries_dated)
    entries_dated.day = TODAY + timedelta(days=2)
    assert prepare_journal(journal_path, today=TODAY + timedelta(days=2)) == []


# -- 6. one unreadable backup never stops the app -------------------------------------------

def test_a_folder_named_like_the_newest_backup_does_not_stop_recovery(journal_path):
    use_for_days(journal_path, [2, 1, 1])          # copies: 2 and 3 sessions
    (paths.backups_dir() / backups.backup_name(TODAY + timedelta(days=3))).mkdir()
    journal_path.write_bytes(os.urandom(8192))
    journal, notices = open_journal(journal_path, today=TODAY + timedelta(days=3))
    assert journal.counts()["sessions"] == 3 and "3 sessions" in notices[0]
    journal.close()
    # and the next day's copy is still made, rotation never trips over the folder
    use_for_days(journal_path, [1] * 9, start=TODAY + timedelta(days=4))
    assert (paths.backups_dir() / backups.backup_name(TODAY + timedelta(days=3))).is_dir()


@pytest.mark.parametrize("bad", ["garbage", "unreadable", "empty"])
def test_an_unreadable_newest_backup_falls_back_to_the_next(journal_path, bad):
    use_for_days(journal_path, [2, 1, 0])          # copies: 2 and 3 sessions
    newest = backups.survey()[0][-1].path
    if bad == "garbage":
        newest.write_bytes(os.urandom(4096))
    elif bad == "empty":
        newest.write_bytes(b"")
    else:
        newest.unlink()
        newest.symlink_to(newest.with_name("nowhere"))
    journal_path.write_bytes(b"not a database at all")
    journal, notices = open_journal(journal_path, today=TODAY + timedelta(days=2))
    assert journal.counts()["sessions"] == 2 and "2 sessions" in notices[0]
    journal.close()


# -- 5. a restore killed part-way -----------------------------------------------------------

class Killed(BaseException):
    """Stands in for SIGKILL in-process (tests/e2e has the real one)."""


@pytest.mark.parametrize("step", [1, 2, 3, 4],
                         ids=["copied", "noted", "moved-aside", "renamed-in"])
def test_a_restore_stopped_part_way_is_finished_and_explained(journal_path, monkeypatch,
                                                              step):
    """Each rename of the restore, interrupted: the copy is finished and the person told."""
    use_for_days(journal_path, [3, 0])
    journal, _ = open_journal(journal_path, today=TODAY + timedelta(days=1))
    for _ in range(4):
        journal.start_session("lost", "Lost")       # after the last copy
    journal.close()
    journal_path.write_bytes(os.urandom(8192))
    renames = {"n": 0}
    real_rename, real_replace = os.rename, os.replace

    def counting(real):
        def call(src, dst, *args, **kwargs):
            # 1 backup → .restoring, 2 note, 3 journal → aside, 4 .restoring → journal
            if str(dst).startswith(str(journal_path)):
                renames["n"] += 1
                if renames["n"] == step:
                    raise Killed()
            return real(src, dst, *args, **kwargs)
        return call
    with monkeypatch.context() as patched, pytest.raises(Killed):
        patched.setattr(os, "rename", counting(real_rename))
        patched.setattr(os, "replace", counting(real_replace))
        prepare_journal(journal_path, today=TODAY + timedelta(days=2))

    journal, notices = open_journal(journal_path, today=TODAY + timedelta(days=2))
    assert journal.counts()["sessions"] == 3
    journal.close()
    said = " ".join(notices)
    assert "Anything recorded after that copy is not in the journal now" in said
    assert "Thursday 5 March 2026" in said or "Wednesday 4 March 2026" in said
    assert not journal_path.with_name("journal.db.restoring").exists()
    assert not journal_path.with_name("journal.db.recovering").exists()
    assert damaged_copies(journal_path)
