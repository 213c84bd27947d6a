"""Painting the progress charts (app.core.charts) with a QPainter: on screen and in the PDF.

No widgets here, so the report can paint on a worker thread. Every session mark is drawn:
hollow before, filled after (so an equal pair shows as a dot inside a ring, never one hiding
the other), shaped and coloured by how the session ended.
"""
from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF

from app.core.charts import SHAPES, Chart, Mark, point_text
from app.core.helps_charts import SpreadChart
from app.ui.common.chart_style import (
    ChartFrame, ChartStyle, fit_labels, spread_frame, tick_text, time_frame,
)

LEFT, CENTRE, RIGHT = (Qt.AlignmentFlag.AlignLeft, Qt.AlignmentFlag.AlignHCenter,
                       Qt.AlignmentFlag.AlignRight)
MIDDLE = Qt.AlignmentFlag.AlignVCenter
BEFORE_SCALE = 1.9                     # the hollow "before" ring leaves a gap round "after"


def _colour(colour: str, alpha: float = 1.0) -> QColor:
    c = QColor(colour)
    c.setAlphaF(alpha)
    return c


def _pen(style: ChartStyle, colour: str, width: float, alpha: float = 1.0) -> QPen:
    pen = QPen(_colour(colour, alpha), style.px(width))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _text(p: QPainter, style: ChartStyle, rect: QRectF, text: str, align, small: bool = True,
          colour: str | None = None) -> None:
    p.setFont(style.small if small else style.font)
    p.setPen(QColor(colour or style.muted))
    p.drawText(rect, align | MIDDLE, text)


def shape_path(shape: str, centre: QPointF, r: float) -> QPainterPath:
    path = QPainterPath()
    x, y = centre.x(), centre.y()
    if shape == "circle":
        path.addEllipse(centre, r, r)
    elif shape == "square":
        path.addRect(QRectF(x - r * 0.85, y - r * 0.85, r * 1.7, r * 1.7))
    else:
        if shape == "diamond":
            points = [(x, y - r * 1.25), (x + r * 1.1, y), (x, y + r * 1.25), (x - r * 1.1, y)]
        else:                                               # triangle, pointing up
            points = [(x, y - r * 1.2), (x + r * 1.15, y + r * 0.8), (x - r * 1.15, y + r * 0.8)]
        path.addPolygon(QPolygonF([QPointF(a, b) for a, b in points]))
        path.closeSubpath()
    return path


def draw_shape(p: QPainter, style: ChartStyle, shape: str, centre: QPointF, r: float,
               colour: str, filled: bool) -> None:
    path = shape_path(shape, centre, r)
    if filled:
        p.fillPath(path, QColor(colour))
    else:
        p.fillPath(path, QColor(style.background))
        p.strokePath(path, _pen(style, colour, 1.8))


# -- time charts -----------------------------------------------------------------------------

def paint_chart(p: QPainter, rect: QRectF, chart: Chart, style: ChartStyle
                ) -> tuple[Chart, ChartFrame]:
    """Paint `chart` inside `rect`; returns the chart as drawn (its date labels fitted to the
    width) and its frame, for hit-testing."""
    frame = time_frame(rect, chart.x, chart.y, style, bool(chart.legend))
    chart = fit_labels(chart, frame.plot.width(), style)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    _grid(p, frame, chart, style)
    _band(p, frame, chart, style)
    _bars(p, frame, chart, style)
    if chart.zero_line:
        p.setPen(_pen(style, style.rule, 1.2))
        p.drawLine(frame.point(0, 0), frame.point(frame.x_length, 0))
    _lines(p, frame, chart, style)
    for mark in chart.marks:
        paint_mark(p, frame, mark, chart.mark_style, style)
    _axes(p, frame, chart, style)
    if chart.legend:
        _legend(p, frame.legend, chart, style)
    p.restore()
    return chart, frame


def _grid(p: QPainter, frame: ChartFrame, chart: Chart, style: ChartStyle) -> None:
    plot = frame.plot
    p.setPen(_pen(style, style.grid, 0.8))
    for value in chart.y.ticks:
        y = frame.yv(value)
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
    for x in chart.x.grid:
        p.drawLine(QPointF(frame.x(x), plot.top()), QPointF(frame.x(x), plot.bottom()))


