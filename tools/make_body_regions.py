"""Generate resources/body/regions.json: the body map's regions and silhouette outline.

    python tools/make_body_regions.py           # (re)write the JSON
    python tools/make_body_regions.py --check   # exit 1 if the committed JSON is stale

Only the viewer's left half of the figure is designed here, as smooth contours (Catmull-Rom
curves through a few hand-placed points); the right half is its mirror image. Regions are
closed chains of *shared* edges: every divider between two regions is one polyline object used
forwards by one region and backwards by the other, so neighbours can never overlap or leave a
gap. The box is 100 wide x 250 tall; y grows downwards, like the screen.
"""
from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

Point = tuple[float, float]
Poly = list[Point]

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "body" / "regions.json"
W, H, MID = 100.0, 250.0, 50.0
STEPS = 10                                    # samples per spline segment: curves, not corners


def catmull_rom(ctrl: Poly, steps: int = STEPS, before: Point | None = None,
                after: Point | None = None) -> Poly:
    """A smooth curve through every control point.

    `before`/`after` are the neighbouring curve's next points: passing them makes two curves
    that meet (arm and hand, leg and foot) share a tangent, so the join has no corner.
    """
    pts = [before or ctrl[0], *ctrl, after or ctrl[-1]]
    out: Poly = []
    for i in range(1, len(pts) - 2):
        p0, p1, p2, p3 = pts[i - 1], pts[i], pts[i + 1], pts[i + 2]
        for k in range(steps):
            t = k / steps
            out.append(tuple(0.5 * (2 * b + (c - a) * t + (2 * a - 5 * b + 4 * c - d) * t * t
                                    + (3 * b - a - 3 * c + d) * t ** 3)
                             for a, b, c, d in zip(p0, p1, p2, p3)))  # type: ignore[misc]
    out.append(ctrl[-1])
    return out


class Contour:
    """A curve that only ever goes down the page, so it can be cut at any height."""

    def __init__(self, pts: Poly):
        if any(b[1] < a[1] for a, b in zip(pts, pts[1:])):
            raise ValueError("contour must run top to bottom")
        self.pts = pts

    def at(self, y: float) -> Point:
        for (x0, y0), (x1, y1) in zip(self.pts, self.pts[1:]):
            if y0 <= y <= y1:
                t = 0.0 if y1 == y0 else (y - y0) / (y1 - y0)
                return (x0 + t * (x1 - x0), y)
        raise ValueError(f"y={y} is off this contour")

    def between(self, y0: float, y1: float) -> Poly:
        """The piece from height y0 to y1 (either direction), ends included."""
        lo, hi = sorted((y0, y1))
        piece = [self.at(lo), *(p for p in self.pts if lo < p[1] < hi), self.at(hi)]
        return piece if y0 <= y1 else piece[::-1]


def mirror(poly: Poly) -> Poly:
    return [(W - x, y) for x, y in poly]


def chain(*edges: Poly) -> Poly:
    """Join edges end to start into one closed polygon (no repeated joint points)."""
    out: Poly = []
    for edge in edges:
        for p in edge:
            if not out or math.dist(out[-1], p) > 1e-9:
                out.append(p)
    if math.dist(out[0], out[-1]) < 1e-9:
        out.pop()
    return out


def hline(y: float, outer: Contour, xs: list[float]) -> Poly:
    """A straight divider across the torso at height y, with a vertex at every column."""
    x0 = outer.at(y)[0]
    inner = sorted({*xs, *(W - x for x in xs)})
    return [(x0, y), *((x, y) for x in inner), (W - x0, y)]


def span(edge: Poly, xa: float, xb: float) -> Poly:
    """The vertices of a left-to-right divider between xa and xb (in that direction)."""
    lo, hi = sorted((xa, xb))
    piece = [p for p in edge if lo - 1e-9 <= p[0] <= hi + 1e-9]
    return piece if xa <= xb else piece[::-1]


# -- the figure's contours (viewer's left half) ------------------------------------------------

