"""What a person reads when a shared practice holds markup: the tag itself, cut short when long."""
from __future__ import annotations

import pytest

from app.core.plain_text import plain_text_problem


@pytest.mark.parametrize(("text", "shown"), [
    ("Breathe <b>in</b>", "<b>"),
    ("x <img src=x onerror=ab()>", "<img src=x onerror=ab()>"),          # 24: shown whole
    ("x <img src=x onerror=abc()>", "<img src=x onerror=abc(…"),         # 25: 23 and "…"
    ("<!-- hidden note about nothing at all -->", "<!-- hidden note about …")])
def test_markup_is_named_as_written_and_long_tags_are_cut_short(text, shown):
    assert plain_text_problem(text) == f"has markup in it ({shown}); write it as plain words"


def test_a_lone_angle_bracket_and_tabs_are_plain_text_but_hidden_controls_are_not():
    assert plain_text_problem("Stay < 5 minutes,\ttake your time.\n") is None
    assert "U+202E" in plain_text_problem("Rest\u202e here")
    assert "U+0007" in plain_text_problem("Rest\a here")
