"""An unexpected error in the window: logged with its traceback, told in one calm sentence."""
from __future__ import annotations

import sys
import threading

import pytest
from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from app import log
from app.ui import error_reporting
from app.ui.settings.help import HelpSettings


@pytest.fixture
def reporting(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    log.setup_logging()
    error_reporting.install_excepthook(notify=error_reporting.show_calm_message)
    yield
    box = error_reporting._open_box
    if box is not None:
        box.done(0)
    log.stop_logging()


def test_an_error_in_a_slot_is_logged_and_told_once(qtbot, reporting) -> None:
    name = " ".join(["Little", "one"])  # the person's words, never in the source code

    def broken_slot() -> None:
        raise ValueError(f"a part called {name!r}")

    for _ in range(3):  # the same fault three times: one box, three log entries
        QTimer.singleShot(0, broken_slot)
    qtbot.waitUntil(lambda: log.log_file().read_text().count("Unexpected error") == 3)
    box = error_reporting._open_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert box.text() == error_reporting.CALM_SENTENCE
    assert "Open the log folder" in box.informativeText()
    assert [w for w in qtbot_boxes() if w.isVisible()] == [box]
    assert "Little one" not in log.log_file().read_text()
    box.done(0)
    assert error_reporting._open_box is None


def qtbot_boxes() -> list[QMessageBox]:
    from PySide6.QtWidgets import QApplication
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


class _Catcher(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[QUrl] = []

    @Slot(QUrl)
    def open(self, url: QUrl) -> None:
        self.urls.append(url)


def test_settings_opens_the_log_folder(qtbot) -> None:
    catcher = _Catcher()
    QDesktopServices.setUrlHandler("file", catcher, "open")
    try:
        help_card = HelpSettings()
        qtbot.addWidget(help_card)
        help_card.open_log.click()
    finally:
        QDesktopServices.unsetUrlHandler("file")
    assert [url.toLocalFile() for url in catcher.urls] == [str(log.log_dir())]
    assert help_card.open_log.accessibleName() == "Open the log folder"


def test_no_python_handler_for_qt_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt calls its message handler on whichever thread warns. A Python one needs the GIL
    there: QtMultimedia's audio thread warning while the GUI thread, holding the GIL, waits for
    it inside QMediaPlayer.stop() froze the window (seen as a deadlock under pytest-qt's own
    handler). Qt's messages stay with Qt (stderr); Python's errors still go to the log."""
    from PySide6.QtCore import qInstallMessageHandler
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    error_reporting.install_error_reporting()
    try:
        assert qInstallMessageHandler(None) is None
    finally:
        log.stop_logging()
