"""The safety exits (issue 14, "safety flow"): a way to ground wherever the person is, and a
help card they fill in themselves."""
from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.core.help_card import HELP_CARD_KEY, HelpCard

from app.core.session import State
from app.ui.common.keys import install_key_policy
from tests.support.journal import read_now
from tests.ui.test_session_flow import FAST, context, window  # noqa: F401 - fixtures


def test_a_high_intensity_offers_a_button_to_ground(window, qtbot):
    install_key_policy()
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    check = session.checkin
    assert not check.ground_first.isVisibleTo(check)
    check.intensity.slider.setFocus()
    qtbot.keyClick(check.intensity.slider, Qt.Key.Key_8)
    assert check.ground_first.isVisibleTo(check) and check.hint.isVisibleTo(check)
    check.ground_first.setFocus()
    qtbot.keyClick(check.ground_first, Qt.Key.Key_Return)
    assert session.runner.state is State.GROUNDING
    assert session.runner.session_id is None            # nothing was started or stored
    qtbot.mouseClick(session.grounding_view.back, Qt.MouseButton.LeftButton)
    assert session.runner.state is State.CHECK_IN
    assert check.intensity.value() == 8                 # the answer is still there


def safety_window(window):
    """The test window's grounding practice, tagged as the bundled one is."""
    context = window.context
    context.practices[-1] = replace(context.grounding, tags=("grounding", "safety"))
    return window


def test_the_grounding_practice_starts_without_a_check_in(window, qtbot):
    window = safety_window(window)
    window.start_practice(window.context.grounding, playback_rate=FAST)
    session = window.session
    assert session.runner.state is State.PLAYING
    assert session.pages.currentWidget() is session.player_view
    sid = session.runner.session_id
    record, checkins = read_now(qtbot, window.context.journal,
                                lambda j: (j.session(sid), j.checkins(sid)))
    assert record.practice_id == "grounding" and checkins == []


def test_help_now_is_in_the_sidebar_and_on_f1(window, qtbot):
    install_key_policy()
    assert window.nav["help"].text() == "Help now"
    window.library.list.setFocus()
    qtbot.keyClick(window.library.list, Qt.Key.Key_F1)
    help_page = window.pages["help"]
    assert window.stack.currentWidget() is help_page
    assert window.focusWidget() is help_page.start_grounding
    assert "crisis line" in help_page.crisis.text()
    window.show_page("settings")
    window.pages["settings"].setFocus()
    qtbot.keyClick(window.pages["settings"], Qt.Key.Key_F1)
    assert window.stack.currentWidget() is help_page


def test_help_now_starts_the_grounding_straight_away(window, qtbot):
    window = safety_window(window)
    window.show_page("help")
    window.pages["help"].start_grounding.setFocus()
    install_key_policy()
    qtbot.keyClick(window.pages["help"].start_grounding, Qt.Key.Key_Return)
    assert window.session is not None and window.session.practice.id == "grounding"
    assert window.session.runner.state is State.PLAYING


def test_f1_inside_a_practice_grounds(window, qtbot):
    install_key_policy()
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    session.controller.playback_rate = 0.01
    qtbot.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    qtbot.keyClick(session.player_view.play_button, Qt.Key.Key_F1)
    assert session.runner.state is State.GROUNDING


def test_the_help_card_is_kept_and_shown_where_grounding_is(window, qtbot):
    window.show_page("help")
    editor = window.pages["help"].card
    editor.fields["therapist"].setText("  Dr Rowan,   0301 555 0100 ")
    editor.fields["crisis_line"].setText("Samaritans 116 123")
    editor.fields["crisis_line"].setFocus()
    install_key_policy()
    with qtbot.waitSignal(editor.saved, timeout=5000):
        qtbot.keyClick(editor.fields["crisis_line"], Qt.Key.Key_Return)
    stored = read_now(qtbot, window.context.journal, lambda j: j.setting(HELP_CARD_KEY))
    assert stored == {"therapist": "Dr Rowan, 0301 555 0100", "trusted": "",
                      "crisis_line": "Samaritans 116 123"}
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    qtbot.mouseClick(session.ground_button, Qt.MouseButton.LeftButton)
    shown = session.grounding_view.help_card.text()
    qtbot.waitUntil(lambda: "Samaritans" in session.grounding_view.help_card.text(),
                    timeout=3000)
    shown = session.grounding_view.help_card.text()
    assert "My therapist: Dr Rowan, 0301 555 0100" in shown and "trust" not in shown
    assert "crisis line" in session.grounding_view.help_text.text()


