"""The library's cards are painted with single-overload calls (app.ui.library.card_paint) so
that the first frame does not build PySide's `Qt` namespace; they must look exactly as
Qt's own drawText / drawRoundedRect would draw them: pixel for pixel."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QImage, QPainter, QPen

from app.ui.library.card_paint import WRAP, draw_wrapped, pen, rounded, solid

TEXTS = [
    "Settle in",
    "Meeting a protector · 12 min · gentle, parts",
    "Let yourself settle wherever you are, and notice how your breath moves today. Whatever "
    "you find is enough — there is no hurry, and you can stop at any moment.",
    "Line one\nline two, after a break\n\nand a blank line",
    "tabs\tand\rreturns",
    "Ünïcödé café… “quoted” – naïve",
    "a_very_long_word_that_cannot_wrap_anywhere_at_all_and_overflows_its_card",
    "שלום, a title that starts right to left",
    "ends in Arabic: مرحبا",
]
WIDTHS = [90, 240, 517]


def canvas() -> QImage:
    image = QImage(600, 400, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("#fbf8f3"))
    return image


def painted(draw, font: QFont) -> QImage:
    image = canvas()
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setFont(font)
    draw(painter)
    painter.end()
    return image


def fonts() -> list[QFont]:
    body = QFont("Cantarell", 11)
    title = QFont(body)
    title.setPointSizeF(body.pointSizeF() * 1.3)
    title.setWeight(QFont.Weight.DemiBold)
    return [body, title]


@pytest.mark.parametrize("text", TEXTS)
def test_text_is_drawn_as_drawtext_draws_it(qapp, text: str) -> None:
    colour = QColor("#2f3b45")
    for font in fonts():
        for width in WIDTHS:
            # the delegate's own rectangle: the height drawText's bounding box needs
            height = QFontMetrics(font).boundingRect(QRect(0, 0, width, 10000), WRAP,
                                                     text).height()
            for rect in (QRect(13, 7, width, height), QRect(13, 7, width, max(1, height // 2))):
                def ours(painter: QPainter) -> None:
                    draw_wrapped(painter, rect, text, colour)

                def qts(painter: QPainter) -> None:
                    painter.setPen(colour)
                    painter.drawText(rect, WRAP, text)
                assert painted(ours, font) == painted(qts, font), (text, width, rect)


def test_some_text_is_really_drawn(qapp) -> None:
    """The comparison above cannot pass by drawing nothing on both sides."""
    image = painted(lambda p: draw_wrapped(p, QRect(0, 0, 300, 60), TEXTS[1], QColor("#000")),
                    fonts()[0])
    assert image != canvas()


@pytest.mark.parametrize("size", [(560, 96), (300, 140), (41, 33)])
def test_card_shapes_are_drawn_as_drawroundedrect_draws_them(qapp, size: tuple[int, int]
                                                             ) -> None:
    card = QRectF(4, 4, *size)
    fill, line, focus = QColor("#ffffff"), QColor("#d9d2c7"), QColor("#3d6f8f")

    def ours(painter: QPainter) -> None:
        outline = rounded(card, 8)
        painter.fillPath(outline, solid(fill))
        painter.strokePath(outline, pen(line))
        painter.strokePath(rounded(card.adjusted(1, 1, -1, -1), 7), pen(focus, 2))

    def qts(painter: QPainter) -> None:
        painter.setPen(line)
        painter.setBrush(fill)
        painter.drawRoundedRect(card, 8, 8)
        painter.setPen(QPen(focus, 2))
        painter.setBrush(QBrush())
        painter.drawRoundedRect(card.adjusted(1, 1, -1, -1), 7, 7)
    assert painted(ours, fonts()[0]) == painted(qts, fonts()[0])
    assert Qt.BrushStyle.SolidPattern == solid(fill).style()
