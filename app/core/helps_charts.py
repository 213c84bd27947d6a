"""Charts beside the sentences of "What helps", as plain data (painted by the view and the
PDF alike): the typical change per practice and per part, and each C of Self-energy over time.
"""
from __future__ import annotations

from dataclasses import dataclass

from app.core import progress_text as words
from app.core.axes import TimeAxis, ValueAxis, change_axis, offset, value_axis
from app.core.charts import CHANGE_Y, MARKS_UP_TO, Chart, Line, segments
from app.core.helps import PartHelp, PracticeHelp, QualityTrend, ShiftStats



@dataclass(frozen=True)
class SpreadRow:
    label: str
    stats: ShiftStats                      # median as a dot, the middle half as a bar
    note: str                              # "14 sessions": what the row rests on


@dataclass(frozen=True)
class SpreadChart:
    key: str
    title: str
    caption: str
    axis: ValueAxis
    rows: tuple[SpreadRow, ...]
    description: str = ""


def spread_chart(key: str, title: str, items: list[PracticeHelp] | list[PartHelp]
                 ) -> SpreadChart | None:
    """One row per practice or part with enough finished sessions; None when none has."""
    rows = tuple(SpreadRow(_label(item), item.stats,
                           words.plural(item.stats.n, "session"))
                 for item in items if item.stats.enough)
    if not rows:
        return None
    reach = max(max(abs(r.stats.low or 0), abs(r.stats.high or 0)) for r in rows)
    caption = ("The dot is the typical change (the median); the bar holds the middle half of "
               "the sessions. Left of 0: intensity eased. Only finished sessions with a "
               "before and an after, and only rows with enough of them.")
    return SpreadChart(key, title, caption, change_axis(reach, CHANGE_Y), rows,
                       description=" ".join(f"{r.label}: typical change "
                                            f"{words.number(r.stats.median or 0)} over "
                                            f"{r.note}." for r in rows))


def _label(item: PracticeHelp | PartHelp) -> str:
    return item.title if isinstance(item, PracticeHelp) else item.name


def quality_charts(qualities: list[QualityTrend], x: TimeAxis) -> list[Chart]:
    """Small multiples: one small chart per C, on the same axes, so they compare at a
    glance."""
    y: ValueAxis = value_axis(0, 10, "0–10", max_ticks=3)
    charts = []
    for q in qualities:
        points = [((offset(x.span, start) + offset(x.span, end) + 1) / 2, mean)
                  for start, end, mean, _ in q.points]
        line = segments(points)
        dots = sum(len(s) for s in line) <= MARKS_UP_TO
        charts.append(Chart(f"quality-{q.quality}", q.quality.capitalize(), "", x, y,
                            lines=(Line("energy", q.quality.capitalize(), line, dots),),
                            description=f"{q.quality.capitalize()} over time, "
                                        f"{words.plural(q.n, 'check-in')}."))
    return charts
