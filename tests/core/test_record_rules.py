"""The journal's row rules at their edges: exactly the limit is fine, one more is not; a part
needs a name; a number must be a number."""
from __future__ import annotations

from app.core.record_rules import LABEL_MAX, NAME_MAX, RULES, row_problems, value_problem


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
