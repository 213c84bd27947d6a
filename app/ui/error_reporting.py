"""When something unexpected happens in the window: the details go to the log, and the person
sees one calm sentence (once at a time, never a stack of boxes) and carries on."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from app.log import install_excepthook, setup_logging

if TYPE_CHECKING:   # made when a box is shown: its class and enums cost the first frame ~2 ms
    from PySide6.QtWidgets import QMessageBox
# QThread too is imported when first needed: importing a PySide class builds its enums.

CALM_SENTENCE = "Something went wrong on our side, but everything you have saved is safe."
CALM_DETAIL = ("You can carry on. If it happens again, Settings → Help → “Open the log folder” "
               "shows the details for someone helping you.")
_open_box: "QMessageBox | None" = None


def install_error_reporting() -> None:
    """Uncaught exceptions (in slots too) go to the log. Qt's own warnings stay with Qt's
    handler (stderr): a Python message handler needs the GIL on whichever thread Qt warns, and
    QtMultimedia's audio thread warning while the GUI thread waits for it in
    QMediaPlayer.stop() would freeze the window."""
    setup_logging()  # already started by the `securebase` command; here for other launchers
    install_excepthook(notify=_tell)


def show_calm_message(_kind: type[BaseException] | None = None,
                      _error: BaseException | None = None) -> "QMessageBox | None":
    """The one sentence, non-blocking; nothing when a box is already showing or off the GUI
    thread (the log still has it)."""
    global _open_box
    from PySide6.QtCore import QThread
    app = QApplication.instance()
    if not isinstance(app, QApplication) or QThread.currentThread() is not app.thread():
        print(f"securebase: {CALM_SENTENCE}", file=sys.stderr)
        return None
    if _open_box is not None:
        return None
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(QMessageBox.Icon.Information, "Secure Base", CALM_SENTENCE,
                      QMessageBox.StandardButton.Ok, QApplication.activeWindow())
    box.setInformativeText(CALM_DETAIL)
    box.setAccessibleName("Something went wrong")
    box.finished.connect(_forget_box)
    _open_box = box
    box.open()
    return box


def _tell(_kind: type[BaseException], _error: BaseException) -> None:
    show_calm_message()


def _forget_box() -> None:
    global _open_box
    if _open_box is not None:
        _open_box.deleteLater()
    _open_box = None

