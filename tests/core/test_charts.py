"""What each chart draws, on known journals: every session marked by how it ended, bars of
true width, lines that break at gaps, and captions that say what they count."""
from __future__ import annotations

from datetime import date

import pytest

from app.core.axes import time_axis
from app.core.charts import range_charts, session_marks
from app.core.trends import Span, bucket_for, day_totals, periods, span_for, summarise
from tests.support.known import (
    BOUNDARIES, FIRST_DAY_OF_YEAR, THE_WEEK, TODAY, Known, shifts,
)


def charts_for(known, span: Span, max_labels: int = 8):
    sessions = shifts(known)
    days = day_totals(sessions)
    bucket = bucket_for(span)
    return {c.key: c for c in range_charts(periods(days, span, bucket), sessions,
                                           summarise(d for d in days
                                                     if span.start <= d.day <= span.end),
                                           span, bucket, max_labels)}


@pytest.fixture
def week():
    return charts_for(THE_WEEK, span_for("week", TODAY))


def test_every_session_of_the_week_is_marked_by_how_it_ended(week):
    marks = week["intensity"].marks
    assert [(round(m.x, 3), m.outcome, m.before, m.after) for m in marks] == [
        (1.5, "finished", 7, 4), (2.5, "finished", 6, 5), (3.5, "grounded", 8, 6),
        (4.5, "finished", 5, 5), (6.333, "stopped", 6, None), (6.667, "finished", 4, 2)]
    assert [k for k, _ in week["intensity"].legend] == [
        "before", "after", "finished", "grounded", "stopped"]
    assert marks[0].text == "Tue 24 Nov, 08:10 · Unblending · 7 → 4 · finished"
    assert marks[4].text == "Sun 29 Nov, 08:00 · Unblending · 6 → – · stopped early"


def test_todays_two_sessions_sit_inside_todays_band_around_its_label(week):
    axis = week["intensity"].x
    today = next(t for t in axis.ticks if t.day == TODAY)
    mine = [m.x for m in week["intensity"].marks if 6 <= m.x < 7]
    assert len(mine) == 2 and mine[0] < today.at < mine[1]


def test_equal_before_and_after_keeps_both_values(week):
    equal = week["intensity"].marks[3]
    assert equal.before == equal.after == 5 and equal.change == 0


def test_the_change_chart_leaves_out_only_what_it_cannot_draw_and_says_so(week):
    change = week["change"]
    assert [m.change for m in change.marks] == [-3, -1, -2, 0, -2]
    assert change.caption.endswith("1 session without both check-ins is not in this chart.")
    assert change.y.ticks == (-4.0, -2.0, 0.0, 2.0, 4.0)
    assert change.y.title == "Change (after − before)"


def test_sessions_are_bars_of_one_day_stacked_by_ending(week):
    bars = week["sessions"].bars
    assert [(b.x0, b.x1, b.stack) for b in bars] == [
        (1.0, 2.0, (("finished", 1),)), (2.0, 3.0, (("finished", 1),)),
        (3.0, 4.0, (("grounded", 1),)), (4.0, 5.0, (("finished", 1),)),
        (6.0, 7.0, (("finished", 1), ("stopped", 1)))]
    assert bars[-1].text == "Sun 29 November 2026: 2 sessions — 1 finished, 1 stopped early"
    assert week["sessions"].y.title == "Sessions per day"
    assert week["sessions"].y.ticks == (0.0, 1.0, 2.0)
    assert week["sessions"].caption == "Sessions each day, by how they ended."


def test_axis_titles_name_their_units(week):
    assert [(c.x.title, c.y.title) for c in week.values()] == [
        ("Day", "Intensity (0–10)"), ("Day", "Change (after − before)"),
        ("Day", "Sessions per day"), ("Day", "Self-energy (0–10)")]


