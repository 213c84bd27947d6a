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
        "On average, intensity eased from 6.0 before practice to 4.0 after in the one finished "
        "session with a before and an after check-in.")
    assert words.excluded_sentence(s) == (
        "Not in the average, but shown with their own marks: 1 finished without both "
        "check-ins, 1 interrupted.")


def test_no_average_when_nothing_finished_with_both_check_ins():
    s = one(8, 5, "grounded")
    assert words.sessions_sentence(s) == "1 session (1 grounded) on 1 day."
    assert words.shift_sentence(s) == (
        "No finished session in this range has both a before and an after check-in, so there "
        "is no average change to show.")
    assert words.shift_sentence(summarise([])) == (
        "No sessions with both a before and an after check-in yet.")


def test_rises_and_equal_values_are_told_kindly():
    assert words.shift_sentence(one(5, 5)) == (
        "On average, intensity stayed about the same (5.0 before, 5.0 after) in the one "
        "finished session.")
    assert words.shift_sentence(one(3, 5)) == (
        "On average, intensity rose from 3.0 to 5.0 after practice in the one finished "
        "session. Feelings sometimes grow when they finally get attention.")


def test_breakdowns_list_only_what_happened():
    assert words.outcome_breakdown(Outcomes(0, 2, 0, 1)) == "2 grounded, 1 interrupted"
    assert words.left_out(Summary(Outcomes(3, 0, 1, 0), 3, 5, 4, None, 2)) == "1 stopped early"


def test_key_figures_say_what_they_count():
    from app.core.trends import span_for
    from tests.support.known import TODAY
    figures = words.key_figures(week_summary(), span_for("week", TODAY))
    assert figures == [
        ("sessions", "Sessions", "6", "4 finished, 1 grounded, 1 stopped early · on 5 days, "
                                      "about 6.0 a week"),
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
