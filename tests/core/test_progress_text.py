"""The sentences beside the numbers say exactly what they count, on known journals."""
from __future__ import annotations

from datetime import date

from app.core import progress_text as words
from app.core.trends import (
    Outcomes, SessionShift, Summary, day_totals, self_energy_score, summarise,
)
from tests.support.known import THE_WEEK, shifts


def week_summary() -> Summary:
    energies = [(date.fromisoformat(k.at[:10]), self_energy_score(k.energy))
                for k in THE_WEEK if k.energy]
    return summarise(day_totals(shifts(THE_WEEK), energies))      # type: ignore[arg-type]


def one(before, after, outcome="completed") -> Summary:
    return summarise(day_totals([SessionShift(1, "2026-03-04T09:00:00+01:00", "Unblending",
                                              outcome, before, after)]))


def test_the_week_of_the_issue_in_words():
    s = week_summary()
    assert words.sessions_sentence(s) == (
        "6 sessions (4 finished, 1 grounded, 1 stopped early) on 5 days.")
    assert words.shift_sentence(s) == (
        "On average, intensity eased from 5.5 before practice to 4.0 after in the 4 finished "
        "sessions.")
    assert words.excluded_sentence(s) == (
        "Not in the average, but shown with their own marks: 1 grounded, 1 stopped early.")
    assert words.energy_sentence(s) == (
        "Self-energy (calm, curiosity, compassion and the other C's) averaged 5.0 of 10 over "
        "2 check-ins.")
    assert words.summary_text(s).startswith("6 sessions (4 finished, 1 grounded, 1 stopped "
                                            "early) on 5 days. On average, intensity eased")


def test_only_finished_sessions_say_so_briefly():
    assert words.sessions_sentence(one(7, 4)) == "1 session (finished) on 1 day."
    two = summarise(day_totals([SessionShift(n, "2026-03-04T09:00:00+01:00", "U", "completed",
                                             6, 4) for n in (1, 2)]))
    assert words.sessions_sentence(two) == "2 sessions (all finished) on 1 day."
    assert words.excluded_sentence(two) == ""


def test_finished_without_an_after_is_named_not_hidden():
    s = summarise(day_totals([
        SessionShift(1, "2026-03-04T09:00:00+01:00", "U", "completed", 6, 4),
        SessionShift(2, "2026-03-04T10:00:00+01:00", "U", "completed", 6, None),
        SessionShift(3, "2026-03-04T11:00:00+01:00", "U", None, 6, None)]))
    assert words.sessions_sentence(s) == "3 sessions (2 finished, 1 interrupted) on 1 day."
    assert words.shift_sentence(s) == (
        "In the one finished session with a before and an after check-in, intensity eased "
        "from 6 to 4.")
    assert words.excluded_sentence(s) == (
        "Not in that change, but shown with their own marks: 1 finished without both "
        "check-ins, 1 interrupted.")


def test_no_average_when_nothing_finished_with_both_check_ins():
    s = one(8, 5, "grounded")
    assert words.sessions_sentence(s) == "1 session (1 grounded) on 1 day."
    assert words.shift_sentence(s) == (
        "No finished session in this range has both a before and an after check-in, so there "
        "is no average change to show.")
    assert words.shift_sentence(summarise([])) == (
        "No sessions with both a before and an after check-in yet.")
    # With no average, nothing is left out of one: the grounded session is named in the first
    # sentence, and no "Not in the average" follows ("" is "no sentence", a str as the
    # function's type promises the charts and the summary that take its words).
    assert words.excluded_sentence(s) == ""
    assert words.excluded_sentence(summarise([])) == ""
    assert words.summary_text(s) == (
        "1 session (1 grounded) on 1 day. No finished session in this range has both a before "
        "and an after check-in, so there is no average change to show. No Self-energy "
        "check-ins in this range.")


