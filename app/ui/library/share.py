"""Sharing a practice as one file, and taking one in: what it is is shown before anything is
written, and a name already in the library is the person's choice, never silently replaced."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox, QDialog, QHBoxLayout, QMessageBox, QPlainTextEdit, QPushButton, QVBoxLayout,
    QWidget,
)

from app.core.practice import Practice
from app.ui.common.widgets import button, label, message

SUFFIX = ".sbpractice"                  # app.storage.practice_share.SUFFIX
MAX_NOTE = 2000


class ExportDialog(QDialog):
    """A note for the receiver, and whether the recorded steps go too; then where to save."""

    def __init__(self, practice: Practice, recordings: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Share “{practice.title}”")
        self.practice = practice
        column = QVBoxLayout(self)
        column.addWidget(label(f"“{practice.title}” will be saved as one file that you can "
                               "give to someone. Secure Base on their computer checks it "
                               "before adding it.", "muted"))
        caption = label("A note for them (optional)")
        caption.setStyleSheet("font-weight: 600;")
        self.note = QPlainTextEdit()
        self.note.setTabChangesFocus(True)
        self.note.setAccessibleName("A note for the person you share it with")
        self.note.setPlaceholderText("For example: Go slowly with step three.")
        self.note.setFixedHeight(90)
        caption.setBuddy(self.note)
        column.addWidget(caption)
        column.addWidget(self.note)
        self.with_recordings = QCheckBox(
            f"Include the {recordings} recorded part{'s' * (recordings != 1)}" if recordings
            else "No step is recorded in a voice yet")
        self.with_recordings.setAccessibleName("Include the recorded steps")
        self.with_recordings.setChecked(recordings > 0)
        self.with_recordings.setEnabled(recordings > 0)
        column.addWidget(self.with_recordings)
        self.save = _answers(self, column, ("Cancel", "Cancel"),
                             ("Choose where to save…", "Choose where to save the file"))

    def note_text(self) -> str:
        return self.note.toPlainText().strip()[:MAX_NOTE]

    def choose_file(self) -> Path | None:
        from PySide6.QtWidgets import QFileDialog
        suggested = str(Path.home() / f"{self.practice.id}{SUFFIX}")
        chosen, _ = QFileDialog.getSaveFileName(self.parentWidget(), "Save the practice as",
                                                suggested, f"Shared practice (*{SUFFIX})")
        if not chosen:
            return None
        path = Path(chosen)
        return path if path.suffix else path.with_suffix(SUFFIX)


class ImportDialog(QDialog):
    """What a shared file holds, checked: add it, or not."""

    def __init__(self, summary: str, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add a shared practice")
        column = QVBoxLayout(self)
        column.addWidget(label(f"From {file_name}. It has been checked; nothing is added until "
                               "you choose to.", "muted"))
        self.summary = label(summary)
        self.summary.setAccessibleDescription("What the file holds")
        column.addWidget(self.summary)
        self.add = _answers(self, column, ("Not now", "Do not add it"),
                            ("Add to my practices", "Add it to my practices"))


def _answers(dialog: QDialog, column: QVBoxLayout, no: tuple[str, str], yes: tuple[str, str]
             ) -> QPushButton:
    """The dialog's two answers at its foot, right-aligned: (text, accessible name) each;
    the yes button is the default, and is returned."""
    row = QHBoxLayout()
    row.addStretch(1)
    cancel = button(*no)
    ok = button(*yes, "primary")
    ok.setDefault(True)
    row.addWidget(cancel)
    row.addWidget(ok)
    column.addLayout(row)
    cancel.clicked.connect(dialog.reject)
    ok.clicked.connect(dialog.accept)
    return ok


def ask_clash(parent: QWidget, text: str, bundled: bool) -> str | None:
    """"keep", "replace" or None (cancel)."""
    box = message(parent, text, "Keep both, and the new one gets its own name" +
                  ("." if bundled else "; or replace yours (it can be put back until Secure "
                   "Base is closed)."), title="A practice of that name is here already")
    keep = box.addButton("Keep both", QMessageBox.ButtonRole.AcceptRole)
    replace = None if bundled else box.addButton("Replace mine",
                                                 QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton("Cancel", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.exec()
    clicked = box.clickedButton()
    if clicked is cancel:
        return None
    return "keep" if clicked is keep else "replace" if clicked is replace else None


def choose_import_file(parent: QWidget) -> Path | None:
    from PySide6.QtWidgets import QFileDialog
    chosen, _ = QFileDialog.getOpenFileName(parent, "Add a practice from a file",
                                            str(Path.home()),
                                            f"Practices (*{SUFFIX} *.toml)")
    return Path(chosen) if chosen else None


def importable(path: Path) -> bool:
    return path.suffix.lower() in (SUFFIX, ".toml")
