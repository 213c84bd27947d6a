"""Every view: each interactive widget has an accessible name and can be reached with Tab."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit, QListWidget,
    QPlainTextEdit, QTextEdit, QWidget,
)

from app.storage.preferences import Preferences
from app.storage.script_files import load_all
from app.ui.context import AppContext
from app.ui.main_window import MainWindow

INTERACTIVE = (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit,
               QListWidget, QPlainTextEdit, QTextEdit)


def interactive_widgets(root: QWidget) -> list[QWidget]:
    return [w for w in root.findChildren(QWidget)
            if isinstance(w, INTERACTIVE) and w.isVisible() and w.isEnabled()
            and w.focusPolicy() != Qt.FocusPolicy.NoFocus and not _inside_control(w)]


def _inside_control(widget: QWidget) -> bool:
    """The line edit inside a spin box is part of that control, named through it."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, INTERACTIVE):
            return True
        parent = parent.parentWidget()
    return False


def accessible_name(widget: QWidget) -> str:
    if widget.accessibleName():
        return widget.accessibleName()
    if isinstance(widget, QAbstractButton):
        return widget.text().replace("&", "").strip()
    return ""


def tab_chain(window: QWidget) -> set[int]:
    """Widgets Tab can land on, following Qt's focus chain from the window."""
    reached: set[int] = set()
    widget = window.nextInFocusChain()
    for _ in range(2000):
        if widget is window:
            break
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible()
                and widget.isEnabled()):
            reached.add(id(widget))
        widget = widget.nextInFocusChain()
    return reached


def check_view(view: QWidget, window: QWidget, where: str) -> None:
    widgets = interactive_widgets(view)
    assert widgets, f"{where}: nothing interactive found"
    unnamed = [type(w).__name__ for w in widgets if not accessible_name(w)]
    assert unnamed == [], f"{where}: widgets without an accessible name: {unnamed}"
    chain = tab_chain(window)
    unreachable = [f"{type(w).__name__}({accessible_name(w)})" for w in widgets
                   if id(w) not in chain and w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert unreachable == [], f"{where}: not reachable with Tab: {unreachable}"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: False)
    practices, broken = load_all()
    context = AppContext(practices, broken, Preferences(), journal_path=str(tmp_path / "j.db"))
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    yield win
    if context._player is not None:
        from tests.support.factories import dispose
        dispose(context._player)


def test_every_page_is_named_and_reachable(window, qtbot):
    check_view(window.library, window, "library")
    for key in window._page_factories:
        window.show_page(key)
        check_view(window.pages[key], window, key)


def test_every_session_screen_is_named_and_reachable(window, qtbot):
    window.start_practice(window.context.practice("unblending"), playback_rate=0.01)
    session = window.session
    session.audio.cancel()
    check_view(session, window, "check-in")
    session.checkin.energy_box.setChecked(True)
    check_view(session, window, "check-in with Self-energy")
    session.checkin.go.click()
    session.runner.go_to(2)                                  # a step that offers the body map
    check_view(session, window, "player")
    session.ground()
    check_view(session, window, "grounding")
    session.grounding_view.back.click()
    while session.runner.state.value != "check-out":
        session.runner.next_step()
    check_view(session, window, "check-out")
    session.checkout.go.click()
    check_view(session, window, "done")
