"""The journal's row rules at their edges: exactly the limit is fine, one more is not; a part
needs a name; a number must be a number."""
from __future__ import annotations

import pytest

from app.core.record_rules import (LABEL_MAX, NAME_MAX, RULES, is_time, row_problems,
                                   value_problem)
from app.core.records import STEP_EVENT_KINDS


def test_a_name_of_exactly_the_limit_is_kept_and_one_more_is_refused():
    assert row_problems("parts", {"name": "n" * NAME_MAX}) == []
    assert row_problems("parts", {"name": "n" * (NAME_MAX + 1)}) == [
        ("name", f"is too long ({NAME_MAX + 1:,} characters; at most {NAME_MAX:,})")]


def test_a_part_without_a_name_is_refused():
    assert ("name", "a value is required") in row_problems("parts", {"name": None})


def test_a_position_must_be_a_number():
    assert value_problem(RULES["body_marks"]["x"], "left") == "should be a number"
    assert value_problem(RULES["body_marks"]["x"], float("nan")) == "should be a number"
    assert value_problem(RULES["body_marks"]["x"], 0.5) is None


def test_a_mark_may_name_several_qualities_up_to_twice_a_label():
    from app.core.body import QUALITIES
    rule = RULES["body_marks"]["qualities"]
    assert rule.max_length == LABEL_MAX * 2
    assert value_problem(rule, ",".join(QUALITIES[:3])) is None
    assert value_problem(rule, "marmalade") == "holds 'marmalade', which is not a known quality"


# -- every kind of rule at its edges, with the words the person reads ---------------------------
WHOLE_0_10 = "should be a whole number from 0 to 10"
OK = None


@pytest.mark.parametrize(("table", "column", "value", "said"), [
    ("checkins", "intensity", 0, OK), ("checkins", "intensity", 10, OK),
    ("checkins", "intensity", 11, WHOLE_0_10), ("checkins", "intensity", -1, WHOLE_0_10),
    ("checkins", "intensity", 5.0, "should be a whole number"),
    ("checkins", "intensity", True, "should be a whole number"),
    ("checkins", "courage", 10, OK), ("checkins", "courage", 11, WHOLE_0_10),
    ("checkins", "phase", "after", OK),
    ("checkins", "phase", "during", "should be one of before, after, standalone"),
    ("sessions", "id", 1, OK), ("sessions", "id", 0, "should be a whole number from 1 up"),
    ("sessions", "outcome", "grounded", OK),
    ("sessions", "outcome", "abandoned", "should be one of completed, stopped_early, grounded"),
    ("sessions", "practice_id", 7, "should be text"),
    ("sessions", "note", "n" * 20_000, OK),
    ("sessions", "note", "n" * 20_001, "is too long (20,001 characters; at most 20,000)"),
    ("sessions", "practice_title", "t" * 200, OK),
    ("sessions", "practice_title", "t" * 201, "is too long (201 characters; at most 200)"),
    ("parts", "archived", 1, OK),
    ("parts", "archived", 2, "should be a whole number from 0 to 1"),
    ("parts", "role", "exile", OK),
    ("parts", "role", "boss", "should be one of manager, firefighter, exile, unsure"),
    ("parts", "fears", "f" * 2_000, OK),
    ("parts", "fears", "f" * 2_001, "is too long (2,001 characters; at most 2,000)"),
    ("parts", "colour", "#7fa99B", OK), ("parts", "colour", "", OK),
    ("parts", "colour", "#7fa99", "should be a colour like #7fa99b"),
    ("parts", "colour", "7fa99bb", "should be a colour like #7fa99b"),
    ("parts", "name", " \u200b\u00ad\n", "should not be empty"),
    ("parts", "name", "Ally", OK),
    ("parts", "where_felt", "chest, left-hand,", OK),
    ("parts", "where_felt", "chest, Left Hand", "holds 'Left Hand', which is not a body area id"),
    ("parts", "where_felt", "x" * 39 + "_yz", f"holds {'x' * 39 + '_'!r}, which is not a body "
                                              "area id"),
    ("body_marks", "x", 0, OK), ("body_marks", "x", 1.0, OK),
    ("body_marks", "x", 1.01, "should be between 0 and 1"),
    ("body_marks", "y", -0.01, "should be between 0 and 1"),
    ("body_marks", "x", False, "should be a number"),
    ("body_marks", "view", "side", "should be one of front, back"),
    ("body_marks", "note", "n" * 280, OK),
    ("body_marks", "note", "n" * 281, "is too long (281 characters; at most 280)"),
    ("body_marks", "qualities", "tight,warm,numb", OK),
    ("body_marks", "qualities", "tight," + "q" * 50,
     f"holds {'q' * 40!r}, which is not a known quality"),
    ("settings", "value", '{"volume": 0.8}', OK),
    ("settings", "value", "{volume", "should be a JSON value"),
    ("settings", "value", "[" * 5_000 + "]" * 5_000, "should be a JSON value"),  # too deep
    ("settings", "value", '"' + "v" * 99_998 + '"', OK),
    ("settings", "value", '"' + "v" * 99_999 + '"',
     "is too long (100,001 characters; at most 100,000)"),
    ("step_events", "kind", "replayed", OK),
    ("step_events", "kind", "rewound", "should be one of " + ", ".join(STEP_EVENT_KINDS)),
    ("step_events", "at", "2026-03-04T09:15:00",
     "should be a date and time with its UTC offset, like 2026-03-04T09:15:00+01:00"),
])
def test_each_rule_at_its_edge(table, column, value, said):
    assert value_problem(RULES[table][column], value) == said


