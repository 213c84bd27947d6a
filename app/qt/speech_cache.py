"""The window's side of the sentence cache's bounds (app/speech/speech_cache.py): tidied at
idle, well after start-up, on the one background helper (tasks.run_in_background), never
while a practice is open or the voice is being prepared, and given up at once when a render
wants the cache (chunk_cache.prune checks between batches of files)."""
from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from app.core.practice import Practice
from app.core.preferences import Preferences
from app.qt.tasks import Task, run_in_background

log = logging.getLogger(__name__)

# After start-up: the first window, the journal's opening and the idle voice warm-up
# (main_window.VOICE_IDLE_MS, then ~1-10 s of rendering) all come first. A full cache is
# surveyed in well under a second; it can wait.
IDLE_MS = 45_000
# When it was not a quiet moment (a practice open, a render running): look again later.
RETRY_MS = 60_000


class SpeechCacheTidy(QObject):
    def __init__(self, practices: Callable[[], list[Practice]],
                 preferences: Callable[[], Preferences], busy: Callable[[], bool],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._practices, self._preferences, self._busy = practices, preferences, busy
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)
        self._task: Task | None = None
        self.finished_once = False      # tests and the log: a tidy ran to its end

    def schedule(self, ms: int = IDLE_MS) -> None:
        """Tidy `ms` from now (a later call moves it later: only quiet time counts)."""
        self._timer.start(ms)

    def stop(self) -> None:
        """A practice begins: no tidying now (it stops between batches of files)."""
        self._timer.stop()
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _run(self) -> None:
        if self._busy() or self._task is not None:
            self.schedule(RETRY_MS)
            return
        practices, prefs = list(self._practices()), self._preferences()

        def work(_report: Callable[[object], None], cancelled: Callable[[], bool]) -> object:
            from app.speech.speech_cache import tidy
            return tidy(practices, prefs.voice, prefs.rate, cancelled=cancelled)

        task = self._task = run_in_background(
            work, on_done=lambda result: self._done(task, result),
            on_error=lambda exc: self._failed(task, exc), on_progress=lambda _item: None,
            owner=self)

    def _done(self, task: Task, result: object) -> None:
        if task is not self._task:
            return
        self._task = None
        if getattr(result, "busy", False):   # a render had the cache: another time
            self.schedule(RETRY_MS)
            return
        self.finished_once = True
        log.info("speech cache tidied: %s", result)

    def _failed(self, task: Task, exc: BaseException) -> None:
        if task is self._task:
            self._task = None
        # a cache that cannot be tidied (read-only, a full disk) costs nothing to leave: the
        # person is not told, the log is
        log.warning("the speech cache could not be tidied: %s", exc)


def tidy_at_idle(window: QObject, context: Any, busy: Callable[[], bool]) -> SpeechCacheTidy:
    """The window's tidying: IDLE_MS after now, never during a practice (stopped when one
    begins, `window.session_started`), again after each (`session_ended`). `context`: the
    window's AppContext (practices and preferences as they are when it runs)."""
    tidy = SpeechCacheTidy(lambda: context.practices, lambda: context.preferences, busy,
                           parent=window)
    window.session_started.connect(lambda _view: tidy.stop())  # type: ignore[attr-defined]
    window.session_ended.connect(lambda: tidy.schedule())      # type: ignore[attr-defined]
    tidy.schedule()
    return tidy


def read_space(context: Any, on_done: Callable[[Any], None], owner: QObject) -> None:
    """What prepared speech takes (speech_cache.Space), measured off the GUI thread."""
    practices, prefs = list(context.practices), context.preferences

    def measure() -> object:
        from app.speech.speech_cache import space
        return space(practices, prefs.voice, prefs.rate)

    run_in_background(measure, on_done=on_done, on_error=lambda exc: log.warning(
        "the prepared speech could not be measured: %s", exc), owner=owner)


def clear_unused(context: Any, on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None], owner: QObject) -> None:
    """Remove every sentence not of the voice and pace in use (budget 0), off the GUI thread.
    on_done hears the PruneResult (busy when a render had the cache)."""
    practices, prefs = list(context.practices), context.preferences

    def clear() -> object:
        from app.speech.speech_cache import tidy
        return tidy(practices, prefs.voice, prefs.rate, budget=0)

    run_in_background(clear, on_done=on_done, on_error=on_error, owner=owner)
