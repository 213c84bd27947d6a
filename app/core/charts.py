"""What each progress chart shows, as plain data: axes, bars, lines and one mark per session.

The progress view and the PDF report both paint these (app/ui/common/chart_paint.py), so a
tick, a bar or a grounded session is in the same place, with the same words, in both. Tests
read them directly: the exact tick dates, bar extents and captions.
"""
from __future__ import annotations

import calendar
from collections.abc import Iterable, Sized
from dataclasses import dataclass, replace
from datetime import datetime

from app.core import progress_text as words
from app.core.axes import (
    TimeAxis, ValueAxis, change_axis, count_axis, day_label, offset, time_axis, value_axis,
)
from app.core.trends import (
    Outcomes, Period, SessionShift, Span, Summary, long_date, periods_of,
)

OUTCOME_KEYS = ("finished", "grounded", "stopped", "interrupted")   # bottom of a bar first
OUTCOME_OF = {"completed": "finished", "grounded": "grounded", "stopped_early": "stopped"}
SHAPES = {"finished": "circle", "grounded": "diamond", "stopped": "triangle",
          "interrupted": "square"}
CHANGE_Y = "Change (after − before)"
MARKS_UP_TO = 40                       # dots on a line help read a few points, not hundreds
DEFAULT_LABELS = 8


@dataclass(frozen=True)
class Mark:
    """One session on a chart of days; `x` in days from the range's first midnight."""
    x: float
    outcome: str                       # a key of OUTCOME_KEYS: decides the mark's shape
    before: float | None
    after: float | None
    text: str                          # for the tooltip: when, what, the numbers, the ending

    @property
    def change(self) -> float | None:
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class Bar:
    x0: float
    x1: float                          # its true width: a partial week is a narrow bar
    stack: tuple[tuple[str, int], ...]  # (outcome key, sessions), bottom first, no zeros
    text: str

    @property
    def total(self) -> int:
        return sum(n for _, n in self.stack)


@dataclass(frozen=True)
class Line:
    kind: str                          # decides colour and legend: before, after, change…
    name: str
    segments: tuple[tuple[tuple[float, float], ...], ...]   # broken where there is no value
    dots: bool = True


@dataclass(frozen=True)
class Chart:
    key: str
    title: str
    caption: str                       # what one mark, point or bar is, and what is left out
    x: TimeAxis
    y: ValueAxis
    bars: tuple[Bar, ...] = ()
    lines: tuple[Line, ...] = ()
    band: tuple[str, str] | None = None     # shade between these two lines' kinds
    marks: tuple[Mark, ...] = ()
    mark_style: str = "pair"                # "pair": before and after; "change": from 0
    legend: tuple[tuple[str, str], ...] = ()   # (kind or outcome key, words)
    zero_line: bool = False
    description: str = ""                   # the same story in sentences, for screen readers

    def with_labels(self, max_labels: int) -> "Chart":
        """The same chart with as many date labels as fit (the painter knows its width)."""
        return replace(self, x=time_axis(self.x.span, self.x.bucket, max_labels))


# -- positions and words -----------------------------------------------------------------------

def outcome_key(outcome: str | None) -> str:
    return OUTCOME_OF.get(outcome or "", "interrupted")


def session_marks(sessions: list[SessionShift], span: Span) -> tuple[Mark, ...]:
    """Sessions spread evenly inside their day's band (one sits in its middle, right above
    the day's label): on a chart of days the day matters, not the minute."""
    by_day: dict[int, list[SessionShift]] = {}
    for s in sessions:
        if span.start <= s.day <= span.end:
            by_day.setdefault((s.day - span.start).days, []).append(s)
    marks = []
    for day, group in sorted(by_day.items()):
        for n, s in enumerate(group, start=1):
            marks.append(Mark(day + n / (len(group) + 1), outcome_key(s.outcome),
                              s.before, s.after, session_text(s)))
    return tuple(marks)


def session_text(s: SessionShift) -> str:
    moment = datetime.fromisoformat(s.started_at)
    when = (f"{calendar.day_abbr[moment.weekday()]} {day_label(moment.date())}, "
            f"{moment:%H:%M}")
    numbers = (f"{_value(s.before)} → {_value(s.after)}")
    return (f"{when} · {s.practice_title} · {numbers} · "
            f"{words.OUTCOME_WORDS[outcome_key(s.outcome)]}")