def test_a_year_shows_the_partial_first_week_honestly():
    span = span_for("year", TODAY)
    charts = charts_for(FIRST_DAY_OF_YEAR + THE_WEEK, span, max_labels=12)
    sessions = charts["sessions"]
    first, last = sessions.bars[0], sessions.bars[-1]
    assert (first.x0, first.x1, first.total) == (0.0, 1.0, 1)          # one day wide
    assert first.text == "30 November 2025 (1 day of that week): 1 session — finished"
    assert (last.x0, last.x1, last.total) == (358.0, 365.0, 6)         # 23–29 November 2026
    assert last.text == "Week of 23 November 2026: 6 sessions — 4 finished, 1 grounded, " \
                        "1 stopped early"
    assert sessions.caption == ("Sessions each week, by how they ended. The first bar covers "
                                "only 1 day of its week (30 November 2025).")
    assert sessions.y.title == "Sessions per week"
    intensity = charts["intensity"]
    assert not intensity.marks and intensity.band == ("before", "after")
    before = intensity.lines[0]
    # two separate points: the weeks between hold no finished session, so no bridging line
    assert [len(s) for s in before.segments] == [1, 1]
    assert before.segments[0][0] == (0.5, 6.0) and before.segments[1][0] == (361.5, 5.5)
    # the first week's point is its one session, not an average: the caption says so
    assert intensity.caption.startswith(
        "Each point is the average of one week's finished sessions, or the session itself in "
        "a week with just one (5 in all)")


def test_new_years_eve_and_new_years_day_fall_on_their_own_days():
    span = Span(date(2027, 12, 28), date(2028, 1, 3))
    charts = charts_for(BOUNDARIES, span)
    assert [(m.x, m.outcome) for m in charts["intensity"].marks] == [(3.5, "finished"),
                                                                     (4.5, "grounded")]
    labels = [(t.day, t.label) for t in charts["intensity"].x.ticks]
    assert labels[3:5] == [(date(2027, 12, 31), "31 Dec"), (date(2028, 1, 1), "1 Jan 2028")]
    assert labels[0] == (date(2027, 12, 28), "28 Dec 2027")


def test_the_leap_day_has_its_own_band_and_label():
    span = Span(date(2028, 2, 26), date(2028, 3, 3))
    charts = charts_for(BOUNDARIES, span)
    assert [(m.x, m.outcome) for m in charts["intensity"].marks] == [(3.5, "finished"),
                                                                     (4.5, "stopped")]
    assert (date(2028, 2, 29), "29 Feb", 3.5) in [(t.day, t.label, t.at)
                                                  for t in charts["intensity"].x.ticks]


def test_months_are_bars_as_long_as_the_month():
    span = Span(date(2026, 1, 1), date(2028, 3, 31))
    assert bucket_for(span) == "month"
    bars = {b.text.split(":")[0]: b for b in charts_for(BOUNDARIES, span)["sessions"].bars}
    february, january = bars["February 2028"], bars["January 2028"]
    assert february.x1 - february.x0 == 29 and january.x1 - january.x0 == 31
    assert january.stack == (("grounded", 1),)


def test_more_labels_when_there_is_room_and_the_chart_keeps_its_data(week):
    chart = week["sessions"].with_labels(3)
    assert len(chart.x.ticks) <= 3 and chart.bars == week["sessions"].bars


def test_session_marks_ignore_sessions_outside_the_range():
    span = Span(date(2026, 11, 25), date(2026, 11, 26))
    assert len(session_marks(shifts(THE_WEEK), span)) == 2
    assert time_axis(span, "day", 8).ticks[0].label == "25 Nov"


def test_a_point_on_a_line_is_named_by_its_week():
    from app.core.charts import point_text
    span = span_for("year", TODAY)
    chart = charts_for(FIRST_DAY_OF_YEAR + THE_WEEK, span)["intensity"]
    before = chart.lines[0]
    (x, y), = before.segments[1]
    assert point_text(chart, before, x, y) == "Week of 23 November 2026 · Before: 5.5"
    (x, y), = before.segments[0]
    assert point_text(chart, before, x, y) == \
        "30 November 2025 (1 day of that week) · Before: 6.0"


def test_the_intensity_chart_reads_out_the_shift_and_what_it_leaves_out(week):
    from app.core import progress_text as words
    sessions = shifts(THE_WEEK)
    summary = summarise(day_totals(sessions))
    description = week["intensity"].description
    assert description == (f"{words.shift_sentence(summary)} "
                           f"{words.excluded_sentence(summary)}")
    assert len(description) > 60


def test_self_energy_is_drawn_on_its_whole_0_to_10_scale(week):
    y = week["energy"].y
    assert (y.low, y.high) == (0, 10)


def year_captions(known, energies=()) -> dict[str, str]:
    span = span_for("year", TODAY)
    sessions = shifts(known)
    days = day_totals(sessions, energies)
    return {c.key: c.caption for c in range_charts(periods(days, span, "week"), sessions,
                                                    summarise(days), span, "week")}


