"""How practice went over a stretch of time: ranges, per-session shifts, weekly (or daily or
monthly) averages, Self-energy and an optional streak. Pure Python, no Qt, no SQL.

The storage layer sums rows per day (`DayTotals`) so ten years arrive as ~3,650 small rows,
not tens of thousands; everything here combines those sums, so the means are exact whatever
the bucket size. The progress view and the PDF report both use this, so they agree.
"""
from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

Preset = Literal["week", "month", "year", "all", "custom"]
PRESET_DAYS = {"week": 7, "month": 30, "year": 365}
Bucket = Literal["day", "week", "month"]
# Up to a month, each day is its own point; up to two years, weeks (≤ 106 points); beyond,
# months, so ten years stay ~120 readable points instead of 520 jagged ones.
DAY_BUCKETS_UP_TO = 31
WEEK_BUCKETS_UP_TO = 731


# -- date ranges -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Span:
    """A range of whole days, both ends included."""
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"range ends ({self.end}) before it starts ({self.start})")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def bounds(self) -> tuple[str, str]:
        """ISO strings to compare with stored local times: [start, the day after end)."""
        return self.start.isoformat(), (self.end + timedelta(days=1)).isoformat()

    @property
    def midpoint(self) -> date:
        """The first day of the second half (the halves differ by at most one day)."""
        return self.start + timedelta(days=self.days // 2)

    def label(self) -> str:
        return f"{long_date(self.start)} – {long_date(self.end)}"


def long_date(day: date) -> str:
    """'4 March 2026': unambiguous in every locale, unlike 04/03/2026."""
    return f"{day.day} {calendar.month_name[day.month]} {day.year}"


def span_for(preset: Preset, today: date, first_day: date | None = None,
             custom: tuple[date, date] | None = None) -> Span:
    """The days a preset covers, ending today. "all" starts on the first recorded day."""
    if preset in PRESET_DAYS:
        return Span(today - timedelta(days=PRESET_DAYS[preset] - 1), today)
    if preset == "all":
        return Span(min(first_day or today, today), today)
    if preset == "custom":
        if custom is None:
            raise ValueError("a custom range needs its start and end")
        return Span(*custom)
    raise ValueError(f"unknown range {preset!r}")


def custom_range_problem(start: date, end: date, today: date) -> str | None:
    """Why a chosen range cannot be shown, in a plain sentence; None when it can.

    Nothing is swapped or clipped behind the person's back: the dates they see are the
    dates shown, or they are told what to change.
    """
    if start > end:
        return (f"The start date ({long_date(start)}) is after the end date "
                f"({long_date(end)}). Please choose a start on or before the end.")
    if end > today:
        return (f"{long_date(end)} has not come yet. Please choose an end date of today "
                f"({long_date(today)}) or earlier.")
    return None


def bucket_for(span: Span) -> Bucket:
    if span.days <= DAY_BUCKETS_UP_TO:
        return "day"
    return "week" if span.days <= WEEK_BUCKETS_UP_TO else "month"


def bucket_start(day: date, bucket: Bucket) -> date:
    if bucket == "week":
        return day - timedelta(days=day.weekday())       # Monday, as ISO weeks do
    if bucket == "month":
        return day.replace(day=1)
    return day


def _bucket_end(start: date, bucket: Bucket) -> date:
    if bucket == "week":
        return start + timedelta(days=6)
    if bucket == "month":
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    return start


# -- sessions --------------------------------------------------------------------------------

# -- how sessions ended -------------------------------------------------------------------------

FINISHED, GROUNDED, STOPPED = "completed", "grounded", "stopped_early"


@dataclass(frozen=True)
class Outcomes:
    """How the sessions of a day, a bucket or a range ended. `interrupted`: no ending was
    recorded (the app or the computer stopped mid-practice, or it is still going)."""
    finished: int = 0
    grounded: int = 0
    stopped: int = 0
    interrupted: int = 0

    @property
    def total(self) -> int:
        return self.finished + self.grounded + self.stopped + self.interrupted

    def __add__(self, other: "Outcomes") -> "Outcomes":
        return Outcomes(self.finished + other.finished, self.grounded + other.grounded,
                        self.stopped + other.stopped, self.interrupted + other.interrupted)

    @staticmethod
    def count(outcomes: Iterable[str | None]) -> "Outcomes":
        """Many endings at once (one object, not one per session)."""
        n = Counter(outcomes)
        known = n[FINISHED] + n[GROUNDED] + n[STOPPED]
        return Outcomes(n[FINISHED], n[GROUNDED], n[STOPPED], sum(n.values()) - known)

    @staticmethod
    def of(outcome: str | None) -> "Outcomes":
        return Outcomes(finished=int(outcome == FINISHED), grounded=int(outcome == GROUNDED),
                        stopped=int(outcome == STOPPED),
                        interrupted=int(outcome not in (FINISHED, GROUNDED, STOPPED)))


def total(outcomes: Iterable[Outcomes]) -> Outcomes:
    return sum(outcomes, Outcomes())


class BeforeAfter:
    """The shift of a session record with `started_at`, `outcome`, `before` and `after`."""
    started_at: str
    outcome: str | None
    before: int | None
    after: int | None

    @property
    def shift(self) -> int | None:
        """After minus before: negative when the feeling eased. None unless both were given."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before

    @property
    def counted(self) -> bool:
        """In the averages: finished, with a before and an after. A grounded or stopped
        session is a different kind of sitting (the after follows grounding, or nothing), so
        it is shown with its own mark and never mixed into the practice's average."""
        return self.outcome == FINISHED and self.shift is not None


@dataclass(frozen=True)
class SessionShift(BeforeAfter):
    """One sitting: how intense it was before and after, and what was written about it."""
    session_id: int
    started_at: str                                  # ISO local time with offset
    practice_title: str
    outcome: str | None = None
    before: int | None = None                        # intensity 0–10
    after: int | None = None
    before_energy: float | None = None               # mean of the C's given, 0–10
    after_energy: float | None = None
    note: str = ""

    @property
    def day(self) -> date:
        return date.fromisoformat(self.started_at[:10])


def self_energy_score(values: dict[str, int | None]) -> float | None:
    """The mean of the C's that were given; None when none were (not the same as 0)."""
    given = [v for v in values.values() if v is not None]
    return sum(given) / len(given) if given else None


# -- per day, then per bucket ----------------------------------------------------------------

@dataclass(frozen=True)
class DayTotals:
    """Sums for one day, so that days combine into weeks or months without losing exactness.

    Storage may hand over sums already grouped by week or month; `day` is then the bucket's
    first day and `active_days` says on how many of its days there was a session.
    The intensity sums cover the finished sessions with both check-ins only (`paired`).
    """
    day: date
    outcomes: Outcomes = Outcomes()
    paired: int = 0                                  # finished, with both intensities
    before_sum: float = 0.0                          # over the paired sessions only
    after_sum: float = 0.0
    energy_sum: float = 0.0                          # sum of each check-in's Self-energy score
    energy_n: int = 0
    active_days: int = 0                             # days with a session (0 or 1 for a day)

    @property
    def sessions(self) -> int:
        return self.outcomes.total


_SLOT = {FINISHED: 0, GROUNDED: 1, STOPPED: 2}         # anything else: interrupted (3)


def day_totals(sessions: Iterable[BeforeAfter],
               energies: Iterable[tuple[date, float]] = (), bucket: Bucket = "day",
               span: Span | None = None) -> list[DayTotals]:
    """Sum sessions (anything with a start day, an outcome and intensities) and Self-energy
    scores (any check-in's, by day) into days — or straight into weeks or months, dated like
    storage's SQL sums (the bucket's first day, never before `span` starts).

    Plain lists per key, one DayTotals each at the end: ten years of sessions are summed in a
    few milliseconds. Storage does the same in SQL, and a test holds them equal.
    """
    acc: dict[str, list[Any]] = {}                 # key -> [4 endings, paired, sums, energy, days]
    keys: dict[str, str] = {}                 # ISO day -> its key

    def key_of(day: str) -> str:
        if bucket == "day":
            return day
        found = keys.get(day)
        if found is None:
            start = bucket_start(date.fromisoformat(day), bucket)
            if span is not None:
                start = max(start, span.start)
            found = keys[day] = start.isoformat()
        return found
    for s in sessions:
        day = s.started_at[:10]
        key = key_of(day)
        row = acc.get(key)
        if row is None:
            row = acc[key] = [0, 0, 0, 0, 0, 0, 0, 0.0, 0, set()]
        outcome, before, after = s.outcome, s.before, s.after
        row[_SLOT.get(outcome or "", 3)] += 1
        if outcome == FINISHED and before is not None and after is not None:
            row[4] += 1
            row[5] += before
            row[6] += after
        row[9].add(day)
    for when, score in energies:
        row = acc.setdefault(key_of(when.isoformat()), [0, 0, 0, 0, 0, 0, 0, 0.0, 0, set()])
        row[7] += score
        row[8] += 1
    return [DayTotals(date.fromisoformat(key), Outcomes(*r[:4]), r[4], float(r[5]),
                      float(r[6]), r[7], r[8], active_days=len(r[9]))
            for key, r in sorted(acc.items())]


@dataclass(frozen=True)
class Period:
    """One point or bar on a trend chart: a day, a week (Monday–Sunday) or a calendar month,
    clipped to the range (so the first and last may be partial: see `days`)."""
    start: date
    end: date                                        # inclusive, clipped to the range
    outcomes: Outcomes
    paired: int
    before: float | None                             # mean intensity, paired sessions only
    after: float | None
    self_energy: float | None
    energy_n: int = 0                                # check-ins behind `self_energy`

    @property
    def sessions(self) -> int:
        return self.outcomes.total

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def shift(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def periods(days: Iterable[DayTotals], span: Span, bucket: Bucket) -> list[Period]:
    """Every bucket of the range in order, empty ones included (so gaps show as gaps)."""
    sums: dict[date, list[Any]] = {}
    for d in days:
        if span.start <= d.day <= span.end:
            row = sums.setdefault(bucket_start(d.day, bucket), [Outcomes(), 0, 0.0, 0.0, 0.0, 0])
            for i, value in enumerate((d.outcomes, d.paired, d.before_sum, d.after_sum,
                                       d.energy_sum, d.energy_n)):
                row[i] += value
    out = []
    for start, end in periods_of(span, bucket):
        outcomes, paired, before, after, energy, energy_n = sums.get(
            bucket_start(start, bucket), (Outcomes(), 0, 0.0, 0.0, 0.0, 0))
        out.append(Period(start, end, outcomes, int(paired),
                          before / paired if paired else None,
                          after / paired if paired else None,
                          energy / energy_n if energy_n else None, int(energy_n)))
    return out


def periods_of(span: Span, bucket: Bucket) -> Iterator[tuple[date, date]]:
    """(first, last) day of each bucket of the range, clipped to it."""
    start = bucket_start(span.start, bucket)
    while start <= span.end:
        end = _bucket_end(start, bucket)
        yield max(start, span.start), min(end, span.end)
        start = end + timedelta(days=1)


@dataclass(frozen=True)
class Summary:
    outcomes: Outcomes
    paired: int                                      # finished, with both intensities
    before: float | None
    after: float | None
    self_energy: float | None
    active_days: int
    energy_n: int = 0                                # check-ins behind `self_energy`

    @property
    def sessions(self) -> int:
        return self.outcomes.total

    @property
    def shift(self) -> float | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def summarise(days: Iterable[DayTotals]) -> Summary:
    days = list(days)
    paired = sum(d.paired for d in days)
    energy_n = sum(d.energy_n for d in days)
    return Summary(
        outcomes=total(d.outcomes for d in days), paired=paired,
        before=sum(d.before_sum for d in days) / paired if paired else None,
        after=sum(d.after_sum for d in days) / paired if paired else None,
        self_energy=sum(d.energy_sum for d in days) / energy_n if energy_n else None,
        active_days=sum(d.active_days for d in days), energy_n=energy_n)


def sessions_per_week(summary: Summary, span: Span) -> float:
    return summary.sessions * 7 / span.days


# -- streak (only when the person asked for it) -----------------------------------------------

@dataclass(frozen=True)
class Streak:
    current: int                                     # days in a row up to today (or yesterday)
    longest: int


def streak(practice_days: Iterable[date], today: date) -> Streak:
    """Consecutive days with at least one session.

    The current run still counts if the last session was yesterday: today is not over, and
    being told "0" in the morning would feel like failing before starting.
    """
    days = sorted(d for d in set(practice_days) if d <= today)
    longest = run = 0
    previous: date | None = None
    for day in days:
        run = run + 1 if previous is not None and day - previous == timedelta(days=1) else 1
        longest = max(longest, run)
        previous = day
    current = run if previous is not None and (today - previous).days <= 1 else 0
    return Streak(current, longest)
