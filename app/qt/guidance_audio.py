"""Make sure a practice's spoken guidance exists, rendering what is missing in the background.

Steps that are already up to date are announced at once; the rest as each WAV is written, so
the first step can start playing long before the whole practice is rendered.
"""
from __future__ import annotations

import wave
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QObject, Signal

from app import paths
from app.core.practice import Practice
from app.core.preferences import Preferences
from app.qt.tasks import Task, run_in_background

VOICE_FAILED = ("The voice could not be prepared ({reason}). The guidance is shown as text, "
                "with a timer paced for reading slowly.")


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as handle:
        return handle.getnframes() / float(handle.getframerate())


def render_settings(prefs: Preferences):
    from app.speech.render import RenderSettings
    return RenderSettings(voice=prefs.voice, rate=prefs.rate)


def _prepare(practices: list[Practice], prefs: Preferences, out_dir: Path,
             report: Callable[[object], None], cancelled: Callable[[], bool]) -> bool:
    """Runs on a worker thread: announce ready steps, then render the rest."""
    from app.speech.render import manifest_status, render_practices
    settings = render_settings(prefs)
    missing = []
    for practice in practices:
        status = manifest_status(practice, out_dir, settings)
        for step_id, wav in status.items():
            if wav is not None:
                report(("step", practice.id, step_id, wav, wav_seconds(wav)))
        if any(wav is None for wav in status.values()):
            missing.append(practice)
    if not missing:
        return True

    def on_progress(progress) -> None:
        if progress.total:
            report(("fraction", progress.done / progress.total))
        if progress.wav is not None and not progress.up_to_date:
            report(("step", progress.practice_id, progress.step_id, progress.wav,
                    wav_seconds(progress.wav)))

    result = render_practices(missing, out_dir, settings, progress=on_progress, cancel=cancelled)
    return not result.cancelled


class GuidanceAudio(QObject):
    step_ready = Signal(str, str, object, float)     # practice id, step id, wav path, seconds
    progress = Signal(object)                        # 0–1 while rendering, None when done
    failed = Signal(str)                             # a plain sentence

    def __init__(self, preferences: Preferences, out_dir: Path | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.preferences = preferences
        self.out_dir = out_dir or paths.audio_dir()
        self._task: Task | None = None

    def prepare(self, practices: list[Practice]) -> None:
        self.cancel()
        self._task = run_in_background(
            lambda report, cancelled: _prepare(practices, self.preferences, self.out_dir,
                                               report, cancelled),
            on_done=self._on_done, on_error=self._on_error, on_progress=self._on_progress, owner=self)

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _on_progress(self, item) -> None:
        if item[0] == "step":
            _, practice_id, step_id, wav, seconds = item
            self.step_ready.emit(practice_id, step_id, wav, seconds)
        else:
            self.progress.emit(item[1] if item[1] < 1 else None)

    def _on_done(self, _ok: bool) -> None:
        self._task = None
        self.progress.emit(None)

    def _on_error(self, exc: BaseException) -> None:
        self._task = None
        self.progress.emit(None)
        reason = str(exc).strip().rstrip(".") or type(exc).__name__
        self.failed.emit(VOICE_FAILED.format(reason=reason))