def _value(v: float | None) -> str:
    return "–" if v is None else f"{v:g}"


def _middle(span: Span, p: Period) -> float:
    return (offset(span, p.start) + offset(span, p.end) + 1) / 2


def segments(points: list[tuple[float, float | None]]
              ) -> tuple[tuple[tuple[float, float], ...], ...]:
    """Lines stop where a bucket has no value, instead of bridging the gap."""
    out: list[list[tuple[float, float]]] = [[]]
    for x, y in points:
        if y is None:
            if out[-1]:
                out.append([])
        else:
            out[-1].append((x, y))
    return tuple(tuple(s) for s in out if s)


def _count(segments: tuple[Sized, ...]) -> int:
    return sum(len(s) for s in segments)


def _legend_outcomes(present: Outcomes, shapes: bool = True) -> tuple[tuple[str, str], ...]:
    return tuple((k, words.OUTCOME_WORDS[k]) for k in OUTCOME_KEYS
                 if getattr(present, k) or (k == "finished" and shapes))


def _present(marks: tuple[Mark, ...]) -> Outcomes:
    return Outcomes(*(sum(1 for m in marks if m.outcome == k) for k in OUTCOME_KEYS))


# -- the four charts of the range --------------------------------------------------------------

def intensity_chart(periods: list[Period], sessions: list[SessionShift], summary: Summary,
                    x: TimeAxis) -> Chart:
    y = value_axis(0, 10, "Intensity (0–10)")
    title = "Intensity before and after practice"
    if x.bucket == "day":
        marks = session_marks(sessions, x.span)
        counted = ("the averages" if summary.paired > 1          # one session has no average
                   else "the before-and-after figures")
        caption = ("One mark per session: hollow before, filled after, joined by a line. "
                   "Grounded and stopped-early sessions have their own shapes and are not in "
                   f"{counted}.")
        legend = (("before", "before"), ("after", "after")) + _legend_outcomes(_present(marks))
        return Chart("intensity", title, caption, x, y, marks=marks, legend=legend,
                     description=_describe(summary))
    before = segments([(_middle(x.span, p), p.before) for p in periods])
    after = segments([(_middle(x.span, p), p.after) for p in periods])
    dots = _count(before) <= MARKS_UP_TO
    caption = intensity_caption(periods, summary, x.bucket)
    return Chart("intensity", title, caption, x, y,
                 lines=(Line("before", "Before", before, dots), Line("after", "After", after,
                                                                      dots)),
                 band=("before", "after"), legend=(("before", "Before"), ("after", "After")),
                 description=_describe(summary))


def change_chart(periods: list[Period], sessions: list[SessionShift], summary: Summary,
                 x: TimeAxis) -> Chart:
    title = "Change from before to after"
    if x.bucket == "day":
        marks = tuple(m for m in session_marks(sessions, x.span) if m.change is not None)
        reach = max([abs(m.change) for m in marks if m.change is not None], default=0)
        missing = len(sessions) - len(marks)
        caption = ("After minus before, one stick per session; below the line, intensity "
                   "eased. Shapes show how each session ended.")
        if missing:
            caption += (f" {plural_sessions(missing)} without both check-ins "
                        f"{'is' if missing == 1 else 'are'} not in this chart.")
        return Chart("change", title, caption, x,
                     change_axis(reach, CHANGE_Y),
                     marks=marks, mark_style="change", zero_line=True,
                     legend=_legend_outcomes(_present(marks)), description=_describe(summary))
    points = [(_middle(x.span, p), p.shift) for p in periods]
    line = segments(points)
    reach = max([abs(v) for _, v in points if v is not None], default=0)
    caption = change_caption(periods, summary, x.bucket)
    return Chart("change", title, caption, x,
                 change_axis(reach, CHANGE_Y),
                 lines=(Line("change", "Change", line, _count(line) <= MARKS_UP_TO),),
                 band=("change", "zero"), zero_line=True, description=_describe(summary))


def plural_sessions(n: int) -> str:
    return words.plural(n, "session")


