"""Chart axes that tell the truth: date ticks on real day, week, month and year boundaries,
labelled with the dates they stand on, and value ticks at round numbers. Pure Python.

Positions on a time axis are in days from the first midnight of the range: 0 is the start of
its first day and `span.days` the end of its last. The screen and the PDF both draw from these
numbers, so a tick that says "29 Nov" is under 29 November in both.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from math import floor, log10

from app.core.trends import Bucket, Span

# How each kind of chart names its horizontal axis.
TIME_TITLES = {"day": "Day", "week": "Week (Monday to Sunday)", "month": "Month"}
# Units a label may step by, from fine to coarse; the finest that fits is used.
MONTH_STEPS = (1, 3, 6, 12, 24, 60, 120)


@dataclass(frozen=True)
class TimeTick:
    day: date                  # the day the label names
    label: str
    at: float                  # where the label is centred, in days from the range start


@dataclass(frozen=True)
class TimeAxis:
    span: Span
    bucket: Bucket
    ticks: tuple[TimeTick, ...]
    grid: tuple[float, ...]    # gridlines, on real boundaries (midnights)
    title: str

    @property
    def length(self) -> float:
        return float(self.span.days)


def offset(span: Span, day: date) -> float:
    """Days from the range's first midnight to `day`'s midnight."""
    return float((day - span.start).days)


def day_label(day: date) -> str:
    return f"{day.day} {calendar.month_abbr[day.month]}"


def _with_years(days: list[date], texts: list[str], span: Span) -> list[str]:
    """Add the year where it changes, and on the first label when the range crosses one; a
    range inside one year leaves it to the range's title."""
    out, previous = [], None
    crosses = span.start.year != span.end.year
    for day, text in zip(days, texts):
        if (previous is None and crosses) or (previous is not None and day.year != previous):
            text = f"{text} {day.year}"
        out.append(text)
        previous = day.year
    return out


def time_axis(span: Span, bucket: Bucket, max_labels: int) -> TimeAxis:
    """Ticks for a chart of `span` drawn in `bucket`s, with at most `max_labels` labels.

    In a chart of days each day is a band between two midnights, with its label centred in
    the band, so a day's sessions sit right above their date. Charts of weeks or months put
    gridlines and labels on the first day of a week, month, quarter or year.
    """
    max_labels = max(1, max_labels)
    if bucket == "day":
        return _day_axis(span, max_labels)
    if bucket == "week":
        mondays = _mondays(span)
        if len(mondays) <= max_labels:
            return _boundary_axis(span, bucket, mondays,
                                  _with_years(mondays, [day_label(d) for d in mondays], span))
    for months in MONTH_STEPS:
        firsts = _month_starts(span, months)
        if len(firsts) <= max_labels:
            break
    if months >= 12:
        texts = [str(d.year) for d in firsts]
    else:
        texts = _with_years(firsts, [calendar.month_abbr[d.month] for d in firsts], span)
    return _boundary_axis(span, bucket, firsts, texts)


def _day_axis(span: Span, max_labels: int) -> TimeAxis:
    days = [span.start + timedelta(days=n) for n in range(span.days)]
    labelled = days if len(days) <= max_labels else [d for d in days if d.weekday() == 0]
    if len(labelled) > max_labels:                  # very narrow: every other Monday
        labelled = labelled[::2]
    texts = _with_years(labelled, [day_label(d) for d in labelled], span)
    ticks = tuple(TimeTick(d, t, offset(span, d) + 0.5) for d, t in zip(labelled, texts))
    grid = tuple(float(n) for n in range(span.days + 1))
    return TimeAxis(span, "day", ticks, grid, TIME_TITLES["day"])


def _boundary_axis(span: Span, bucket: Bucket, days: list[date], texts: list[str]
                   ) -> TimeAxis:
    ticks = tuple(TimeTick(d, t, offset(span, d)) for d, t in zip(days, texts))
    return TimeAxis(span, bucket, ticks, tuple(t.at for t in ticks), TIME_TITLES[bucket])


def _mondays(span: Span) -> list[date]:
    first = span.start + timedelta(days=(7 - span.start.weekday()) % 7)
    return [first + timedelta(weeks=n) for n in range((span.end - first).days // 7 + 1)
            ] if first <= span.end else []


def _month_starts(span: Span, step: int) -> list[date]:
    """First days of months inside the range whose month number is a multiple of `step`
    (counted from January, so quarters start in Jan/Apr/Jul/Oct and years on 1 January)."""
    out: list[date] = []
    index = span.start.year * 12 + span.start.month - 1
    if span.start.day > 1:
        index += 1
    while True:
        year, month = divmod(index, 12)
        day = date(year, month + 1, 1)
        if day > span.end:
            return out
        if index % step == 0:
            out.append(day)
        index += 1


# -- values ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ValueAxis:
    low: float
    high: float
    ticks: tuple[float, ...]
    title: str

    def fraction(self, value: float) -> float:
        """0 at `low`, 1 at `high`."""
        return (value - self.low) / (self.high - self.low) if self.high > self.low else 0.0


def nice_step(span: float, max_ticks: int) -> float:
    """The smallest step of 1, 2 or 5 × 10ⁿ that covers `span` in at most `max_ticks` − 1."""
    raw = span / max(1, max_ticks - 1)
    if raw <= 0:
        return 1.0
    power = 10 ** floor(log10(raw))
    for factor in (1, 2, 5):
        if factor * power >= raw - 1e-12:
            return float(factor * power)
    return float(10 * power)            # power ≤ raw < 10 × power: ten always covers it


def value_axis(low: float, high: float, title: str, max_ticks: int = 6,
               whole: bool = True) -> ValueAxis:
    """Round ticks from `low` up to a round top at or above `high`. With `whole`, steps are
    whole numbers (counts and 0–10 scales have no half sessions or half points)."""
    step = nice_step(high - low, max_ticks)
    if whole:
        step = max(1.0, step)
    top = low + step * max(1, -(-round((high - low) / step, 9) // 1))
    ticks, value = [], float(low)
    while value <= top + 1e-9:
        ticks.append(round(value, 9))
        value += step
    return ValueAxis(float(low), float(top), tuple(ticks), title)


def count_axis(most: float, title: str) -> ValueAxis:
    """0 to a round top above the largest count (at least 2, so one session is not a wall)."""
    return value_axis(0, max(2.0, most), title)


def change_axis(reach: float, title: str) -> ValueAxis:
    """Symmetric around 0 in even steps, so "no change" has its own line."""
    reach = max(4.0, reach)
    reach = float(-(-reach // 2) * 2)
    ticks = tuple(float(v) for v in range(int(-reach), int(reach) + 1, 2))
    return ValueAxis(-reach, reach, ticks, title)