def head_half() -> Contour:
    """Crown to chin: a soft egg, a little narrower at the jaw."""
    cy, ry, rx = 22.0, 17.0, 12.4
    pts = []
    for i in range(61):
        th = math.pi * i / 60
        below = max(0.0, -math.cos(th))
        k = 1 - 0.2 * below ** 1.6
        pts.append((MID - rx * math.sin(th) * k, cy - ry * math.cos(th)))
    return Contour(pts)


HEAD = head_half()
NECK_Y = 35.5                                  # where the neck leaves the head
NB_Y = 46.0                                    # neck base, where the shoulder line starts
UPPER_CTRL = [                                 # neck side, shoulder top, outside of the arm
    HEAD.at(NECK_Y), (44.6, 41.0), (44.0, NB_Y), (41.2, 49.6), (36.0, 51.9), (31.0, 53.6),
    (27.6, 56.6), (25.6, 61.5), (24.6, 68.0), (23.4, 80.0), (22.0, 92.0), (20.6, 102.0),
    (18.6, 117.0), (16.8, 132.0)]
ARM_IN_CTRL = [                                # armpit down the inside of the arm to the wrist
    (33.9, 66.5), (32.4, 76.0), (31.0, 87.0), (29.7, 97.0), (28.4, 106.0), (25.9, 120.0),
    (23.4, 133.0)]
HAND_CTRL = [                                  # a soft mitten, the thumb a gentle swell
    UPPER_CTRL[-1], (15.6, 137.5), (14.8, 144.0), (14.9, 150.0), (16.3, 154.8), (18.6, 156.8),
    (20.9, 155.8), (22.4, 152.2), (23.1, 148.0), (23.8, 144.0), (24.1, 139.5), ARM_IN_CTRL[-1]]
SIDE_CTRL = [                                  # armpit, ribs, waist, hip, outer leg, ankle
    (33.9, 66.5), (34.3, 76.0), (34.9, 88.0), (36.1, 100.0), (36.6, 108.0), (35.4, 118.0),
    (33.0, 127.0), (31.8, 136.0), (32.0, 148.0), (33.4, 164.0), (35.2, 178.0), (35.3, 188.0),
    (34.5, 200.0), (35.7, 212.0), (37.5, 223.0), (38.2, 229.0)]
CROTCH = (MID, 139.0)
LEG_IN_CTRL = [                                # crotch down the inside of the leg
    CROTCH, (48.5, 142.5), (47.9, 151.0), (47.5, 165.0), (47.0, 178.0), (47.0, 188.0),
    (46.6, 200.0), (46.0, 212.0), (45.4, 223.0), (45.2, 229.0)]
FOOT_CTRL = [                                  # ankle to toes to ankle, toes a little outward
    SIDE_CTRL[-1], (37.6, 233.5), (36.3, 238.5), (35.4, 242.5), (35.9, 245.6), (38.5, 247.0),
    (42.5, 247.0), (45.3, 246.0), (46.4, 243.5), (46.4, 239.0), (45.9, 234.0),
    LEG_IN_CTRL[-1]]
UPPER = Contour(catmull_rom(UPPER_CTRL, after=HAND_CTRL[1]))
ARM_IN = Contour(catmull_rom(ARM_IN_CTRL, after=HAND_CTRL[-2]))
HAND = catmull_rom(HAND_CTRL, before=UPPER_CTRL[-2], after=ARM_IN_CTRL[-2])
SIDE = Contour(catmull_rom(SIDE_CTRL, after=FOOT_CTRL[1]))
LEG_IN = Contour(catmull_rom(LEG_IN_CTRL, after=FOOT_CTRL[-2]))
FOOT = catmull_rom(FOOT_CTRL, before=SIDE_CTRL[-2], after=LEG_IN_CTRL[-2])

