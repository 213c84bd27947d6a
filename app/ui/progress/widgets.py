"""Pieces of the progress view that are not charts: the range bar with its date chooser, the
key figures and the card each section sits in."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, QRect, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QTextCharFormat
from PySide6.QtWidgets import (
    QButtonGroup, QCalendarWidget, QDateEdit, QFrame, QHBoxLayout, QLabel, QPushButton,
    QVBoxLayout, QWidget,
)

from app.core.trends import Preset, custom_range_problem
from app.ui.common.theme import Palette
from app.ui.common.widgets import card, label, tab_stop_on_choice


def as_date(day: QDate) -> date:
    """QDate.toPython(), typed (PySide's stubs say it returns object)."""
    return date(day.year(), day.month(), day.day())

RANGE_BUTTONS: tuple[tuple[Preset, str, str], ...] = (
    ("week", "Last week", "Show the last 7 days"),
    ("month", "Last month", "Show the last 30 days"),
    ("year", "Last year", "Show the last 12 months"),
    ("all", "All time", "Show everything recorded so far"),
    ("custom", "Choose dates…", "Choose your own start and end dates"),
)


class GentleCalendar(QCalendarWidget):
    """The date chooser's month view in the app's palette: no red weekends, the chosen day in
    the accent colour, and days after today drawn faint (choosing one says why it cannot be
    shown)."""

    def __init__(self, clock: Callable[[], date], palette: Palette,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.clock = clock                  # asked at each paint: open past midnight is fine
        self.palette_ = palette
        self.setGridVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        plain = QTextCharFormat()
        plain.setForeground(QColor(palette.text))
        for day in (Qt.DayOfWeek.Saturday, Qt.DayOfWeek.Sunday):
            self.setWeekdayTextFormat(day, plain)
        header = QTextCharFormat()
        header.setForeground(QColor(palette.muted))
        self.setHeaderTextFormat(header)
        self.setStyleSheet(calendar_style(palette))

    def paintCell(self, painter: QPainter, rect: QRect, day: QDate) -> None:  # noqa: N802
        if as_date(day) <= self.clock():
            super().paintCell(painter, rect, day)
            return
        painter.save()
        painter.setPen(QColor(self.palette_.border))
        painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(day.day()))
        painter.restore()


def calendar_style(p: Palette) -> str:
    return (f"QCalendarWidget QWidget#qt_calendar_navigationbar {{ background: {p.surface}; }}"
            f"QCalendarWidget QToolButton {{ color: {p.text}; background: transparent; "
            f"border: none; padding: 4px 8px; font-weight: 600; }}"
            f"QCalendarWidget QToolButton:hover {{ background: {p.soft}; border-radius: 6px; }}"
            f"QCalendarWidget QMenu {{ background: {p.surface}; color: {p.text}; }}"
            f"QCalendarWidget QSpinBox {{ background: {p.surface}; color: {p.text}; }}"
            f"QCalendarWidget QAbstractItemView {{ background: {p.surface}; color: {p.text}; "
            f"selection-background-color: {p.accent}; selection-color: {p.accent_text}; "
            f"outline: none; }}"
            f"QCalendarWidget QAbstractItemView:disabled {{ color: {p.border}; }}")


class RangeBar(QWidget):
    """Segmented buttons for the presets; two date fields appear for a custom range, with a
    plain note (never a silent swap) when the dates cannot be shown."""

    changed = Signal(str, object)                     # preset, (start, end) for custom or None

    def __init__(self, clock: Callable[[], date], palette: Palette,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.clock = clock                  # asked each time: the page may stay open past midnight
        today = clock()
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        column.addLayout(row)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QPushButton] = {}
        for preset, text, accessible in RANGE_BUTTONS:
            b = QPushButton(text)
            b.setCheckable(True)
            b.setProperty("role", "chip")
            b.setAccessibleName(accessible)
            self.group.addButton(b)
            self.buttons[preset] = b
            row.addWidget(b)
            b.clicked.connect(lambda _=False, p=preset: self._chosen(p))
        self.start = self._date_edit("Custom range start", today.replace(day=1), palette)
        self.end = self._date_edit("Custom range end", today, palette)
        self.to_label = label("to", "muted", wrap=False)
        for w in (self.start, self.to_label, self.end):
            row.addWidget(w)
        row.addStretch(1)
        self.note = label("", "muted")
        self.note.setAccessibleName("About the chosen dates")
        self.note.hide()
        column.addWidget(self.note)
        self.start.dateChanged.connect(lambda _: self._custom_changed())
        self.end.dateChanged.connect(lambda _: self._custom_changed())
        self.select("month")
        tab_stop_on_choice(self.group)

    def _date_edit(self, name: str, day: date, palette: Palette) -> QDateEdit:
        edit = QDateEdit(QDate(day.year, day.month, day.day))
        edit.setCalendarPopup(True)
        edit.setCalendarWidget(GentleCalendar(self.clock, palette))
        edit.setDisplayFormat("d MMM yyyy")
        edit.setAccessibleName(name)
        return edit

    def preset(self) -> str:
        return next(p for p, b in self.buttons.items() if b.isChecked())

    def custom(self) -> tuple[date, date]:
        return (as_date(self.start.date()), as_date(self.end.date()))

    def problem(self) -> str | None:
        """Why the chosen dates cannot be shown, or None (always None for a preset)."""
        if self.preset() != "custom":
            return None
        return custom_range_problem(*self.custom(), self.clock())

    def select(self, preset: str) -> None:
        """Check a preset without announcing it (the view decides when to load)."""
        self.buttons[preset].setChecked(True)
        for w in (self.start, self.to_label, self.end):
            w.setVisible(preset == "custom")
        self._show_problem()

    def _show_problem(self) -> str | None:
        problem = self.problem()
        self.note.setText(problem or "")
        self.note.setVisible(problem is not None)
        return problem

    def _chosen(self, preset: str) -> None:
        self.select(preset)
        if self.problem() is None:
            self.changed.emit(preset, self.custom() if preset == "custom" else None)

    def _custom_changed(self) -> None:
        if self.preset() == "custom" and self._show_problem() is None:
            self.changed.emit("custom", self.custom())


class Figure(QFrame):
    """One key number with a short explanation beneath it."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "card")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.setSpacing(2)
        self.title = label(title, "muted", wrap=False)
        self.value = QLabel("–")
        self.value.setStyleSheet("font-size: 20pt; font-weight: 600;")
        self.detail = label("", "muted")
        for w in (self.title, self.value, self.detail):
            layout.addWidget(w)
        layout.addStretch(1)                  # values line up across cards of one row
        self.setAccessibleName(title)

    def set(self, value: str, detail: str, title: str | None = None) -> None:
        """`title`: a new heading when the number changes kind ("Average change" over many
        sessions, "Change" for one, which has no average)."""
        if title is not None:
            self.title.setText(title)
            self.setAccessibleName(title)
        self.value.setText(value)
        self.detail.setText(detail)
        self.setAccessibleDescription(f"{value}. {detail}")


def section(title: str, caption: str = "") -> tuple[QFrame, QVBoxLayout, QLabel]:
    """A card with a heading and a one-line caption (kept for updating)."""
    frame, layout = card()
    heading = label(title, wrap=False)
    heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
    layout.addWidget(heading)
    note = label(caption, "muted")
    layout.addWidget(note)
    return frame, layout, note  # type: ignore[return-value]
