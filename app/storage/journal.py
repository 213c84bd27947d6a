"""The private journal: one SQLite file, every event committed the moment it happens."""
from __future__ import annotations

import json
import logging
import os
import sqlite3
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from app.storage.sqlite_database import Database
# Every Database here is opened with execute_plugins=False: sqlite_utils otherwise loads the
# `sqlite_utils` entry points of every installed package and lets them prepare the journal's
# connection (someone else's code on private records), reading every package's metadata to
# find them (~20 ms and ~1.3 MB of the window at each start).

from app.core.records import (
    SELF_ENERGY, STEP_EVENT_KINDS, BodyMark, CheckIn, Part, SessionRecord, StepEvent, now_iso,
)
from app.storage.content import SQLITE_HEADER, connect_read_only
from app.storage.backup import copy_database
from app.storage.migrations import SCHEMA_VERSION, migrate
from app.core.record_rules import row_problems
from app.storage.errors import InvalidRecord, JournalError, explain, explain_os
from app.storage.wal import WAL_VANISHED, WalWatch, say_later

log = logging.getLogger(__name__)


def before_migration_copy(path: Path) -> Path:
    """Where the journal is copied before its schema is brought up to date."""
    return path.with_name(f"{path.name}.before-v{SCHEMA_VERSION}")