def two(pairs: list[tuple[int, int]]) -> Summary:
    return summarise(day_totals([SessionShift(n, "2026-03-04T09:00:00+01:00", "U", "completed",
                                              b, a) for n, (b, a) in enumerate(pairs, 1)]))


def test_rises_and_equal_values_are_told_kindly():
    assert words.shift_sentence(two([(5, 5), (6, 6)])) == (
        "On average, intensity stayed about the same (5.5 before, 5.5 after) in the 2 "
        "finished sessions.")
    assert words.shift_sentence(two([(3, 5), (4, 6)])) == (
        "On average, intensity rose from 3.5 to 5.5 after practice in the 2 finished "
        "sessions. Feelings sometimes grow when they finally get attention.")


def test_one_session_is_told_as_it_was_not_as_an_average():
    """With one session there is no average: it said "On average, intensity eased from 6.0
    before practice to 3.0 after in the one finished session"."""
    assert words.shift_sentence(one(6, 3)) == (
        "In your one finished session, intensity eased from 6 to 3.")
    assert words.shift_sentence(one(3, 5)) == (
        "In your one finished session, intensity rose from 3 to 5. Feelings sometimes grow "
        "when they finally get attention.")
    assert words.shift_sentence(one(5, 5)) == (
        "In your one finished session, intensity was 5 before and after.")
    assert words.shift_sentence(one(6, 5)) == (
        "In your one finished session, intensity eased from 6 to 5.")    # one step is a change
    assert words.excluded_sentence(one(6, 3)) == ""


def test_the_key_figures_over_none_one_and_two_sessions():
    from app.core.trends import span_for
    from tests.support.known import TODAY
    week = span_for("week", TODAY)
    figures = {k: (title, value, detail) for k, title, value, detail
               in words.key_figures(summarise([]), week)}
    assert figures["intensity"][1:] == ("–", "no finished session with a before and an after "
                                              "yet")
    assert figures["shift"][0] == "Average change"
    figures = {k: (title, value, detail) for k, title, value, detail
               in words.key_figures(one(6, 3), week)}
    assert figures["intensity"] == ("Intensity before → after", "6 → 3",
                                    "of 10, in the one finished session")
    assert figures["shift"] == ("Change", "−3", "eased, in the one finished session")
    figures = {k: (title, value, detail) for k, title, value, detail
               in words.key_figures(two([(6, 3), (5, 3)]), week)}
    assert figures["intensity"] == ("Intensity before → after", "5.5 → 3.0",
                                    "of 10, average of the 2 finished sessions")
    assert figures["shift"] == ("Average change", "−2.5", "eased, in the 2 finished sessions")
    assert all("average" not in " ".join(f).lower() for f in
               words.key_figures(one(6, 3), week)[1:3])


def test_self_energy_from_none_one_and_two_check_ins():
    def energy(n: int) -> Summary:
        return Summary(Outcomes(1, 0, 0, 0), 0, None, None, 6.25 if n else None, 1, n)
    assert words.energy_sentence(energy(0)) == "No Self-energy check-ins in this range."
    assert words.energy_sentence(energy(1)) == (
        "Self-energy (calm, curiosity, compassion and the other C's) was 6.2 of 10, from one "
        "check-in.")
    assert words.energy_sentence(energy(2)) == (
        "Self-energy (calm, curiosity, compassion and the other C's) averaged 6.2 of 10 over "
        "2 check-ins.")
    details = [words.key_figures(energy(n), span_for_week())[-1][3] for n in (0, 1, 2)]
    assert details == ["no Self-energy check-ins yet", "of 10, from one check-in",
                       "of 10, average of 2 check-ins"]


def span_for_week():
    from app.core.trends import span_for
    from tests.support.known import TODAY
    return span_for("week", TODAY)


def test_breakdowns_list_only_what_happened():
    assert words.outcome_breakdown(Outcomes(0, 2, 0, 1)) == "2 grounded, 1 interrupted"
    assert words.left_out(Summary(Outcomes(3, 0, 1, 0), 3, 5, 4, None, 2)) == "1 stopped early"


