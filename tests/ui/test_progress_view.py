"""The Progress page: a kind empty state, charts with data, range switching, streaks only
when asked for, accessible controls, and the PDF export button's path."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication

from app.storage.preferences import Preferences
from app.core.trends import Span, custom_range_problem
from app.storage.demo import fill_demo
from app.storage.journal import Journal
from app.ui.context import AppContext
from app.ui.progress.view import ProgressView
from app.ui.common.theme import LIGHT, stylesheet
from tests.support.journal import OnJournalThread
from tests.ui.test_accessibility import check_view

TODAY = date.today()
LOAD_MS = 15_000


def make_context(tmp_path, years: float = 0.0, **prefs) -> AppContext:
    path = tmp_path / "journal.db"
    if years:
        journal = Journal(path)
        fill_demo(journal, years=years, seed=2, end=TODAY)
        journal.close()
    return AppContext([], [], Preferences(**prefs), journal_path=str(path))


@pytest.fixture
def open_view(qtbot):
    QApplication.instance().setStyleSheet(stylesheet(LIGHT))
    made: list[tuple[ProgressView, AppContext]] = []

    def make(context: AppContext, preset: str = "month", size=(1080, 800)) -> ProgressView:
        view = ProgressView(context, today=TODAY, preset=preset)
        qtbot.addWidget(view)
        view.resize(*size)
        with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
            view.show()
        made.append((view, context))
        return view

    yield make
    for view, context in made:
        qtbot.waitUntil(lambda: view.result is not None, timeout=LOAD_MS)
        if context._journal is not None:
            context._journal.close()


def choose(qtbot, view: ProgressView, preset: str) -> None:
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.ranges.buttons[preset].click()


def test_a_new_person_sees_a_kind_empty_state(open_view, tmp_path):
    view = open_view(make_context(tmp_path))
    assert view.stack.currentWidget() is view.empty
    text = view.empty_text.text()
    assert text.startswith("Your progress will appear here after your first practice")
    assert not any(word in text.lower() for word in ("streak", "missed", "should"))
    assert not view.export_button.isEnabled()


def test_with_data_the_figures_and_charts_fill_in(qtbot, open_view, tmp_path):
    context = make_context(tmp_path, years=0.3)
    view = open_view(context)
    progress = view.result.progress
    assert view.stack.currentWidget() is view.content
    start = (TODAY - timedelta(days=29)).isoformat()
    expected = len(OnJournalThread(qtbot, context.journal).sessions(start, TODAY.isoformat()))
    assert progress.summary.sessions == expected > 0
    assert view.figures["sessions"].value.text() == str(expected)
    assert "→" in view.figures["intensity"].value.text()
    assert view.status.text().startswith("The last 30 days")
    # a month shows each session, however it ended: one mark each, no averaged lines
    intensity = view.charts.charts["intensity"]
    assert len(intensity.marks) == len(progress.sessions) and not intensity.lines
    assert view.charts.views["sessions"].accessibleDescription()
    assert view.body_card.figure.heat and view.body_card.table.rowCount() == len(progress.heat)
    assert view.export_button.isEnabled()


def test_switching_ranges_changes_what_is_shown(qtbot, open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.3))
    choose(qtbot, view, "week")
    assert view.result.progress.span == Span(TODAY - timedelta(days=6), TODAY)
    assert view.status.text().startswith("The last 7 days")
    choose(qtbot, view, "all")
    progress = view.result.progress
    assert progress.bucket == "week" and view.status.text().startswith("Everything so far")
    intensity = view.charts.charts["intensity"]
    assert intensity.lines and not intensity.marks           # weekly averages as lines
    assert not view.ranges.start.isVisible()


def test_a_custom_range(qtbot, open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.3))
    first, last = TODAY - timedelta(days=60), TODAY - timedelta(days=20)
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.ranges.buttons["custom"].click()
    assert view.ranges.start.isVisible() and view.ranges.end.isVisible()
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.set_range("custom", (first, last))
    assert view.result.progress.span == Span(first, last)


def test_a_range_with_nothing_in_it_says_so_gently(qtbot, open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.1))
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.set_range("custom", (date(2001, 1, 1), date(2001, 1, 31)))
    assert view.range_note.isVisible() and "that is fine" in view.range_note.text()
    assert not view.charts.isVisible() and not view.helps_card.isVisible()


def test_no_streak_unless_switched_on(open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.2))
    assert view.result.progress.streak is None
    assert not view.figures["streak"].isVisible()
    assert "in a row" not in view.summary.text()


def test_the_streak_shows_when_switched_on(open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.2, show_streaks=True))
    assert view.result.progress.streak is not None
    assert view.figures["streak"].isVisible()
    assert view.figures["streak"].detail.text()


def test_every_control_has_a_name_and_a_tab_stop(qtbot, open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.1))
    check_view(view, view, "progress")
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.ranges.buttons["custom"].click()
    check_view(view, view, "progress, custom range")


def test_narrow_windows_get_one_chart_per_row(open_view, tmp_path, qtbot):
    view = open_view(make_context(tmp_path, years=0.1), size=(700, 560))
    assert view.charts.columns == 1
    view.resize(1080, 800)
    qtbot.waitUntil(lambda: view.charts.columns == 2)


def test_fresh_numbers_when_the_page_is_shown_again(qtbot, open_view, tmp_path):
    context = make_context(tmp_path)
    view = open_view(context)
    journal = OnJournalThread(qtbot, context.journal)
    sid = journal.start_session("unblending", "Unblending")
    journal.end_session(sid, "completed")
    view.hide()
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.show()
    assert view.result.progress.summary.sessions == 1


def test_only_the_latest_range_is_shown(qtbot, open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.3))
    view.ranges.buttons["all"].click()
    view.ranges.buttons["week"].click()
    qtbot.waitUntil(lambda: view.result.preset == "week", timeout=LOAD_MS)
    qtbot.wait(200)                                     # a late "all" must not replace it
    assert view.result.preset == "week"


def test_an_in_memory_journal_loads_on_the_journal_thread(qtbot, open_view):
    context = AppContext([], [], Preferences(), journal_path=":memory:")
    journal = OnJournalThread(qtbot, context.journal)
    context.journal.read(lambda j: fill_demo(j, years=0.1, seed=4, end=TODAY))
    view = open_view(context, preset="all")
    assert view.result.progress.summary.sessions == journal.counts()["sessions"] > 0


def test_a_body_mark_elsewhere_refreshes_the_view(qtbot, open_view, tmp_path):
    from app.core.records import BodyMark
    from app.qt.journal_service import Table
    context = make_context(tmp_path)
    view = open_view(context)
    assert view.stack.currentWidget() is view.empty
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):      # e.g. the quick body check-in
        context.journal.write(lambda j: j.add_body_mark(BodyMark("front", "throat", 4)),
                              Table.BODY_MARKS)
    assert view.result.progress is not None and view.result.progress.heat


def test_export_report_from_the_view(qtbot, open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.1))
    out = tmp_path / "report.pdf"
    with qtbot.waitSignal(view.exported, timeout=30_000) as said:
        view.export_report(out)
    assert said.args[0].startswith("Saved the report") and str(out) in said.args[0]
    assert out.read_bytes().startswith(b"%PDF")
    assert out.stat().st_mode & 0o777 == 0o600
    assert view.export_button.isEnabled()


def test_a_start_after_the_end_is_refused_with_a_plain_note(qtbot, open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.1))
    shown = view.result.progress.span
    first, last = TODAY - timedelta(days=5), TODAY - timedelta(days=20)
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.set_range("custom", (first, last))
    assert view.ranges.note.isVisible()
    assert view.ranges.note.text() == custom_range_problem(first, last, TODAY)
    assert view.ranges.note.text().startswith("The start date (")
    assert view.result.progress.span == shown                  # nothing swapped, nothing lost
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):       # mending it loads the range
        view.ranges.start.setDate(QDate(last.year, last.month, last.day))
    assert not view.ranges.note.isVisible()
    assert view.result.progress.span == Span(last, last)


def test_future_dates_are_refused_and_drawn_faint(qtbot, open_view, tmp_path):
    view = open_view(make_context(tmp_path, years=0.1))
    later = TODAY + timedelta(days=3)
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.set_range("custom", (TODAY - timedelta(days=3), later))
    assert view.ranges.note.text() == custom_range_problem(TODAY, later, TODAY)
    assert "has not come yet" in view.ranges.note.text()
    assert view.result.progress.span.end <= TODAY


def test_a_page_left_open_past_midnight_follows_the_new_day(qtbot, tmp_path):
    """The page was opened late in the evening and stays open: after midnight the new day is
    no longer 'after today', and a week ends on it."""
    days = [TODAY - timedelta(days=1)]
    context = make_context(tmp_path, years=0.1)
    view = ProgressView(context, preset="month", clock=lambda: days[0])
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.show()
    days[0] = TODAY                                            # midnight passes
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        view.set_range("custom", (TODAY - timedelta(days=3), TODAY))
    assert not view.ranges.note.isVisible()
    assert view.result.progress.span == Span(TODAY - timedelta(days=3), TODAY)
    choose(qtbot, view, "week")
    assert view.result.progress.span == Span(TODAY - timedelta(days=6), TODAY)
    calendar = view.ranges.end.calendarWidget()
    assert calendar.clock() == TODAY
    context.journal.close()


def test_the_calendar_uses_the_apps_palette(open_view, tmp_path):
    view = open_view(make_context(tmp_path))
    calendar = view.ranges.start.calendarWidget()
    for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
        assert calendar.weekdayTextFormat(day).foreground().color().name() == LIGHT.text
    style = calendar.styleSheet()
    assert f"selection-background-color: {LIGHT.accent}" in style
    assert "#qt_calendar_navigationbar" in style and LIGHT.surface in style


def test_tab_lands_on_the_chosen_range_and_the_arrows_move_it(qtbot, open_view, tmp_path):
    """The range buttons are one Tab stop, as a radio group is: Tab lands on the range that is
    chosen (Qt gives the stop to the first button, "Last week", whatever is chosen)."""
    view = open_view(make_context(tmp_path, years=0.3))
    view.activateWindow()
    view.export_button.setEnabled(True)
    view.export_button.setFocus()
    qtbot.keyClick(view.export_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.ranges.buttons["month"]
    with qtbot.waitSignal(view.loaded, timeout=LOAD_MS):
        qtbot.keyClick(view.ranges.buttons["month"], Qt.Key.Key_Right)
    assert view.ranges.preset() == "year"
    assert QApplication.focusWidget() is view.ranges.buttons["year"]
    view.export_button.setFocus()
    qtbot.keyClick(view.export_button, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is view.ranges.buttons["year"]
