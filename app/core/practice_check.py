"""The checks of `securebase check`, for text being edited: each message placed at its field.

The editor shows a message next to the field it is about (a step's title, its words, the
practice's tags); the validator and the pacing lint speak in file lines. This module runs the
very same validator and lint on the text and maps each line back to the table and key it
falls in, using the same line scanner the validator uses.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from collections.abc import Sequence
from pathlib import Path

from app.core.pacing import lint
from app.core.practice import Practice, Step
from app.core.scripts import MAX_MINUTES, ScriptError, estimate_seconds, parse_practice
from app.core.toml_lines import scan

# "step 2: title is empty", "step 'arrive': the question…", "[practice]: missing 'id'"
_LABEL = re.compile(r"^(?:step (?:\d+|'[^']*')|\[practice\]): ")


@dataclass(frozen=True)
class FieldRef:
    step: int | None            # None: the practice itself
    key: str | None             # None: the table (or file) as a whole


@dataclass(frozen=True)
class Message:
    where: FieldRef
    text: str                   # without the "step 2:" label: it is shown beside the field
    warning: bool
    line: int


@dataclass(frozen=True)
class CheckResult:
    practice: Practice | None   # None when there are errors
    messages: tuple[Message, ...]
    estimate_seconds: float | None

    @property
    def errors(self) -> list[Message]:
        return [m for m in self.messages if not m.warning]

    @property
    def warnings(self) -> list[Message]:
        return [m for m in self.messages if m.warning]

    def at(self, where: FieldRef) -> list[Message]:
        return [m for m in self.messages if m.where == where]


def check_text(text: str, path: Path, steps: list[Step] | None = None) -> CheckResult:
    """Validate and lint `text` as the file `path`. `steps` (read leniently from the form)
    give a length estimate even while the text has errors."""
    try:
        parsed = parse_practice(text, path)
    except ScriptError as exc:
        problems, practice = list(exc.problems), None
    else:
        problems, practice = lint(parsed), parsed
    messages = tuple(Message(locate(text, p.line), _LABEL.sub("", p.message), p.warning, p.line)
                     for p in problems)
    basis = practice.steps if practice is not None else steps
    return CheckResult(practice, messages, _estimate(basis))


def _estimate(steps: Sequence[Step] | None) -> float | None:
    if not steps:
        return None
    try:
        seconds = estimate_seconds(list(steps))
    except (ValueError, TypeError):
        return None                       # a mark with no number yet: no estimate for now
    return seconds if math.isfinite(seconds) else None


def minutes_for(seconds: float) -> float:
    """The `minutes` an editor writes for an estimate: to the half minute, within limits."""
    return min(float(MAX_MINUTES), max(0.5, round(seconds / 30) / 2))


def locate(text: str, line: int) -> FieldRef:
    """The table and key a line of the script belongs to."""
    tables = scan(text)
    current, step_index = tables[0], None
    index = -1
    for table in tables[1:]:
        if table.line > line:
            break
        current = table
        if table.name == "step":
            index += 1
    if current.name == "step":
        step_index = index
    elif current.name != "practice":
        return FieldRef(None, None)
    key = None
    best = 0
    for name, key_line in current.keys.items():
        if best < key_line <= line:
            key, best = name, key_line
    if key is not None and line != best and key != "say":
        key = None                        # a line after a one-line value: not that key's
    return FieldRef(step_index, key)
