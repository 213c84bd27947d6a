"""The window's way out: what is kept, written and asked before it closes, whether the person
closes it or the system does (log-out, shutdown, Ctrl+C). Kept apart to keep main_window.py
readable; what it needs from the window is said in `ClosingNeeds`, not assumed of a subclass."""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from PySide6.QtWidgets import QMainWindow

from app.ui.window_geometry import geometry_bytes

if TYPE_CHECKING:
    from app.ui.context import AppContext
    from app.ui.library.yours import YourPractices
    from app.ui.session.view import SessionView


class ClosingNeeds(Protocol):
    """What closing asks of the window (MainWindow gives it)."""

    @property
    def context(self) -> "AppContext": ...

    @property
    def session(self) -> "SessionView | None": ...

    def made_your_practices(self) -> "YourPractices | None": ...   # None: never opened

    def keep_open_body_mark(self) -> None: ...       # the Quick body check-in's, if any


class WindowClosing:
    """Closes `window` calmly; `needs` says what is open in it (usually the window itself)."""

    def __init__(self, window: QMainWindow, needs: ClosingNeeds):
        self.window, self.needs = window, needs
        self.system_quit = False        # the system asked (SIGTERM…): no questions while closing

    def close_for_system(self, reason: str) -> None:
        """Log-out, shutdown or Ctrl+C: close as the person would, without asking (nobody may
        be there to answer); waiting writes are still tried once more as the journal closes."""
        import logging
        logging.getLogger("securebase").info("Asked to quit (%s): closing calmly", reason)
        self.system_quit = True
        self.window.close()

    def add_quit_key(self) -> None:
        """Ctrl+Q, the Linux desktops' Quit key, closes the window as its close button does,
        in a practice too (a keyboard-only walk found it did nothing). Named, not Qt's
        StandardKey.Quit, which some platforms (offscreen) leave unbound."""
        from PySide6.QtGui import QKeySequence, QShortcut
        shortcut = QShortcut(QKeySequence("Ctrl+Q"), self.window)
        shortcut.activated.connect(self.window.close)

    def may_close(self) -> bool:
        """For the window's closeEvent: keep, write and ask; False when the person chose to
        stay. True once everything is put away and the journal closed."""
        from app.ui.common.unsaved import may_close
        needs, context = self.needs, self.needs.context
        yours = needs.made_your_practices()
        if not self.system_quit and yours is not None and not yours.may_close():
            return False
        if self.system_quit and yours is not None:
            yours.keep_unsaved()            # no one to ask: the words are kept, not lost
        # A half-filled mark, here or in the practice, is written before the person is asked
        # about what is not saved: on a full disk it waits like any other write, and the
        # question offers to copy its note (asked first, it was tried once at close, and lost).
        needs.keep_open_body_mark()
        if needs.session is not None:
            needs.session.keep_open_mark()
        if not self.system_quit:
            context.journal.finish_writes()
            if not may_close(self.window, context.journal):
                return False
        if needs.session is not None:
            needs.session.shutdown()
        context.remember_window_geometry(geometry_bytes(self.window))
        context.journal.close()
        return True
