"""JournalService: off the GUI thread, in order, one failure handler, a typed changed signal,
and nothing the person gave lost when a write fails (disk full)."""
from __future__ import annotations

import threading
from pathlib import Path

import pytest

from app.core.records import BodyMark, CheckIn
from app.qt.journal_service import JournalChange, JournalProblem, JournalService, Table
from app.storage.journal import Journal
from tests.support.disk import tiny_disk  # noqa: F401  (a fixture)
from tests.support.journal import read_now, settle

GUI = threading.get_ident()


@pytest.fixture
def service(qtbot, tmp_path: Path):
    made = JournalService(tmp_path / "journal.db")
    yield made
    made.close()


def test_reads_and_writes_run_in_order_on_one_thread_off_the_gui(qtbot, service, tmp_path):
    threads: set[int] = set()

    def step(j, n: int) -> int:
        threads.add(threading.get_ident())
        return j.log_step(sid, f"s{n}", "started")
    sid = service.start_session("p", "P")
    for n in range(30):
        service.write(lambda j, n=n: step(j, n), Table.STEP_EVENTS)
    events = read_now(qtbot, service, lambda j: (threads.add(threading.get_ident()),
                                                j.step_events(sid))[1])
    assert [s for s, _ in events] == [f"s{n}" for n in range(30)]
    assert len(threads) == 1 and GUI not in threads
    service.close()
    on_disk = Journal(tmp_path / "journal.db")
    assert [s for s, _ in on_disk.step_events(on_disk.sessions()[0].id)] == [
        f"s{n}" for n in range(30)]
    on_disk.close()


def test_provisional_session_id_reaches_every_later_write(qtbot, service):
    sid = service.start_session("unblending", "Unblending")
    assert sid < 0                                   # known at once, before the row exists
    service.write(lambda j: j.add_checkin(CheckIn("before", 4, session_id=sid)), Table.CHECKINS)
    service.write(lambda j: j.log_step(sid, "arrive", "started"), Table.STEP_EVENTS)
    service.write(lambda j: j.add_body_mark(BodyMark("front", "chest", 5, session_id=sid)),
                  Table.BODY_MARKS)
    service.write(lambda j: j.end_session(sid, "completed", "softer"), Table.SESSIONS)
    record, checkins, marks = read_now(qtbot, service, lambda j: (
        j.session(sid), j.checkins(sid), j.body_marks(session_id=sid)))
    assert record.id > 0 and (record.outcome, record.note) == ("completed", "softer")
    assert [c.session_id for c in checkins] == [record.id]
    assert [m.session_id for m in marks] == [record.id]


def test_changed_says_what_was_written_and_by_whom(qtbot, service):
    seen: list[JournalChange] = []
    service.changed.connect(seen.append)
    me = object()
    with qtbot.waitSignal(service.changed, timeout=5000):
        service.write(lambda j: j.add_body_mark(BodyMark("back", "neck", 3)), Table.BODY_MARKS,
                      initiator=me)
    assert seen == [JournalChange(frozenset({Table.BODY_MARKS}), me)]
    assert seen[0].touches(Table.BODY_MARKS, Table.PARTS) and not seen[0].touches(Table.PARTS)
    read_now(qtbot, service, lambda j: j.parts())      # reads change nothing
    assert len(seen) == 1


def test_one_handler_hears_every_failure_as_a_plain_sentence(qtbot, service):
    problems: list[JournalProblem] = []
    errors: list[BaseException] = []
    service.failed.connect(problems.append)
    service.read(lambda j: j.db.execute("SELECT * FROM no_such_table").fetchall(),
                 on_error=errors.append)
    qtbot.waitUntil(lambda: bool(problems), timeout=5000)
    assert "Traceback" not in problems[0].message and "no_such_table" not in problems[0].message
    assert problems[0].message.startswith("Something went wrong with your journal")
    assert len(errors) == 1                          # the asking view may restore its state


