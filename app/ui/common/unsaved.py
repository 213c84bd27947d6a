"""Before the window closes: say plainly if something recorded is not saved yet."""
from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.qt.journal_service import JournalService


def may_close(parent: QWidget, service: JournalService) -> bool:
    """True when nothing waits, or the person chooses to close anyway. Closing tries the
    waiting writes once more (JournalService.close)."""
    waiting = service.unsaved()
    if not waiting:
        return True
    text = service.unsaved_text()
    box = QMessageBox(parent)
    box.setWindowTitle("Not everything is saved yet")
    box.setText("Some of what you recorded could not be saved yet, usually because the disk "
                "is full.")
    box.setInformativeText(
        "Secure Base will try once more as it closes. " +
        ("Copy what you wrote first if you would like to keep it safe elsewhere." if text
         else "If it cannot, what is waiting will be lost."))
    copy = box.addButton("Copy what you wrote", QMessageBox.ButtonRole.ActionRole) \
        if text else None
    close = box.addButton("Close anyway", QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton("Stay open", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(stay)
    box.exec()
    if copy is not None and box.clickedButton() is copy:
        QGuiApplication.clipboard().setText(text)
        return False                      # stay open: paste it somewhere, then close again
    return box.clickedButton() is close
