"""One sitting: check-in → player (with grounding always one key away) → check-out → done."""
from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget

from app.core.practice import Practice
from app.core.records import CheckIn, SessionRecord
from app.core.session import MOVABLE, SessionRunner, Snapshot, State
from app.qt.guidance_audio import GuidanceAudio
from app.qt.mpris import NowPlaying
from app.qt.player import has_sound_output
from app.qt.session_journal import SessionJournal
from app.qt.sequence import SequencePlayback, practice_items
from app.qt.session_controller import SessionController
from app.ui.session.checkin import CheckInView
from app.ui.context import AppContext
from app.ui.session.done import DoneView
from app.ui.session.grounding import GroundingView
from app.ui.session.media import MediaKeys
from app.ui.session.player import PlayerView
from app.ui.common.keys import MEDIA_KEYS, install_key_policy
from app.ui.help.card import follow_help_card
from app.ui.common.widgets import button

if TYPE_CHECKING:
    from app.ui.session.body_page import SessionBodyMap

# The Grounding practice is a safety exit: it starts without a check-in, and a practice left
# in the library stays open to continue after it (a pause, not another practice).
SAFETY_EXIT_TAGS = frozenset({"safety"})
# "← Practices" once a session is open: one action out, nothing lost (app.ui.library.left_practice)
LEAVE_KEPT = "Your place is kept: the library offers to continue from here."
NO_SOUND = ("No sound device was found, so the guidance is shown as text, with a timer paced "
            "for reading slowly.")
# Beside the grounding there is no timer: its words are there to read at the person's pace.
GROUNDING_NO_SOUND = ("No sound device was found, so the grounding is here to read, as slowly "
                      "as you like.")
GROUNDING_NO_VOICE = ("The voice isn't available just now, so the grounding is here to read, as "
                      "slowly as you like.")