def test_a_full_disk_keeps_writes_in_memory_in_order_and_saves_them_later(qtbot, tiny_disk):
    service = JournalService(tiny_disk.root / "journal.db")
    problems: list[JournalProblem] = []
    service.failed.connect(problems.append)
    settle(qtbot, service)                            # opened (and backed up) with room to spare
    tiny_disk.fill()
    sid = service.start_session("p", "P")
    service.write(lambda j: j.log_step(sid, "one", "started"), Table.STEP_EVENTS,
                  what="this step")
    service.write(lambda j: j.end_session(sid, "completed", "I felt my shoulders drop"),
                  Table.SESSIONS, what="your check-out", keep="I felt my shoulders drop")
    settle(qtbot, service)
    assert problems and problems[-1].kind == "full"
    assert "disk is full" in problems[-1].message and problems[-1].unsaved == 3
    assert problems[-1].has_text
    assert service.unsaved() == ["the start of this practice", "this step", "your check-out"]
    assert service.unsaved_text() == "I felt my shoulders drop"
    assert read_now(qtbot, service, lambda j: j.sessions()) == []

    tiny_disk.free()                                  # the person made room
    with qtbot.waitSignal(service.unsaved_changed, timeout=5000,
                          check_params_cb=lambda n: n == 0):
        service.retry()
    record = read_now(qtbot, service, lambda j: j.session(sid))
    assert (record.outcome, record.note) == ("completed", "I felt my shoulders drop")
    assert read_now(qtbot, service, lambda j: j.step_events(sid)) == [("one", "started")]
    assert service.unsaved() == [] and service.unsaved_text() == ""
    service.close()


def test_a_write_refused_for_good_is_dropped_but_its_text_is_kept(qtbot, service):
    problems: list[JournalProblem] = []
    service.failed.connect(problems.append)
    service.write(lambda j: j.add_checkin(CheckIn("after", 42, note="still here")),
                  Table.CHECKINS, keep="still here")                # intensity out of range
    service.write(lambda j: j.add_body_mark(BodyMark("front", "chest", 2)), Table.BODY_MARKS)
    marks = read_now(qtbot, service, lambda j: j.body_marks())
    assert len(marks) == 1                            # later writes were not held up
    assert len(problems) == 1 and service.unsaved() == []
    assert service.unsaved_text() == "still here"


def test_query_runs_on_its_own_connection_and_sees_earlier_writes(qtbot, service):
    sid = service.start_session("p", "P")
    got: list = []
    service.query(lambda readable: (threading.get_ident(), type(readable).__name__,
                                    readable.db.execute("SELECT COUNT(*) FROM sessions")
                                    .fetchone()[0]), on_done=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=5000)
    thread, kind, sessions = got[0]
    assert thread != GUI and kind == "ReadOnlyJournal" and sessions == 1
    assert sid < 0


def test_opening_says_what_recovery_did(qtbot, tmp_path):
    damaged = tmp_path / "journal.db"
    damaged.write_bytes(b"this is not a journal at all" * 100)
    service = JournalService(damaged)
    with qtbot.waitSignal(service.opened, timeout=5000) as opened:
        service.open()
    assert any("set it aside" in n for n in opened.args[0])
    service.close()


def test_callbacks_skip_a_view_that_has_gone(qtbot, service):
    from PySide6.QtCore import QObject
    view = QObject()
    called: list = []
    service.read(lambda j: j.parts(), on_done=called.append, owner=view)
    view.deleteLater()
    qtbot.wait(1)                                     # process the deferred delete
    settle(qtbot, service)
    assert called == []


def test_writes_waiting_for_room_are_saved_by_themselves_once_there_is_room(qtbot, tiny_disk,
                                                                            monkeypatch):
    import app.qt.journal_service as journal_service
    monkeypatch.setattr(journal_service, "RETRY_MS", 100)     # 15 s in the app
    service = JournalService(tiny_disk.root / "journal.db")
    settle(qtbot, service)
    tiny_disk.fill()
    sid = service.start_session("p", "P")
    settle(qtbot, service)
    assert service.unsaved() == ["the start of this practice"]
    tiny_disk.free()                                  # nobody presses anything
    with qtbot.waitSignal(service.unsaved_changed, timeout=5000,
                          check_params_cb=lambda n: n == 0):
        pass
    assert read_now(qtbot, service, lambda j: j.session(sid)).practice_id == "p"
    service.close()