def sessions_chart(periods: list[Period], summary: Summary, x: TimeAxis) -> Chart:
    bucket = words.BUCKET_WORDS[x.bucket]
    bars = tuple(_bar(x.span, p, x.bucket) for p in periods if p.sessions)
    most = max((b.total for b in bars), default=0)
    caption = f"Sessions each {bucket}, by how they ended."
    partial = partial_note(periods, x.bucket)
    if partial:
        caption += " " + partial
    return Chart("sessions", "Sessions", caption, x,
                 count_axis(most, f"Sessions per {bucket}"), bars=bars,
                 legend=_legend_outcomes(summary.outcomes, shapes=False),
                 description=words.sessions_sentence(summary) + (" " + partial if partial
                                                                  else ""))


def _bar(span: Span, p: Period, bucket: str) -> Bar:
    stack = tuple((k, getattr(p.outcomes, k)) for k in OUTCOME_KEYS if getattr(p.outcomes, k))
    return Bar(offset(span, p.start), offset(span, p.end) + 1, stack,
               f"{period_label(p, bucket)}: {plural_sessions(p.sessions)} — "
               f"{words.outcome_breakdown(p.outcomes)}")


def full_days(p: Period, bucket: str) -> int:
    if bucket == "week":
        return 7
    if bucket == "month":
        return calendar.monthrange(p.start.year, p.start.month)[1]
    return 1


def period_label(p: Period, bucket: str) -> str:
    """"Week of 24 Nov 2025", "March 2026", "Tue 24 Nov 2025"; a partial bucket names its
    days: "30 Nov 2025 (1 day of that week)"."""
    if p.days < full_days(p, bucket):
        days = (long_date(p.start) if p.days == 1 else
                f"{long_date(p.start)} – {long_date(p.end)}")
        return f"{days} ({words.plural(p.days, 'day')} of that {bucket})"
    if bucket == "week":
        return f"Week of {long_date(p.start)}"
    if bucket == "month":
        return f"{calendar.month_name[p.start.month]} {p.start.year}"
    return f"{calendar.day_abbr[p.start.weekday()]} {long_date(p.start)}"


def point_text(chart: Chart, line: Line, x: float, y: float) -> str:
    """A point on a line in words: "Week of 24 November 2025 · After: 4.2"."""
    span, bucket = chart.x.span, chart.x.bucket
    for start, end in periods_of(span, bucket):
        if offset(span, start) <= x < offset(span, end) + 1:
            when = period_label(Period(start, end, Outcomes(), 0, None, None, None), bucket)
            return f"{when} · {line.name}: {words.number(y)}"
    return f"{line.name}: {words.number(y)}"


def partial_note(periods: list[Period], bucket: str) -> str:
    """Says which bars cover only part of their week or month, so no bar looks emptier than
    it was. "" for charts of days, or when every bucket is whole."""
    if bucket == "day" or not periods:
        return ""
    notes = []
    first, last = periods[0], periods[-1]
    if first.days < full_days(first, bucket):
        notes.append(f"The first bar covers only {words.plural(first.days, 'day')} of its "
                     f"{bucket} ({_days(first)})")
    if last is not first and last.days < full_days(last, bucket):
        notes.append(f"the last covers {words.plural(last.days, 'day')} ({_days(last)})")
    if not notes:
        return ""
    text = "; ".join(notes) + "."
    return text[0].upper() + text[1:]


def _days(p: Period) -> str:
    return long_date(p.start) if p.days == 1 else f"{long_date(p.start)} – {long_date(p.end)}"


def energy_chart(periods: list[Period], summary: Summary, x: TimeAxis) -> Chart:
    line = segments([(_middle(x.span, p), p.self_energy) for p in periods])
    caption = energy_caption(periods, summary, x.bucket)
    return Chart("energy", "Self-energy (the eight C's)", caption, x,
                 value_axis(0, 10, "Self-energy (0–10)"),
                 lines=(Line("energy", "Self-energy", line, _count(line) <= MARKS_UP_TO),),
                 description=words.energy_sentence(summary))


