"""Splitting a step's text into speech chunks and pauses."""
from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from app.speech.text import (MAX_CHUNK_CHARS, Pause, Speech, clauses, count_words, normalise,
                             sentences, split_step)


def texts(chunks: list) -> list[str]:
    return [c.text for c in chunks if isinstance(c, Speech)]


def test_sentences_are_chunks_in_order() -> None:
    chunks = split_step("Welcome. Take a moment to arrive! Are you here? Good.")
    assert texts(chunks) == ["Welcome.", "Take a moment to arrive!", "Are you here?", "Good."]
    assert all(c.end == "sentence" for c in chunks)


def test_abbreviations_and_ellipses_do_not_end_sentences() -> None:
    assert sentences("Dr. Schwartz says so, e.g. with parts. Notice... what is here.") == [
        "Dr. Schwartz says so, e.g. with parts.", "Notice... what is here."]


def test_pause_marks_become_pauses() -> None:
    chunks = split_step("Breathe in. [pause 3] Breathe out. [PAUSE 2.5]")
    assert chunks == [Speech("Breathe in."), Pause(3.0), Speech("Breathe out."), Pause(2.5)]


def test_adjacent_pauses_merge_and_zero_pauses_vanish() -> None:
    assert split_step("One. [pause 2] [pause 1.5] Two. [pause 0]") == [
        Speech("One."), Pause(3.5), Speech("Two.")]


@pytest.mark.parametrize("mark", ["[pause soon]", "[pause -1]", "[pause 600]", "[pause nan]"])
def test_bad_pause_marks_are_reported(mark: str) -> None:
    with pytest.raises(ValueError, match="pause"):
        split_step(f"Rest. {mark} Again.")


def test_unicode_quotes_accents_and_dashes() -> None:
    decomposed = unicodedata.normalize("NFD", "Café naïve résumé")
    chunks = split_step(f"He said “rest” — it’s {decomposed}—gently.")
    assert texts(chunks) == ["He said “rest”, it’s Café naïve résumé, gently."]
    assert unicodedata.is_normalized("NFC", texts(chunks)[0])


def test_whitespace_is_normalised() -> None:
    assert texts(split_step("  Soft\u00a0\tbelly,\n  soft   jaw .  ")) == ["Soft belly, soft jaw."]


def test_paragraph_ends_are_marked_but_not_the_last() -> None:
    chunks = split_step("First part. Still first.\n\n  Second part.\n\nThird.")
    assert [c.end for c in chunks] == ["sentence", "paragraph", "paragraph", "sentence"]


def test_long_sentences_split_at_clauses_within_limit() -> None:
    sentence = ", ".join(f"notice the feeling number {i} in your body" for i in range(20)) + "."
    pieces = clauses(sentence)
    assert len(pieces) > 1
    assert all(len(p) <= MAX_CHUNK_CHARS for p in pieces)
    assert all(p.endswith(",") for p in pieces[:-1])
    assert " ".join(pieces) == sentence
    chunks = split_step(sentence)
    assert [c.end for c in chunks] == ["clause"] * (len(pieces) - 1) + ["sentence"]


def test_long_sentence_without_clauses_splits_at_spaces() -> None:
    sentence = " ".join(["slowly"] * 80) + "."
    assert all(len(p) <= MAX_CHUNK_CHARS for p in clauses(sentence))


def test_unspeakable_text_never_reaches_the_engine() -> None:
    assert split_step("— … [pause 1] “ ” . !") == [Pause(1.0)]
    assert split_step("") == []


def test_count_words_ignores_marks_and_punctuation() -> None:
    assert count_words("Rest — here. [pause 3] Now …") == 3


def test_normalise_drops_stray_punctuation() -> None:
    assert normalise("— just notice ,") == "just notice"


_alphabet = st.sampled_from(list("abcxyzABéüß0123 .,;:!?—–-…“”’'\"\n\u00a0\t"))
_fragments = st.lists(st.one_of(st.text(_alphabet, max_size=60),
                                st.sampled_from(["[pause 1]", "[pause 2.5]"])), max_size=12)


@settings(max_examples=150, deadline=None)
@given(_fragments)
def test_chunking_keeps_every_word_in_order(fragments: list[str]) -> None:
    say = " ".join(fragments)
    chunks = split_step(say)
    spoken = texts(chunks)
    assert all(any(ch.isalnum() for ch in text) for text in spoken)
    assert all(len(t) <= MAX_CHUNK_CHARS or " " not in t for t in spoken)
    original = unicodedata.normalize("NFC", re.sub(r"\[pause [^\]]*\]", " ", say))
    assert re.findall(r"\w+", " ".join(spoken)) == re.findall(r"\w+", original)
    assert all(c.seconds > 0 for c in chunks if isinstance(c, Pause))
