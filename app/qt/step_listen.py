""""Listen to this step": render (or find) the step in the chosen voice, off the GUI thread,
then play its pieces in order through the app's one GuidancePlayer.

A step cut by listening marks plays its pieces one after another with a short breath between;
the listening time itself is left out (it is there in the practice). The newest request wins:
listening to another step, or editing and listening again, stops what was playing.
"""
from __future__ import annotations

from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.practice import Step
from app.qt.tasks import run_in_background

GAP_MS = 800
LISTEN_FAILED = "This step cannot be heard right now ({reason})."


class StepListen(QObject):
    preparing = Signal()              # rendering what the cache lacks
    playing = Signal(int, int)        # piece, of how many
    finished = Signal()
    failed = Signal(str)              # a plain sentence

    def __init__(self, player_for: Callable[[], object], parent: QObject | None = None):
        super().__init__(parent)
        self._player_for = player_for
        self._request = 0
        self._queue: list[Path] = []
        self._total = 0
        self._current = ""
        self._connected = False
        self._rendering = False
        self._pending: tuple[int, str, Step, object] | None = None
        self._gap = QTimer(self)
        self._gap.setSingleShot(True)
        self._gap.setInterval(GAP_MS)
        self._gap.timeout.connect(self._play_next)
        self.last_report = None           # the last render's report (tests count chunks)
        self.rate = 1.0                   # playback rate (tests hear it faster)

    def listen(self, practice_id: str, step: Step, voice: str | None, rate: int) -> None:
        from app.speech.voices import settings_for
        self.stop()
        self._request += 1
        self._pending = (self._request, practice_id, step, settings_for(voice, rate))
        self.preparing.emit()
        if not self._rendering:
            self._render_pending()

    def _render_pending(self) -> None:
        """One render at a time: two at once would write one preview manifest together, and
        a person pressing Listen again only wants the newest."""
        if self._pending is None:
            return
        request, practice_id, step, settings = self._pending
        self._pending, self._rendering = None, True

        def render():
            from app.speech.step_preview import render_step
            return render_step(practice_id, step, settings)
        run_in_background(render, on_done=lambda audio: self._rendered(request, audio),
                          on_error=lambda exc: self._rendered(request, None, exc), owner=self)

    def _rendered(self, request: int, audio, exc: BaseException | None = None) -> None:
        self._rendering = False
        if self._pending is not None:          # a newer request waits: this one is dropped
            self._render_pending()
        elif exc is not None:
            self._fail(request, exc)
        else:
            self._start(request, audio)

    def stop(self) -> None:
        self._request += 1
        self._gap.stop()
        if self._queue or self._playing():
            self._queue = []
            self._player_for().stop()  # type: ignore[attr-defined]
        # Nothing of ours plays now: a later stop must leave the shared player alone (the
        # session's voice may be on it by then).
        self._total = 0

    def _playing(self) -> bool:
        return bool(self._total) and self._player_for().current != ""  # type: ignore

    def _start(self, request: int, audio) -> None:
        if request != self._request:
            return
        self.last_report = audio.report
        player = self._player_for()
        if not self._connected:
            player.finished.connect(self._on_finished)  # type: ignore[attr-defined]
            self._connected = True
        self._queue, self._total = list(audio.files), len(audio.files)
        self._play_next()

    def _play_next(self) -> None:
        if not self._queue:
            self._total = 0
            self.finished.emit()
            return
        wav = self._queue.pop(0)
        self._current = str(wav)
        self._player_for().play_file(wav, self.rate)  # type: ignore[attr-defined]
        self.playing.emit(self._total - len(self._queue), self._total)

    def _on_finished(self, path: str) -> None:
        """The player is shared: only the end of the piece played here moves on."""
        if not self._total or path != self._current:
            return
        if self._queue:
            self._gap.start()
        else:
            self._total = 0
            self.finished.emit()

    def _fail(self, request: int, exc: BaseException) -> None:
        if request == self._request:
            reason = str(exc).strip().rstrip(".") or type(exc).__name__
            self.failed.emit(LISTEN_FAILED.format(reason=reason[:1].lower() + reason[1:]))
