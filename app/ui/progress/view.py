"""Progress: how practice went over a chosen range, in calm charts and plain sentences.

Imported only when the Progress page first opens. The charts are painted with the same
painter as the PDF report (app/ui/common/chart_paint.py), from records built in app.core. The
numbers come from app.qt.progress_reads (SQL sums per day and per region, shaped by
app.core.trends), run by the journal service on a worker thread with their own read-only
connection — started before the widgets are built, so both happen at once.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path

from PySide6.QtCore import QDate, Qt, QTimer, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QFileDialog, QGridLayout, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget,
)

from app.core import progress_text as words
from app.core.progress_records import Progress
from app.qt.journal_service import JournalChange, Table, plain_message
from app.qt.progress_reads import Loaded, export_report, load
from app.ui.context import AppContext
from app.ui.progress.body_card import BodyCard
from app.ui.progress.charts import ProgressCharts
from app.ui.progress.helps_card import HelpsCard
from app.ui.progress.widgets import Figure, RangeBar, section
from app.ui.common.widgets import button, label, scroll_area

TWO_COLUMNS_FROM = 940                 # px of view width; below, one chart per row
RECORDS = (Table.SESSIONS, Table.CHECKINS, Table.BODY_MARKS, Table.PARTS)   # what it shows


class ProgressView(QWidget):
    """Sentences, key figures, four trend charts, the body heat map and "what helps" for a
    chosen date range."""

    loaded = Signal()                                  # the page shows the latest range
    exported = Signal(str)                             # a sentence: where it went, or why not

    def __init__(self, context: AppContext, parent: QWidget | None = None,
                 today: date | None = None, preset: str = "month",
                 clock: Callable[[], date] = date.today):
        super().__init__(parent)
        self.context = context
        self.palette_ = context.palette
        self._today = today
        self._clock = clock
        self._token = 0
        self._layout_key: tuple[int, bool] | None = None
        self._shown_once = False
        self.result: Loaded | None = None
        self.ranges = RangeBar(lambda: self.today, self.palette_)
        self.ranges.select(preset)
        self.reload()                                  # the worker queries while we build
        self._build()
        context.journal.changed.connect(self._on_journal_changed)

    @property
    def today(self) -> date:
        return self._today or self._clock()

    # -- building --------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(32, 24, 32, 16)
        outer.setSpacing(12)
        top = QHBoxLayout()
        top.addWidget(label("Progress", "title", wrap=False))
        top.addStretch(1)
        self.export_button = button("Export report (PDF)…",
                                    "Export a PDF report to share with your therapist",
                                    tip="A printable summary of the range shown")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.ask_export)
        top.addWidget(self.export_button)
        outer.addLayout(top)
        self.ranges.changed.connect(lambda *_: self.reload())
        outer.addWidget(self.ranges)
        self.status = label(" ", "muted")
        self.status.setAccessibleDescription("Progress status")   # named by its words
        outer.addWidget(self.status)
        self.stack = QStackedWidget()
        outer.addWidget(self.stack, 1)
        self.loading = label("Gathering your progress…", "muted")
        self.loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.loading)
        self.empty = self._empty_page()
        self.stack.addWidget(self.empty)
        self.content = scroll_area(self._content())   # not `scroll`: QWidget.scroll()
        self.stack.addWidget(self.content)

    def _empty_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        frame, inner, _ = section("Nothing here yet — and that is fine")
        self.empty_text = label(words.EMPTY_JOURNAL, "subtitle")
        self.empty_text.setAccessibleName(words.EMPTY_JOURNAL)
        inner.addWidget(self.empty_text)
        column.addWidget(frame)
        column.addStretch(1)
        return page

    def _content(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 8, 0)
        column.setSpacing(14)
        # plain sentences first: what the range holds and what each number counts
        self.summary = label("")
        self.summary.setAccessibleDescription("Summary of this range")
        column.addWidget(self.summary)
        self.figures = {key: Figure(title) for key, title in (
            ("sessions", "Sessions"), ("intensity", "Intensity before → after"),
            ("shift", "Average change"), ("energy", "Self-energy"),
            ("streak", "Days in a row"))}
        self.figure_grid = QGridLayout()
        self.figure_grid.setSpacing(12)
        column.addLayout(self.figure_grid)
        self.range_note = label(words.EMPTY_RANGE, "subtitle")
        column.addWidget(self.range_note)
        self.charts = ProgressCharts(self.palette_)
        column.addWidget(self.charts)
        self.body_card = BodyCard(self.palette_)
        column.addWidget(self.body_card)
        self.helps_card = HelpsCard(self.palette_)
        column.addWidget(self.helps_card)
        column.addStretch(1)
        self._reflow()
        return page

    # -- layout that follows the window width ---------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._reflow()

    def _reflow(self) -> None:
        columns = 2 if self.width() >= TWO_COLUMNS_FROM else 1
        streaks = self.context.preferences.show_streaks
        if (columns, streaks) == self._layout_key:
            return
        self._layout_key = (columns, streaks)
        self.charts.set_columns(columns)
        self.helps_card.set_columns(columns)
        shown = [f for k, f in self.figures.items() if k != "streak" or streaks]
        per_row = len(shown) if columns == 2 else 2
        for figure in self.figures.values():
            self.figure_grid.removeWidget(figure)
            figure.setVisible(figure in shown)
        for n, figure in enumerate(shown):
            self.figure_grid.addWidget(figure, n // per_row, n % per_row)
        for n in range(len(self.figures)):             # cards of one width in the columns used
            self.figure_grid.setColumnStretch(n, int(n < per_row))

    # -- loading ---------------------------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if self._shown_once:
            self.reload()                              # back after a practice: fresh numbers
        self._shown_once = True

    def set_range(self, preset: str, custom: tuple[date, date] | None = None) -> None:
        """Show a preset (or a custom range) and load it."""
        if custom is not None:
            for edit, day in ((self.ranges.start, custom[0]), (self.ranges.end, custom[1])):
                edit.blockSignals(True)
                edit.setDate(QDate(day.year, day.month, day.day))
                edit.blockSignals(False)
        self.ranges.select(preset)
        self.reload()

    def reload(self) -> None:
        """Query the chosen range; only the latest request's answer is shown."""
        if self.ranges.problem() is not None:          # the note beside the dates says why
            if self.result is None:
                self.ranges.select("month")             # a first load needs something to show
            else:
                QTimer.singleShot(0, self.loaded.emit)
                return
        self._token += 1
        token = self._token
        preset = self.ranges.preset()
        job = partial(load, preset=preset,
                      custom=self.ranges.custom() if preset == "custom" else None,
                      today=self.today, with_streak=self.context.preferences.show_streaks)
        self.context.journal.query(job, on_done=partial(self._show, token),
                                   on_error=partial(self._failed, token), owner=self)

    def _on_journal_changed(self, change: JournalChange) -> None:
        if self.isVisible() and change.touches(*RECORDS):
            self.reload()                              # e.g. a body mark from the quick check-in

    def _failed(self, token: int, exc: BaseException) -> None:
        if token != self._token:
            return
        self.status.setText("Your progress could not be read just now. Your journal is "
                            "unchanged.")
        self.loaded.emit()

    def _show(self, token: int, result: Loaded) -> None:
        if token != self._token:
            return                                     # an older range answered late
        self.result = result
        progress = result.progress
        self.export_button.setEnabled(progress is not None)
        if progress is None:
            self.status.setText(" ")
            self.stack.setCurrentWidget(self.empty)
            self.loaded.emit()
            return
        self._reflow()                                 # the streak switch may have changed
        self.status.setText(words.range_title(result.preset, progress.span))
        self.summary.setText(words.summary_text(progress.summary))
        self.range_note.setVisible(progress.empty)
        for w in (self.charts, self.body_card, self.helps_card):
            w.setVisible(not progress.empty)
        self._fill_figures(progress)
        self.charts.fill(progress)
        self.body_card.set_data(progress.heat, progress.regions)
        self.helps_card.fill(progress.helps, progress.span, progress.bucket)
        self.stack.setCurrentWidget(self.content)
        self.loaded.emit()

    def _fill_figures(self, progress: Progress) -> None:
        for key, title, value, detail in words.key_figures(progress.summary, progress.span):
            self.figures[key].set(value, detail, title)
        if progress.streak is not None:
            run = progress.streak
            self.figures["streak"].set(
                str(run.current) if run.current >= 2 else "–",
                f"longest run: {words.plural(run.longest, 'day')}" if run.longest else
                "your run of practice days will show here")

    # -- the report ------------------------------------------------------------------------

    def ask_export(self) -> None:
        if self.result is None or self.result.progress is None:
            return
        span = self.result.progress.span
        suggested = Path.home() / f"secure-base-report-{span.start}-to-{span.end}.pdf"
        name, _ = QFileDialog.getSaveFileName(self, "Save a report for your therapist",
                                              str(suggested), "PDF files (*.pdf)")
        if name:
            self.export_report(Path(name if name.lower().endswith(".pdf") else name + ".pdf"))

    def export_report(self, out: Path) -> None:
        """Write the PDF for the range on screen, off the GUI thread."""
        from app.ui.report.pdf import render
        if self.result is None or self.result.progress is None:
            return
        span = self.result.progress.span
        self.export_button.setEnabled(False)
        self.status.setText("Preparing your report…")
        self.context.journal.query(partial(export_report, out=out, span=span, render=render),
                                   on_done=self._exported, on_error=self._export_failed,
                                   owner=self)

    def _exported(self, message: str) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(message)
        self.exported.emit(message)

    def _export_failed(self, exc: BaseException) -> None:
        self._exported(plain_message(exc))