def test_one_session_on_a_chart_of_weeks_is_not_called_an_average():
    """It said "Each point is the average of one week's finished sessions (1 in all)" and
    "Each point is the average change of one week's finished sessions"."""
    one = year_captions(FIRST_DAY_OF_YEAR)
    assert one["intensity"] == (
        "The two points are your one finished session, before and after; the shading is the "
        "change. Grounded and stopped-early sessions are counted in Sessions, not in this "
        "chart.")
    assert one["change"] == ("The point is the change in your one finished session; below "
                             "the line, intensity eased.")
    unpaired = year_captions(FIRST_DAY_OF_YEAR + [Known("2026-11-24T08:10", "unblending",
                                                        "completed", 7, None)])
    assert unpaired["intensity"].startswith(
        "The two points are the one finished session with both check-ins, before and after")
    assert "average" not in (one["intensity"] + one["change"]).lower()


def test_points_of_single_sessions_say_so_and_two_or_more_are_averages():
    apart = year_captions(FIRST_DAY_OF_YEAR + THE_WEEK[:1])        # two weeks, one each
    assert apart["intensity"] == (
        "Each point is one finished session, the only one of its week (2 in all); the shading "
        "is the change. Grounded and stopped-early sessions are counted in Sessions, not in "
        "this chart.")
    assert apart["change"] == ("Each point is the change in one finished session, the only one "
                               "of its week; below the line, intensity eased.")
    together = year_captions(THE_WEEK)                 # four in one week: one true average
    assert together["intensity"] == (
        "Each point is the average of one week's finished sessions (4 in all); the shading is "
        "the change. Grounded and stopped-early sessions are counted in Sessions, not in these "
        "averages.")
    assert together["change"] == ("Each point is the average change of one week's finished "
                                  "sessions; below the line, intensity eased.")


def test_no_finished_pair_and_no_check_in_draw_nothing_and_say_why():
    """It said "(0 in all)" and "(0 check-ins in all)" over empty charts."""
    grounded = year_captions([Known("2026-11-26T12:00", "unblending", "grounded", 8, 6)])
    assert grounded["intensity"] == (
        "No finished session in this range has both a before and an after check-in, so there "
        "is nothing to draw here yet; every session is counted in Sessions.")
    assert grounded["change"] == (
        "No finished session in this range has both a before and an after check-in, so there "
        "is no change to draw here yet.")
    assert grounded["energy"] == ("No Self-energy check-ins in this range, so there is nothing "
                                  "to draw here yet.")
    assert "in all" not in " ".join(grounded.values())


def test_self_energy_points_are_averages_only_over_two_or_more_check_ins():
    higher = " Higher means more calm, curiosity and compassion."
    first, later = date(2025, 11, 30), date(2026, 11, 24)
    assert year_captions(THE_WEEK, [(first, 5.0)])["energy"] == (
        "The point is your one Self-energy check-in." + higher)
    assert year_captions(THE_WEEK, [(first, 5.0), (later, 6.0)])["energy"] == (
        "Each point is one Self-energy check-in, the only one of its week (2 check-ins in "
        "all)." + higher)
    assert year_captions(THE_WEEK, [(first, 5.0), (later, 6.0), (later, 4.0)])["energy"] == (
        "Each point is the average Self-energy of one week's check-ins, or the check-in itself "
        "in a week with just one (3 check-ins in all)." + higher)
    assert year_captions(THE_WEEK, [(later, 6.0), (later, 4.0)])["energy"] == (
        "Each point is the average Self-energy of one week's check-ins (2 check-ins in all)."
        + higher)


def test_a_chart_of_days_speaks_of_averages_only_over_two_or_more():
    one = charts_for(THE_WEEK[:1], span_for("week", TODAY))["intensity"].caption
    assert one.endswith("have their own shapes and are not in the before-and-after figures.")
    assert charts_for(THE_WEEK, span_for("week", TODAY))["intensity"].caption.endswith(
        "have their own shapes and are not in the averages.")


def test_no_bucket_at_all_needs_no_note_about_partial_ones():
    from app.core.charts import partial_note
    assert partial_note([], "week") == "" and partial_note([], "month") == ""


def test_a_point_beyond_the_charts_range_is_named_by_its_value_alone():
    from app.core.charts import point_text
    chart = charts_for(FIRST_DAY_OF_YEAR + THE_WEEK, span_for("year", TODAY))["intensity"]
    before = chart.lines[0]
    assert point_text(chart, before, -3.0, 4.25) == "Before: 4.2"
