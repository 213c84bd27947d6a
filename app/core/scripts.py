"""Validate practice scripts (scripts/*.toml) into Practice objects, from their text.

Validation collects *every* problem with its file and line, so a person writing their own
practice can fix them all in one go; nothing here raises anything but ScriptError. Reading the
files (bounded, never blocking on a pipe) and listing the library is
app.storage.script_files: core does no file I/O.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from app.core.practice import (
    LISTEN_MARK, MAX_LISTEN_SECONDS, MAX_PAUSE_SECONDS, MIN_LISTEN_SECONDS, PAUSE_MARK,
    Practice, Step, listen_seconds,
)
from app.core.problems import ScriptProblem
from app.core.record_rules import visible
from app.core.script_limits import within_limits
from app.core.toml_lines import TableLines, scan
from app.core.toml_words import toml_problem

Problem = Callable[[int, str], None]      # (line, message): one finding, said plainly

# Ids name files: lowercase letters, digits, hyphens and underscores (no dots, no slashes).
SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
SLUG_RULE = "lowercase letters, digits, hyphens and underscores"
KNOWN_TAGS = frozenset({
    "attachment", "unblending", "self-energy", "grounding", "protector", "manager",
    "firefighter", "exile", "reparenting", "polarisation", "body", "breath", "short",
    "gentle", "parts", "safety",
})
PRACTICE_KEYS = {"id": str, "title": str, "summary": str, "minutes": (int, float),
                 "tags": list, "pacing": str}
PRACTICE_REQUIRED = ("id", "title", "summary", "minutes")
STEP_KEYS = {"id": str, "title": str, "say": str, "silence_after": (int, float),
             "ask_body": bool, "wait": bool}
STEP_REQUIRED = ("id", "title", "say")
MAX_SILENCE_AFTER = 300
MAX_MINUTES = 90
MAX_FILE_BYTES = 1_000_000
SPEECH_WPM = 140
GAP_PER_SENTENCE = 0.4
# A step that waits for the person has no fixed length; this is what an estimate counts for it.
WAIT_ESTIMATE_SECONDS = 45.0
# The order bundled practices are offered in: gentle foundations first, the safety exit last.
BUNDLED_ORDER = ("self-energy", "unblending", "open-path", "disorganised-attachment",
                 "appreciating-a-protector", "inner-critic", "polarised-pair",
                 "witnessing-an-exile", "grounding")
TYPE_NAMES = {str: "text in quotes", bool: "true or false", list: "a list like [\"a\", \"b\"]",
              (int, float): "a number"}


class ScriptError(Exception):
    def __init__(self, path: Path, problems: list[ScriptProblem]):
        self.path = path
        self.problems = tuple(sorted(problems, key=lambda p: p.line))
        super().__init__("\n".join(str(p) for p in problems))


def estimate_seconds(steps: tuple[Step, ...] | list[Step], wpm: int = SPEECH_WPM) -> float:
    """Expected spoken length with pauses, listening time and silences, before any audio
    exists (at the standard quiet setting)."""
    total = 0.0
    for step in steps:
        sentences = max(1, len(re.findall(r"[.!?…]+", step.say)))
        after = WAIT_ESTIMATE_SECONDS if step.wait else step.silence_after
        total += (step.word_count / wpm * 60 + step.pause_seconds + step.listen_seconds + after
                  + sentences * GAP_PER_SENTENCE)
    return total


def parse_practice(text: str, path: Path, *, bundled: bool = False) -> Practice:
    """Validate script text as if it were the file `path` (its name gives the expected id);
    raises ScriptError listing every problem. No file is read: the editor checks what is
    being typed, and import checks a shared file before anything is written."""
    path = Path(path)
    problems: list[ScriptProblem] = []

    def problem(line: int, message: str) -> None:
        problems.append(ScriptProblem(path, line, message))

    if len(text.encode("utf-8", "surrogatepass")) > MAX_FILE_BYTES:
        problem(1, "the text is too large for a practice script")
        raise ScriptError(path, problems)
    if not within_limits(text, problem):    # size, depth, keys: before parsing
        raise ScriptError(path, problems)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line, words = toml_problem(str(exc), text)
        problem(line, f"this is not valid TOML: {words}")
        raise ScriptError(path, problems) from None
    except RecursionError:                      # the limits should have caught it first
        problem(1, "lists or tables are nested too deeply to read")
        raise ScriptError(path, problems) from None

    tables = scan(text)
    practice = _check_practice_table(path, data, tables, problem)
    steps = _check_steps(data, tables, problem)
    for key in data:
        if key not in ("practice", "step"):
            problem(_key_line(tables, "", key), f"unknown section or key '{key}' "
                    "(a script has one [practice] table and [[step]] tables)")
    if problems:
        raise ScriptError(path, problems)
    assert practice is not None
    return Practice(steps=tuple(steps), source=path, bundled=bundled, **practice)


def library_order(p: Practice) -> tuple[int, int, str]:
    """Bundled first, in a gentle order; then the person's own, by title."""
    rank = BUNDLED_ORDER.index(p.id) if p.bundled and p.id in BUNDLED_ORDER else len(BUNDLED_ORDER)
    return (0 if p.bundled else 1, rank, p.title.lower())