SP_Y = 51.0                                    # where the shoulder cap meets the chest
ARMPIT = ARM_IN.pts[0]
SHOULDER_DIV = catmull_rom([UPPER.at(SP_Y), (36.2, 57.0), (34.6, 62.0), ARMPIT], 6)
NECK_BOTTOM_Y = 48.6                           # the little dip at the collarbone notch


def neck_bottom(xs: list[float]) -> Poly:
    """The divider under the neck, a shallow smile from one neck base to the other."""
    x0 = UPPER.at(NB_Y)[0]
    half = MID - x0
    even = [x0 + half * i / 6 for i in range(13)]            # enough points for the curve
    grid = sorted({*even, *xs, *(W - x for x in xs)})
    return [(x, NB_Y + (NECK_BOTTOM_Y - NB_Y) * (1 - ((x - MID) / half) ** 2)) for x in grid]


def under_chin() -> Poly:
    """The jaw line the neck hangs from, left neck contact to right."""
    left = HEAD.between(NECK_Y, HEAD.pts[-1][1])
    return left + mirror(left)[::-1][1:]


# -- regions: (id, polygon) for the viewer's left half, or centred ones ------------------------

def head_bands(cuts: list[float], names: list[str]) -> list[tuple[str, Poly]]:
    """Horizontal bands of the head; the last one wraps under the chin."""
    top, bottom = HEAD.pts[0][1], HEAD.pts[-1][1]
    ys = [top, *cuts]
    out = []
    for i, name in enumerate(names):
        y0 = ys[i]
        left_down = HEAD.between(y0, ys[i + 1] if i + 1 < len(ys) else NECK_Y)
        if i + 1 < len(ys):
            poly = chain(left_down, mirror(left_down)[::-1])
        else:
            poly = chain(left_down, under_chin(), mirror(left_down)[::-1])
        out.append((name, poly))
    assert ys[-1] < NECK_Y < bottom
    return out


def neck(xs: list[float]) -> Poly:
    side = UPPER.between(NECK_Y, NB_Y)
    return chain(side, neck_bottom(xs), mirror(side)[::-1], under_chin()[::-1])


def arm(cuts: list[tuple[float, float]], names: list[str]) -> list[tuple[str, Poly]]:
    """Shoulder cap, then the arm cut across at (outer y, inner y) pairs, then the hand."""
    out = [("shoulder", chain(UPPER.between(SP_Y, cuts[0][0]), [ARMPIT], SHOULDER_DIV[::-1]))]
    for (o0, i0), (o1, i1), name in zip(cuts, cuts[1:], names):
        out.append((name, chain(UPPER.between(o0, o1), ARM_IN.between(i1, i0))))
    o, i = cuts[-1]
    out.append(("hand", chain(UPPER.between(o, UPPER.pts[-1][1]), HAND[1:-1],
                              ARM_IN.between(ARM_IN.pts[-1][1], i))))
    return out


def leg(top: Poly, cuts: list[float], names: list[str], foot: str) -> list[tuple[str, Poly]]:
    """`top` runs from the outer contour to the inner one; cuts are straight across."""
    out = []
    edge = top
    for y, name in zip(cuts, names):
        o0, i0 = edge[0][1], edge[-1][1]
        out.append((name, chain(edge, LEG_IN.between(i0, y), [SIDE.at(y)],
                                SIDE.between(y, o0))))
        edge = [SIDE.at(y), LEG_IN.at(y)]
    y = cuts[-1]
    out.append((foot, chain(SIDE.between(y, SIDE.pts[-1][1]), FOOT[1:-1],
                            LEG_IN.between(LEG_IN.pts[-1][1], y))))
    return out


def torso_top(xs: list[float]) -> Poly:
    """Left to right along the shoulder line and under the neck: the first row's top."""
    up = UPPER.between(SP_Y, NB_Y)
    return chain(up, neck_bottom(xs), mirror(up)[::-1])


