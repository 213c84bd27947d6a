"""Numbered schema steps. PRAGMA user_version says how many have been applied.

Never edit a step that has shipped: add a new one. Each runs in one transaction.
"""
from __future__ import annotations

from collections.abc import Callable

from app.storage.sqlite_database import Database

SELF_ENERGY_QUALITIES = ("calm", "curiosity", "compassion", "clarity", "confidence", "courage",
                         "creativity", "connectedness")


def _v1(db: Database) -> None:
    db.table("sessions").create({
        "id": int, "practice_id": str, "practice_title": str, "started_at": str,
        "ended_at": str, "outcome": str, "current_step": str, "part_id": int, "note": str,
    }, pk="id", not_null={"practice_id", "started_at"})
    db.table("step_events").create({
        "id": int, "session_id": int, "step_id": str, "kind": str, "at": str,
    }, pk="id", foreign_keys=[("session_id", "sessions", "id")], not_null={"kind", "at"})
    checkin_columns: dict[str, type] = {"id": int, "session_id": int, "phase": str, "at": str,
                                        "intensity": int, "note": str}
    checkin_columns.update({quality: int for quality in SELF_ENERGY_QUALITIES})
    db.table("checkins").create(checkin_columns, pk="id",
                          foreign_keys=[("session_id", "sessions", "id")],
                          not_null={"phase", "at"})
    db.table("parts").create({
        "id": int, "name": str, "role": str, "does": str, "fears": str, "wants": str,
        "felt_age": str, "where_felt": str, "colour": str, "notes": str, "archived": int,
        "created_at": str,
    }, pk="id", not_null={"name"}, defaults={"archived": 0, "role": "unsure"})
    db.table("part_links").create({
        "id": int, "from_part": int, "to_part": int, "kind": str,
    }, pk="id", foreign_keys=[("from_part", "parts", "id"), ("to_part", "parts", "id")])
    db.table("body_marks").create({
        "id": int, "at": str, "session_id": int, "step_id": str, "view": str, "region": str,
        "x": float, "y": float, "intensity": int, "qualities": str, "part_id": int, "note": str,
    }, pk="id", foreign_keys=[("session_id", "sessions", "id"), ("part_id", "parts", "id")],
        not_null={"at", "view", "region", "intensity"})
    db.table("settings").create({"key": str, "value": str}, pk="key")
    db.table("step_events").create_index(["session_id"])
    db.table("checkins").create_index(["session_id"])
    db.table("body_marks").create_index(["at"])
    db.table("body_marks").create_index(["session_id"])
    db.table("sessions").create_index(["started_at"])


def _v2(db: Database) -> None:
    # Check-ins made outside a session (session_id NULL) are found by date: exports and the
    # progress view filter them by `at` over a range, which v1 could only do by a full scan.
    db.table("checkins").create_index(["at"], if_not_exists=True)


_V3_BODY_MARKS = """
CREATE TABLE [body_marks_v3] (
   [id] INTEGER PRIMARY KEY, [at] TEXT NOT NULL, [session_id] INTEGER REFERENCES [sessions]([id]),
   [step_id] TEXT, [view] TEXT NOT NULL, [region] TEXT NOT NULL, [x] FLOAT, [y] FLOAT,
   [intensity] INTEGER, [qualities] TEXT, [part_id] INTEGER REFERENCES [parts]([id]),
   [note] TEXT)"""
_MARK_COLUMNS = ("id, at, session_id, step_id, view, region, x, y, intensity, qualities, "
                 "part_id, note")


def _v3(db: Database) -> None:
    # A body mark may be saved with its place only: `intensity` NULL means "not rated", where
    # v1 required a number (and the map stored a pre-filled 5 the person never chose).
    # SQLite cannot drop NOT NULL in place, so the table is copied, row for row with its ids,
    # and the copy is counted before the old table goes. Foreign keys are checked at commit
    # (deferred): an old row pointing at a part deleted long ago is kept exactly as it was.
    db.execute("PRAGMA defer_foreign_keys = ON")
    before = db.execute("SELECT COUNT(*) FROM body_marks").fetchone()[0]
    db.execute(_V3_BODY_MARKS)
    db.execute(f"INSERT INTO body_marks_v3 ({_MARK_COLUMNS}) "
               f"SELECT {_MARK_COLUMNS} FROM body_marks")
    copied = db.execute("SELECT COUNT(*) FROM body_marks_v3").fetchone()[0]
    if copied != before:                 # the transaction is rolled back: nothing is lost
        raise RuntimeError(f"body marks copied {copied} of {before}")
    db.execute("DROP TABLE body_marks")
    db.execute("ALTER TABLE body_marks_v3 RENAME TO body_marks")
    db.table("body_marks").create_index(["at"])
    db.table("body_marks").create_index(["session_id"])


MIGRATIONS: list[Callable[[Database], None]] = [_v1, _v2, _v3]
SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: Database) -> int:
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def migrate(db: Database) -> int:
    """Bring the schema up to date in place; returns the version reached."""
    version = schema_version(db)
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.atomic():
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
    return schema_version(db)
