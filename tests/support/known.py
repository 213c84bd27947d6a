"""Known journals for progress tests: every number, label and sentence is worked out by hand.

`THE_WEEK` is the week the issue was found in (today: Sunday 29 November 2026): six sessions
on five days — four finished (7→4, 6→5, 5→5, 4→2: 5.5 → 4.0 on average), one grounded (8→6),
one stopped early (6, no after). The same sessions are available as core records
(`shifts`) and can be written into a real journal (`write`) for storage, view and PDF tests.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from app.core.helps import SessionRow
from app.core.trends import SessionShift

TODAY = date(2026, 11, 29)                      # a Sunday
OFFSET = "+01:00"


@dataclass(frozen=True)
class Known:
    at: str                                     # local time, "2026-11-24T08:10"
    practice: str                               # practice id; its title is derived
    outcome: str | None
    before: int | None
    after: int | None
    energy: dict[str, int] = field(default_factory=dict)    # on the before check-in
    part: int | None = None                     # index into PARTS, chosen for the session
    marks: tuple[tuple[str, str, int, int | None], ...] = ()  # view, region, intensity, part
    note: str | None = None

    @property
    def started_at(self) -> str:
        return f"{self.at}:00{OFFSET}"


TITLES = {"unblending": "Unblending", "self-energy": "Building Self-energy",
          "protector": "Appreciating a Protector"}
PARTS = [("The Inner Critic", "manager"), ("Little One", "exile")]

THE_WEEK = [
    Known("2026-11-24T08:10", "unblending", "completed", 7, 4, {"calm": 4, "curiosity": 6},
          marks=(("front", "throat", 6, 0), ("front", "throat", 5, None))),
    Known("2026-11-25T20:30", "self-energy", "completed", 6, 5, {"calm": 4, "curiosity": 6},
          marks=(("back", "upper-back-left", 4, None),)),
    Known("2026-11-26T12:00", "unblending", "grounded", 8, 6, part=1),
    Known("2026-11-27T07:45", "self-energy", "completed", 5, 5),
    Known("2026-11-29T08:00", "unblending", "stopped_early", 6, None),
    Known("2026-11-29T21:15", "unblending", "completed", 4, 2, note="Felt lighter."),
]

# A partial first week: "Last year" from Sunday 29 November 2026 starts on Sunday 30 November
# 2025, one day of its week; that day holds one finished session.
FIRST_DAY_OF_YEAR = [Known("2025-11-30T09:00", "unblending", "completed", 6, 3)]

# Month, year and leap-day boundaries: late on New Year's Eve, just after midnight, on
# 29 February 2028 and on the day after.
BOUNDARIES = [
    Known("2027-12-31T23:30", "unblending", "completed", 6, 4),
    Known("2028-01-01T00:10", "unblending", "grounded", 7, 5),
    Known("2028-02-29T18:00", "self-energy", "completed", 5, 3),
    Known("2028-03-01T09:00", "self-energy", "stopped_early", 4, None),
]


def shifts(known: list[Known]) -> list[SessionShift]:
    return [SessionShift(n, k.started_at, TITLES[k.practice], k.outcome, k.before, k.after,
                         note=k.note or "")
            for n, k in enumerate(known, start=1)]


def rows(known: list[Known]) -> list[SessionRow]:
    return [SessionRow(n, k.practice, TITLES[k.practice], k.outcome, k.before, k.after,
                       None if k.part is None else k.part + 1, k.started_at)
            for n, k in enumerate(known, start=1)]


def write(journal, known: list[Known], with_parts: bool = True) -> list[int]:
    """Insert the sessions with their own times (the Journal API would stamp "now")."""
    db = journal.db
    part_ids = []
    if with_parts and not db.execute("SELECT COUNT(*) FROM parts").fetchone()[0]:
        for name, role in PARTS:
            part_ids.append(db.execute(
                "INSERT INTO parts (name, role, created_at) VALUES (?, ?, ?)",
                (name, role, "2025-01-01T09:00:00" + OFFSET)).lastrowid)
    else:
        part_ids = [r[0] for r in db.execute("SELECT id FROM parts ORDER BY id")]
    ids = []
    for k in known:
        sid = db.execute(
            "INSERT INTO sessions (practice_id, practice_title, started_at, ended_at, outcome, "
            "part_id, note) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (k.practice, TITLES[k.practice], k.started_at,
             k.started_at if k.outcome else None, k.outcome,
             None if k.part is None else part_ids[k.part], k.note)).lastrowid
        for phase, value in (("before", k.before), ("after", k.after)):
            if value is None:
                continue
            energy = k.energy if phase == "before" else {}
            columns = ["session_id", "phase", "at", "intensity", *energy]
            db.execute(f"INSERT INTO checkins ({', '.join(columns)}) VALUES "
                       f"({', '.join('?' * len(columns))})",
                       [sid, phase, k.started_at, value, *energy.values()])
        for view, region, intensity, part in k.marks:
            db.execute("INSERT INTO body_marks (at, session_id, view, region, intensity, x, y, "
                       "part_id) VALUES (?, ?, ?, ?, ?, 0.5, 0.5, ?)",
                       (k.started_at, sid, view, region, intensity,
                        None if part is None else part_ids[part]))
        ids.append(sid)
    db.conn.commit()
    return ids
