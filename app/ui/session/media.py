"""A practice's answers to the media keys and the desktop's sound menu (app.qt.mpris, wired in
app.ui.media_keys): they act as the keyboard does, and only while a step is showing. Part of
SessionView, kept apart to keep that module readable."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from app.core.session import SessionRunner
    from app.qt.session_controller import SessionController


class MediaKeys:
    """Mixed into SessionView, which provides what is declared here."""
    controller: SessionController
    runner: SessionRunner
    _marking: bool
    _paused_for_map: bool

    _in_steps: Callable[[], bool]
    _move: Callable[[Callable[[], object]], None]
    keep_open_mark: Callable[[], None]
    _end_marking: Callable[[], None]

    def media_play_pause(self) -> None:
        if self._in_steps():
            self.controller.toggle_play()

    def media_play(self) -> None:
        if self._in_steps():
            self.controller.play()

    def media_pause(self) -> None:
        if self._in_steps():
            self.controller.pause()

    def media_next(self) -> None:
        if self._in_steps():
            self._leave_map_to_move()
            self._move(self.runner.next_step)

    def media_previous(self) -> None:
        if self._in_steps():
            self._leave_map_to_move()
            self._move(self.runner.previous_step)

    def _leave_map_to_move(self) -> None:
        """"Next" or "previous" from a headset while the body map is open: the person means
        to move on, so the map closes and the step shows, as after "Back to the practice".
        The mark they had begun is kept (with the step it was made at), as on every other
        way out that does not come back to it, and the end screen says so."""
        if not self._marking:
            return
        self.keep_open_mark()
        self._paused_for_map = False         # the new step's voice starts as it always does
        self._end_marking()

    def _media_key(self, key: int) -> bool:
        """The media keys themselves, when they reach the window (no desktop service took
        them for the sound menu): they act as the sound menu's buttons do."""
        actions: dict[int, Callable[[], None]] = {
            Qt.Key.Key_MediaNext: self.media_next,
            Qt.Key.Key_MediaPrevious: self.media_previous,
            Qt.Key.Key_MediaTogglePlayPause: self.media_play_pause,
            Qt.Key.Key_MediaPlay: self.media_play,
            Qt.Key.Key_MediaPause: self.media_pause,
        }
        action = actions.get(key)
        if action is None:
            return False
        action()
        return True

