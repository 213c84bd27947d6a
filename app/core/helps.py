"""What tended to help: per practice, per part and per quality of Self-energy. Pure Python.

Careful by design. A practice's typical shift is the median over its finished sessions with a
before and an after check-in, with the middle half of those shifts as its spread and the number
of sessions it rests on. Below `MIN_SESSIONS` nothing is claimed: a handful of sittings says
more about the days they fell on than about the practice. Grounded and stopped sessions are
counted and named, never mixed into a shift.
"""
from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from typing import Any
from dataclasses import dataclass, field
from datetime import date

from app.core.records import SELF_ENERGY
from app.core.trends import BeforeAfter, Bucket, Outcomes, Span, bucket_start, periods_of

MIN_SESSIONS = 5               # fewer finished sessions than this: no claim about a shift
MIN_CHECKINS = 5               # per half of the range, before comparing a quality's halves
SAME_WITHIN = 0.5              # a quality's halves closer than this are "about the same"


@dataclass(frozen=True)
class SessionRow(BeforeAfter):
    """One session as "what helps" needs it."""
    session_id: int
    practice_id: str
    practice_title: str
    outcome: str | None
    before: int | None
    after: int | None
    part_id: int | None = None
    started_at: str = ""                    # ISO local time; the day it counts on


@dataclass(frozen=True)
class ShiftStats:
    """The typical change (after − before) over some finished sessions."""
    n: int
    median: float | None = None
    low: float | None = None                  # first quartile: the middle half starts here
    high: float | None = None                 # third quartile

    @property
    def enough(self) -> bool:
        return self.n >= MIN_SESSIONS


def shift_stats(shifts: Iterable[int]) -> ShiftStats:
    values = sorted(shifts)
    if not values:
        return ShiftStats(0)
    # Quartiles by nearest rank: always a change that really happened (−3, not −2.75).
    n = len(values)
    low, high = values[math.ceil(n / 4) - 1], values[math.ceil(3 * n / 4) - 1]
    return ShiftStats(n, float(statistics.median(values)), float(low), float(high))


def _stats(rows: Iterable[SessionRow]) -> tuple[Outcomes, ShiftStats]:
    rows = list(rows)
    outcomes = Outcomes.count(r.outcome for r in rows)
    return outcomes, shift_stats(r.shift for r in rows if r.counted)  # type: ignore[misc]


# -- practices ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class PracticeHelp:
    practice_id: str
    title: str
    outcomes: Outcomes
    stats: ShiftStats


def by_practice(rows: Iterable[SessionRow]) -> list[PracticeHelp]:
    """Every practice of the range: those with enough sessions first, the most easing first
    (ties: more sessions first); then the rest by number of sessions."""
    groups: dict[str, list[SessionRow]] = {}
    for row in rows:
        groups.setdefault(row.practice_id, []).append(row)
    out = []
    for practice_id, mine in groups.items():
        outcomes, stats = _stats(mine)
        out.append(PracticeHelp(practice_id, mine[-1].practice_title or practice_id,
                                outcomes, stats))
    return sorted(out, key=_order)


def _order(item: PracticeHelp | PartHelp) -> tuple[Any, ...]:
    s = item.stats
    if s.enough:
        return (0, s.median, -s.n, _name(item))
    return (1, 0.0, -item.outcomes.total, _name(item))


def _name(item: PracticeHelp | PartHelp) -> str:
    return (item.title if isinstance(item, PracticeHelp) else item.name).casefold()


# -- parts -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class PartMarks:
    """Body marks naming one part in one region over the range."""
    part_id: int
    view: str
    region: str
    count: int


@dataclass(frozen=True)
class PartHelp:
    part_id: int
    name: str
    role: str
    outcomes: Outcomes                      # the sessions it came up in
    stats: ShiftStats                       # over those of them finished with both check-ins
    marks: int                              # body marks naming it (in or out of sessions)
    regions: tuple[PartMarks, ...] = field(default=())    # most marked first


