"""Pacing lint: warnings about a valid script that would rush its listener.

A question put to a part needs real time before the voice goes on; a long talk with no room to
feel becomes a lecture; a practice that never offers the body map leaves out half of what the
app is for. None of this stops a script from working, so these are warnings, never errors:
`securebase check` prints them and still exits 0.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Callable

from app.core.practice import (
    LISTEN_MARK, PAUSE_MARK, Practice, Step, listen_seconds, spoken_words,
)
from app.core.problems import ScriptProblem
from app.core.scripts import SPEECH_WPM, estimate_seconds

MIN_QUESTION_QUIET = 20.0      # seconds of quiet a question needs before the voice goes on
MAX_SPEECH_RUN = 90.0          # seconds of speech before the listener needs a real pause
REST_PAUSE = 5.0               # a quiet this long (or longer) counts as a real pause
LONG_PAUSE = 20.0              # longer `[pause N]`s belong in `[listen N]`
LENGTH_TOLERANCE = 0.4         # `minutes` may differ this much from the estimate
# A safety exit (grounding) keeps attention outside; it need not invite the body map.
NO_BODY_MAP_TAGS = frozenset({"safety"})

_MARK = re.compile(f"{PAUSE_MARK.pattern}|{LISTEN_MARK.pattern}", re.IGNORECASE)
# A question ends at "?" (perhaps inside closing quotes); the quiet after it starts there.
_QUESTION = re.compile(r"\?[\"'\u201d\u2019)]*")


@dataclass(frozen=True)
class Question:
    """A question in a step, and the quiet that follows it before anything more is said."""
    step: Step
    text: str
    line: int
    quiet: float                # seconds (math.inf when the step then waits for the person)


def questions(step: Step) -> list[Question]:
    found = []
    for match in _QUESTION.finditer(step.say):
        if _inside_mark(step.say, match.start()):
            continue
        text = _sentence_before(step.say, match.start())
        line = step.say_line + step.say.count("\n", 0, match.start())
        found.append(Question(step, text, line, quiet_after_position(step, match.end())))
    return found


def lint(practice: Practice) -> list[ScriptProblem]:
    """Every pacing warning for one practice, in line order."""
    path = practice.source or Path(f"{practice.id}.toml")
    warnings: list[ScriptProblem] = []

    def warn(line: int, message: str) -> None:
        warnings.append(ScriptProblem(path, line, message, warning=True))

    for step in practice.steps:
        label = f"step '{step.id}'"
        for question in questions(step):
            if question.quiet < MIN_QUESTION_QUIET:
                warn(question.line, f"{label}: the question “{_short(question.text)}” is "
                     f"followed by {question.quiet:g} s of quiet; give the listener at least "
                     f"{MIN_QUESTION_QUIET:g} s to notice an answer, e.g. [listen 30]")
        for line, seconds in _speech_runs(step):
            if seconds > MAX_SPEECH_RUN:
                warn(line, f"{label}: about {seconds:.0f} s of speech with no pause of "
                     f"{REST_PAUSE:g} s or more; leave room to feel, e.g. [pause 6]")
        for line, seconds in _long_pauses(step):
            warn(line, f"{label}: [pause {seconds:g}] is long; use [listen {seconds:g}] so the "
                 "quiet setting can lengthen it and “Stay with this step” can hold it")
    if not any(s.ask_body for s in practice.steps) and not NO_BODY_MAP_TAGS & set(practice.tags):
        warn(1, "no step offers the body map; add ask_body = true where "
             "the practice turns to what is felt in the body")
    _check_minutes(practice, warn)
    return sorted(warnings, key=lambda w: w.line)


def _check_minutes(practice: Practice, warn: Callable[[int, str], None]) -> None:
    estimate = estimate_seconds(practice.steps) / 60
    expected = practice.minutes
    if abs(estimate - expected) > max(1.0, LENGTH_TOLERANCE * expected):
        warn(practice.minutes_line, f"minutes = {expected:g}, but the guidance with its "
             f"pauses and silences comes to about {estimate:.1f} minutes")


def quiet_after_position(step: Step, position: int) -> float:
    """Quiet from `position` until the next spoken word: marks, then the step's own end."""
    quiet = 0.0
    for _, piece in _pieces(step.say[position:]):
        if isinstance(piece, float):
            quiet += piece
        elif spoken_words(piece):
            return quiet
    return math.inf if step.wait else quiet + step.silence_after


def _pieces(text: str) -> list[tuple[int, str | float]]:
    """(offset, text) and (offset, seconds of a mark) in order."""
    pieces: list[tuple[int, str | float]] = []
    position = 0
    for mark in _MARK.finditer(text):
        pieces.append((position, text[position:mark.start()]))
        pieces.append((mark.start(), _mark_seconds(mark)))
        position = mark.end()
    pieces.append((position, text[position:]))
    return pieces


def _mark_seconds(mark: re.Match[str]) -> float:
    pause = PAUSE_MARK.fullmatch(mark.group(0))
    listen = LISTEN_MARK.fullmatch(mark.group(0))
    try:
        return float(pause.group(1)) if pause else listen_seconds(listen) if listen else 0.0
    except ValueError:
        return 0.0


def _speech_runs(step: Step) -> list[tuple[int, float]]:
    """(line where a run of speech starts, its estimated seconds) between real pauses."""
    runs: list[tuple[int, int]] = []      # (offset of the run's first word, words)
    for offset, piece in _pieces(step.say):
        if isinstance(piece, float):
            if piece >= REST_PAUSE:
                runs.append((-1, 0))
        elif spoken_words(piece):
            if not runs or runs[-1][0] < 0:
                first = offset + len(piece) - len(piece.lstrip())
                runs.append((first, 0))
            runs[-1] = (runs[-1][0], runs[-1][1] + spoken_words(piece))
    return [(step.say_line + step.say.count("\n", 0, first), words / SPEECH_WPM * 60)
            for first, words in runs if first >= 0]


def _long_pauses(step: Step) -> list[tuple[int, float]]:
    found = []
    for mark in PAUSE_MARK.finditer(step.say):
        try:
            seconds = float(mark.group(1))
        except ValueError:
            continue
        if seconds > LONG_PAUSE:
            found.append((step.say_line + step.say.count("\n", 0, mark.start()), seconds))
    return found


def _inside_mark(text: str, position: int) -> bool:
    return any(m.start() <= position < m.end() for m in _MARK.finditer(text))


def _sentence_before(text: str, end: int) -> str:
    clean = _MARK.sub(" ", text[:end + 1])
    start = max(clean.rfind(c, 0, len(clean) - 1) for c in ".!?\n")
    return " ".join(clean[start + 1:].split())


def _short(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"
