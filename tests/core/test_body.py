"""Body regions: every region is reachable, the figure has edges, neighbours never overlap."""
from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core import body
from app.core.body import RegionsError, load_atlas
from app.core.records import VIEWS

ALL_REGIONS = [r for v in VIEWS for r in body.regions(v)]
W, H = body.box()


def region_ids(view: str) -> list[str]:
    return [r.id for r in body.regions(view)]


@pytest.mark.parametrize("view", VIEWS)
def test_each_view_has_at_least_30_named_regions(view):
    assert len(body.regions(view)) >= 30
    assert len(set(region_ids(view))) == len(region_ids(view))


@given(st.sampled_from(ALL_REGIONS))
def test_interior_point_maps_back_to_its_region(region):
    x, y = body.interior_point(region)
    found = body.region_at(region.view, x, y)
    assert found is not None and found.id == region.id


@given(st.sampled_from(VIEWS), st.floats(0, W), st.floats(0, H))
@settings(max_examples=400)
def test_a_point_lies_in_at_most_one_region(view, x, y):
    holders = [r.id for r in body.regions(view) if r.contains(x, y)]
    assert len(holders) <= 1, holders


@given(st.sampled_from(VIEWS), st.sampled_from(["left", "right", "top", "bottom"]),
       st.floats(0, 1))
def test_points_outside_the_figure_map_to_nothing(view, edge, t):
    # the box's margins are empty: the figure never touches the edge of its box
    x, y = {"left": (2.0, t * H), "right": (W - 2.0, t * H),
            "top": (t * W, 1.0), "bottom": (t * W, H - 1.0)}[edge]
    assert body.region_at(view, x, y) is None


@pytest.mark.parametrize("view", VIEWS)
def test_gaps_in_the_silhouette_are_not_regions(view):
    between_the_legs = (50.0, 200.0)
    between_arm_and_waist = (31.0, 110.0)
    beside_the_neck = (40.0, 40.0)
    for x, y in (between_the_legs, between_arm_and_waist, beside_the_neck,
                 (W - between_arm_and_waist[0], between_arm_and_waist[1])):
        assert body.region_at(view, x, y) is None, (x, y)


@pytest.mark.parametrize("view", VIEWS)
def test_regions_tile_the_figure_without_gaps(view):
    """Every point inside the drawn outline belongs to some region (sampled on a grid)."""
    outline = body.outline(view)
    misses = []
    for i in range(1, 100):
        for j in range(1, 250):
            x, y = i + 0.37, j + 0.41
            if body._inside(outline, x, y) and body.region_at(view, x, y) is None:
                misses.append((x, y))
    assert not misses, misses[:5]


@pytest.mark.parametrize("region", ALL_REGIONS, ids=lambda r: f"{r.view}:{r.id}")
def test_left_and_right_are_the_persons_own_in_id_and_label(region):
    words = region.label.lower().replace(",", " ").split()
    if region.side is None:
        assert "left" not in words and "right" not in words
        assert not region.id.endswith(("-left", "-right"))
    else:
        other = "right" if region.side == "left" else "left"
        assert region.side in words and other not in words
        assert region.id.endswith("-" + region.side)


@pytest.mark.parametrize("view", VIEWS)
def test_the_persons_left_is_on_the_correct_side_of_each_drawing(view):
    """Front: the person faces us, so their left is on our right. Back: on our left."""
    for region in body.regions(view):
        if region.side:
            x, _ = body.interior_point(region)
            on_viewer_left = x < W / 2
            assert on_viewer_left == ((region.side == "left") == (view == "back")), region.id


def test_a_shared_id_has_one_label_on_both_views():
    front = {r.id: r.label for r in body.regions("front")}
    for region in body.regions("back"):
        if region.id in front:
            assert front[region.id] == region.label
    assert body.label("shoulder-left") == "Left shoulder"
    assert body.label("heart-area") == "Heart area"
    assert body.label("no-such-place") == "no-such-place"


def test_regions_the_issue_names_are_all_there():
    front, back = set(region_ids("front")), set(region_ids("back"))
    for rid in ("crown", "forehead", "eyes", "jaw", "throat", "shoulder-left", "shoulder-right",
                "upper-arm-left", "elbow-right", "forearm-left", "hand-right", "chest-left",
                "chest-right", "heart-area", "solar-plexus", "upper-belly", "middle-belly",
                "lower-belly", "ribs-left", "hip-right", "pelvis", "thigh-left", "knee-right",
                "shin-left", "foot-right"):
        assert rid in front, rid
    for rid in ("back-of-neck", "upper-back-left", "upper-spine", "middle-back-right",
                "middle-spine", "lower-back-left", "lower-spine", "buttock-right", "calf-left"):
        assert rid in back, rid