def by_part(parts: Iterable[tuple[int, str, str]], rows: Iterable[SessionRow],
            part_sessions: Iterable[tuple[int, int]], marks: Iterable[PartMarks]
            ) -> list[PartHelp]:
    """Per part (id, name, role): the sessions it came up in — chosen for the session, or
    named on one of its body marks — how they went, and where it was felt.

    Parts that did not come up in the range are left out; so are archived ones (not passed).
    """
    by_id = {r.session_id: r for r in rows}
    sessions: dict[int, set[int]] = {}
    for r in by_id.values():
        if r.part_id is not None:
            sessions.setdefault(r.part_id, set()).add(r.session_id)
    for part_id, session_id in part_sessions:
        if session_id in by_id:
            sessions.setdefault(part_id, set()).add(session_id)
    placed: dict[int, list[PartMarks]] = {}
    for m in marks:
        placed.setdefault(m.part_id, []).append(m)
    out = []
    for part_id, name, role in parts:
        mine = [by_id[s] for s in sorted(sessions.get(part_id, ()))]
        where = sorted(placed.get(part_id, []), key=lambda m: (-m.count, m.view, m.region))
        if not mine and not where:
            continue
        outcomes, stats = _stats(mine)
        out.append(PartHelp(part_id, name, role, outcomes, stats,
                            sum(m.count for m in where), tuple(where)))
    return sorted(out, key=_order)


# -- Self-energy, quality by quality ---------------------------------------------------------

@dataclass(frozen=True)
class QualityTotals:
    """Sums of one bucket's check-ins, quality by quality (as SQL's GROUP BY returns them)."""
    day: date                               # the bucket's first day
    sums: tuple[float, ...]                 # in SELF_ENERGY order
    counts: tuple[int, ...]


@dataclass(frozen=True)
class QualityTrend:
    quality: str
    points: tuple[tuple[date, date, float | None, int], ...]   # start, end, mean, check-ins
    first: float | None                     # mean over the first half of the range
    first_n: int
    second: float | None
    second_n: int

    @property
    def n(self) -> int:
        return self.first_n + self.second_n

    @property
    def direction(self) -> str:
        """"grew", "eased", "same", or "few" when a half has too few check-ins to compare."""
        if (self.first_n < MIN_CHECKINS or self.second_n < MIN_CHECKINS
                or self.first is None or self.second is None):
            return "few"
        if self.second - self.first >= SAME_WITHIN:
            return "grew"
        if self.first - self.second >= SAME_WITHIN:
            return "eased"
        return "same"


def by_quality(totals: Iterable[QualityTotals], halves: Iterable[QualityTotals], span: Span,
               bucket: Bucket) -> list[QualityTrend]:
    """Each C's mean per bucket, and over the first and second half of the range.

    `totals` are per bucket (their `day` is the bucket's start); `halves` are two rows, one per
    half, with `day` the first day of that half (storage sums them at the range's midpoint).
    """
    per_bucket = {bucket_start(t.day, bucket): t for t in totals}
    first = second = None
    for h in halves:
        if h.day < span.midpoint:
            first = h
        else:
            second = h
    out = []
    for i, quality in enumerate(SELF_ENERGY):
        points = []
        for start, end in periods_of(span, bucket):
            t = per_bucket.get(bucket_start(start, bucket))
            n = t.counts[i] if t else 0
            points.append((start, end, t.sums[i] / n if t and n else None, n))
        out.append(QualityTrend(quality, tuple(points), *_mean(first, i), *_mean(second, i)))
    return out


def _mean(totals: QualityTotals | None, i: int) -> tuple[float | None, int]:
    if totals is None or not totals.counts[i]:
        return None, 0
    return totals.sums[i] / totals.counts[i], totals.counts[i]


def quality_totals(checkins: Iterable[tuple[date, dict[str, int | None]]], bucket: Bucket,
                   span: Span) -> list[QualityTotals]:
    """The reference for storage's SQL: check-ins (day, values) summed per bucket."""
    sums: dict[date, list[float]] = {}
    counts: dict[date, list[int]] = {}
    for day, values in checkins:
        if not span.start <= day <= span.end:
            continue
        key = max(bucket_start(day, bucket), span.start)
        s = sums.setdefault(key, [0.0] * len(SELF_ENERGY))
        c = counts.setdefault(key, [0] * len(SELF_ENERGY))
        for i, quality in enumerate(SELF_ENERGY):
            if values.get(quality) is not None:
                s[i] += values[quality]                          # type: ignore[operator]
                c[i] += 1
    return [QualityTotals(day, tuple(sums[day]), tuple(counts[day])) for day in sorted(sums)]


@dataclass(frozen=True)
class Helps:
    practices: list[PracticeHelp]
    parts: list[PartHelp]
    qualities: list[QualityTrend]

    @property
    def empty(self) -> bool:
        return not self.practices and not self.parts and not any(q.n for q in self.qualities)
