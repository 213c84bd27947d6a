"""Make sure a practice's spoken guidance exists, rendering what is missing in the background.

Steps that are already up to date are announced at once; the rest as each WAV is written, so
the first step can start playing long before the whole practice is rendered.
"""
from __future__ import annotations

import logging
import wave
from dataclasses import dataclass, replace
from pathlib import Path
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app import paths
from app.core.practice import Practice
from app.core.preferences import Preferences
from app.qt.tasks import Task, run_in_background

logger = logging.getLogger(__name__)

VOICE_FAILED = ("The voice could not be prepared ({reason}). The guidance is shown as text, "
                "with a timer paced for reading slowly.")


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as handle:
        return handle.getnframes() / float(handle.getframerate())


def render_settings(prefs: Preferences):
    from app.speech.voices import settings_for
    return settings_for(prefs.voice, prefs.rate)


def start_voice_early(prefs: Preferences) -> None:
    """Right after the first paint, in the background: start the process the render workers
    fork from, with the engine in use already imported there."""
    def start() -> None:
        from app.speech.isolated import start_workers_early
        start_workers_early(render_settings(prefs).engine)

    run_in_background(start, on_error=lambda _exc: None)


# The window's renders use one worker process, even for the practice being listened to: it is
# needed faster than it is heard (Piper ~5x, espeak ~200x real time on one core), not as fast as
# the machine can. Each Piper worker holds its own voice (~150 MB at its peak); two of them were
# half of a session's memory (bench/session_memory.py), and the second one's model load
# competed with the first sentence for the cores. `securebase render` still uses every core.
WORKERS = 1

_notices_given: set[str] = set()   # "using the standard voice" is said once per run, not per view


@dataclass(frozen=True)
class Job:
    """How much to prepare, and how hard to work at it."""
    first_steps_only: bool = False   # at idle after start-up: what a Begin would wait for
    background: bool = False         # nobody is waiting: one worker, leaving a core free


def _prepare(practices: list[Practice], prefs: Preferences, out_dir: Path,
             report: Callable[[object], None], cancelled: Callable[[], bool],
             job: Job = Job()) -> bool:
    """Runs on a worker thread: render with the chosen voice, or with the standard voice when
    the chosen engine cannot start (saying so)."""
    from app.speech.voices import with_fallback

    chosen = render_settings(prefs)
    _prepare_cue(out_dir, report, chosen.engine)

    def notice(text: str) -> None:
        if text not in _notices_given:
            _notices_given.add(text)
            report(("notice", text))

    if job.first_steps_only:
        practices = [replace(p, steps=p.steps[:1]) for p in practices]
    return with_fallback(chosen, lambda settings: _prepare_with(
        practices, settings, out_dir, report, cancelled, job), notice)


def _prepare_cue(out_dir: Path, report: Callable[[object], None], engine: str) -> None:
    """The soft chime that says the voice is waiting; without it a wait is only shown. Made
    once, in a helper process: numpy (~14 MB) stays out of the window. The helper is the first
    to start the render workers' server when Begin comes before the idle start: it names the
    engine in use, so the server imports Piper ahead for the natural voice (~0.3 s of the first
    sentence otherwise, in the worker)."""
    from app.speech.chime import chime_path, ensure_chime
    from app.speech.isolated import in_helper
    try:
        cue = chime_path(out_dir / ".cues")
        if not cue.is_file():
            in_helper(ensure_chime, cue.parent, engine=engine)
        report(("cue", cue))
    except Exception:  # noqa: BLE001 - a helper that failed or died: no cue, the guidance stays
        logger.warning("The waiting chime could not be made; waits are shown, not chimed",
                       exc_info=True)


def _prepare_with(practices: list[Practice], settings, base_dir: Path,
                  report: Callable[[object], None], cancelled: Callable[[], bool],
                  job: Job) -> bool:
    """Announce ready steps, then render the rest; holding the lock a render holds from the
    first look on, so a tidy of unused speech (app/qt/speech_cache.py) that is running gives
    way before any step is found, and none starts until the steps are handed over."""
    from app.speech.chunk_cache import rendering
    with rendering():
        return _announce_and_render(practices, settings, base_dir, report, cancelled, job)


