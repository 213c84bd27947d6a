"""The body map's side column: the mark panel (the region finder is in region_finder.py)."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QLineEdit,
    QPushButton, QSlider, QVBoxLayout, QWidget,
)

from app.core.body import QUALITIES, QUALITY_LABELS
from app.core.records import Part
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
        # the buttons as drawn, left to right (Cancel | Save); Enter in the note saves
        chain = [self.intensity, self.clear_strength, *self.chips.values(), self.part, self.note,
                 self.cancel_button, self.save_button]
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
