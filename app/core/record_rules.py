"""What a journal row may hold: one set of rules for the journal's own writes and for import.

An import once accepted intensity 99, a relation "marries" and a start time "not a date"; the
Parts page then failed and the PDF quietly left sessions out. Now every row written by the app
and every row of an imported file passes `row_problems` first, so nothing can be stored that
the app could not have stored itself. Pure Python, no I/O.
"""
from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.core.records import LINK_KINDS, OUTCOMES, PART_ROLES, SELF_ENERGY, STEP_EVENT_KINDS, VIEWS

PHASES = ("before", "after", "standalone")
NAME_MAX = 80                 # a part's name (the editor's limit, app.core.parts)
PART_TEXT_MAX = 2_000         # each of a part's texts (app.core.parts)
MARK_NOTE_MAX = 280           # a body mark's note (the mark panel's limit)
NOTE_MAX = 20_000             # a check-in or session note: a long journal entry fits
LABEL_MAX = 200               # ids and titles of practices and steps
SETTING_MAX = 100_000         # one setting's JSON value
TIME_EXAMPLE = "2026-03-04T09:15:00+01:00"
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
_REGION = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Field:
    kind: str                                    # "id" | "int" | "number" | "text" | "time"
    required: bool = False
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    max_length: int | None = None
    check: Callable[[Any], str | None] | None = None   # a further rule; None when fine


def _regions(value: str) -> str | None:
    # Only the shape of an id: a journal may outlive a renamed region (app.core.body.label).
    odd = [r for r in (s.strip() for s in value.split(",")) if r and not _REGION.match(r)]
    return f"holds {odd[0][:40]!r}, which is not a body area id" if odd else None


def _qualities(value: str) -> str | None:
    from app.core.body import QUALITIES
    unknown = [q for q in value.split(",") if q and q not in QUALITIES]
    return f"holds {unknown[0][:40]!r}, which is not a known quality" if unknown else None


def _colour(value: str) -> str | None:
    return None if not value or _COLOUR.match(value) else "should be a colour like #7fa99b"


def _json(value: str) -> str | None:
    try:
        json.loads(value)
    except (ValueError, RecursionError):
        return "should be a JSON value"
    return None


def _not_blank(value: str) -> str | None:
    return None if visible(value) else "should not be empty"


def visible(text: str) -> bool:
    """True when `text` shows something: not only spaces, line breaks or zero-width marks."""
    return bool(_INVISIBLE.sub("", text))


# Spaces and the characters that take no room (zero-width space/joiners, word joiner, BOM,
# soft hyphen, Mongolian vowel separator, bidi marks and embeddings).
_INVISIBLE = re.compile("[\\s\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]+")

ID = Field("id", low=1)
INTENSITY = Field("int", low=0, high=10)
TIME = Field("time", required=True)
RULES: dict[str, dict[str, Field]] = {
    "sessions": {
        "id": ID, "practice_id": Field("text", True, max_length=LABEL_MAX),
        "practice_title": Field("text", max_length=LABEL_MAX), "started_at": TIME,
        "ended_at": Field("time"), "outcome": Field("text", choices=OUTCOMES),
        "current_step": Field("text", max_length=LABEL_MAX), "part_id": ID,
        "note": Field("text", max_length=NOTE_MAX)},
    "step_events": {
        "id": ID, "session_id": ID, "step_id": Field("text", max_length=LABEL_MAX),
        "kind": Field("text", True, choices=STEP_EVENT_KINDS), "at": TIME},
    "checkins": {
        "id": ID, "session_id": ID, "phase": Field("text", True, choices=PHASES), "at": TIME,
        "intensity": INTENSITY, "note": Field("text", max_length=NOTE_MAX),
        **{quality: INTENSITY for quality in SELF_ENERGY}},
    "parts": {
        "id": ID, "name": Field("text", True, max_length=NAME_MAX, check=_not_blank),
        "role": Field("text", choices=PART_ROLES),
        **{name: Field("text", max_length=PART_TEXT_MAX)
           for name in ("does", "fears", "wants", "felt_age", "notes")},
        "where_felt": Field("text", max_length=PART_TEXT_MAX, check=_regions),
        "colour": Field("text", max_length=7, check=_colour),
        "archived": Field("int", low=0, high=1), "created_at": Field("time")},
    "part_links": {
        "id": ID, "from_part": Field("id", True, low=1), "to_part": Field("id", True, low=1),
        "kind": Field("text", True, choices=LINK_KINDS)},
    "body_marks": {
        "id": ID, "at": TIME, "session_id": ID, "step_id": Field("text", max_length=LABEL_MAX),
        "view": Field("text", True, choices=VIEWS),
        "region": Field("text", True, max_length=LABEL_MAX, check=_regions),
        "x": Field("number", low=0, high=1), "y": Field("number", low=0, high=1),
        "intensity": INTENSITY,          # NULL: saved with a place only, strength not rated
        "qualities": Field("text", max_length=LABEL_MAX * 2, check=_qualities),
        "part_id": ID, "note": Field("text", max_length=MARK_NOTE_MAX)},
    "settings": {
        "key": Field("text", True, max_length=LABEL_MAX),
        "value": Field("text", max_length=SETTING_MAX, check=_json)},
}


def row_problems(table: str, row: dict[str, Any]) -> list[tuple[str, str]]:
    """(column, what is wrong) for every rule `row` breaks; columns not in `row` are only
    checked for being required. Unknown columns are left to the caller (SQL refuses them)."""
    problems = []
    for column, rule in RULES[table].items():
        if column not in row or row[column] is None:
            if rule.required and column in row:
                problems.append((column, "a value is required"))
            continue
        message = value_problem(rule, row[column])
        if message:
            problems.append((column, message))
    if table == "part_links" and row.get("from_part") is not None \
            and row.get("from_part") == row.get("to_part"):
        problems.append(("to_part", "a part cannot be linked with itself"))
    return problems


def value_problem(rule: Field, value: Any) -> str | None:
    """What is wrong with one value under `rule`, in words; None when it is fine."""
    kind_problem = _kind_problem(rule, value)
    if kind_problem:
        return kind_problem
    if rule.choices and value not in rule.choices:
        return f"should be one of {', '.join(rule.choices)}"
    if rule.max_length is not None and len(value) > rule.max_length:
        return f"is too long ({len(value):,} characters; at most {rule.max_length:,})"
    if rule.low is not None and value < rule.low or rule.high is not None and value > rule.high:
        return _range_words(rule)
    return rule.check(value) if rule.check else None


def _kind_problem(rule: Field, value: Any) -> str | None:
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if rule.kind in ("id", "int") and not (number and isinstance(value, int)):
        return "should be a whole number"
    if rule.kind == "number" and not number:
        return "should be a number"
    if rule.kind == "number" and value != value:                  # NaN
        return "should be a number"
    if rule.kind in ("text", "time") and not isinstance(value, str):
        return "should be text"
    if rule.kind == "time" and not is_time(value):
        return f"should be a date and time with its UTC offset, like {TIME_EXAMPLE}"
    return None


def _range_words(rule: Field) -> str:
    if rule.kind == "id":
        return "should be a whole number from 1 up"
    if rule.kind == "int":
        return f"should be a whole number from {rule.low:g} to {rule.high:g}"
    return f"should be between {rule.low:g} and {rule.high:g}"


def is_time(text: str) -> bool:
    """An ISO 8601 date and time with a UTC offset, as the journal stores them."""
    if len(text) > 40 or len(text) < 19 or text[10:11] not in ("T", " "):
        return False
    try:
        return datetime.fromisoformat(text).utcoffset() is not None
    except ValueError:
        return False
