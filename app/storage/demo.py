"""Plausible demo data for screenshots and benchmarks: `fill_demo(journal, years, seed)`.

About one session a day on average, but not every day: short gaps (a busy day or two), a few
longer breaks a year, and some days with two sittings. Before-intensity eases down gently over
months with realistic noise and hard weeks; the after-intensity is usually a little lower.
About ten body marks a session over a mix of regions where feelings are commonly felt.
Deterministic for a given seed and end date and the bundled practices and body regions: their
steps and shapes draw from the same random stream as everything else, so a practice gaining a
step gives the same seed another year. Everything is written in one transaction.
"""
from __future__ import annotations

import json
import math
import random
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from app import paths
from app.core.records import SELF_ENERGY
from app.storage.journal import Journal

QUALITIES = ("tight", "heavy", "pressure", "ache", "buzzing", "fluttering", "warm", "cold",
             "numb", "shaky", "empty", "constricted")
# Where people most often feel emotion (chest, throat, belly, shoulders, jaw, upper back…);
# any other region of the atlas gets weight 0.4.
REGION_WEIGHTS = {
    "heart-area": 9, "chest-left": 6, "chest-right": 4, "throat": 8, "solar-plexus": 7,
    "upper-belly": 6, "middle-belly": 4, "lower-belly": 3, "jaw": 6, "eyes": 2, "forehead": 3,
    "face": 1.5, "shoulder-left": 4, "shoulder-right": 4, "hand-left": 1.5, "hand-right": 1.5,
    "back-of-neck": 5, "base-of-skull": 2, "upper-back-left": 4, "upper-back-right": 4,
    "upper-spine": 3, "middle-back-left": 2, "lower-back-left": 2.5, "lower-back-right": 2.5,
}
FALLBACK_REGIONS = {"front": ["heart-area", "chest-left", "chest-right", "throat", "jaw",
                              "solar-plexus", "upper-belly", "shoulder-left", "shoulder-right",
                              "forehead"],
                    "back": ["back-of-neck", "upper-back-left", "upper-back-right",
                             "upper-spine", "lower-back-left", "shoulder-left"]}
FALLBACK_PRACTICES = [("unblending", "Unblending",
                       ["arrive", "choose", "where", "name", "room", "return"], ["where"])]
NOTES = ("Felt lighter afterwards.", "Hard to settle today.", "Something softened in my chest.",
         "The critic was loud, but I could listen.", "Tired; kept it short.",
         "A memory came up; I stayed with it gently.", "More room inside than last week.",
         "Cried a little. It helped.", "Mostly noticed the tightness.")
PARTS = [  # name, role, fears, wants, felt age, where felt
    ("The Planner", "manager", "being caught unprepared", "everything under control", "30",
     "forehead,jaw"),
    ("The Inner Critic", "manager", "being rejected", "to keep me safe from shame", "12",
     "jaw,throat"),
    ("The Numb One", "firefighter", "being overwhelmed", "the pain to stop", "15",
     "middle-belly,heart-area"),
    ("The Scroller", "firefighter", "feeling alone", "distraction and relief", "16", "eyes"),
    ("Little One", "exile", "being left", "to be seen and held", "6", "heart-area,throat"),
    ("The Worrier", "unsure", "something bad happening", "warning me in time", "9",
     "solar-plexus,upper-belly"),
]
LINKS = [(1, 4, "protects"), (2, 4, "protects"), (0, 3, "polarised"), (5, 4, "protects")]


@dataclass(frozen=True)
class PracticeShape:
    id: str
    title: str
    steps: list[str]
    body_steps: list[str]


@dataclass
class _Rows:
    events: list[tuple[Any, ...]]
    checkins: list[tuple[Any, ...]]
    marks: list[tuple[Any, ...]]


