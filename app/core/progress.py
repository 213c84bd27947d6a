"""What changed over time, computed from journal records. Pure Python, no Qt.

Shared by the progress view and the PDF report so both tell the same story.
"""
from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass
from collections.abc import Iterable

from app.core.records import BodyMark

RegionKey = tuple[str, str]                        # (view, region id)


# -- body heat -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegionHeat:
    """How a region was marked over a stretch of time."""
    view: str
    region: str
    count: int
    mean_intensity: float | None                   # 0–10, over rated marks; None: none rated
    heat: float                                    # 0–1, relative to the hottest region
    rated: int = 0                                 # marks with a strength given


def region_heat(marks: Iterable[BodyMark]) -> dict[RegionKey, RegionHeat]:
    """Per region: how often and how intensely it was marked, plus a 0–1 heat score.

    Heat is the sum of (1 + intensity) over the region's marks, scaled so the hottest region
    is 1. The +1 is deliberate: a mark at intensity 0 still means attention went there, so it
    should show faintly rather than not at all; a mark whose strength was not rated counts
    that 1 alone (where, without a made-up how strongly). The mean is over rated marks only.
    Scaling to the hottest region keeps the map readable whether the range holds three marks
    or three hundred.
    """
    return heat_from_counts(region_counts(marks))


def heat_from_counts(counts: Iterable[RegionCount]) -> dict[RegionKey, RegionHeat]:
    """The same heat as `region_heat`, from per-region sums (as SQL's GROUP BY returns them)."""
    counts = [c for c in counts if c.count]
    if not counts:
        return {}
    hottest = max(c.count + c.intensity_sum for c in counts)
    return {(c.view, c.region): RegionHeat(view=c.view, region=c.region, count=c.count,
                                           mean_intensity=c.mean_intensity,
                                           heat=(c.count + c.intensity_sum) / hottest,
                                           rated=c.rated_count)
            for c in sorted(counts, key=lambda c: (c.view, c.region))}


# -- most-marked regions and their trend ---------------------------------------------------------

@dataclass(frozen=True)
class RegionCount:
    """Marks on one region over a range, and how many fell in its first half."""
    view: str
    region: str
    count: int
    intensity_sum: int                             # over the rated marks
    first_half: int = 0
    rated: int | None = None                       # marks with a strength; None: all of them

    @property
    def second_half(self) -> int:
        return self.count - self.first_half

    @property
    def rated_count(self) -> int:
        return self.count if self.rated is None else self.rated

    @property
    def mean_intensity(self) -> float | None:
        """The average strength of the rated marks; None when none was rated."""
        return self.intensity_sum / self.rated_count if self.rated_count else None


