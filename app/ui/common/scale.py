"""A 0–10 scale for check-ins."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from app.ui.common.widgets import label


class Scale(QWidget):
    """A 0–10 slider with its value and gentle anchor words, readable by screen readers."""
    changed = Signal(int)

    def __init__(self, name: str, low: str, high: str, value: int = 0,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, 10)
        self.slider.setPageStep(1)
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setValue(value)
        self.slider.setAccessibleName(name)
        self.value_label = QLabel()
        self.value_label.setMinimumWidth(28)
        self.value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        row = QHBoxLayout()
        row.addWidget(label(low, "muted", wrap=False))
        row.addWidget(self.slider, 1)
        row.addWidget(label(high, "muted", wrap=False))
        row.addWidget(self.value_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        self.slider.valueChanged.connect(self._update)
        self._update(value)

    def value(self) -> int:
        return self.slider.value()

    def setValue(self, value: int) -> None:
        self.slider.setValue(value)

    def _update(self, value: int) -> None:
        self.value_label.setText(str(value))
        self.slider.setAccessibleDescription(f"{self.name}: {value} out of 10")
        self.changed.emit(value)
