"""An unexpected error in the window: logged with its traceback, told in one calm sentence."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QTimer, QUrl, Slot
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from app import log, paths
from app.ui import error_reporting
from app.ui.settings.help import HelpSettings
from tests.support.factories import tone_wav


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


# Stops a playing QMediaPlayer again and again while its audio thread warns that there is no
# sound device: with a Python Qt message handler installed (as the window had), the audio
# thread waits for the GIL that the GUI thread holds inside stop(), which waits for the audio
# thread. That froze 3 runs of 3 within 300 stops; the process gives up after 20 s.
_STOP_WHILE_QT_WARNS = """
import faulthandler, sys
faulthandler.dump_traceback_later(60, exit=True)  # a freeze is for good; 300 plays take 2-10 s
from pathlib import Path
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from app.qt.player import GuidancePlayer
from app.ui.error_reporting import install_error_reporting
app = QApplication([])
install_error_reporting()
player = GuidancePlayer()   # the app's one player, as the window makes it
wav = Path(sys.argv[1])
for i in range(300):
    player.play_file(wav)
    loop = QEventLoop()
    QTimer.singleShot(i % 7, loop.quit)
    loop.exec()
    player.stop()
print("stopped 300 times", file=sys.stderr)
"""


def test_stopping_the_voice_while_qt_warns_never_freezes(tmp_path: Path) -> None:
    """Qt calls its message handler on whichever thread warns; the window installs none in
    Python, so QtMultimedia's audio thread never waits for the GIL (it did, and froze). The
    app's own GuidancePlayer plays: a bare QMediaPlayer with a Python-made QAudioOutput can
    freeze in stop() on its own under load (its audio thread asks PySide, under the GIL, about
    the output's disconnectNotify while the GUI thread holds the GIL waiting for it: 2 of 20
    runs hung beside 3 busy processes, GuidancePlayer 0 of 55; see app/qt/player.py)."""
    wav = tone_wav(tmp_path / "tone.wav", seconds=1.0)
    env = {**os.environ, "SECUREBASE_HOME": str(tmp_path / "home"), "QT_QPA_PLATFORM": "offscreen",
           "PULSE_SERVER": f"unix:{tmp_path}/no-sound-here"}  # no device: the audio thread warns
    env.pop("QT_LOGGING_RULES", None)
    result = subprocess.run([sys.executable, "-c", _STOP_WHILE_QT_WARNS, str(wav)],
                            capture_output=True, text=True, timeout=120, env=env,
                            cwd=paths.PROJECT_ROOT)
    assert "No audio device detected" in result.stderr  # the warning really fired
    assert result.returncode == 0, result.stderr[-2000:]
    assert "stopped 300 times" in result.stderr


def test_no_python_handler_for_qt_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same rule, checked directly: Qt's messages stay with Qt (stderr); Python's errors
    still go to the log."""
    from PySide6.QtCore import qInstallMessageHandler
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    error_reporting.install_error_reporting()
    try:
        assert qInstallMessageHandler(None) is None
    finally:
        log.stop_logging()
