"""A practice left mid-way ("← Practices") is offered back in the library, honestly: Continue
resumes the same session where it was; End it here, "Not now" at launch, or starting another
practice end it once, as stopped early, dated when it was last active."""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt

from app.core.session import State
from app.storage.preferences import Preferences
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from tests.support.factories import dispose, tiny_practice
from tests.support.journal import close_context, read_now, settle

STARTED, EARLIER = "2026-03-04T09:00:00+01:00", "2026-03-04T09:15:00+01:00"  # set back in time


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: False)
    other = replace(tiny_practice(2, practice_id="other"), title="Another practice")
    context = AppContext([tiny_practice(3), other], [], Preferences(),
                         journal_path=str(tmp_path / "journal.db"))
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    yield win
    if win.session is not None:
        win.session.shutdown()
        win.session.runner.stop_early()
    settle(qtbot, context.journal)
    close_context(context)
    if context._player is not None:
        dispose(context._player)


def begin(window, qtbot, index: int = 0):
    window.start_practice(window.context.practices[index], playback_rate=0.01)  # steps hold
    session = window.session
    session.checkin.intensity.setValue(3)
    qtbot.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    return session


def leave_at_step_2(window, qtbot) -> int:
    """Begin the first practice, go to its step 2, leave for the library: the session's id."""
    session = begin(window, qtbot)
    session.runner.next_step()
    qtbot.mouseClick(session.leave, Qt.MouseButton.LeftButton)
    assert window.session is None and window.library.isVisible()
    [record] = sessions(qtbot, window)
    return record.id


def band_shown(window, qtbot):
    qtbot.waitUntil(lambda: window.left_practice is not None
                    and window.left_practice.band.isVisible(), timeout=5000)
    return window.left_practice.band


def sessions(qtbot, window):
    return read_now(qtbot, window.context.journal, lambda j: j.sessions())


def set_back_in_time(qtbot, window, session_id: int) -> None:
    """It began a little before EARLIER and its last event was then: an ending dated "now"
    would show."""
    read_now(qtbot, window.context.journal, lambda j: j.db.execute(
        "UPDATE sessions SET started_at = ? WHERE id = ?", (STARTED, session_id)))
    read_now(qtbot, window.context.journal, lambda j: j.db.execute(
        "UPDATE step_events SET at = ? WHERE session_id = ?", (EARLIER, session_id)))
    read_now(qtbot, window.context.journal, lambda j: j.db.execute(
        "UPDATE checkins SET at = ? WHERE session_id = ?", (EARLIER, session_id)))


def test_leaving_mid_practice_offers_it_back_at_its_step(window, qtbot):
    leave_at_step_2(window, qtbot)
    band = band_shown(window, qtbot)
    assert band.message.text() == "You left Tiny practice at “Step 2”."
    assert band.continue_button.accessibleName() == "Continue Tiny practice at Step 2"
    assert window.library.list.hasFocus()             # offered, not pressed on the person
    [record] = sessions(qtbot, window)
    assert record.ended_at is None and record.current_step == "s2"


def test_the_band_is_reached_by_tab_where_it_is_seen(window, qtbot):
    leave_at_step_2(window, qtbot)
    band, library = band_shown(window, qtbot), window.library
    library.about_button.setFocus()
    for expected in (band.continue_button, band.end_button, library.list):
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        assert window.focusWidget() is expected


def test_continue_resumes_the_same_session_at_its_step(window, qtbot):
    session_id = leave_at_step_2(window, qtbot)
    band = band_shown(window, qtbot)
    band.continue_button.setFocus()
    qtbot.keyClick(band.continue_button, Qt.Key.Key_Space)
    resumed = window.session
    assert resumed is not None and not band.isVisible()
    assert resumed.runner.session_id == session_id and resumed.runner.index == 1
    assert resumed.runner.state is State.PAUSED and resumed.runner.before.intensity == 3
    assert [s.id for s in sessions(qtbot, window)] == [session_id]     # no new row
    kinds = read_now(qtbot, window.context.journal, lambda j: j.step_events(session_id))
    assert kinds[-1] == ("s2", "resumed")


