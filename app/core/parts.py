"""Parts: words for roles and relations, validation, and a part's history. Pure Python, no Qt.

The views and the storage glue both use these, so what the editor accepts, what the map
draws and what the part's page tells are one set of rules.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date
from collections.abc import Iterable

from app.core import body
from app.core import part_templates
from app.core.records import (
    LINK_KINDS, PART_ROLES, SELF_ENERGY, BodyMark, CheckIn, Part, SessionRecord,
)

ROLE_LABELS: dict[str, str] = {
    "manager": "Manager",
    "firefighter": "Firefighter",
    "exile": "Exile",
    "unsure": "Not sure yet",
}
ROLE_HINTS: dict[str, str] = {
    "manager": "tries to keep things under control, ahead of time",
    "firefighter": "rushes in to put out pain once it is already here",
    "exile": "carries an old hurt and is often kept out of sight",
    "unsure": "no need to know yet",
}
# Calm, mid-tone colours that stay readable under dark text on both themes.
PART_COLOURS: tuple[tuple[str, str], ...] = (
    ("Sage", "#7fa99b"), ("Clay", "#c98b6b"), ("Lavender", "#9b8fc4"), ("Sky", "#7aa6c9"),
    ("Honey", "#d2a854"), ("Rose", "#c98797"), ("Moss", "#8e9f5c"), ("Stone", "#9a948a"),
)
NAME_MAX = 80
TEXT_MAX = 2000
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

# How a relation reads from one part's side. Stored links are (from, to, kind); "protected_by"
# is the same "protects" link seen from the part being protected.
RELATIONS: dict[str, str] = {
    "polarised": "pulls against",
    "protects": "protects",
    "protected_by": "is protected by",
}
LINK_PHRASES: dict[str, str] = {"polarised": "pulls against", "protects": "protects"}

LinkRow = tuple[int, int, int, str]                 # id, from part, to part, kind

# re-exported, so callers need only this module for everything about parts
TEMPLATES = part_templates.TEMPLATES
PartTemplate = part_templates.PartTemplate
template = part_templates.template


# -- words and colours ---------------------------------------------------------------------

def role_label(role: str) -> str:
    return ROLE_LABELS.get(role, ROLE_LABELS["unsure"])


def colour_name(colour: str) -> str:
    return next((name for name, hex_ in PART_COLOURS if hex_.lower() == colour.lower()),
                colour or "no colour")


def suggest_colour(parts: Iterable[Part]) -> str:
    """The first calm colour no active part uses yet, so new parts are easy to tell apart."""
    used = {p.colour.lower() for p in parts if not p.archived}
    free = [hex_ for _, hex_ in PART_COLOURS if hex_.lower() not in used]
    return free[0] if free else PART_COLOURS[len(used) % len(PART_COLOURS)][1]


def where_ids(part: Part) -> tuple[str, ...]:
    return tuple(r for r in (s.strip() for s in part.where_felt.split(",")) if r)


def where_text(part: Part) -> str:
    # semicolons: some area names hold a comma ("Middle belly, around the navel")
    return "; ".join(body.label(r) for r in where_ids(part))


def all_region_ids() -> list[tuple[str, str]]:
    """(id, label) of every body area once: shared ids (a shoulder) are one place to feel."""
    seen: dict[str, str] = {}
    for view in ("front", "back"):
        for reg in body.regions(view):
            seen.setdefault(reg.id, reg.label)
    return list(seen.items())


# -- validation ----------------------------------------------------------------------------

def clean(part: Part) -> Part:
    """Trim stray spaces the way a person would expect, without changing what they wrote."""
    text = {k: getattr(part, k).strip() for k in ("name", "does", "fears", "wants",
                                                  "felt_age", "colour", "notes")}
    return replace(part, where_felt=",".join(dict.fromkeys(where_ids(part))), **text)


def validate_part(part: Part) -> list[str]:
    """Every problem with a part, in words for the person; empty when it can be saved."""
    problems = []
    if not part.name.strip():
        problems.append("Please give the part a name; any word that fits is fine.")
    elif len(part.name.strip()) > NAME_MAX:
        problems.append(f"Please keep the name under {NAME_MAX} characters.")
    if part.role not in PART_ROLES:
        problems.append(f"Unknown role {part.role!r}.")
    if part.colour and not _COLOUR.match(part.colour):
        problems.append(f"Unknown colour {part.colour!r}.")
    known = {rid for rid, _ in all_region_ids()}
    unknown = [r for r in where_ids(part) if r not in known]
    if unknown:
        problems.append(f"Unknown body area {', '.join(unknown)}.")
    for field_name in ("does", "fears", "wants", "felt_age", "notes"):
        if len(getattr(part, field_name)) > TEXT_MAX:
            problems.append(f"Please keep each text under {TEXT_MAX} characters.")
            break
    return problems


def same_link(a: tuple[int, int, str], b: tuple[int, int, str]) -> bool:
    """Polarisation has no direction (A with B is B with A); protecting does."""
    if a[2] != b[2]:
        return False
    if a[2] == "polarised":
        return {a[0], a[1]} == {b[0], b[1]}
    return a[:2] == b[:2]


def validate_link(from_part: int, to_part: int, kind: str,
                  existing: Iterable[tuple[int, int, str]]) -> list[str]:
    """Problems with a new link given the (from, to, kind) links already there."""
    if kind not in LINK_KINDS:
        return [f"Unknown kind of link {kind!r}."]
    if from_part == to_part:
        return ["A part cannot be linked with itself."]
    if any(same_link((from_part, to_part, kind), e) for e in existing):
        return ["These two parts are already linked that way."]
    return []


def to_link(part_id: int, other_id: int, relation: str) -> tuple[int, int, str]:
    """A relation seen from `part_id` (see RELATIONS) as a stored (from, to, kind)."""
    if relation == "protected_by":
        return (other_id, part_id, "protects")
    if relation in LINK_KINDS:
        return (part_id, other_id, relation)
    raise ValueError(f"unknown relation {relation!r}")


def relation_of(part_id: int, from_part: int, to_part: int, kind: str) -> tuple[str, int]:
    """The inverse of to_link: how a stored link reads from `part_id`, and the other part."""
    if kind == "protects" and to_part == part_id:
        return "protected_by", from_part
    return kind, (to_part if from_part == part_id else from_part)


def links_of(part_id: int, links: Iterable[LinkRow]) -> list[LinkRow]:
    return [link for link in links if part_id in (link[1], link[2])]


def describe_link(from_name: str, to_name: str, kind: str) -> str:
    return f"{from_name} {LINK_PHRASES.get(kind, kind)} {to_name}"


# -- history -------------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionShift:
    """One sitting a part was part of, and how intensity and Self-energy moved across it."""
    session_id: int
    started_at: str
    practice_title: str
    outcome: str | None
    before: int | None
    after: int | None
    self_before: float | None                      # mean of the Self-energy scales given
    self_after: float | None
    chosen: bool                                   # chosen at check-in (not only via a mark)

    @property
    def shift(self) -> int | None:
        """after − before: negative means it eased."""
        return None if self.before is None or self.after is None else self.after - self.before


@dataclass(frozen=True)
class MarkPeriod:
    """Body marks linked to a part within one calendar month."""
    month: str                                     # "YYYY-MM"
    count: int
    mean_intensity: float | None                   # over rated marks; None: none rated
    regions: tuple[str, ...]                       # region ids, most often marked first
    rated: int = 0                                 # marks with a strength given


@dataclass(frozen=True)
class PartHistory:
    sessions: tuple[SessionShift, ...]             # newest first
    periods: tuple[MarkPeriod, ...]                # newest first
    mark_count: int
    first_noticed: str | None
    last_noticed: str | None

    @property
    def mean_shift(self) -> float | None:
        shifts = [s.shift for s in self.sessions if s.shift is not None]
        return sum(shifts) / len(shifts) if shifts else None


def _mean_energy(checkin: CheckIn | None) -> float | None:
    values = [checkin.self_energy[q] for q in SELF_ENERGY if q in checkin.self_energy] \
        if checkin else []
    return sum(values) / len(values) if values else None


def part_sessions(part_id: int, sessions: Iterable[SessionRecord],
                  checkins: Iterable[CheckIn], marks: Iterable[BodyMark] = ()
                  ) -> list[SessionShift]:
    """Sessions the part was chosen for at check-in, or had a body mark linked in; newest
    first. A mark counts too, because a part often shows up uninvited mid-practice."""
    marked = {m.session_id for m in marks if m.part_id == part_id and m.session_id}
    phases: dict[int, dict[str, CheckIn]] = defaultdict(dict)
    for c in checkins:
        if c.session_id is not None:
            phases[c.session_id][c.phase] = c
    found = []
    for s in sessions:
        if s.part_id != part_id and s.id not in marked:
            continue
        before, after = phases[s.id].get("before"), phases[s.id].get("after")
        found.append(SessionShift(
            s.id, s.started_at, s.practice_title, s.outcome,
            before.intensity if before else None, after.intensity if after else None,
            _mean_energy(before), _mean_energy(after), s.part_id == part_id))
    return sorted(found, key=lambda x: (x.started_at, x.session_id), reverse=True)


def mark_periods(marks: Iterable[BodyMark]) -> list[MarkPeriod]:
    """Marks grouped by month, newest first: enough to see whether a part quietens."""
    by_month: dict[str, list[BodyMark]] = defaultdict(list)
    for m in marks:
        by_month[m.at[:7]].append(m)
    periods = []
    for month, group in by_month.items():
        counts: dict[str, int] = defaultdict(int)
        for m in group:
            counts[m.region] += 1
        ranked = sorted(counts, key=lambda r: (-counts[r], r))
        rated = [m.intensity for m in group if m.intensity is not None]
        periods.append(MarkPeriod(month, len(group), sum(rated) / len(rated) if rated else None,
                                  tuple(ranked), len(rated)))
    return sorted(periods, key=lambda p: p.month, reverse=True)


def history(part_id: int, sessions: Iterable[SessionRecord], checkins: Iterable[CheckIn],
            marks: Iterable[BodyMark]) -> PartHistory:
    own = [m for m in marks if m.part_id == part_id]
    times = sorted(m.at for m in own if m.at)
    return PartHistory(tuple(part_sessions(part_id, sessions, checkins, own)),
                       tuple(mark_periods(own)), len(own),
                       times[0] if times else None, times[-1] if times else None)


def marks_in_month(marks: Iterable[BodyMark], month: str | None) -> list[BodyMark]:
    """The marks of one "YYYY-MM" month; None keeps them all."""
    return [m for m in marks if month is None or m.at.startswith(month)]


def month_label(month: str) -> str:
    """"2025-03" → "March 2025"."""
    try:
        return date(int(month[:4]), int(month[5:7]), 1).strftime("%B %Y")
    except ValueError:
        return month


def shift_text(shift: SessionShift) -> str:
    """"7 → 4, eased by 3": calm words, no praise or blame for either direction."""
    if shift.before is None or shift.after is None:
        known = shift.before if shift.before is not None else shift.after
        return f"intensity {known}" if known is not None else "no check-in"
    change = shift.after - shift.before
    word = ("steady" if change == 0 else
            f"eased by {-change}" if change < 0 else f"stronger by {change}")
    return f"{shift.before} → {shift.after}, {word}"
