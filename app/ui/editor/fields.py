"""Pieces every part of the practice editor uses: a caption, a message beside a field."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from app.core.practice_check import Message
from app.ui.common.theme import Palette
from app.ui.common.widgets import label


class FieldMessage(QLabel):
    """The check's words about one field, right under it; hidden while there are none.

    The field's accessible description carries the same words, so a screen reader says the
    problem when the field takes the focus."""

    def __init__(self, field: QWidget, palette: Palette, name: str):
        super().__init__()
        self.field, self.palette_ = field, palette
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)     # the words may quote the script
        self.setAccessibleDescription(f"About {name.lower()}")
        self.setProperty("role", "fieldmessage")
        self.hide()

    def show_messages(self, messages: list[Message]) -> None:
        errors = [m.text for m in messages if not m.warning]
        warnings = [m.text for m in messages if m.warning]
        lines = [_sentence(t) for t in errors] + [f"Worth a look: {_sentence(t)}"
                                                  for t in warnings]
        text = "\n".join(lines)
        colour = self.palette_.ground if errors else self.palette_.muted
        self.setStyleSheet(f"color: {colour};")
        self.setText(text)
        self.setVisible(bool(text))
        self.field.setAccessibleDescription(text)

    @property
    def shown_text(self) -> str:
        return self.text() if not self.isHidden() else ""


def _sentence(text: str) -> str:
    text = text.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "?", "!")) else text + "."


def captioned(column: QVBoxLayout, caption: str, field: QWidget, palette: Palette,
              accessible: str, hint: str = "") -> FieldMessage:
    """Caption (the field's buddy), optional hint, the field, then its message."""
    title = label(caption)
    title.setProperty("role", "caption")
    title.setStyleSheet("font-weight: 600; padding-top: 6px;")
    title.setBuddy(field)
    field.setAccessibleName(accessible)
    column.addWidget(title)
    if hint:
        column.addWidget(label(hint, "muted"))
    column.addWidget(field)
    message = FieldMessage(field, palette, accessible)
    column.addWidget(message)
    return message
