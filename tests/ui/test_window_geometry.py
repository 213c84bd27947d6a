"""The window opens fitted to the screen and comes back where the person left it."""
from __future__ import annotations

import json
from dataclasses import replace

from PySide6.QtCore import QMargins, QRect, QSize

from app import paths
from app.storage.preferences import Preferences, load_preferences
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from app.ui.window_geometry import GUESSED_FRAME, MINIMUM, fitted
from tests.support.journal import close_context


def test_a_1280_by_800_screen_with_a_panel_shows_the_whole_window():
    panel_less = QRect(0, 32, 1280, 768)                    # a top bar takes 32 px
    inner = fitted(panel_less, QMargins(0, 37, 0, 0))       # a 37 px title bar
    frame = inner.adjusted(0, -37, 0, 0)
    assert panel_less.contains(frame)
    assert inner.size() == QSize(1280, 731)


def test_a_big_screen_gets_the_preferred_size_centred():
    inner = fitted(QRect(0, 0, 1920, 1080), GUESSED_FRAME)
    assert inner.size() == QSize(1280, 800)
    assert abs(inner.center().x() - 960) <= 4


def test_a_tiny_screen_still_gets_the_minimum():
    assert fitted(QRect(0, 0, 640, 480), GUESSED_FRAME).size() == MINIMUM


def make(context: AppContext, qtbot) -> MainWindow:
    window = MainWindow(context)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def fits(window: MainWindow) -> bool:
    """Inside the screen's free area, frame and all; the test screen (offscreen, 800×800) is
    as narrow as the window's minimum, so sideways the frame may stick out by its edges."""
    area, frame = window.screen().availableGeometry(), window.frameGeometry()
    sideways = frame.width() <= area.width() or window.width() == MINIMUM.width()
    return sideways and area.top() <= frame.top() and frame.bottom() <= area.bottom()


def test_the_first_window_fits_the_free_area(qtbot, tmp_path):
    context = AppContext([], [], Preferences(), journal_path=str(tmp_path / "j.db"))
    window = make(context, qtbot)
    qtbot.wait(20)
    assert fits(window)
    assert window.width() >= MINIMUM.width() and window.height() >= MINIMUM.height()
    window.close()
    close_context(context)


def test_the_window_comes_back_where_it_was(qtbot, tmp_path):
    context = AppContext([], [], Preferences(), journal_path=str(tmp_path / "j.db"))
    window = make(context, qtbot)
    window.setGeometry(QRect(0, 60, 800, 650))
    qtbot.wait(20)
    window.close()                                   # saved with the preferences
    close_context(context)
    saved = load_preferences()
    assert saved.window_geometry
    again = AppContext([], [], saved, journal_path=str(tmp_path / "j.db"))
    window = make(again, qtbot)
    assert window.size() == QSize(800, 650)
    window.close()
    close_context(again)


def test_a_damaged_saved_place_is_ignored(qtbot, tmp_path):
    paths.settings_file().parent.mkdir(parents=True, exist_ok=True)
    paths.settings_file().write_text(json.dumps({"window_geometry": "<not base64>"}))
    assert load_preferences().window_geometry == ""
    context = AppContext([], [], replace(Preferences(), window_geometry="AAAA"),
                         journal_path=str(tmp_path / "j.db"))
    window = make(context, qtbot)                    # Qt refuses the bytes: fitted instead
    assert fits(window)
    window.close()
    close_context(context)
