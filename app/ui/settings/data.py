"""Settings → Your data: export everything, or delete everything after a typed confirmation."""
from __future__ import annotations

from functools import partial
from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog, QHBoxLayout, QInputDialog, QLineEdit, QMessageBox, QWidget,
)

from app import paths
from app.core.records import now_iso
from app.qt.journal_service import plain_message
from app.qt.progress_reads import export_file
from app.ui.context import AppContext
from app.ui.common.flow import FlowLayout
from app.ui.common.widgets import button, card, label

CONFIRM_WORD = "delete"


class DataSettings(QWidget):
    data_deleted = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        frame, box = card()
        outer = QHBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(frame)
        box.addWidget(label("Your data", "subtitle"))
        box.addWidget(label("Everything you record stays in one private folder on this "
                            "computer:", "muted"))
        # on a line of its own: run on after the sentence, it broke after its first "/"
        self.folder = label(str(paths.data_dir()), "muted")
        self.folder.setTextFormat(Qt.TextFormat.PlainText)
        self.folder.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder.setAccessibleName("The data folder")
        box.addWidget(self.folder)
        row = FlowLayout()                 # wraps in a narrow window
        self.export_json = button("Export everything (JSON)…", "Export everything as JSON")
        self.export_csv = button("Export tables (CSV)…", "Export tables as CSV files in a zip")
        self.export_pdf = button("Report for a therapist (PDF)…", "Export a PDF report")
        for widget in (self.export_json, self.export_csv, self.export_pdf):
            row.addWidget(widget)
        box.addLayout(row)
        self.status = label("", "muted")
        box.addWidget(self.status)
        box.addSpacing(12)
        danger = QHBoxLayout()
        danger.addWidget(label("Deleting removes your journal, its backups, your recordings, "
                               "rendered audio, preferences and the log from this computer. "
                               "It cannot be undone.", "muted"), 1)
        self.delete = button("Delete all my data…", "Delete all my data")
        danger.addWidget(self.delete)
        box.addLayout(danger)

        self.export_json.clicked.connect(lambda: self._export("json", "JSON (*.json)", ".json"))
        self.export_csv.clicked.connect(lambda: self._export("csv", "Zip archive (*.zip)", ".zip"))
        self.export_pdf.clicked.connect(lambda: self._export("pdf", "PDF (*.pdf)", ".pdf"))
        self.delete.clicked.connect(self.ask_delete)

    def _export(self, kind: str, filter_text: str, suffix: str) -> None:
        default = Path.home() / f"securebase-{now_iso()[:10]}{suffix}"
        target, _ = QFileDialog.getSaveFileName(self, "Export", str(default), filter_text)
        if target:
            self.export_to(kind, Path(target))

    def export_to(self, kind: str, target: Path, on_done: Callable[[str], None] | None = None
                  ) -> None:
        """Export on the journal thread; `on_done` hears the sentence shown beside the buttons
        (what was saved where, or why not)."""
        from app.ui.report.pdf import render     # QtGui only, no widgets: any thread may draw
        self.status.setText("Exporting…")
        self.context.journal.read(
            partial(export_file, kind=kind, target=target, render=render),
            on_done=lambda message: self._finish(on_done, message),
            on_error=lambda exc: self._finish(on_done, plain_message(exc)), owner=self)

    def _finish(self, on_done, message: str) -> None:
        self.status.setText(message)
        if on_done:
            on_done(message)

    def ask_delete(self) -> None:
        word, ok = QInputDialog.getText(
            self, "Delete all my data",
            f"This removes your whole journal and its backups for good.\nTo confirm, type "
            f"the word {CONFIRM_WORD}:", QLineEdit.EchoMode.Normal, "")
        if ok:
            self.delete_all(word)

    def delete_all(self, typed: str) -> bool:
        """Delete everything once the person typed the word; the journal service closes the
        journal on its thread first. `data_deleted` says when it is done."""
        if typed.strip().lower() != CONFIRM_WORD:
            self.status.setText("Nothing was deleted.")
            return False
        self.delete.setEnabled(False)
        self.status.setText("Deleting…")
        self.context.journal.delete_everything(self._deleted, owner=self)
        return True

    def _deleted(self, report) -> None:
        self.delete.setEnabled(True)
        self.status.setText("All your data has been deleted. Secure Base will start fresh.")
        QMessageBox.information(self, "Secure Base", "All your data has been deleted from this "
                                f"computer ({len(report.removed)} items). Secure Base will "
                                "start fresh.")
        self.data_deleted.emit()
