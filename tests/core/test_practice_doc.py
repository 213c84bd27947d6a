"""The editable practice document: values change in place, comments and order survive,
steps move with the comments written above them, and each check message finds its field."""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from app.core.practice_check import FieldRef, check_text, locate, minutes_for
from app.core.practice_doc import (
    DocumentError, PracticeDoc, StepFields, blank_text, split_blocks, unique_slug,
)
from app.core.practice_template import template_text
from app.core.scripts import parse_practice

HAND_WRITTEN = '''\
# My evening practice — written by hand, kept by the editor.

[practice]
id = "evening"      # the file name
title = "Evening"   # shown in the library
summary = "A quiet end to the day."
minutes = 2
tags = ["gentle"]   # more later

# First, arriving. This comment belongs to the first step.
[[step]]
id = "arrive"
title = "Arrive"    # a short title
say = """
Let yourself settle. [pause 3]
Notice the breath.
"""
ask_body = true

# The second step: a question, with time.
[[step]]
id = "ask"
title = "Ask"
say = """
What would help you rest tonight? [listen 30]
"""

[[step]]
id = "close"   # the end
title = "Close"
say = "Thank you for being here."
wait = true
'''


def test_unchanged_text_is_kept_byte_for_byte():
    assert PracticeDoc(HAND_WRITTEN).text == HAND_WRITTEN


def test_editing_values_keeps_every_comment_and_the_key_order():
    doc = PracticeDoc(HAND_WRITTEN)
    doc.set_practice("title", "Evening rest")
    doc.set_practice("tags", ["gentle", "body"])
    doc.set_step(0, "title", "Arriving")
    doc.set_step(1, "say", "What would help you rest tonight? [listen 40]")
    text = doc.text
    for comment in ("# My evening practice", "# the file name", "# shown in the library",
                    "# more later", "# First, arriving.", "# a short title",
                    "# The second step", "# the end"):
        assert comment in text
    assert 'title = "Evening rest"   # shown in the library' in text
    assert 'title = "Arriving"    # a short title' in text
    data = tomllib.loads(text)
    assert data["practice"]["tags"] == ["gentle", "body"]
    assert data["step"][1]["say"] == "What would help you rest tonight? [listen 40]\n"
    assert list(data["practice"]) == ["id", "title", "summary", "minutes", "tags"]
    # only what was changed differs, line for line
    changed = [(a, b) for a, b in zip(HAND_WRITTEN.splitlines(), text.splitlines()) if a != b]
    assert len(changed) == 4 and len(text.splitlines()) == len(HAND_WRITTEN.splitlines())


def test_moving_a_step_carries_the_comment_above_it():
    doc = PracticeDoc(HAND_WRITTEN)
    doc.move_step(1, 0)
    text = doc.text
    assert [s.id for s in doc.steps()] == ["ask", "arrive", "close"]
    ask, arrive = text.index("# The second step"), text.index("# First, arriving.")
    assert ask < text.index('id = "ask"') < arrive < text.index('id = "arrive"')
    doc.move_step(0, 2)
    assert [s.id for s in doc.steps()] == ["arrive", "close", "ask"]
    assert text.count("#") == doc.text.count("#")
    doc.move_step(2, 1)
    assert doc.text == HAND_WRITTEN           # moved back: the same file again
    parse_practice(doc.text, Path("evening.toml"))


def test_add_and_remove_steps_and_put_one_back():
    doc = PracticeDoc(HAND_WRITTEN)
    index = doc.add_step(StepFields(id="rest", title="Rest", say="Rest here.", wait=True), 1)
    assert index == 1 and doc.step_ids() == ["arrive", "rest", "ask", "close"]
    assert doc.step(1) == StepFields("rest", "Rest", "Rest here.\n", 6.0, False, True)
    block = doc.remove_step(1)
    assert doc.text == HAND_WRITTEN
    doc.insert_block(3, block)
    assert doc.step_ids() == ["arrive", "ask", "close", "rest"]
    parse_practice(doc.text, Path("evening.toml"))


