"""A practice left mid-way, offered back: at launch as a question (after a crash or a close
mid-practice), and in the library during the same run as a calm band (Continue, End it here).

Starting another practice ends the one left (JournalService.start_session), so none stays
open for good; a safety exit (Help's grounding) does not. Ending one left, here or by "Not
now", dates it when it was last active.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from app.core.practice import Practice
from app.core.records import CheckIn, SessionRecord
from app.ui.common.widgets import button, label

if TYPE_CHECKING:
    from app.qt.journal_service import JournalChange, JournalService
    from app.ui.main_window import MainWindow

Found = tuple[SessionRecord | None, CheckIn | None]


def unfinished(journal: Any) -> Found:
    """On the journal thread: the practice left unfinished, if any, and its before check-in."""
    record = journal.unfinished_session()
    before = None if record is None else next(
        (c for c in journal.checkins(record.id) if c.phase == "before"), None)
    return record, before


def step_title(practice: Practice, record: SessionRecord) -> str:
    """The step it was left at (the first, should the practice have changed since)."""
    ids = [s.id for s in practice.steps]
    return practice.step(record.current_step).title if record.current_step in ids \
        else practice.steps[0].title


def stop_left(service: "JournalService", record: SessionRecord) -> None:
    """End it as stopped early, dated when it was last active ("Not now", "End it here")."""
    from app.qt.journal_service import Table
    service.write(lambda j: j.stop_left(record.id), Table.SESSIONS,
                  what="the end of the earlier practice")


class LeftBand(QFrame):
    """"You left Unblending at “Arrive”." with Continue and End it here. No sound, no badge:
    it is there when the person looks, and gone once they choose."""
    continue_requested = Signal()
    end_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "card")
        self.setObjectName("left-practice")
        self.setAccessibleName("A practice you left")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 12, 10)
        self.message = label("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)   # titles come from scripts
        row.addWidget(self.message, 1)
        self.continue_button = button("Continue", "Continue")
        self.end_button = button("End it here", "End it here")
        for widget in (self.continue_button, self.end_button):
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignVCenter)
        self.continue_button.clicked.connect(self.continue_requested)
        self.end_button.clicked.connect(self.end_requested)
        self.hide()

    def show_left(self, practice: str, step: str) -> None:
        self.message.setText(f"You left {practice} at “{step}”.")
        self.continue_button.setAccessibleName(f"Continue {practice} at {step}")
        self.continue_button.setToolTip(f"Go on from “{step}”, with your check-in as it was")
        self.end_button.setAccessibleName(f"End {practice} here")
        self.end_button.setToolTip("It stays in your journal as stopped early")
        self.show()


class LeftPractice(QObject):
    """Keeps the library's band true to the journal: shown while a practice left this run is
    unfinished, gone once it is continued, ended, or another practice is started."""

    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window = window
        self.left: tuple[Practice, SessionRecord, CheckIn | None] | None = None
        self.band = LeftBand()
        window.library.add_band(self.band)
        self.band.continue_requested.connect(self.continue_it)
        self.band.end_requested.connect(self.end_it)
        # whoever changed the sessions (a delete of all data, say), the band follows
        window.context.journal.changed.connect(self._on_changed)

    def refresh(self) -> None:
        """Ask the journal (after every write queued so far) what is left unfinished."""
        self.window.context.journal.read(unfinished, on_done=lambda found: self._show(*found),
                                         owner=self)

    def _on_changed(self, change: "JournalChange") -> None:
        from app.qt.journal_service import Table
        if self.window.session is None and change.touches(Table.SESSIONS):
            self.refresh()

    def _show(self, record: SessionRecord | None, before: CheckIn | None) -> None:
        practice = None if record is None else self.window.context.practice(record.practice_id)
        if record is None or practice is None or self.window.session is not None:
            self.clear()
            return
        self.left = (practice, record, before)
        shown = self.band.isVisible()
        self.band.show_left(practice.title, step_title(practice, record))
        if not shown:       # the list is shorter now: keep the chosen practice in sight
            from PySide6.QtCore import QTimer
            QTimer.singleShot(0, self.window.library.show_current)

    def clear(self) -> None:
        """Gone from the library; the focus, if it was on the band, goes to the list."""
        self.left = None
        focus = self.window.focusWidget()
        had_focus = focus is not None and self.band.isAncestorOf(focus)
        self.band.hide()
        if had_focus:
            self.window.library.focus_list()

    def continue_it(self) -> None:
        """Resume as the launch offer does: at its step, paused, with its before check-in."""
        left = self.left
        self.clear()
        if left is not None and self.window.session is None:
            practice, record, before = left
            self.window.start_practice(practice, resume=record, before=before)

    def end_it(self) -> None:
        left = self.left
        self.clear()
        if left is not None:                # once: a second press finds nothing left
            stop_left(self.window.context.journal, left[1])
