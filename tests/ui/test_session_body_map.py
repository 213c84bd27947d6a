"""The body map during a practice (issue 14): Esc grounds from it, the voice pauses while it is
open (unless the person chose otherwise), the practice never moves on by itself while the
person marks, Pause & ground stays in view, and keyboard marking chooses no quality itself."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication

from app.core.session import State
from app.storage.preferences import Preferences
from app.ui.body.map_widget import BodyMapWidget
from app.ui.common.keys import install_key_policy
from tests.support.journal import read_now
from tests.ui.test_session_flow import FAST, context, window  # noqa: F401 - fixtures


def open_practice(window, qtbot, rate: float = 0.01):
    install_key_policy()
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    session.controller.playback_rate = rate
    qtbot.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    return session


def shown_map() -> BodyMapWidget:
    """The body map the person sees, wherever the window puts it."""
    maps = [w for w in QApplication.allWidgets()
            if isinstance(w, BodyMapWidget) and w.isVisible()]
    assert len(maps) == 1
    return maps[0]


def press_b(qtbot, session) -> BodyMapWidget:
    session.player_view.play_button.setFocus()
    qtbot.keyClick(session.player_view.play_button, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: any(isinstance(w, BodyMapWidget) and w.isVisible()
                                for w in QApplication.allWidgets()), timeout=3000)
    return shown_map()


def test_keyboard_marking_chooses_no_quality_and_no_strength_itself(window, qtbot):
    session = open_practice(window, qtbot)
    body = press_b(qtbot, session)
    finder = body.finder
    finder.filter.setFocus()
    qtbot.keyClicks(finder.filter, "heart")
    qtbot.keyClick(finder.filter, Qt.Key.Key_Return)
    assert body.side.currentIndex() == 1
    assert body.panel.intensity.hasFocus() and body.panel.strength() is None
    assert not any(chip.isChecked() for chip in body.panel.chips.values())
    body.panel.chips["warm"].setFocus()
    qtbot.keyClick(body.panel.chips["warm"], Qt.Key.Key_Space)
    body.panel.note.setFocus()
    with qtbot.waitSignal(body.markSaved, timeout=5000) as saved:
        qtbot.keyClick(body.panel.note, Qt.Key.Key_Return)
    sid = session.runner.session_id
    marks = read_now(qtbot, window.context.journal, lambda j: j.body_marks(session_id=sid))
    assert [(m.id, m.region, m.qualities, m.intensity) for m in marks] == [
        (saved.args[0], "heart-area", ("warm",), None)]


def test_esc_in_the_body_map_closes_it_and_grounds(window, qtbot):
    session = open_practice(window, qtbot)
    body = press_b(qtbot, session)
    body.finder.filter.setFocus()
    qtbot.keyClick(body.finder.filter, Qt.Key.Key_Escape)
    assert session.runner.state is State.GROUNDING
    assert not body.isVisible()
    assert not window.context.player.is_playing()
    qtbot.mouseClick(session.grounding_view.back, Qt.MouseButton.LeftButton)
    assert session.runner.state is State.PAUSED             # and it stays paused


def test_esc_from_the_open_mark_form_grounds_too(window, qtbot):
    session = open_practice(window, qtbot)
    body = press_b(qtbot, session)
    body.open_region("front", "throat")
    qtbot.keyClick(body.panel.intensity, Qt.Key.Key_Escape)
    assert session.runner.state is State.GROUNDING


def test_the_voice_pauses_while_the_map_is_open(window, qtbot):
    session = open_practice(window, qtbot)
    assert session.runner.state is State.PLAYING
    body = press_b(qtbot, session)
    assert session.runner.state is State.PAUSED
    qtbot.mouseClick(session.body_page.back, Qt.MouseButton.LeftButton)
    assert not body.isVisible() and session.runner.state is State.PLAYING
    assert window.focusWidget() is session.player_view.play_button


def test_marking_never_lets_the_practice_move_on(window, qtbot):
    """With the voice kept going, the step's voice ends but the quiet waits for the person."""
    window.context.preferences = Preferences(voice_during_body_map=True)
    session = open_practice(window, qtbot, rate=FAST)
    press_b(qtbot, session)
    assert session.runner.state is State.PLAYING             # the voice goes on
    qtbot.waitUntil(lambda: session.runner.state is State.SILENCE, timeout=5000)
    qtbot.wait(400)                                          # ten times the step's quiet
    assert (session.runner.state, session.runner.index) == (State.SILENCE, 0)
    qtbot.mouseClick(session.body_page.back, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: session.runner.index == 1, timeout=5000)


