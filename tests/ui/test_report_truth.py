"""The PDF tells the same truth as the progress view, on known journals: the exact sentences,
figures, tick labels, how every session ended, and "what helps" with its careful words."""
from __future__ import annotations

from datetime import date

import pytest

from app.core.trends import Span, span_for
from tests.support.known import BOUNDARIES, FIRST_DAY_OF_YEAR, THE_WEEK, TODAY, write
from tests.ui.test_report_pdf import export_report, read_pdf


@pytest.fixture(autouse=True)
def gui(qapp):
    return qapp


def pdf_text(journal, tmp_path, span: Span) -> tuple[list[str], str]:
    out = tmp_path / "truth.pdf"
    export_report(journal, out, span)
    _, texts, _ = read_pdf(out)
    return texts, " ".join(" ".join(texts).split())        # wrapped lines rejoined


def test_the_week_in_the_report(journal, tmp_path):
    write(journal, THE_WEEK)
    texts, whole = pdf_text(journal, tmp_path, span_for("week", TODAY))
    for sentence in (
            "6 sessions (4 finished, 1 grounded, 1 stopped early) on 5 days.",
            "On average, intensity eased from 5.5 before practice to 4.0 after in the 4 "
            "finished sessions.",
            "Not in the average, but shown with their own marks: 1 grounded, 1 stopped early.",
            "Self-energy (calm, curiosity, compassion and the other C's) averaged 5.0 of 10 "
            "over 2 check-ins.",
            "4 finished, 1 grounded, 1 stopped early · on 5 days",
            "of 10, average of the 4 finished sessions",
            "One mark per session: hollow before, filled after, joined by a line.",
            "1 session without both check-ins is not in this chart.",
            "Sessions each day, by how they ended.",
            "November 2026 · 6 sessions (4 finished, 1 grounded, 1 stopped early) · average "
            "5.5 → 4.0 in the 4 finished sessions",
            "Unblending — 2 finished sessions with a before and an after so far: too few to say "
            "what tends to happen (about 5 are needed). Of its 4 sessions, 1 ended in grounding "
            "and 1 was stopped early."):
        assert sentence in whole, sentence
    first = " ".join(texts[0].split())
    assert "5.5 → 4.0" in first and "−1.5" in first
    charts = next(t for t in texts if "Intensity before and after practice" in t)
    for day in range(23, 30):
        assert f"{day} Nov" in charts
    # the y title reads upwards: its extracted text may break anywhere
    assert "Intensity(0–10)" in "".join(charts.split()) and "\nDay\r\n" in charts
    # every session is in the table with how it ended; the stopped one has no after
    table = " ".join(" ".join(t.split()) for t in texts if "Ended" in t)
    assert table.count("finished") >= 4 and "grounded" in table and "stopped early" in table
    assert "6 → –" in table and "5 → 5" in table
    assert "works" not in whole


def test_the_partial_first_week_of_a_year_is_stated(journal, tmp_path):
    write(journal, FIRST_DAY_OF_YEAR + THE_WEEK)
    _, whole = pdf_text(journal, tmp_path, span_for("year", TODAY))
    assert ("Sessions each week, by how they ended. The first bar covers only 1 day of its week "
            "(30 November 2025).") in whole
    assert "Week (Monday to Sunday)" in whole and "Sessionsperweek" in "".join(whole.split())
    assert "7 sessions (5 finished, 1 grounded, 1 stopped early) on 6 days." in whole


def test_new_year_and_a_leap_day_in_the_report(journal, tmp_path):
    write(journal, BOUNDARIES)
    texts, whole = pdf_text(journal, tmp_path, Span(date(2027, 12, 28), date(2028, 3, 3)))
    assert "December 2027 · 1 session (finished)" in whole
    assert "January 2028 · 1 session (1 grounded)" in whole
    # one session has no average (it said "average 5.0 → 3.0 in the one finished session")
    assert "February 2028 · 1 session (finished) · 5 → 3 in the one finished session" in whole
    assert "March 2028 · 1 session (1 stopped early)" in whole
    assert "Tue 29 · 18:00" in whole                      # the leap day's row


def test_one_session_in_the_report_is_not_called_an_average(journal, tmp_path):
    """It said "On average, intensity eased from 5.0 before practice to 3.0 after in the one
    finished session", under "Average change"."""
    write(journal, BOUNDARIES)
    texts, whole = pdf_text(journal, tmp_path, Span(date(2028, 2, 1), date(2028, 2, 29)))
    assert "In your one finished session, intensity eased from 5 to 3." in whole
    assert "February 2028 · 1 session (finished) · 5 → 3 in the one finished session" in whole
    first = " ".join(texts[0].split())
    assert "5 → 3" in first and "of 10, in the one finished session" in first
    assert "Change" in first and "Average change" not in first
    assert "On average" not in whole and "average 5" not in whole


def test_the_body_table_calls_only_an_average_an_average(journal, tmp_path):
    """The column was headed "Average intensity" over the one back mark's "4 of 10"."""
    write(journal, THE_WEEK)
    texts, _ = pdf_text(journal, tmp_path, span_for("week", TODAY))
    table = " ".join(" ".join(t.split()) for t in texts if "Lately" in t)
    assert "Times Intensity Lately" in table and "Average intensity" not in table
    assert "2 average 5.5 of 10" in table and "1 4 of 10" in table


def test_one_session_in_a_year_of_weeks_is_no_average_in_the_report(journal, tmp_path):
    write(journal, THE_WEEK[:1])
    _, whole = pdf_text(journal, tmp_path, span_for("year", TODAY))
    assert ("The two points are your one finished session, before and after; the shading is "
            "the change.") in whole
    assert "The point is the change in your one finished session;" in whole
    assert "The point is your one Self-energy check-in." in whole
    assert "in all" not in whole and "average of one week" not in whole


def test_the_report_states_what_the_averages_leave_out(journal, tmp_path):
    from app.core.progress_text import EXCLUSIONS
    write(journal, THE_WEEK)
    _, whole = pdf_text(journal, tmp_path, span_for("week", TODAY))
    assert EXCLUSIONS in whole
