"""The queries behind "What helps" agree with the plain-Python maths, on a known journal and
on demo data."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from app.core import helps
from app.core.helps import PartMarks
from app.core.records import SELF_ENERGY
from app.core.trends import Outcomes, Span, bucket_for, span_for
from app.storage import helps_queries as hq
from app.storage import queries
from tests.support.known import THE_WEEK, TODAY, rows, write

from .conftest import DEMO_END


def test_the_known_week_from_the_journal(journal):
    write(journal, THE_WEEK)
    span = span_for("week", TODAY)
    progress = queries.load_progress(journal, span, with_sessions=True, today=TODAY)
    s = progress.summary
    assert (s.outcomes, s.paired, s.before, s.after) == (Outcomes(4, 1, 1, 0), 4, 5.5, 4.0)
    assert (s.self_energy, s.energy_n, s.active_days) == (5.0, 2, 5)
    found = progress.helps
    assert found is not None
    assert [(p.practice_id, p.outcomes, p.stats.n) for p in found.practices] == [
        ("unblending", Outcomes(2, 1, 1, 0), 2), ("self-energy", Outcomes(2, 0, 0, 0), 2)]
    little, critic = found.parts                     # as many sessions each: by name
    # the critic is named on a mark of Tuesday's session; Little One was chosen on Thursday
    assert (critic.name, critic.outcomes, critic.marks) == ("The Inner Critic",
                                                            Outcomes(1, 0, 0, 0), 1)
    assert critic.regions == (PartMarks(critic.part_id, "front", "throat", 1),)
    assert (little.name, little.outcomes, little.marks) == ("Little One", Outcomes(0, 1, 0, 0), 0)
    calm = next(q for q in found.qualities if q.quality == "calm")
    # midpoint 26 November: both energy check-ins (24th, 25th) are in the first half
    assert (calm.first, calm.first_n, calm.second_n) == (4.0, 2, 0)
    assert [p[2] for p in calm.points] == [None, 4.0, 4.0, None, None, None, None]


def test_session_rows_match_the_known_sessions(journal):
    write(journal, THE_WEEK)
    found = hq.session_rows(journal, span_for("week", TODAY))
    expected = rows(THE_WEEK)
    assert [(r.practice_id, r.outcome, r.before, r.after) for r in found] == [
        (r.practice_id, r.outcome, r.before, r.after) for r in expected]
    assert found[2].part_id is not None and found[0].part_id is None


def test_practices_from_sql_equal_practices_from_records(demo_journal):
    span = Span(DEMO_END - timedelta(days=40), DEMO_END)
    start, last = span.start.isoformat(), span.end.isoformat()
    latest: dict[tuple[int, str], int | None] = {}
    for c in demo_journal.checkins():
        if c.session_id is not None:
            latest[(c.session_id, c.phase)] = c.intensity
    reference = [helps.SessionRow(s.id, s.practice_id, s.practice_title, s.outcome,
                                  latest.get((s.id, "before")), latest.get((s.id, "after")),
                                  s.part_id, s.started_at)
                 for s in demo_journal.sessions(start, last)]
    assert hq.session_rows(demo_journal, span) == reference
    practices = helps.by_practice(reference)
    assert sum(p.outcomes.total for p in practices) == len(reference)
    assert any(p.stats.enough for p in practices)


def test_quality_sums_in_sql_equal_python(demo_journal):
    first = queries.first_day(demo_journal)
    for span in (Span(first, DEMO_END), Span(DEMO_END - timedelta(days=6), DEMO_END)):
        bucket = bucket_for(span)
        checkins = [(date.fromisoformat(c.at[:10]), c.self_energy)
                    for c in demo_journal.checkins()]
        totals, halves = hq.quality_sums(demo_journal, span, bucket)
        reference = helps.quality_totals(checkins, bucket, span)
        assert totals == reference
        first_half = helps.quality_totals([c for c in checkins if c[0] < span.midpoint],
                                          "month", Span(span.start, span.end))
        assert halves[0].day == span.start
        assert halves[0].counts == tuple(sum(t.counts[i] for t in first_half)
                                         for i in range(len(SELF_ENERGY)))


def test_marks_by_part_add_up_to_the_heat_map(demo_journal):
    span = Span(queries.first_day(demo_journal), DEMO_END)
    counts, parts = hq.marks_by_part(demo_journal, span, span.midpoint.isoformat())
    marks = demo_journal.body_marks(span.start.isoformat(), span.end.isoformat())
    assert sum(c.count for c in counts) == len(marks)
    assert sum(p.count for p in parts) == sum(1 for m in marks if m.part_id is not None)


def test_summing_the_session_rows_gives_what_sql_sums(demo_journal):
    """load_progress sums the rows "what helps" reads instead of asking SQL twice."""
    first = queries.first_day(demo_journal)
    for span in (Span(first, DEMO_END), Span(DEMO_END - timedelta(days=6), DEMO_END),
                 Span(first + timedelta(days=3), first + timedelta(days=45))):
        with_rows = queries.load_progress(demo_journal, span, today=DEMO_END)
        plain = queries.load_progress(demo_journal, span, with_helps=False, today=DEMO_END)
        assert with_rows.summary == plain.summary
        assert with_rows.periods == plain.periods


@pytest.mark.parametrize("bucket", ["day", "week", "month"])
def test_python_sums_per_bucket_equal_sqls(demo_journal, bucket):
    from app.core.trends import day_totals as python_day_totals
    span = Span(queries.first_day(demo_journal) + timedelta(days=2), DEMO_END)
    rows = hq.session_rows(demo_journal, span)
    sql = [replace(d, energy_sum=0.0, energy_n=0)
           for d in queries.day_totals(demo_journal, span, bucket) if d.sessions]
    assert python_day_totals(rows, bucket=bucket, span=span) == sql