def test_a_blank_line_among_the_comments_above_the_first_step_stays_as_written():
    """The text before the steps is written back as it was: moving the first step away and
    back gives the very same file, with no blank line added above its comments."""
    text = HAND_WRITTEN.replace("# First, arriving.",
                                "# The steps, in order.\n\n# First, arriving.")
    doc = PracticeDoc(text)
    doc.move_step(0, 2)
    assert doc.step_ids() == ["ask", "close", "arrive"]
    assert '# more later\n\n# The second step' in doc.text
    doc.move_step(2, 0)
    assert doc.text == text
    parse_practice(doc.text, Path("evening.toml"))


def test_defaults_are_not_written_unless_the_file_had_them():
    doc = PracticeDoc(HAND_WRITTEN)
    doc.set_step(1, "silence_after", 6)
    doc.set_step(1, "wait", False)
    assert doc.text == HAND_WRITTEN
    doc.set_step(2, "wait", False)             # it was there: it stays, now false
    assert "wait = false" in doc.text
    doc.set_step(1, "silence_after", 12.5)
    assert "silence_after = 12.5" in doc.text


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
def test_any_spoken_text_is_stored_and_read_back_exactly(words):
    doc = PracticeDoc(HAND_WRITTEN)
    doc.set_step(0, "say", words)
    expected = words.replace("\r\n", "\n").replace("\r", "\n").strip("\n") + "\n"
    assert tomllib.loads(doc.text)["step"][0]["say"] == expected
    assert PracticeDoc(doc.text).step(0).say == expected


def test_hostile_text_is_refused_before_parsing():
    with pytest.raises(DocumentError, match="nested more than"):
        PracticeDoc("x = " + "[" * 3000 + "]" * 3000)
    with pytest.raises(DocumentError, match="not valid TOML"):
        PracticeDoc("[practice\nid = 1")
    with pytest.raises(DocumentError, match="list of"):
        PracticeDoc('step = "one"')


def test_blocks_split_at_comments_and_blank_lines_only():
    blocks = split_blocks(HAND_WRITTEN)
    assert blocks.prelude.rstrip().endswith('tags = ["gentle"]   # more later')
    assert blocks.steps[0].lstrip().startswith("# First, arriving.")
    assert "".join([blocks.prelude, *blocks.steps]) == HAND_WRITTEN


def test_messages_land_on_their_fields():
    text = HAND_WRITTEN.replace('title = "Ask"', 'title = ""').replace(
        "[listen 30]", "[listen x]").replace('tags = ["gentle"]', 'tags = ["gentel"]')
    result = check_text(text, Path("evening.toml"))
    assert result.practice is None
    places = {(m.where.step, m.where.key) for m in result.errors}
    assert places == {(1, "title"), (1, "say"), (None, "tags")}
    assert all(not m.text.startswith("step") for m in result.messages)
    assert result.estimate_seconds is None      # no valid practice, no lenient steps given


def test_warnings_land_on_their_fields_and_the_estimate_is_given():
    text = HAND_WRITTEN.replace("[listen 30]", "[pause 4] Stay with it.")
    result = check_text(text, Path("evening.toml"))
    assert result.practice is not None and not result.errors
    assert [(m.where, "question" in m.text) for m in result.warnings] == [
        (FieldRef(1, "say"), True)]
    assert result.estimate_seconds and 60 < result.estimate_seconds < 180


def test_locate_header_lines_and_comments():
    assert locate(HAND_WRITTEN, 3) == FieldRef(None, None)        # [practice]
    assert locate(HAND_WRITTEN, 5) == FieldRef(None, "title")
    assert locate(HAND_WRITTEN, 11) == FieldRef(0, None)           # [[step]] header
    assert locate(HAND_WRITTEN, 16) == FieldRef(0, "say")          # inside the text
    assert locate(HAND_WRITTEN, 19) == FieldRef(0, None)           # a blank line after
    assert locate(HAND_WRITTEN, 29) == FieldRef(2, "id")
    extra = HAND_WRITTEN + '\n[notes]\nmine = "kept"\n'
    assert locate(extra, extra.count("\n")) == FieldRef(None, None)   # a table of no field