def test_end_it_here_ends_it_once_dated_when_last_active(window, qtbot):
    session_id = leave_at_step_2(window, qtbot)
    set_back_in_time(qtbot, window, session_id)
    band = band_shown(window, qtbot)
    writes: list[str] = []
    service = window.context.journal
    real_write = service.write
    service.write = lambda fn, *tables, **kw: (writes.append(kw.get("what")),
                                               real_write(fn, *tables, **kw))[1]
    band.end_button.setFocus()
    qtbot.keyClick(band.end_button, Qt.Key.Key_Space)
    band.end_requested.emit()                         # a second press: nothing left to end
    assert writes == ["the end of the earlier practice"]
    assert not band.isVisible() and window.library.list.hasFocus()
    settle(qtbot, service, rounds=2)                  # the refresh after the write
    [record] = sessions(qtbot, window)
    assert (record.outcome, record.ended_at) == ("stopped_early", EARLIER)
    assert not band.isVisible()


def test_starting_another_practice_ends_the_one_left(window, qtbot):
    left_id = leave_at_step_2(window, qtbot)
    set_back_in_time(qtbot, window, left_id)
    window.start_practice(window.context.practices[1])
    assert read_now(qtbot, window.context.journal, lambda j: j.session(left_id).ended_at) \
        is None                                       # only opened: the check-in starts it
    qtbot.mouseClick(window.session.checkin.go, Qt.MouseButton.LeftButton)
    old, new = sessions(qtbot, window)
    assert (old.id, old.outcome, old.ended_at) == (left_id, "stopped_early", EARLIER)
    assert new.practice_id == "other" and new.ended_at is None
    qtbot.mouseClick(window.session.leave, Qt.MouseButton.LeftButton)
    band = band_shown(window, qtbot)
    qtbot.waitUntil(lambda: "Another practice" in band.message.text(), timeout=5000)


def test_a_practice_left_before_its_check_in_leaves_nothing_to_offer(window, qtbot):
    window.start_practice(window.context.practices[0])
    assert window.session.leave.accessibleDescription() == ""     # nothing is kept yet
    qtbot.mouseClick(window.session.leave, Qt.MouseButton.LeftButton)
    settle(qtbot, window.context.journal, rounds=2)
    assert window.left_practice.left is None and not window.left_practice.band.isVisible()


def test_leaving_says_the_practice_is_kept(window, qtbot):
    session = begin(window, qtbot)
    assert "kept" in session.leave.accessibleDescription()
    assert session.leave.toolTip() == session.leave.accessibleDescription()


def test_not_now_at_launch_dates_the_end_when_last_active(window, qtbot, monkeypatch):
    session_id = leave_at_step_2(window, qtbot)
    set_back_in_time(qtbot, window, session_id)
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "exec", lambda box: None)
    monkeypatch.setattr(QMessageBox, "clickedButton", lambda box: None)    # "Not now"
    record = read_now(qtbot, window.context.journal, lambda j: j.session(session_id))
    window._ask_resume(record, None)
    settle(qtbot, window.context.journal, rounds=2)
    ended = read_now(qtbot, window.context.journal, lambda j: j.session(session_id))
    assert (ended.outcome, ended.ended_at) == ("stopped_early", EARLIER)
    assert window.left_practice is None or not window.left_practice.band.isVisible()


def test_the_chosen_practice_stays_in_sight_when_the_band_comes(window, qtbot):
    """The band takes room from the list: the practice chosen at its foot stayed half hidden."""
    many = [replace(tiny_practice(2, practice_id=f"p{i}"), title=f"Practice {i}")
            for i in range(12)]
    window.context.practices = many
    window.library.set_practices(many, [])
    window.resize(800, 600)
    window.library.list.setCurrentRow(11)
    window.start_practice(many[11])
    qtbot.mouseClick(window.session.checkin.go, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(window.session.leave, Qt.MouseButton.LeftButton)
    band_shown(window, qtbot)
    listing = window.library.list
    qtbot.waitUntil(lambda: listing.viewport().rect().contains(
        listing.visualItemRect(listing.currentItem())), timeout=2000)


def test_a_grounding_break_keeps_the_practice_left_to_continue(window, qtbot):
    """The safety exit (Help's grounding practice) is a pause from the day, not another
    practice: the one left stays open to continue after it."""
    left_id = leave_at_step_2(window, qtbot)
    grounding = replace(window.context.practices[1], id="grounding", title="Grounding",
                        tags=("grounding", "safety"))
    window.start_practice(grounding, playback_rate=0.01)   # it asks no check-in: it begins
    assert window.session.runner.session_id is not None
    old, new = sessions(qtbot, window)
    assert (old.id, old.ended_at) == (left_id, None)
    assert new.practice_id == "grounding"
    window.session.runner.stop_early()            # the grounding practice over
    settle(qtbot, window.context.journal)
    assert read_now(qtbot, window.context.journal,
                    lambda j: j.unfinished_session()).id == left_id
