"""What changed over time, computed from journal records. Pure Python, no Qt.

Shared by the progress view and the PDF report so both tell the same story.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

from app.core.records import BodyMark

RegionKey = tuple[str, str]                        # (view, region id)


# -- body heat -------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegionHeat:
    """How a region was marked over a stretch of time."""
    view: str
    region: str
    count: int
    mean_intensity: float                          # 0–10
    heat: float                                    # 0–1, relative to the hottest region


def region_heat(marks: Iterable[BodyMark]) -> dict[RegionKey, RegionHeat]:
    """Per region: how often and how intensely it was marked, plus a 0–1 heat score.

    Heat is the sum of (1 + intensity) over the region's marks, scaled so the hottest region
    is 1. The +1 is deliberate: a mark at intensity 0 still means attention went there, so it
    should show faintly rather than not at all. Scaling to the hottest region keeps the map
    readable whether the range holds three marks or three hundred.
    """
    return heat_from_counts(region_counts(marks))


def heat_from_counts(counts: Iterable[RegionCount]) -> dict[RegionKey, RegionHeat]:
    """The same heat as `region_heat`, from per-region sums (as SQL's GROUP BY returns them)."""
    counts = [c for c in counts if c.count]
    if not counts:
        return {}
    hottest = max(c.count + c.intensity_sum for c in counts)
    return {(c.view, c.region): RegionHeat(view=c.view, region=c.region, count=c.count,
                                           mean_intensity=c.intensity_sum / c.count,
                                           heat=(c.count + c.intensity_sum) / hottest)
            for c in sorted(counts, key=lambda c: (c.view, c.region))}


# -- most-marked regions and their trend ---------------------------------------------------------

@dataclass(frozen=True)
class RegionCount:
    """Marks on one region over a range, and how many fell in its first half."""
    view: str
    region: str
    count: int
    intensity_sum: int
    first_half: int = 0

    @property
    def second_half(self) -> int:
        return self.count - self.first_half


def region_counts(marks: Iterable[BodyMark], midpoint: str | None = None) -> list[RegionCount]:
    """Sum marks per region; `midpoint` (ISO date) splits the range into halves."""
    sums: dict[RegionKey, list[int]] = defaultdict(lambda: [0, 0, 0])
    for mark in marks:
        row = sums[(mark.view, mark.region)]
        row[0] += 1
        row[1] += mark.intensity
        row[2] += int(midpoint is not None and mark.at < midpoint)
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
    mean_intensity: float
    first_half: int
    second_half: int

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
    return [RegionTrend(c.view, c.region, c.count, c.intensity_sum / c.count,
                        c.first_half, c.second_half) for c in ranked[:n]]
