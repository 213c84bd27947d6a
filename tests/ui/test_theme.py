"""The palettes' own promises (what tests/ui/test_contrast.py then measures on screen), and the
small drawings the stylesheet uses, in the palette's colours."""
from __future__ import annotations

import re

import pytest

from app.ui.common.theme import PALETTES, icon
from tests.support.contrast import TEXT_MIN, UI_MIN, ratio

BACKGROUNDS = ("window", "surface", "soft")


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_text_colours_read_on_every_background(name):
    p = PALETTES[name]
    for fg in ("text", "muted"):
        for bg in BACKGROUNDS + ("figure",):
            assert ratio(getattr(p, fg), getattr(p, bg)) >= TEXT_MIN, (fg, bg)
    assert ratio(p.accent_text, p.accent) >= TEXT_MIN
    assert ratio(p.ground_text, p.ground) >= TEXT_MIN


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_rings_tracks_and_figures_stand_out(name):
    p = PALETTES[name]
    for bg in BACKGROUNDS + ("figure",):
        assert ratio(p.focus, getattr(p, bg)) >= UI_MIN, bg
    for bg in ("window", "surface"):
        assert ratio(p.track, getattr(p, bg)) >= UI_MIN, bg
        assert ratio(p.accent, getattr(p, bg)) >= UI_MIN, bg     # a slider's filled part


@pytest.mark.parametrize("name", sorted(PALETTES))
def test_drawings_use_the_palette(name):
    p = PALETTES[name]
    for drawing, colour in (("arrow-down", p.text), ("arrow-up", p.text),
                            ("check", p.accent_text)):
        svg = open(icon(drawing, p), encoding="utf-8").read()
        assert re.findall(r'stroke="(#[0-9a-f]{6})"', svg) == [colour], drawing