class SessionView(MediaKeys, QWidget):
    closed = Signal()                       # back to the library
    now_playing = Signal(object)            # NowPlaying: what the desktop's sound menu shows

    def __init__(self, context: AppContext, practice: Practice,
                 resume: SessionRecord | None = None, *, before: CheckIn | None = None,
                 playback_rate: float = 1.0, parent: QWidget | None = None):
        """`resume`: continue that interrupted session (with its `before` check-in)."""
        super().__init__(parent)
        self.context = context
        self.practice = practice
        # every event goes to the journal the moment it happens, off the GUI thread; a
        # failed write is kept, retried and said by the window's journal notice
        safety_exit = bool(SAFETY_EXIT_TAGS.intersection(practice.tags))
        journal = SessionJournal(context.journal, ends_left=not safety_exit)
        self.runner = (SessionRunner.resume(practice, journal, resume, before)
                       if resume else SessionRunner(practice, journal))
        self.controller = SessionController(
            self.runner, context.player, playback_rate=playback_rate,
            silence_multiplier=context.preferences.silence_multiplier, parent=self)
        self.audio = GuidanceAudio(context.preferences, parent=self)
        self.grounding_playback = SequencePlayback(context.player, self)
        self._grounding_audio: dict[str, Path] = {}
        self._first_control: QWidget = self
        self._focus_before: QWidget | None = None     # where the focus was when grounding
        self.body_page: SessionBodyMap | None = None    # made when first opened
        self._marking = False                 # the body map is open
        self._paused_for_map = False
        self._kept_marks: list[str] = []    # half-filled marks kept, said at the end

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        header = QHBoxLayout()
        header.setContentsMargins(24, 12, 24, 0)
        self.leave = button("←  Practices", "Leave this practice and go back to the library")
        header.addWidget(self.leave)
        header.addStretch(1)
        self.ground_button = button("Pause && ground", "Pause and ground", "ground",
                                    "Stop the voice and ground, with help close by (Esc, F1)")
        header.addWidget(self.ground_button)
        layout.addLayout(header)
        self.pages = QStackedWidget()
        layout.addWidget(self.pages, 1)

        self.checkin = CheckInView("before", practice.title, pacing=practice.pacing)
        context.journal.read(lambda j: j.parts(), on_done=self.checkin.set_parts, owner=self)
        self.player_view = PlayerView(practice, context.preferences.volume)
        self.grounding_view = GroundingView(context.grounding)
        follow_help_card(context.journal, self.grounding_view.set_help_card, self)
        self.checkout: CheckInView | None = None
        self.done: DoneView | None = None
        for page in (self.checkin, self.player_view, self.grounding_view):
            self.pages.addWidget(page)

        self._connect()
        install_key_policy()        # Space/Enter/arrows go to the focused control first
        self._start_audio()
        if resume is None and safety_exit:
            self.runner.check_in(None)          # a safety exit starts at once (nothing stored)
        self._show(self.runner.snapshot())
        self.controller.show_unstarted_time()      # a resumed step: 0:00 and its length

    # -- wiring ---------------------------------------------------------------------------------

    def _connect(self) -> None:
        c, pv, gv = self.controller, self.player_view, self.grounding_view
        self.checkin.submitted.connect(self._on_checked_in)
        self.checkin.ground_requested.connect(self.ground)
        c.snapshot.connect(self._show)
        c.tick.connect(lambda e, t: pv.set_time(e, t, c.remaining_practice_seconds(e)))
        c.countdown.connect(pv.set_countdown)
        c.notice.connect(pv.set_notice)
        c.waiting_for_audio.connect(
            lambda waiting: pv.set_notice("Preparing the voice for this step…" if waiting
                                          else c.text_only_reason or ""))
        pv.play_pause.connect(c.toggle_play)
        pv.previous.connect(lambda: self._move(self.runner.previous_step))
        pv.next.connect(lambda: self._move(self.runner.next_step))
        pv.replay.connect(lambda: self._move(self.runner.replay))
        pv.go_to.connect(lambda i: self._move(lambda: self.runner.go_to(i)))
        pv.hold.connect(lambda: c.hold_countdown(True))
        pv.continue_on.connect(c.continue_on)
        pv.body_map.connect(self.open_body_map)
        pv.volume_changed.connect(self.context.player.set_volume)
        self.ground_button.clicked.connect(self.ground)
        self.leave.clicked.connect(self._leave)
        gv.listen_requested.connect(self._listen_to_grounding)
        gv.stop_listening.connect(self._stop_grounding_voice)
        gv.return_requested.connect(self._return_from_grounding)
        gv.end_requested.connect(self._end_by_grounding)
        self.grounding_playback.done.connect(lambda: gv.set_listening(False, "Finished."))
        self.audio.step_ready.connect(self._on_step_audio)
        # a step heard before it is fully rendered: its first sentence, then the rest
        self.audio.continuation.connect(self.context.player.continue_with)
        self.audio.progress.connect(pv.set_render_progress)
        self.audio.failed.connect(self.controller.use_text_only)
        self.audio.notice.connect(pv.set_notice)   # e.g. the natural voice is not installed
        self.audio.cue_ready.connect(c.set_cue)
        c.snapshot.connect(lambda _snap: self.publish_now_playing())
        c.countdown.connect(lambda _left: self.publish_now_playing())  # held or counting

    def screen_key(self, event: QKeyEvent) -> bool:
        """The practice's keys, for a key no focused control claims (app.ui.common.keys):
        Esc/F1 ground from every page; Space, ←/→, R and B act on the player."""
        key = event.key()
        if key in (Qt.Key.Key_Escape, Qt.Key.Key_F1):
            self.ground()
            return True
        if key in MEDIA_KEYS:
            return self._media_key(key)
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        actions: dict[int, Callable[[], None]] = {     # key() is an int; Qt.Key an IntEnum
            Qt.Key.Key_Space: self._space,
            Qt.Key.Key_Left: lambda: self._key_move(self.runner.previous_step),
            Qt.Key.Key_Right: lambda: self._key_move(self.runner.next_step),
            Qt.Key.Key_R: lambda: self._key_move(self.runner.replay),
            Qt.Key.Key_B: self._key_body,
        }
        action = actions.get(key)
        if action is None or self.pages.currentWidget() is not self.player_view:
            return False
        action()
        return True

    def _in_steps(self) -> bool:
        """A step is showing, or the body map beside it."""
        return self.pages.currentWidget() in (self.player_view, self.body_page)

    def publish_now_playing(self) -> None:
        step = self.runner.step
        self.now_playing.emit(NowPlaying(
            self.controller.playback_status(), self.practice.title, step.title,
            self.runner.index + 1, len(self.practice.steps), self.practice.id, step.id))

    def _start_audio(self) -> None:
        if not has_sound_output():
            self.player_view.no_sound_device()
            self.controller.use_text_only(NO_SOUND)
            return
        wanted = [self.practice] + ([self.context.grounding] if self.context.grounding
                                    and self.context.grounding.id != self.practice.id else [])
        self.audio.prepare(wanted)

    # -- events ---------------------------------------------------------------------------------

    def _on_step_audio(self, practice_id: str, step_id: str, path, duration: float) -> None:
        if practice_id == self.practice.id:
            self.controller.set_step_audio(step_id, path, duration)
        if practice_id == "grounding":
            self._grounding_audio[step_id] = path

    def _on_checked_in(self, intensity: int | None, energy: dict, part_id, _note: str) -> None:
        self.runner.check_in(intensity, energy, part_id)

    def _show(self, snap: Snapshot) -> None:
        state = snap.state
        if state is State.CHECK_IN:
            self._turn_to(self.checkin, self.checkin.intensity.slider)
        elif state in MOVABLE:
            self.player_view.show_snapshot(snap)
            if not self._marking:            # the body map stays until the person goes back
                self._turn_to(self.player_view, self.player_view.play_button)
        elif state is State.GROUNDING:
            # the grounding first: "Return to the practice" is one Tab away, never the default
            gv = self.grounding_view
            self._turn_to(gv, gv.listen if gv.listen.isEnabled() else gv.back)
        elif state is State.CHECK_OUT:
            self.keep_open_mark()           # written before the check-out and the end
            self._show_checkout()
        elif state is State.ENDED:
            self.keep_open_mark()
            self._show_done()
        # the end too: its words may say "grounding can help" (ground() handles it there)
        self.ground_button.setVisible(state is not State.GROUNDING)
        kept = LEAVE_KEPT if self.runner.session_id is not None and state is not State.ENDED \
            else ""
        self.leave.setAccessibleDescription(kept)
        self.leave.setToolTip(kept)

    def _turn_to(self, page: QWidget, first: QWidget) -> None:
        """Show a page with the focus on its first useful control (only when the page changes,
        so a step moving on never takes the focus from where the person left it)."""
        self._first_control = first
        if self.pages.currentWidget() is page and self.pages.isVisible():
            return
        self.pages.setCurrentWidget(page)
        self.focus_first()

    def focus_first(self) -> None:
        """Focus the first useful control of the page showing (also once the view is shown)."""
        self._first_control.setFocus(Qt.FocusReason.OtherFocusReason)

    def _show_checkout(self) -> None:
        if self.checkout is None:
            self.checkout = CheckInView("after", self.practice.title, before=self.runner.before)
            self.checkout.submitted.connect(
                lambda i, e, _p, note: self.runner.check_out(i, e, note or None))
            self.pages.addWidget(self.checkout)
        self._turn_to(self.checkout, self.checkout.intensity.slider)

    def _show_done(self) -> None:
        if self.done is None:
            note = self.runner.after.note if self.runner.after else None
            self.done = DoneView(self.practice, self.runner.shift, self.runner.outcome, note,
                                 kept_marks=self._kept_marks)
            self.done.finished.connect(self.closed)
            self.pages.addWidget(self.done)
        self._turn_to(self.done, self.done.back)

    def _move(self, action) -> None:
        if self.runner.state in MOVABLE:
            action()

    def _key_move(self, action) -> None:
        if self.pages.currentWidget() is self.player_view:
            self._move(action)

    def _space(self) -> None:
        if self.pages.currentWidget() is self.player_view:
            self.controller.toggle_play()

    def _key_body(self) -> None:
        if self.pages.currentWidget() is self.player_view:
            self.open_body_map()

    # -- the body map, a page of the practice (app.ui.session.body_page) -------------------------

    def open_body_map(self) -> None:
        """The voice pauses while the person marks (unless they chose to keep it going); either
        way the practice never moves on by itself until they are back."""
        if self.runner.state not in MOVABLE or self._marking:
            return
        if self.body_page is None:
            from app.ui.session.body_page import SessionBodyMap
            self.body_page = SessionBodyMap(self.context)
            self.body_page.back_requested.connect(self.close_body_map)
            self.pages.addWidget(self.body_page)
        goes_on = self.context.preferences.voice_during_body_map
        self._paused_for_map = not goes_on and self.controller.playback_status() == "Playing"
        if self._paused_for_map:
            self.controller.pause()
        self._marking = True
        self.controller.set_marking(True)
        self.body_page.open_for(self.runner.session_id, self.runner.step.id, goes_on)
        self._turn_to(self.body_page, self.body_page.first_control)

    def close_body_map(self) -> None:
        """Back to the practice: the voice goes on if it was paused for the map."""
        resume, self._paused_for_map = self._paused_for_map, False
        self._end_marking()
        if self.runner.state in MOVABLE:
            if resume:
                self.controller.play()
            self._turn_to(self.player_view, self.player_view.play_button)

    def _end_marking(self) -> None:
        self._marking = False
        self.controller.set_marking(False)

    def keep_open_mark(self) -> None:
        """The practice cannot come back to the body map (it ends, however it ends, or is
        left): a mark still open there keeps what the person gave, and the end screen says
        so. Grounding and "Return to the practice" keep the form open instead, to finish."""
        kept = self.body_page.map.keep_open_mark() if self.body_page is not None else None
        if kept is not None:
            self._kept_marks.append(kept)

    def ground(self) -> None:
        """Esc / Pause & ground: the voice stops at once, whatever was happening (the body
        map too: it closes, and the practice stays paused after grounding)."""
        self._focus_before = self.focusWidget()   # given back on return (the note typed…)
        if self.runner.state is State.ENDED:
            self._ground_after_end()
            return
        self._paused_for_map = False
        self._end_marking()
        if self.runner.state is not State.GROUNDING:
            self.grounding_view.said_the_voice_stopped(self.context.player.is_playing())
        self.context.player.stop()
        self.runner.ground()

    def _ground_after_end(self) -> None:
        """The session is already saved; grounding changes nothing in it and leads back to
        the end screen (or to the practices)."""
        gv = self.grounding_view
        if self.pages.currentWidget() is gv:
            return
        gv.set_after_end(True)
        gv.said_the_voice_stopped(False)
        self.ground_button.hide()
        self._turn_to(gv, gv.listen if gv.listen.isEnabled() else gv.back)

    def _listen_to_grounding(self) -> None:
        grounding = self.context.grounding
        items = practice_items(grounding, self._grounding_audio) if grounding else None
        if grounding is None or items is None:
            self.grounding_view.set_listening(False, self._why_the_grounding_is_silent())
            return
        self.grounding_playback.start(items)
        self.grounding_view.set_listening(True, "Listening…")

    def _why_the_grounding_is_silent(self) -> str:
        reason = self.controller.text_only_reason
        if reason is None:
            return "The voice is still being prepared; you can read along for now."
        return GROUNDING_NO_SOUND if reason == NO_SOUND else GROUNDING_NO_VOICE

    def _stop_grounding_voice(self) -> None:
        self.grounding_playback.stop()
        self.grounding_view.set_listening(False, "")

    def _return_from_grounding(self) -> None:
        self._stop_grounding_voice()
        if self.runner.state is State.ENDED and self.done is not None:
            self.ground_button.show()
            self._turn_to(self.done, self.done.back)
        else:
            self.runner.return_from_grounding()
        back, self._focus_before = self._focus_before, None
        page = self.pages.currentWidget()
        if back is not None and back.isVisible() and page is not None and page.isAncestorOf(back):
            back.setFocus(Qt.FocusReason.OtherFocusReason)

    def _end_by_grounding(self) -> None:
        self._stop_grounding_voice()
        if self.runner.state is State.ENDED:       # grounding after the end: nothing to end
            self.closed.emit()
            return
        if self.runner.session_id is None:
            self.runner.stop_early()
            self.closed.emit()
            return
        self.keep_open_mark()                   # in the journal before the session's end
        self.runner.end_by_grounding()

    def _leave(self) -> None:
        """Leaving mid-practice keeps it unfinished, so the next launch can offer to resume."""
        self.shutdown()
        self.closed.emit()

    def shutdown(self) -> None:
        """The view goes (left for the library, or the window closes): the voice stops, and a
        half-filled mark is kept (the practice stays open to resume; the form would not)."""
        self.keep_open_mark()
        self.grounding_playback.stop()
        self.context.player.stop()
        self.audio.cancel()

