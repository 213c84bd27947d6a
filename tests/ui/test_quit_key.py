"""Ctrl+Q, the desktop's Quit key, closes the window as its close button does (found in a
keyboard-only walk at 800×600: it did nothing, and with no window manager's close key at hand
there was no way out by keyboard)."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.ui.app import build_window


def test_ctrl_q_closes_the_window_even_in_a_practice(qtbot, monkeypatch):
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: False)
    window = build_window()
    qtbot.addWidget(window)
    window.show()
    window.after_first_paint()
    qtbot.waitUntil(lambda: window.context._journal is not None, timeout=10_000)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    window.start_practice(window.context.practices[0])
    focused = window.focusWidget()
    assert focused is not None and window.session is not None
    qtbot.keyClick(focused, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert not window.isVisible()
