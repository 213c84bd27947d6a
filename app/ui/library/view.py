"""The library: the practices on offer, and any scripts that need fixing."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.core.practice import BrokenScript, Practice
from app.ui.library.delegate import (
    BROKEN_ROLE, META_ROLE, PRACTICE_ROLE, SUMMARY_ROLE, TITLE_ROLE, LibraryDelegate,
)
from app.ui.common.theme import Palette
from app.ui.common.widgets import button, label



def practice_line(p: Practice) -> str:
    origin = "" if p.bundled else "  ·  your own"
    tags = "  ·  " + ", ".join(p.tags) if p.tags else ""
    return f"{p.minutes:g} min  ·  {len(p.steps)} steps{origin}{tags}"


class LibraryView(QWidget):
    practice_chosen = Signal(object)        # Practice
    body_check_in = Signal()
    about = Signal()                        # "About these practices"

    def __init__(self, practices: list[Practice], broken: list[BrokenScript],
                 palette: Palette, parent: QWidget | None = None):
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
        self.about_button = button("About these practices", "About these practices",
                                   tip="What IFS is, and when to see a therapist")
        button_column = QVBoxLayout()
        button_column.addWidget(self.body_button)
        button_column.addWidget(self.about_button)
        button_column.addStretch(1)
        top.addLayout(button_column)
        layout.addLayout(top)

        self.list = QListWidget()
        self.list.setAccessibleName("Practices")
        self.list.setItemDelegate(LibraryDelegate(palette, self.list))
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
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
        self.about_button.clicked.connect(self.about)
        if practices:
            self.list.setCurrentRow(0)

    def _add_item(self, title: str, line: str, summary: str,
                  practice: Practice | None) -> QListWidgetItem:
        item = QListWidgetItem(self.list)
        item.setData(PRACTICE_ROLE, practice)
        item.setData(TITLE_ROLE, title)
        item.setData(META_ROLE, line)
        item.setData(SUMMARY_ROLE, summary)
        # what a screen reader announces for the row
        item.setText(f"{title}. {line}. {summary}")
        return item

    def set_palette(self, palette: Palette) -> None:
        self.list.itemDelegate().palette = palette
        self.list.viewport().update()

    def _on_current(self, item: QListWidgetItem | None) -> None:
        self.begin.setEnabled(bool(item and item.data(PRACTICE_ROLE)))

    def _choose(self, item: QListWidgetItem | None) -> None:
        practice = item.data(PRACTICE_ROLE) if item else None
        if practice is not None:
            self.practice_chosen.emit(practice)

    def focus_list(self) -> None:
        self.list.setFocus()