# -- what one point of a line stands for -------------------------------------------------------
# A point of a week or month is an average only where that week or month holds two or more
# sessions (or check-ins); one alone is shown as it was, and the caption says so, as the
# summary does ("In your one finished session, …").

def spread(counts: Iterable[int]) -> str:
    """How the points of a line stand, from how many sessions (or check-ins) each rests on:
    "none" (no point), "one" (one point, from one), "each alone" (every point from one),
    "some alone" (averages and single ones) or "averages" (every point from two or more)."""
    shown = [n for n in counts if n]
    if not shown:
        return "none"
    if sum(shown) == 1:
        return "one"
    if max(shown) == 1:
        return "each alone"
    return "some alone" if min(shown) == 1 else "averages"


NO_PAIRS = "No finished session in this range has both a before and an after check-in"


def _only_session(summary: Summary) -> str:
    return ("your one finished session" if summary.paired == summary.outcomes.finished
            else "the one finished session with both check-ins")


def intensity_caption(periods: list[Period], summary: Summary, bucket: str) -> str:
    b, n = words.BUCKET_WORDS[bucket], summary.paired
    rest = "Grounded and stopped-early sessions are counted in Sessions, not in this chart."
    kind = spread(p.paired for p in periods)
    if kind == "none":
        return (f"{NO_PAIRS}, so there is nothing to draw here yet; every session is counted "
                "in Sessions.")
    if kind == "one":
        return (f"The two points are {_only_session(summary)}, before and after; the "
                f"shading is the change. {rest}")
    if kind == "each alone":
        return (f"Each point is one finished session, the only one of its {b} ({n:,} in all); "
                f"the shading is the change. {rest}")
    if kind == "some alone":
        return (f"Each point is the average of one {b}'s finished sessions, or the session "
                f"itself in a {b} with just one ({n:,} in all); the shading is the change. "
                f"{rest}")
    return (f"Each point is the average of one {b}'s finished sessions ({n:,} in all); the "
            "shading is the change. Grounded and stopped-early sessions are counted in "
            "Sessions, not in these averages.")


def change_caption(periods: list[Period], summary: Summary, bucket: str) -> str:
    b, below = words.BUCKET_WORDS[bucket], "below the line, intensity eased."
    kind = spread(p.paired for p in periods)
    if kind == "none":
        return f"{NO_PAIRS}, so there is no change to draw here yet."
    if kind == "one":
        return f"The point is the change in {_only_session(summary)}; {below}"
    if kind == "each alone":
        return f"Each point is the change in one finished session, the only one of its {b}; {below}"
    if kind == "some alone":
        return (f"Each point is the average change of one {b}'s finished sessions, or the "
                f"session's own change in a {b} with just one; {below}")
    return f"Each point is the average change of one {b}'s finished sessions; {below}"


def energy_caption(periods: list[Period], summary: Summary, bucket: str) -> str:
    b, n = words.BUCKET_WORDS[bucket], words.plural(summary.energy_n, "check-in")
    higher = " Higher means more calm, curiosity and compassion."
    kind = spread(p.energy_n for p in periods)
    if kind == "none":
        return "No Self-energy check-ins in this range, so there is nothing to draw here yet."
    if kind == "one":
        return "The point is your one Self-energy check-in." + higher
    if kind == "each alone":
        return f"Each point is one Self-energy check-in, the only one of its {b} ({n} in all)." \
            + higher
    if kind == "some alone":
        return (f"Each point is the average Self-energy of one {b}'s check-ins, or the "
                f"check-in itself in a {b} with just one ({n} in all).{higher}")
    return f"Each point is the average Self-energy of one {b}'s check-ins ({n} in all).{higher}"


def _describe(summary: Summary) -> str:
    return " ".join(t for t in (words.shift_sentence(summary),
                                words.excluded_sentence(summary)) if t)


def range_charts(periods: list[Period], sessions: list[SessionShift], summary: Summary,
                 span: Span, bucket: str, max_labels: int = DEFAULT_LABELS) -> list[Chart]:
    x = time_axis(span, bucket, max_labels)              # type: ignore[arg-type]
    return [intensity_chart(periods, sessions, summary, x),
            change_chart(periods, sessions, summary, x),
            sessions_chart(periods, summary, x), energy_chart(periods, summary, x)]