def region_counts(marks: Iterable[BodyMark], midpoint: str | None = None) -> list[RegionCount]:
    """Sum marks per region; `midpoint` (ISO date) splits the range into halves. Marks whose
    strength was not rated count as marks but add nothing to the strength sum."""
    sums: dict[RegionKey, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for mark in marks:
        row = sums[(mark.view, mark.region)]
        row[0] += 1
        row[1] += mark.intensity or 0
        row[2] += int(midpoint is not None and mark.at < midpoint)
        row[3] += int(mark.intensity is not None)
    return [RegionCount(view, region, *row) for (view, region), row in sorted(sums.items())]


# A region must change by more than a quarter between halves to be called "more" or "less":
# day-to-day noise should not read as a change in the person.
TREND_MARGIN = 1.25
TREND_MIN_MARKS = 6


@dataclass(frozen=True)
class RegionTrend:
    view: str
    region: str
    count: int
    mean_intensity: float | None                   # over rated marks; None: none rated
    first_half: int
    second_half: int
    rated: int = 0

    @property
    def direction(self) -> str:
        """"more", "less", "steady", or "few" when there are too few marks to say."""
        if self.count < TREND_MIN_MARKS:
            return "few"
        if self.second_half > self.first_half * TREND_MARGIN:
            return "more"
        if self.first_half > self.second_half * TREND_MARGIN:
            return "less"
        return "steady"

    def describe(self) -> str:
        return {"more": "noticed more often lately", "less": "noticed less often lately",
                "steady": "about as often throughout", "few": "only a few times"
                }[self.direction]


def top_regions(counts: Iterable[RegionCount], n: int = 5) -> list[RegionTrend]:
    """The most-marked regions, most first (ties: the more intense first, then by name)."""
    ranked = sorted((c for c in counts if c.count),
                    key=lambda c: (-c.count, -c.intensity_sum, c.view, c.region))
    return [RegionTrend(c.view, c.region, c.count, c.mean_intensity,
                        c.first_half, c.second_half, c.rated_count) for c in ranked[:n]]


# -- a colour key for the heat map -------------------------------------------------------------

HEAT_MEASURES = {"count": "how often", "intensity": "how strongly"}
HEAT_CLASSES = 5
INTENSITY_LOWS = (0.0, 2.0, 4.0, 6.0, 8.0)


@dataclass(frozen=True)
class HeatKey:
    """Classes of shade, each with the values it stands for ("3–9 times").

    Counts are grouped on a roughly logarithmic scale of round numbers, so an area noticed 65
    times still shows clearly beside one noticed 290 times, on either figure; a linear scale
    left such an area almost blank. Average intensity uses fixed steps of 2 on the 0–10 scale.
    """
    measure: str                                   # "count" or "intensity"
    lows: tuple[float, ...]                        # lowest value of each class
    labels: tuple[str, ...]

    def level(self, value: float) -> int:
        """1 for the lightest class … len(lows) for the darkest."""
        return sum(1 for low in self.lows if value >= low - 1e-9) or 1

    def shade(self, level: int) -> float:
        """0–1 for painting: even the lightest class is clearly visible."""
        if len(self.lows) == 1:
            return 0.65
        return 0.3 + 0.7 * (level - 1) / (len(self.lows) - 1)

    def value(self, heat: RegionHeat) -> float | None:
        """None for "how strongly" when no mark there was rated: no shade is made up."""
        return heat.count if self.measure == "count" else heat.mean_intensity


def _round_number(value: float) -> int:
    """The nearest of 1, 2, 3, 5 × 10ⁿ (on a log scale)."""
    candidates = [m * 10 ** e for e in range(0, 7) for m in (1, 2, 3, 5)]
    best: int = min(candidates, key=lambda c: abs(math.log(c) - math.log(max(1.0, value))))
    return best


def count_key(most: int) -> HeatKey:
    lows = [1]
    for k in range(1, HEAT_CLASSES):
        edge = _round_number(most ** (k / HEAT_CLASSES))
        if lows[-1] < edge <= most:
            lows.append(edge)
    labels = []
    for i, low in enumerate(lows):
        high = lows[i + 1] - 1 if i + 1 < len(lows) else most
        labels.append((f"{low:,}" if low == high else f"{low:,}–{high:,}")
                      + (" time" if high == 1 else " times"))
    return HeatKey("count", tuple(float(v) for v in lows), tuple(labels))


INTENSITY_KEY = HeatKey("intensity", INTENSITY_LOWS,
                        ("0–1.9", "2–3.9", "4–5.9", "6–7.9", "8–10"))


def heat_key(heat: dict[RegionKey, RegionHeat], measure: str = "count") -> HeatKey:
    if measure == "intensity":
        return INTENSITY_KEY
    return count_key(max((h.count for h in heat.values()), default=1))


def heat_shades(heat: dict[RegionKey, RegionHeat], key: HeatKey) -> dict[RegionKey, float]:
    """What the body figures paint: every marked area gets its class's shade (by strength,
    only the areas with a rated mark: an unknown strength is not painted as some strength)."""
    values = {k: key.value(h) for k, h in heat.items()}
    return {k: key.shade(key.level(v)) for k, v in values.items() if v is not None}