def test_a_first_read_opens_the_journal_and_says_what_recovery_did(qtbot, tmp_path):
    damaged = tmp_path / "journal.db"
    damaged.write_bytes(b"this is not a journal at all" * 100)
    service = JournalService(damaged)
    with qtbot.waitSignal(service.opened, timeout=5000) as opened:
        service.read(lambda j: j.sessions())
    assert any("set it aside" in n for n in opened.args[0])
    service.close()


def test_a_view_that_is_still_there_hears_its_answer(qtbot, service):
    from PySide6.QtCore import QObject
    view = QObject()
    got: list = []
    service.write(lambda j: j.add_body_mark(BodyMark("front", "chest", 2)), Table.BODY_MARKS,
                  on_done=got.append, owner=view)
    service.read(lambda j: len(j.body_marks()), on_done=got.append, owner=view)
    qtbot.waitUntil(lambda: len(got) == 2, timeout=5000)
    assert got[1] == 1 and isinstance(got[0], int)


def test_a_read_about_a_session_still_waiting_to_be_saved_finds_nothing_of_others():
    from app.qt.journal_worker import SessionIds
    journal = Journal(":memory:")
    saved = journal.start_session("p", "P")
    journal.add_checkin(CheckIn("before", 5, session_id=saved))
    ids = SessionIds(journal, {})
    assert len(ids.checkins(saved)) == 1
    assert ids.checkins(-7) == [] and ids.step_events(-7) == []
    assert ids.session(-7) is None
    with pytest.raises(ValueError, match="never saved"):
        ids.log_step(-7, "arrive", "started")


def test_a_session_started_for_a_provisional_id_answers_with_its_real_id():
    from app.qt.journal_worker import SessionIds
    ids = SessionIds(Journal(":memory:"), {})
    real = ids.start_session("p", "P", provisional=-3)
    assert real >= 1 and ids.real(-3) == real
    ids.log_step(-3, "arrive", "started")
    assert ids.step_events(-3) == [("arrive", "started")]


