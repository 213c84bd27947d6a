"""The first sentence first: a step someone is waiting for is heard before it is fully rendered.

Its head (lead-in quiet, the first sentence, half the gap after it) is written as soon as that
sentence is synthesized; once the whole step is written, its rest (the step's WAV from the same
point on) follows. Played one after the other, the join falls in the quiet between sentences.

The window decides what leads and where its files go (can_lead, head_path, rest_path); the
render worker writes them (write_head, write_rest), so the audio modules and numpy are
imported only there.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from app.speech.speech_base import SAMPLE_RATE
from app.speech.text import Chunk, Pause, Speech

if TYPE_CHECKING:
    from app.speech.audio import Samples


def can_lead(chunks: Sequence[Chunk]) -> bool:
    """Only a step that starts with speech and has more of it is worth splitting."""
    return (len(chunks) > 1 and isinstance(chunks[0], Speech)
            and sum(isinstance(c, Speech) for c in chunks) > 1)


# Beside the steps, in a hidden folder: they are not steps, and a folder listing stays clean.
LEAD_DIR = ".lead"


def head_path(step_wav: Path) -> Path:
    return step_wav.parent / LEAD_DIR / f"{step_wav.stem}.head.wav"


def rest_path(step_wav: Path) -> Path:
    return step_wav.parent / LEAD_DIR / f"{step_wav.stem}.rest.wav"


def _quiet_after_first(chunks: Sequence[Chunk]) -> float:
    from app.speech import audio

    following = chunks[1]
    if isinstance(following, Pause):
        return following.seconds
    return audio.GAPS[chunks[0].end]  # type: ignore[union-attr]


def _cut(chunks: Sequence[Chunk], first: Samples) -> int:
    """Where the head ends in the step's samples: halfway through the quiet after sentence 1."""
    from app.speech import audio

    return (int(round(audio.STEP_LEAD_IN * SAMPLE_RATE)) + len(first)
            + int(round(_quiet_after_first(chunks) * SAMPLE_RATE)) // 2)


def write_head(chunks: Sequence[Chunk], first_chunk: Path, step_wav: Path) -> float:
    """The head's WAV, at the step's loudness; returns its seconds."""
    from app.speech import audio

    first = audio.load_wav(first_chunk)
    samples = audio.finish_step([first, audio.silence(_quiet_after_first(chunks) / 2)],
                                tail=0.0)
    head_path(step_wav).parent.mkdir(parents=True, exist_ok=True)
    audio.save_wav(samples, head_path(step_wav))
    return len(samples) / SAMPLE_RATE


def write_rest(chunks: Sequence[Chunk], first_chunk: Path, step_wav: Path) -> Path:
    """The step's WAV from where its head ended (in the render worker)."""
    from app.speech import audio

    cut = _cut(chunks, audio.load_wav(first_chunk))
    rest = rest_path(step_wav)
    rest.parent.mkdir(parents=True, exist_ok=True)  # with two workers, it may precede the head
    audio.save_wav(audio.load_wav(step_wav)[cut:], rest)
    return rest