def _announce_and_render(practices: list[Practice], settings, base_dir: Path,
                         report: Callable[[object], None], cancelled: Callable[[], bool],
                         job: Job) -> bool:
    from app.speech.render import manifest_status, render_practices
    from app.speech.voices import audio_dir_for
    out_dir = audio_dir_for(base_dir, settings)  # one folder per voice: switching back is instant
    missing, steps_left = [], {}
    recorded = recordings_of(practices)
    for practice in practices:
        own = recorded.get(practice.id, {})
        for audio_id, (wav, seconds) in own.items():
            report(("step", practice.id, audio_id, wav, seconds))
        status = {audio_id: wav for audio_id, wav in
                  manifest_status(practice, out_dir, settings).items() if audio_id not in own}
        for step_id, rendered in status.items():
            if rendered is not None:
                report(("step", practice.id, step_id, rendered, wav_seconds(rendered)))
        if any(wav is None for wav in status.values()):
            missing.append(practice)
            steps_left[practice.id] = sum(wav is None for wav in status.values())
    if not missing:
        return True
    report(("practices", 0, len(missing)))

    heads: dict[tuple[str, str], Path] = {}

    def on_progress(progress) -> None:
        if progress.total:
            report(("fraction", progress.done / progress.total))
        where = (progress.practice_id, progress.step_id)
        if progress.step_id in recorded.get(progress.practice_id or "", {}):
            return      # rendered with the rest of its practice, but a voice recorded it
        if progress.head:   # the first sentence, to play while the rest renders
            heads[where] = progress.wav
            report(("head", *where, progress.wav, wav_seconds(progress.wav)))
        elif progress.rest is not None and where in heads:
            report(("rest", *where, heads[where], progress.rest, wav_seconds(progress.wav)))
        elif progress.wav is not None and not progress.up_to_date:
            report(("step", *where, progress.wav, wav_seconds(progress.wav)))
        if progress.wav is not None and not progress.head and not progress.up_to_date:
            steps_left[progress.practice_id] -= 1
            if steps_left[progress.practice_id] == 0:
                report(("practices", sum(n == 0 for n in steps_left.values()), len(missing)))

    for batch, background in _batches(practices[0], missing, job):
        result = render_practices(batch, out_dir, settings, progress=on_progress,
                                  cancel=cancelled, jobs=WORKERS,
                                  prune=not job.first_steps_only, background=background)
        if result.cancelled:
            return False
    return True


def _batches(listened: Practice, missing: list[Practice], job: Job
             ) -> list[tuple[list[Practice], bool]]:
    """(practices, in the background?): only the practice being listened to is waited for; the
    rest (the safety exit prepared beside it) renders after it at the lowest priority, so the
    sound playing meanwhile is never starved into gaps. One batch at a time: never more than
    one worker."""
    if job.background or missing[0] is not listened:
        return [(missing, True)]
    return [(batch, background) for batch, background in
            (([listened], False), (missing[1:], True)) if batch]


def recordings_of(practices: list[Practice]) -> dict[str, dict[str, tuple[Path, float]]]:
    """Practice id → audio id → (recording, seconds): the pieces of a person's own practices
    recorded in a voice (app.storage.user_practices), which play instead of the synthetic
    voice. A recording that cannot be read is passed over: the voice speaks that piece."""
    from app.storage.user_practices import recording_files
    found: dict[str, dict[str, tuple[Path, float]]] = {}
    for practice in practices:
        if practice.bundled:
            continue
        pieces = {s.audio_id for step in practice.steps for s in step.segments}
        for audio_id, wav in recording_files(practice.id).items():
            try:
                seconds = wav_seconds(wav) if audio_id in pieces else 0.0
            except (OSError, EOFError, wave.Error):
                continue
            if seconds > 0:
                found.setdefault(practice.id, {})[audio_id] = (wav, seconds)
    return found