@pytest.mark.parametrize("size", [(900, 600), (800, 600)])
def test_the_map_never_covers_pause_and_ground(window, qtbot, size):
    window.setMinimumSize(0, 0)
    window.resize(*size)
    session = open_practice(window, qtbot)
    body = press_b(qtbot, session)
    ground = session.ground_button
    assert ground.isVisible()
    at = QRect(ground.mapToGlobal(ground.rect().topLeft()), ground.size())
    for widget in QApplication.topLevelWidgets():
        if widget.isVisible() and widget is not window:
            assert not widget.frameGeometry().intersects(at), widget
    body_at = QRect(body.mapToGlobal(body.rect().topLeft()), body.size())
    assert not body_at.intersects(at)
    assert window.rect().contains(QRect(ground.mapTo(window, ground.rect().topLeft()),
                                        ground.size()))


def test_a_mark_left_open_by_grounding_has_the_focus_when_the_map_opens_again(window, qtbot):
    """Found by review8: Esc from a half-filled mark, Return to the practice, B again: the form
    was still there (nothing lost), but the focus went to the hidden search field, so no
    control showed it and Space or a digit went nowhere."""
    session = open_practice(window, qtbot)
    body = press_b(qtbot, session)
    body.open_region("front", "throat")
    qtbot.keyClick(body.panel.intensity, Qt.Key.Key_6)
    qtbot.keyClick(body.panel.intensity, Qt.Key.Key_Escape)
    assert session.runner.state is State.GROUNDING
    qtbot.mouseClick(session.grounding_view.back, Qt.MouseButton.LeftButton)
    again = press_b(qtbot, session)
    assert again is body and body.side.currentIndex() == 1 and body.panel.strength() == 6
    focused = window.focusWidget()
    assert focused is body.panel.intensity and focused.isVisible()
    body.panel.note.setFocus()
    with qtbot.waitSignal(body.markSaved, timeout=5000):
        qtbot.keyClick(body.panel.note, Qt.Key.Key_Return)
    focused = window.focusWidget()                  # the form closed: the finder has it
    assert focused is not None and focused.isVisible()


# -- a mark left half-filled when the practice ends (finding: ending from grounding lost it) ----
# One rule for every way the practice ends or is left: the place the person chose is kept as a
# mark, with whatever else they gave (a strength only if they gave one); "Return to the
# practice" keeps the form open instead; a mark never begun, or cancelled, writes nothing.

def begin_mark(qtbot, session, strength: str | None = None, chip: str | None = None):
    """By keyboard: B, find the throat, Enter; then perhaps a digit and a quality."""
    body = press_b(qtbot, session)
    body.finder.filter.setFocus()
    qtbot.keyClicks(body.finder.filter, "throat")
    qtbot.keyClick(body.finder.filter, Qt.Key.Key_Return)
    assert body.side.currentIndex() == 1 and body.panel.intensity.hasFocus()
    if strength is not None:
        qtbot.keyClick(body.panel.intensity, strength)
    if chip is not None:
        body.panel.chips[chip].setFocus()
        qtbot.keyClick(body.panel.chips[chip], Qt.Key.Key_Space)
    return body


def end_from_grounding(qtbot, session) -> None:
    """Esc from wherever the focus is in the map, then "End the session for today" by key."""
    qtbot.keyClick(session.window().focusWidget(), Qt.Key.Key_Escape)
    assert session.runner.state is State.GROUNDING
    end = session.grounding_view.end
    end.setFocus()
    qtbot.keyClick(end, Qt.Key.Key_Space)
    assert session.runner.state is State.ENDED


def marks_of(qtbot, window, session):
    sid = session.runner.session_id
    return read_now(qtbot, window.context.journal, lambda j: (
        j.session(sid), [(m.view, m.region, m.intensity, m.qualities, m.step_id)
                         for m in j.body_marks(session_id=sid)]))


