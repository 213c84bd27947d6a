"""What a render makes, and from what: one plan per unit of audio (a step, or a segment of
one), the cache key of every sentence, and the manifest beside each practice's WAVs that
records what each WAV was made from (so a later render knows what is still up to date).

The window plans and schedules a render (render.py): this module imports no numpy."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from app import paths
from app.core.practice import Practice
from app.speech import engine as engines
from app.speech import piper_read
from app.speech.speech_base import SAMPLE_RATE
from app.speech.text import Chunk, Speech, count_words, split_step
from app.storage.files import write_private
from app.storage.privacy import private_folder

# Bump the number whenever audio processing changes what a chunk or step sounds like, or
# what the cache keeps beside a chunk (7: its K-weighted block energies; 8: a shorter fade
# at sentence ends).
PIPELINE_VERSION = f"8+{engines.PRONUNCIATION_DIGEST}"
MANIFEST = "manifest.json"
# What else a chunk's audio depends on, per engine: the standard voice's own rewrites and pace
# tables, the natural voice's pace mapping and variation settings (a change to one engine's
# re-renders that engine's sentences and steps, not the other's).
_ENGINE_VERSIONS = {"espeak": f"{engines.ESPEAK_VERSION}+post-2",
                    "piper": piper_read.PIPER_VERSION}
# "post-N" re-renders the standard voice's sentences when its post-processing changes their
# bytes but not how they sound (every sample within 1 LSB, the same levels and peaks): its
# whole library is made again in seconds, the natural voice's would take minutes for nothing
# a listener could hear. post-1: sentences levelled in single precision; post-2: the
# level's gain and the limiter's applied as one product a sample.


def pipeline_version(engine: str) -> str:
    """PIPELINE_VERSION plus what only `engine`'s audio depends on."""
    extra = _ENGINE_VERSIONS.get(engine)
    return f"{PIPELINE_VERSION}+{extra}" if extra else PIPELINE_VERSION


@dataclass(frozen=True)
class RenderSettings:
    engine: str = "espeak"
    voice: str | None = None
    rate: int = 140  # words a minute; espeak's 200 is far too fast for guidance


class RenderError(Exception):
    """Rendering failed; the message is plain and names what failed."""


@dataclass(frozen=True)
class StepPlan:
    order: int
    practice_id: str
    step_id: str
    chunks: tuple[Chunk, ...]
    keys: tuple[str, ...]   # cache key per Speech chunk, in order
    digest: str             # everything the step's audio depends on
    wav: Path
    words: int
    rate: int
    # Resolved here, in the parent: workers fork from a long-lived server whose environment
    # (SECUREBASE_HOME) may be older than the caller's.
    cache_files: tuple[Path, ...] = ()


def units(practice: Practice) -> list[tuple[str, str]]:
    """(audio id, text) of every piece of audio a practice needs, in order."""
    return [(segment.audio_id, segment.say) for step in practice.steps
            for segment in step.segments]


def chunk_key(settings: RenderSettings, text: str) -> str:
    material = [settings.engine, settings.voice, settings.rate, text,
                pipeline_version(settings.engine)]
    return hashlib.sha256(json.dumps(material).encode()).hexdigest()  # also the file name


def cache_path(key: str, cache_dir: Path | None = None) -> Path:
    """cache_dir: paths.chunk_cache_dir(), when the caller has it (finding it checks the data
    folder's levels on disk: ~5 system calls, for every sentence of a render)."""
    return (cache_dir or paths.chunk_cache_dir()) / key[:2] / f"{key}.wav"


def plan_all(practices: Sequence[Practice], out_dir: Path, settings: RenderSettings
              ) -> list[StepPlan]:
    plans: list[StepPlan] = []
    cache_dir = paths.chunk_cache_dir()
    for practice in practices:
        for audio_id, say in units(practice):
            try:
                plans.append(plan_step(practice.id, audio_id, say, len(plans), out_dir,
                                        settings, cache_dir))
            except ValueError as exc:
                raise RenderError(f"{practice.id} / {audio_id}: {exc}") from None
    return plans


def plan_step(practice_id: str, step_id: str, say: str, order: int, out_dir: Path,
               settings: RenderSettings, cache_dir: Path | None = None) -> StepPlan:
    for name in (practice_id, step_id):
        if not name or name.startswith(".") or any(c in name for c in "/\\\0"):
            raise RenderError(f"{name!r} cannot be used as a file name")
    chunks = tuple(split_step(say))
    keys = tuple(chunk_key(settings, c.text) for c in chunks if isinstance(c, Speech))
    material = [pipeline_version(settings.engine), asdict(settings), [repr(c) for c in chunks]]
    digest = hashlib.sha256(json.dumps(material).encode()).hexdigest()
    folder = (cache_dir or paths.chunk_cache_dir()) if keys else None
    return StepPlan(order, practice_id, step_id, chunks, keys, digest,
                    out_dir / practice_id / f"{step_id}.wav", count_words(say),
                    settings.rate, tuple(cache_path(k, folder) for k in keys))


@dataclass
class Manifest:
    """`<out>/<practice>/manifest.json`: what each step's WAV was made from. Rewritten
    (atomically) after every step, so a cancelled or crashed render keeps finished steps."""

    practice: Practice
    folder: Path
    settings: RenderSettings
    steps: dict[str, dict[str, object]]

    @classmethod
    def load(cls, practice: Practice, out_dir: Path, settings: RenderSettings) -> Manifest:
        folder = out_dir / practice.id
        try:
            data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
            steps = {str(entry["id"]): entry for entry in data["steps"]}
        except (OSError, ValueError, KeyError, TypeError):
            steps = {}  # missing or unreadable: everything counts as stale
        return cls(practice, folder, settings, steps)

    def current(self, plan: StepPlan) -> dict[str, object] | None:
        """The step's entry if its WAV is still what this plan would make (and intact)."""
        entry = self.steps.get(plan.step_id)
        if entry is None or entry.get("hash") != plan.digest or not plan.wav.is_file():
            return None
        return entry if plan.wav.stat().st_size == entry.get("bytes") else None

    def record(self, written: Sequence[tuple[StepPlan, float, int]]) -> None:
        """Steps of this practice written to disk, (plan, seconds, bytes) each: one write."""
        for plan, seconds, size in written:
            self.steps[plan.step_id] = {
                "id": plan.step_id, "file": plan.wav.name, "duration": round(seconds, 3),
                "bytes": size, "hash": plan.digest, "cache_keys": list(plan.keys),
                "words": plan.words}
        self._write()

    def prune(self) -> None:
        wanted = {audio_id for audio_id, _ in units(self.practice)}
        stale = [step_id for step_id in self.steps if step_id not in wanted]
        for step_id in stale:
            (self.folder / str(self.steps.pop(step_id)["file"])).unlink(missing_ok=True)
        if stale:
            self._write()

    def _write(self) -> None:
        private_folder(self.folder)
        order = {audio_id: index for index, (audio_id, _) in enumerate(units(self.practice))}
        data = {"practice": self.practice.id, "pipeline_version": PIPELINE_VERSION,
                "settings": asdict(self.settings), "sample_rate": SAMPLE_RATE,
                "steps": sorted(self.steps.values(), key=lambda e: order.get(str(e["id"]), 1e9))}
        # the one private, atomic, link-refusing writer (app.storage.files)
        write_private(self.folder / MANIFEST,
                      json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))
