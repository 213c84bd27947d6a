"""Aggregate queries for progress: SQL sums agree with the plain-Python maths, ranges are
exact at their edges, and a read-only connection reads but never writes."""
from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

from app.core import trends
from app.core.progress import region_counts as python_region_counts
from app.core.records import SELF_ENERGY, Part
from app.core.trends import Outcomes, Span, self_energy_score
from app.storage import queries
from app.storage.errors import JournalError
from app.storage.helps_queries import marks_by_part
from app.storage.journal import Journal

from .conftest import DEMO_END


def add_session(journal: Journal, when: str, before: int | None = None,
                after: int | None = None, energy: dict[str, int] | None = None,
                note: str | None = None, title: str = "Unblending",
                outcome: str | None = "completed") -> int:
    """A session at a chosen time (the Journal API stamps 'now'), with its check-ins."""
    sid = journal.db.execute(
        "INSERT INTO sessions (practice_id, practice_title, started_at, outcome, note) "
        "VALUES ('p', ?, ?, ?, ?)", (title, when, outcome, note)).lastrowid
    for phase, value in (("before", before), ("after", after)):
        if value is not None or (energy and phase == "before"):
            add_checkin(journal, when, phase, value, energy if phase == "before" else None,
                        sid)
    return sid


def add_checkin(journal: Journal, when: str, phase: str, intensity: int | None,
                energy: dict[str, int] | None = None, session_id: int | None = None,
                note: str | None = None) -> None:
    energy = energy or {}
    columns = ["session_id", "phase", "at", "intensity", "note", *energy]
    journal.db.execute(f"INSERT INTO checkins ({', '.join(columns)}) VALUES "
                       f"({', '.join('?' * len(columns))})",
                       [session_id, phase, when, intensity, note, *energy.values()])


def add_mark(journal: Journal, when: str, region: str, intensity: int,
             view: str = "front") -> None:
    journal.db.execute("INSERT INTO body_marks (at, view, region, intensity, x, y) "
                       "VALUES (?, ?, ?, ?, 0.5, 0.5)", (when, view, region, intensity))


def python_day_totals(journal: Journal, span: Span) -> list[trends.DayTotals]:
    """The slow reference: every record loaded, then core.trends.day_totals."""
    start, end = span.bounds()
    last_day = span.end.isoformat()                   # Journal reads a bare date as inclusive
    checkins = journal.checkins()
    latest: dict[tuple[int, str], int | None] = {}
    for c in checkins:
        if c.session_id is not None:
            latest[(c.session_id, c.phase)] = c.intensity
    shifts = [trends.SessionShift(s.id, s.started_at, s.practice_title, s.outcome,
                                  before=latest.get((s.id, "before")),
                                  after=latest.get((s.id, "after")))
              for s in journal.sessions(start, last_day)]
    energies = [(date.fromisoformat(c.at[:10]), self_energy_score(c.self_energy))
                for c in checkins if start <= c.at < end and c.self_energy]
    return trends.day_totals(shifts, energies)  # type: ignore[arg-type]


def test_a_new_journal_has_nothing_to_show(journal):
    assert not queries.has_records(journal)
    assert queries.first_day(journal) is None
    span = Span(DEMO_END, DEMO_END)
    progress = queries.load_progress(journal, span, with_sessions=True)
    assert progress.empty and progress.sessions == [] and progress.regions == []
    assert progress.summary.sessions == 0 and progress.streak is None


def test_day_totals_on_hand_built_sessions(journal):
    add_session(journal, "2026-03-01T08:00:00+01:00", 8, 5, {"calm": 4, "curiosity": 6})
    add_session(journal, "2026-03-01T20:00:00+01:00", 6, None)           # no check-out
    add_session(journal, "2026-03-02T23:59:59+01:00", 4, 4)
    add_session(journal, "2026-03-02T08:00:00+01:00", 9, 2, outcome="grounded")
    add_session(journal, "2026-03-02T09:00:00+01:00", 7, 7, outcome="stopped_early")
    add_session(journal, "2026-03-02T10:00:00+01:00", 6, None, outcome=None)
    add_checkin(journal, "2026-03-02T12:00:00+01:00", "standalone", 3, {"calm": 7})
    days = queries.day_totals(journal, Span(date(2026, 3, 1), date(2026, 3, 2)))
    assert days == [
        trends.DayTotals(date(2026, 3, 1), Outcomes(finished=2), 1, 8, 5, 5.0, 1, 1),
        trends.DayTotals(date(2026, 3, 2), Outcomes(1, 1, 1, 1), 1, 4, 4, 7.0, 1, 1)]


@pytest.mark.parametrize("bucket", ["week", "month"])
def test_weeks_and_months_summed_in_sql_match_days_summed_in_python(demo_journal, bucket):
    span = Span(date(2026, 1, 7), DEMO_END)
    by_day = queries.day_totals(demo_journal, span)
    grouped = queries.day_totals(demo_journal, span, bucket)
    assert len(grouped) < len(by_day)
    assert trends.periods(grouped, span, bucket) == pytest.approx(
        trends.periods(by_day, span, bucket))
    assert trends.summarise(grouped) == pytest.approx(trends.summarise(by_day))
    assert grouped[0].day == span.start                     # the first bucket, clipped
    assert all(trends.bucket_start(t.day, bucket) == t.day for t in grouped[1:])


