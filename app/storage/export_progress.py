"""One row per exported session with how it ended and whether it counts in the averages, so a
spreadsheet or another program sees the same truth as the progress view and the PDF report.

Worked out from the tables the export already collected (one consistent snapshot), not by a
second query.
"""
from __future__ import annotations

from typing import Any, Protocol
from collections.abc import Iterable

from app.core.charts import OUTCOME_OF
from app.core.progress_text import EXCLUSIONS, OUTCOME_WORDS

COLUMNS = ["session_id", "started_at", "practice", "outcome", "before", "after", "change",
           "in_averages"]
CSV_FILE, ABOUT_FILE = "progress.csv", "about-progress.txt"


class Table(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def columns(self) -> list[str]: ...
    @property
    def rows(self) -> list[tuple[Any, ...]]: ...


def progress_rows(tables: Iterable[Table]) -> list[tuple[Any, ...]]:
    """Each session with its outcome in words, the latest before and after intensity, the
    change, and whether the averages count it."""
    by_name = {t.name: [dict(zip(t.columns, row)) for row in t.rows] for t in tables}
    latest: dict[tuple[int, str], tuple[int, int | None]] = {}
    for c in by_name.get("checkins", []):
        key = (c["session_id"], c["phase"])
        if c["session_id"] is not None and (key not in latest or c["id"] > latest[key][0]):
            latest[key] = (c["id"], c["intensity"])
    out = []
    for s in by_name.get("sessions", []):
        before = latest.get((s["id"], "before"), (0, None))[1]
        after = latest.get((s["id"], "after"), (0, None))[1]
        change = after - before if before is not None and after is not None else None
        out.append((s["id"], s["started_at"], s["practice_title"] or s["practice_id"],
                    OUTCOME_WORDS[OUTCOME_OF.get(s["outcome"] or "", "interrupted")], before,
                    after, change, s["outcome"] == "completed" and change is not None))
    return out


def as_json(rows: list[tuple[Any, ...]]) -> dict[str, Any]:
    return {"about": EXCLUSIONS, "sessions": [dict(zip(COLUMNS, row)) for row in rows]}


def for_csv(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """in_averages as yes/no, which a spreadsheet shows plainly."""
    return [(*row[:-1], "yes" if row[-1] else "no") for row in rows]


def about_text() -> bytes:
    return (EXCLUSIONS + "\r\n").encode("utf-8")
