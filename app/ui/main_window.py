"""The main window: a calm sidebar and one view at a time."""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout, QMainWindow, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)
from typing import TYPE_CHECKING, cast

from app.ui.context import AppContext
from app.ui.library.view import LibraryView
from app.ui.common.theme import stylesheet
from app.ui.common.widgets import label, message
from app.ui.window_geometry import place_window
from app.ui.window_closing import WindowClosing

# After the first paint, wait this long before preparing the voice (the window settles first).
VOICE_IDLE_MS = 1500

if TYPE_CHECKING:
    from app.qt.guidance_audio import GuidanceAudio
    from app.core.practice import Practice
    from app.core.records import CheckIn, SessionRecord
    from app.qt.journal_service import JournalService
    from collections.abc import Callable
    from app.ui.common.journal_notice import JournalNotice
    from app.ui.body.page import BodyPage
    from app.ui.help.view import HelpView
    from app.ui.library.about import AboutView
    from app.ui.session.view import SessionView
    from app.ui.library.yours import YourPractices
    from app.qt.mpris import MprisService
    from app.ui.library.left_practice import LeftPractice
# QMessageBox and Qt are imported where used: each PySide6 class with many enums costs
# milliseconds at import (Qt's ~93 enums ~15 ms), and the first paint should not wait for it.