def fill_demo(journal: Journal, years: float = 1.0, seed: int = 1,
              end: date | None = None) -> dict[str, int]:
    """Add `years` of demo records ending on `end` (today); returns rows added per table."""
    rng = random.Random(seed)
    end = end or date.today()
    days = max(1, round(365 * years))
    practices, atlas = _practices(), _atlas(rng)
    before = journal.counts()
    with journal.db.atomic():
        part_ids = _add_parts(journal, end - timedelta(days=days))
        rows = _Rows([], [], [])
        plan = _plan_days(rng, days, sessions=days)
        for index, count in enumerate(plan):
            day = end - timedelta(days=days - 1 - index)
            for sitting in range(count):
                _add_session(journal, rng, rows, _Context(day, index / 30.4, sitting,
                                                          practices, atlas, part_ids))
            if count == 0 and rng.random() < 0.05:
                _standalone_body_checkin(rng, rows, day, atlas, part_ids)
        _write_children(journal, rows)
    after = journal.counts()
    return {table: after[table] - before.get(table, 0) for table in after}


# -- the calendar ------------------------------------------------------------------------------

def _plan_days(rng: random.Random, days: int, sessions: int) -> list[int]:
    """Sessions per day: gaps of a day or two, a few longer breaks a year, some double days."""
    active = []
    on = True
    holiday_left = 0
    for _ in range(days):
        if holiday_left:
            holiday_left -= 1
            active.append(False)
            continue
        if rng.random() < 3 / 365:                   # a few longer breaks a year
            holiday_left = rng.randint(5, 16)
        on = rng.random() < (0.88 if on else 0.45)   # short gaps average about two days
        active.append(on)
    plan = [1 if a else 0 for a in active]
    on_days = [i for i, a in enumerate(active) if a] or [days - 1]
    extra = sessions - sum(plan)
    while extra > 0:                                 # a second (rarely third) sitting
        day = rng.choice(on_days)
        if plan[day] < 3:
            plan[day] += 1
            extra -= 1
    while extra < 0:
        day = rng.choice(on_days)
        if plan[day] > 0:
            plan[day] -= 1
            extra += 1
    return plan


@dataclass(frozen=True)
class _Context:
    day: date
    months: float                                     # since the first day: drives the trend
    sitting: int
    practices: list[PracticeShape]
    atlas: dict[str, list[tuple[str, list[tuple[float, float]]]]]
    part_ids: list[int]


# -- one session ---------------------------------------------------------------------------

def _add_session(journal: Journal, rng: random.Random, rows: _Rows, ctx: _Context) -> None:
    practice = rng.choice(ctx.practices)
    hour = rng.choice((7, 8, 8, 12, 18, 20, 21, 21)) + 4 * ctx.sitting
    start = datetime.combine(ctx.day, time(min(hour, 23), rng.randrange(60))).astimezone()
    outcome = rng.choices(("completed", "stopped_early", "grounded"), (85, 10, 5))[0]
    part_id = rng.choice(ctx.part_ids) if ctx.part_ids and rng.random() < 0.4 else None
    intensity = _before_intensity(rng, ctx.months)
    energy = _energy(rng, ctx.months, lift=0.0)
    times, last_step = _step_events(rng, rows, practice, start, outcome)
    ended = times[-1] + timedelta(seconds=rng.randint(20, 90))
    session_id = _row_id(journal.db.execute(
        "INSERT INTO sessions (practice_id, practice_title, started_at, ended_at, outcome, "
        "current_step, part_id, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (practice.id, practice.title, _iso(start), _iso(ended), outcome, last_step, part_id,
         rng.choice(NOTES) if rng.random() < 0.12 else None)))
    _fill_session_ids(rows, session_id)
    rows.checkins.append(_checkin_row(session_id, "before", start + timedelta(seconds=5),
                                      intensity, energy))
    if outcome != "stopped_early" or rng.random() < 0.5:
        shift = rng.gauss(1.2 + 0.8 * (1 - math.exp(-ctx.months / 10)), 1.1)
        after = _clamp(round(intensity - shift))
        lifted = {q: _clamp(round(v + rng.gauss(1.0, 0.8))) for q, v in energy.items()}
        rows.checkins.append(_checkin_row(session_id, "after", ended, after, lifted))
    _body_marks(rng, rows, session_id, practice, times, intensity, ctx)


def _before_intensity(rng: random.Random, months: float) -> int:
    """Eases from about 7 to about 4.5 over the first years; a hard week now and then."""
    trend = 7.0 - 2.6 * (1 - math.exp(-months / 14))
    season = 0.4 * math.sin(months / 12 * 2 * math.pi)
    hard_week = 1.5 if rng.random() < 0.06 else 0.0
    return _clamp(round(rng.gauss(trend + season + hard_week, 1.3)))