def test_the_last_day_of_a_range_is_included_whole(journal):
    add_session(journal, "2026-03-02T23:59:59+01:00", 4, 4)
    add_session(journal, "2026-03-03T00:00:00+01:00", 4, 4)
    add_mark(journal, "2026-03-02T23:59:59+01:00", "jaw", 3)
    span = Span(date(2026, 3, 1), date(2026, 3, 2))
    assert sum(d.sessions for d in queries.day_totals(journal, span)) == 1
    assert [c.count for c in marks_by_part(journal, span, "2026-03-02")[0]] == [1]


def test_session_shifts_use_the_latest_check_in_and_join_the_notes(journal):
    sid = add_session(journal, "2026-03-01T08:00:00+01:00", 9, 6, note="Felt lighter.")
    add_checkin(journal, "2026-03-01T08:30:00+01:00", "before", 7, session_id=sid,
                note="Resumed after a break.")
    (shift,) = queries.session_shifts(journal)
    assert (shift.before, shift.after, shift.shift) == (7, 6, -1)
    assert shift.note == "Felt lighter. · Resumed after a break."
    assert shift.practice_title == "Unblending"


def test_self_energy_is_the_mean_of_given_cs_per_check_in(journal):
    add_session(journal, "2026-03-01T08:00:00+01:00", 5, 3,
                {"calm": 2, "curiosity": 4, "compassion": 9})
    (shift,) = queries.session_shifts(journal)
    assert shift.before_energy == 5.0 and shift.after_energy is None


def test_regions_with_their_halves(journal):
    for day, region in ((1, "throat"), (2, "throat"), (9, "throat"), (9, "jaw")):
        add_mark(journal, f"2026-03-{day:02d}T10:00:00+01:00", region, 6)
    counts, _ = marks_by_part(journal, Span(date(2026, 3, 1), date(2026, 3, 10)), "2026-03-06")
    assert [(c.region, c.count, c.first_half, c.second_half) for c in counts] == [
        ("jaw", 1, 0, 1), ("throat", 3, 2, 1)]


def test_sql_agrees_with_python_on_demo_data(demo_journal):
    first = queries.first_day(demo_journal)
    assert first is not None
    for span in (Span(first, DEMO_END), Span(DEMO_END - timedelta(days=6), DEMO_END),
                 Span(first + timedelta(days=10), first + timedelta(days=40))):
        assert queries.day_totals(demo_journal, span) == pytest.approx(
            python_day_totals(demo_journal, span))
        start, last_day = span.start.isoformat(), span.end.isoformat()
        assert marks_by_part(demo_journal, span, span.midpoint.isoformat())[0] == \
            python_region_counts(
            demo_journal.body_marks(start, last_day), span.midpoint.isoformat())
        assert len(queries.session_shifts(demo_journal, span)) == len(
            demo_journal.sessions(start, last_day))


def test_load_progress_for_a_range(demo_journal):
    span = trends.span_for("all", DEMO_END, queries.first_day(demo_journal))
    progress = queries.load_progress(demo_journal, span, today=DEMO_END)
    assert progress.bucket == "week"
    assert progress.summary.sessions == demo_journal.db["sessions"].count
    assert progress.summary.shift is not None and progress.summary.shift < 0
    assert progress.sessions == [] and progress.streak is None
    assert len(progress.regions) == len(progress.heat) > 5
    assert max(h.heat for h in progress.heat.values()) == 1.0
    assert [r.count for r in progress.regions] == sorted((r.count for r in progress.regions),
                                                         reverse=True)
    with_streak = queries.load_progress(demo_journal, span, with_streak=True, today=DEMO_END)
    assert with_streak.streak is not None and with_streak.streak.longest >= 1


def test_practice_days_for_a_streak(journal):
    for when in ("2026-03-01T08:00:00+01:00", "2026-03-01T20:00:00+01:00",
                 "2026-03-03T08:00:00+01:00", "2026-03-05T08:00:00+01:00"):
        add_session(journal, when)
    assert queries.practice_days(journal, date(2026, 3, 4)) == [date(2026, 3, 1),
                                                                date(2026, 3, 3)]


def test_active_parts_skip_archived_ones(journal):
    journal.add_part(Part(name="Worrier", role="manager", where_felt="throat"))
    journal.add_part(Part(name="Old one", archived=True))
    parts = queries.active_parts(journal)
    assert [(p.name, p.role, p.where_felt, p.archived) for p in parts] == [
        ("Worrier", "manager", "throat", False)]
    assert parts[0].fears == "" and parts[0].id is not None


def test_a_read_only_journal_reads_committed_data_and_cannot_write(journal, journal_path):
    add_session(journal, "2026-03-01T08:00:00+01:00", 6, 3)
    with queries.ReadOnlyJournal(journal_path) as snapshot:
        assert queries.has_records(snapshot)
        assert queries.first_day(snapshot) == date(2026, 3, 1)
        with pytest.raises(sqlite3.OperationalError):
            snapshot.db.execute("DELETE FROM sessions")


def test_a_missing_journal_is_a_plain_message(tmp_path):
    with pytest.raises(JournalError):
        queries.ReadOnlyJournal(tmp_path / "nowhere" / "journal.db")


def test_every_c_is_counted(journal):
    add_session(journal, "2026-03-01T08:00:00+01:00", 5, 4, {q: 8 for q in SELF_ENERGY})
    days = queries.day_totals(journal, Span(date(2026, 3, 1), date(2026, 3, 1)))
    assert days[0].energy_sum == 8.0 and days[0].energy_n == 1
