"""Progress maths on hand-built data: ranges, shifts, weekly/monthly averages, streaks."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core import progress_text as words
from app.storage.preferences import Preferences
from app.core.progress import (
    RegionCount, heat_from_counts, region_counts, region_heat, top_regions,
)
from app.core.records import BodyMark
from app.core.trends import (
    DayTotals, Outcomes, SessionShift, Span, Streak, custom_range_problem, bucket_for,
    bucket_start, day_totals, periods, periods_of,
    self_energy_score, span_for, streak, summarise,
)

TODAY = date(2026, 3, 4)                               # a Wednesday


def session(day: date, before: int | None, after: int | None, n: int = 1,
            hour: int = 9, outcome: str | None = "completed") -> SessionShift:
    return SessionShift(n, f"{day.isoformat()}T{hour:02d}:00:00+01:00", "Unblending",
                        outcome, before, after)


# -- ranges ------------------------------------------------------------------------------------

def test_presets_end_today_and_include_it():
    assert span_for("week", TODAY) == Span(date(2026, 2, 26), TODAY)
    assert span_for("week", TODAY).days == 7
    assert span_for("month", TODAY).days == 30
    assert span_for("year", TODAY).days == 365


def test_all_starts_on_the_first_record_and_a_new_journal_gets_today_only():
    assert span_for("all", TODAY, first_day=date(2020, 5, 1)) == Span(date(2020, 5, 1), TODAY)
    assert span_for("all", TODAY).days == 1


def test_custom_ranges_are_never_swapped_behind_the_persons_back():
    assert span_for("custom", TODAY, custom=(date(2026, 1, 1), date(2026, 1, 31))) == \
        Span(date(2026, 1, 1), date(2026, 1, 31))
    with pytest.raises(ValueError):
        span_for("custom", TODAY, custom=(date(2026, 1, 31), date(2026, 1, 1)))
    with pytest.raises(ValueError):
        span_for("custom", TODAY)
    with pytest.raises(ValueError):
        span_for("fortnight", TODAY)  # type: ignore[arg-type]


def test_a_span_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Span(TODAY, TODAY - timedelta(days=1))


def test_bounds_cover_the_whole_last_day_and_the_midpoint_splits_in_half():
    span = Span(date(2026, 3, 1), date(2026, 3, 10))
    assert span.bounds() == ("2026-03-01", "2026-03-11")
    assert "2026-03-10T23:59:59+01:00" < span.bounds()[1]
    assert span.midpoint == date(2026, 3, 6)
    assert span.label() == "1 March 2026 – 10 March 2026"


def test_buckets_grow_with_the_range():
    assert bucket_for(Span(TODAY - timedelta(days=30), TODAY)) == "day"
    assert bucket_for(Span(TODAY - timedelta(days=364), TODAY)) == "week"
    assert bucket_for(Span(TODAY - timedelta(days=3650), TODAY)) == "month"
    assert bucket_start(TODAY, "week") == date(2026, 3, 2)       # Monday
    assert bucket_start(TODAY, "month") == date(2026, 3, 1)


def test_the_bucket_changes_exactly_past_a_month_and_past_two_years():
    """A whole month is drawn day by day and a day more week by week; two whole years, even
    over a leap day (731 days), still week by week, and a day more month by month."""
    march = Span(date(2026, 3, 1), date(2026, 3, 31))
    assert (march.days, bucket_for(march), len(list(periods_of(march, "day")))) == (
        31, "day", 31)
    assert bucket_for(Span(march.start, date(2026, 4, 1))) == "week"
    two_years = Span(date(2026, 3, 1), date(2028, 2, 29))
    assert (two_years.days, bucket_for(two_years)) == (731, "week")
    assert len(list(periods_of(two_years, "week"))) == 106      # first and last weeks partial
    longer = Span(two_years.start, date(2028, 3, 1))
    assert (longer.days, bucket_for(longer)) == (732, "month")
    assert len(list(periods_of(longer, "month"))) == 25


# -- per session ---------------------------------------------------------------------------------

def test_shift_is_after_minus_before_and_needs_both():
    assert session(TODAY, 7, 4).shift == -3
    assert session(TODAY, 3, 5).shift == 2
    assert session(TODAY, 7, None).shift is None
    assert session(TODAY, None, 2).shift is None


def test_self_energy_is_the_mean_of_the_given_cs_and_zero_counts():
    assert self_energy_score({"calm": 4, "curiosity": 6, "compassion": None}) == 5
    assert self_energy_score({"calm": 0, "clarity": 3}) == 1.5
    assert self_energy_score({}) is None
    assert self_energy_score({"calm": None}) is None


# -- days, weeks, months ---------------------------------------------------------------------------

def test_day_totals_sum_only_paired_sessions_into_the_means():
    days = day_totals([session(TODAY, 8, 5), session(TODAY, 6, None), session(TODAY, 4, 4)],
                      [(TODAY, 5.0), (TODAY, 7.0)])
    assert days == [DayTotals(TODAY, Outcomes(finished=3), paired=2, before_sum=12,
                              after_sum=9, energy_sum=12.0, energy_n=2, active_days=1)]


def test_weekly_averages_weight_every_session_equally():
    monday = date(2026, 3, 2)
    days = day_totals([session(monday, 8, 4), session(monday, 8, 4),     # two sessions: -4
                       session(monday + timedelta(days=2), 2, 2)])       # one session: 0
    (week,) = periods(days, Span(monday, monday + timedelta(days=6)), "week")
    assert week.sessions == 3 and week.paired == 3
    assert week.before == pytest.approx(6.0)
    assert week.shift == pytest.approx(-8 / 3)       # not the mean of the daily means (−2)


def test_periods_include_empty_weeks_and_are_clipped_to_the_range():
    span = Span(date(2026, 2, 4), date(2026, 3, 4))  # a Wednesday to a Wednesday
    weeks = periods(day_totals([session(date(2026, 2, 5), 6, 3)]), span, "week")
    assert weeks[0].start == date(2026, 2, 4) and weeks[0].end == date(2026, 2, 8)
    assert weeks[-1].start == date(2026, 3, 2) and weeks[-1].end == TODAY
    assert [w.sessions for w in weeks] == [1, 0, 0, 0, 0]
    assert weeks[1].before is None and weeks[1].shift is None and weeks[1].self_energy is None


def test_days_outside_the_range_are_ignored():
    span = Span(date(2026, 3, 1), TODAY)
    days = day_totals([session(date(2026, 2, 28), 9, 1), session(TODAY, 5, 4)])
    assert sum(p.sessions for p in periods(days, span, "day")) == 1


def test_monthly_buckets_follow_the_calendar():
    span = Span(date(2026, 1, 15), date(2026, 3, 4))
    months = periods(day_totals([session(date(2026, 2, 28), 5, 3)]), span, "month")
    assert [(m.start, m.end) for m in months] == [
        (date(2026, 1, 15), date(2026, 1, 31)), (date(2026, 2, 1), date(2026, 2, 28)),
        (date(2026, 3, 1), date(2026, 3, 4))]
    assert months[1].shift == -2


def test_self_energy_per_week_comes_from_any_check_in():
    monday = date(2026, 3, 2)
    days = day_totals([], [(monday, 4.0), (monday + timedelta(days=1), 6.0)])
    (week,) = periods(days, Span(monday, monday + timedelta(days=6)), "week")
    assert week.sessions == 0 and week.self_energy == 5.0


def test_summary_over_a_range():
    days = day_totals([session(TODAY, 8, 5), session(TODAY - timedelta(days=1), 6, None)],
                      [(TODAY, 6.0)])
    s = summarise(days)
    assert (s.sessions, s.paired, s.active_days) == (2, 1, 2)
    assert (s.before, s.after, s.shift, s.self_energy) == (8, 5, -3, 6.0)
    empty = summarise([])
    assert empty.sessions == 0 and empty.shift is None and empty.self_energy is None


@given(st.lists(st.tuples(st.integers(0, 120), st.integers(0, 10), st.integers(0, 10)),
                max_size=60),
       st.sampled_from(["day", "week", "month"]))
def test_buckets_lose_nothing_and_match_a_brute_force_mean(rows, bucket):
    span = Span(date(2025, 11, 1), date(2026, 2, 28))
    sessions = [session(span.start + timedelta(days=d), b, a, n)
                for n, (d, b, a) in enumerate(rows)]
    buckets = periods(day_totals(sessions), span, bucket)
    inside = [s for s in sessions if s.day <= span.end]
    assert sum(p.sessions for p in buckets) == len(inside)
    for p in buckets:
        mine = [s for s in inside if p.start <= s.day <= p.end]
        if mine:
            assert p.shift == pytest.approx(sum(s.shift for s in mine) / len(mine))


# -- streaks -------------------------------------------------------------------------------------

def test_streaks_are_off_unless_the_person_switches_them_on():
    assert Preferences().show_streaks is False


def test_a_streak_still_counts_until_today_is_over():
    days = [TODAY - timedelta(days=n) for n in (1, 2, 3)]
    assert streak(days, TODAY) == Streak(current=3, longest=3)
    assert streak(days + [TODAY], TODAY) == Streak(4, 4)


def test_a_break_ends_the_current_run_but_keeps_the_longest():
    days = [date(2026, 1, d) for d in (1, 2, 3, 4, 5)] + [TODAY - timedelta(days=3)]
    assert streak(days, TODAY) == Streak(current=0, longest=5)


def test_a_whole_day_missed_ends_the_current_run():
    """Yesterday still counts (today is not over); the day before yesterday, with yesterday
    missed, does not: the run is over, however long it was."""
    days = [TODAY - timedelta(days=n) for n in (2, 3, 4)]
    assert streak(days, TODAY) == Streak(current=0, longest=3)


def test_no_days_no_streak_and_future_days_do_not_count():
    assert streak([], TODAY) == Streak(0, 0)
    assert streak([TODAY + timedelta(days=1)], TODAY) == Streak(0, 0)
    assert streak([TODAY, TODAY], TODAY) == Streak(1, 1)


# -- body regions --------------------------------------------------------------------------------

def mark(region: str, intensity: int, at: str, view: str = "front") -> BodyMark:
    return BodyMark(view=view, region=region, intensity=intensity, at=at)


def test_heat_from_sums_equals_heat_from_marks():
    marks = [mark("throat", 8, "2026-01-01"), mark("throat", 2, "2026-02-01"),
             mark("jaw", 5, "2026-01-05"), mark("jaw", 0, "2026-02-20", "back")]
    assert heat_from_counts(region_counts(marks)) == region_heat(marks)


def test_most_marked_regions_and_their_trend():
    marks = ([mark("throat", 5, "2026-01-10")] * 2 + [mark("throat", 5, "2026-02-10")] * 6
             + [mark("jaw", 6, "2026-01-10")] * 5 + [mark("jaw", 6, "2026-02-10")] * 1
             + [mark("belly", 3, "2026-01-10")] * 3 + [mark("belly", 3, "2026-02-10")] * 3
             + [mark("eyes", 9, "2026-02-10")])
    top = top_regions(region_counts(marks, midpoint="2026-02-01"), n=3)
    assert [(t.region, t.count, t.direction) for t in top] == [
        ("throat", 8, "more"), ("jaw", 6, "less"), ("belly", 6, "steady")]
    assert top[0].mean_intensity == 5.0
    rare = top_regions(region_counts(marks, midpoint="2026-02-01"), n=4)[-1]
    assert (rare.region, rare.direction) == ("eyes", "few")


def test_region_counts_split_at_the_midpoint():
    (count,) = region_counts([mark("jaw", 4, "2026-01-31T23:00:00+01:00"),
                              mark("jaw", 6, "2026-02-01T08:00:00+01:00")], "2026-02-01")
    assert count == RegionCount("front", "jaw", 2, 10, first_half=1, rated=2)
    assert count.second_half == 1


# -- the words -----------------------------------------------------------------------------------

def test_numbers_use_a_real_minus_and_never_show_minus_zero():
    assert words.number(-1.94) == "−1.9"
    assert words.number(-0.04) == "0.0"
    assert words.number(3) == "3.0"
    assert words.number(-2, 0) == "−2"


def test_streak_words_never_count_a_zero():
    assert "0" not in words.streak_sentence(Streak(0, 12)).replace("12", "")
    assert words.streak_sentence(Streak(5, 9)).startswith("5 days in a row")
    assert "will show here" in words.streak_sentence(Streak(0, 0))


# -- how sessions ended ----------------------------------------------------------------------------

def test_only_finished_sessions_with_both_check_ins_go_into_the_means():
    days = day_totals([session(TODAY, 8, 4), session(TODAY, 9, 2, outcome="grounded"),
                       session(TODAY, 7, 6, outcome="stopped_early"),
                       session(TODAY, 6, None, outcome=None), session(TODAY, 5, None)])
    (day,) = days
    assert day.outcomes == Outcomes(finished=2, grounded=1, stopped=1, interrupted=1)
    assert (day.sessions, day.paired, day.before_sum, day.after_sum) == (5, 1, 8, 4)
    s = summarise(days)
    assert (s.sessions, s.paired, s.before, s.after) == (5, 1, 8, 4)


def test_outcomes_add_up_and_unknown_endings_count_as_interrupted():
    assert Outcomes.of("completed") + Outcomes.of("grounded") == Outcomes(1, 1, 0, 0)
    assert Outcomes.of(None) == Outcomes.of("something else") == Outcomes(interrupted=1)
    assert Outcomes(4, 1, 1, 0).total == 6


def test_weeks_keep_every_ending():
    monday = date(2026, 3, 2)
    days = day_totals([session(monday, 5, 3), session(monday, 5, 3, outcome="grounded"),
                       session(monday + timedelta(days=3), 5, None, outcome="stopped_early")])
    (week,) = periods(days, Span(monday, monday + timedelta(days=6)), "week")
    assert week.outcomes == Outcomes(1, 1, 1, 0) and week.paired == 1 and week.days == 7


# -- choosing dates ------------------------------------------------------------------------------

def test_a_start_after_the_end_is_refused_with_a_plain_sentence():
    assert custom_range_problem(date(2026, 3, 1), date(2026, 2, 1), TODAY) == (
        "The start date (1 March 2026) is after the end date (1 February 2026). Please "
        "choose a start on or before the end.")


def test_future_dates_are_refused_and_today_is_fine():
    assert custom_range_problem(date(2026, 3, 1), date(2026, 3, 5), TODAY) == (
        "5 March 2026 has not come yet. Please choose an end date of today (4 March 2026) "
        "or earlier.")
    assert custom_range_problem(date(2026, 3, 1), TODAY, TODAY) is None
    assert custom_range_problem(TODAY, TODAY, TODAY) is None


def test_counting_many_endings_at_once_agrees_with_adding_them():
    endings = ["completed", "grounded", None, "completed", "stopped_early", "odd"]
    assert Outcomes.count(endings) == sum((Outcomes.of(e) for e in endings), Outcomes()) \
        == Outcomes(2, 1, 1, 2)


def test_a_day_with_only_a_check_in_has_no_sessions():
    from app.core.trends import Outcomes
    (day,) = day_totals([], energies=[(date(2026, 11, 24), 6.5)])
    assert (day.outcomes, day.paired, day.active_days) == (Outcomes(), 0, 0)
    assert (day.energy_sum, day.energy_n) == (6.5, 1)
    assert (day.before_sum, day.after_sum) == (0.0, 0.0)


def test_a_check_in_only_day_leaves_the_weeks_averages_alone():
    from app.core.trends import SessionShift
    finished = SessionShift(1, "2026-11-23T09:00:00+01:00", "Calm", "completed", 6, 4)
    days = day_totals([finished], energies=[(date(2026, 11, 24), 7.0)])
    summary = summarise(days)
    assert (summary.paired, summary.before, summary.after) == (1, 6.0, 4.0)


def test_a_day_without_a_self_energy_check_in_adds_nothing_to_its_weeks_self_energy():
    """Storage hands over a day with sessions but no Self-energy check-in without energy
    sums (their defaults): the week's Self-energy is that of the day that had one."""
    monday = date(2026, 3, 2)
    days = [DayTotals(monday, Outcomes(finished=1), active_days=1),
            DayTotals(monday + timedelta(days=1), energy_sum=5.0, energy_n=1)]
    (week,) = periods(days, Span(monday, monday + timedelta(days=6)), "week")
    assert week.self_energy == pytest.approx(5.0)
