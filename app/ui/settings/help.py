"""Settings → Help: where the log is, for someone helping the person."""
from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.log import log_dir
from app.ui.common.widgets import button, card, label


class HelpSettings(QWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        frame, box = card()
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        box.addWidget(label("Help", "subtitle"))
        row = QHBoxLayout()
        row.addWidget(label("If something goes wrong, Secure Base notes what happened in a "
                            "small log on this computer: never what you write, your notes or "
                            "your parts. Someone helping you may ask for it.", "muted"), 1)
        self.open_log = button("Open the log folder", "Open the log folder")
        self.open_log.clicked.connect(self.open_log_folder)
        row.addWidget(self.open_log)
        box.addLayout(row)

    def open_log_folder(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(log_dir())))