def _axes(p: QPainter, frame: ChartFrame, chart: Chart, style: ChartStyle) -> None:
    plot, small = frame.plot, style.metrics().height()
    p.setPen(_pen(style, style.rule, 1.0))
    p.drawLine(plot.bottomLeft(), plot.bottomRight())
    for value in chart.y.ticks:
        _text(p, style, QRectF(frame.rect.left(), frame.yv(value) - small / 2,
                               plot.left() - frame.rect.left() - style.px(5), small),
              tick_text(value), RIGHT)
    for tick in chart.x.ticks:
        x = frame.x(tick.at)
        p.setPen(_pen(style, style.rule, 1.0))
        p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + style.px(4)))
        _text(p, style, QRectF(x - style.px(60), plot.bottom() + style.px(5), style.px(120),
                               small), tick.label, CENTRE)
    if style.compact:
        return
    line = style.metrics(False).height()
    _text(p, style, QRectF(plot.left(), frame.rect.bottom() - line, plot.width(), line),
          chart.x.title, CENTRE, small=False)
    p.save()                                              # the y title, reading upwards
    p.translate(frame.rect.left() + line / 2, plot.center().y())
    p.rotate(-90)
    room = plot.height() + style.px(30)
    title = style.metrics(False).elidedText(chart.y.title, Qt.TextElideMode.ElideRight, room)
    _text(p, style, QRectF(-room / 2, -line / 2, room, line), title, CENTRE, small=False)
    p.restore()


def _band(p: QPainter, frame: ChartFrame, chart: Chart, style: ChartStyle) -> None:
    if chart.band is None:
        return
    upper_kind, lower_kind = chart.band
    lines = {line.kind: line for line in chart.lines}
    upper = lines.get(upper_kind)
    if upper is None:
        return
    lower = lines.get(lower_kind)
    fill = _colour(style.colours.get(upper_kind if lower is None else lower_kind, style.rule),
                   0.16)
    for n, segment in enumerate(upper.segments):
        if len(segment) < 2:
            continue
        other = (lower.segments[n] if lower is not None and n < len(lower.segments)
                 else tuple((x, 0.0) for x, _ in segment))
        polygon = [frame.point(x, y) for x, y in segment] + [
            frame.point(x, y) for x, y in reversed(other)]
        path = QPainterPath()
        path.addPolygon(QPolygonF(polygon))
        p.fillPath(path, fill)


def _bars(p: QPainter, frame: ChartFrame, chart: Chart, style: ChartStyle) -> None:
    for bar in chart.bars:
        left, right = frame.x(bar.x0), frame.x(bar.x1)
        gap = min(style.px(1.5), (right - left) * 0.15)
        gap = max(gap, (right - left - style.px(36)) / 2)   # a day's bar need not be a wall
        bottom = 0
        for outcome, n in bar.stack:
            top = bottom + n
            box = QRectF(QPointF(left + gap, frame.yv(top)), QPointF(right - gap,
                                                                   frame.yv(bottom)))
            p.fillRect(box, _colour(style.colours[outcome], 0.85))
            if bottom:                                    # a hairline between endings
                p.setPen(_pen(style, style.background, 0.8))
                p.drawLine(box.bottomLeft(), box.bottomRight())
            bottom = top


