"""The window's way out: what is kept, written and asked before it closes, whether the person
closes it or the system does (log-out, shutdown, Ctrl+C). MainWindow's base, kept apart to
keep that module readable."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QMainWindow

from app.ui.window_geometry import geometry_bytes

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.ui.context import AppContext
    from app.ui.library.yours import YourPractices
    from app.ui.session.view import SessionView


class ClosingWindow(QMainWindow):
    """MainWindow provides what is declared here."""
    context: "AppContext"
    session: "SessionView | None"
    made_your_practices: "Callable[[], YourPractices | None]"   # set by connect_your_practices
    _system_quit: bool              # the system asked (SIGTERM…): no questions while closing
    _keep_open_body_mark: "Callable[[], None]"

    def close_for_system(self, reason: str) -> None:
        """Log-out, shutdown or Ctrl+C: close as the person would, without asking (nobody may
        be there to answer); waiting writes are still tried once more as the journal closes."""
        import logging
        logging.getLogger("securebase").info("Asked to quit (%s): closing calmly", reason)
        self._system_quit = True
        self.close()

    def add_quit_key(self) -> None:
        """Ctrl+Q, the Linux desktops' Quit key, closes the window as its close button does,
        in a practice too (a keyboard-only walk found it did nothing). Named, not Qt's
        StandardKey.Quit, which some platforms (offscreen) leave unbound."""
        from PySide6.QtGui import QKeySequence, QShortcut
        shortcut = QShortcut(QKeySequence("Ctrl+Q"), self)
        shortcut.activated.connect(self.close)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        from app.ui.common.unsaved import may_close
        yours = self.made_your_practices()
        if not self._system_quit and yours is not None and not yours.may_close():
            event.ignore()
            return
        if self._system_quit and yours is not None:
            yours.keep_unsaved()            # no one to ask: the words are kept, not lost
        # A half-filled mark, here or in the practice, is written before the person is asked
        # about what is not saved: on a full disk it waits like any other write, and the
        # question offers to copy its note (asked first, it was tried once at close, and lost).
        self._keep_open_body_mark()
        if self.session is not None:
            self.session.keep_open_mark()
        if not self._system_quit:
            self.context.journal.finish_writes()
            if not may_close(self, self.context.journal):
                event.ignore()
                return
        if self.session is not None:
            self.session.shutdown()
        self.context.remember_window_geometry(geometry_bytes(self))
        self.context.journal.close()
        super().closeEvent(event)
