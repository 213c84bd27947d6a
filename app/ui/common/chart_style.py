"""Colours, fonts and geometry for the charts the progress view and the PDF paint alike.

A chart (app.core.charts) is plain data; `ChartFrame` places it in a rectangle — legend, axis
titles, tick labels, plot — and maps its numbers to device points. The screen and the page use
the same frame, so hit-testing a tooltip uses exactly what was painted.
"""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF
from PySide6.QtGui import QFont, QFontMetricsF, QPaintDevice

from app.core.axes import TimeAxis, ValueAxis
from app.core.charts import Chart
from app.ui.common.theme import Palette

# Outcome colours pair with shapes (circle, diamond, triangle, square): two cues, never one.
SCREEN_COLOURS = {
    "light": {"finished": "#4f7c74", "grounded": "#b5835a", "stopped": "#8e7fae",
              "interrupted": "#a7a29a", "before": "#8b9493", "after": "#4f7c74",
              "change": "#4f7c74", "energy": "#6a7fb0"},
    "dark": {"finished": "#7fb0a5", "grounded": "#d3a27a", "stopped": "#b5a8d6",
             "interrupted": "#7d8783", "before": "#a3aaa6", "after": "#7fb0a5",
             "change": "#7fb0a5", "energy": "#9fb3e0"},
}
PRINT_COLOURS = {"finished": "#2d6a5f", "grounded": "#9a5b2e", "stopped": "#5f4f8a",
                 "interrupted": "#8a8a8a", "before": "#6f7878", "after": "#2d6a5f",
                 "change": "#2d6a5f", "energy": "#45609a"}


@dataclass(frozen=True)
class ChartStyle:
    background: str
    text: str
    muted: str
    grid: str
    rule: str
    colours: dict[str, str]
    font: QFont                         # legend and axis titles
    small: QFont                        # tick labels
    unit: float = 1.0                   # device units per screen pixel (a PDF dot is smaller)
    compact: bool = False               # small multiples: no axis titles, few ticks
    device: QPaintDevice | None = None  # measure text on the device it is painted on

    def px(self, value: float) -> float:
        return value * self.unit

    def metrics(self, small: bool = True) -> QFontMetricsF:
        font = self.small if small else self.font
        return QFontMetricsF(font, self.device) if self.device else QFontMetricsF(font)


def screen_style(palette: Palette, font: QFont, compact: bool = False) -> ChartStyle:
    small = QFont(font)
    small.setPointSizeF(max(7.5, font.pointSizeF() * (0.8 if compact else 0.88)))
    return ChartStyle(palette.surface, palette.text, palette.muted, palette.border,
                      palette.figure_line, SCREEN_COLOURS[palette.name], font, small,
                      compact=compact)


def print_style(font: QFont, small: QFont, unit: float, device: QPaintDevice,
                compact: bool = False) -> ChartStyle:
    return ChartStyle("#ffffff", "#1d2424", "#46504f", "#dedad3", "#b9b2a6", PRINT_COLOURS,
                      font, small, unit=unit, compact=compact, device=device)


@dataclass(frozen=True)
class ChartFrame:
    """Where everything of one chart goes inside `rect`."""
    rect: QRectF
    plot: QRectF
    legend: QRectF                      # empty when the chart has no legend
    x_length: float                     # the horizontal range, in the axis's own units
    x_low: float
    y: ValueAxis

    def x(self, value: float) -> float:
        return self.plot.left() + self.plot.width() * (value - self.x_low) / self.x_length

    def yv(self, value: float) -> float:
        return self.plot.bottom() - self.plot.height() * self.y.fraction(value)

    def point(self, x: float, y: float) -> QPointF:
        return QPointF(self.x(x), self.yv(y))


def time_frame(rect: QRectF, x: TimeAxis, y: ValueAxis, style: ChartStyle,
               legend: bool) -> ChartFrame:
    """Legend on top, y title and labels at the left, dates and the x title underneath."""
    line = style.metrics(False).height()
    small = style.metrics().height()
    pad = style.px(6)
    top = rect.top() + (line + pad if legend else style.px(4))
    title_w = 0.0 if style.compact else line + pad
    labels_w = max(style.metrics().horizontalAdvance(tick_text(v)) for v in y.ticks) + pad
    bottom = rect.bottom() - small - pad - (0.0 if style.compact else line + pad)
    plot = QRectF(rect.left() + title_w + labels_w, top + small / 2,
                  rect.width() - title_w - labels_w - style.px(10),
                  max(style.px(20), bottom - top - small / 2))
    legend_rect = QRectF(plot.left(), rect.top(), plot.width(), line) if legend else QRectF()
    return ChartFrame(rect, plot, legend_rect, x.length, 0.0, y)


def spread_frame(rect: QRectF, axis: ValueAxis, labels: list[str], notes: list[str],
                 style: ChartStyle) -> ChartFrame:
    """Rows of labels at the left, their notes at the right, the change axis across."""
    m = style.metrics(False)
    small = style.metrics().height()
    pad = style.px(10)
    label_w = min(rect.width() * 0.38, max(m.horizontalAdvance(t) for t in labels) + pad)
    note_w = max(style.metrics().horizontalAdvance(t) for t in notes) + pad
    bottom = rect.bottom() - small - m.height() - style.px(8)
    plot = QRectF(rect.left() + label_w, rect.top() + style.px(4),
                  rect.width() - label_w - note_w, bottom - rect.top() - style.px(4))
    return ChartFrame(rect, plot, QRectF(), axis.high - axis.low, axis.low,
                      ValueAxis(0, float(len(labels)), (), ""))


def tick_text(value: float) -> str:
    return f"{value:g}".replace("-", "−")


def fit_labels(chart: Chart, width: float, style: ChartStyle) -> Chart:
    """The chart with as many date labels as fit side by side in `width` (finest first:
    every day, then Mondays, months, quarters, years)."""
    gap = style.px(12)
    most = 3 if style.compact else 64
    while True:
        fitted = chart.with_labels(most)
        ticks = fitted.x.ticks
        widest = max((style.metrics().horizontalAdvance(t.label) for t in ticks), default=0)
        if len(ticks) * (widest + gap) <= width or most <= 1:
            return fitted
        most = min(most, len(ticks)) - 1
