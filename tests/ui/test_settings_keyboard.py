"""Settings by keyboard only: going through the page with Tab and back with Shift+Tab changes
nothing (the saved preferences file stays byte for byte, no voice is prepared), whatever voice
was saved; the voices are one Tab stop, on the ticked voice; the arrow keys move the tick, and
the voice the person settles on (leaving the voices, or Space) is saved and prepared, once."""
from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from app import paths
from app.qt.guidance_audio import GuidanceAudio
from app.speech.voices import NATURAL_VOICE, STANDARD_VOICE
from app.storage.preferences import load_preferences
from app.ui.common.keys import install_key_policy
from app.ui.context import AppContext
from app.ui.settings.view import SettingsView

MOST_STOPS = 120      # more than the page has controls: Tab has gone round by then


@pytest.fixture
def prepared(monkeypatch) -> list[object]:
    """Every voice preparation asked for (none really starts)."""
    asked: list[object] = []
    monkeypatch.setattr(GuidanceAudio, "prepare",
                        lambda self, *args, **kwargs: asked.append(self.preferences))
    return asked


def open_settings(qtbot, saved: dict) -> tuple[SettingsView, bytes]:
    """The page for a preferences file as an app (or an older one) left it."""
    file = paths.settings_file()
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_bytes(json.dumps(saved).encode("utf-8"))
    before = file.read_bytes()
    view = SettingsView(AppContext([], [], load_preferences()))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.voice.ids()) > 1, timeout=30000)
    install_key_policy()        # as the window does: Enter clicks a focused button
    view.resize(800, 600)
    view.show()
    view.activateWindow()
    assert QTest.qWaitForWindowActive(view)
    view.rate.setFocus()
    return view, before


def go_round(view: QWidget, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> set[str]:
    """Press `key` on whatever has the focus until the focus is back where it started."""
    start = here = QApplication.focusWidget()
    visited: set[str] = set()
    for _ in range(MOST_STOPS):
        QTest.keyClick(here, key, modifier)
        here = QApplication.focusWidget()
        visited.add(here.accessibleName())
        if here is start:
            return visited
    raise AssertionError(f"{key} never came back to {start.accessibleName()!r}")


# The kinds of voice a preferences file can hold.
SAVED_VOICES = {
    "no choice yet": None,
    "the natural voice": NATURAL_VOICE,
    "the standard voice": STANDARD_VOICE,
    "the standard voice as older versions saved it": "espeak:",
    "an espeak voice from More voices": "gmw/en",
    "a voice no longer installed": "piper:en_GB-alan-medium",
    "an espeak voice no longer installed": "gmw/en-zz",
}


@pytest.mark.parametrize("voice", SAVED_VOICES.values(), ids=SAVED_VOICES.keys())
def test_tab_and_shift_tab_through_settings_change_nothing(qtbot, prepared, voice) -> None:
    view, before = open_settings(qtbot, {"voice": voice, "rate": 140})
    shown = view.voice.current()
    forward = go_round(view, Qt.Key.Key_Tab)
    backward = go_round(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    # the walk really went past the pace (whose focus leaving is "editing finished") and the
    # voices
    for walked in (forward, backward):
        assert {"Speaking rate in words per minute", "Volume", "Theme"} <= walked
        assert any(name.startswith("Voice: ") for name in walked)
    assert view.context.preferences.voice == voice
    assert prepared == []
    assert view.voice.current() == shown
    assert paths.settings_file().read_bytes() == before


@pytest.mark.parametrize("voice", [NATURAL_VOICE, STANDARD_VOICE, "gmw/en", None],
                         ids=["the natural voice", "the standard voice",
                              "an espeak voice from More voices", "no choice yet"])
def test_the_voices_are_one_tab_stop_on_the_ticked_voice(qtbot, prepared, voice) -> None:
    """Before: each voice was its own Tab stop, so with the standard voice saved, Tab from the
    log folder button landed on "Voice: Joe, natural voice" (unticked; Shift+Tab did the
    same from "Listen"), and a person could take the focused voice for the chosen one. A
    radio group is one stop, on the ticked button."""
    view, _before = open_settings(qtbot, {"voice": voice, "rate": 140})
    if voice is not None and voice not in view.voice.ids():
        pytest.skip(f"{voice} is not installed here")
    ticked = view.voice._radios[view.voice.current()].accessibleName()
    for walked in (go_round(view, Qt.Key.Key_Tab),
                   go_round(view, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)):
        assert {name for name in walked if name.startswith("Voice: ")} == {ticked}


def test_arrows_move_the_tick_and_the_voice_is_chosen_when_the_person_settles(
        qtbot, prepared) -> None:
    """Before: each arrow key press saved the voice it passed and started preparing every
    practice in it (two presses: two voices saved, two preparations). The arrows move the tick
    and the focus together (the focus never rests on an unticked voice); leaving the voices
    chooses the ticked one, once."""
    view, _before = open_settings(qtbot, {"voice": NATURAL_VOICE, "rate": 140})
    if NATURAL_VOICE not in view.voice.ids():
        pytest.skip("the natural voice is not installed here")
    view.voice.more.click()
    radio = view.voice._radios[NATURAL_VOICE]
    radio.setFocus()
    for _ in range(2):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    third = view.voice.ids()[2]
    assert view.voice.current() == third
    assert QApplication.focusWidget() is view.voice._radios[third]
    assert load_preferences().voice == NATURAL_VOICE and prepared == []
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)      # on to its Listen button
    assert QApplication.focusWidget() is view.voice.listen_buttons[third]
    assert load_preferences().voice == third
    assert [p.voice for p in prepared] == [third]


def natural_voice_then_down(qtbot):
    """Settings with the natural voice saved, its button focused, then the Down arrow."""
    view, before = open_settings(qtbot, {"voice": NATURAL_VOICE, "rate": 140})
    if NATURAL_VOICE not in view.voice.ids():
        pytest.skip("the natural voice is not installed here")
    view.voice._radios[NATURAL_VOICE].setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    return view, before


def test_space_on_a_voice_reached_by_the_arrows_chooses_it(qtbot, prepared) -> None:
    natural_voice_then_down(qtbot)
    assert prepared == []
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Space)
    assert load_preferences().voice == STANDARD_VOICE
    assert [p.voice for p in prepared] == [STANDARD_VOICE]