def test_delete_all_my_data_drops_writes_still_waiting_and_starts_a_fresh_journal(
        qtbot, tiny_disk, monkeypatch):
    """After "delete all my data", nothing held back for want of room comes back later: not
    in the list of what waits, not in the journal that the next session opens afresh."""
    from app import paths
    from app.qt.journal_service import EVERYTHING
    monkeypatch.setenv("SECUREBASE_HOME", str(tiny_disk.root))
    service = JournalService(paths.journal_file())
    service.write(lambda j: j.add_checkin(CheckIn("after", 42, note="refused words")),
                  Table.CHECKINS, keep="refused words")      # refused for good, text kept
    settle(qtbot, service)
    tiny_disk.fill()
    sid = service.start_session("p", "P")
    service.write(lambda j: j.end_session(sid, "completed", "my words"), Table.SESSIONS,
                  what="your check-out", keep="my words")
    settle(qtbot, service)
    assert len(service.unsaved()) == 2
    assert service.unsaved_text() == "my words\n\nrefused words"
    counts: list[int] = []
    changes: list[JournalChange] = []
    service.unsaved_changed.connect(counts.append)
    service.changed.connect(changes.append)
    done: list = []
    service.delete_everything(on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    tiny_disk.free()
    assert service.unsaved() == [] and service.unsaved_text() == ""
    assert counts == [0] and changes[-1].tables == EVERYTHING
    assert paths.journal_file() in done[0].removed          # the report of what went
    service.retry()
    service.start_session("q", "Q")
    assert read_now(qtbot, service, lambda j: [s.practice_id for s in j.sessions()]) == ["q"]
    service.close()
    assert Journal(paths.journal_file()).sessions()[0].practice_id == "q"


def test_a_late_step_of_a_practice_running_during_delete_all_goes_nowhere(qtbot, service):
    """A practice still on screen when the person deleted everything may write one more step
    event: it must not land in the next practice's record (its session is gone)."""
    old = service.start_session("p", "P")
    settle(qtbot, service)
    done: list = []
    service.delete_everything(on_done=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    new = service.start_session("q", "Q")
    problems: list[JournalProblem] = []
    service.failed.connect(problems.append)
    service.write(lambda j: j.log_step(old, "arrive", "started"), Table.STEP_EVENTS)
    assert read_now(qtbot, service, lambda j: j.step_events(new)) == []
    assert len(problems) == 1 and "Traceback" not in problems[0].message


def test_finish_writes_hears_every_outcome_and_keeps_the_journal_thread(qtbot, tiny_disk):
    """For the window's close: after finish_writes the service knows what waits, with no
    event loop run; and the journal keeps its one thread. (QThreadPool.waitForDone, tried
    first, ended the thread: the sqlite3 connection then refused every later call from the
    new one under Xvfb, "SQLite objects created in a thread can only be used in that same
    thread", and a held body mark was dropped as refused for good.) The kernel's thread id
    tells the threads apart; Python's get_ident() can repeat for a new thread."""
    service = JournalService(tiny_disk.root / "journal.db")
    before = read_now(qtbot, service, lambda j: threading.get_native_id())
    tiny_disk.fill()
    service.write(lambda j: j.set_setting("x", 1), Table.SETTINGS, what="a body mark",
                  keep="a note")
    assert service.finish_writes()
    assert service.unsaved() == ["a body mark"] and service.unsaved_text() == "a note"
    tiny_disk.free()
    assert read_now(qtbot, service, lambda j: threading.get_native_id()) == before
    with qtbot.waitSignal(service.unsaved_changed, timeout=5000,
                          check_params_cb=lambda n: n == 0):
        service.retry()
    assert read_now(qtbot, service, lambda j: j.setting("x")) == 1
    service.close()


def test_a_first_write_opens_the_journal_and_says_what_recovery_did(qtbot, tmp_path):
    """The first thing done may be a write (a check-in): what recovery did is said all the same."""
    damaged = tmp_path / "journal.db"
    damaged.write_bytes(b"this is not a journal at all" * 100)
    service = JournalService(damaged)
    with qtbot.waitSignal(service.opened, timeout=5000) as opened:
        service.write(lambda j: j.add_body_mark(BodyMark("front", "chest", 2)), Table.BODY_MARKS)
    assert any("set it aside" in n for n in opened.args[0])
    service.close()


def test_a_journal_that_cannot_be_opened_is_said_and_the_next_use_tries_again(qtbot, tmp_path):
    """The data folder is briefly not a folder (a stray file where it belongs): opening the
    journal fails and is said plainly; once the folder is back, the next read opens it."""
    folder = tmp_path / "data"
    folder.write_text("not a folder")
    service = JournalService(folder / "journal.db")
    problems: list[JournalProblem] = []
    service.failed.connect(problems.append)
    service.open()                        # as the window does once it is up
    qtbot.waitUntil(lambda: bool(problems), timeout=5000)
    assert "Traceback" not in problems[0].message
    folder.unlink()
    folder.mkdir()
    with qtbot.waitSignal(service.opened, timeout=5000):
        service.read(lambda j: j.sessions())
    service.close()


def test_a_failed_open_is_said_once_though_a_read_was_waiting(qtbot, tmp_path):
    """The window opens the journal and a view asks for its first read at once: both meet
    the same failure. It is said once (it was said twice, the same words); the view still
    hears its read failed, to restore its state."""
    folder = tmp_path / "data"
    folder.write_text("not a folder")
    service = JournalService(folder / "journal.db")
    problems: list[JournalProblem] = []
    errors: list[BaseException] = []
    service.failed.connect(problems.append)
    service.open()
    service.read(lambda j: j.sessions(), on_error=errors.append)
    qtbot.waitUntil(lambda: bool(errors), timeout=5000)
    assert service.finish_writes()                  # everything asked has been heard
    assert len(problems) == 1 and "Traceback" not in problems[0].message
    service.read(lambda j: j.sessions(), on_error=errors.append)    # a later use tries again
    qtbot.waitUntil(lambda: len(errors) == 2, timeout=5000)
    assert len(problems) == 2                                         # and says so, once
    service.close()
