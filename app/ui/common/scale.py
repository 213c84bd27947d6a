"""A 0–10 scale for check-ins that starts "not answered", and sliders that leave the wheel alone.

Nothing is stored that the person did not give: an untouched scale is None (stored as NULL),
never a made-up middle value. Its handle is not drawn until the person answers: a click on the
line (it lands where clicked), ←/→, Home/End, or a digit key. Delete takes the answer back.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QWheelEvent
from PySide6.QtWidgets import (
    QHBoxLayout, QLabel, QSlider, QStyle, QStyleOptionSlider, QVBoxLayout, QWidget,
)

from app.ui.common.widgets import label

DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(10)}
CLEAR_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)


class FocusWheelSlider(QSlider):
    """A slider the mouse wheel moves only when it has the focus: scrolling a page over it
    scrolls the page (the wheel never changes an answer by accident, nor takes the focus)."""

    def __init__(self, orientation: Qt.Orientation = Qt.Orientation.Horizontal,
                 parent: QWidget | None = None):
        super().__init__(orientation, parent)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802
        if self.hasFocus():
            super().wheelEvent(event)
        else:
            event.ignore()                 # to the scroll area around it


class AnswerSlider(FocusWheelSlider):
    """0–10, possibly not answered yet (then only the line is drawn)."""
    answered_changed = Signal(bool)
    START = 5                              # where the first ←/→ starts from; not an answer

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setRange(0, 10)
        self.setPageStep(1)
        self.setValue(self.START)
        self._answered = False
        self.actionTriggered.connect(lambda _action: self.set_answered(True))
        self.sliderPressed.connect(lambda: self.set_answered(True))

    def is_answered(self) -> bool:
        return self._answered

    def answer(self) -> int | None:
        """The value the person gave, or None while unanswered."""
        return self.value() if self._answered else None

    def set_answer(self, value: int | None) -> None:
        """Show an answer (None: not answered, only the line is drawn)."""
        if value is not None:
            self.setValue(value)
        self.set_answered(value is not None)

    def set_answered(self, answered: bool) -> None:
        if answered != self._answered:
            self._answered = answered
            self.update()
            self.answered_changed.emit(answered)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        if event.key() in DIGITS and not event.modifiers():
            self.set_answered(True)
            self.setValue(DIGITS[event.key()])
        elif event.key() in CLEAR_KEYS:
            self.set_answered(False)
        else:
            super().keyPressEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        """A left click on the line answers where it lands (and may then drag), instead of
        creeping one step toward the pointer."""
        if event.button() == Qt.MouseButton.LeftButton and not self._on_handle(event):
            option = self._option()
            groove = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                                 QStyle.SubControl.SC_SliderGroove, self)
            handle = self.style().subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                                 QStyle.SubControl.SC_SliderHandle, self)
            span = max(1, groove.width() - handle.width())
            x = int(event.position().x()) - groove.x() - handle.width() // 2
            self.set_answered(True)
            self.setValue(QStyle.sliderValueFromPosition(self.minimum(), self.maximum(),
                                                         x, span))
        super().mousePressEvent(event)

    def _on_handle(self, event: QMouseEvent) -> bool:
        if not self._answered:
            return False
        hit = self.style().hitTestComplexControl(QStyle.ComplexControl.CC_Slider,
                                                 self._option(), event.position().toPoint(),
                                                 self)
        return hit == QStyle.SubControl.SC_SliderHandle

    def _option(self) -> QStyleOptionSlider:
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        return option

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self._answered:
            super().paintEvent(event)
            return
        option = self._option()            # the line and its ticks, no handle: no answer
        option.subControls = (QStyle.SubControl.SC_SliderGroove
                              | QStyle.SubControl.SC_SliderTickmarks)
        painter = QPainter(self)
        self.style().drawComplexControl(QStyle.ComplexControl.CC_Slider, option, painter, self)


class Scale(QWidget):
    """A 0–10 answer with its value and gentle anchor words, readable by screen readers.
    `value()` is None until the person answers."""
    changed = Signal(object)               # int, or None when the answer is taken back

    def __init__(self, name: str, low: str, high: str, value: int | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.slider = AnswerSlider()
        self.slider.setTickPosition(QSlider.TickPosition.TicksBelow)
        self.slider.setTickInterval(1)
        self.slider.setAccessibleName(name)
        self.slider.setToolTip("Click the line, or use ← → (Delete: not answered)")
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
        self.slider.answered_changed.connect(self._update)
        self.setValue(value)

    def value(self) -> int | None:
        return self.slider.answer()

    def setValue(self, value: int | None) -> None:  # noqa: N802 (Qt naming)
        self.slider.set_answer(value)
        self._update()

    def _update(self, *_args) -> None:
        value = self.value()
        self.value_label.setText("–" if value is None else str(value))
        self.slider.setAccessibleDescription(
            f"{self.name}: not answered" if value is None else f"{self.name}: {value} out of 10")
        self.changed.emit(value)
