"""A body mark saved with its place only (strength not rated) is a mark, never a made-up 5:
it counts where it was felt, and the averages say over how many marks they are."""
from __future__ import annotations

import pytest

from app.core import parts
from app.core.progress import (
    INTENSITY_KEY, count_key, heat_shades, region_counts, region_heat, top_regions,
)
from app.core.progress_text import average_strength, region_sentence
from app.core.record_rules import row_problems
from app.core.records import BodyMark

AT = "2026-03-04T09:15:00+01:00"


def mark(region: str, intensity: int | None, at: str = AT, part_id: int | None = None
         ) -> BodyMark:
    return BodyMark(view="front", region=region, intensity=intensity, at=at, part_id=part_id)


def test_a_mark_needs_no_strength():
    assert BodyMark(view="front", region="throat").intensity is None


def test_averages_skip_unrated_marks_and_count_them():
    heat = region_heat([mark("throat", 8), mark("throat", None), mark("throat", 6)])
    throat = heat[("front", "throat")]
    assert (throat.count, throat.rated, throat.mean_intensity) == (3, 2, 7.0)


def test_an_area_marked_only_unrated_still_shows_where():
    heat = region_heat([mark("jaw", None), mark("throat", 4)])
    jaw = heat[("front", "jaw")]
    assert (jaw.count, jaw.rated, jaw.mean_intensity) == (1, 0, None)
    assert 0 < jaw.heat < 1                       # seen, as faintly as a mark at 0
    assert jaw.heat == region_heat([mark("jaw", 0), mark("throat", 4)])[("front", "jaw")].heat


def test_trends_and_counts_carry_how_many_were_rated():
    counts = region_counts([mark("jaw", None), mark("jaw", 3)], midpoint="2027")
    assert counts[0].rated_count == 1 and counts[0].mean_intensity == 3.0
    trend = top_regions(counts)[0]
    assert (trend.count, trend.rated, trend.mean_intensity) == (2, 1, 3.0)


def test_by_strength_an_unrated_area_is_not_painted_as_some_strength():
    heat = region_heat([mark("jaw", None), mark("throat", 4)])
    assert set(heat_shades(heat, INTENSITY_KEY)) == {("front", "throat")}
    assert set(heat_shades(heat, count_key(1))) == {("front", "jaw"), ("front", "throat")}


@pytest.mark.parametrize("mean, count, rated, said", [
    (4.25, 3, 3, "on average 4.2 of 10"),
    (7.0, 12, 9, "on average 7.0 of 10 (9 of 12 rated)"),
    (None, 2, 0, "strength not rated"),
    (4.0, 1, 1, "strength 4 of 10"),                     # one rated mark has no average
    (4.0, 3, 1, "strength 4 of 10 (1 of 3 rated)"),
    (4.5, 2, 2, "on average 4.5 of 10"),
])
def test_average_strength_in_words(mean, count, rated, said):
    assert average_strength(mean, count, rated) == said


def test_the_region_sentence_says_how_many_were_rated():
    trend = top_regions(region_counts([mark("jaw", None), mark("jaw", 3)]))[0]
    assert "strength 3 of 10 (1 of 2 rated)" in region_sentence(trend)
    none = top_regions(region_counts([mark("jaw", None)]))[0]
    assert "strength not rated" in region_sentence(none) and "None" not in region_sentence(none)


def test_a_parts_months_average_only_rated_marks():
    marks = [mark("jaw", None, part_id=1), mark("jaw", 6, part_id=1),
             mark("throat", None, "2026-02-02T09:00:00+01:00", part_id=1)]
    march, february = parts.mark_periods(marks)
    assert (march.count, march.rated, march.mean_intensity) == (2, 1, 6.0)
    assert (february.count, february.rated, february.mean_intensity) == (1, 0, None)


@pytest.mark.parametrize("intensity, fine", [(None, True), (0, True), (10, True),
                                             (-1, False), (11, False), (5.5, False)])
def test_the_journal_rules_allow_no_strength_and_0_to_10_otherwise(intensity, fine):
    row = {"at": AT, "view": "front", "region": "throat", "intensity": intensity}
    assert (row_problems("body_marks", row) == []) is fine


def test_a_region_is_steady_unless_one_half_has_a_quarter_more_marks():
    """A difference of one or two marks is no trend: the halves must differ by more than a
    quarter (TREND_MARGIN) to be called more or less often."""
    from app.core.progress import RegionTrend
    def trend(first: int, second: int) -> str:
        return RegionTrend("front", "chest", first + second, None, first, second).direction
    assert [trend(11, 10), trend(10, 11), trend(13, 10), trend(10, 13)] == [
        "steady", "steady", "less", "more"]
