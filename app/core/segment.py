"""Segment: a stretch of a step's speech up to a listen mark, played as one audio file.

Apart from app.core.practice, and imported when a step is first cut into segments, because the
window's first frame needs practices and steps but no segment: Python 3.11 makes each
@dataclass's methods with `exec`, ~5 million instructions a class (bench/startup.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from app.core.practice import PAUSE_MARK, Spoken, spoken_words


@dataclass(frozen=True)
class Segment(Spoken):
    """A stretch of a step's speech up to a listen mark (or the end), played as one file."""
    step_id: str
    index: int
    say: str
    listen_after: float           # seconds of listening time after it (0 for the last)
    # `[pause N]` marks after its last words, taken out of `say`: quiet after the voice, timed
    # by the player like listening time, so the screen shows quiet (not "playing") through it
    # and "Stay with this step" can hold it.
    closing_pause: float = 0.0

    @property
    def audio_id(self) -> str:
        """The name its audio is kept under: the step id, then `step.2`, `step.3`, …"""
        return self.step_id if self.index == 0 else f"{self.step_id}.{self.index + 1}"


_CLOSING_PAUSES = re.compile(r"(?:\s*\[pause\s+[^\]]*\])+\s*$", re.IGNORECASE)


def without_closing_pauses(text: str) -> tuple[str, float]:
    """The text without the pause marks after its last words, and their seconds. Text with no
    words keeps its marks (its audio is that quiet); a mark that is not a number counts 0."""
    found = _CLOSING_PAUSES.search(text)
    if found is None or not spoken_words(text[:found.start()]):
        return text, 0.0
    seconds = 0.0
    for mark in PAUSE_MARK.finditer(found.group(0)):
        try:
            seconds += max(0.0, float(mark.group(1)))
        except ValueError:
            pass
    return text[:found.start()], seconds
