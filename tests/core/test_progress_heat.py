"""Body heat: how often and how intensely each region was marked, scaled 0–1."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.progress import RegionHeat, region_heat
from app.core.records import BodyMark


def mark(region: str, intensity: int, view: str = "front") -> BodyMark:
    return BodyMark(view=view, region=region, intensity=intensity)


def test_no_marks_no_heat():
    assert region_heat([]) == {}


def test_counts_means_and_the_hottest_region_is_one():
    heat = region_heat([mark("throat", 8), mark("throat", 6), mark("jaw", 2),
                        mark("shoulder-left", 4, "back")])
    assert heat[("front", "throat")] == RegionHeat("front", "throat", 2, 7.0, 1.0)
    assert heat[("front", "jaw")].count == 1
    assert heat[("front", "jaw")].heat == pytest.approx(3 / 16)
    assert heat[("back", "shoulder-left")].mean_intensity == 4.0


def test_views_are_kept_apart():
    heat = region_heat([mark("shoulder-left", 5, "front"), mark("shoulder-left", 5, "back")])
    assert set(heat) == {("front", "shoulder-left"), ("back", "shoulder-left")}


def test_a_mark_at_zero_still_shows_faintly():
    heat = region_heat([mark("throat", 10), mark("jaw", 0)])
    assert 0 < heat[("front", "jaw")].heat < heat[("front", "throat")].heat


def test_often_beats_once_at_the_same_intensity():
    heat = region_heat([mark("throat", 5)] * 3 + [mark("jaw", 5)])
    assert heat[("front", "throat")].heat > heat[("front", "jaw")].heat


def test_accepts_any_iterable_once():
    heat = region_heat(mark("throat", i) for i in range(11))
    assert heat[("front", "throat")].count == 11


@given(st.lists(st.tuples(st.sampled_from(["throat", "jaw", "crown"]), st.integers(0, 10)),
                min_size=1, max_size=60))
def test_heat_is_between_0_and_1_with_one_hottest(pairs):
    heat = region_heat(mark(r, i) for r, i in pairs)
    scores = [h.heat for h in heat.values()]
    assert all(0 < s <= 1 for s in scores)
    assert max(scores) == 1.0
    assert sum(h.count for h in heat.values()) == len(pairs)
