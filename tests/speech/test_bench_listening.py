"""The intelligibility bench's scoring (bench/_speech.py): which words were said and heard, and
how the two texts are made comparable. It decides the figures issue 13's goals are read from,
so it is tested like product code (the recogniser itself is not needed here)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from _speech import alignment, score, words  # noqa: E402


def test_letters_said_one_by_one_are_one_word_however_they_are_written() -> None:
    # the recogniser writes "I F S" as "I F.S." or "I.F.S."; the script says "IFS"
    for heard in ("and I F.S. therapists", "and I.F.S. therapists", "and IFS therapists",
                  "and I F S therapists"):
        assert words(heard) == ["and", "ifs", "therapists"], heard
    assert words("press the B key") == ["press", "the", "b", "key"]
    assert words("I see you") == ["i", "see", "you"]


def test_whatever_is_one_word_however_the_recogniser_spells_it() -> None:
    assert words("What ever they do, that is okay.") == words("Whatever they do, that is okay.")
    said = words("Whatever they do, that is okay.")
    result = score(said, words("What ever they do, not if okay."))
    assert result.errors == 2 and not result.first_lost   # "not if" for "that is" stays wrong


def test_a_wrong_word_stays_wrong() -> None:
    assert score(words("What do you fear?"), words("What are your frayed?")).errors == 3
    assert score(words("Notice this."), words("Know this.")).errors == 1
    assert score(words("an IFS therapist"), words("a F.S. therapist")).errors == 2


def test_alignment_names_each_word_lost_added_or_misheard() -> None:
    said, heard = words("notice your breath now"), words("know this your breath")
    path = alignment(said, heard)
    assert [a for a, _ in path if a] == said and [b for _, b in path if b] == heard
    assert ("your", "your") in path and ("breath", "breath") in path and ("now", None) in path
    misheard = [(a, b) for a, b in path if a != b and a and b]
    added = [b for a, b in path if a is None]
    assert len(misheard) == 1 and misheard[0][0] == "notice" and len(added) == 1


@pytest.mark.parametrize("said, heard, first, last", [
    ("now slowly come back", "i'll slowly come back", True, False),
    ("now slowly come back", "now slowly come", False, True),
    ("now slowly come back", "now slowly come back", False, False),
    ("now", "", True, True),
])
def test_first_and_last_words_lost(said: str, heard: str, first: bool, last: bool) -> None:
    result = score(words(said), words(heard))
    assert (result.first_lost, result.last_lost) == (first, last)
