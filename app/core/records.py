"""What the journal holds, as plain dataclasses (no SQL, no Qt)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

SELF_ENERGY = ("calm", "curiosity", "compassion", "clarity", "confidence", "courage",
               "creativity", "connectedness")
OUTCOMES = ("completed", "stopped_early", "grounded")


class StepEvent(StrEnum):
    """What happened to a step, as the journal's step_events.kind stores it (its value)."""
    STARTED = "started"
    FINISHED = "finished"
    REPLAYED = "replayed"
    SKIPPED = "skipped"
    PAUSED = "paused"
    RESUMED = "resumed"
    GROUNDING = "grounding"
    RETURNED = "returned"


STEP_EVENT_KINDS = tuple(kind.value for kind in StepEvent)
PART_ROLES = ("manager", "firefighter", "exile", "unsure")
LINK_KINDS = ("polarised", "protects")
VIEWS = ("front", "back")


def now_iso() -> str:
    """Local time with its UTC offset, to the second: readable and unambiguous."""
    return datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class SessionRecord:
    id: int
    practice_id: str
    practice_title: str
    started_at: str
    ended_at: str | None = None
    outcome: str | None = None
    current_step: str | None = None
    part_id: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class CheckIn:
    phase: str                                   # "before" | "after" | "standalone"
    intensity: int | None                        # 0–10
    self_energy: dict[str, int] = field(default_factory=dict)   # subset of SELF_ENERGY, 0–10
    note: str | None = None
    session_id: int | None = None
    at: str = ""
    id: int | None = None


@dataclass(frozen=True)
class BodyMark:
    view: str                                    # "front" | "back"
    region: str                                  # region id from resources/body/regions.json
    intensity: int | None = None                 # 0–10; None: the person did not rate it
    x: float = 0.0                               # position within the view, 0–1 of its box
    y: float = 0.0
    qualities: tuple[str, ...] = ()
    note: str | None = None
    part_id: int | None = None
    session_id: int | None = None
    step_id: str | None = None
    at: str = ""
    id: int | None = None


@dataclass(frozen=True)
class Part:
    name: str
    role: str = "unsure"
    does: str = ""
    fears: str = ""
    wants: str = ""
    felt_age: str = ""
    where_felt: str = ""                          # region ids, comma separated
    colour: str = ""
    notes: str = ""
    archived: bool = False
    created_at: str = ""
    id: int | None = None
