"""The queries behind "What helps" (app.core.helps does the rest). No Qt.

Ten years hold ~3,650 sessions: they cross to Python as small rows (one per session, one per
part and region, one per bucket of check-ins), never as records with their children.
"""
from __future__ import annotations

from datetime import date

from app.core.helps import (
    Helps, PartMarks, QualityTotals, SessionRow, by_part, by_practice, by_quality,
)
from app.core.progress import RegionCount
from app.core.records import SELF_ENERGY
from app.core.trends import Bucket, Span
# the query helpers are shared with queries.py, whose sums these extend
from app.storage.queries import (
    _LATEST, SCAN_FROM_DAYS, Readable, _bucket_key, _query, _where,
)


def session_rows(journal: Readable, span: Span) -> list[SessionRow]:
    """Each session of the range with its practice, ending, intensities and chosen part."""
    where, params = _where("s.started_at", span)
    rows = _query(journal, f"""
        SELECT s.id, s.practice_id, COALESCE(s.practice_title, s.practice_id), s.outcome,
               b.intensity, a.intensity, s.part_id, s.started_at
        FROM sessions s
        LEFT JOIN checkins b ON b.id = {_LATEST.format('before')}
        LEFT JOIN checkins a ON a.id = {_LATEST.format('after')}
        {where} ORDER BY s.started_at, s.id""", params)
    return [SessionRow(*r) for r in rows]


def part_sessions(journal: Readable, span: Span) -> list[tuple[int, int]]:
    """(part, session) for each part named on a body mark of a session in the range."""
    where, params = _where("s.started_at", span)
    return _query(journal, f"""
        SELECT DISTINCT m.part_id, m.session_id FROM body_marks m
        JOIN sessions s ON s.id = m.session_id
        {where}{' AND' if where else ' WHERE'} m.part_id IS NOT NULL""", params)


def marks_by_part(journal: Readable, span: Span, midpoint: str
                  ) -> tuple[list[RegionCount], list[PartMarks]]:
    """Body marks of the range per region (for the heat map) and per part and region, from
    one pass over the marks."""
    # Over a long range, reading the table straight through beats ~36,000 index look-ups
    # ("+at" keeps SQLite off the `at` index; a short range still uses it). Region before
    # view in GROUP BY: the sort settles on the first key more often, halving its time.
    long_range = span.days > SCAN_FROM_DAYS
    where, params = _where("+at" if long_range else "at", span)
    rows = _query(journal, f"""
        SELECT view, region, part_id, COUNT(*), SUM(intensity), SUM(at < ?), COUNT(intensity)
        FROM body_marks{where} GROUP BY region, view, part_id""", [midpoint, *params])
    regions: dict[tuple[str, str], list[int]] = {}
    parts = []
    for view, region, part, n, total, first, rated in rows:   # rated: strength not NULL
        row = regions.setdefault((view, region), [0, 0, 0, 0])
        row[0] += n
        row[1] += int(total or 0)
        row[2] += int(first or 0)
        row[3] += int(rated or 0)
        if part is not None:
            parts.append(PartMarks(part, view, region, n))
    counts = [RegionCount(view, region, *row) for (view, region), row in sorted(regions.items())]
    return counts, parts


def quality_sums(journal: Readable, span: Span, bucket: Bucket
                 ) -> tuple[list[QualityTotals], list[QualityTotals]]:
    """Each C's sum and count per bucket, and per half of the range (split at its midpoint)."""
    where, params = _where("at", span)
    columns = ", ".join(f"SUM({q}), COUNT({q})" for q in SELF_ENERGY)
    midpoint = span.midpoint.isoformat()
    rows = _query(journal, f"""
        SELECT {_bucket_key('at', bucket, span)} AS day, at < ? AS first, {columns}
        FROM checkins{where} GROUP BY day, first""", [midpoint, *params])
    per_bucket: dict[str, list[float]] = {}
    halves: dict[int, list[float]] = {}
    for day, first, *values in rows:
        for target in (per_bucket.setdefault(day, [0.0] * len(values)),
                       halves.setdefault(first, [0.0] * len(values))):
            for i, v in enumerate(values):
                target[i] += v or 0
    return ([_totals(date.fromisoformat(day), v) for day, v in sorted(per_bucket.items())],
            [_totals(span.start if first else span.midpoint, v)
             for first, v in sorted(halves.items(), reverse=True)])


def _totals(day: date, values: list[float]) -> QualityTotals:
    return QualityTotals(day, tuple(float(v) for v in values[0::2]),
                         tuple(int(v) for v in values[1::2]))


def parts_named(journal: Readable) -> list[tuple[int, str, str]]:
    """(id, name, role) of the parts that are not archived."""
    return _query(journal, "SELECT id, name, COALESCE(role, 'unsure') FROM parts "
                  "WHERE archived = 0 ORDER BY name COLLATE NOCASE")


def load_helps(journal: Readable, span: Span, bucket: Bucket, part_marks: list[PartMarks],
               rows: list[SessionRow] | None = None,
               pairs: list[tuple[int, int]] | None = None) -> Helps:
    """Everything "What helps" shows for a range (`part_marks` from `marks_by_part`; `rows`
    and `pairs` when already read, e.g. on another connection)."""
    rows = session_rows(journal, span) if rows is None else rows
    pairs = part_sessions(journal, span) if pairs is None else pairs
    totals, halves = quality_sums(journal, span, bucket)
    return Helps(by_practice(rows), by_part(parts_named(journal), rows, pairs, part_marks),
                 by_quality(totals, halves, span, bucket))
