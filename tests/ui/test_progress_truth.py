"""The Progress page on known journals: the exact sentences and figures, every session drawn
and marked by how it ended (an equal before and after both visible), ticks under the right
days, the partial first week, a heat map whose key makes one busy area show on either figure,
the same as a table for the keyboard, and "what helps" in careful words."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QPointF
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication

from app.core import body
from app.core import progress_text as words
from app.storage.journal import Journal
from app.storage.preferences import Preferences
from app.ui.common.chart_paint import BEFORE_SCALE, hit
from app.ui.common.chart_style import SCREEN_COLOURS
from app.ui.common.theme import LIGHT, stylesheet
from app.ui.context import AppContext
from tests.support.journal import close_context
from app.ui.progress.view import ProgressView
from tests.support.known import FIRST_DAY_OF_YEAR, THE_WEEK, TODAY, write

LOAD_MS = 15_000


@pytest.fixture
def show(qtbot, tmp_path):
    QApplication.instance().setStyleSheet(stylesheet(LIGHT))
    contexts: list[AppContext] = []

    def make(known, preset: str = "week", marks=()) -> ProgressView:
        path = tmp_path / f"journal-{len(contexts)}.db"
        journal = Journal(path)
        write(journal, known)
        for view, region, n in marks:
            journal.db.conn.executemany(
                "INSERT INTO body_marks (at, view, region, intensity, x, y) VALUES "
                "(?, ?, ?, 5, 0.5, 0.5)", [(f"{TODAY}T09:00:00+01:00", view, region)] * n)
        journal.db.conn.commit()
        journal.close()
        context = AppContext([], [], Preferences(), journal_path=str(path))
        contexts.append(context)
        view = ProgressView(context, today=TODAY, preset=preset)
        qtbot.addWidget(view)
        view.resize(1280, 900)
        with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
            view.show()
        return view

    yield make
    for context in contexts:
        close_context(context)


def render(widget) -> QImage:
    image = QImage(widget.size(), QImage.Format.Format_ARGB32)
    image.fill(QColor(LIGHT.surface))
    widget.render(image)
    return image


def test_the_week_says_what_it_counts(show):
    view = show(THE_WEEK)
    assert view.summary.text() == (
        "6 sessions (4 finished, 1 grounded, 1 stopped early) on 5 days. On average, "
        "intensity eased from 5.5 before practice to 4.0 after in the 4 finished sessions. "
        "Not in the average, but shown with their own marks: 1 grounded, 1 stopped early. "
        "Self-energy (calm, curiosity, compassion and the other C's) averaged 5.0 of 10 over "
        "2 check-ins.")
    figures = {k: (f.value.text(), f.detail.text()) for k, f in view.figures.items()}
    assert figures["sessions"] == ("6", "4 finished, 1 grounded, 1 stopped early · on 5 days")
    assert figures["intensity"] == ("5.5 → 4.0", "of 10, average of the 4 finished sessions")
    assert figures["shift"] == ("−1.5", "eased, in the 4 finished sessions")
    assert view.charts.captions["change"].text().endswith(
        "1 session without both check-ins is not in this chart.")


def test_one_session_is_not_called_an_average(show):
    """It said "On average, intensity eased from 7.0 before practice to 4.0 after in the one
    finished session" under "Average change", and "averaged … over 1 check-in"."""
    view = show(THE_WEEK[:1])
    assert view.summary.text() == (
        "1 session (finished) on 1 day. In your one finished session, intensity eased from 7 "
        "to 4. Self-energy (calm, curiosity, compassion and the other C's) was 5.0 of 10, "
        "from one check-in.")
    shift = view.figures["shift"]
    assert (shift.title.text(), shift.value.text(), shift.detail.text()) == (
        "Change", "−3", "eased, in the one finished session")
    assert shift.accessibleName() == "Change"
    assert view.figures["intensity"].value.text() == "7 → 4"
    assert view.figures["energy"].detail.text() == "of 10, from one check-in"


def test_one_session_in_a_year_of_weeks_is_not_called_an_average(show):
    """The captions said "Each point is the average of one week's finished sessions (1 in
    all)" and "… average Self-energy of one week's check-ins (1 check-in in all)"."""
    view = show(THE_WEEK[:1], preset="year")
    captions = {k: c.text() for k, c in view.charts.captions.items()}
    assert captions["intensity"].startswith("The two points are your one finished session, "
                                            "before and after;")
    assert captions["change"] == ("The point is the change in your one finished session; "
                                  "below the line, intensity eased.")
    assert captions["energy"].startswith("The point is your one Self-energy check-in.")
    assert not any("average" in c.lower() for c in captions.values())


def test_every_session_is_drawn_under_its_own_day(show):
    view = show(THE_WEEK)
    widget = view.charts.views["intensity"]
    render(widget)                                            # paints: fits the labels
    chart, frame = widget.drawn
    assert [(t.day, t.label) for t in chart.x.ticks] == [
        (date(2026, 11, d), f"{d} Nov") for d in range(23, 30)]
    assert [m.outcome for m in chart.marks] == ["finished", "finished", "grounded", "finished",
                                               "stopped", "finished"]
    today = next(t for t in chart.x.ticks if t.day == TODAY)
    label_x = frame.x(today.at)
    sunday = [frame.x(m.x) for m in chart.marks if m.text.startswith("Sun")]
    band = (frame.x(6), frame.x(7))                            # today's band, in pixels
    assert len(sunday) == 2 and band[0] < sunday[0] < label_x < sunday[1] < band[1]
    # the tooltip names the session under the pointer
    stopped = chart.marks[4]
    assert hit(chart, frame, frame.point(stopped.x, stopped.before)) == stopped.text