def _energy(rng: random.Random, months: float, lift: float) -> dict[str, int]:
    growth = 2.5 * (1 - math.exp(-months / 18))
    return {q: _clamp(round(rng.gauss(3.5 + growth + lift + (i % 3) * 0.4, 1.2)))
            for i, q in enumerate(SELF_ENERGY)}


def _step_events(rng: random.Random, rows: _Rows, practice: PracticeShape, start: datetime,
                 outcome: str) -> tuple[list[datetime], str]:
    """Rows for each step (session id filled in later); returns each step's start time."""
    steps = practice.steps
    stop_at = rng.randrange(1, len(steps)) if outcome == "stopped_early" else len(steps)
    grounded_at = rng.randrange(len(steps)) if outcome == "grounded" else -1
    now, times = start + timedelta(seconds=30), []
    for index, step in enumerate(steps[:stop_at]):
        times.append(now)
        rows.events.append((None, step, "started", _iso(now)))
        now += timedelta(seconds=rng.randint(50, 140))
        if index == grounded_at:
            rows.events.append((None, step, "grounding", _iso(now)))
            now += timedelta(seconds=rng.randint(60, 180))
            rows.events.append((None, step, "returned", _iso(now)))
        if rng.random() < 0.05:
            rows.events.append((None, step, "replayed", _iso(now)))
            now += timedelta(seconds=rng.randint(40, 90))
        kind = "skipped" if rng.random() < 0.04 else "finished"
        rows.events.append((None, step, kind, _iso(now)))
    return times or [start], steps[max(0, stop_at - 1)]


def _body_marks(rng: random.Random, rows: _Rows, session_id: int, practice: PracticeShape,
                times: list[datetime], intensity: int, ctx: _Context) -> None:
    steps = practice.steps[:len(times)]
    body = [s for s in practice.body_steps if s in steps] or steps
    for _ in range(rng.randint(6, 14)):             # about ten a session
        step = rng.choice(body)
        at = times[steps.index(step)] + timedelta(seconds=rng.randint(10, 90))
        rows.marks.append(_mark_row(rng, session_id, step, at, intensity, ctx.atlas,
                                    ctx.part_ids))


def _standalone_body_checkin(rng: random.Random, rows: _Rows, day: date,
                             atlas: dict[str, list[tuple[str, list[tuple[float, float]]]]],
                             part_ids: list[int]) -> None:
    """A quick body check-in from the library on a day without a practice (no session)."""
    at = datetime.combine(day, time(rng.randint(9, 21), rng.randrange(60))).astimezone()
    for _ in range(rng.randint(2, 4)):
        rows.marks.append(_mark_row(rng, None, None, at, rng.randint(3, 8), atlas, part_ids))


def _mark_row(rng: random.Random, session_id: int | None, step: str | None, at: datetime,
              intensity: int, atlas: dict[str, list[tuple[str, list[tuple[float, float]]]]],
              part_ids: list[int]) -> tuple[Any, ...]:
    view = "front" if rng.random() < 0.72 else "back"
    regions = atlas[view]
    region, points = rng.choices(regions, [REGION_WEIGHTS.get(r, 0.4) for r, _ in regions])[0]
    x, y = rng.choice(points)
    qualities = ",".join(rng.sample(QUALITIES, rng.choice((1, 1, 2, 2, 3))))
    part = rng.choice(part_ids) if part_ids and rng.random() < 0.3 else None
    return (_iso(at), session_id, step, view, region, x, y,
            _clamp(round(rng.gauss(intensity, 1.8))), qualities, part, None)


def _fill_session_ids(rows: _Rows, session_id: int) -> None:
    """Step events are generated before their session row exists; give them its id now."""
    for i in range(len(rows.events) - 1, -1, -1):
        if rows.events[i][0] is not None:
            break
        rows.events[i] = (session_id, *rows.events[i][1:])


def _checkin_row(session_id: int, phase: str, at: datetime, intensity: int,
                 energy: dict[str, int]) -> tuple[Any, ...]:
    return (session_id, phase, _iso(at), intensity, None, *(energy[q] for q in SELF_ENERGY))


