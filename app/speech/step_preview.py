""""Listen to this step" in the editor: one step rendered through the same pipeline as a
practice, into a preview folder per voice and pace.

Every sentence is cached by its words and voice (render.chunk_key), so a second listen is a
file that already exists, and after one sentence is edited only that sentence is spoken
again; the step is then put together from the cache. Previews never touch the practice's own
rendered audio (the text being edited may not be saved yet).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.core.practice import Practice, Step
from app.speech.render import RenderReport, RenderSettings, manifest_status, render_practices


@dataclass(frozen=True)
class StepAudio:
    files: tuple[Path, ...]           # one per segment of the step (cut at listen marks)
    report: RenderReport


def preview_dir(settings: RenderSettings) -> Path:
    from app.speech.voices import audio_dir_for
    return audio_dir_for(paths.cache_dir() / "previews" / f"{settings.rate}wpm", settings)


def render_step(practice_id: str, step: Step, settings: RenderSettings, *,
                jobs: int = 1) -> StepAudio:
    """The step's audio, rendering only what the cache lacks (raises RenderError,
    EngineUnavailable). One worker: the window's own process never starts an engine."""
    practice = Practice(practice_id or "preview", "Preview", "", 1.0, (step,))
    out = preview_dir(settings)
    # prune=False: the other steps of this practice, heard earlier, stay ready
    report = render_practices([practice], out, settings, jobs=jobs, prune=False)
    status = manifest_status(practice, out, settings)
    files = tuple(status[s.audio_id] for s in step.segments)
    if any(f is None for f in files):
        raise RuntimeError("the step was rendered but its audio is missing")
    return StepAudio(files, report)  # type: ignore[arg-type]