def test_key_figures_say_what_they_count():
    from app.core.trends import span_for
    from tests.support.known import TODAY
    figures = words.key_figures(week_summary(), span_for("week", TODAY))
    assert figures == [
        ("sessions", "Sessions", "6", "4 finished, 1 grounded, 1 stopped early · on 5 days"),
        ("intensity", "Intensity before → after", "5.5 → 4.0",
         "of 10, average of the 4 finished sessions"),
        ("shift", "Average change", "−1.5", "eased, in the 4 finished sessions"),
        ("energy", "Self-energy", "5.0", "of 10, average of 2 check-ins")]
    empty = words.key_figures(summarise([]), span_for("week", TODAY))
    assert [f[2] for f in empty] == ["0", "–", "–", "–"]


def test_each_chart_says_what_one_point_is():
    assert words.bucket_caption("week", per_session=True) == "Each point is one session."
    assert words.bucket_caption("week") == "Each point is the average for one week."
    assert words.bucket_caption("month") == "Each point is the average for one month."


def test_sessions_left_out_of_a_report_are_counted_in_words():
    from app.core.progress_text import left_out_sentence
    assert left_out_sentence(1) == ("1 session could not be placed in time (the start time "
                                    "cannot be read), so it is not in this report.")
    assert left_out_sentence(2).endswith("so they are not in this report.")
    assert left_out_sentence(2).startswith("2 sessions could not")


def test_how_often_is_never_said_as_nothing():
    """One session in a year said "about 0.0 a week"."""
    from app.core.trends import Span
    year = Span(date(2025, 12, 2), date(2026, 12, 1))
    one = summarise(day_totals([SessionShift(1, "2026-11-24T08:10:00+01:00", "U",
                                             "completed", 7, 4)]))
    assert words.key_figures(one, year)[0][3] == "finished · on 1 day"
    assert words.how_often(6.0, 30) == ", about 6.0 a week"
    assert words.how_often(0.96, 30) == ", about 1.0 a week"
    assert words.how_often(0.5, 90) == ", about 2.2 a month"
    assert words.how_often(0.2, 365) == ""


def test_a_rate_is_said_only_over_a_range_longer_than_its_unit():
    """One session in the last 30 days read "on 1 day, about 1.0 a month"; three in the last
    7 days "about 3.0 a week": the count again, as a rate."""
    from app.core.trends import Span
    month, week = Span(date(2026, 11, 2), date(2026, 12, 1)), Span(date(2026, 11, 25),
                                                                   date(2026, 12, 1))
    one = summarise(day_totals([SessionShift(1, "2026-11-24T08:10:00+01:00", "U",
                                             "completed", 7, 4)]))
    assert words.key_figures(one, month)[0][3] == "finished · on 1 day"
    three = summarise(day_totals([SessionShift(n, f"2026-11-2{n + 5}T08:10:00+01:00", "U",
                                               "completed", 7, 4) for n in (1, 2, 3)]))
    assert words.key_figures(three, week)[0][3].endswith("on 3 days")
    assert words.how_often(3.0, 7) == "" and words.how_often(3.0, 8) == ", about 3.0 a week"
    assert words.how_often(0.5, 31) == "" and words.how_often(0.5, 62) == ", about 2.2 a month"


def test_which_sessions_an_average_rests_on_is_said_in_words():
    from app.core.trends import Outcomes, Summary
    def said(finished: int, paired: int) -> str:
        return words.counted_phrase(Summary(Outcomes(finished=finished), paired, 5.0, 4.0,
                                            None, 1))
    assert said(4, 4) == "the 4 finished sessions" and said(1, 1) == "the one finished session"
    assert said(5, 3) == "the 3 finished sessions with a before and an after check-in"
    assert said(5, 1) == "the one finished session with a before and an after check-in"