def test_a_required_value_is_asked_for_only_when_the_column_is_given():
    assert row_problems("body_marks", {"view": None, "region": "chest"}) == [
        ("view", "a value is required")]
    assert row_problems("body_marks", {"region": "chest"}) == []


def test_every_broken_rule_of_a_row_is_named():
    assert row_problems("checkins", {"intensity": 12, "phase": "later", "calm": "a lot"}) == [
        ("phase", "should be one of before, after, standalone"),
        ("intensity", WHOLE_0_10), ("calm", "should be a whole number")]


def test_a_part_cannot_be_linked_with_itself():
    link = {"from_part": 3, "to_part": 3, "kind": "protects"}
    assert row_problems("part_links", link) == [("to_part", "a part cannot be linked with itself")]
    assert row_problems("part_links", {**link, "to_part": 4}) == []
    assert row_problems("part_links", {"kind": "protects"}) == []


@pytest.mark.parametrize("text", ["2026-03-04T09:15+01", "2026-03-04 09:15:00+01:00",
                                  "2026-03-04T09:15:00.1234+01:00:00.123456"])
def test_the_shortest_and_longest_times_the_journal_takes(text):
    assert is_time(text)


@pytest.mark.parametrize("text", ["2026-03-04T09+01", "2026-03-04_09:15:00+01:00",
                                  "2026-03-04T09:15:00.12345+01:00:00.123456", "2026-03-04T09:15"])
def test_what_is_not_a_journal_time(text):
    assert not is_time(text)


@pytest.mark.parametrize("length", [80, 81])
def test_the_journal_takes_exactly_the_names_and_texts_the_parts_page_takes(length):
    from app.core.parts import Part, validate_part
    name = Part(name="n" * length, role="manager")
    text = Part(name="Ally", role="manager", fears="f" * (length * 25))       # 2,000 / 2,025
    for part, column in ((name, "name"), (text, "fears")):
        editor_ok = validate_part(part) == []
        journal_ok = row_problems("parts", {column: getattr(part, column)}) == []
        assert editor_ok == journal_ok == (length == 80), (column, length)


def test_a_column_that_may_be_empty_may_be_none():
    assert row_problems("sessions", {"part_id": None, "ended_at": None, "outcome": None,
                                     "note": None}) == []
    assert row_problems("body_marks", {"session_id": None, "x": None, "qualities": None}) == []