def too_large_message(size: int) -> str:
    return f"the file is too large for a practice script ({size:,} bytes)"


def decode_script(raw: bytes, problem: Callable[[int, str], None]) -> str | None:
    """A script file's bytes as text, or None after saying plainly why they are not."""
    if len(raw) > MAX_FILE_BYTES:
        problem(1, too_large_message(len(raw)))
        return None
    if not raw.strip():
        problem(1, "the file is empty (a script needs a [practice] table and [[step]] tables)")
        return None
    if b"\x00" in raw:
        problem(raw[:raw.index(b"\x00")].count(b"\n") + 1,
                "this looks like a binary file, not a text practice script")
        return None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        problem(line, f"the text is not valid UTF-8 (byte 0x{raw[exc.start]:02x}); "
                "save the file as UTF-8")
        return None


def _check_practice_table(path: Path, data: dict[str, Any], tables: list[TableLines],
                          problem: Problem) -> dict[str, Any] | None:
    table = data.get("practice")
    where = _table(tables, "practice")
    if not isinstance(table, dict):
        problem(1, "missing the [practice] table (id, title, summary, minutes)")
        return None
    values = _check_keys(table, where, PRACTICE_KEYS, PRACTICE_REQUIRED, "[practice]", problem)
    if "id" in values:
        if not SLUG.match(values["id"]):
            problem(where.keys["id"], f"id '{values['id']}' should be {SLUG_RULE}")
        elif values["id"] != path.stem:
            problem(where.keys["id"], f"id '{values['id']}' should match the file name "
                    f"'{path.stem}'")
    for key in ("title", "summary"):
        if key in values and not visible(values[key]):      # zero-width marks count as empty
            problem(where.keys[key], f"{key} is empty" + (
                " (it holds only invisible characters)" if values[key].strip() else ""))
    if "minutes" in values and not 0.5 <= values["minutes"] <= MAX_MINUTES:
        problem(where.keys["minutes"], f"minutes should be between 0.5 and {MAX_MINUTES}")
    tags = values.get("tags", [])
    for tag in tags:
        if not isinstance(tag, str) or tag not in KNOWN_TAGS:
            problem(where.keys["tags"], f"unknown tag {tag!r} (known tags: "
                    f"{', '.join(sorted(KNOWN_TAGS))})")
    return {
        "id": values.get("id", path.stem), "title": values.get("title", "").strip(),
        "summary": values.get("summary", "").strip(), "minutes": float(values.get("minutes", 0)),
        "tags": tuple(t for t in tags if isinstance(t, str)),
        "pacing": values.get("pacing", "").strip(),
        "minutes_line": where.keys.get("minutes", where.line),
    }


