"""The body map's keyboard path: type to filter the areas, arrows to move, Enter to open."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtCore import QEvent, QModelIndex, QObject
from PySide6.QtGui import QFocusEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget,
)

from app.core import body
from app.core.progress import RegionHeat
from app.core.progress_text import average_strength
from app.core.records import VIEWS
from app.ui.common.widgets import plain


# Everyday words a person may type for areas the map names otherwise (belly, thigh, eyes…).
EVERYDAY_WORDS = {"belly": "stomach tummy gut abdomen", "thigh": "leg", "knee": "leg",
                  "calf": "leg", "shin": "leg", "buttock": "bottom bum seat",
                  "chest": "breast", "eyes": "face", "forehead": "face", "nose": "face",
                  "mouth": "face", "foot": "feet toes", "hand": "fingers"}
SEARCHED = Qt.ItemDataRole.UserRole + 1
NOTHING_FOUND = "No body area is called"


def searched_words(label: str) -> str:
    """What a search matches for an area: its label and the everyday words for it."""
    text = label.lower()
    return " ".join([text, *(extra for word, extra in EVERYDAY_WORDS.items() if word in text)])


class AreaList(QListWidget):
    """The body areas. Qt makes the first row current when Tab brings the focus in; that
    named and outlined "Crown of the head" as if the person had picked it. Focus alone
    chooses nothing here: no row is current until an arrow key moves to one (Down from
    nothing goes to the first row), and only Enter or a click opens an area."""

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 (Qt naming)
        had_current = self.currentIndex().isValid()
        blocked = self.blockSignals(True)            # no preview for the row Qt picks
        try:
            super().focusInEvent(event)
            if not had_current:
                self.setCurrentIndex(QModelIndex())
        finally:
            self.blockSignals(blocked)


class RegionFinder(QWidget):
    """Everything a tap does, without a mouse: type to filter, arrows to move, Enter to open.

    Also holds the status line (hovered region, what was just saved) and the undo button.
    """

    chosen = Signal(str, str)                       # view, region id: open the panel for it
    current = Signal(str, str)                      # the list's current region ("": none)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        intro = QLabel("Tap the figure, or choose an area from the list.", self)
        intro.setWordWrap(True)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Find a body area…")
        self.filter.setAccessibleName("Find a body area")
        self.filter.setClearButtonEnabled(True)
        self.list = AreaList(self)
        self.list.setAccessibleName("Body areas")
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setWordWrap(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._fill()
        self.status = QLabel(" ", self)
        plain(self.status)
        self.status.setProperty("role", "muted")
        self.status.setWordWrap(True)
        self.status.setAccessibleDescription("About the body map")   # named by its words
        self.undo_button = QPushButton("Undo last mark", self)
        self.undo_button.setAccessibleName("Undo last mark")
        self.undo_button.setToolTip("Ctrl+Z")
        for w in (intro, self.filter, self.list, self.status, self.undo_button):
            column.addWidget(w)
        QWidget.setTabOrder(self.filter, self.list)
        QWidget.setTabOrder(self.list, self.undo_button)
        self.filter.textChanged.connect(self._apply_filter)
        self.filter.returnPressed.connect(self._open_current)
        self.filter.installEventFilter(self)
        self.list.itemActivated.connect(self._open_item)
        self.list.currentItemChanged.connect(self._on_current)

    def _fill(self) -> None:
        for view in VIEWS:
            for reg in body.regions(view):
                item = QListWidgetItem(f"{reg.label} · {view}", self.list)
                item.setData(Qt.ItemDataRole.UserRole, (view, reg.id))
                item.setData(SEARCHED, searched_words(item.text()))
                item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{reg.label}, {view} view")

    def describe(self, view: str, region_id: str, heat: RegionHeat | None = None) -> None:
        """Name the region under the pointer (and how it was marked, with the heat overlay)."""
        if not region_id:
            self.status.setText(" ")
            return
        text = f"{body.label(region_id, view)} ({view})"
        if heat:
            text += (f": noticed {heat.count} time{'s' if heat.count != 1 else ''}, "
                     + average_strength(heat.mean_intensity, heat.count, heat.rated))
        self.status.setText(text)

    def visible_items(self) -> list[QListWidgetItem]:
        items = (self.list.item(r) for r in range(self.list.count()))
        return [item for item in items if not item.isHidden()]

    def _apply_filter(self, text: str) -> None:
        words = text.lower().split()
        for row in range(self.list.count()):
            item = self.list.item(row)
            item.setHidden(not all(w in item.data(SEARCHED) for w in words))
        shown = self.visible_items()
        current = self.list.currentItem()
        if not shown:
            # nothing found: let go of the area found before, so the figure outlines nothing
            # and a screen reader is not told of a hidden item on Tab (current("", "") first,
            # as it clears the status line the words below then take)
            self.list.clearSelection()
            self.list.setCurrentRow(-1)
        elif words and (current is None or current.isHidden()):
            self.list.setCurrentItem(shown[0])
        if words and not shown:
            self.status.setText(f"{NOTHING_FOUND} “{text.strip()}”. Try another word, or tap "
                                "the figure.")
        elif self.status.text().startswith(NOTHING_FOUND):   # other news stays
            self.status.setText(" ")

    def _open_current(self) -> None:
        item = self.list.currentItem()
        if item is not None and not item.isHidden():
            self._open_item(item)

    def _open_item(self, item: QListWidgetItem) -> None:
        self.chosen.emit(*item.data(Qt.ItemDataRole.UserRole))

    def _on_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        # no current item (a search that found nothing): ("", "") lets the figure go too
        self.current.emit(*(item.data(Qt.ItemDataRole.UserRole) if item is not None
                            else ("", "")))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        # Down/Up in the search field walk the list, so typing hands never leave the keys.
        # (A key event arrives typed as QEvent: the ignores below.)
        if watched is self.filter and event.type() == QEvent.Type.KeyPress \
                and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):  # type: ignore[attr-defined]
            self._step(1 if event.key() == Qt.Key.Key_Down else -1)  # type: ignore[attr-defined]
            return True
        # Ctrl+Z here takes back the last mark (as the status line says), not the letters
        # typed to find an area: the field does not claim it, so the map's undo gets it.
        if watched is self.filter and event.type() == QEvent.Type.ShortcutOverride \
                and event.matches(QKeySequence.StandardKey.Undo):  # type: ignore[attr-defined]
            return True
        return super().eventFilter(watched, event)

    def _step(self, step: int) -> None:
        shown = self.visible_items()
        if not shown:
            return
        current = self.list.currentItem()
        at = shown.index(current) if current in shown else -step
        self.list.setCurrentItem(shown[max(0, min(len(shown) - 1, at + step))])