def torso_rows(top: Poly, rows: list[tuple[float, float | None, str, str]]
               ) -> tuple[list[tuple[str, Poly]], Poly]:
    """Bands down the torso, each split [side | centre | side] at column x, or whole (None).

    A row is (bottom y, column x, side name, centre name). Returns the regions (side ones for
    the viewer's left half only) and the last band's bottom line.
    """
    out: list[tuple[str, Poly]] = []
    left_edge = SHOULDER_DIV + SIDE.between(ARMPIT[1], rows[0][0])[1:]
    prev_y = rows[0][0]
    for n, (y, col, side, centre) in enumerate(rows):
        if n:
            left_edge = SIDE.between(prev_y, y)
        nxt = rows[n + 1][1] if n + 1 < len(rows) else None
        bottom = hline(y, SIDE, [c for c in (col, nxt) if c is not None])
        if col is None:
            out.append((centre, chain(left_edge, bottom, mirror(left_edge)[::-1], top[::-1])))
        else:
            out.append((side, chain(left_edge, span(bottom, bottom[0][0], col),
                                    span(top, col, top[0][0]))))
            out.append((centre, chain(span(top, col, W - col), span(bottom, W - col, col))))
        top, prev_y = bottom, y
    return out, top


def fold() -> Poly:
    """The soft crease under the buttock, sagging a little in the middle."""
    a, b = SIDE.at(148.0), LEG_IN.at(150.5)
    c = ((a[0] + b[0]) / 2, 153.5)
    return [tuple((1 - t) ** 2 * p + 2 * (1 - t) * t * q + t * t * r  # type: ignore[misc]
                  for p, q, r in zip(a, c, b)) for t in (i / 8 for i in range(9))]


def front() -> tuple[list[tuple[str, Poly]], list[tuple[str, Poly]]]:
    """(centre regions, viewer's-left-half regions) of the front view."""
    centre = head_bands([12.0, 20.5, 27.0, 32.0], ["crown", "forehead", "eyes", "face", "jaw"])
    centre.append(("throat", neck([44.0])))
    torso, hip_line = torso_rows(torso_top([44.0]), [
        (84.0, 44.0, "chest", "heart-area"), (99.0, 43.5, "ribs", "solar-plexus"),
        (111.0, 41.5, "waist", "upper-belly"), (121.0, None, "", "middle-belly"),
        (131.0, 40.5, "hip", "lower-belly")])
    half = [r for r in torso if r[0] in ("chest", "ribs", "waist", "hip")]
    centre += [r for r in torso if r not in half]
    centre.append(("pelvis", chain(hip_line, [CROTCH])))
    half += arm([(68.0, ARMPIT[1]), (90.0, 91.0), (103.0, 104.0), (131.0, 132.0)],
                ["upper-arm", "elbow", "forearm"])
    half += leg([hip_line[0], CROTCH], [172.0, 190.0, 226.0], ["thigh", "knee", "shin"], "foot")
    return centre, half


def back() -> tuple[list[tuple[str, Poly]], list[tuple[str, Poly]]]:
    centre = head_bands([12.0, 29.0], ["crown", "back-of-head", "base-of-skull"])
    centre.append(("back-of-neck", neck([46.5])))
    torso, seat_line = torso_rows(torso_top([46.5]), [
        (88.0, 46.5, "upper-back", "upper-spine"), (111.0, 46.5, "middle-back", "middle-spine"),
        (125.0, 46.5, "lower-back", "lower-spine")])
    half = [r for r in torso if not r[0].endswith("spine")]
    centre += [r for r in torso if r[0].endswith("spine")]
    centre.append(("sacrum", chain(span(seat_line, 46.5, W - 46.5), [CROTCH])))
    crease = fold()
    half.append(("buttock", chain(span(seat_line, seat_line[0][0], 46.5), [CROTCH],
                                  LEG_IN.between(CROTCH[1], crease[-1][1]), crease[::-1],
                                  SIDE.between(crease[0][1], seat_line[0][1]))))
    half += arm([(68.0, ARMPIT[1]), (90.0, 91.0), (103.0, 104.0), (131.0, 132.0)],
                ["upper-arm", "elbow", "forearm"])
    half += leg(crease, [172.0, 190.0, 226.0], ["back-of-thigh", "back-of-knee", "calf"], "heel")
    return centre, half


