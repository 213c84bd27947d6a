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
    assert heat[("front", "throat")] == RegionHeat("front", "throat", 2, 7.0, 1.0, rated=2)
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


# -- the colour key ------------------------------------------------------------------------------

def test_a_busy_area_on_the_back_shows_clearly_beside_a_busier_front():
    from app.core.progress import heat_key, heat_shades
    heat = region_heat([mark("heart-area", 5)] * 290 + [mark("upper-back-left", 5, "back")] * 65
                       + [mark("jaw", 5)])
    key = heat_key(heat)
    assert key.labels == ("1–2 times", "3–9 times", "10–29 times", "30–99 times",
                          "100–290 times")
    shades = heat_shades(heat, key)
    assert key.level(65) == 4 and shades[("back", "upper-back-left")] == pytest.approx(0.825)
    assert shades[("front", "heart-area")] == 1.0
    assert shades[("front", "jaw")] == pytest.approx(0.3)      # one mark: light, not blank
    # the old linear heat left the back area nearly blank
    assert heat[("back", "upper-back-left")].heat < 0.25


def test_the_key_can_show_average_intensity_instead():
    from app.core.progress import heat_key, heat_shades
    heat = region_heat([mark("throat", 9), mark("throat", 8), mark("jaw", 1)])
    key = heat_key(heat, "intensity")
    assert key.labels == ("0–1.9", "2–3.9", "4–5.9", "6–7.9", "8–10")
    shades = heat_shades(heat, key)
    assert shades[("front", "throat")] == 1.0 and shades[("front", "jaw")] == pytest.approx(0.3)


@pytest.mark.parametrize("most, labels", [
    (1, ("1 time",)), (2, ("1 time", "2 times")), (5, ("1 time", "2 times", "3–5 times")),
    (1000, ("1–4 times", "5–19 times", "20–49 times", "50–299 times", "300–1,000 times"))])
def test_count_keys_use_round_numbers(most, labels):
    from app.core.progress import count_key
    key = count_key(most)
    assert key.labels == labels
    assert key.level(most) == len(labels) and key.level(1) == 1
