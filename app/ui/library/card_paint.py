"""Painting the library's cards without waking PySide's `Qt` namespace.

The library is the first thing painted at start-up. PySide builds all ~93 enums of `Qt` (~15 ms
on 2 cores) the first time Python touches it, and an *overloaded* painter call touches it while
it picks the overload: `setPen` and `setBrush` (whatever is passed), `QBrush(QColor)`,
`drawText`'s colour comes from such a pen. The calls here have one overload each:
brushes and pens are made empty and then given their colour, shapes are filled and stroked as
paths, and text is laid out the way `QPainter.drawText(rect, TextWordWrap, text)` lays it out
(Qt's qt_format_text) and coloured by its format. tests/ui/test_card_paint.py compares the
pixels with drawText's; text that layout would not draw the same way (right-to-left or
embedded direction marks, text that overflows its rectangle and must be clipped) is drawn by
drawText itself.
"""
from __future__ import annotations

import math
import unicodedata

from PySide6.QtCore import QPointF, QRect, QRectF
from PySide6.QtGui import (
    QBrush, QColor, QFontMetricsF, QPainter, QPainterPath, QPen, QTextCharFormat, QTextLayout,
)

WRAP = 0x1000                           # Qt.TextFlag.TextWordWrap
# Bidi classes whose text Qt would lay out right-to-left (drawText sets the painter's
# direction, a QTextLayout guesses it from the text) or with explicit embeddings.
_NOT_PLAIN_LTR = frozenset({"R", "AL", "RLE", "RLO", "LRE", "LRO", "PDF", "RLI", "LRI", "FSI",
                            "PDI"})


def pen(colour: QColor, width: float = 1.0) -> QPen:
    """What QPen(colour, width) makes (a solid line), without the overloaded constructor."""
    made = QPen()
    made.setColor(colour)
    made.setWidthF(width)
    return made


def solid(colour: QColor) -> QBrush:
    """A solid brush of `colour`: a pen's colour is one (QBrush(QColor) is overloaded)."""
    return pen(colour).brush()


def rounded(rect: QRectF, radius: float) -> QPainterPath:
    """The path QPainter.drawRoundedRect(rect, radius, radius) draws."""
    path = QPainterPath()
    path.addRoundedRect(rect, radius, radius)
    return path


def _plain_ltr(text: str) -> bool:
    return text.isascii() or not any(unicodedata.bidirectional(char) in _NOT_PLAIN_LTR
                                     for char in text)


def draw_wrapped(painter: QPainter, rect: QRect, text: str, colour: QColor) -> None:
    """Draw `text` as painter.drawText(rect, TextWordWrap, text) does, in `colour`."""
    if not text:
        return
    # qt_format_text: carriage returns and tabs become spaces, newlines line separators
    shown = text.replace("\r", " ").replace("\t", " ").replace("\n", "\u2028")
    layout = QTextLayout(shown, painter.font(), painter.device())
    coloured = QTextCharFormat()        # the colour drawText takes from the painter's pen
    coloured.setForeground(solid(colour))
    whole = QTextLayout.FormatRange()
    whole.start, whole.length, whole.format = 0, len(shown), coloured
    layout.setFormats([whole])          # (before the layout: setting formats clears it)
    if "\x9c" in text or not _plain_ltr(text) or not _lay_out(layout, painter, rect, shown):
        _draw_text(painter, rect, text, colour)
        return
    layout.draw(painter, QPointF(rect.topLeft()))


def _lay_out(layout: QTextLayout, painter: QPainter, rect: QRect, shown: str) -> bool:
    """Lay the lines out as qt_format_text does (its leading, and each line on a whole pixel);
    False when the text does not fit `rect` (drawText would clip it)."""
    leading = QFontMetricsF(painter.font()).leading()
    height, width, laid = -leading, 0.0, 0
    layout.beginLayout()
    while True:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(max(0, rect.width()))
        height = math.ceil(height + leading)
        line.setPosition(QPointF(0, height))
        height += line.ascent() + line.descent()
        width = max(width, line.naturalTextWidth())
        laid = line.textStart() + line.textLength()
        if height >= rect.height():
            break
    layout.endLayout()
    return laid >= len(shown) and width <= rect.width() and height <= rect.height()


def _draw_text(painter: QPainter, rect: QRect, text: str, colour: QColor) -> None:
    """Qt's own drawText, for the text the layout above does not draw the same way."""
    painter.save()
    painter.setPen(colour)              # builds the `Qt` namespace: only for such text
    painter.drawText(rect, WRAP, text)
    painter.restore()