def test_arrows_back_to_the_saved_voice_change_nothing(qtbot, prepared) -> None:
    view, before = natural_voice_then_down(qtbot)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert view.voice.current() == NATURAL_VOICE
    assert prepared == [] and paths.settings_file().read_bytes() == before


def test_a_voice_ticked_by_the_arrows_is_kept_when_the_window_closes(qtbot, prepared) -> None:
    """Closing the window is leaving the voices too: the ticked voice is saved (nothing the
    person did is lost), but no preparation starts as the app ends."""
    view, _before = open_settings(qtbot, {"voice": NATURAL_VOICE, "rate": 140})
    if NATURAL_VOICE not in view.voice.ids():
        pytest.skip("the natural voice is not installed here")
    view.voice._radios[NATURAL_VOICE].setFocus()
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)
    view.close()
    assert load_preferences().voice == STANDARD_VOICE
    assert prepared == []


def test_fewer_voices_keeps_the_ticked_voice_in_sight_and_in_reach(qtbot, prepared) -> None:
    """Before: with a voice from More voices chosen, "Fewer voices" hid it, so the list showed
    no voice ticked and Tab reached no voice at all."""
    view, _before = open_settings(qtbot, {"voice": "gmw/en", "rate": 140})
    QTest.keyClick(view.voice.more, Qt.Key.Key_Space)            # Fewer voices
    assert view.voice.more.text() == "More voices"
    assert view.voice._radios["gmw/en"].isVisibleTo(view)
    assert not view.voice._radios["gmw/en-029"].isVisibleTo(view)
    walked = go_round(view, Qt.Key.Key_Tab)
    assert {name for name in walked if name.startswith("Voice: ")} == {
        view.voice._radios["gmw/en"].accessibleName()}
    assert prepared == []


def test_a_voice_from_more_voices_chosen_by_keyboard_is_saved(qtbot, prepared) -> None:
    view, _before = open_settings(qtbot, {"voice": "espeak:", "rate": 140})
    assert view.voice.current() == STANDARD_VOICE        # how older versions saved it
    view.voice.more.setFocus()
    QTest.keyClick(view.voice.more, Qt.Key.Key_Return)
    radio = view.voice._radios["gmw/en"]
    assert radio.isVisibleTo(view)
    radio.setFocus()
    QTest.keyClick(radio, Qt.Key.Key_Return)
    assert load_preferences().voice == "gmw/en"
    assert [p.voice for p in prepared] == ["gmw/en"]


def test_the_standard_voice_chosen_after_espeak_colon_is_saved_by_its_id(qtbot,
                                                                          prepared) -> None:
    """"espeak:" shows as the standard voice; moving to another voice and back saves it."""
    view, _before = open_settings(qtbot, {"voice": "espeak:", "rate": 140})
    view.voice.more.click()
    view.voice._radios["gmw/en"].click()
    view.voice._radios[STANDARD_VOICE].click()
    assert load_preferences().voice == STANDARD_VOICE


def test_a_new_pace_typed_and_left_with_tab_is_saved(qtbot, prepared) -> None:
    view, _before = open_settings(qtbot, {"voice": "espeak:", "rate": 140})
    view.rate.selectAll()
    QTest.keyClicks(view.rate, "120")
    QTest.keyClick(view.rate, Qt.Key.Key_Tab)
    saved = load_preferences()
    assert (saved.voice, saved.rate) == ("espeak:", 120)    # the voice as it was
    assert [(p.voice, p.rate) for p in prepared] == [("espeak:", 120)]