@pytest.mark.parametrize("strength, chip, kept", [
    (None, None, ("front", "throat", None, (), "s1")),             # the place only: unrated
    ("6", "tight", ("front", "throat", 6, ("tight",), "s1")),      # all that was given
])
def test_ending_from_grounding_keeps_the_half_filled_mark(window, qtbot, strength, chip, kept):
    """Before: the place, strength and quality chosen vanished (0 marks in the journal)."""
    session = open_practice(window, qtbot)
    begin_mark(qtbot, session, strength, chip)
    end_from_grounding(qtbot, session)
    record, marks = marks_of(qtbot, window, session)
    assert record.outcome == "grounded"
    assert marks == [kept]
    assert window.focusWidget() is session.done.back           # the keyboard path goes on
    said = "6 / 10" if strength else "not rated"               # and it is said, plainly
    assert session.done.kept_label.text() == ("The place you chose on the body map is kept "
                                              f"with it: Throat (front), strength {said}.")


def test_pause_and_ground_by_mouse_keeps_it_too(window, qtbot):
    session = open_practice(window, qtbot)
    begin_mark(qtbot, session, "3")
    qtbot.mouseClick(session.ground_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(session.grounding_view.end, Qt.MouseButton.LeftButton)
    assert marks_of(qtbot, window, session)[1] == [("front", "throat", 3, (), "s1")]


def test_nothing_chosen_nothing_written(window, qtbot):
    """The map open and an area found in the list (highlighted, not chosen): no mark."""
    session = open_practice(window, qtbot)
    body = press_b(qtbot, session)
    body.finder.filter.setFocus()
    qtbot.keyClicks(body.finder.filter, "throat")
    end_from_grounding(qtbot, session)
    record, marks = marks_of(qtbot, window, session)
    assert (record.outcome, marks) == ("grounded", [])
    assert session.done.kept_label is None


def test_a_cancelled_mark_stays_cancelled(window, qtbot):
    session = open_practice(window, qtbot)
    body = begin_mark(qtbot, session, "4")
    qtbot.keyClick(body.panel.cancel_button, Qt.Key.Key_Space)
    assert body.side.currentIndex() == 0
    end_from_grounding(qtbot, session)
    assert marks_of(qtbot, window, session)[1] == []


def test_returning_keeps_the_form_and_the_end_of_the_steps_keeps_the_mark(window, qtbot):
    """Return to the practice: the form waits, nothing written yet; the practice then goes on
    to its check-out without the map opened again: what was given is kept, once."""
    session = open_practice(window, qtbot)
    body = begin_mark(qtbot, session, "2")
    qtbot.keyClick(body.panel.intensity, Qt.Key.Key_Escape)
    qtbot.mouseClick(session.grounding_view.back, Qt.MouseButton.LeftButton)
    assert marks_of(qtbot, window, session)[1] == []
    assert body.side.currentIndex() == 1 and body.panel.strength() == 2
    session.controller.playback_rate = FAST
    qtbot.keyClick(session.player_view.play_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: session.runner.state is State.CHECK_OUT, timeout=15000)
    qtbot.mouseClick(session.checkout.go, Qt.MouseButton.LeftButton)
    record, marks = marks_of(qtbot, window, session)
    assert (record.outcome, marks) == ("completed", [("front", "throat", 2, (), "s1")])
    assert "Throat (front), strength 2 / 10" in session.done.kept_label.text()


@pytest.mark.parametrize("how", ["leave", "close the window"])
def test_leaving_mid_mark_keeps_it_and_the_practice_stays_resumable(window, qtbot, how):
    session = open_practice(window, qtbot)
    begin_mark(qtbot, session, chip="heavy")
    sid = session.runner.session_id
    if how == "leave":
        qtbot.mouseClick(session.leave, Qt.MouseButton.LeftButton)
        assert window.session is None
    else:
        window.close()
    record, marks = read_now(qtbot, window.context.journal, lambda j: (
        j.session(sid), [(m.region, m.intensity, m.qualities)
                         for m in j.body_marks(session_id=sid)]))
    assert record.ended_at is None                              # offered to resume next time
    assert marks == [("throat", None, ("heavy",))]


@pytest.mark.parametrize("how", ["close the window", "change the theme"])
def test_a_half_filled_quick_check_in_mark_is_kept_when_its_page_goes(window, qtbot, how):
    """The Quick body check-in outside a practice: its page stays while the person visits
    others (the form too), but closing the window, or a new theme (which rebuilds the page),
    lost the half-filled mark (0 marks before)."""
    window.show_page("body")
    body = shown_map()
    body.finder.filter.setFocus()
    qtbot.keyClicks(body.finder.filter, "throat")
    qtbot.keyClick(body.finder.filter, Qt.Key.Key_Return)
    qtbot.keyClick(body.panel.intensity, "5")
    if how == "close the window":
        window.close()
    else:
        window.show_page("settings")
        window.pages["settings"].theme_changed.emit()
    marks = read_now(qtbot, window.context.journal, lambda j: [
        (m.region, m.intensity, m.session_id) for m in j.body_marks()])
    assert marks == [("throat", 5, None)]


# -- the media keys while the body map is open (finding: "next" moved the step behind the map,
# which stayed open, its half-filled mark still dated to the step before) ----------------------

def media(qtbot, session, how: str, which: str) -> None:
    """The sound menu (MPRIS, as GNOME or KDE sends a headset's button) or the key itself (as
    it reaches the window when no desktop service takes it)."""
    if how == "sound menu":
        getattr(session, f"media_{which}")()
        return
    key = {"next": Qt.Key.Key_MediaNext, "previous": Qt.Key.Key_MediaPrevious}[which]
    qtbot.keyClick(session.window().focusWidget(), key)


@pytest.mark.parametrize("how", ["sound menu", "key"])
def test_media_next_while_marking_keeps_the_mark_and_shows_the_next_step(window, qtbot, how):
    """Before: the step moved on (index 1) but the map stayed open with its form, and the voice
    of the next step played behind it; with the key itself, nothing happened at all."""
    session = open_practice(window, qtbot)
    body = begin_mark(qtbot, session, "6", "tight")
    media(qtbot, session, how, "next")
    assert session.runner.index == 1
    assert session.pages.currentWidget() is session.player_view and not body.isVisible()
    assert window.focusWidget() is session.player_view.play_button     # the focus ring shows
    assert session.runner.state is State.PLAYING and not session.controller._marking
    record, marks = marks_of(qtbot, window, session)
    assert marks == [("front", "throat", 6, ("tight",), "s1")]      # the step it was made at
    again = press_b(qtbot, session)                     # the map is ready for the new step
    assert again.side.currentIndex() == 0 and again.step_id == "s2"
    qtbot.mouseClick(session.body_page.back, Qt.MouseButton.LeftButton)
    session.runner.stop_early()


@pytest.mark.parametrize("how", ["sound menu", "key"])
def test_media_previous_while_marking_keeps_the_mark_too(window, qtbot, how):
    session = open_practice(window, qtbot)
    session.media_next()
    body = begin_mark(qtbot, session)
    media(qtbot, session, how, "previous")
    assert session.runner.index == 0 and not body.isVisible()
    assert window.focusWidget() is session.player_view.play_button
    assert marks_of(qtbot, window, session)[1] == [("front", "throat", None, (), "s2")]


def test_media_next_with_the_map_open_and_no_mark_begun_writes_nothing(window, qtbot):
    session = open_practice(window, qtbot)
    press_b(qtbot, session)
    session.media_next()
    assert session.runner.index == 1 and session.pages.currentWidget() is session.player_view
    assert marks_of(qtbot, window, session)[1] == []


def test_marks_kept_at_two_steps_are_both_named_at_the_end(window, qtbot):
    session = open_practice(window, qtbot)
    begin_mark(qtbot, session, "6")
    session.media_next()
    body = press_b(qtbot, session)
    body.finder.filter.setFocus()
    body.finder.filter.selectAll()
    qtbot.keyClicks(body.finder.filter, "heart")
    qtbot.keyClick(body.finder.filter, Qt.Key.Key_Return)
    end_from_grounding(qtbot, session)
    said = session.done.kept_label.text()
    assert "Throat (front), strength 6 / 10" in said and "not rated" in said
    assert said.startswith("The places you chose on the body map are kept with it")
