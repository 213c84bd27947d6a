"""Finished steps under the audio folder: which are in use, and which are not.

Each voice has its own folder of steps (voices.audio_dir_for: the standard voice in the audio
folder itself, every other in `.voices/<engine>-<voice>`), a folder per practice in it, one WAV
per step named by its id. Nothing ever removed them: a person who tried three voices kept
three full libraries (~230 MB each), and the steps of a practice they deleted, and of steps
they removed from one, stayed for ever.

A step is *in use* when it is what a render for the settings in use would make now: a
practice that still exists, the step's current text, the voice and pace in use or the
standard voice at that pace (which speaks instead when the chosen one cannot start), its
manifest entry current (plan.Manifest.current). Its lead-in pieces (lead.py) go with it.
Everything else under a practice's folder is unused: steps of other voices, of deleted
practices, of deleted steps, or made from older text or at another pace. chunk_cache.prune
removes those with the unused sentences, the least recently used first, under the same lock a
render holds, so a render never loses a step under it.
"""
from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.core.practice import Practice
from app.speech import lead
from app.speech.plan import MANIFEST, Manifest, RenderError, RenderSettings, plan_step, units


@dataclass(frozen=True)
class StepFile:
    used: float     # when last used: the file's mtime (a render or a player's look sets it)
    path: Path
    size: int


@dataclass(frozen=True)
class StepSurvey:
    kept: int                   # bytes of the steps in use
    unused: list[StepFile]      # every other file in a practice's folder


@dataclass(frozen=True)
class StepAudio:
    """The step audio under `base` and what of it is in use: what chunk_cache.prune is given,
    to look at only once it holds the lock (a render may be writing manifests until then)."""
    base: Path
    practices: Sequence[Practice]
    settings: Sequence[RenderSettings]

    def survey(self) -> StepSurvey:
        return survey(self.base, in_use(self.base, self.practices, self.settings))

    def settle(self) -> None:
        settle(self.base)


def in_use(base: Path, practices: Iterable[Practice], settings: Iterable[RenderSettings]
           ) -> set[Path]:
    """The files of every step in use (see the module docstring) under `base`."""
    from app.speech.voices import audio_dir_for   # voices imports render: no cycle at import
    keep: set[Path] = set()
    practices, cache = list(practices), paths.chunk_cache_dir()   # looked up once, not per step
    for each in dict.fromkeys(settings):
        out = audio_dir_for(base, each)
        for practice in practices:
            manifest = Manifest.load(practice, out, each)
            for audio_id, say in units(practice):
                try:
                    plan = plan_step(practice.id, audio_id, say, 0, out, each, cache)
                except (ValueError, RenderError):   # cannot be rendered: nothing of it to keep
                    continue
                if manifest.current(plan):
                    keep.update((plan.wav, lead.head_path(plan.wav), lead.rest_path(plan.wav)))
    return keep


def survey(base: Path, keep: set[Path]) -> StepSurvey:
    """Bytes of the files in `keep`, and every other step file under `base`'s practice folders
    (manifests aside: they go with their folder, see settle)."""
    kept, unused = 0, []
    for folder in practice_folders(base):
        for path in _files(folder):
            with contextlib.suppress(OSError):
                stat = path.stat()
                if path in keep:
                    kept += stat.st_size
                elif path.name != MANIFEST and not path.name.startswith("."):
                    unused.append(StepFile(stat.st_mtime, path, stat.st_size))
    return StepSurvey(kept, unused)


def practice_folders(base: Path) -> list[Path]:
    """Every practice's folder of every voice under `base` (practice ids never start with a
    dot; `.voices`, `.cues` and the like are not practices)."""
    from app.speech.voices import VOICES_DIR
    voices = [base, *_subfolders(base / VOICES_DIR)]
    return [folder for voice in voices for folder in _subfolders(voice)]


def settle(base: Path) -> None:
    """After steps were removed: a practice folder with no step left goes (its manifest and
    empty lead-in folder with it), then a voice folder left empty. A folder with anything else
    in it stays as it is."""
    from app.speech.voices import VOICES_DIR
    for folder in practice_folders(base):
        rest = _files(folder)
        if all(path.name == MANIFEST for path in rest):
            for path in rest:
                with contextlib.suppress(OSError):
                    path.unlink()
            for empty in (folder / lead.LEAD_DIR, folder):
                with contextlib.suppress(OSError):
                    empty.rmdir()
    for voice in _subfolders(base / VOICES_DIR):
        with contextlib.suppress(OSError):
            voice.rmdir()       # only when empty


def _subfolders(folder: Path) -> Sequence[Path]:
    try:
        return sorted(path for path in folder.iterdir()
                      if not path.name.startswith(".") and path.is_dir()
                      and not path.is_symlink())
    except OSError:
        return []


def _files(folder: Path) -> list[Path]:
    """The files of a practice folder and of its lead-in folder (the only ones a render
    writes there)."""
    found: list[Path] = []
    for place in (folder, folder / lead.LEAD_DIR):
        with contextlib.suppress(OSError), os.scandir(place) as entries:
            found += [Path(entry.path) for entry in entries
                      if entry.is_file(follow_symlinks=False)]
    return found
