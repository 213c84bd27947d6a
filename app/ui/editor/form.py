"""The practice as a whole: title, summary, tags, pacing note, and its length as you type."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QGridLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget,
)

from app.core.practice_check import CheckResult, FieldRef
from app.core.practice_draft import Draft
from app.core.scripts import KNOWN_TAGS
from app.ui.common.theme import Palette
from app.ui.common.widgets import label
from app.ui.editor.fields import FieldMessage, captioned

TAG_COLUMNS = 4
MAX_TITLE = 120
MAX_SUMMARY = 400


def length_text(seconds: float | None) -> str:
    if seconds is None:
        return "Its length will show here once every pause and listening time has a number."
    minutes = seconds / 60
    if minutes < 1:
        return "About a minute, with its pauses, listening time and quiet."
    return f"About {minutes:.0f} minutes, with its pauses, listening time and quiet."


def _text(value: object) -> str:
    return value if isinstance(value, str) else ""


class PracticeForm(QWidget):
    changed = Signal(str, object)          # key of [practice], new value

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self._written: list[str] = []         # the tags as the file lists them
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.title = QLineEdit()
        self.title.setMaxLength(MAX_TITLE)
        self.title.setPlaceholderText("For example: An evening rest")
        self.summary = QLineEdit()
        self.summary.setMaxLength(MAX_SUMMARY)
        self.summary.setPlaceholderText("One line about what it offers")
        self.pacing = QPlainTextEdit()
        self.pacing.setTabChangesFocus(True)
        self.pacing.setFixedHeight(64)
        self.pacing.setPlaceholderText("For example: Go gently. You can stop at any moment.")
        self.messages: dict[str, FieldMessage] = {
            "title": captioned(column, "Title", self.title, palette, "Title of the practice"),
            "summary": captioned(column, "Summary", self.summary, palette, "Summary"),
        }
        self.tag_boxes = self._tags(column, palette)
        self.messages["pacing"] = captioned(
            column, "A note on pacing (optional)", self.pacing, palette, "Pacing note",
            hint="Shown before the practice begins.")
        self.length = label(length_text(None), "muted")
        self.length.setAccessibleDescription("Estimated length")
        column.addWidget(self.length)
        self.title.textEdited.connect(lambda text: self.changed.emit("title", text))
        self.summary.textEdited.connect(lambda text: self.changed.emit("summary", text))
        self.pacing.textChanged.connect(self._pacing_changed)
        self._loading = False

    def _tags(self, column: QVBoxLayout, palette: Palette) -> dict[str, QCheckBox]:
        holder = QWidget()
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        boxes = {}
        for index, tag in enumerate(sorted(KNOWN_TAGS)):
            box = QCheckBox(tag)
            box.setAccessibleName(f"Tag: {tag}")
            box.toggled.connect(lambda _on: self.changed.emit("tags", self.tags()))
            grid.addWidget(box, index // TAG_COLUMNS, index % TAG_COLUMNS)
            boxes[tag] = box
        self.messages["tags"] = captioned(column, "Tags", holder, palette, "Tags",
                                          hint="They help find it in the library.")
        holder.setFocusProxy(boxes[sorted(KNOWN_TAGS)[0]])
        return boxes

    def _pacing_changed(self) -> None:
        if not self._loading:
            self.changed.emit("pacing", " ".join(self.pacing.toPlainText().split()))

    def tags(self) -> list[str]:
        """In the order the tags were written, new ones after (a diff stays small)."""
        chosen = [tag for tag, box in self.tag_boxes.items() if box.isChecked()]
        return sorted(chosen, key=lambda t: (t not in self._written, self._written.index(t)
                                             if t in self._written else 0, t))

    def load(self, draft: Draft) -> None:
        doc = draft.doc
        self._loading = True
        for line, key in ((self.title, "title"), (self.summary, "summary")):
            line.setText(_text(doc.practice(key, "")))
        self.pacing.setPlainText(_text(doc.practice("pacing", "")))
        self._loading = False
        tags = doc.practice("tags", [])
        self._written = [t for t in tags if isinstance(t, str)] if isinstance(tags, list) else []
        for tag, box in self.tag_boxes.items():
            box.blockSignals(True)
            box.setChecked(tag in self._written)
            box.blockSignals(False)

    def show_check(self, result: CheckResult, draft: Draft) -> None:
        for key, message in self.messages.items():
            where = FieldRef(None, key)
            message.show_messages(result.at(where) if draft.shown(where) else [])
        self.length.setText(length_text(result.estimate_seconds))

    def field_for(self, key: str | None) -> QWidget:
        return {"summary": self.summary, "pacing": self.pacing,
                "tags": self.tag_boxes[sorted(KNOWN_TAGS)[0]]}.get(key or "", self.title)
