"""The body map's side column: the region finder (keyboard path) and the mark panel."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtCore import QEvent, QModelIndex, QObject
from PySide6.QtGui import QColor, QFocusEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView, QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
    QListWidget, QListWidgetItem, QPushButton, QSlider, QVBoxLayout, QWidget,
)

from app.core import body
from app.core.body import QUALITIES, QUALITY_LABELS
from app.core.progress import RegionHeat
from app.core.progress_text import average_strength
from app.core.records import VIEWS, Part
from app.ui.common.scale import AnswerSlider
from app.ui.common.theme import Palette
from app.ui.common.widgets import plain

NOTE_MAX = 280
LOW, HIGH = QColor("#f3d98c"), QColor("#d9654f")     # soft yellow -> deep coral
CHIP_COLUMNS = 2                               # room for "Buzzing / agitated"


def intensity_colour(fraction: float, alpha: float = 1.0) -> QColor:
    """Soft yellow at 0 to deep coral at 1: the colour of a mark's dot and of heat."""
    f = max(0.0, min(1.0, fraction))
    # getRgbF() gives a tuple; PySide's stubs say object (the ignores below)
    colour = QColor.fromRgbF(*(a + (b - a) * f for a, b in zip(LOW.getRgbF()[:3],  # type: ignore[index]
                                                              HIGH.getRgbF()[:3])))  # type: ignore[index]
    colour.setAlphaF(alpha)
    return colour


def dot_colour(intensity: int | None, palette: Palette) -> QColor:
    """A mark's dot: its strength's colour, or (strength not rated) the muted text colour, a
    neutral grey that no strength has and that stands out from the figure at 4.5:1 or more."""
    return QColor(palette.muted) if intensity is None else intensity_colour(intensity / 10)


def strength_words(intensity: int | None) -> str:
    return "not rated" if intensity is None else f"{intensity} / 10"


@dataclass(frozen=True)
class PanelValues:
    intensity: int | None                      # None: the person gave a place only
    qualities: tuple[str, ...]
    part_id: int | None
    note: str | None


