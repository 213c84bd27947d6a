"""The library: the practices on offer, your own below them, and any scripts that need fixing."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from app.core.library_card import LibraryCard, card_line, card_of
from app.ui.library.delegate import (
    BROKEN_ROLE, HEADER_ROLE, META_ROLE, PRACTICE_ID_ROLE, SCRIPT_ROLE, SUMMARY_ROLE,
    TITLE_ROLE, LibraryDelegate,
)
from app.ui.library.yours_bar import YoursBar
from app.ui.common.theme import Palette
from app.ui.common.widgets import button, label

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.core.practice import Practice          # made after the first frame (AppContext)
    from app.core.problems import BrokenScript      # made only when the library holds one

YOURS_EMPTY = ("Practices you write, or are given, appear here. New practice starts one; "
               "Duplicate makes your own version of any practice.")


def practice_line(p: Practice) -> str:
    return card_line(card_of(p))


class LibraryView(QWidget):
    practice_chosen = Signal(object)        # Practice
    body_check_in = Signal()
    about = Signal()                        # "About these practices"
    new_requested = Signal()
    edit_requested = Signal(object)         # Practice or BrokenScript
    duplicate_requested = Signal(object)    # Practice
    delete_requested = Signal(object)       # Practice or BrokenScript
    share_requested = Signal(object)        # Practice
    import_requested = Signal()
    undo_requested = Signal()

    def __init__(self, practices: list[Practice], broken: list[BrokenScript],
                 palette: Palette, parent: QWidget | None = None, *,
                 cards: "tuple[list[LibraryCard], Callable[[str], Practice | None]] | None"
                 = None):
        """With `cards` (the cards, and where to find a practice by its id), the library is
        shown from them and `practices` and `broken` are not looked at."""
        super().__init__(parent)
        self._cards: dict[str, LibraryCard] = {}
        self._practice_of: Callable[[str], Practice | None] = lambda _id: None
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
        self._layout = layout

        self.list = QListWidget()
        # A viewport made here, so PySide knows its type: the first time Python asks Qt for a
        # widget Qt made (the delegate sizes cards to the viewport), PySide builds the enums
        # of every widget class to find its type (~45 ms before the first frame).
        self.list.setViewport(QWidget())
        self.list.setAccessibleName("Practices")
        self.delegate = LibraryDelegate(palette, self.list)
        self.list.setItemDelegate(self.delegate)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(False)
        self.list.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.list.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        layout.addWidget(self.list, 1)
        self.yours = YoursBar()
        layout.addWidget(self.yours)

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
        self._connect_yours()
        if cards is None:
            self.set_practices(practices, broken)
        else:
            self._show(*cards, [])

    def _connect_yours(self) -> None:
        bar = self.yours
        bar.new.connect(self.new_requested)
        bar.import_file.connect(self.import_requested)
        bar.undo.connect(self.undo_requested)
        for signal, wanted in ((bar.edit, self.edit_requested), (bar.delete,
                                                                  self.delete_requested)):
            signal.connect(lambda w=wanted: self._own() is not None and w.emit(self._own()))
        for signal, wanted in ((bar.duplicate, self.duplicate_requested),
                               (bar.share, self.share_requested)):
            signal.connect(lambda w=wanted: self.current_practice() is not None
                           and w.emit(self.current_practice()))

    def set_practices(self, practices: list[Practice], broken: list[BrokenScript]) -> None:
        """Show the library as it is now, keeping the selection where it can."""
        by_id = {practice.id: practice for practice in practices}
        self._show([card_of(practice) for practice in practices], by_id.get, broken)

    def _show(self, cards: list[LibraryCard], practice_of: Callable[[str], Practice | None],
              broken: list[BrokenScript]) -> None:
        chosen = self._current_id()
        self.list.clear()       # first: clearing moves the current row onto old items
        self._cards = {card.id: card for card in cards}
        self._practice_of = practice_of
        for card in cards:
            if not card.bundled and not self._has_header():
                self._add_header()
            self._add_item(card.title, card_line(card), card.summary, card.id)
        if not self._has_header():
            self._add_header()
        for script in broken:
            problems = "\n".join(str(p) for p in script.problems[:6])
            more = len(script.problems) - 6
            if more > 0:
                problems += f"\n… and {more} more"
            item = self._add_item(f"{script.path.name} needs fixing",
                                  "This script has problems, so it can't be used yet:",
                                  problems, None)
            item.setData(BROKEN_ROLE, True)
            item.setData(SCRIPT_ROLE, script)
        if chosen is None or not self.select(chosen):
            if cards:
                self.list.setCurrentRow(0)
        self._on_current(self.list.currentItem())

    def _has_header(self) -> bool:
        return any(self.list.item(i).data(HEADER_ROLE) for i in range(self.list.count()))

    def _add_header(self) -> None:
        """A heading row (painted without a card); with a word on how to begin while the
        person has no practice of their own."""
        own = any(not card.bundled for card in self._cards.values())
        item = self._add_item("Your practices", "" if own else YOURS_EMPTY, "", None)
        item.setData(HEADER_ROLE, True)

    def _add_item(self, title: str, line: str, summary: str,
                  practice_id: str | None) -> QListWidgetItem:
        item = QListWidgetItem(self.list)
        item.setData(PRACTICE_ID_ROLE, practice_id)
        item.setData(TITLE_ROLE, title)
        item.setData(META_ROLE, line)
        item.setData(SUMMARY_ROLE, summary)
        # what a screen reader announces for the row
        item.setText(". ".join(part for part in (title, line, summary) if part))
        return item

    def set_palette(self, palette: Palette) -> None:
        self.delegate.palette = palette
        self.list.viewport().update()

    def _current_id(self) -> str | None:
        item = self.list.currentItem()
        return item.data(PRACTICE_ID_ROLE) if item else None

    def current_practice(self) -> Practice | None:
        practice_id = self._current_id()
        return None if practice_id is None else self._practice_of(practice_id)

    def _own(self) -> Practice | BrokenScript | None:
        """The selected practice or broken script, when it is the person's own."""
        item = self.list.currentItem()
        if item is None or not self._is_own(item):
            return None
        practice_id, script = item.data(PRACTICE_ID_ROLE), item.data(SCRIPT_ROLE)
        return script if practice_id is None else self._practice_of(practice_id)

    def _is_own(self, item: QListWidgetItem) -> bool:
        """Whether a row is the person's own practice or broken script (told without making
        the practice's record: the first frame asks)."""
        practice_id, script = item.data(PRACTICE_ID_ROLE), item.data(SCRIPT_ROLE)
        if practice_id is not None:
            return not self._cards[practice_id].bundled
        from app import paths
        bundled = paths.BUNDLED_SCRIPTS_DIR.resolve()
        return script is not None and script.path.resolve().parent != bundled

    def select(self, practice_id: str) -> bool:
        for row in range(self.list.count()):
            if self.list.item(row).data(PRACTICE_ID_ROLE) == practice_id:
                self.list.setCurrentRow(row)
                return True
        return False

    def show_notice(self, text: str, undo: bool = False) -> None:
        self.yours.show_notice(text, undo)

    def _on_current(self, item: QListWidgetItem | None) -> None:
        is_practice = item is not None and item.data(PRACTICE_ID_ROLE) is not None
        self.begin.setEnabled(is_practice)
        self.yours.enable_for(is_practice, item is not None and self._is_own(item))

    def _choose(self, item: QListWidgetItem | None) -> None:
        practice_id = item.data(PRACTICE_ID_ROLE) if item else None
        practice = None if practice_id is None else self._practice_of(practice_id)
        if practice is not None:
            self.practice_chosen.emit(practice)

    def add_band(self, band: QWidget) -> None:
        """A band under the heading (a practice left mid-way: app.ui.library.left_practice),
        reached by Tab where it is seen: after the heading's buttons, before the list."""
        self._layout.insertWidget(1, band)
        chain = [self.about_button, *band.findChildren(QPushButton), self.list]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    def show_current(self) -> None:
        item = self.list.currentItem()
        if item is not None:
            self.list.scrollToItem(item)

    def focus_list(self) -> None:
        self.list.setFocus()
