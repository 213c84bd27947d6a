"""Picture blocks of the PDF report: the progress charts, "what helps" charts and the body heat
map with its colour key. Each paints the same records the progress view paints
(app.core.charts, app.core.helps_charts) through the same painter, in print colours.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainter

from app.core.charts import Chart
from app.core.helps_charts import SpreadChart
from app.core.progress import HeatKey, RegionHeat, heat_shades
from app.ui.body.paint import paint_body, paint_heat_key
from app.ui.common.chart_paint import paint_chart, paint_spread
from app.ui.common.chart_style import ChartStyle, print_style
from app.ui.common.theme import LIGHT
from app.ui.report.layout import MUTED, TEXT, Block, Ink


def style_for(ink: Ink, compact: bool = False) -> ChartStyle:
    return print_style(ink.fonts["small"], ink.fonts["small"], ink.dpi / 96, ink.device,
                       compact)


@dataclass
class ChartBlock:
    """One time chart at a fixed height, its title above it."""
    chart: Chart
    height_mm: float = 64.0
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        return (ink.line("h2") + ink.text_height("small", self.chart.caption, width)
                + ink.mm(self.height_mm + 6))

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        ink.draw_text(p, QRectF(rect.left(), rect.top(), rect.width(), ink.line("h2")), "h2",
                      self.chart.title)
        top = rect.top() + ink.line("h2") + ink.mm(0.5)
        caption = ink.text_height("small", self.chart.caption, rect.width())
        ink.draw_text(p, QRectF(rect.left(), top, rect.width(), caption + 1), "small",
                      self.chart.caption, MUTED)
        top += caption + ink.mm(1.5)
        paint_chart(p, QRectF(rect.left(), top, rect.width(), ink.mm(self.height_mm)),
                    self.chart, style_for(ink))


@dataclass
class SideBySide:
    """Two blocks in one row, each half the width."""
    left: Block
    right: Block
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        half = (width - ink.mm(8)) / 2
        return max(self.left.height(ink, half), self.right.height(ink, half))

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        half = (rect.width() - ink.mm(8)) / 2
        self.left.paint(ink, p, QRectF(rect.left(), rect.top(), half, rect.height()))
        self.right.paint(ink, p, QRectF(rect.right() - half, rect.top(), half, rect.height()))


@dataclass
class SpreadBlock:
    """The typical change per practice or part: a dot, the middle half as a bar."""
    chart: SpreadChart
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        return ink.mm(9 * len(self.chart.rows) + 16)

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        paint_spread(p, QRectF(rect.left(), rect.top(), rect.width(),
                               rect.height() - ink.mm(3)), self.chart, style_for(ink))


@dataclass
class SmallMultiples:
    """Small charts on one grid (the eight C's), each titled, same axes for all."""
    charts: list[Chart]
    columns: int = 4
    cell_mm: float = 30.0
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        rows = -(-len(self.charts) // self.columns)
        return rows * (ink.line("small") + ink.mm(self.cell_mm + 3))

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        gap = ink.mm(4)
        cell_w = (rect.width() - gap * (self.columns - 1)) / self.columns
        cell_h = ink.line("small") + ink.mm(self.cell_mm + 3)
        style = style_for(ink, compact=True)
        for n, chart in enumerate(self.charts):
            left = rect.left() + (n % self.columns) * (cell_w + gap)
            top = rect.top() + (n // self.columns) * cell_h
            ink.draw_text(p, QRectF(left, top, cell_w, ink.line("small")), "small_bold",
                          chart.title)
            paint_chart(p, QRectF(left, top + ink.line("small"), cell_w, ink.mm(self.cell_mm)),
                        chart, style)


@dataclass
class HeatMap:
    """Both body figures shaded by class, with the colour key underneath."""
    heat: dict[tuple[str, str], RegionHeat]
    key: HeatKey
    key_title: str
    height_mm: float = 92.0
    keep_with_next: bool = False
    notes: list[str] = field(default_factory=list)       # beside the figures

    def height(self, ink: Ink, width: float) -> float:
        return ink.mm(self.height_mm + 4) + ink.line("small") * 2

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        figure = QRectF(rect.left(), rect.top(), rect.width() * 0.5, ink.mm(self.height_mm))
        p.setFont(ink.fonts["small"])
        paint_body(p, figure, heat_shades(self.heat, self.key), LIGHT,
                   caption_px=ink.line("small") * 1.6, line_scale=ink.dpi / 96)
        p.setFont(ink.fonts["small"])
        paint_heat_key(p, QRectF(rect.left(), figure.bottom() + ink.mm(2), rect.width(),
                                 ink.line("small") * 1.4), self.key, LIGHT, ink.mm(3.5),
                       self.key_title, TEXT)
        left = rect.left() + rect.width() * 0.53
        top, width = rect.top(), rect.right() - left
        ink.draw_text(p, QRectF(left, top, width, ink.line("h2")), "h2", "Most noticed areas")
        top += ink.line("h2") + ink.mm(2)
        for line in self.notes:
            h = ink.text_height("small", line, width)
            ink.draw_text(p, QRectF(left, top, width, h + 1), "small", line, TEXT)
            top += h + ink.mm(1.8)
