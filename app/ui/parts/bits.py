"""Small pieces the parts views share: colour swatches and soft tints."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QComboBox

from app.core.parts import PART_COLOURS

FALLBACK = "#9a948a"               # a part saved without a colour still gets a calm grey


def part_colour(colour: str) -> QColor:
    c = QColor(colour or FALLBACK)
    return c if c.isValid() else QColor(FALLBACK)


def tint(colour: str, over: str, amount: float) -> QColor:
    """`colour` mixed into the background `over`: a soft fill that keeps text readable."""
    a, b = part_colour(colour), QColor(over)
    mix, base = a.getRgbF(), b.getRgbF()    # tuples; PySide's stubs say object
    return QColor.fromRgbF(*(base[i] + (mix[i] - base[i]) * amount  # type: ignore[index]
                             for i in range(3)))


def swatch(colour: str, size: int = 16) -> QPixmap:
    """A filled circle: the part's colour as a list icon or next to its name."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    p = QPainter(pixmap)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setPen(part_colour(colour).darker(130))
    p.setBrush(part_colour(colour))
    p.drawEllipse(1, 1, size - 2, size - 2)
    p.end()
    return pixmap


def colour_combo(current: str = "") -> QComboBox:
    """The calm colours by name, each with its swatch: one keyboard stop, read aloud by name."""
    combo = QComboBox()
    combo.setAccessibleName("Colour")
    for name, hex_ in PART_COLOURS:
        combo.addItem(QIcon(swatch(hex_, 18)), name, hex_)
    at = combo.findData(current)
    if current and at < 0:                         # a colour from elsewhere (an import) stays
        combo.addItem(QIcon(swatch(current, 18)), current, current)
        at = combo.count() - 1
    combo.setCurrentIndex(max(0, at))
    return combo
