"""The journal thread's side of JournalService: the Journal itself and the writes that wait.

Everything here runs on the service's one journal thread (sqlite3 connections belong to the
thread that made them), so none of it needs a lock. No widgets, no signals: the service hands
work in as `Op`s and gets `Drained` results back through app.qt.tasks.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QObject

from app.core.records import StepEvent


class Table(enum.Enum):
    """The journal's tables, as `JournalChange` names what a write touched."""
    SESSIONS = "sessions"
    STEP_EVENTS = "step_events"
    CHECKINS = "checkins"
    BODY_MARKS = "body_marks"
    PARTS = "parts"
    PART_LINKS = "part_links"
    SETTINGS = "settings"


@dataclass(eq=False)
class Op:
    fn: Callable[[Any], Any]
    tables: frozenset[Table] = frozenset()
    what: str = ""                 # "this body mark": for messages about what waits
    keep: str | None = None        # text the person typed, offered to copy while unsaved
    on_done: Callable[[Any], None] | None = None
    on_error: Callable[[BaseException], None] | None = None
    owner: QObject | None = None
    initiator: object | None = None
    on_wait: Callable[[BaseException], None] | None = None   # kept, to be tried again

    def call(self, callback: Callable[[Any], None] | None, value: Any) -> None:
        if callback is not None and (self.owner is None or shiboken6.isValid(self.owner)):
            callback(value)


@dataclass
class Outcome:
    op: Op
    value: Any = None
    error: BaseException | None = None
    held: bool = False             # failed, kept to be tried again


@dataclass
class Drained:
    outcomes: list[Outcome]
    waiting: list[Op]             # still held after this attempt, in order


class SessionIds:
    """The Journal as operations see it: provisional session ids become real ones.

    Only the journal thread touches this (all ops run there), so it needs no lock."""

    def __init__(self, journal: Any, ids: dict[int, int]):
        self._journal = journal
        self._ids = ids

    def __getattr__(self, name: str) -> Any:
        return getattr(self._journal, name)

    def real(self, session_id: int | None, reading: bool = False) -> int | None:
        """The real id for a provisional one. A read about a session whose row is still
        waiting finds nothing; a write has waited behind that row, so it is there — unless
        it was refused for good, and then there is nothing to attach to."""
        if session_id is None or session_id >= 0 or session_id in self._ids:
            return self._ids.get(session_id, session_id)  # type: ignore[arg-type]
        if reading:
            return session_id                     # negative: matches no row
        raise ValueError("this practice session was never saved")

    def start_session(self, practice_id: str, practice_title: str, part_id: int | None = None,
                      at: str | None = None, *, provisional: int | None = None) -> int:
        real = self._journal.start_session(practice_id, practice_title, part_id, at)
        if provisional is not None:
            self._ids[provisional] = real
        return real

    def log_step(self, session_id: int, step_id: str | None, kind: StepEvent | str,
                 at: str | None = None) -> int:
        return self._journal.log_step(self.real(session_id), step_id, kind, at)

    def end_session(self, session_id: int, outcome: str, note: str | None = None,
                    at: str | None = None) -> None:
        self._journal.end_session(self.real(session_id), outcome, note, at)

    def add_checkin(self, checkin: Any) -> int:
        return self._journal.add_checkin(with_real_id(checkin, self.real))

    def add_body_mark(self, mark: Any) -> int:
        return self._journal.add_body_mark(with_real_id(mark, self.real))

    def session(self, session_id: int) -> Any:
        return self._journal.session(self.real(session_id, reading=True))

    def checkins(self, session_id: int | None = None) -> Any:
        return self._journal.checkins(self.real(session_id, reading=True))

    def step_events(self, session_id: int) -> Any:
        return self._journal.step_events(self.real(session_id, reading=True))

    def body_marks(self, start: str | None = None, end: str | None = None,
                   session_id: int | None = None, part_id: int | None = None) -> Any:
        return self._journal.body_marks(start, end, self.real(session_id, reading=True),
                                        part_id)


def with_real_id(record: Any, real: Callable[[int | None], int | None]) -> Any:
    return replace(record, session_id=real(record.session_id))


def _passing(exc: Exception) -> bool:
    """A failure that may pass (disk full, folder read-only, file locked, an I/O error), as
    opposed to a write SQLite refuses for what it is (a constraint, a bad value): only the
    first kind waits, or one bad write would hold up every later one for good."""
    import sqlite3
    if getattr(exc, "kind", "") == "invalid":      # breaks the journal's rules (record_rules)
        return False
    return not isinstance(exc.__cause__, (sqlite3.IntegrityError, sqlite3.ProgrammingError,
                                           sqlite3.InterfaceError, sqlite3.DataError))


class Worker:
    """Everything that lives on the journal thread: the Journal and the writes that wait."""

    def __init__(self, path: Path | str):
        self.path = path
        self.journal: Any = None
        self.notices: list[str] = []          # from an open no one has reported yet
        self.ids: dict[int, int] = {}
        self.held: list[Op] = []

    @property
    def in_memory(self) -> bool:
        return str(self.path) == ":memory:"

    def open(self) -> list[str]:
        """Open once (checking, backing up and recovering); returns notices for the person."""
        self._ensure_open()
        notices, self.notices = self.notices, []
        return notices

    def _ensure_open(self) -> None:
        if self.journal is not None:
            return
        if self.in_memory:
            from app.storage.journal import Journal
            self.journal = Journal(":memory:")
            return
        from app.storage.recovery import open_journal
        self.journal, notices = open_journal(Path(self.path))
        self.notices.extend(notices)

    def access(self) -> SessionIds:
        self._ensure_open()
        return SessionIds(self.journal, self.ids)

    def read(self, op: Op) -> Any:
        return op.fn(self.access())

    def push(self, op: Op) -> Drained:
        self.held.append(op)
        return self.drain()

    def drain(self) -> Drained:
        """Commit the waiting writes in order; stop at the first that fails for now."""
        from app.storage.errors import JournalError
        outcomes: list[Outcome] = []
        while self.held:
            op = self.held[0]
            try:
                value = op.fn(self.access())
            except Exception as exc:
                if isinstance(exc, JournalError) and _passing(exc):
                    outcomes.append(Outcome(op, error=exc, held=True))   # try again later
                    break
                self.held.pop(0)                  # refused for good: a bug, a bad value
                outcomes.append(Outcome(op, error=exc))
            else:
                self.held.pop(0)
                outcomes.append(Outcome(op, value=value))
        return Drained(outcomes, list(self.held))

    def forget(self) -> None:
        """After "delete all my data": nothing waits, and the next use opens a new journal."""
        self.journal = None
        self.held.clear()
        self.ids.clear()

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()
            self.journal = None