def outline() -> Poly:
    """The whole silhouette, clockwise from the crown, for drawing."""
    half = chain(HEAD.between(HEAD.pts[0][1], NECK_Y), UPPER.pts, HAND[1:-1], ARM_IN.pts[::-1],
                 SIDE.pts[1:], FOOT[1:-1], LEG_IN.pts[::-1])
    return half + mirror(half)[::-1][1:-1]


# -- names -------------------------------------------------------------------------------------

LABELS = {
    "crown": "Crown of the head", "forehead": "Forehead", "eyes": "Eyes",
    "face": "Nose and cheeks", "jaw": "Mouth and jaw", "throat": "Throat",
    "heart-area": "Heart area", "solar-plexus": "Solar plexus", "upper-belly": "Upper belly",
    "middle-belly": "Middle belly, around the navel", "lower-belly": "Lower belly",
    "pelvis": "Pelvis", "back-of-head": "Back of the head", "base-of-skull": "Base of the skull",
    "back-of-neck": "Back of the neck", "upper-spine": "Upper spine, between the shoulder blades",
    "middle-spine": "Middle spine", "lower-spine": "Lower spine", "sacrum": "Sacrum and tailbone",
    # paired: {s} is "left"/"right", {S} the same capitalised
    "shoulder": "{S} shoulder", "upper-arm": "{S} upper arm", "elbow": "{S} elbow",
    "forearm": "{S} forearm", "hand": "{S} hand", "chest": "{S} chest", "ribs": "{S} ribs",
    "waist": "{S} side of the waist", "hip": "{S} hip", "thigh": "{S} thigh",
    "knee": "{S} knee", "shin": "{S} shin", "foot": "{S} foot",
    "upper-back": "{S} upper back, shoulder blade", "middle-back": "{S} middle back",
    "lower-back": "{S} lower back", "buttock": "{S} buttock",
    "back-of-thigh": "Back of the {s} thigh", "back-of-knee": "Back of the {s} knee",
    "calf": "{S} calf", "heel": "{S} heel",
}


def region(name: str, poly: Poly, side: str | None = None) -> dict:
    entry: dict = {"id": f"{name}-{side}" if side else name,
                   "label": LABELS[name].format(s=side or "", S=(side or "").capitalize())}
    if side:
        entry["side"] = side
    entry["polygon"] = [[round(x, 2), round(y, 2)] for x, y in poly]
    return entry


def build() -> dict:
    views = {}
    for view, make in (("front", front), ("back", back)):
        centre, half = make()
        # The person's own left: on the front view it is on the viewer's right.
        near, far = ("right", "left") if view == "front" else ("left", "right")
        regions = [region(n, p) for n, p in centre]
        regions += [region(n, p, near) for n, p in half]
        regions += [region(n, mirror(p)[::-1], far) for n, p in half]
        views[view] = {"outline": [[round(x, 2), round(y, 2)] for x, y in outline()],
                       "regions": regions}
    return {"version": 1, "box": [W, H],
            "note": "Generated by tools/make_body_regions.py; edit that, not this file.",
            "views": views}


def render(data: dict) -> str:
    """One region per few lines: diffs stay readable, file stays small."""
    text = json.dumps(data, separators=(",", ":"))
    for key in ('{"id"', '"polygon"', '"outline"', '"regions"', '"back"'):
        text = text.replace(key, "\n" + key)
    return text + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail if the JSON is stale")
    args = parser.parse_args(argv)
    text = render(build())
    if args.check:
        stale = not OUT.exists() or OUT.read_text() != text
        print(f"{OUT.relative_to(ROOT)} is {'stale' if stale else 'up to date'}")
        return int(stale)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    counts = {v: len(d["regions"]) for v, d in build()["views"].items()}
    print(f"wrote {OUT.relative_to(ROOT)}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
