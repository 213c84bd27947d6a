"""Small rules of practices and records that a slip would break quietly: the closing pause's
seconds, how a script problem reads, a part's refusal, the window's saved place."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.core.part_changes import PartInvalid
from app.core.practice import Step
from app.core.problems import ScriptProblem
from app.core.preferences import Preferences


@pytest.mark.parametrize(("say", "quiet"), [
    ("Breathe. [pause 0.5]", 0.5),                 # a half second stays a half second
    ("Breathe. [pause 2] [pause 3]", 5.0),          # marks after the last words add up
    ("Breathe. [pause -4]", 0.0),                   # a negative pause counts nothing
    ("Breathe. [pause soon]", 0.0),                 # not a number: nothing
])
def test_the_quiet_after_the_last_words(say, quiet):
    step = Step("s", "S", say)
    last = step.segments[-1]
    assert last.closing_pause == pytest.approx(quiet)
    assert last.say.strip() == "Breathe."


def test_a_script_problem_says_where_and_whether_it_is_only_a_warning():
    path = Path("calm.toml")
    assert str(ScriptProblem(path, 3, "missing title")) == "calm.toml:3: missing title"
    assert str(ScriptProblem(path, 4, "long", warning=True)) == "calm.toml:4: warning: long"


def test_a_refused_part_says_every_problem():
    refusal = PartInvalid(["A part needs a name.", "The role is unknown."])
    assert str(refusal) == "A part needs a name. The role is unknown."
    assert refusal.problems == ["A part needs a name.", "The role is unknown."]


def test_the_window_place_is_kept_only_when_it_is_short_base64():
    kept = Preferences(window_geometry="AdnQywADAAAAAAAA").validated()
    assert kept.window_geometry == "AdnQywADAAAAAAAA"
    for bad in ("not base64 at all!", "A" * 10_000, 42):
        assert Preferences(window_geometry=bad).validated().window_geometry == ""


def test_a_pause_may_be_a_whole_minute_and_no_longer(tmp_path):
    from app.core.practice import MAX_PAUSE_SECONDS
    from tests.core.test_scripts import GOOD, problems_of, write
    from app.storage.script_files import load_practice
    text = GOOD.format(id="gentle")
    mark = next(m for m in ("[pause 2]", "[pause 3]", "[pause 4]", "[pause 5]") if m in text)
    assert load_practice(write(tmp_path, text.replace(mark, "[pause 60]"))).steps
    found = problems_of(write(tmp_path, text.replace(mark, "[pause 60.5]")))
    assert any("60" in p and "pause" in p for p in found), found
    assert MAX_PAUSE_SECONDS == 60.0
