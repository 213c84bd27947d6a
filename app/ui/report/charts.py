"""Charts for the PDF report, drawn with QPainter: vector lines that print sharply.

They tell the same story as the progress view's charts (same buckets, same sessions) in
print colours: darker lines, a light band, dark text. No widgets, so any thread can draw.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPolygonF

from app.core.trends import Period, SessionShift, Span
from app.storage.queries import Progress
from app.ui.report.layout import MUTED, RULE, TEXT, Ink

BEFORE, AFTER, ENERGY = "#9a5b2e", "#2d6a5f", "#45609a"     # print: dark enough on white
GRID = "#dedad3"
LABEL_MM = 19                          # room one date label needs under the axis


@dataclass(frozen=True)
class Frame:
    """Maps (day offset, value) into the plotting rectangle."""
    plot: QRectF
    span: Span
    low: float
    high: float

    def x(self, day: float) -> float:
        return self.plot.left() + self.plot.width() * day / self.span.days

    def y(self, value: float) -> float:
        return self.plot.bottom() - self.plot.height() * (value - self.low) / (self.high
                                                                               - self.low)

    def point(self, day: float, value: float) -> QPointF:
        return QPointF(self.x(day), self.y(value))


def _day(span: Span, moment: date, fraction: float = 0.5) -> float:
    return (moment - span.start).days + fraction


def _session_x(span: Span, s: SessionShift) -> float:
    hour = s.started_at[11:13]
    return _day(span, s.day, (int(hour) if hour.isdigit() else 12) / 24)


def _period_x(span: Span, p: Period) -> float:
    return ((p.start - span.start).days + (p.end - span.start).days + 1) / 2


def date_ticks(span: Span, most: int = 8) -> list[tuple[date, str]]:
    """At most `most` date labels: days, month starts or year starts, as the range needs."""
    def every(items: list, limit: int) -> list:
        return items[::max(1, -(-len(items) // max(1, limit)))]

    if span.days <= 45:
        days = [span.start + timedelta(days=d) for d in range(span.days)]
        return [(d, f"{d.day} {calendar.month_abbr[d.month]}")
                for d in every(days, min(most, 7))]
    if span.days <= 800:
        months = [date(y, m, 1) for y in range(span.start.year, span.end.year + 1)
                  for m in range(1, 13) if span.start <= date(y, m, 1) <= span.end]
        return [(d, calendar.month_abbr[d.month] + (f" {d.year}" if d.month == 1 or n == 0
                                                    else ""))
                for n, d in enumerate(every(months, most))]
    years = [date(y, 1, 1) for y in range(span.start.year, span.end.year + 1)
             if span.start <= date(y, 1, 1) <= span.end]
    return [(d, str(d.year)) for d in every(years, most)]


def _axes(ink: Ink, p: QPainter, rect: QRectF, span: Span, low: float, high: float,
          step: float, title: str) -> Frame:
    """Title, y gridlines with labels, date labels underneath; returns the mapping."""
    ink.draw_text(p, QRectF(rect.left(), rect.top(), rect.width(), ink.line("h2")), "h2", title)
    label_w = ink.mm(9)
    top = rect.top() + ink.line("h2") + ink.mm(3)
    plot = QRectF(rect.left() + label_w, top, rect.width() - label_w - ink.mm(2),
                  rect.bottom() - top - ink.line("small") - ink.mm(2))
    frame = Frame(plot, span, low, high)
    value = low
    while value <= high + 1e-9:
        y = frame.y(value)
        p.setPen(ink.pen(RULE if abs(value) < 1e-9 else GRID, 0.25 if value else 0.35))
        p.drawLine(QPointF(plot.left(), y), QPointF(plot.right(), y))
        ink.draw_text(p, QRectF(rect.left(), y - ink.line("small") / 2, label_w - ink.mm(2),
                                ink.line("small")), "small", f"{value:g}".replace("-", "−"),
                      MUTED, Qt.AlignmentFlag.AlignRight)
        value += step
    for day, text in date_ticks(span, int(plot.width() // ink.mm(LABEL_MM))):
        x = frame.x(_day(span, day, 0))
        p.setPen(ink.pen(GRID, 0.25))
        p.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
        ink.draw_text(p, QRectF(x - ink.mm(12), plot.bottom() + ink.mm(1), ink.mm(24),
                                ink.line("small")), "small", text, MUTED,
                      Qt.AlignmentFlag.AlignHCenter)
    return frame


def _polyline(ink: Ink, p: QPainter, points: list[QPointF], colour: str) -> None:
    if not points:
        return
    p.setPen(ink.pen(colour, 0.6))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawPolyline(QPolygonF(points))


def _band(p: QPainter, upper: list[QPointF], lower: list[QPointF], colour: str) -> None:
    if len(upper) < 2:
        return
    path = QPainterPath()
    path.addPolygon(QPolygonF(upper + lower[::-1]))
    fill = QColor(colour)
    fill.setAlphaF(0.15)
    p.fillPath(path, fill)


def _dot(ink: Ink, p: QPainter, at: QPointF, colour: str, radius_mm: float = 0.8) -> None:
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(colour))
    p.drawEllipse(at, ink.mm(radius_mm), ink.mm(radius_mm))


def _legend(ink: Ink, p: QPainter, rect: QRectF, items: list[tuple[str, str]]) -> None:
    x = rect.right()
    for text, colour in reversed(items):
        width = ink.metrics["small"].horizontalAdvance(text)
        x -= width
        ink.draw_text(p, QRectF(x, rect.top(), width + 2, ink.line("small")), "small", text,
                      TEXT)
        _dot(ink, p, QPointF(x - ink.mm(2.5), rect.top() + ink.line("small") / 2), colour, 1.0)
        x -= ink.mm(8)


def paint_intensity(ink: Ink, p: QPainter, rect: QRectF, progress: Progress) -> None:
    """Before and after: sticks per session for short ranges, averaged lines for long."""
    span = progress.span
    frame = _axes(ink, p, rect, span, 0, 10, 2, "Intensity before and after practice (0–10)")
    _legend(ink, p, rect, [("Before", BEFORE), ("After", AFTER)])
    if progress.bucket == "day":
        for s in progress.sessions:
            if s.shift is None:
                continue
            x = _session_x(span, s)
            b, a = frame.point(x, s.before), frame.point(x, s.after)  # type: ignore[arg-type]
            p.setPen(ink.pen(AFTER if s.shift <= 0 else BEFORE, 0.5))
            p.drawLine(b, a)
            _dot(ink, p, b, BEFORE)
            _dot(ink, p, a, AFTER)
        return
    pairs = [(_period_x(span, q), q) for q in progress.periods if q.shift is not None]
    before = [frame.point(x, q.before) for x, q in pairs]  # type: ignore[arg-type]
    after = [frame.point(x, q.after) for x, q in pairs]  # type: ignore[arg-type]
    _band(p, before, after, AFTER)
    _polyline(ink, p, before, BEFORE)
    _polyline(ink, p, after, AFTER)


def paint_shift(ink: Ink, p: QPainter, rect: QRectF, progress: Progress) -> None:
    """The change after − before: below zero means intensity eased."""
    span = progress.span
    if progress.bucket == "day":
        values = [(_session_x(span, s), float(s.shift)) for s in progress.sessions
                  if s.shift is not None]
    else:
        values = [(_period_x(span, q), q.shift) for q in progress.periods
                  if q.shift is not None]
    reach = max([4.0] + [abs(v) for _, v in values])
    reach = float(-(-reach // 2) * 2)
    frame = _axes(ink, p, rect, span, -reach, reach, 2,
                  "Change from before to after (below 0: eased)")
    zero = frame.y(0)
    if progress.bucket == "day":
        for x, v in values:
            end = frame.point(x, v)
            p.setPen(ink.pen(AFTER if v <= 0 else BEFORE, 0.5))
            p.drawLine(QPointF(end.x(), zero), end)
            _dot(ink, p, end, AFTER if v <= 0 else BEFORE)
        return
    line = [frame.point(x, v) for x, v in values]
    _band(p, line, [QPointF(q.x(), zero) for q in line], AFTER)
    _polyline(ink, p, line, AFTER)


def paint_energy(ink: Ink, p: QPainter, rect: QRectF, progress: Progress) -> None:
    span = progress.span
    frame = _axes(ink, p, rect, span, 0, 10, 2, "Self-energy (0–10)")
    points = [frame.point(_period_x(span, q), q.self_energy) for q in progress.periods
              if q.self_energy is not None]
    _polyline(ink, p, points, ENERGY)
    if len(points) <= 40:
        for point in points:
            _dot(ink, p, point, ENERGY, 0.6)


def paint_sessions(ink: Ink, p: QPainter, rect: QRectF, progress: Progress) -> None:
    """Sessions per day or week as bars (per week on average for monthly buckets)."""
    span = progress.span
    rates = [(q, float(q.sessions)) for q in progress.periods]
    top = max([2.0] + [r for _, r in rates])
    step = 1 if top <= 5 else 2 if top <= 10 else 5
    top = float(-(-top // step) * step)
    title = {"day": "Sessions each day", "week": "Sessions each week",
             "month": "Sessions a week (by month)"}[progress.bucket]
    frame = _axes(ink, p, rect, span, 0, top, step, title)
    p.setPen(Qt.PenStyle.NoPen)
    fill = QColor(AFTER)
    fill.setAlphaF(0.55)
    for q, rate in rates:
        if rate <= 0:
            continue
        left, right = frame.x(_day(span, q.start, 0)), frame.x(_day(span, q.end, 1))
        gap = min(ink.mm(0.4), (right - left) * 0.2)
        p.fillRect(QRectF(left + gap, frame.y(rate), right - left - 2 * gap,
                          frame.y(0) - frame.y(rate)), fill)