class Journal:
    """Sessions, step events, check-ins, body marks, parts and settings.

    `Journal(":memory:")` for tests and demos; a path for the real thing (created 0600).
    """

    def __init__(self, path: Path | str = ":memory:"):
        self.path = None if str(path) == ":memory:" else Path(path)
        # plain sentences for the person about things the journal put right by itself
        self.notices: list[str] = []
        try:
            self.db = self._open()
            self._copy_before_migrating()
            migrate(self.db)
            self._wal = WalWatch(self.path) if self.path else None
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        except OSError as exc:          # creating the file or folder: read-only, full disk
            raise explain_os(exc, self.path) from exc

    @classmethod
    def snapshot(cls, path: Path | str) -> "Journal":
        """An in-memory copy of the journal file, for exports: reading it never writes a byte
        to the file (no schema into an empty file, no checkpoint of its -wal), and the export
        sees one consistent moment while the window keeps writing. 10-year journal: 11 MB."""
        journal = cls.__new__(cls)
        journal.path, journal.notices, journal._wal = Path(path), [], None
        try:
            _refuse_foreign_file(journal.path)
            source = connect_read_only(journal.path)
            try:
                memory = _memory_connection()
                source.backup(memory)
            finally:
                source.close()
            journal.db = Database(memory, execute_plugins=False)
            migrate(journal.db)             # an older schema is brought up to date in memory
        except sqlite3.Error as exc:
            raise explain(exc, journal.path) from exc
        return journal

    def _open(self) -> Database:
        if self.path is None:
            db = Database(memory=True, execute_plugins=False)
            db.execute("PRAGMA temp_store=MEMORY")
            return db
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        _refuse_foreign_file(self.path)
        if not self.path.exists():
            # create it private before SQLite writes a byte
            os.close(os.open(self.path, os.O_CREAT | os.O_WRONLY, 0o600))
        os.chmod(self.path, 0o600)
        old_umask = os.umask(0o077)          # -wal and -shm files are private too
        try:
            conn = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            conn.execute("PRAGMA foreign_keys=ON")
            # SQLite's temporary files (big sorts) stay in memory, not in the shared /tmp
            conn.execute("PRAGMA temp_store=MEMORY")
        finally:
            os.umask(old_umask)
        return Database(conn, execute_plugins=False)

    def _copy_before_migrating(self) -> None:
        """A journal from an older version is copied whole (`journal.db.before-v3`) before
        its schema changes: should an upgrade ever go wrong, every record is still there.
        A copy that cannot be made stops the upgrade (JournalError, in plain words); the
        journal itself stays untouched."""
        old = int(self.db.execute("PRAGMA user_version").fetchone()[0])
        if self.path is None or not 0 < old < SCHEMA_VERSION:
            return
        target = before_migration_copy(self.path)
        if not target.exists():
            copy_database(self.path, target)

    def close(self) -> None:
        """Checkpoint (so nothing lives only in the -wal) and close: on quit."""
        self.checkpoint()
        self.db.conn.close()

    def checkpoint(self) -> None:
        """Copy everything committed from the -wal into the journal file and empty the -wal.

        Done at the end of each session and on quit, so a -wal deleted by a clean-up program
        or damaged by a crash can only ever hold the current session. Measured on a 10-year
        journal (11 MB) after a ten-step session: median 0.5-0.7 ms, at most 2.4 ms."""
        if self.path is None:
            return
        try:
            self.db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error as exc:
            # Everything is committed already; a checkpoint that cannot run now (a reader
            # holds the -wal, the disk is full) runs again at the next one.
            log.warning("checkpoint skipped: %s", exc)

    def _check_wal(self) -> None:
        """After a commit: if the -wal was deleted or replaced, checkpoint through the handle
        SQLite still holds, then reopen so later commits go to a real file again."""
        if self._wal is None or not self._wal.changed():
            return
        log.warning("the journal's -wal disappeared while open; checkpointing and reopening")
        self.checkpoint()
        self.db.conn.close()
        self.db = self._open()
        self._wal.reset()
        self.notices.append(WAL_VANISHED)
        if self.path is not None:
            say_later(self.path, WAL_VANISHED)  # said calmly at the next start, not mid-practice

    @property
    def schema_version(self) -> int:
        return int(self.db.execute("PRAGMA user_version").fetchone()[0])

    # -- writing: each call is one committed transaction ---------------------------------

    def _insert(self, table: str, row: dict[str, Any]) -> int:
        require_valid(table, row)
        try:
            with self.db.atomic():
                cursor = self.db.execute(
                    f"INSERT INTO [{table}] ({', '.join(f'[{k}]' for k in row)}) "
                    f"VALUES ({', '.join('?' for _ in row)})", list(row.values()))
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        self._check_wal()
        return int(cursor.lastrowid or 0)            # an INSERT always sets it

    def _write(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> int:
        try:
            with self.db.atomic():
                changed = self.db.execute(sql, params).rowcount
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc
        self._check_wal()
        return changed

    # `at`: when it happened, given by the caller; a write held by a locked or full disk and
    # retried later must not be dated by the retry.
    def start_session(self, practice_id: str, practice_title: str,
                      part_id: int | None = None, at: str | None = None) -> int:
        return self._insert("sessions", {"practice_id": practice_id,
                                         "practice_title": practice_title,
                                         "started_at": at or now_iso(), "part_id": part_id})

    def log_step(self, session_id: int, step_id: str | None, kind: StepEvent | str,
                 at: str | None = None) -> int:
        if kind not in STEP_EVENT_KINDS:
            raise ValueError(f"unknown step event {kind!r}")
        event = StepEvent(kind)
        event_id = self._insert("step_events", {"session_id": session_id, "step_id": step_id,
                                                "kind": event.value, "at": at or now_iso()})
        if event is StepEvent.STARTED and step_id:
            self._write("UPDATE sessions SET current_step = ? WHERE id = ?",
                        (step_id, session_id))
        return event_id

    def end_session(self, session_id: int, outcome: str, note: str | None = None,
                    at: str | None = None) -> None:
        require_valid("sessions", {"outcome": outcome, "note": note})
        self._write("UPDATE sessions SET ended_at = ?, outcome = ?, note = COALESCE(?, note) "
                    "WHERE id = ?", (at or now_iso(), outcome, note, session_id))
        self.checkpoint()

    def stop_left(self, session_id: int | None = None) -> int:
        """End that practice (or every one) left unfinished as stopped early, dated when it
        was last active, not now: a practice left on Monday did not last until Friday."""
        return self._write(_STOP_LEFT + ("" if session_id is None else " AND id = ?"),
                           () if session_id is None else (session_id,))

    def add_checkin(self, checkin: CheckIn) -> int:
        row: dict[str, Any] = {"session_id": checkin.session_id, "phase": checkin.phase,
                               "at": checkin.at or now_iso(), "intensity": checkin.intensity,
                               "note": checkin.note}
        for quality, value in checkin.self_energy.items():
            if quality not in SELF_ENERGY:
                raise ValueError(f"unknown Self-energy quality {quality!r}")
            row[quality] = value
        return self._insert("checkins", row)

    def add_body_mark(self, mark: BodyMark) -> int:
        row = asdict(mark)
        row.pop("id")
        row["at"] = mark.at or now_iso()
        row["qualities"] = ",".join(mark.qualities)
        return self._insert("body_marks", row)

    def delete_body_mark(self, mark_id: int) -> bool:
        return self._write("DELETE FROM body_marks WHERE id = ?", (mark_id,)) > 0

    def add_part(self, part: Part) -> int:
        row = asdict(part)
        row.pop("id")
        row["created_at"] = part.created_at or now_iso()
        row["archived"] = int(part.archived)
        return self._insert("parts", row)

    def update_part(self, part: Part) -> None:
        if part.id is None:
            raise ValueError("part has no id")
        row = asdict(part)
        part_id = row.pop("id")
        row.pop("created_at")
        row["archived"] = int(part.archived)
        require_valid("parts", row)
        self._write(f"UPDATE parts SET {', '.join(f'[{k}] = ?' for k in row)} WHERE id = ?",
                    [*row.values(), part_id])

    def link_parts(self, from_part: int, to_part: int, kind: str) -> int:
        return self._insert("part_links", {"from_part": from_part, "to_part": to_part,
                                           "kind": kind})

    def unlink_parts(self, link_id: int) -> None:
        self._write("DELETE FROM part_links WHERE id = ?", (link_id,))

    def set_setting(self, key: str, value: Any) -> None:
        require_valid("settings", {"key": key, "value": json.dumps(value)})
        self._write("INSERT INTO settings (key, value) VALUES (?, ?) "
                    "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    (key, json.dumps(value)))

    # -- reading ---------------------------------------------------------------------------

    def _rows(self, sql: str, params: list[Any] | tuple[Any, ...] = ()) -> Iterator[dict[str, Any]]:
        try:
            yield from self.db.query(sql, params)
        except sqlite3.Error as exc:
            raise explain(exc, self.path) from exc

    def setting(self, key: str, default: Any = None) -> Any:
        for row in self._rows("SELECT value FROM settings WHERE key = ?", (key,)):
            return json.loads(row["value"])
        return default

    def session(self, session_id: int) -> SessionRecord | None:
        for row in self._rows("SELECT * FROM sessions WHERE id = ?", (session_id,)):
            return SessionRecord(**row)
        return None

    def sessions(self, start: str | None = None, end: str | None = None) -> list[SessionRecord]:
        sql, params = _range("SELECT * FROM sessions", "started_at", start, end)
        return [SessionRecord(**row) for row in self._rows(sql + " ORDER BY started_at, id",
                                                            params)]

    def unfinished_session(self) -> SessionRecord | None:
        """The latest session that was neither finished nor stopped (the app closed or crashed)."""
        for row in self._rows("SELECT * FROM sessions WHERE ended_at IS NULL "
                              "ORDER BY id DESC LIMIT 1"):
            return SessionRecord(**row)
        return None

    def step_events(self, session_id: int) -> list[tuple[str | None, str]]:
        return [(row["step_id"], row["kind"]) for row in self._rows(
            "SELECT step_id, kind FROM step_events WHERE session_id = ? ORDER BY id",
            (session_id,))]

    def checkins(self, session_id: int | None = None) -> list[CheckIn]:
        sql = "SELECT * FROM checkins" + (" WHERE session_id = ?" if session_id else "")
        return [_checkin(row) for row in self._rows(sql + " ORDER BY id",
                                                    (session_id,) if session_id else ())]

    def body_marks(self, start: str | None = None, end: str | None = None,
                   session_id: int | None = None, part_id: int | None = None
                   ) -> list[BodyMark]:
        sql, params = _range("SELECT * FROM body_marks", "at", start, end)
        for column, value in (("session_id", session_id), ("part_id", part_id)):
            if value is not None:
                sql += (" AND" if "WHERE" in sql else " WHERE") + f" {column} = ?"
                params.append(value)
        return [_body_mark(row) for row in self._rows(sql + " ORDER BY at, id", params)]

    def parts(self, include_archived: bool = False) -> list[Part]:
        sql = "SELECT * FROM parts" + ("" if include_archived else " WHERE archived = 0")
        return [_part(row) for row in self._rows(sql + " ORDER BY name COLLATE NOCASE")]

    def part(self, part_id: int) -> Part | None:
        for row in self._rows("SELECT * FROM parts WHERE id = ?", (part_id,)):
            return _part(row)
        return None

    def part_links(self) -> list[tuple[int, int, int, str]]:
        return [(r["id"], r["from_part"], r["to_part"], r["kind"])
                for r in self._rows("SELECT * FROM part_links ORDER BY id")]

    def counts(self) -> dict[str, int]:
        return {t: self.db[t].count for t in self.db.table_names()}


_LAST = "COALESCE((SELECT MAX(at) FROM {} WHERE session_id = sessions.id), started_at)"
_STOP_LEFT = ("UPDATE sessions SET outcome = 'stopped_early', ended_at = MAX(" + ", ".join(
    _LAST.format(t) for t in ("step_events", "checkins", "body_marks")) + ") "
    "WHERE ended_at IS NULL")

_NOUNS = {"sessions": "session", "step_events": "step", "checkins": "check-in",
          "body_marks": "body mark", "parts": "part", "part_links": "link between parts",
          "settings": "setting"}


def require_valid(table: str, row: dict[str, Any]) -> None:
    """The same rules as import (app.core.record_rules): refuse before SQLite sees the row."""
    problems = row_problems(table, row)
    if problems:
        column, message = problems[0]
        raise InvalidRecord(f"This {_NOUNS[table]} could not be saved: its "
                            f"{column.replace('_', ' ')} {message}. Nothing was changed.")


def _memory_connection() -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:", isolation_level=None)
    conn.execute("PRAGMA temp_store=MEMORY")
    conn.execute("PRAGMA foreign_keys=ON")
    return conn


def _refuse_foreign_file(path: Path) -> None:
    """Not an SQLite file at all: say so before SQLite touches it. A read-write connection to
    such a file deletes the -wal beside it when it closes (measured), and that -wal may hold
    the person's latest records; recovery.py sets both aside instead."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        return
    if head and head != SQLITE_HEADER:
        raise JournalError(f"The journal file ({path}) is damaged.", "corrupt")


def _range(sql: str, column: str, start: str | None, end: str | None
           ) -> tuple[str, list[Any]]:
    """Filter on an ISO date/time column; `end` is inclusive of that whole day."""
    clauses, params = [], []
    if start:
        clauses.append(f"{column} >= ?")
        params.append(start)
    if end:
        clauses.append(f"{column} < ?")
        params.append(end + "\uffff" if len(end) == 10 else end)
    return (sql + (" WHERE " + " AND ".join(clauses) if clauses else ""), params)


def _checkin(row: dict[str, Any]) -> CheckIn:
    energy = {q: row[q] for q in SELF_ENERGY if row.get(q) is not None}
    return CheckIn(phase=row["phase"], intensity=row["intensity"], self_energy=energy,
                   note=row["note"], session_id=row["session_id"], at=row["at"], id=row["id"])


def _body_mark(row: dict[str, Any]) -> BodyMark:
    row = dict(row)
    row["qualities"] = tuple(q for q in (row["qualities"] or "").split(",") if q)
    return BodyMark(**{f.name: row[f.name] for f in fields(BodyMark)})


def _part(row: dict[str, Any]) -> Part:
    values = {f.name: row[f.name] for f in fields(Part)}
    values.update({k: "" for k, v in values.items() if v is None and k != "id"})
    values["archived"] = bool(values["archived"])
    return Part(**values)


__all__ = ["Journal", "JournalError", "SCHEMA_VERSION"]
