"""A practice script as an editable document: change one value and only that value changes.

The editor and the CLI work on the script's own text through tomlkit, so a hand-written file
keeps its comments, its key order and its layout when a title is retyped or a step moved; the
file stays readable and a diff shows exactly what was changed. Moving, adding and removing
steps works on the text's step blocks (a step's header, its keys, and the comment lines just
above it), so a comment written above a step travels with it.

Pure: no files are read or written here (app.storage.user_practices saves the text).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.items import String, StringType, Trivia

from app.core.script_limits import check_limits
from app.core.scripts import SLUG
from app.core.toml_lines import scan

STEP_KEYS = ("id", "title", "say", "silence_after", "ask_body", "wait")
# Written only when they differ from what the validator assumes when they are missing.
STEP_DEFAULTS: dict[str, Any] = {"silence_after": 6.0, "ask_body": False, "wait": False}
PRACTICE_DEFAULTS: dict[str, Any] = {"tags": [], "pacing": ""}


class DocumentError(ValueError):
    """The text cannot be edited as a practice document; the message is plain."""


@dataclass(frozen=True)
class StepFields:
    """One step as the form shows it (missing keys read as the validator's defaults)."""
    id: str = ""
    title: str = ""
    say: str = ""
    silence_after: float = 6.0
    ask_body: bool = False
    wait: bool = False


class PracticeDoc:
    """The text of one practice script, with typed reads and comment-keeping writes."""

    def __init__(self, text: str):
        limit = check_limits(text)
        if limit is not None:
            raise DocumentError(f"line {limit.line}: {limit.message}")
        try:
            self._doc = tomlkit.parse(text)
        except (TOMLKitError, ValueError, RecursionError) as exc:
            raise DocumentError(f"this is not valid TOML ({exc})") from None
        if not isinstance(self._doc.get("practice"), dict):
            self._doc.add("practice", tomlkit.table())
        steps = self._doc.get("step")
        if steps is not None and not isinstance(steps, list):
            raise DocumentError("'step' should be a list of [[step]] tables")

    @property
    def text(self) -> str:
        return self._doc.as_string()

    # -- the [practice] table ---------------------------------------------------------------

    def practice(self, key: str, default: Any = None) -> Any:
        return _plain(self._doc["practice"].get(key, default))

    def set_practice(self, key: str, value: Any) -> None:
        _set(self._doc["practice"], key, value, PRACTICE_DEFAULTS)

    # -- steps -----------------------------------------------------------------------------

    def _steps(self) -> list[Any]:
        return list(self._doc.get("step", []))

    @property
    def step_count(self) -> int:
        return len(self._steps())

    def step(self, index: int) -> StepFields:
        table = self._steps()[index]
        values = {key: _plain(table[key]) for key in STEP_KEYS if key in table}
        typed: dict[str, Any] = {key: value for key, value in values.items()
                 if isinstance(value, type(getattr(StepFields, key)))
                 or key == "silence_after" and isinstance(value, (int, float))
                 and not isinstance(value, bool)}
        return StepFields(**typed)

    def steps(self) -> list[StepFields]:
        return [self.step(i) for i in range(self.step_count)]

    def step_ids(self) -> list[str]:
        return [s.id for s in self.steps()]

    def set_step(self, index: int, key: str, value: Any) -> None:
        table = self._steps()[index]
        if key == "say":
            _set_say(table, value)
        else:
            _set(table, key, value, STEP_DEFAULTS)

    def add_step(self, fields: StepFields, index: int | None = None) -> int:
        """Insert a new step (at the end by default); returns its index."""
        blocks = self._blocks()
        position = len(blocks.steps) if index is None else max(0, min(index, len(blocks.steps)))
        blocks.steps.insert(position, _step_block(fields))
        self._reparse(blocks.join())
        return position

    def remove_step(self, index: int) -> str:
        """Take a step out; returns its block of text (to put back with insert_block)."""
        blocks = self._blocks()
        removed = blocks.steps.pop(index)
        self._reparse(blocks.join())
        return removed

    def insert_block(self, index: int, block: str) -> None:
        blocks = self._blocks()
        blocks.steps.insert(max(0, min(index, len(blocks.steps))), block)
        self._reparse(blocks.join())

    def move_step(self, source: int, target: int) -> None:
        """Move the step at `source` so that it ends up at index `target`."""
        blocks = self._blocks()
        if not (0 <= source < len(blocks.steps) and 0 <= target < len(blocks.steps)):
            raise IndexError("no such step")
        blocks.steps.insert(target, blocks.steps.pop(source))
        self._reparse(blocks.join())

    def _blocks(self) -> _Blocks:
        return split_blocks(self.text)

    def _reparse(self, text: str) -> None:
        self._doc = tomlkit.parse(text)


@dataclass
class _Blocks:
    prelude: str
    steps: list[str]

    def join(self) -> str:
        prelude = self.prelude if self.prelude.endswith("\n") or not self.prelude else \
            self.prelude + "\n"
        parts = [prelude]
        for block in self.steps:
            block = block if block.endswith("\n") else block + "\n"
            if not block.startswith("\n"):
                block = "\n" + block              # one blank line between steps, always
            parts.append(block)
        text = "".join(parts)
        return re.sub(r"\n{3,}(?=(?:[ \t]*#[^\n]*\n)*[ \t]*\[\[step\]\])", "\n\n", text)


def split_blocks(text: str) -> _Blocks:
    """The text before the first step, and each step's block: the comment and blank lines
    just above its `[[step]]` header, the header, and everything up to the next block."""
    lines = text.splitlines(keepends=True)
    starts = []
    for table in scan(text):
        if table.name == "step":
            start = table.line - 1                # 0-based index of the header line
            while start > 0 and _is_lead(lines[start - 1]):
                start -= 1
            starts.append(start)
    if not starts:
        return _Blocks(text, [])
    bounds = starts + [len(lines)]
    steps = ["".join(lines[a:b]) for a, b in zip(bounds, bounds[1:])]
    return _Blocks("".join(lines[:starts[0]]), steps)


def _is_lead(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _step_block(fields: StepFields) -> str:
    table = tomlkit.table()
    table.add("id", fields.id)
    table.add("title", fields.title)
    _set_say(table, fields.say)
    for key, default in STEP_DEFAULTS.items():
        value = getattr(fields, key)
        if value != default:
            table.add(key, _number(value) if key == "silence_after" else value)
    body = tomlkit.document()
    body.append("step", tomlkit.aot())
    body["step"].append(table)
    return "\n" + body.as_string()


def _set(table: Any, key: str, value: Any, defaults: dict[str, Any]) -> None:
    """Set a value in place (its comment stays); a default the file never had stays out."""
    if isinstance(value, float) or isinstance(value, int) and not isinstance(value, bool):
        value = _number(value)
    if key not in table and key in defaults and value == defaults[key]:
        return
    table[key] = value


def _set_say(table: Any, text: str) -> None:
    """`say` as a multi-line string that opens on its own line, as scripts are written."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip("\n") + "\n"
    escaped = text.replace("\\", "\\\\").replace('"""', '""\\"')
    escaped = re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", lambda m: f"\\u{ord(m.group(0)):04x}", escaped)
    table["say"] = String(StringType.MLB, text, "\n" + escaped, Trivia())


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _plain(value: Any) -> Any:
    """tomlkit's items as plain Python values."""
    unwrap = getattr(value, "unwrap", None)
    return unwrap() if callable(unwrap) else value


def unique_slug(title: str, taken: set[str] | list[str], fallback: str = "step") -> str:
    """An id made from a title (lowercase words joined by hyphens), not in `taken`."""
    base = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:48].strip("-") or fallback
    if not SLUG.match(base):
        base = fallback
    candidate, number = base, 2
    while candidate in taken:
        candidate = f"{base}-{number}"
        number += 1
    return candidate


def blank_text(practice_id: str) -> str:
    """A new practice with one empty step, for the editor to fill in."""
    doc = tomlkit.document()
    practice = tomlkit.table()
    for key, value in (("id", practice_id), ("title", ""), ("summary", ""), ("minutes", 1),
                       ("tags", [])):
        practice.add(key, value)
    doc.add("practice", practice)
    return doc.as_string() + _step_block(StepFields(id="step-1"))