def test_qualities_cover_the_issue_list():
    assert set(body.QUALITIES) >= {"tight", "heavy", "pressure", "ache", "buzzing", "fluttering",
                                   "warm", "cold", "numb", "shaky", "empty", "constricted"}
    assert body.QUALITY_LABELS["buzzing"] == "Buzzing / agitated"


def test_unknown_view_is_a_clear_error():
    with pytest.raises(ValueError, match="sideways"):
        body.regions("sideways")


def _write(tmp_path, data) -> str:
    path = tmp_path / "regions.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data))
    return str(path)


def _valid() -> dict:
    square = [[10, 10], [20, 10], [20, 20], [10, 20]]
    view = {"regions": [{"id": "heart-area", "label": "Heart area", "polygon": square}]}
    return {"box": [100, 250], "views": {"front": view, "back": view}}


@pytest.mark.parametrize("breakage, message", [
    (lambda d: d.pop("box"), "'box' must be"),
    (lambda d: d["views"].pop("back"), "exactly front, back"),
    (lambda d: d["views"]["front"]["regions"][0].update(id="Heart Area"), "kebab-case"),
    (lambda d: d["views"]["front"]["regions"][0].update(label=""), "non-empty label"),
    (lambda d: d["views"]["front"]["regions"][0].update(side="up"), "side must be"),
    (lambda d: d["views"]["front"]["regions"][0].update(polygon=[[1, 1], [2, 2]]),
     "at least 3 points"),
    (lambda d: d["views"]["front"]["regions"][0]["polygon"].append([300, 1]), "outside the box"),
    (lambda d: d["views"]["front"]["regions"].append(d["views"]["front"]["regions"][0]),
     "duplicate region ids: heart-area"),
])
def test_malformed_regions_file_says_where_and_what(tmp_path, breakage, message):
    data = json.loads(json.dumps(_valid()))
    breakage(data)
    with pytest.raises(RegionsError, match=message) as info:
        load_atlas(_write(tmp_path, data))
    assert "regions.json" in str(info.value)


def test_broken_json_and_missing_file_are_clear(tmp_path):
    with pytest.raises(RegionsError, match="cannot read"):
        load_atlas(_write(tmp_path, "{not json"))
    with pytest.raises(RegionsError, match="missing"):
        load_atlas(str(tmp_path / "nope.json"))
    assert load_atlas(_write(tmp_path, _valid())).regions["front"][0].id == "heart-area"


def test_committed_json_matches_its_generator():
    import subprocess
    import sys
    from app.paths import PROJECT_ROOT
    result = subprocess.run([sys.executable, str(PROJECT_ROOT / "tools" / "make_body_regions.py"),
                             "--check"], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_regions_own_point_is_inside_it_away_from_its_edges():
    """The dot of a mark made from the keyboard: inside its region, not on a border, for
    every region (checked one by one, not by sampling)."""
    for reg in ALL_REGIONS:
        x, y = body.interior_point(reg)
        found = body.region_at(reg.view, x, y)
        assert found is not None and found.id == reg.id, reg.id
        x0, y0, x1, y1 = reg.bbox
        nearest = min(min(abs(x - x0), abs(x1 - x)), min(abs(y - y0), abs(y1 - y)))
        assert nearest > 0.04 * min(x1 - x0, y1 - y0), reg.id


def test_a_point_on_the_closing_edge_of_a_shape_is_inside_it():
    # A triangle whose last point closes back to the first: the closing edge counts too.
    poly = ((0.0, 0.0), (10.0, 0.0), (0.0, 10.0))
    assert body._inside(poly, 1.0, 5.0) and not body._inside(poly, -1.0, 5.0)
    assert sorted(body._crossings(poly, 5.0)) == [0.0, 5.0]


def test_a_keyboard_marks_dot_sits_near_the_middle_of_its_area_not_by_an_edge():
    """A mark made from the keyboard is drawn at interior_point: it should sit about as deep
    inside the area as any point can (here: at least half as far from the nearest edge as the
    deepest point of a 20 x 20 grid over the area)."""
    for reg in ALL_REGIONS:
        x0, y0, x1, y1 = reg.bbox
        deepest = max(body._edge_distance(reg.polygon, x, y)
                      for x in (x0 + (x1 - x0) * i / 20 for i in range(1, 20))
                      for y in (y0 + (y1 - y0) * j / 20 for j in range(1, 20))
                      if body._inside(reg.polygon, x, y))
        assert body._edge_distance(reg.polygon, *body.interior_point(reg)) >= deepest / 2, reg.id