def _check_steps(data: dict[str, Any], tables: list[TableLines], problem: Problem) -> list[Step]:
    raw_steps = data.get("step")
    step_tables = [t for t in tables if t.name == "step"]
    if not isinstance(raw_steps, list) or not raw_steps:
        problem(len(tables) and tables[-1].line or 1,
                "no steps: add at least one [[step]] with id, title and say")
        return []
    steps: list[Step] = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_steps):
        where = step_tables[index] if index < len(step_tables) else TableLines("step", 1)
        label = f"step {index + 1}"
        values = _check_keys(raw, where, STEP_KEYS, STEP_REQUIRED, label, problem)
        step_id = values.get("id", "")
        if step_id:
            if not SLUG.match(step_id):
                problem(where.keys["id"], f"step id '{step_id}' should be {SLUG_RULE}")
            if step_id in seen:
                problem(where.keys["id"], f"duplicate step id '{step_id}' (first used on line "
                        f"{seen[step_id]})")
            seen.setdefault(step_id, where.keys["id"])
        if "title" in values and not visible(values["title"]):
            problem(where.keys["title"], f"{label}: title is empty")
        say = values.get("say")
        if say is not None:
            _check_say(say, where, label, problem)
        silence = values.get("silence_after", 6.0)
        if not 0 <= silence <= MAX_SILENCE_AFTER:
            problem(where.keys["silence_after"], f"{label}: silence_after should be between 0 "
                    f"and {MAX_SILENCE_AFTER} seconds")
        steps.append(Step(id=step_id, title=values.get("title", "").strip(), say=say or "",
                          silence_after=float(silence), ask_body=values.get("ask_body", False),
                          line=where.line, wait=values.get("wait", False),
                          say_line=where.value_start.get("say", where.keys.get("say", where.line))))
    return steps


def _check_keys(table: dict[str, Any], where: TableLines, allowed: dict[str, Any],
                required: tuple[str, ...], label: str, problem: Problem) -> dict[str, Any]:
    """Report unknown, missing and mistyped keys; return the well-typed values."""
    values: dict[str, Any] = {}
    for key, value in table.items():
        line = where.keys.get(key, where.line)
        if key not in allowed:
            problem(line, f"{label}: unknown key '{key}' (allowed: {', '.join(allowed)})")
            continue
        expected = allowed[key]
        if isinstance(value, bool) and expected is not bool or not isinstance(value, expected):
            problem(line, f"{label}: {key} should be {TYPE_NAMES[expected]}")
            continue
        values[key] = value
    for key in required:
        if key not in table:
            problem(where.line, f"{label}: missing '{key}'")
    return values


def _check_say(say: str, where: TableLines, label: str, problem: Problem) -> None:
    start = where.value_start.get("say", where.keys.get("say", where.line))
    if not visible(LISTEN_MARK.sub(" ", PAUSE_MARK.sub(" ", say))):
        problem(where.keys.get("say", where.line), f"{label}: there is nothing to say "
                "(the text is empty)")
    for mark in MARKS:
        _check_marks(mark, say, start, label, problem)


@dataclass(frozen=True)
class _MarkRule:
    """One kind of mark in spoken text: how it looks, what it means, what is allowed."""
    word: str                    # pause, listen
    pattern: re.Pattern[str]     # the exact form
    seconds: Callable[[re.Match[str]], float]
    low: float
    high: float
    example: str


# `[pause 3]`: quiet inside the audio. `[listen]`/`[listen 40]`: listening time the player
# keeps (see practice.LISTEN_MARK).
MARKS = (
    _MarkRule("pause", PAUSE_MARK, lambda m: float(m.group(1)), 0.5, MAX_PAUSE_SECONDS,
              "[pause 3]"),
    _MarkRule("listen", LISTEN_MARK, listen_seconds, MIN_LISTEN_SECONDS, MAX_LISTEN_SECONDS,
              "[listen 30]"),
)


def _check_marks(rule: _MarkRule, say: str, start: int, label: str, problem: Problem) -> None:
    for match in re.finditer(rf"\[\s*{rule.word}\b[^\]\n]*\]?", say, re.IGNORECASE):
        line = start + say.count("\n", 0, match.start())
        mark = match.group(0)
        full = rule.pattern.fullmatch(mark)
        if not full:
            problem(line, f"{label}: {rule.word} mark {mark!r} should look like {rule.example}")
            continue
        try:
            seconds = rule.seconds(full)
        except ValueError:
            problem(line, f"{label}: {rule.word} {mark!r} needs a number of seconds, like "
                    f"{rule.example}")
            continue
        if not rule.low <= seconds <= rule.high:
            problem(line, f"{label}: {rule.word} {mark!r} should be between {rule.low:g} and "
                    f"{rule.high:g} seconds")


def _table(tables: list[TableLines], name: str) -> TableLines:
    return next((t for t in tables if t.name == name), TableLines(name, 1))


def _key_line(tables: list[TableLines], table: str, key: str) -> int:
    for t in tables:
        if t.name == key or t.name.startswith(f"{key}."):    # [notes] or [notes.private]
            return t.line
        if t.name == table and key in t.keys:
            return t.keys[key]
    return 1