class GuidanceAudio(QObject):
    step_ready = Signal(str, str, object, float)     # practice id, audio id, wav path, seconds
    cue_ready = Signal(object)                       # the waiting chime's wav path
    # (head wav, rest wav or None while it renders): the player plays them as one file
    continuation = Signal(object, object)
    practices_ready = Signal(int, int)               # practices prepared so far, of how many
    progress = Signal(object)                        # 0–1 while rendering, None when done
    failed = Signal(str)                             # a plain sentence
    notice = Signal(str)                             # a plain sentence; the audio still comes

    def __init__(self, preferences: Preferences, out_dir: Path | None = None,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.preferences = preferences
        self.out_dir = out_dir or paths.audio_dir()
        self._task: Task | None = None

    def prepare(self, practices: list[Practice], job: Job = Job()) -> None:
        self.cancel()
        prefs, out_dir = self.preferences, self.out_dir
        # The callbacks know their task: a cancelled or replaced render reports nothing more.
        task = self._task = run_in_background(
            lambda report, cancelled: _prepare(practices, prefs, out_dir, report, cancelled, job),
            on_done=lambda ok: self._on_done(task, ok),
            on_error=lambda exc: self._on_error(task, exc),
            on_progress=lambda item: self._on_progress(task, item), owner=self)

    @property
    def busy(self) -> bool:
        """A render of this object's is running."""
        return self._task is not None

    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self._task = None

    def _on_progress(self, task: Task, item) -> None:
        if task is not self._task:
            return
        if item[0] == "notice":
            self.notice.emit(item[1])
        elif item[0] == "cue":
            self.cue_ready.emit(item[1])
        elif item[0] == "step":
            _, practice_id, step_id, wav, seconds = item
            self.step_ready.emit(practice_id, step_id, wav, seconds)
        elif item[0] == "practices":
            self.practices_ready.emit(item[1], item[2])
        elif item[0] == "head":  # the player learns a rest will follow before it plays
            _, practice_id, step_id, head, seconds = item
            self.continuation.emit(head, None)
            self.step_ready.emit(practice_id, step_id, head, seconds)
        elif item[0] == "rest":  # the step stays known by its head: a resume or replay of
            _, practice_id, step_id, head, rest, seconds = item  # it plays head, then rest
            self.continuation.emit(head, rest)
            self.step_ready.emit(practice_id, step_id, head, seconds)
        else:
            self.progress.emit(item[1] if item[1] < 1 else None)

    def _on_done(self, task: Task, _ok: bool) -> None:
        if task is not self._task:
            return
        self._task = None
        self.progress.emit(None)

    def _on_error(self, task: Task, exc: BaseException) -> None:
        if task is not self._task:
            return
        self._task = None
        self.progress.emit(None)
        reason = str(exc).strip().rstrip(".") or type(exc).__name__
        self.failed.emit(VOICE_FAILED.format(reason=reason))


PREVIEW_FAILED = "This voice cannot be heard right now ({reason})."


class VoicePreview(QObject):
    """Settings' "Listen": render (or find) a short sample of a voice at a pace in the
    background, then play it through the one GuidancePlayer. The newest request wins."""

    preparing = Signal(str)   # voice id whose sample is being made (the first time takes ~1 s)
    playing = Signal(str)     # voice id whose sample is now playing
    failed = Signal(str)      # a plain sentence

    def __init__(self, player_for: Callable[[], object], parent: QObject | None = None):
        super().__init__(parent)
        self._player_for = player_for   # the app's one player, made on first use
        self._request = 0

    def listen(self, voice: str | None, rate: int) -> None:
        from app.speech.voices import settings_for
        self._request += 1
        request, settings = self._request, settings_for(voice, rate)
        shown = voice or ""
        self.preparing.emit(shown)
        run_in_background(lambda: _sample(settings),
                          on_done=lambda wav: self._play(request, shown, wav),
                          on_error=lambda exc: self._fail(request, exc), owner=self)

    def stop(self) -> None:
        self._request += 1
        player = self._player_for()
        player.stop()  # type: ignore[attr-defined]

    def _play(self, request: int, voice: str, wav: Path) -> None:
        if request == self._request:
            self._player_for().play_file(wav)  # type: ignore[attr-defined]
            self.playing.emit(voice)

    def _fail(self, request: int, exc: BaseException) -> None:
        if request == self._request:
            reason = str(exc).strip().rstrip(".") or type(exc).__name__
            self.failed.emit(PREVIEW_FAILED.format(reason=reason[:1].lower() + reason[1:]))


def _sample(settings) -> Path:
    from app.speech.preview import render_sample
    return render_sample(settings)
