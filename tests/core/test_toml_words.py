"""Where a TOML problem is reported when tomllib names no line."""
from __future__ import annotations

import tomllib

import pytest

from app.core.toml_words import toml_problem


def _message(text: str) -> str:
    with pytest.raises(tomllib.TOMLDecodeError) as caught:
        tomllib.loads(text)
    return str(caught.value)


def test_a_problem_at_the_end_of_a_one_line_file_is_on_line_1():
    # "at end of document" names no line; pointing at line 2 of a one-line file
    # would send the person looking for a line that is not there.
    line, words = toml_problem(_message("a = [1,"), "a = [1,")
    assert line == 1
    assert "end of document" not in words
