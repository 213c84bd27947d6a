"""What helps: typical shifts with their spread and the sessions they rest on, no claim under
five, careful words; parts and Self-energy quality by quality."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from app.core import helps_text as say
from app.core.helps import (
    MIN_SESSIONS, Helps, PartMarks, QualityTotals, SessionRow, by_part, by_practice,
    by_quality, quality_totals, shift_stats,
)
from app.core.helps_charts import spread_chart
from app.core.records import SELF_ENERGY
from app.core.trends import Outcomes, Span
from tests.support.known import THE_WEEK, rows


def row(n: int, practice: str, before, after, outcome="completed", part=None) -> SessionRow:
    return SessionRow(n, practice, practice.capitalize(), outcome, before, after, part)


def test_stats_are_the_median_and_the_middle_half():
    s = shift_stats([-3, -2, -2, -1, 0, -4, -2])
    assert (s.n, s.median, s.low, s.high) == (7, -2.0, -3.0, -1.0)   # nearest rank
    assert s.enough
    assert shift_stats([]).n == 0 and shift_stats([]).median is None
    assert shift_stats([-1]).median == -1.0 and not shift_stats([-1]).enough


def test_the_week_is_too_little_to_claim_anything():
    practices = by_practice(rows(THE_WEEK))
    assert [(p.title, p.outcomes, p.stats.n) for p in practices] == [
        ("Unblending", Outcomes(2, 1, 1, 0), 2), ("Building Self-energy", Outcomes(2, 0, 0, 0), 2)]
    assert [say.practice_sentence(p) for p in practices] == [
        "Unblending — 2 finished sessions with a before and an after so far: too few to say "
        "what tends to happen (about 5 are needed). Of its 4 sessions, 1 ended in grounding "
        "and 1 was stopped early.",
        "Building Self-energy — 2 finished sessions with a before and an after so far: too "
        "few to say what tends to happen (about 5 are needed)."]
    assert spread_chart("practices", "Typical change", practices) is None


def test_five_finished_sessions_are_enough_for_careful_words():
    sessions = [row(n, "unblending", 6, 6 + d) for n, d in enumerate([-3, -2, -2, -1, 0])]
    sessions += [row(9, "unblending", 8, 2, "grounded"), row(10, "unblending", 7, None)]
    (p,) = by_practice(sessions)
    assert p.stats.n == MIN_SESSIONS and p.outcomes == Outcomes(6, 1, 0, 0)
    sentence = say.practice_sentence(p)
    assert sentence == (
        "Unblending — 5 finished sessions with a before and an after: intensity tended to "
        "ease, typically by 2 points; the middle half changed by between −2 and −1. "
        "Of its 7 sessions, 1 ended in grounding.")
    assert "works" not in sentence and "tended to" in sentence


def test_rising_and_steady_practices_are_told_as_they_are():
    rising = by_practice([row(n, "pair", 3, 4) for n in range(6)])[0]
    assert "intensity tended to rise, typically by 1 point; at least half of them changed " \
           "by exactly +1" in say.practice_sentence(rising)
    steady = by_practice([row(n, "pair", 3, 3 + d) for n, d in enumerate([0, 0, 0, 1, -1])])[0]
    assert "intensity tended to stay about the same" in say.practice_sentence(steady)


def test_practices_with_enough_sessions_come_first_most_easing_first():
    sessions = ([row(n, "a", 6, 5) for n in range(5)] + [row(10 + n, "b", 6, 3) for n in range(6)]
                + [row(20 + n, "c", 6, 1) for n in range(2)])
    assert [p.practice_id for p in by_practice(sessions)] == ["b", "a", "c"]
    chart = spread_chart("practices", "Typical change", by_practice(sessions))
    assert [(r.label, r.stats.median, r.note) for r in chart.rows] == [
        ("B", -3.0, "6 sessions"), ("A", -1.0, "5 sessions")]
    assert chart.axis.ticks == (-4.0, -2.0, 0.0, 2.0, 4.0)


def test_a_part_comes_up_through_the_session_or_its_marks():
    sessions = [row(n, "u", 6, 4, part=1 if n < 3 else None) for n in range(8)]
    part_sessions = [(1, 3), (1, 4), (1, 3), (2, 7)]          # marks naming parts in sessions
    marks = [PartMarks(1, "front", "throat", 4), PartMarks(1, "front", "jaw", 2),
             PartMarks(3, "back", "back-of-neck", 1)]
    parts = [(1, "The Critic", "manager"), (2, "Little One", "exile"),
             (3, "The Planner", "manager"), (4, "Never Seen", "unsure")]
    found = by_part(parts, sessions, part_sessions, marks)
    assert [(p.name, p.outcomes.total, p.stats.n, p.marks) for p in found] == [
        ("The Critic", 5, 5, 6), ("Little One", 1, 1, 0), ("The Planner", 0, 0, 1)]
    assert say.part_sentence(found[0]) == (
        "The Critic came up in 5 sessions; 6 body marks name it, most often the throat "
        "(front, 4) and the mouth and jaw (front, 2). In its 5 finished sessions with a before "
        "and an after, intensity tended to ease, typically by 2 points; at least half of them "
        "changed by exactly −2.")
    assert say.part_sentence(found[1]) == (
        "Little One came up in 1 session. Too few finished sessions with it (1) to say how "
        "they tended to go.")
    assert say.part_sentence(found[2]) == (
        "The Planner was not part of any session in this range; 1 body mark names it, most "
        "often the back of the neck (back, 1).")


def test_self_energy_quality_by_quality_over_two_halves():
    span = Span(date(2026, 3, 1), date(2026, 3, 20))             # midpoint 11 March
    checkins = ([(span.start + timedelta(days=d), {"calm": 3, "curiosity": 5}) for d in range(6)]
                + [(date(2026, 3, 12) + timedelta(days=d), {"calm": 6, "curiosity": 5,
                                                            "courage": 2})
                   for d in range(6)])
    totals = quality_totals(checkins, "day", span)
    halves = [QualityTotals(span.start, *_sum([c for c in checkins if c[0] < span.midpoint])),
              QualityTotals(span.midpoint, *_sum([c for c in checkins
                                                  if c[0] >= span.midpoint]))]
    qualities = {q.quality: q for q in by_quality(totals, halves, span, "day")}
    calm = qualities["calm"]
    assert (calm.first, calm.second, calm.first_n, calm.second_n) == (3, 6, 6, 6)
    assert calm.direction == "grew" and qualities["curiosity"].direction == "same"
    assert qualities["courage"].direction == "few" and qualities["clarity"].n == 0
    assert len(calm.points) == 20 and calm.points[0] == (span.start, span.start, 3.0, 1)
    assert say.quality_sentence(calm) == (
        "Calm: 3.0 in the first half, 6.0 in the second (6 and 6 check-ins) — tended to be "
        "higher in the second half.")
    assert say.qualities_overview(list(qualities.values())) == (
        "Compared with the first half of this range: calm tended to be higher in the second "
        "half; curiosity stayed about the same; compassion, clarity, confidence, courage, "
        "creativity and connectedness had too few check-ins to compare.")


def _sum(checkins):
    sums = [0.0] * len(SELF_ENERGY)
    counts = [0] * len(SELF_ENERGY)
    for _, values in checkins:
        for i, q in enumerate(SELF_ENERGY):
            if values.get(q) is not None:
                sums[i] += values[q]
                counts[i] += 1
    return tuple(sums), tuple(counts)


def test_an_empty_range_says_so():
    empty = Helps([], [], by_quality([], [], Span(date(2026, 1, 1), date(2026, 1, 7)), "day"))
    assert empty.empty and say.helps_summary(empty) == [say.EMPTY]


@pytest.mark.parametrize("value, text", [(-2, "2 points"), (1, "1 point"), (-1.5, "1.5 points")])
def test_amounts(value, text):
    assert say.amount(value) == text


# -- edges -------------------------------------------------------------------------------------

def trend(first, second, first_n=6, second_n=6, points=()):
    from app.core.helps import QualityTrend
    return QualityTrend("calm", tuple(points), first, first_n, second, second_n)


@pytest.mark.parametrize(("first", "second", "direction"), [
    (5.0, 5.5, "grew"), (5.5, 5.0, "eased"), (5.0, 5.25, "same"), (5.0, 4.75, "same")])
def test_half_a_point_between_the_halves_is_a_change(first, second, direction):
    assert trend(first, second).direction == direction


def test_a_quality_with_too_few_check_ins_says_how_many_there_are():
    assert say.quality_sentence(trend(4.0, None, 3, 0)) == (
        "Calm: too few check-ins to compare the two halves (3 and 0).")


def test_the_change_axis_reaches_the_widest_bar_on_either_side():
    sessions = [row(n, "a", 6, 6 + d) for n, d in enumerate([-6, -5, -5, -4, -1])]
    chart = spread_chart("practices", "Typical change", by_practice(sessions))
    (r,) = chart.rows
    assert (r.stats.low, r.stats.high) == (-5.0, -4.0)
    assert chart.axis.ticks[0] <= -5.0 and chart.axis.ticks[-1] >= 5.0    # symmetric, 0 inside
    sessions = [row(n, "a", 2, 2 + d) for n, d in enumerate([1, 4, 5, 5, 6])]
    chart = spread_chart("practices", "Typical change", by_practice(sessions))
    assert chart.axis.ticks[0] <= -5.0 and chart.axis.ticks[-1] >= 5.0


def test_each_small_chart_puts_a_days_point_in_the_middle_of_its_day():
    from app.core.axes import time_axis
    from app.core.helps_charts import quality_charts
    span = Span(date(2026, 11, 23), date(2026, 11, 29))
    x = time_axis(span, "day", 8)
    day = date(2026, 11, 25)
    (chart,) = quality_charts([trend(4.0, 5.0, points=[(day, day, 4.5, 2)])], x)
    assert chart.lines[0].segments == (((2.5, 4.5),),)
    assert chart.description == "Calm over time, 12 check-ins."


def test_a_range_with_no_self_energy_check_in_says_so():
    span = Span(date(2026, 3, 1), date(2026, 3, 20))
    empty = [QualityTotals(span.start, *_sum([])), QualityTotals(span.midpoint, *_sum([]))]
    qualities = by_quality(quality_totals([], "day", span), empty, span, "day")
    assert say.qualities_overview(qualities) == "No Self-energy check-ins in this range."
