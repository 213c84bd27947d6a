"""Practice and Step: what a guided practice is, independent of files, audio or Qt."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

# `[pause 3]` or `[pause 2.5]` inside spoken text: that many seconds of quiet.
PAUSE_MARK = re.compile(r"\[pause\s+([^\]]*)\]", re.IGNORECASE)
MAX_PAUSE_SECONDS = 60.0


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    say: str                      # spoken text, may hold [pause N] marks
    silence_after: float = 6.0    # seconds of quiet after the voice, to feel
    ask_body: bool = False        # offer the body map at this step
    line: int = 0                 # where the step starts in its file (for messages)

    @property
    def paragraphs(self) -> list[str]:
        """The text as shown on screen: one paragraph per written line, pause marks removed."""
        text = PAUSE_MARK.sub("", self.say)
        lines = (" ".join(line.split()) for line in text.strip().splitlines())
        return [line for line in lines if line]

    @property
    def display_text(self) -> str:
        return "\n\n".join(self.paragraphs)

    @property
    def word_count(self) -> int:
        return len(PAUSE_MARK.sub(" ", self.say).split())

    @property
    def pause_seconds(self) -> float:
        return sum(float(m.group(1)) for m in PAUSE_MARK.finditer(self.say))


@dataclass(frozen=True)
class Practice:
    id: str
    title: str
    summary: str
    minutes: float                # expected length including silences
    steps: tuple[Step, ...]
    tags: tuple[str, ...] = ()
    pacing: str = ""              # a gentle note shown before starting
    source: Path | None = None    # the script file it came from
    bundled: bool = True

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)


@dataclass(frozen=True)
class ScriptProblem:
    """One thing wrong with a practice script, reported as `path:line: message`."""
    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class BrokenScript:
    """A script that failed validation: listed (greyed) in the library with its problems."""
    path: Path
    problems: tuple[ScriptProblem, ...] = field(default_factory=tuple)
