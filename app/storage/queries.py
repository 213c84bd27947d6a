"""Read-only aggregate queries for progress charts and the report. No Qt.

Ten years of journal hold ~3,650 sessions, ~7,000 check-ins and ~36,000 body marks. Loading
them all as records takes far longer than letting SQLite sum them: these queries return one
row per day or per region, and app.core.trends / app.core.progress do the rest.
Every function takes an optional `Span`; None means the whole journal.
"""
from __future__ import annotations

import sqlite3
from dataclasses import fields
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from app.core.progress import heat_from_counts, top_regions
from app.core.progress_records import Progress
from app.core.record_rules import is_time
from app.core.records import SELF_ENERGY, Part
from app.core.trends import (
    Bucket, DayTotals, Outcomes, SessionShift, Span, bucket_for, periods, streak, summarise,
)
from app.core.trends import day_totals as trends_day_totals
from app.storage.content import connect_read_only
from app.storage.errors import explain


class Readable(Protocol):
    """A Journal, or a `ReadOnlyJournal` opened on a worker thread: has `db` and `path`."""
    path: Path | None
    db: Any                                         # sqlite_utils.Database or sqlite3.Connection


class ReadOnlyJournal:
    """A read-only connection of its own to a journal file.

    SQLite connections belong to the thread that opened them, so a query run off the GUI
    thread opens one of these there. In WAL mode it reads the last committed state while the
    window keeps writing.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            # read-only, and SQLite's temporary sorts kept in memory, out of the shared /tmp
            self.db = connect_read_only(self.path)
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "ReadOnlyJournal":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


SCAN_FROM_DAYS = 731                # body marks: beyond two years, scan rather than seek
# The latest check-in of a phase, should a resumed session hold two.
_LATEST = "(SELECT MAX(id) FROM checkins WHERE session_id = s.id AND phase = '{}')"
# A session that counts in the averages (app.core.trends.SessionShift.counted).
_COUNTED = ("s.outcome = 'completed' AND b.intensity IS NOT NULL AND a.intensity IS NOT NULL")


def _query(journal: Readable, sql: str,
           params: list[Any] | tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    try:
        rows: list[tuple[Any, ...]] = journal.db.execute(sql, params).fetchall()
        return rows
    except sqlite3.Error as exc:
        raise explain(exc, journal.path) from exc


def _where(column: str, span: Span | None, extra: str = "") -> tuple[str, list[str]]:
    clauses = [extra] if extra else []
    params: list[str] = []
    if span is not None:
        clauses += [f"{column} >= ?", f"{column} < ?"]
        params += list(span.bounds())
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def first_day(journal: Readable) -> date | None:
    """The earliest day anything was recorded (for the "all" range); None for a new journal."""
    row = _query(journal, "SELECT MIN(d) FROM ("
                 "SELECT MIN(started_at) AS d FROM sessions UNION ALL "
                 "SELECT MIN(at) FROM checkins UNION ALL SELECT MIN(at) FROM body_marks)")
    return date.fromisoformat(row[0][0][:10]) if row and row[0][0] else None


def has_records(journal: Readable) -> bool:
    """Anything to show at all: a session, a check-in or a body mark."""
    return bool(_query(journal, "SELECT EXISTS (SELECT 1 FROM sessions) OR "
                       "EXISTS (SELECT 1 FROM checkins) OR EXISTS (SELECT 1 FROM body_marks)"
                       )[0][0])


def _bucket_key(column: str, bucket: Bucket, span: Span | None) -> str:
    """SQL for the first day of the bucket a stored local time falls in (as trends does),
    but never before the range starts: sums are always dated inside their range."""
    day = f"substr({column}, 1, 10)"
    if bucket == "week":
        key = f"date({day}, 'weekday 0', '-6 days')"            # back to that week's Monday
    elif bucket == "month":
        key = f"substr({column}, 1, 7) || '-01'"
    else:
        return day
    return f"MAX({key}, '{span.start.isoformat()}')" if span else key


def day_totals(journal: Readable, span: Span | None = None,
               bucket: Bucket = "day") -> list[DayTotals]:
    """Sessions, paired before/after sums and Self-energy sums per day — or per week or
    month, summed in SQL: ten years then cross to Python as ~120 rows instead of ~2,700."""
    where, params = _where("s.started_at", span)
    # Only finished sessions with both intensities go into the before/after sums; every
    # ending is counted (interrupted: whatever is left, including no ending at all).
    sessions = _query(journal, f"""
        SELECT {_bucket_key('s.started_at', bucket, span)} AS day, COUNT(*),
               SUM(s.outcome = 'completed'), SUM(s.outcome = 'grounded'),
               SUM(s.outcome = 'stopped_early'),
               SUM({_COUNTED}),
               SUM(CASE WHEN {_COUNTED} THEN b.intensity END),
               SUM(CASE WHEN {_COUNTED} THEN a.intensity END),
               COUNT(DISTINCT substr(s.started_at, 1, 10))
        FROM sessions s
        LEFT JOIN checkins b ON b.id = {_LATEST.format('before')}
        LEFT JOIN checkins a ON a.id = {_LATEST.format('after')}
        {where} GROUP BY day""", params)
    merged: dict[str, dict[str, Any]] = {}
    for day, n, finished, grounded, stopped, paired, before, after, active in sessions:
        finished, grounded, stopped = finished or 0, grounded or 0, stopped or 0
        merged[day] = {"outcomes": Outcomes(finished, grounded, stopped,
                                            n - finished - grounded - stopped),
                       "paired": paired or 0, "before_sum": float(before or 0),
                       "after_sum": float(after or 0), "active_days": active}
    for energy in energy_totals(journal, span, bucket):
        merged.setdefault(energy.day.isoformat(), {}).update(
            energy_sum=energy.energy_sum, energy_n=energy.energy_n)
    return [DayTotals(date.fromisoformat(day), **r) for day, r in sorted(merged.items())]


def energy_totals(journal: Readable, span: Span | None = None,
                  bucket: Bucket = "day") -> list[DayTotals]:
    """Self-energy sums only (any check-in's score), per day, week or month."""
    where, params = _where("c.at", span)
    rows = _query(journal, f"""
        SELECT {_bucket_key('at', bucket, span)} AS day, SUM(e), COUNT(e)
        FROM (SELECT at, {_energy('c')} AS e FROM checkins c{where})
        WHERE e IS NOT NULL GROUP BY day""", params)
    return [DayTotals(date.fromisoformat(day), energy_sum=float(total or 0.0), energy_n=n)
            for day, total, n in rows]


def unreadable_sessions(journal: Readable) -> list[int]:
    """Ids of sessions whose start time is not a date and time (imported before import checked
    every field, or edited by hand): no range can hold them, so a report must say so."""
    rows = _query(journal, "SELECT id, started_at FROM sessions")
    return [r[0] for r in rows if not (isinstance(r[1], str) and is_time(r[1]))]


def session_shifts(journal: Readable, span: Span | None = None) -> list[SessionShift]:
    """Each session in the range with its before/after intensity, Self-energy and notes."""
    where, params = _where("s.started_at", span)
    rows = _query(journal, f"""
        SELECT s.id, s.started_at, COALESCE(s.practice_title, s.practice_id), s.outcome,
               b.intensity, a.intensity, {_energy('b')}, {_energy('a')},
               s.note, b.note, a.note
        FROM sessions s
        LEFT JOIN checkins b ON b.id = {_LATEST.format('before')}
        LEFT JOIN checkins a ON a.id = {_LATEST.format('after')}
        {where} ORDER BY s.started_at, s.id""", params)
    return [SessionShift(started_at=r[1], outcome=r[3], before=r[4], after=r[5], session_id=r[0],
                         practice_title=r[2], before_energy=r[6], after_energy=r[7],
                         note=_join_notes(*r[8:])) for r in rows]


def _energy(alias: str) -> str:
    """SQL for a check-in's Self-energy: the mean of the C's it gives (NULL when none)."""
    given = " + ".join(f"({alias}.{q} IS NOT NULL)" for q in SELF_ENERGY)
    total = " + ".join(f"COALESCE({alias}.{q}, 0)" for q in SELF_ENERGY)
    return f"(({total}) * 1.0 / NULLIF({given}, 0))"


def _join_notes(*notes: str | None) -> str:
    """Session note, then the before and after check-in notes, each once."""
    seen: list[str] = []
    for note in notes:
        text = (note or "").strip()
        if text and text not in seen:
            seen.append(text)
    return " · ".join(seen)


def practice_days(journal: Readable, until: date) -> list[date]:
    """Every day with a session up to `until` (only read when streaks are switched on)."""
    rows = _query(journal, "SELECT DISTINCT substr(started_at, 1, 10) FROM sessions "
                  "WHERE started_at < ? ORDER BY 1", (Span(until, until).bounds()[1],))
    return [date.fromisoformat(r[0]) for r in rows]


# -- everything the progress view and the report need, in one call ----------------------------

def load_progress(journal: Readable, span: Span, *, with_sessions: bool = False,
                  with_streak: bool = False, with_helps: bool = True,
                  today: date | None = None) -> Progress:
    """Run the aggregate queries for a range and shape them for charts.

    One connection, one query after another: running the body-mark sums on a second
    connection at the same time measured no faster on two busy cores (ten years: 198, 188,
    218 ms serial against 309, 250, 208 ms in parallel, bench/progress.py)."""
    from app.storage import helps_queries as hq
    midpoint = span.midpoint.isoformat()
    bucket = bucket_for(span)
    if with_helps:        # "what helps" reads each session anyway: sum those rows, once
        rows = hq.session_rows(journal, span)
        days = trends_day_totals(rows, bucket=bucket, span=span) + energy_totals(
            journal, span, bucket)
    else:
        rows, days = [], day_totals(journal, span, bucket)
    counts, part_marks = hq.marks_by_part(journal, span, midpoint)
    pairs = hq.part_sessions(journal, span) if with_helps else []
    current = today or date.today()
    return Progress(
        span=span, bucket=bucket, summary=summarise(days), periods=periods(days, span, bucket),
        sessions=session_shifts(journal, span) if with_sessions else [],
        heat=heat_from_counts(counts), regions=top_regions(counts, len(counts)),
        streak=streak(practice_days(journal, min(span.end, current)), min(span.end, current))
        if with_streak else None,
        helps=hq.load_helps(journal, span, bucket, part_marks, rows, pairs)
        if with_helps else None)


def active_parts(journal: Readable) -> list[Part]:
    """Parts that are not archived, by name (as the parts view lists them)."""
    names = [f.name for f in fields(Part)]
    rows = _query(journal, f"SELECT {', '.join(names)} FROM parts WHERE archived = 0 "
                  "ORDER BY name COLLATE NOCASE")
    parts = []
    for row in rows:
        values: dict[str, Any] = {k: ("" if v is None and k != "id" else v)
                                  for k, v in zip(names, row)}
        values["archived"] = bool(values["archived"])
        parts.append(Part(**values))
    return parts
