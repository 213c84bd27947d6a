"""The sentences of "What helps", shared by the progress view and the PDF report.

Careful words only: intensity "tended to" ease after a practice, never that a practice
"works". Each claim names how many sessions it rests on, and below the minimum there is no
claim at all, just the count.
"""
from __future__ import annotations

from app.core import body
from app.core.helps import (
    MIN_CHECKINS, MIN_SESSIONS, Helps, PartHelp, PracticeHelp, QualityTrend, ShiftStats,
)
from app.core.progress_text import number, plural
from app.core.trends import Outcomes

INTRO = ("These are patterns in your own journal, not rules: the same practice can feel "
         "different from one day to the next. Only finished sessions with a before and an "
         f"after check-in are used for a typical change, and nothing is said about fewer than "
         f"{MIN_SESSIONS}.")
EMPTY = ("Nothing to compare in this range yet. After a few finished sessions, what tended "
         "to help will show here.")
QUALITY_INTRO = (f"Each C in the first half of the range compared with the second half (at "
                 f"least {MIN_CHECKINS} check-ins in each half are needed to compare).")


def amount(value: float) -> str:
    """2 → "2 points", 1.5 → "1.5 points", 1 → "1 point"."""
    text = number(abs(value), 0 if float(value).is_integer() else 1)
    return f"{text} point" + ("" if text == "1" else "s")


def signed(value: float) -> str:
    text = number(value, 0 if float(value).is_integer() else 1)
    return "+" + text if value > 0 else text


def change_words(stats: ShiftStats) -> str:
    """"intensity tended to ease, typically by 2 points; the middle half changed by between
    −3 and −1"."""
    assert stats.median is not None and stats.low is not None and stats.high is not None
    if stats.median < 0:
        typical = f"intensity tended to ease, typically by {amount(stats.median)}"
    elif stats.median > 0:
        typical = f"intensity tended to rise, typically by {amount(stats.median)}"
    else:
        typical = "intensity tended to stay about the same"
    if stats.low == stats.high:
        return f"{typical}; at least half of them changed by exactly {signed(stats.low)}"
    return (f"{typical}; the middle half changed by between {signed(stats.low)} and "
            f"{signed(stats.high)}")


def endings(outcomes: Outcomes, whose: str = "its") -> str:
    """" Of its 17 sessions, 2 ended in grounding and 1 was stopped early." or ""."""
    items = [(outcomes.grounded, "ended in grounding", "ended in grounding"),
             (outcomes.stopped, "was stopped early", "were stopped early"),
             (outcomes.interrupted, "was interrupted", "were interrupted")]
    said = [f"{n:,} {one if n == 1 else many}" for n, one, many in items if n]
    if not said:
        return ""
    joined = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    return f" Of {whose} {plural(outcomes.total, 'session')}, {joined}."


def finished_phrase(n: int) -> str:
    return plural(n, "finished session") + " with a before and an after"


def practice_sentence(item: PracticeHelp) -> str:
    s = item.stats
    if s.enough:
        text = f"{item.title} — {finished_phrase(s.n)}: {change_words(s)}."
    elif s.n:
        text = (f"{item.title} — {finished_phrase(s.n)} so far: too few to say what tends to "
                f"happen (about {MIN_SESSIONS} are needed).")
    else:
        text = f"{item.title} — no finished sessions with a before and an after yet."
    return text + endings(item.outcomes)


def _where(part: PartHelp, most: int = 2) -> str:
    """"5 body marks name it, most often the throat (front, 3) and the jaw (front, 2)"."""
    if not part.marks:
        return ""
    named = " and ".join(f"the {_lower_first(body.label(m.region, m.view))} ({m.view}, "
                         f"{m.count:,})" for m in part.regions[:most])
    verb = "names" if part.marks == 1 else "name"
    return f"{plural(part.marks, 'body mark')} {verb} it, most often {named}"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def part_sentence(part: PartHelp) -> str:
    where = _where(part)
    sessions = part.outcomes.total
    if sessions:
        first = f"{part.name} came up in {plural(sessions, 'session')}"
        first += f"; {where}." if where else "."
    else:
        first = f"{part.name} was not part of any session in this range; {where}."
    s = part.stats
    if s.enough:
        then = f" In its {finished_phrase(s.n)}, {change_words(s)}."
    elif sessions:
        then = (f" Too few finished sessions with it ({s.n:,}) to say how they tended to go.")
    else:
        then = ""
    return first + then + endings(part.outcomes)


QUALITY_WORDS = {"grew": "tended to be higher in the second half",
                 "eased": "tended to be lower in the second half",
                 "same": "stayed about the same",
                 "few": "had too few check-ins to compare"}


def quality_sentence(q: QualityTrend) -> str:
    name = q.quality.capitalize()
    if q.direction == "few" or q.first is None or q.second is None:
        return (f"{name}: too few check-ins to compare the two halves "
                f"({q.first_n:,} and {q.second_n:,}).")
    return (f"{name}: {number(q.first)} in the first half, {number(q.second)} in the second "
            f"({q.first_n:,} and {q.second_n:,} check-ins) — {QUALITY_WORDS[q.direction]}.")


def qualities_overview(qualities: list[QualityTrend]) -> str:
    """One sentence over all eight: which C's grew, which eased, the rest."""
    groups: dict[str, list[str]] = {}
    for q in qualities:
        groups.setdefault(q.direction, []).append(q.quality)
    if not any(q.n for q in qualities):
        return "No Self-energy check-ins in this range."
    if set(groups) == {"few"}:
        return "Too few Self-energy check-ins in this range to compare its two halves."
    said = []
    for key in ("grew", "eased", "same", "few"):
        names = groups.get(key, [])
        if names:
            listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
            said.append(f"{listed} {QUALITY_WORDS[key]}")
    text = "; ".join(said)
    return "Compared with the first half of this range: " + text + "."


def helps_summary(helps: Helps) -> list[str]:
    """All of "What helps" as plain sentences, in the order they are shown."""
    if helps.empty:
        return [EMPTY]
    return ([INTRO] + [practice_sentence(p) for p in helps.practices]
            + [part_sentence(p) for p in helps.parts]
            + [qualities_overview(helps.qualities)])
