"""What the progress view and the PDF report show, as plain records (no SQL, no Qt).

app.storage.queries fills them from the journal; app/ui draws them; app/qt carries them from
the one to the other off the GUI thread.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.helps import Helps
from app.core.progress import RegionHeat, RegionTrend
from app.core.records import Part
from app.core.trends import Bucket, Period, SessionShift, Span, Streak, Summary


@dataclass(frozen=True)
class Progress:
    span: Span
    bucket: Bucket
    summary: Summary
    periods: list[Period]
    sessions: list[SessionShift]                    # empty unless asked for
    heat: dict[tuple[str, str], RegionHeat]
    regions: list[RegionTrend]                      # every marked region, most marked first
    streak: Streak | None                           # None unless the person asked for it
    helps: Helps | None = None                      # None unless asked for

    @property
    def empty(self) -> bool:
        return (not self.summary.sessions and self.summary.self_energy is None
                and not self.heat)


@dataclass(frozen=True)
class Report:
    """Everything the PDF report for a therapist holds."""
    progress: Progress                              # with every session of the range
    parts: list[Part]
    made: datetime
    left_out: int = 0                               # sessions whose time cannot be read
