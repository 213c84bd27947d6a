"""The end of a sitting: the shift, plainly, and a warm close."""
from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.core.practice import Practice
from app.ui.common.widgets import button, card, label

CLOSINGS = {
    "completed": "Thank you for taking this time with yourself.",
    "grounded": "You listened to what you needed and stopped. That is part of the practice too.",
    "stopped_early": "You stopped here today. Coming back another time is always welcome.",
}


class DoneView(QWidget):
    finished = Signal()

    def __init__(self, practice: Practice, shift: tuple[int, int] | None,
                 outcome: str | None, note: str | None = None, *,
                 kept_marks: Sequence[str] = (), parent: QWidget | None = None):
        """`kept_marks`: body marks left half-filled and kept (as the practice ended, or as
        the media keys moved it on from the map), in words, so nothing is written without
        the person hearing of it."""
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(40, 40, 40, 40)
        layout.setSpacing(18)
        layout.addWidget(label(CLOSINGS.get(outcome or "completed", CLOSINGS["completed"]),
                               "title"))
        self.shift_label = label("")
        if shift:
            frame, box = card()
            before, after = shift
            box.addWidget(label("Intensity", "muted"))
            self.shift_label.setText(f"{before}  →  {after}")
            self.shift_label.setStyleSheet("font-size: 34pt; font-weight: 600;")
            self.shift_label.setAccessibleName(f"Intensity went from {before} to {after}")
            box.addWidget(self.shift_label)
            box.addWidget(label(_describe(before, after), "subtitle"))
            layout.addWidget(frame)
        if note:
            layout.addWidget(label(f"Your note: {note}", "muted"))
        layout.addWidget(label(f"{practice.title} is saved in your journal. You can see how "
                               "things shift over the weeks in Progress.", "muted"))
        self.kept_label = label(_kept_words(kept_marks), "muted") if kept_marks else None
        if self.kept_label is not None:
            layout.addWidget(self.kept_label)
        row = QHBoxLayout()
        self.back = button("Back to practices", "Back to the practices", "primary")
        row.addWidget(self.back, 0, Qt.AlignmentFlag.AlignLeft)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(1)
        self.back.clicked.connect(self.finished)


def _kept_words(kept: Sequence[str]) -> str:
    if len(kept) == 1:
        return f"The place you chose on the body map is kept with it: {kept[0]}."
    return f"The places you chose on the body map are kept with it: {'; '.join(kept)}."


def _describe(before: int, after: int) -> str:
    if after < before:
        return "A little more room than before."
    if after == before:
        return "About the same as before, and that is fine."
    return "A bit stronger than before. Be gentle with yourself; grounding can help."
