"""Settings by keyboard only: going through the page with Tab and back with Shift+Tab changes
nothing (the saved preferences file stays byte for byte, no voice is prepared), whatever voice
was saved; choosing a voice with the keys still saves it and prepares it."""
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


def test_a_voice_chosen_with_the_arrow_keys_is_saved_and_prepared(qtbot, prepared) -> None:
    view, _before = open_settings(qtbot, {"voice": NATURAL_VOICE, "rate": 140})
    if NATURAL_VOICE not in view.voice.ids():
        pytest.skip("the natural voice is not installed here")
    radio = view.voice._radios[NATURAL_VOICE]
    radio.setFocus()
    QTest.keyClick(radio, Qt.Key.Key_Down)
    assert view.voice.current() == STANDARD_VOICE
    assert load_preferences().voice == STANDARD_VOICE
    assert [p.voice for p in prepared] == [STANDARD_VOICE]


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
