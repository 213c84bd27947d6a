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
    counts: dict[RegionKey, int] = defaultdict(int)
    totals: dict[RegionKey, int] = defaultdict(int)
    for mark in marks:
        key = (mark.view, mark.region)
        counts[key] += 1
        totals[key] += mark.intensity
    if not counts:
        return {}
    weight = {key: counts[key] + totals[key] for key in counts}
    hottest = max(weight.values())
    return {key: RegionHeat(view=key[0], region=key[1], count=counts[key],
                            mean_intensity=totals[key] / counts[key],
                            heat=weight[key] / hottest)
            for key in sorted(counts)}
