"""Prepared speech tidied for what a person uses: chunk_cache's bounds, with "in use" meaning
every practice (bundled and their own) and the voice sample, in the voice and pace they chose
and in the standard voice that stands in for it when it cannot start. The same goes for the
finished steps in the audio folder (step_audio): those of other voices and paces, of deleted
practices and steps, and of older text share the sentences' budget. Run at idle by the window
(app/qt/speech_cache.py) and after `securebase render`."""
from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.core.practice import Practice
from app.speech import chunk_cache
from app.speech.chunk_cache import PruneResult
from app.speech.plan import RenderSettings
from app.speech.preview import SAMPLE
from app.speech.step_audio import StepAudio
from app.speech.voices import FALLBACK_ENGINE, settings_for


def settings_in_use(voice: str | None, rate: int) -> list[RenderSettings]:
    """What a render for this saved choice may use: the voice, and the standard voice at the
    same pace that speaks instead when the chosen one cannot start (voices.with_fallback)."""
    chosen = settings_for(voice, rate)
    fallback = RenderSettings(engine=FALLBACK_ENGINE, voice=None, rate=rate)
    return [chosen] if chosen == fallback else [chosen, fallback]


def tidy(practices: Sequence[Practice], voice: str | None, rate: int,
         also: Iterable[RenderSettings] = (), cancelled: Callable[[], bool] | None = None,
         budget: int | None = None) -> PruneResult:
    """Prune the cache, keeping every sentence of `practices` and the voice sample, and every
    step of `practices` in the audio folder, with the settings in use (and `also`: what a
    command just rendered with)."""
    settings = [*settings_in_use(voice, rate), *also]
    keep = chunk_cache.keys_in_use([*practices, SAMPLE], settings)
    budget = chunk_cache.OTHER_BUDGET_BYTES if budget is None else budget
    return chunk_cache.prune(keep, budget, cancelled=cancelled, rendered=_rendered(),
                             steps=_steps(practices, settings))


def _steps(practices: Sequence[Practice], settings: Sequence[RenderSettings]) -> StepAudio:
    return StepAudio(paths.audio_dir(), tuple(practices), tuple(settings))


@dataclass(frozen=True)
class Space:
    """What prepared speech takes on the disk, in bytes."""
    total: int      # sentences, finished steps, samples and previews
    unused: int     # sentences and steps not in use (step_audio): what "clear" would free


def space(practices: Sequence[Practice], voice: str | None, rate: int) -> Space:
    """Measured by walking the folders (~3,000 files for a few voices: well under a second)."""
    settings = settings_in_use(voice, rate)
    keep = chunk_cache.keys_in_use([*practices, SAMPLE], settings)
    kept, unused = chunk_cache.survey(keep)
    steps = sum(_bytes_under(place) for place in _rendered())    # every step, in use or not
    unused_steps = sum(file.size for file in _steps(practices, settings).survey().unused)
    return Space(kept + unused + steps, unused + unused_steps)


def _rendered() -> list[Path]:
    """Where renders write steps (and leave temporary files when ended)."""
    places = [paths.audio_dir(), paths.cache_dir() / "samples", paths.cache_dir() / "previews"]
    return [place for place in places if place.is_dir()]


def _bytes_under(folder: Path) -> int:
    total = 0
    for path in folder.rglob("*"):
        with contextlib.suppress(OSError):
            if path.is_file():
                total += path.stat().st_size
    return total


def described(result: PruneResult) -> str:
    """One plain sentence about what was freed ("" when nothing was)."""
    if result.busy or not result.removed_bytes:
        return ""
    return (f"Freed {result.removed_bytes / 1e6:.0f} MB of speech prepared for other voices "
            f"or paces, or for practices and steps as they were before.")
