"""Check-in before a practice and check-out after it: the same gentle scales."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QGridLayout, QHBoxLayout, QPlainTextEdit, QWidget,
)

from app.core.records import SELF_ENERGY, CheckIn, Part
from app.ui.common.scale import Scale
from app.ui.common.widgets import button, card, label, page_layout

HIGH_INTENSITY = 7


class CheckInView(QWidget):
    """Emits submitted(intensity, self_energy, part_id, note) when the person goes on."""
    submitted = Signal(int, dict, object, str)

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
            "There are no right answers.", scroll=True, margins=(40, 28), spacing=16)
        if pacing and not after:
            pacing_frame, pacing_box = card()
            pacing_box.addWidget(label(pacing))
            layout.addWidget(pacing_frame)

        frame, box = card()
        box.addWidget(label("How intense is what you're working with, right now?"))
        start = before.intensity if after and before and before.intensity is not None else 3
        self.intensity = Scale("Intensity", "0  calm", "10  overwhelming", start)
        box.addWidget(self.intensity)
        self.shift_label = label("", "subtitle")
        self.hint = label("This feels quite strong. It may be a day for the grounding practice, "
                          "or for going very slowly. Either is a good choice.", "muted")
        box.addWidget(self.shift_label if after else self.hint)
        layout.addWidget(frame)

        # Optional and folded away: a check box opens the eight scales.
        self.energy_box = QCheckBox("Also notice Self-energy (optional): how much of each "
                                    "quality is here?")
        self.energy_box.setAccessibleName("Include a Self-energy check")
        self.energy_scales, energy_layout = card()
        grid = QGridLayout()
        energy_layout.addLayout(grid)
        self.energy: dict[str, Scale] = {}
        for row, quality in enumerate(SELF_ENERGY):
            grid.addWidget(label(quality.capitalize(), wrap=False), row, 0)
            start_value = before.self_energy.get(quality, 5) if after and before else 5
            self.energy[quality] = Scale(quality.capitalize(), "", "", start_value)
            grid.addWidget(self.energy[quality], row, 1)
        self.energy_box.toggled.connect(self.energy_scales.setVisible)
        self.energy_scales.setVisible(False)
        layout.addWidget(self.energy_box)
        layout.addWidget(self.energy_scales)

        # The parts arrive from the journal a moment later (set_parts); the question shows
        # only when there are parts to choose from.
        self.part_frame, part_box = card()
        part_box.addWidget(label("Is this practice with a particular part? (optional)"))
        self.part_combo = QComboBox()
        self.part_combo.setAccessibleName("Part for this practice")
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

        row = QHBoxLayout()
        row.addStretch(1)
        self.go = button("Finish" if after else "Begin", "Finish the practice" if after
                         else "Begin the practice", "primary")
        self.go.setDefault(True)
        row.addWidget(self.go)
        layout.addLayout(row)
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

    def _on_intensity(self, value: int) -> None:
        if self.phase == "after":
            if self.before and self.before.intensity is not None:
                self.shift_label.setText(f"Before: {self.before.intensity}   →   now: {value}")
        else:
            self.hint.setVisible(value >= HIGH_INTENSITY)

    def self_energy(self) -> dict[str, int]:
        if not self.energy_box.isChecked():
            return {}
        return {quality: scale.value() for quality, scale in self.energy.items()}

    def _submit(self) -> None:
        part_id = self.part_combo.currentData() if self.part_frame.isVisibleTo(self) else None
        self.submitted.emit(self.intensity.value(), self.self_energy(), part_id,
                            self.note.toPlainText().strip())

    def focus_first(self) -> None:
        self.intensity.slider.setFocus(Qt.FocusReason.OtherFocusReason)
