"""The progress view's four charts. QtCharts is imported here and nowhere else; only
progress_view imports this module, and only when the Progress page first opens (~0.1 s).

Short ranges (up to a month) show each session: a thin stick joins its before and after dots
(a wick-less candlestick: open = before, close = after), so separate sittings are not drawn
as one continuous line. Longer ranges show weekly or monthly averages as lines with the
change shaded between them, which stays readable and fast for ten years (~120 points).
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from PySide6.QtCharts import (
    QAreaSeries, QCandlestickSeries, QCandlestickSet, QChart, QChartView, QDateTimeAxis,
    QLineSeries, QScatterSeries, QValueAxis,
)
from PySide6.QtCore import QDateTime, QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QGridLayout, QLabel, QWidget

from app.core import progress_text as words
from app.core.trends import Period, Span
from app.storage.queries import Progress
from app.ui.progress.widgets import section
from app.ui.common.theme import Palette

CHART_HEIGHT = 250
# A calm third colour for Self-energy, readable on each theme's card background.
SELF_COLOUR = {"light": "#6a7fb0", "dark": "#9fb3e0"}
AXIS_FORMAT = {"day": "d MMM", "week": "MMM yyyy", "month": "yyyy"}
MARKERS_UP_TO = 40                     # dots help read a few points; on hundreds, only noise


def _ms(moment: datetime) -> float:
    return moment.timestamp() * 1000


def _noon(day: date) -> float:
    return _ms(datetime.combine(day, time(12)))


def _middle(period: Period) -> float:
    """A period's point sits in its middle, so weeks and months line up with the date axis."""
    return (_noon(period.start) + _noon(period.end)) / 2


def _alpha(colour: str, alpha: float) -> QColor:
    c = QColor(colour)
    c.setAlphaF(alpha)
    return c


def _points(pairs: list[tuple[float, float | None]]) -> list[QPointF]:
    return [QPointF(x, y) for x, y in pairs if y is not None]


