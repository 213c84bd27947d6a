"""Practice and Step: what a guided practice is, independent of files, audio or Qt."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.core.segment import Segment

# `[pause 3]` or `[pause 2.5]` inside spoken text: that many seconds of quiet, part of the audio.
PAUSE_MARK = re.compile(r"\[pause\s+([^\]]*)\]", re.IGNORECASE)
MAX_PAUSE_SECONDS = 60.0
# `[listen 40]` (or `[listen]`, 30 s): time for the person to listen inside, usually after a
# question. Unlike a pause it is not baked into the audio: the speech is cut there into
# segments and the player times the quiet, so the quiet setting can lengthen it and "Stay with
# this step" can hold it.
LISTEN_MARK = re.compile(r"\[listen(?:\s+([^\]]*))?\]", re.IGNORECASE)
DEFAULT_LISTEN_SECONDS = 30.0
MIN_LISTEN_SECONDS = 5.0
MAX_LISTEN_SECONDS = 300.0


def listen_seconds(mark: re.Match[str]) -> float:
    """Seconds of one listen mark; raises ValueError for a value that is not a number."""
    value = (mark.group(1) or "").strip()
    return float(value) if value else DEFAULT_LISTEN_SECONDS


def spoken_words(text: str) -> int:
    return len(LISTEN_MARK.sub(" ", PAUSE_MARK.sub(" ", text)).split())


def pause_total(text: str) -> float:
    return sum(float(m.group(1)) for m in PAUSE_MARK.finditer(text))


class Spoken:
    """What Step and Segment share: spoken text with marks, and what it adds up to."""
    say: str

    @property
    def word_count(self) -> int:
        return spoken_words(self.say)

    @property
    def pause_seconds(self) -> float:
        return pause_total(self.say)


@dataclass(frozen=True)
class Step(Spoken):
    """One step of a practice: a title, words to say, and the quiet after them."""
    id: str
    title: str
    say: str                      # spoken text, may hold [pause N] and [listen N] marks
    silence_after: float = 6.0    # seconds of quiet after the voice, to feel
    ask_body: bool = False        # offer the body map at this step
    line: int = 0                 # where the step starts in its file (for messages)
    wait: bool = False            # after the voice, wait for the person to press Continue
    say_line: int = 0             # the file line where the `say` text begins (for messages)

    @property
    def paragraphs(self) -> list[str]:
        """The text as shown on screen: one paragraph per written line, marks removed."""
        text = LISTEN_MARK.sub("", PAUSE_MARK.sub("", self.say))
        lines = (" ".join(line.split()) for line in text.strip().splitlines())
        return [line for line in lines if line]

    @property
    def display_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def listen_seconds(self) -> float:
        """All listening time inside the step (before the quiet setting scales it)."""
        return sum(s.listen_after for s in self.segments)

    def quiet_after(self, segment: Segment, *, honour_wait: bool = True) -> float:
        """Seconds of quiet after one of its segments, before the quiet setting scales it: the
        listening time, plus the step's silence after the last segment. A step that waits has
        no timed quiet at its end (unless `honour_wait` is off: then nobody is asked)."""
        last = segment.index == len(self.segments) - 1
        if last and self.wait and honour_wait:
            return 0.0  # the wait is the quiet; a closing pause would only delay it
        closing = segment.closing_pause + segment.listen_after
        return closing + (self.silence_after if last else 0.0)

    @property
    def segments(self) -> tuple[Segment, ...]:
        """The speech cut at listen marks; a mark at the very end adds to the last one's quiet.
        Validated scripts only: a listen mark that is not a number counts as the default."""
        from app.core.segment import Segment, without_closing_pauses   # not for the first frame
        pieces: list[tuple[str, float]] = []
        position = 0
        for mark in LISTEN_MARK.finditer(self.say):
            try:
                seconds = listen_seconds(mark)
            except ValueError:
                seconds = DEFAULT_LISTEN_SECONDS
            text = self.say[position:mark.start()]
            if spoken_words(text) or not pieces:
                pieces.append((text, seconds))
            else:  # nothing said between two marks: one longer quiet
                pieces[-1] = (pieces[-1][0] + text, pieces[-1][1] + seconds)
            position = mark.end()
        tail = self.say[position:]
        if spoken_words(tail) or not pieces:
            pieces.append((tail, 0.0))
        else:
            pieces[-1] = (pieces[-1][0] + tail, pieces[-1][1])
        segments = []
        for index, (text, listen) in enumerate(pieces):
            spoken, closing = without_closing_pauses(text)
            segments.append(Segment(self.id, index, spoken, listen, closing))
        return tuple(segments)


@dataclass(frozen=True)
class Practice:
    """A guided practice: its steps in order, and what the library shows of it."""
    id: str
    title: str
    summary: str
    minutes: float                # expected length including silences
    steps: tuple[Step, ...]
    tags: tuple[str, ...] = ()
    pacing: str = ""              # a gentle note shown before starting
    source: Path | None = None    # the script file it came from
    bundled: bool = True
    minutes_line: int = 1         # where `minutes` is written (for messages about length)

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)
