"""Reads and writes about parts that combine several journal calls. Pure Python: they work on
any journal with the methods below (the window calls them inside JournalService operations,
the tests on a Journal), so storage stays a thin table layer and the views get one place to ask
"what do we know about this part?".
"""
from __future__ import annotations

from dataclasses import replace
from typing import Protocol

from app.core import parts as core
from app.core.records import BodyMark, CheckIn, Part, SessionRecord


class PartsJournal(Protocol):
    def parts(self, include_archived: bool = False) -> list[Part]: ...
    def part(self, part_id: int) -> Part | None: ...
    def add_part(self, part: Part) -> int: ...
    def update_part(self, part: Part) -> None: ...
    def part_links(self) -> list[core.LinkRow]: ...
    def link_parts(self, from_part: int, to_part: int, kind: str) -> int: ...
    def unlink_parts(self, link_id: int) -> None: ...
    def sessions(self, start: str | None = None, end: str | None = None
                 ) -> list[SessionRecord]: ...
    def checkins(self, session_id: int | None = None) -> list[CheckIn]: ...
    def body_marks(self, start: str | None = None, end: str | None = None,
                   session_id: int | None = None, part_id: int | None = None
                   ) -> list[BodyMark]: ...


class PartInvalid(ValueError):
    """A part or link failed validation; `problems` are sentences for the person."""

    def __init__(self, problems: list[str]):
        super().__init__(" ".join(problems))
        self.problems = problems


def checked(part: Part) -> Part:
    """The part tidied as it will be stored; PartInvalid if it cannot be."""
    part = core.clean(part)
    problems = core.validate_part(part)
    if problems:
        raise PartInvalid(problems)
    return part


def save_part(journal: PartsJournal, part: Part) -> int:
    """Validate, tidy and store a part (new or existing); returns its id."""
    part = checked(part)
    if part.id is None:
        return journal.add_part(part)
    journal.update_part(part)
    return part.id


def set_archived(journal: PartsJournal, part_id: int, archived: bool) -> None:
    part = journal.part(part_id)
    if part is not None and part.archived != archived:
        journal.update_part(replace(part, archived=archived))


def set_notes(journal: PartsJournal, part_id: int, notes: str) -> None:
    part = journal.part(part_id)
    if part is not None:
        journal.update_part(replace(part, notes=notes.strip()))


def link(journal: PartsJournal, from_part: int, to_part: int, kind: str) -> int:
    """Add a link unless it is a self-link or already there (either way round if polarised)."""
    existing = [(f, t, k) for _, f, t, k in journal.part_links()]
    problems = core.validate_link(from_part, to_part, kind, existing)
    if problems:
        raise PartInvalid(problems)
    return journal.link_parts(from_part, to_part, kind)


def links_of(journal: PartsJournal, part_id: int) -> list[core.LinkRow]:
    return core.links_of(part_id, journal.part_links())


def part_history(journal: PartsJournal, part_id: int) -> core.PartHistory:
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
