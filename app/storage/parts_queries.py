"""Reads and writes about parts that combine several journal calls. No Qt.

Kept apart from journal.py so the journal stays a thin table layer, and so the parts views
get one place to ask "what do we know about this part?".
"""
from __future__ import annotations

from dataclasses import replace

from app.core import parts as core
from app.core.records import CheckIn, Part
from app.storage.journal import Journal


class PartInvalid(ValueError):
    """A part or link failed validation; `problems` are sentences for the person."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def save_part(journal: Journal, part: Part) -> int:
    """Validate, tidy and store a part (new or existing); returns its id."""
    part = core.clean(part)
    problems = core.validate_part(part)
    if problems:
        raise PartInvalid(problems)
    if part.id is None:
        return journal.add_part(part)
    journal.update_part(part)
    return part.id


def set_archived(journal: Journal, part_id: int, archived: bool) -> None:
    part = journal.part(part_id)
    if part is not None and part.archived != archived:
        journal.update_part(replace(part, archived=archived))


def set_notes(journal: Journal, part_id: int, notes: str) -> None:
    part = journal.part(part_id)
    if part is not None:
        journal.update_part(replace(part, notes=notes.strip()))


def link(journal: Journal, from_part: int, to_part: int, kind: str) -> int:
    """Add a link unless it is a self-link or already there (either way round if polarised)."""
    existing = [(f, t, k) for _, f, t, k in journal.part_links()]
    problems = core.validate_link(from_part, to_part, kind, existing)
    if problems:
        raise PartInvalid(problems)
    return journal.link_parts(from_part, to_part, kind)


def links_of(journal: Journal, part_id: int) -> list[core.LinkRow]:
    return core.links_of(part_id, journal.part_links())


def part_history(journal: Journal, part_id: int) -> core.PartHistory:
    """Sessions and body marks of one part. Check-ins are read only for its sessions, so a
    long journal does not make the part's page slow."""
    marks = journal.body_marks(part_id=part_id)
    sessions = journal.sessions()
    marked = {m.session_id for m in marks if m.session_id}
    checkins: list[CheckIn] = []
    for s in sessions:
        if s.part_id == part_id or s.id in marked:
            checkins.extend(journal.checkins(s.id))
    return core.history(part_id, sessions, checkins, marks)