def _lines(p: QPainter, frame: ChartFrame, chart: Chart, style: ChartStyle) -> None:
    for line in chart.lines:
        colour = style.colours.get(line.kind, style.text)
        for segment in line.segments:
            points = [frame.point(x, y) for x, y in segment]
            if len(points) > 1:
                p.setPen(_pen(style, colour, 2.2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawPolyline(QPolygonF(points))
            if line.dots or len(points) == 1:             # a lone point is never invisible
                for point in points:
                    draw_shape(p, style, "circle", point, style.px(3.2), colour, True)


def paint_mark(p: QPainter, frame: ChartFrame, mark: Mark, mark_style: str,
               style: ChartStyle) -> None:
    colour = style.colours[mark.outcome]
    shape = SHAPES[mark.outcome]
    r = style.px(3.6)
    x = frame.x(mark.x)
    if mark_style == "change":
        if mark.change is None:
            return
        end = QPointF(x, frame.yv(mark.change))
        p.setPen(_pen(style, colour, 2.0, 0.55))
        p.drawLine(QPointF(x, frame.yv(0)), end)
        draw_shape(p, style, shape, end, r, colour, True)
        return
    points = [QPointF(x, frame.yv(v)) for v in (mark.before, mark.after) if v is not None]
    if len(points) == 2:
        p.setPen(_pen(style, colour, 2.0, 0.55))
        p.drawLine(points[0], points[1])
    if mark.before is not None:                           # hollow and larger: an equal
        draw_shape(p, style, shape, points[0], r * BEFORE_SCALE, colour, False)  # after sits
                                                                                 # inside it
    if mark.after is not None:
        draw_shape(p, style, shape, points[-1], r, colour, True)


def _legend(p: QPainter, rect: QRectF, chart: Chart, style: ChartStyle) -> None:
    """Right-aligned items: a line or a filled/hollow shape, then its words."""
    m = style.metrics()
    x = rect.right()
    r = style.px(3.6)
    for kind, words in reversed(chart.legend):
        width = m.horizontalAdvance(words)
        x -= width
        _text(p, style, QRectF(x, rect.top(), width + style.px(2), rect.height()), words, LEFT,
              colour=style.text)
        centre = QPointF(x - style.px(9), rect.center().y())
        if kind in SHAPES and chart.bars:                 # bars: a swatch of their colour
            p.fillRect(QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r),
                       _colour(style.colours[kind], 0.85))
        elif kind in SHAPES:
            draw_shape(p, style, SHAPES[kind], centre, r, style.colours[kind], True)
        elif kind in ("before", "after") and chart.marks:
            draw_shape(p, style, "circle", centre, r * (1.4 if kind == "before" else 1.0),
                       style.muted, kind == "after")
        else:
            p.setPen(_pen(style, style.colours.get(kind, style.text), 2.4))
            p.drawLine(centre - QPointF(style.px(6), 0), centre + QPointF(style.px(6), 0))
        x -= style.px(24)


# -- spread charts: the typical change per practice or part ---------------------------------

def paint_spread(p: QPainter, rect: QRectF, chart: SpreadChart, style: ChartStyle
                 ) -> ChartFrame:
    labels = [r.label for r in chart.rows]
    frame = spread_frame(rect, chart.axis, labels, [r.note for r in chart.rows], style)
    plot, small = frame.plot, style.metrics().height()
    row_h = plot.height() / len(chart.rows)
    p.save()
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    for value in chart.axis.ticks:
        x = frame.x(value)
        p.setPen(_pen(style, style.grid, 0.8))
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        _text(p, style, QRectF(x - style.px(30), plot.bottom() + style.px(3), style.px(60),
                               small), tick_text(value), CENTRE)
    p.setPen(_pen(style, style.rule, 1.4))
    p.drawLine(QPointF(frame.x(0), plot.top()), QPointF(frame.x(0), plot.bottom()))
    colour = style.colours["change"]
    for n, row in enumerate(chart.rows):
        y = plot.top() + row_h * (n + 0.5)
        s = row.stats
        room = plot.left() - frame.rect.left() - style.px(8)
        label = style.metrics(False).elidedText(row.label, Qt.TextElideMode.ElideRight, room)
        _text(p, style, QRectF(frame.rect.left(), y - row_h / 2, room, row_h), label, RIGHT,
              small=False, colour=style.text)
        _text(p, style, QRectF(plot.right() + style.px(8), y - row_h / 2,
                               frame.rect.right() - plot.right(), row_h), row.note, LEFT)
        half = min(row_h * 0.22, style.px(7))
        p.fillRect(QRectF(QPointF(frame.x(s.low or 0), y - half),
                          QPointF(frame.x(s.high or 0), y + half)), _colour(colour, 0.3))
        draw_shape(p, style, "circle", QPointF(frame.x(s.median or 0), y), style.px(5), colour,
                   True)
    line = style.metrics(False).height()
    _text(p, style, QRectF(frame.rect.left(), frame.rect.bottom() - line, frame.rect.width(),
                           line), chart.axis.title, CENTRE, small=False)
    p.restore()
    return frame


def hit(chart: Chart, frame: ChartFrame, pos: QPointF, reach: float = 8.0) -> str | None:
    """The words for whatever is under `pos`: a session, a bar, or a point on a line."""
    best, best_d = None, reach
    for mark in chart.marks:
        x = frame.x(mark.x)
        values = ([mark.change] if chart.mark_style == "change"
                  else [mark.before, mark.after])
        for v in values:
            if v is None:
                continue
            d = math.hypot(pos.x() - x, pos.y() - frame.yv(v))
            if d < best_d:
                best, best_d = mark.text, d
    if best:
        return best
    for bar in chart.bars:
        if frame.x(bar.x0) <= pos.x() <= frame.x(bar.x1) and pos.y() >= frame.yv(bar.total):
            return bar.text
    for line in chart.lines:
        for segment in line.segments:
            for x, y in segment:
                d = math.hypot(pos.x() - frame.x(x), pos.y() - frame.yv(y))
                if d < best_d:
                    best, best_d = point_text(chart, line, x, y), d
    return best
