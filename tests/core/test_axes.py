"""Date ticks on real boundaries with the right labels, and round value ticks."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core.axes import (
    change_axis, count_axis, nice_step, offset, time_axis, value_axis,
)
from app.core.trends import Span, bucket_for, span_for

TODAY = date(2026, 11, 29)                     # a Sunday, the day the issue was found


def ticks(span: Span, max_labels: int = 8) -> list[tuple[date, str, float]]:
    axis = time_axis(span, bucket_for(span), max_labels)
    return [(t.day, t.label, t.at) for t in axis.ticks]


def test_the_last_week_labels_every_day_in_the_middle_of_its_band():
    span = span_for("week", TODAY)
    assert ticks(span) == [(date(2026, 11, d), f"{d} Nov", d - 23 + 0.5)
                           for d in range(23, 30)]
    axis = time_axis(span, "day", 8)
    assert axis.grid == tuple(float(n) for n in range(8))        # every midnight
    assert axis.title == "Day"
    assert len(time_axis(span, "day", 7).ticks) == 7     # room for exactly seven: every day


def test_todays_label_sits_over_today_and_nowhere_else():
    axis = time_axis(span_for("week", TODAY), "day", 8)
    today = [t for t in axis.ticks if t.day == TODAY]
    assert [t.label for t in today] == ["29 Nov"]
    # the band of today runs from 6 to 7 days after the range starts; its label is inside
    assert 6 < today[0].at < 7


def test_a_month_of_days_labels_mondays_when_days_do_not_fit():
    span = span_for("month", TODAY)                              # 31 Oct – 29 Nov 2026
    assert span.start == date(2026, 10, 31)
    assert ticks(span) == [(date(2026, 11, 2), "2 Nov", 2.5), (date(2026, 11, 9), "9 Nov", 9.5),
                           (date(2026, 11, 16), "16 Nov", 16.5),
                           (date(2026, 11, 23), "23 Nov", 23.5)]
    assert [t for _, t, _ in ticks(span, max_labels=31)][:3] == ["31 Oct", "1 Nov", "2 Nov"]


def test_a_year_puts_ticks_on_month_starts_with_the_year_where_it_changes():
    span = span_for("year", TODAY)                               # 30 Nov 2025 – 29 Nov 2026
    assert bucket_for(span) == "week"
    months = ticks(span, max_labels=12)
    assert [t for _, t, _ in months] == ["Dec 2025", "Jan 2026", "Feb", "Mar", "Apr", "May",
                                         "Jun", "Jul", "Aug", "Sep", "Oct", "Nov"]
    assert all(d.day == 1 for d, _, _ in months)
    assert months[0][2] == offset(span, date(2025, 12, 1)) == 1.0
    # narrower: quarters, still on real month starts
    assert [(d, t) for d, t, _ in ticks(span, max_labels=5)] == [
        (date(2026, 1, 1), "Jan 2026"), (date(2026, 4, 1), "Apr"), (date(2026, 7, 1), "Jul"),
        (date(2026, 10, 1), "Oct")]


def test_ten_years_tick_on_new_years_day():
    span = Span(date(2016, 12, 2), TODAY)
    assert bucket_for(span) == "month"
    years = ticks(span, max_labels=10)
    assert [t for _, t, _ in years] == [str(y) for y in range(2017, 2027)]
    assert all((d.month, d.day) == (1, 1) for d, _, _ in years)
    assert [t for _, t, _ in ticks(span, max_labels=5)] == ["2018", "2020", "2022", "2024",
                                                            "2026"]
    assert time_axis(span, "month", 5).title == "Month"


def test_a_short_range_over_new_year_names_both_years():
    span = Span(date(2025, 12, 29), date(2026, 1, 4))
    assert [t for _, t, _ in ticks(span)] == ["29 Dec 2025", "30 Dec", "31 Dec", "1 Jan 2026",
                                              "2 Jan", "3 Jan", "4 Jan"]


def test_weeks_in_a_custom_range_are_labelled_on_their_mondays():
    span = Span(date(2025, 12, 20), date(2026, 2, 10))           # 53 days: weekly buckets
    assert bucket_for(span) == "week"
    labelled = ticks(span, max_labels=10)
    assert [d.weekday() for d, _, _ in labelled] == [0] * 8
    assert [t for _, t, _ in labelled][:3] == ["22 Dec 2025", "29 Dec", "5 Jan 2026"]
    assert time_axis(span, "week", 10).title == "Week (Monday to Sunday)"


def test_a_leap_day_is_a_day_like_any_other():
    span = Span(date(2028, 2, 26), date(2028, 3, 3))
    labels = [(d, t) for d, t, _ in ticks(span)]
    assert (date(2028, 2, 29), "29 Feb") in labels
    assert labels[-1] == (date(2028, 3, 3), "3 Mar")
    assert offset(span, date(2028, 3, 1)) == 4.0


def test_label_count_never_exceeds_the_room():
    for days in (1, 7, 30, 31, 60, 365, 731, 800, 3650):
        span = Span(TODAY - timedelta(days=days - 1), TODAY)
        for room in (2, 4, 8, 14):
            assert len(ticks(span, room)) <= room, (days, room)


# -- values ------------------------------------------------------------------------------------

def test_intensity_axes_go_from_0_to_10_in_twos():
    axis = value_axis(0, 10, "Intensity (0–10)")
    assert axis.ticks == (0.0, 2.0, 4.0, 6.0, 8.0, 10.0)
    assert axis.fraction(5) == 0.5


@pytest.mark.parametrize("most, top, step", [(0, 2, 1), (1, 2, 1), (3, 3, 1), (7, 8, 2),
                                             (13, 15, 5), (31, 40, 10)])
def test_count_axes_have_whole_round_steps(most, top, step):
    axis = count_axis(most, "Sessions per week")
    assert axis.high == top and axis.ticks[1] - axis.ticks[0] == step
    assert axis.ticks[0] == 0 and axis.ticks[-1] == top


def test_change_axes_are_symmetric_with_zero_on_a_tick():
    assert change_axis(1, "c").ticks == (-4.0, -2.0, 0.0, 2.0, 4.0)
    assert change_axis(5.2, "c").ticks == (-6.0, -4.0, -2.0, 0.0, 2.0, 4.0, 6.0)


def test_nice_steps():
    assert nice_step(10, 6) == 2 and nice_step(1, 6) == 0.2 and nice_step(300, 4) == 100
    assert nice_step(14, 3) == 10 and nice_step(0, 5) == 1      # ten; nothing to span


def test_a_range_that_starts_on_a_monday_labels_that_monday():
    span = Span(date(2025, 12, 22), date(2026, 2, 10))           # from a Monday, weekly
    labelled = ticks(span, max_labels=10)
    assert labelled[0][0] == date(2025, 12, 22) and labelled[0][2] == 0.0


def test_a_very_narrow_month_labels_every_other_monday():
    span = span_for("month", TODAY)                              # 4 Mondays, room for 3
    assert [d for d, _, _ in ticks(span, max_labels=3)] == [date(2026, 11, 2),
                                                            date(2026, 11, 16)]
