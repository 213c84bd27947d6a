"""Widgets that paint the progress charts (app.core.charts records) with the same painter as
the PDF (app/ui/common/chart_paint.py), with a tooltip for whatever is under the pointer.

Charts take no keyboard focus: the sentences beside them and the tables say the same in words,
and each chart's accessible description carries its sentences for screen readers.
"""
from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.core.charts import Chart
from app.core.helps_charts import SpreadChart
from app.ui.common.chart_paint import hit, paint_chart, paint_spread
from app.ui.common.chart_style import ChartFrame, screen_style
from app.ui.common.theme import Palette


class ChartWidget(QWidget):
    """One time chart; `set_chart` swaps what it shows."""

    def __init__(self, name: str, palette: Palette, height: int = 250, compact: bool = False,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.palette_ = palette
        self.compact = compact
        self.chart: Chart | None = None
        self.drawn: tuple[Chart, ChartFrame] | None = None   # as last painted, for tooltips
        self.setMinimumHeight(height)
        # a card with a shorter caption gives its chart the room, so titles and axes line up
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed if compact
                           else QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(name)

    def sizeHint(self) -> QSize:  # noqa: N802
        return QSize(400, self.minimumHeight())

    def set_chart(self, chart: Chart) -> None:
        self.chart = chart
        self.setAccessibleDescription(" ".join(t for t in (chart.caption, chart.description)
                                               if t))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.chart is None:
            return
        p = QPainter(self)
        style = screen_style(self.palette_, self.font(), self.compact)
        self.drawn = paint_chart(p, QRectF(self.rect()), self.chart, style)
        p.end()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        text = hit(*self.drawn, QPointF(event.position())) if self.drawn else None
        if text:
            QToolTip.showText(event.globalPosition().toPoint(), text, self)
        else:
            QToolTip.hideText()


class SpreadWidget(QWidget):
    """The typical change per practice or part, one row each."""

    ROW = 34

    def __init__(self, name: str, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette_ = palette
        self.chart: SpreadChart | None = None
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAccessibleName(name)
        self.setMinimumWidth(320)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_chart(self, chart: SpreadChart | None) -> None:
        self.chart = chart
        self.setVisible(chart is not None)
        if chart is not None:
            self.setFixedHeight(self.ROW * len(chart.rows) + 56)
            self.setAccessibleDescription(f"{chart.caption} {chart.description}")
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        if self.chart is None:
            return
        p = QPainter(self)
        paint_spread(p, QRectF(self.rect()), self.chart, screen_style(self.palette_,
                                                                     self.font()))
        p.end()
