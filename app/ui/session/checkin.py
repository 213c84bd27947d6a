"""Check-in before a practice and check-out after it: the same gentle scales."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QLabel, QPlainTextEdit, QWidget,
)

from app.core.records import SELF_ENERGY, CheckIn, Part
from app.ui.common.scale import Scale
from app.ui.common.widgets import button, card, label, page_layout

HIGH_INTENSITY = 7


class CheckInView(QWidget):
    """Emits submitted(intensity, self_energy, part_id, note) when the person goes on.

    Every scale starts not answered: intensity is None and self_energy holds only the
    qualities the person answered (the rest are stored as NULL)."""
    submitted = Signal(object, dict, object, str)
    ground_requested = Signal()              # "Ground first", beside the high-intensity hint

    def __init__(self, phase: str, practice_title: str, parts: list[Part] | None = None,
                 before: CheckIn | None = None, pacing: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.phase = phase
        self.before = before
        after = phase == "after"
        layout = page_layout(
            self, "Checking out" if after else "Before you begin",
            f"You have finished {practice_title}. Take a moment to notice how things are now."
            if after else
            f"{practice_title}. A short check-in helps you see, over time, what shifts. "
            "There are no right answers.", scroll=True, margins=(40, 28), spacing=16, form=True)
        layout.addWidget(label("Answer only what you like: a line without a dot is simply not "
                               "answered.", "muted"))
        if pacing and not after:
            pacing_frame, pacing_box = card()
            pacing_box.addWidget(label(pacing))
            layout.addWidget(pacing_frame)

        frame, box = card()
        box.addWidget(label("How intense is what you're working with, right now?"))
        self.intensity = Scale("Intensity", "0  calm", "10  overwhelming")
        box.addWidget(self.intensity)
        self.shift_label = label("", "subtitle")
        self.hint = label("This feels quite strong. It may be a day for grounding first, "
                          "or for going very slowly. Either is a good choice.", "muted")
        self.ground_first = button("Ground first", "Pause and do the grounding first")
        self.ground_first.clicked.connect(self.ground_requested)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.hint, 1)
        hint_row.addWidget(self.ground_first, 0, Qt.AlignmentFlag.AlignTop)
        if after:
            box.addWidget(self.shift_label)
        else:
            box.addLayout(hint_row)
        self._show_hint(False)
        layout.addWidget(frame)

        # Optional and folded away: a check box opens the eight scales.
        self.energy_box = QCheckBox("Also notice Self-energy (optional): how much of each "
                                    "quality is here?")
        self.energy_box.setAccessibleName("Include a Self-energy check")
        self.energy_scales, energy_layout = card()
        grid = QGridLayout()
        energy_layout.addLayout(grid)
        self.energy: dict[str, Scale] = {}
        self.energy_before: dict[str, QLabel] = {}     # after a practice: what it was, beside
        for row, quality in enumerate(SELF_ENERGY):
            grid.addWidget(label(quality.capitalize(), wrap=False), row, 0)
            self.energy[quality] = Scale(quality.capitalize(), "", "")
            grid.addWidget(self.energy[quality], row, 1)
            was = before.self_energy.get(quality) if after and before else None
            if was is not None:
                self.energy_before[quality] = label(f"before {was}", "muted", wrap=False)
                grid.addWidget(self.energy_before[quality], row, 2)
        self.energy_box.toggled.connect(self.energy_scales.setVisible)
        self.energy_scales.setVisible(False)
        layout.addWidget(self.energy_box)
        layout.addWidget(self.energy_scales)

        # The parts arrive from the journal a moment later (set_parts); the question shows
        # only when there are parts to choose from.
        self.part_frame, part_box = card()
        question = label("Is this practice with a particular part? (optional)")
        self.part_combo = QComboBox()
        self.part_combo.setAccessibleName("Part for this practice")
        question.setBuddy(self.part_combo)          # a screen reader says it with the value
        part_box.addWidget(question)
        part_box.addWidget(self.part_combo)
        layout.addWidget(self.part_frame)
        self.set_parts(parts or [])

        self.note = QPlainTextEdit()
        self.note.setAccessibleName("Note")
        self.note.setPlaceholderText("Anything you'd like to remember (optional)")
        self.note.setMaximumHeight(90)
        self.note.setTabChangesFocus(True)
        self.note.setVisible(after)
        layout.addWidget(self.note)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.go = button("Finish" if after else "Begin", "Finish the practice" if after
                         else "Begin the practice", "primary")
        self.go.setDefault(True)
        buttons.addWidget(self.go)
        layout.addLayout(buttons)
        layout.addStretch(1)

        self.go.clicked.connect(self._submit)
        self.intensity.changed.connect(self._on_intensity)
        self._on_intensity(self.intensity.value())

    def set_parts(self, parts: list[Part]) -> None:
        """Offer these parts (before a practice only), keeping the one already chosen."""
        chosen = self.part_combo.currentData()
        self.part_combo.clear()
        self.part_combo.addItem("No particular part", None)
        for part in parts:
            self.part_combo.addItem(part.name, part.id)
        self.part_combo.setCurrentIndex(max(0, self.part_combo.findData(chosen)))
        self.part_frame.setVisible(bool(parts) and self.phase != "after")

    def _on_intensity(self, value: int | None) -> None:
        if self.phase == "after":
            if self.before and self.before.intensity is not None:
                now = "not answered yet" if value is None else value
                self.shift_label.setText(f"Before: {self.before.intensity}   →   now: {now}")
        else:
            self._show_hint(value is not None and value >= HIGH_INTENSITY)

    def _show_hint(self, shown: bool) -> None:
        self.hint.setVisible(shown)
        self.ground_first.setVisible(shown)

    def self_energy(self) -> dict[str, int]:
        """Only the qualities the person answered (and only if they opened the scales)."""
        if not self.energy_box.isChecked():
            return {}
        answers = {quality: scale.value() for quality, scale in self.energy.items()}
        return {quality: value for quality, value in answers.items() if value is not None}

    def _submit(self) -> None:
        part_id = self.part_combo.currentData() if self.part_frame.isVisibleTo(self) else None
        self.submitted.emit(self.intensity.value(), self.self_energy(), part_id,
                            self.note.toPlainText().strip())

    def focus_first(self) -> None:
        self.intensity.slider.setFocus(Qt.FocusReason.OtherFocusReason)