class MarkPanel(QFrame):
    """Intensity, qualities, an optional part and note; Save or Cancel.

    It knows nothing about the journal: the body map saves what `values()` returns when
    `saveRequested` fires, so the panel stays a plain form that is easy to test.
    """

    saveRequested = Signal()
    cancelled = Signal()

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette_ = palette
        self.setProperty("role", "card")
        self.setAccessibleName("Note a sensation")
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        self.title = QLabel(self)
        plain(self.title)                     # part names and notes are the person's words
        self.title.setProperty("role", "subtitle")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        hint = QLabel("Take your time. Nothing here needs to be exact.", self)
        hint.setProperty("role", "muted")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        layout.addLayout(self._build_intensity())
        layout.addWidget(QLabel("What is it like? Choose any that fit.", self))
        layout.addLayout(self._build_chips())
        layout.addLayout(self._build_part_and_note())
        layout.addLayout(self._build_buttons())
        self.error = QLabel(self)
        plain(self.error)                     # part names and notes are the person's words
        self.error.setWordWrap(True)
        self.error.hide()
        layout.addWidget(self.error)
        layout.addStretch(1)
        self._set_tab_order()

    # -- construction ------------------------------------------------------------------------

    def _build_intensity(self) -> QVBoxLayout:
        box = QVBoxLayout()
        row = QHBoxLayout()
        question = QLabel("How strong is it? (if you like)", self)
        question.setWordWrap(True)
        row.addWidget(question, 1)
        self.intensity_value = QLabel(self)
        plain(self.intensity_value, rich=True)       # the app's own coloured dot, no user text
        self.intensity_value.setProperty("role", "subtitle")
        row.addWidget(self.intensity_value)
        box.addLayout(row)
        # The check-in's scale: it starts unanswered (no handle), a click, ←/→ or a digit
        # answers, Delete takes it back, and the wheel moves it only when it has the focus.
        self.intensity = AnswerSlider(self)
        self.intensity.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.intensity.setAccessibleName("How strong is it, 0 to 10")
        self.intensity.setToolTip("Click the line, or use ← → (Delete: not rated)")
        self.intensity.valueChanged.connect(self._show_intensity)
        self.intensity.answered_changed.connect(self._show_intensity)
        box.addWidget(self.intensity)
        # the anchor words, and between them the way back to "not rated" for a mouse
        # (Delete does it from the keyboard); one row, so the form stays short at 800×600
        self.clear_strength = QPushButton("Clear", self)
        self.clear_strength.setProperty("role", "chip")
        self.clear_strength.setAccessibleName("Clear the strength, leave it not rated")
        self.clear_strength.setToolTip("Save this mark without a strength (Delete)")
        self.clear_strength.clicked.connect(self._clear_strength)
        keep_place = self.clear_strength.sizePolicy()
        keep_place.setRetainSizeWhenHidden(True)     # shown only with a strength: no jump
        self.clear_strength.setSizePolicy(keep_place)
        ends = QHBoxLayout()
        low, high = (QLabel(text, self) for text in ("barely there", "very strong"))
        for end in (low, high):
            end.setProperty("role", "muted")
        ends.addWidget(low)
        ends.addStretch(1)
        ends.addWidget(self.clear_strength)
        ends.addStretch(1)
        ends.addWidget(high)
        box.addLayout(ends)
        return box

    def _build_chips(self) -> QGridLayout:
        grid = QGridLayout()
        grid.setSpacing(6)
        self.chips: dict[str, QPushButton] = {}
        for n, quality in enumerate(QUALITIES):
            chip = QPushButton(QUALITY_LABELS[quality], self)
            chip.setCheckable(True)
            chip.setAccessibleName(QUALITY_LABELS[quality])
            chip.setProperty("role", "chip")
            chip.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.chips[quality] = chip
            grid.addWidget(chip, n // CHIP_COLUMNS, n % CHIP_COLUMNS)
        return grid

    def _build_part_and_note(self) -> QVBoxLayout:
        box = QVBoxLayout()
        part_label = QLabel("Is a part connected to it?", self)
        self.part = QComboBox(self)
        self.part.setAccessibleName("Connected part")
        part_label.setBuddy(self.part)
        box.addWidget(part_label)
        box.addWidget(self.part)
        self.note = QLineEdit(self)
        self.note.setMaxLength(NOTE_MAX)
        self.note.setPlaceholderText("A few words, if you like")
        self.note.setAccessibleName("Note")
        self.note.returnPressed.connect(self.saveRequested)
        box.addWidget(self.note)
        return box

    def _build_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.setAccessibleName("Cancel, do not save")
        self.cancel_button.clicked.connect(self.cancelled)
        self.save_button = QPushButton("Save", self)
        self.save_button.setProperty("role", "primary")
        self.save_button.setAccessibleName("Save this mark")
        self.save_button.clicked.connect(self.saveRequested)
        row.addStretch(1)
        row.addWidget(self.cancel_button)
        row.addWidget(self.save_button)
        return row

    def _set_tab_order(self) -> None:
        chain = [self.intensity, self.clear_strength, *self.chips.values(), self.part, self.note,
                 self.save_button, self.cancel_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # -- use ---------------------------------------------------------------------------------

    def open_for(self, title: str, parts: list[Part], keep_values: bool = False) -> None:
        """Show the form for one region. `keep_values` retargets it without losing input."""
        self.title.setText(title)
        self.setAccessibleDescription(f"Noting a sensation at {title}")
        self.error.hide()
        if not keep_values:
            self.reset()
            self._fill_parts(parts)
        self.intensity.setFocus(Qt.FocusReason.OtherFocusReason)

    def reset(self) -> None:
        self.intensity.setValue(AnswerSlider.START)   # each mark's arrows start mid-way
        self.set_strength(None)
        for chip in self.chips.values():
            chip.setChecked(False)
        self.note.clear()

    def values(self) -> PanelValues:
        note = self.note.text().strip()
        return PanelValues(
            intensity=self.intensity.answer(),
            qualities=tuple(q for q, chip in self.chips.items() if chip.isChecked()),
            part_id=self.part.currentData(),
            note=note or None)

    def show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def keyPressEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        if event.key() == Qt.Key.Key_Escape:
            self.cancelled.emit()
            return
        super().keyPressEvent(event)

    def _fill_parts(self, parts: list[Part]) -> None:
        self.part.clear()
        self.part.addItem("No part / not sure", None)
        for part in parts:
            self.part.addItem(part.name, part.id)

    def strength(self) -> int | None:
        """The strength the person gave; None until they give one (or after they clear it)."""
        return self.intensity.answer()

    def set_strength(self, value: int | None) -> None:
        self.intensity.set_answer(value)
        self._show_intensity()

    def _clear_strength(self) -> None:
        self.set_strength(None)
        self.intensity.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_intensity(self, *_args) -> None:
        # the swatch is the colour the dot will have, so the map and the form agree
        value = self.strength()
        swatch = dot_colour(value, self.palette_).name()
        said = strength_words(value)
        self.intensity_value.setText(f'<span style="color:{swatch}">●</span> {said}')
        self.intensity_value.setAccessibleName(f"Strength {said}")
        self.intensity.setAccessibleDescription(
            f"{'Not rated' if value is None else f'{value} out of 10'}. "
            "0 is barely there, 10 is very strong")
        self.clear_strength.setHidden(value is None)


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
        intro = QLabel("Where do you notice something? Tap the figure, or choose below.", self)
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
