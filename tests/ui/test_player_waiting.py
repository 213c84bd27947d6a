"""The player view during listening time and at a step that waits: what it says, and a Continue
button a keyboard can reach."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.practice import Practice, Step
from app.core.session import State
from app.storage.preferences import Preferences
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from tests.support.factories import dispose, tiny_practice


def waiting_practice() -> Practice:
    steps = (Step("ask", "Ask", "Turn inward. [listen 30] What does it need?", silence_after=1),
             Step("open", "Open time", "Stay here as long as you like.", wait=True),
             Step("close", "Close", "Thank you.", silence_after=1))
    return Practice("paced", "Paced", "For tests.", 2, steps)


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: False)
    context = AppContext([waiting_practice(), tiny_practice(2, practice_id="grounding")], [],
                         Preferences(), journal_path=str(tmp_path / "journal.db"))
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    yield win
    if context._player is not None:
        dispose(context._player)


def start(window, qtbot, multiplier: float):
    window.start_practice(window.context.practices[0], playback_rate=40.0)
    session = window.session
    session.controller.silence_multiplier = multiplier
    qtbot.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    return session


def test_listening_time_is_named_and_can_be_held(window, qtbot):
    session = start(window, qtbot, multiplier=10.0)          # 300 s of listening time
    view = session.player_view
    qtbot.waitUntil(lambda: "listen inside" in view.countdown_label.text(), timeout=5000)
    assert view.hold_button.isVisible() and not view.continue_button.isVisible()
    qtbot.mouseClick(view.hold_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Staying here" in view.countdown_label.text(), timeout=2000)
    assert view.continue_button.isVisible() and view.play_button.text() == "Continue"
    qtbot.mouseClick(view.continue_button, Qt.MouseButton.LeftButton)
    assert session.runner.segment == 1 and session.runner.state is State.PLAYING


def test_a_waiting_step_shows_continue_and_space_goes_on(window, qtbot):
    session = start(window, qtbot, multiplier=0.01)
    view = session.player_view
    qtbot.waitUntil(lambda: session.runner.state is State.WAITING, timeout=10000)
    assert "waiting for you" in view.countdown_label.text()
    assert view.continue_button.isVisible() and not view.hold_button.isVisible()
    assert view.continue_button.accessibleName() == "Continue when you're ready"
    assert view.play_button.accessibleName() == "Continue when you're ready"
    # reachable by Tab from the step list, like every other control
    view.steps.setFocus()
    for _ in range(12):
        if view.continue_button.hasFocus():
            break
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    assert view.continue_button.hasFocus()
    qtbot.keyClick(session, Qt.Key.Key_Space)
    assert session.runner.index == 2 and session.runner.state is State.PLAYING
    assert not view.continue_button.isVisible()