def _write_children(journal: Journal, rows: _Rows) -> None:
    conn = journal.db.conn
    conn.executemany("INSERT INTO step_events (session_id, step_id, kind, at) "
                     "VALUES (?, ?, ?, ?)", rows.events)
    conn.executemany(f"INSERT INTO checkins (session_id, phase, at, intensity, note, "
                     f"{', '.join(SELF_ENERGY)}) VALUES ({', '.join('?' * 13)})", rows.checkins)
    conn.executemany("INSERT INTO body_marks (at, session_id, step_id, view, region, x, y, "
                     "intensity, qualities, part_id, note) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                     rows.marks)


def _row_id(cursor: sqlite3.Cursor) -> int:
    """The id of the row an INSERT just made (always set after an INSERT)."""
    return int(cursor.lastrowid or 0)


def _add_parts(journal: Journal, first_day: date) -> list[int]:
    created = _iso(datetime.combine(first_day, time(9, 0)).astimezone())
    ids = [_row_id(journal.db.execute(
        "INSERT INTO parts (name, role, fears, wants, felt_age, where_felt, created_at, "
        "archived, does, colour, notes) VALUES (?, ?, ?, ?, ?, ?, ?, 0, '', '', '')",
        (*part, created))) for part in PARTS]
    journal.db.conn.executemany(
        "INSERT INTO part_links (from_part, to_part, kind) VALUES (?, ?, ?)",
        [(ids[a], ids[b], kind) for a, b, kind in LINKS])
    return ids


# -- bundled material ------------------------------------------------------------------------

def _practices() -> list[PracticeShape]:
    from app.core.scripts import ScriptError
    from app.storage.script_files import load_practice
    shapes = []
    for file in sorted(paths.BUNDLED_SCRIPTS_DIR.glob("*.toml")):
        try:
            p = load_practice(file, bundled=True)
        except (ScriptError, OSError):
            continue
        shapes.append(PracticeShape(p.id, p.title, [s.id for s in p.steps],
                                    [s.id for s in p.steps if s.ask_body]))
    return shapes or [PracticeShape(*p) for p in FALLBACK_PRACTICES]


def _atlas(rng: random.Random, path: Path = paths.BODY_REGIONS_FILE
           ) -> dict[str, list[tuple[str, list[tuple[float, float]]]]]:
    """Per view: (region id, a few points inside it as 0–1 fractions of the box)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        width, height = data["box"]
        atlas = {view: _view_points(rng, data["views"][view]["regions"], width, height)
                 for view in ("front", "back")}
        if all(atlas.values()):
            return atlas
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {view: [(r, [(0.5, 0.3)]) for r in ids] for view, ids in FALLBACK_REGIONS.items()}


def _view_points(rng: random.Random, raw: list[dict[str, Any]], width: float, height: float
                 ) -> list[tuple[str, list[tuple[float, float]]]]:
    """Points where a tap would really hit each region: inside its polygon and not inside an
    earlier one (the body map's hit test takes the first region in file order)."""
    polygons = [(r["polygon"], _bbox(r["polygon"])) for r in raw]
    result = []
    for index, region in enumerate(raw):
        polygon, (x0, y0, x1, y1) = polygons[index]
        points = []
        for _ in range(80):
            x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
            if _inside(polygon, x, y) and not any(
                    _in_bbox(box, x, y) and _inside(poly, x, y) for poly, box in polygons[:index]):
                points.append((x / width, y / height))
                if len(points) == 6:
                    break
        if points:                  # a region fully hidden by earlier ones cannot be tapped
            result.append((region["id"], points))
    return result


def _bbox(polygon: list[list[float]]) -> tuple[float, float, float, float]:
    xs, ys = [p[0] for p in polygon], [p[1] for p in polygon]
    return min(xs), min(ys), max(xs), max(ys)


def _in_bbox(box: tuple[float, float, float, float], x: float, y: float) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _inside(polygon: list[list[float]], x: float, y: float) -> bool:
    inside = False
    for (x1, y1), (x2, y2) in zip(polygon, polygon[1:] + polygon[:1]):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def _clamp(value: int) -> int:
    return max(0, min(10, value))