def test_equal_before_and_after_are_both_visible(show):
    view = show(THE_WEEK)
    widget = view.charts.views["intensity"]
    image = render(widget)
    chart, frame = widget.drawn
    equal = chart.marks[3]                                    # 27 November: 5 → 5
    assert equal.before == equal.after == 5
    centre = frame.point(equal.x, 5)
    colour = QColor(SCREEN_COLOURS["light"]["finished"])

    def near(x: float, y: float) -> bool:
        pixel = image.pixelColor(round(x), round(y))
        return abs(pixel.red() - colour.red()) + abs(pixel.green() - colour.green()) < 40

    assert near(centre.x(), centre.y())                       # the filled "after" dot
    ring = 3.6 * BEFORE_SCALE                                 # the hollow "before" around it
    assert any(near(centre.x() + ring + d, centre.y()) for d in (-1, -0.5, 0, 0.5))
    between = image.pixelColor(round(centre.x() + 4.8), round(centre.y()))
    assert between.lightness() > 200                          # the gap shows: two marks


def test_a_year_draws_the_partial_first_week_as_one_day_and_says_so(show):
    view = show(FIRST_DAY_OF_YEAR + THE_WEEK, preset="year")
    assert view.charts.captions["sessions"].text() == (
        "Sessions each week, by how they ended. The first bar covers only 1 day of its week "
        "(30 November 2025).")
    widget = view.charts.views["sessions"]
    render(widget)
    chart, frame = widget.drawn
    first = chart.bars[0]
    assert (first.x0, first.x1, first.total) == (0.0, 1.0, 1)
    assert frame.x(first.x1) - frame.x(first.x0) < frame.plot.width() / 300
    assert all(t.day.day == 1 for t in chart.x.ticks)          # months or quarters
    assert chart.x.ticks[0].label.endswith("2025") or chart.x.ticks[0].label.endswith("2026")


def test_one_busy_area_on_the_back_shows_beside_a_busier_front(show):
    view = show([], preset="week", marks=[("front", "heart-area", 290),
                                          ("back", "upper-back-left", 65)])
    card = view.body_card
    assert card.key.key.labels == ("1–2 times", "3–9 times", "10–29 times", "30–99 times",
                                   "100–290 times")
    image = render(card.figure)
    transform = card.figure._transforms["back"]

    def shade(view_name: str, region: str) -> QColor:
        polygon = next(r.polygon for r in body.regions(view_name) if r.id == region)
        x = sum(p[0] for p in polygon) / len(polygon)
        y = sum(p[1] for p in polygon) / len(polygon)
        point = card.figure._transforms[view_name].map(QPointF(x, y))
        return image.pixelColor(round(point.x()), round(point.y()))

    busy, quiet = shade("back", "upper-back-left"), shade("back", "upper-back-right")
    assert transform is not None
    assert quiet.blue() - busy.blue() > 40 and quiet.green() - busy.green() > 40  # shaded


def test_the_heat_map_as_a_table_for_the_keyboard(qtbot, show):
    view = show(THE_WEEK)
    table = view.body_card.table
    rows = [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]
    assert rows == [["Throat", "front", "2", "5.5", "only a few times"],
                    ["Left upper back, shoulder blade", "back", "1", "4", "only a few times"]]
    # one mark has no average: the column is "Intensity", and an average says so itself
    # (it was headed "Average (0–10)" over the one mark's 4)
    header = table.horizontalHeaderItem(3)
    assert header.text() == "Intensity (0–10)" and "average" in header.toolTip()
    assert [table.item(r, 3).toolTip() for r in range(2)] == ["average 5.5 of 10", ""]
    assert table.accessibleName() == "Every area noticed in this range, as a table"
    view.body_card.measure_buttons["intensity"].click()
    assert view.body_card.key.key.labels == ("0–1.9", "2–3.9", "4–5.9", "6–7.9", "8–10")
    assert "how strongly" in view.body_card.caption.text()


def test_what_helps_in_careful_words(show):
    view = show(THE_WEEK)
    practices = view.helps_card.groups["practices"][1].text()
    assert practices.split("\n\n") == [
        "Unblending — 2 finished sessions with a before and an after so far: too few to say "
        "what tends to happen (about 5 are needed). Of its 4 sessions, 1 ended in grounding "
        "and 1 was stopped early.",
        "Building Self-energy — 2 finished sessions with a before and an after so far: too "
        "few to say what tends to happen (about 5 are needed)."]
    assert not view.helps_card.groups["practices"][2].isVisible()   # no chart without a claim
    parts = view.helps_card.groups["parts"][1].text()
    assert parts.startswith("Little One came up in 1 session.")
    assert "works" not in practices + parts
    assert view.helps_card.energy_text.text() == (
        "Too few Self-energy check-ins in this range to compare its two halves.")


def test_the_empty_journal_page_is_kind(show):
    view = show([])
    assert view.stack.currentWidget() is view.empty
    assert view.empty_text.text() == words.EMPTY_JOURNAL


def test_a_narrow_window_wraps_the_key_and_stacks_what_helps(qtbot, show):
    view = show([], preset="week", marks=[("front", "heart-area", 290),
                                          ("back", "upper-back-left", 65)])
    key = view.body_card.key
    wide = key.minimumHeight()
    key.resize(240, key.height())
    qtbot.waitUntil(lambda: key.minimumHeight() > wide)       # the classes wrap onto lines
    view.resize(700, 560)
    qtbot.waitUntil(lambda: view.helps_card.columns == 1)
    assert view.helps_card.rows.columnStretch(1) == 0         # no empty column beside
