"""The library: the practices on offer, and any scripts that need fixing."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from app.core.practice import BrokenScript, Practice
from app.ui.widgets import button, label

BROKEN_ROLE = Qt.ItemDataRole.UserRole + 1


def practice_line(p: Practice) -> str:
    origin = "" if p.bundled else "  ·  your own"
    tags = "  ·  " + ", ".join(p.tags) if p.tags else ""
    return f"{p.minutes:g} min  ·  {len(p.steps)} steps{origin}{tags}"


class LibraryView(QWidget):
    practice_chosen = Signal(object)        # Practice
    body_check_in = Signal()

    def __init__(self, practices: list[Practice], broken: list[BrokenScript],
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.practices = practices
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(14)
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(label("Practices", "title"))
        heading.addWidget(label("Choose what feels right today. Something gentle is always a "
                                "good choice.", "subtitle"))
        top.addLayout(heading, 1)
        self.body_button = button("Quick body check-in", "Quick body check-in",
                                  tip="Mark where you feel something, without a practice")
        top.addWidget(self.body_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)

        self.list = QListWidget()
        self.list.setAccessibleName("Practices")
        self.list.setSpacing(4)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        for practice in practices:
            self._add_item(practice.title, practice_line(practice), practice.summary, practice)
        for script in broken:
            problems = "\n".join(str(p) for p in script.problems[:6])
            more = len(script.problems) - 6
            if more > 0:
                problems += f"\n… and {more} more"
            item = self._add_item(f"{script.path.name} needs fixing",
                                  "This script has problems, so it can't be used yet:",
                                  problems, None)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            item.setData(BROKEN_ROLE, True)
        layout.addWidget(self.list, 1)

        row = QHBoxLayout()
        row.addWidget(label("Tip: press Esc at any moment of a practice to pause and ground.",
                            "muted"), 1)
        self.begin = button("Begin", "Begin the selected practice", "primary")
        self.begin.setEnabled(False)
        row.addWidget(self.begin)
        layout.addLayout(row)

        self.list.currentItemChanged.connect(self._on_current)
        self.list.itemActivated.connect(lambda item: self._choose(item))
        self.begin.clicked.connect(lambda: self._choose(self.list.currentItem()))
        self.body_button.clicked.connect(self.body_check_in)
        if practices:
            self.list.setCurrentRow(0)

    def _add_item(self, title: str, line: str, summary: str,
                  practice: Practice | None) -> QListWidgetItem:
        item = QListWidgetItem(self.list)
        item.setData(Qt.ItemDataRole.UserRole, practice)
        widget = QWidget()
        widget.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        box = QVBoxLayout(widget)
        box.setContentsMargins(12, 10, 12, 10)
        box.setSpacing(2)
        heading = QLabel(title)
        heading.setStyleSheet("font-size: 14pt; font-weight: 600; background: transparent;")
        meta = label(line, "muted")
        text = label(summary)
        for part in (heading, meta, text):
            part.setStyleSheet(part.styleSheet() + "background: transparent;")
            box.addWidget(part)
        if practice is None:
            widget.setEnabled(False)
        item.setSizeHint(widget.sizeHint())
        item.setText("")
        item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{title}. {line} {summary}")
        self.list.setItemWidget(item, widget)
        return item

    def _on_current(self, item: QListWidgetItem | None) -> None:
        self.begin.setEnabled(bool(item and item.data(Qt.ItemDataRole.UserRole)))

    def _choose(self, item: QListWidgetItem | None) -> None:
        practice = item.data(Qt.ItemDataRole.UserRole) if item else None
        if practice is not None:
            self.practice_chosen.emit(practice)

    def focus_list(self) -> None:
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)