class MainWindow(QMainWindow):
    session_started = Signal(object)        # the SessionView (media keys follow it)
    session_ended = Signal()
    media_keys: "MprisService | None" = None   # the sound menu's entry (app.ui.app)
    made_your_practices: "Callable[[], YourPractices | None]"   # set by connect_your_practices

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self._voice_warmup: "GuidanceAudio | None" = None
        self.closing = WindowClosing(self, self)   # its way out: window_closing.py
        self.setWindowTitle("Secure Base")
        self.setStyleSheet(stylesheet(context.palette))
        place_window(self, context.saved_window_geometry())
        central = QWidget()
        self.setCentralWidget(central)
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)

        self.sidebar = QWidget()
        self.sidebar.setFixedWidth(200)
        self.sidebar.setObjectName("sidebar")
        side = QVBoxLayout(self.sidebar)
        side.setContentsMargins(16, 24, 16, 16)
        side.setSpacing(6)
        brand = label("Secure Base", wrap=False)
        brand.setStyleSheet("font-size: 16pt; font-weight: 600; padding-bottom: 16px;")
        side.addWidget(brand)
        self.nav: dict[str, QPushButton] = {}
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._add_nav_button("practices", "Practices", side)
        self._page_factories = {"body": ("Body check-in", self._make_body_page),
                                "progress": ("Progress", self._make_progress_page),
                                "parts": ("Parts", self._make_parts_page),
                                "settings": ("Settings", self._make_settings_page)}
        for key, (title, _) in self._page_factories.items():
            self._add_nav_button(key, title, side)
        side.addStretch(1)
        # set apart at the foot of the sidebar, always in the same place; F1 from anywhere
        self._page_factories["help"] = ("Help now", self._make_help_page)
        self._add_nav_button("help", "Help now", side).setToolTip(
            "Grounding, and the people you can reach (F1)")
        side.addWidget(label("Everything stays on this computer.", "muted"))
        row.addWidget(self.sidebar)
        column = QVBoxLayout()
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        # every journal failure, said once and calmly, above whatever screen is showing; made
        # with the journal service, which the first paint does not wait for
        self._column = column
        self.journal_notice: "JournalNotice | None" = None
        # Told once the journal is open (run_app adds "closed unexpectedly last time").
        self.startup_notices: list[str] = []
        column.addWidget(self.stack, 1)
        row.addLayout(column, 1)
        # Made inside the stack once it is in the styled window: polished once, in its final
        # style (~3 ms, bench/startup.py), and laid out once shown, at the window's size (made
        # apart, its list was laid out on the way in too, measuring every card's texts again).
        # A cached library is drawn from its cards; its records are made after the first frame
        # (after_first_paint), or sooner if a practice is asked for (AppContext.practice).
        cards = self._first_cards = context.library_cards
        if cards is None:
            self.library = LibraryView(context.practices, context.broken, context.palette,
                                       self.stack)
        else:
            self.library = LibraryView([], [], context.palette, self.stack,
                                       cards=(cards, context.practice))
        self.pages["practices"] = self.library
        self.stack.addWidget(self.library)
        self.session: "SessionView | None" = None
        self.left_practice: "LeftPractice | None" = None     # made when a practice is left
        self.library.practice_chosen.connect(self.start_practice)
        self.library.body_check_in.connect(lambda: self.show_page("body"))
        self.library.about.connect(self.show_about)
        from app.ui.library.yours_wiring import connect_your_practices
        self.your_practices = connect_your_practices(self)   # editor, sharing: made on first use
        self.setAcceptDrops(True)                             # a shared practice, dropped
        # no restyle yet: the stylesheet, set once the window is made (app.ui.app), styles
        # every widget with its properties as they are then
        self._mark_current("practices", restyle=False)
        self.library.focus_list()
        context.when_journal_made(self._add_journal_notice)

    def _add_journal_notice(self, service: "JournalService") -> None:
        from app.ui.common.journal_notice import JournalNotice
        self.journal_notice = JournalNotice(service)
        self._column.insertWidget(0, self.journal_notice)

    # -- navigation -----------------------------------------------------------------------------

    def _add_nav_button(self, key: str, title: str, side: QVBoxLayout) -> QPushButton:
        # A plain button (not a checkable one, which screen readers call a check box); the page
        # showing is marked by `current` for the eye and by its description for the ear.
        nav_button = QPushButton(title)
        nav_button.setAccessibleName(f"Go to {title}")
        nav_button.setProperty("role", "nav")
        self.nav[key] = nav_button
        nav_button.clicked.connect(lambda: self.show_page(key))
        side.addWidget(nav_button)
        nav_button.setObjectName(f"nav-{key}")
        return nav_button

    def show_page(self, key: str) -> None:
        if key not in self.pages:
            page = self._page_factories[key][1]()      # journal reads go through the service
            self.pages[key] = page
            self.stack.addWidget(page)
        self.stack.setCurrentWidget(self.pages[key])
        self._mark_current(key)

    def _mark_current(self, key: str, restyle: bool = True) -> None:
        for name, nav_button in self.nav.items():
            current = name == key
            nav_button.setProperty("current", current)
            nav_button.setAccessibleDescription("The page showing now" if current else "")
            if restyle:     # (style() is a QStyle: its enums cost the first frame ~6 ms)
                nav_button.style().unpolish(nav_button)      # restyle for the new `current`
                nav_button.style().polish(nav_button)

    def show_about(self) -> None:
        """About these practices: a page of the library, so the sidebar stays on Practices."""
        if "about" not in self.pages:
            from app.ui.library.about import AboutView
            about = AboutView()
            about.back.connect(self._back_to_library)
            self.pages["about"] = about
            self.stack.addWidget(about)
        self.stack.setCurrentWidget(self.pages["about"])
        cast("AboutView", self.pages["about"]).focus_first()

    def _back_to_library(self) -> None:
        self.show_page("practices")
        self.library.about_button.setFocus()

    def _make_body_page(self) -> QWidget:
        from app.ui.body.page import BodyPage
        return BodyPage(self.context)

    def _make_progress_page(self) -> QWidget:
        from app.ui.progress.view import ProgressView    # loads only now
        return ProgressView(self.context)

    def _make_parts_page(self) -> QWidget:
        from app.ui.parts.view import PartsView
        return PartsView(self.context)

    def _make_help_page(self) -> QWidget:
        from app.ui.help.view import HelpView
        view = HelpView(self.context)
        view.grounding_requested.connect(self._start_grounding)
        return view

    def _start_grounding(self) -> None:
        if self.context.grounding is not None and self.session is None:
            self.start_practice(self.context.grounding)

    def show_help(self) -> None:
        """Help now (F1): the page, with the focus on starting the grounding."""
        self.show_page("help")
        cast("HelpView", self.pages["help"]).focus_first()

    def screen_key(self, event: QKeyEvent) -> bool:
        """Keys no control claimed (app.ui.common.keys): F1 opens Help now; during a practice
        its keys go to it, wherever the focus is."""
        if self.session is not None:
            return self.session.screen_key(event)
        from PySide6.QtCore import Qt
        if event.key() == Qt.Key.Key_F1:
            self.show_help()
            return True
        return False

    def _make_settings_page(self) -> QWidget:
        from app.ui.settings.view import SettingsView
        view = SettingsView(self.context)
        view.theme_changed.connect(self._apply_theme)
        return view

    def _apply_theme(self) -> None:
        """Restyle everything: the stylesheet for widgets, and the views that paint with the
        palette themselves (body map, charts, parts map) are rebuilt on their next visit."""
        self.window().setStyleSheet(stylesheet(self.context.palette))
        self.library.set_palette(self.context.palette)
        self.keep_open_body_mark()
        for key in [k for k in self.pages if k not in ("practices", "settings")]:
            page = self.pages.pop(key)
            self.stack.removeWidget(page)
            page.deleteLater()

    def keep_open_body_mark(self) -> None:
        """The Quick body check-in page is about to go: a mark half-filled there is kept."""
        if "body" in self.pages:
            cast("BodyPage", self.pages["body"]).keep_open_mark()

    # -- sessions -------------------------------------------------------------------------------

    def start_practice(self, practice: "Practice", resume: "SessionRecord | None" = None,
                       playback_rate: float = 1.0, before: "CheckIn | None" = None) -> None:
        from app.ui.session.view import SessionView
        if self._voice_warmup is not None:  # the practice's own render needs the cores now
            self._voice_warmup.cancel()
        if self.left_practice is not None:  # continued, or ended once this one starts
            self.left_practice.clear()
        session = SessionView(self.context, practice, resume, before=before,
                              playback_rate=playback_rate)
        self.session = session
        session.closed.connect(self._end_session_view)
        self.stack.addWidget(session)
        self.stack.setCurrentWidget(session)
        self.sidebar.setVisible(False)           # a quiet, focused screen while practising
        session.focus_first()
        self.session_started.emit(session)

    def _end_session_view(self) -> None:
        if self.session is None:
            return
        self.session.shutdown()
        self.stack.removeWidget(self.session)
        self.session.deleteLater()
        self.session = None
        self.session_ended.emit()
        self.sidebar.setVisible(True)
        self.show_page("practices")
        self.library.focus_list()
        if self.left_practice is None:
            from app.ui.library.left_practice import LeftPractice
            self.left_practice = LeftPractice(self)
        self.left_practice.refresh()        # left mid-way: the library offers it back

    def close_for_system(self, reason: str) -> None:
        self.closing.close_for_system(reason)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        if self.closing.may_close():
            super().closeEvent(event)
        else:
            event.ignore()

    def bring_to_front(self) -> None:
        """A second launch, or "raise" from the desktop's sound menu."""
        self.showNormal()
        self.raise_()
        self.activateWindow()

    def after_first_paint(self) -> None:
        """Open the journal on its thread (checking and backing it up); once open, say what
        recovery did and offer to resume an interrupted practice. Keys go to the focused
        control first from now on (see app.ui.app.create_app for why not before)."""
        self._make_library_records()
        from app.ui.common.keys import install_key_policy
        install_key_policy()
        self.closing.add_quit_key()
        self.context.journal.opened.connect(self._on_journal_opened)
        self.context.journal.open()
        QTimer.singleShot(VOICE_IDLE_MS, self._prepare_voice_at_idle)
        from app.qt.guidance_audio import start_voice_early
        start_voice_early(self.context.preferences)
        from app.qt.speech_cache import tidy_at_idle  # pruned well after start-up
        self.speech_cache = tidy_at_idle(self, self.context, busy=self._speech_busy)
        from app.ui.library.yours_wiring import empty_trash_later
        empty_trash_later(self)

    def _make_library_records(self) -> None:
        """The practices behind the first frame's cards, made now (or already, if one was
        chosen sooner); if they do not say what the cards drawn said (a cache edited by
        hand is rebuilt from the scripts), the library is shown again as it is."""
        cards, self._first_cards = self._first_cards, None
        if cards is None:
            return
        from app.core.library_card import card_of
        practices, broken = self.context.practices, self.context.broken
        if broken or [card_of(practice) for practice in practices] != cards:
            self.library.set_practices(practices, broken)

    def _speech_busy(self) -> bool:
        """A practice is open or the voice is being prepared: not the time to tidy."""
        warmup = self._voice_warmup
        return self.session is not None or (warmup is not None and warmup.busy)

    def _prepare_voice_at_idle(self) -> None:
        """Each practice's first step in the voice in use, while nothing else happens: Begin
        then speaks at once (bench/first_sound.py). One worker, at low priority."""
        from app.qt.player import has_sound_output
        if self.session is not None or not self.context.practices or not has_sound_output():
            return
        from app.qt.guidance_audio import GuidanceAudio, Job
        self._voice_warmup = GuidanceAudio(self.context.preferences, parent=self)
        self._voice_warmup.prepare(self.context.practices,
                                   Job(first_steps_only=True, background=True))

    def _on_journal_opened(self, notices: list[str]) -> None:
        # Said before the journal's own notices and the offer to resume: first what happened.
        for notice in [*self.startup_notices, *notices]:
            message(self, notice).exec()
        self.offer_resume()

    def offer_resume(self) -> None:
        """After a crash or close mid-practice, offer to continue where it was."""
        from app.ui.library.left_practice import unfinished
        self.context.journal.read(unfinished, on_done=lambda found: self._ask_resume(*found),
                                  owner=self)

    def _ask_resume(self, record: "SessionRecord | None", before: "CheckIn | None") -> None:
        if record is None or self.session is not None:
            return
        from app.ui.library.left_practice import step_title, stop_left
        practice = self.context.practice(record.practice_id)
        if practice is None:
            stop_left(self.context.journal, record)
            return
        step = step_title(practice, record)
        from PySide6.QtWidgets import QMessageBox
        box = message(self, f"Last time, {practice.title} was interrupted at “{step}”.",
                      "Would you like to continue from there?",
                      title="Continue where you left off?", icon=QMessageBox.Icon.NoIcon)
        go_on = box.addButton("Continue", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is go_on:
            self.start_practice(practice, resume=record, before=before)
        else:
            stop_left(self.context.journal, record)   # as stopped early, when last active

    def dragEnterEvent(self, event) -> None:
        from app.ui.library.yours_wiring import dropped_file
        if self.session is None and dropped_file(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        from app.ui.library.yours_wiring import dropped_file
        path = dropped_file(event)
        if self.session is None and path is not None:
            event.acceptProposedAction()
            self.show_page("practices")
            self.your_practices().import_file(path)


class _AfterFirstPaint(QObject):
    def __init__(self, window: QWidget, action):
        super().__init__(window)
        self.action = action
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.action)
        return False


def when_first_painted(window: QWidget, action: "Callable[[], object]") -> None:
    """Run `action` once the window's first frame is on screen."""
    _AfterFirstPaint(window, action)


def start_after_paint(window: MainWindow) -> None:
    """Open the journal and offer resume once the first frame is on screen, not before:
    opening SQLite (and importing sqlite-utils) would otherwise delay the first paint."""
    when_first_painted(window, window.after_first_paint)
