"""The one place the window says that something could not be saved or read.

A calm bar across the top of the window, never a modal box: the practice goes on underneath.
It shows the JournalService's latest problem in plain words, offers "Try again" while writes
wait, and "Copy what you wrote" while text the person typed is not in the journal yet. When
everything waiting has been saved, it says so and folds itself away — but only if that is
true: once a write was refused for good, the notice says what was not saved and stays until
the person closes it.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QWidget

from app.qt.journal_service import JournalProblem, JournalService
from app.ui.common.widgets import button, label

ALL_SAVED = "Everything you recorded is saved now."
REST_SAVED = "Everything else is saved now. Not saved: {lost}."
COPIED = "Copied. You can paste it anywhere you like to keep it safe."
FOLD_AFTER_MS = 6000


class JournalNotice(QFrame):
    def __init__(self, service: JournalService, parent: QWidget | None = None):
        super().__init__(parent)
        self.service = service
        self.setProperty("role", "card")
        self.setObjectName("journal-notice")
        self.setAccessibleName("Journal notice")
        row = QHBoxLayout(self)
        row.setContentsMargins(16, 10, 12, 10)
        self.message = label("")
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setAccessibleName("Journal notice message")
        row.addWidget(self.message, 1)
        self.retry = button("Try again", "Try saving again")
        self.copy = button("Copy what you wrote", "Copy the text you wrote that is not saved "
                           "yet")
        self.close_button = button("Close", "Close this notice")
        for widget in (self.retry, self.copy, self.close_button):
            row.addWidget(widget, 0, Qt.AlignmentFlag.AlignTop)
        self.retry.clicked.connect(service.retry)
        self.copy.clicked.connect(self.copy_text)
        self.close_button.clicked.connect(self._close)
        # Writes refused for good since the person last closed the notice: while any are
        # here, "everything is saved" would not be true.
        self._lost: list[str] = []
        self._fold = QTimer(self)
        self._fold.setSingleShot(True)
        self._fold.timeout.connect(self.hide)
        service.failed.connect(self.show_problem)
        service.unsaved_changed.connect(self._on_unsaved)
        self.hide()

    def show_problem(self, problem: JournalProblem) -> None:
        self._fold.stop()
        if problem.lost is not None:
            self._lost.append(problem.lost)
        self.message.setText(problem.message)
        self.retry.setVisible(problem.unsaved > 0)
        self.copy.setVisible(problem.has_text)
        self.show()

    def copy_text(self) -> None:
        QGuiApplication.clipboard().setText(self.service.unsaved_text())
        self.message.setText(COPIED)

    def _on_unsaved(self, count: int) -> None:
        self.copy.setVisible(bool(self.service.unsaved_text()))
        self.retry.setVisible(count > 0)
        if count == 0 and self.isVisible():
            if self._lost:                  # what waited is in, but not all of it: say so
                self.message.setText(REST_SAVED.format(lost=", ".join(
                    dict.fromkeys(self._lost))))
                return
            self.message.setText(ALL_SAVED)
            self._fold.start(FOLD_AFTER_MS)

    def _close(self) -> None:
        """The person has read it: a later "everything is saved" speaks of what came after."""
        self._lost.clear()
        self.hide()