def test_an_empty_help_card_says_where_to_fill_it_in(window, qtbot):
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    qtbot.mouseClick(session.ground_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Help now" in session.grounding_view.help_card.text(), timeout=3000)
    # review8: it said "(F1)", but inside a practice F1 grounds, and the sidebar is hidden
    assert "F1" not in session.grounding_view.help_card.text()
    assert "leave the practice" in session.grounding_view.help_card.text()


def test_the_help_card_travels_with_exports_and_goes_with_delete_all(tmp_path, securebase_home):
    from app import paths
    from app.storage.export import export_json
    from app.storage.journal import Journal
    from app.storage.wipe import delete_everything
    journal = Journal(paths.journal_file())
    card = HelpCard(trusted="My sister Ana, 0170 555 0199")
    journal.set_setting(HELP_CARD_KEY, card.as_value())
    export_json(journal, tmp_path / "out.json")
    exported = json.loads((tmp_path / "out.json").read_text())["tables"]["settings"]
    assert HelpCard.from_value(json.loads(next(
        r["value"] for r in exported if r["key"] == HELP_CARD_KEY))) == card
    delete_everything(journal)
    again = Journal(paths.journal_file())
    assert again.setting(HELP_CARD_KEY) is None
    again.close()


def test_a_help_card_from_odd_data_is_plain_and_short():
    card = HelpCard.from_value({"therapist": "<b>x</b>\n" + "9" * 500, "trusted": 7})
    assert card.therapist.startswith("<b>x</b> 9") and len(card.therapist) <= 200
    assert card.trusted == "" and HelpCard.from_value("junk").is_empty


def _at_the_end(window, qtbot, before: int, after: int):
    """A practice finished by keys: check-in, straight to the last step, check-out."""
    install_key_policy()
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    session.controller.playback_rate = 0.01
    session.checkin.intensity.setValue(before)
    qtbot.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    session.runner.go_to(len(session.practice.steps) - 1)
    session.runner.next_step()
    assert session.runner.state is State.CHECK_OUT
    session.checkout.intensity.setValue(after)
    qtbot.mouseClick(session.checkout.go, Qt.MouseButton.LeftButton)
    assert session.pages.currentWidget() is session.done
    return session


def test_the_end_of_a_practice_still_offers_grounding(window, qtbot):
    """Found by review8: the end screen says "grounding can help" when the intensity rose,
    but Esc, F1 and Pause & ground did nothing there. Now they open the grounding (and the
    help card) as on every other screen, and lead back to the end, changing nothing."""
    session = _at_the_end(window, qtbot, 3, 7)
    sid = session.runner.session_id
    events = read_now(qtbot, window.context.journal, lambda j: j.step_events(sid))
    assert any("grounding can help" in w.text() for w in session.done.findChildren(QLabel))
    assert session.ground_button.isVisible()
    qtbot.keyClick(session.done.back, Qt.Key.Key_Escape)
    gv = session.grounding_view
    assert session.pages.currentWidget() is gv
    assert window.focusWidget() is gv.listen
    assert "crisis line" in gv.help_text.text()
    assert (gv.back.text(), gv.end.text()) == ("Back to the end of the practice",
                                               "Back to practices")
    assert not session.ground_button.isVisible()
    qtbot.mouseClick(gv.back, Qt.MouseButton.LeftButton)
    assert session.pages.currentWidget() is session.done
    assert window.focusWidget() is session.done.back
    assert session.runner.state is State.ENDED and session.runner.outcome == "completed"
    assert read_now(qtbot, window.context.journal, lambda j: (
        j.session(sid).outcome, j.step_events(sid))) == ("completed", events)
    qtbot.mouseClick(session.ground_button, Qt.MouseButton.LeftButton)     # the button too
    assert session.pages.currentWidget() is gv
    qtbot.keyClick(gv.listen, Qt.Key.Key_F1)                # F1 there changes nothing
    assert session.pages.currentWidget() is gv
    qtbot.mouseClick(gv.end, Qt.MouseButton.LeftButton)      # "Back to practices" from there
    assert window.session is None and window.sidebar.isVisible()


def test_returning_from_grounding_gives_the_focus_back_where_it_was(window, qtbot):
    """review8 (Xvfb): typing the check-out note, Esc, "Return to the practice": the note was
    kept but the focus went to the intensity slider, so the next letters moved the slider."""
    install_key_policy()
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    session.controller.playback_rate = 0.01
    qtbot.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    session.player_view.next_button.setFocus()
    qtbot.keyClick(session.player_view.next_button, Qt.Key.Key_Escape)
    qtbot.mouseClick(session.grounding_view.back, Qt.MouseButton.LeftButton)
    assert window.focusWidget() is session.player_view.next_button
    session.runner.go_to(len(session.practice.steps) - 1)
    session.runner.next_step()
    note = session.checkout.note
    note.setFocus()
    qtbot.keyClicks(note, "softer")
    qtbot.keyClick(note, Qt.Key.Key_Escape)
    assert session.runner.state is State.GROUNDING
    qtbot.mouseClick(session.grounding_view.back, Qt.MouseButton.LeftButton)
    assert window.focusWidget() is note and note.toPlainText() == "softer"


def test_help_now_promises_a_voice_only_where_one_can_be_heard(window, qtbot, monkeypatch):
    """It said 'A calm voice guides you' on a computer with no sound device, where the
    grounding is shown as text paced for reading."""
    minutes = f"{window.context.grounding.minutes:g}"
    monkeypatch.setattr("app.qt.player.has_sound_output", lambda: False)
    window.show_page("help")
    line = window.pages["help"].voice_line
    assert line.text() == (f"No sound device was found, so its words are shown on the screen, "
                           f"paced for reading slowly, for about {minutes} minutes.")
    window.show_page("practices")
    monkeypatch.setattr("app.qt.player.has_sound_output", lambda: True)   # headphones plugged
    window.show_page("help")
    assert line.text() == f"A calm voice guides you, for about {minutes} minutes."
