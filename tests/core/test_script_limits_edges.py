"""The pre-parse scan at its edges: each limit exactly reached is fine and one more is refused,
the line it names is right after strings of every kind, and no text makes the scan itself fail
(what it cannot make sense of is left for tomllib to report)."""
from __future__ import annotations

import random
import tomllib

import pytest

from app.core.script_limits import MAX_DEPTH, MAX_KEY_PARTS, MAX_KEYS, check_limits

STRINGS = '''a = """one [[[[[[[[[[
two \\
three"""
b = 'a literal \\ with [[[[[[[[[[ inside'
c = "an escaped quote \\" [[[[[[[[[[ still text"
d = \'\'\'literal
lines ] } \'\'\'
e = """a quote " and two "" inside [[[[[[[[[["""
f = """ends with one more quote""""
g = """ends with two more quotes"""""
i = ["""two more quotes, then a list goes on""""", "[[[[[[[[[[ in a string"]
h = ["x", { k = "y" }, {}] # a comment with [[[[[[[[[[ and "quotes
'''


def test_every_kind_of_string_is_real_toml_and_passes():
    """No bracket inside a string counts: `i` would be refused as nested more than 8 deep
    if the scan took only one of its string's two extra closing quotes as the string's."""
    assert len(tomllib.loads(STRINGS)) == 9
    assert check_limits(STRINGS) is None


def test_the_line_named_is_right_after_strings_of_every_kind():
    deep = "x = " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + "\n"
    found = check_limits(STRINGS + deep)
    assert found is not None and "nested more than" in found.message
    assert found.line == STRINGS.count("\n") + 1


def test_a_string_ending_in_an_escaped_backslash_hides_nothing_after_it():
    """`"\\\\"` is one backslash: its quote closes the string, so a list nested too deep right
    after it is still seen (missed, the parser itself would meet it)."""
    deep = "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1)
    text = f'tags = ["a backslash \\\\", {deep}]'
    assert tomllib.loads(text)["tags"][0] == "a backslash \\"
    found = check_limits(text)
    assert found is not None and "nested more than" in found.message


def test_exactly_the_most_keys_is_fine_and_one_more_is_refused_on_its_line():
    keys = "".join(f"k{i} = 1\n" for i in range(MAX_KEYS))
    assert check_limits(keys) is None
    found = check_limits(keys + "one_more = 2\n")
    assert found is not None and found.line == MAX_KEYS + 1
    assert found.message == (f"the script has more than {MAX_KEYS:,} keys; that is far more "
                             "than any practice needs")


def test_table_headers_count_as_keys():
    headers = "".join(f"[t{i}]\n" for i in range(MAX_KEYS))
    assert check_limits(headers) is None
    assert check_limits(headers + "[[step]]\n") is not None
    assert check_limits("[a]\n[[b]]\n[c.d]\n" + "".join(f"k{i} = 1\n"
                                                         for i in range(MAX_KEYS - 3))) is None


def test_inline_tables_and_lists_reach_the_depth_limit_exactly():
    assert check_limits("x = " + "{a=" * MAX_DEPTH + "1" + "}" * MAX_DEPTH) is None
    assert check_limits("x = " + "{a=" * (MAX_DEPTH + 1) + "1" + "}" * (MAX_DEPTH + 1))
    mixed = "x = [{a=[{b=[{c=[{d=1}]}]}]}]"                      # 8 deep
    assert check_limits(mixed) is None
    assert check_limits(mixed.replace("{d=1}", "{d=[1]}")) is not None


def test_depth_is_counted_per_value_not_added_across_them():
    wide = "x = [" + ", ".join(["[[[[[[1]]]]]]"] * 50) + "]\n"     # 7 deep, fifty times
    assert check_limits(wide * 3) is None
    assert check_limits("\n".join(f"x{i} = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH
                                  for i in range(20))) is None


def test_dotted_parts_at_the_limit_and_one_past_it():
    key = ".".join(["a"] * MAX_KEY_PARTS)
    assert check_limits(f"{key} = 1\n[{key}]\nx = {{ {key} = 1 }}") is None
    found = check_limits(f"x = 1\n{key}.b = 1")
    assert found is not None and found.line == 2 and "more than 8 dotted parts" in found.message
    assert check_limits(f"[{key}.b]") is not None
    assert check_limits(f"x = {{ a = 1, {key}.b = 1 }}") is not None


def test_parts_of_one_key_do_not_carry_over_to_the_next():
    half = ".".join(["a"] * (MAX_KEY_PARTS // 2 + 1))
    assert check_limits(f"{half} = 1\n{half} = 2\n") is None
    assert check_limits(f"x = {{ {half} = 1, {half} = 2 }}") is None
    assert check_limits(f"[{half}]\n{half} = 1\n") is None
    assert check_limits(f"x = {{}}\n{half} = 1\n{half} = 2") is None


@pytest.mark.parametrize("text", ["]", "]]]\nx = 1", "}\n=\n", "x = ]]}}", "[a]]]\n",
                                  "= [\n\n", '"""', "'", "x = {,,}", "[[]]]",
                                  # a sixth quote opens a new string, as tomllib reads it
                                  'a = """x"""""" [[[[[[[[[[1]]]]]]]]]]'])
def test_broken_text_is_left_for_tomllib_to_report(text):
    assert check_limits(text) is None


def test_no_text_makes_the_scan_fail():
    pick = random.Random(18).choice
    alphabet = list("[]{}=.,#\"'\\\n ab1") + ['"""', "'''"]
    for _ in range(3000):
        text = "".join(pick(alphabet) for _ in range(30))
        found = check_limits(text)
        assert found is None or found.line >= 1