def test_added_and_moved_steps_are_set_apart_by_exactly_one_blank_line():
    """What the person sees when they open the file by hand: steps never glued together,
    never drifting apart."""
    doc = PracticeDoc(blank_text("my-practice"))
    for n in (2, 3):
        doc.add_step(StepFields(id=f"step-{n}", title=f"Step {n}", say="Breathe."))
    doc.move_step(2, 0)
    doc.insert_block(1, doc.remove_step(2))
    text = doc.text
    assert text.count("[[step]]") == 3
    assert text.count("\n\n[[step]]") == 3 and "\n\n\n" not in text
    # A hand-written file with its steps touching gets them set apart once it is edited.
    touching = text.replace("\n\n[[step]]", "\n[[step]]")
    doc = PracticeDoc(touching)
    doc.move_step(0, 2)
    assert doc.text.count("\n\n[[step]]") == 3


def test_steps_with_the_same_title_are_numbered_in_order():
    taken: set[str] = set()
    for _ in range(4):
        taken.add(unique_slug("Breathe", taken))
    assert taken == {"breathe", "breathe-2", "breathe-3", "breathe-4"}


def test_blank_practice_and_slugs():
    doc = PracticeDoc(blank_text("my-practice"))
    assert doc.practice("id") == "my-practice" and doc.step_ids() == ["step-1"]
    assert unique_slug("A Gentle Pause!", {"a-gentle-pause"}) == "a-gentle-pause-2"
    assert unique_slug("…", set(), fallback="step") == "step"
    # a long title gives an id of at most 48 characters, cut where a word ends if it can
    assert unique_slug("Breathing" * 8, set()) == "breathing" * 5 + "bre"
    assert unique_slug("A long and winding title for a step that goes on and on", set()) == (
        "a-long-and-winding-title-for-a-step-that-goes-on")
    assert minutes_for(200) == 3.5 and minutes_for(1) == 0.5 and minutes_for(10**6) == 90


@pytest.mark.parametrize("name", ["evening-rest", "x", "a_b-9"])
def test_the_template_passes_the_check_with_no_warnings(name):
    result = check_text(template_text(name, "Evening"), Path(f"{name}.toml"))
    assert result.practice is not None and not result.messages


def test_a_step_added_at_the_top_comes_first():
    doc = PracticeDoc(HAND_WRITTEN)
    index = doc.add_step(StepFields(id="land", title="Land", say="Land here."), 0)
    assert index == 0 and doc.step_ids() == ["land", "arrive", "ask", "close"]


def test_a_step_added_to_a_file_with_no_final_newline_is_a_step_of_its_own():
    """A script saved by an editor that leaves off the last newline, with no steps yet."""
    doc = PracticeDoc(HAND_WRITTEN.split("\n# First, arriving.")[0].rstrip("\n"))
    assert doc.step_ids() == []
    doc.add_step(StepFields(id="arrive", title="Arrive", say="Arrive."))
    assert doc.step_ids() == ["arrive"]
    assert tomllib.loads(doc.text)["practice"]["tags"] == ["gentle"]


@pytest.mark.parametrize(("source", "target"), [(3, 0), (0, 3), (-1, 0), (0, -1)])
def test_a_step_moved_from_or_to_nowhere_is_refused_and_nothing_changes(source, target):
    doc = PracticeDoc(HAND_WRITTEN)
    with pytest.raises(IndexError, match="no such step"):
        doc.move_step(source, target)
    assert doc.text == HAND_WRITTEN


def test_a_step_added_after_a_last_step_with_no_final_newline_is_a_step_of_its_own():
    doc = PracticeDoc(HAND_WRITTEN.rstrip("\n"))
    doc.add_step(StepFields(id="rest", title="Rest", say="Rest here."))
    assert doc.step_ids() == ["arrive", "ask", "close", "rest"]
    assert tomllib.loads(doc.text)["step"][2]["wait"] is True
