"""About these practices: reachable from the library by keyboard, plain text, and back again."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from app.storage.script_files import load_all
from app.storage.preferences import Preferences
from app.ui.context import AppContext
from app.ui.library.about import ABOUT_SECTIONS, AboutView
from app.ui.main_window import MainWindow


def test_about_opens_from_the_library_and_returns(qtbot, tmp_path):
    practices, broken = load_all()
    window = MainWindow(AppContext(practices, broken, Preferences(),
                                   journal_path=str(tmp_path / "journal.db")))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    about_button = window.library.about_button
    assert about_button.accessibleName() == "About these practices"
    about_button.setFocus()
    qtbot.keyClick(about_button, Qt.Key.Key_Space)
    page = window.stack.currentWidget()
    assert isinstance(page, AboutView)
    qtbot.waitUntil(page.back_button.hasFocus, timeout=2000)
    texts = [w for w in page.findChildren(QLabel) if w.text() in dict(ABOUT_SECTIONS).values()]
    assert len(texts) == len(ABOUT_SECTIONS)
    assert all(w.textFormat() == Qt.TextFormat.PlainText for w in texts)
    assert "therapist" in texts[-1].text() and "not therapy" in texts[1].text()
    qtbot.keyClick(page.back_button, Qt.Key.Key_Space)
    assert window.stack.currentWidget() is window.library
    qtbot.waitUntil(about_button.hasFocus, timeout=2000)