def nice_top(value: float) -> tuple[float, int]:
    """An axis top in steps of 1, 2 or 5 × 10ⁿ with at most six ticks, and its tick count."""
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500):
        top = max(step, -(-value // step) * step)
        if top / step <= 5:
            return float(top), int(top / step) + 1
    return float(value), 6


class TrendChart:
    """One QChart on a date axis, styled from the palette; series are filled in later."""

    def __init__(self, name: str, palette: Palette, y_range: tuple[float, float],
                 legend: bool = False):
        self.palette = palette
        self.chart = QChart()
        self.chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        self.chart.setBackgroundBrush(QColor(palette.surface))
        self.chart.setBackgroundPen(QPen(Qt.PenStyle.NoPen))
        self.chart.setMargins(QMargins(4, 4, 4, 4))
        self.chart.legend().setVisible(legend)
        self.chart.legend().setAlignment(Qt.AlignmentFlag.AlignTop)
        self.chart.legend().setLabelColor(QColor(palette.text))
        self.x, self.y = QDateTimeAxis(), QValueAxis()
        for axis, align in ((self.x, Qt.AlignmentFlag.AlignBottom),
                            (self.y, Qt.AlignmentFlag.AlignLeft)):
            axis.setLabelsColor(QColor(palette.muted))
            axis.setGridLineColor(QColor(palette.border))
            axis.setLinePenColor(QColor(palette.border))
            self.chart.addAxis(axis, align)
        self.set_y(*y_range)
        self.view = QChartView(self.chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.setAccessibleName(name)
        # nothing to operate in a chart: Tab goes on to the next control; the figures and
        # the sentences above say the same in words
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.view.setStyleSheet("background: transparent;")
        self._unlisted: set[int] = set()               # series kept out of the legend

    def add(self, series, legend: bool = True):
        self.chart.addSeries(series)
        series.attachAxis(self.x)
        series.attachAxis(self.y)
        if not legend:
            self._unlisted.add(id(series))
        self.show_series(series, True)
        return series

    def show_series(self, series, visible: bool) -> None:
        """Hide a series with its legend entry (each chart serves short and long ranges)."""
        series.setVisible(visible)
        for marker in self.chart.legend().markers(series):
            marker.setVisible(visible and id(series) not in self._unlisted)

    def line(self, name: str, colour: str, width: float = 2.4) -> QLineSeries:
        series = QLineSeries()
        series.setName(name)
        pen = QPen(QColor(colour), width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        series.setPen(pen)
        series.setMarkerSize(6)
        return self.add(series)

    def dots(self, name: str, colour: str, legend: bool = True) -> QScatterSeries:
        series = QScatterSeries()
        series.setName(name)
        series.setColor(QColor(colour))
        series.setBorderColor(QColor(self.palette.surface))
        series.setMarkerSize(9)
        return self.add(series, legend)

    def sticks(self, rising: str, easing: str) -> QCandlestickSeries:
        series = QCandlestickSeries()
        series.setIncreasingColor(_alpha(rising, 0.55))
        series.setDecreasingColor(_alpha(easing, 0.55))
        series.setBodyOutlineVisible(False)
        series.setCapsVisible(False)
        series.setMinimumColumnWidth(3)
        series.setMaximumColumnWidth(4)
        return self.add(series, legend=False)

    def band(self, colour: str, alpha: float, lower: bool = True
             ) -> tuple[QAreaSeries, QLineSeries, QLineSeries | None]:
        """A soft fill between two lines (or down to zero), kept out of the legend."""
        upper_line, lower_line = QLineSeries(), (QLineSeries() if lower else None)
        area = QAreaSeries(upper_line, lower_line) if lower_line else QAreaSeries(upper_line)
        area.setBrush(_alpha(colour, alpha))
        area.setPen(QPen(Qt.PenStyle.NoPen))
        self.add(area, legend=False)
        return area, upper_line, lower_line

    def set_x(self, span: Span, fmt: str) -> None:
        self.x.setFormat(fmt)
        start = datetime.combine(span.start, time())
        end = datetime.combine(span.end + timedelta(days=1), time())
        self.x.setRange(QDateTime.fromMSecsSinceEpoch(int(_ms(start))),
                        QDateTime.fromMSecsSinceEpoch(int(_ms(end))))

    def set_y(self, low: float, high: float, ticks: int | None = None) -> None:
        """Labels at round values from `low` to `high`, with a little room beyond both so
        dots at 0 or 10 are drawn whole rather than cut by the plot's edge."""
        step = (high - low) / max(1, (ticks or int(high - low) // 2 + 1) - 1)
        room = (high - low) * 0.04
        self.y.setRange(low - room, high + room)
        self.y.setTickType(QValueAxis.TickType.TicksDynamic)
        self.y.setTickAnchor(low)
        self.y.setTickInterval(step)
        self.y.setLabelFormat("%d" if step >= 1 else "%.1f")


class Lollipops:
    """Per-session marks: a stick from `base` to the value, with a dot at the value."""

    def __init__(self, chart: TrendChart, name: str, colour: str, rising: str,
                 legend: bool = False):
        self.chart = chart
        self.sticks = chart.sticks(rising, colour)
        self.ends = chart.dots(name, colour, legend)

    def show(self, visible: bool) -> None:
        for series in (self.sticks, self.ends):
            self.chart.show_series(series, visible)

    def set(self, base: list[QPointF], ends: list[QPointF]) -> None:
        self.sticks.clear()
        self.sticks.append([QCandlestickSet(b.y(), max(b.y(), e.y()), min(b.y(), e.y()), e.y(),
                                            b.x()) for b, e in zip(base, ends)])
        self.ends.replace(ends)


class ProgressCharts(QWidget):
    """Intensity before/after, change, sessions and Self-energy, one or two per row."""

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        p = self.palette_ = palette
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(14)
        self.captions: dict[str, QLabel] = {}
        self.cards: list[QWidget] = []

        self.intensity = self._card("intensity", "Intensity before and after practice",
                                    (0, 10), legend=True)
        self.before_line = self.intensity.line("Before", p.ground)
        self.after_line = self.intensity.line("After", p.accent)
        self.band, self.band_upper, self.band_lower = self.intensity.band(p.accent, 0.12)
        self.before_dots = self.intensity.dots("Before", p.ground)
        self.pairs = Lollipops(self.intensity, "After", p.accent, p.ground, legend=True)

        self.shift = self._card("shift", "Change from before to after", (-4, 4))
        self.zero_line = self.shift.line("No change", p.muted, width=1)
        self.shift_band, self.shift_upper, self.shift_lower = self.shift.band(p.accent, 0.18)
        self.shift_line = self.shift.line("Change (after − before)", p.accent)
        self.shift_pops = Lollipops(self.shift, "Change", p.accent, p.ground)

        self.sessions = self._card("sessions", "Sessions", (0, 4))
        self.sessions_band, self.sessions_upper, _ = self.sessions.band(p.accent, 0.22, False)
        self.sessions_line = self.sessions.line("Sessions", p.accent, width=1.6)
        self.session_pops = Lollipops(self.sessions, "Sessions", p.accent, p.accent)

        self.energy = self._card("energy", "Self-energy (the eight C's)", (0, 10))
        self.energy_line = self.energy.line("Self-energy", SELF_COLOUR[p.name])
        self.columns = 0

    def _card(self, key: str, title: str, y_range: tuple[float, float],
              legend: bool = False) -> TrendChart:
        chart = TrendChart(title, self.palette_, y_range, legend)
        frame, layout, caption = section(title)
        layout.addWidget(chart.view, 1)
        self.captions[key] = caption
        self.cards.append(frame)
        return chart

    def set_columns(self, columns: int) -> None:
        if columns != self.columns:
            self.columns = columns
            for n, card in enumerate(self.cards):
                self.grid.addWidget(card, n // columns, n % columns)

    # -- filling ---------------------------------------------------------------------------

    def fill(self, progress: Progress) -> None:
        span, bucket = progress.span, progress.bucket
        per_session = bucket == "day"
        for chart in (self.intensity, self.shift, self.sessions, self.energy):
            chart.set_x(span, AXIS_FORMAT[bucket])
        if per_session:
            marks = [(_ms(datetime.fromisoformat(s.started_at)), s) for s in progress.sessions]
            paired = [(x, s) for x, s in marks if s.shift is not None]
            before = _points([(x, s.before) for x, s in paired])
            after = _points([(x, s.after) for x, s in paired])
            shift = _points([(x, s.shift) for x, s in paired])
        else:
            xs = [(_middle(p), p) for p in progress.periods]
            before = _points([(x, p.before) for x, p in xs])
            after = _points([(x, p.after) for x, p in xs])
            shift = _points([(x, p.shift) for x, p in xs])
        counts = _points([(_middle(p), float(p.sessions)) for p in progress.periods])
        energy = _points([(_middle(p), p.self_energy) for p in progress.periods])
        self._fill_intensity(before, after, per_session)
        self._fill_shift(shift, per_session)
        self._fill_sessions(counts, per_session)
        self.energy_line.replace(energy)
        self.energy_line.setPointsVisible(len(energy) <= MARKERS_UP_TO)
        self._describe(progress, per_session)

    def _fill_intensity(self, before: list[QPointF], after: list[QPointF],
                        per_session: bool) -> None:
        for series in (self.before_line, self.after_line, self.band):
            self.intensity.show_series(series, not per_session)
        self.pairs.show(per_session)
        self.intensity.show_series(self.before_dots, per_session)
        dots: tuple[list[QPointF], list[QPointF]] = (before, after) if per_session else ([], [])
        lines = ([], []) if per_session else (before, after)
        for series, points in ((self.before_line, lines[0]), (self.band_upper, lines[0]),
                               (self.after_line, lines[1]), (self.band_lower, lines[1])):
            series.replace(points)
            series.setPointsVisible(len(points) <= MARKERS_UP_TO)
        self.pairs.set(*dots)
        self.before_dots.replace(dots[0])

    def _fill_shift(self, shift: list[QPointF], per_session: bool) -> None:
        for series in (self.shift_line, self.shift_band):
            self.shift.show_series(series, not per_session)
        self.shift_pops.show(per_session)
        pops = shift if per_session else []
        self.shift_pops.set([QPointF(p.x(), 0) for p in pops], pops)
        line = [] if per_session else shift
        self.shift_line.replace(line)
        self.shift_line.setPointsVisible(len(line) <= MARKERS_UP_TO)
        self.shift_upper.replace(line)
        self.shift_lower.replace([QPointF(p.x(), 0) for p in line])
        reach = max([4.0] + [abs(p.y()) for p in shift])
        reach = float(-(-reach // 2) * 2)              # even, so 0 gets its own tick
        self.shift.set_y(-reach, reach, int(reach) + 1)
        self.zero_line.replace([QPointF(self.shift.x.min().toMSecsSinceEpoch(), 0),
                                QPointF(self.shift.x.max().toMSecsSinceEpoch(), 0)])

    def _fill_sessions(self, counts: list[QPointF], per_session: bool) -> None:
        for series in (self.sessions_line, self.sessions_band):
            self.sessions.show_series(series, not per_session)
        self.session_pops.show(per_session)
        # a day without practice is just a day: no mark for it
        pops = [p for p in counts if p.y() > 0] if per_session else []
        self.session_pops.set([QPointF(p.x(), 0) for p in pops], pops)
        line = [] if per_session else counts
        self.sessions_line.replace(line)
        self.sessions_line.setPointsVisible(len(line) <= MARKERS_UP_TO)
        self.sessions_upper.replace(line)
        self.sessions.set_y(0, *nice_top(max((p.y() for p in counts), default=0)))

    def _describe(self, progress: Progress, per_session: bool) -> None:
        """Captions under each title, which double as the charts' accessible descriptions."""
        what = words.bucket_caption(progress.bucket, per_session)
        self.captions["intensity"].setText(
            f"{what} " + ("The stick joins before and after." if per_session
                          else "The shaded band is the change."))
        self.captions["shift"].setText(f"{what} Below the line: intensity eased after "
                                       "practice.")
        self.captions["sessions"].setText(
            "Sessions each week, averaged over each month." if progress.bucket == "month"
            else f"How many sessions each {words.BUCKET_WORDS[progress.bucket]}.")
        self.captions["energy"].setText(f"{words.bucket_caption(progress.bucket)} Higher "
                                        "means more calm, curiosity and compassion.")
        s = progress.summary
        for chart, text in ((self.intensity, words.shift_sentence(s)),
                            (self.shift, words.shift_sentence(s)),
                            (self.sessions, words.sessions_sentence(s)),
                            (self.energy, words.energy_sentence(s))):
            chart.view.setAccessibleDescription(text)
