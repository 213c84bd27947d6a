"""SessionRunner's journal, through the JournalService: each event queued the moment it
happens, committed in order on the journal thread, never batched.

The runner calls these synchronously and goes on at once; the person is never kept waiting on
the disk. A write that fails is kept and retried by the service, and said through its one
failure handler; what the person typed (the notes) is offered to copy until it is saved.
"""
from __future__ import annotations

from dataclasses import replace

from app.core.records import CheckIn, StepEvent, now_iso
from app.qt.journal_service import JournalService, Table


class SessionJournal:
    """Implements app.core.session.JournalLike for one window's service."""

    def __init__(self, service: JournalService, ends_left: bool = True):
        self.service = service
        self.ends_left = ends_left              # see JournalService.start_session

    def start_session(self, practice_id: str, practice_title: str,
                      part_id: int | None = None) -> int:
        return self.service.start_session(practice_id, practice_title, part_id,
                                          ends_left=self.ends_left)

    # Each record is dated here, when it happens: a write held by a locked or full disk goes
    # in later, and must not take the time of its retry.
    def log_step(self, session_id: int, step_id: str | None, kind: StepEvent) -> None:
        at = now_iso()
        self.service.write(lambda j: j.log_step(session_id, step_id, kind, at),
                           Table.STEP_EVENTS, Table.SESSIONS, what="where you are in the practice")

    def add_checkin(self, checkin: CheckIn) -> None:
        checkin = replace(checkin, at=checkin.at or now_iso())
        after = checkin.phase == "after"
        self.service.write(lambda j: j.add_checkin(checkin), Table.CHECKINS,
                           what="your check-out" if after else "your check-in",
                           keep=checkin.note)

    def end_session(self, session_id: int, outcome: str, note: str | None = None) -> None:
        at = now_iso()
        self.service.write(lambda j: j.end_session(session_id, outcome, note, at),
                           Table.SESSIONS,
                           what="the end of this practice", keep=note)
