"""Turn a step's `say` text into what the engine speaks and the quiet in between.

The engine gets one sentence at a time: short inputs are what pyttsx3/espeak renders reliably
(GOTCHAS), and a sentence is the unit the chunk cache re-renders after an edit.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from app.core.practice import LISTEN_MARK, MAX_PAUSE_SECONDS, PAUSE_MARK

# Longer sentences are cut at commas/semicolons (then spaces) so no engine call gets more.
MAX_CHUNK_CHARS = 250

# What follows a piece of speech; audio.py turns it into a gap of natural length.
Boundary = Literal["clause", "sentence", "paragraph"]


@dataclass(frozen=True)
class Speech:
    text: str
    end: Boundary = "sentence"


@dataclass(frozen=True)
class Pause:
    seconds: float


Chunk = Speech | Pause

# A dash set off as an aside is spoken as a comma-like pause; espeak would otherwise vary.
_DASH_ASIDE = re.compile(r"\s*[\u2014\u2015]\s*|\s+[\u2013-]\s+")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))  # soft hyphen, zero-widths
_SPACES = re.compile(r"\s+")
# Sentence end: terminal punctuation, optional closing quotes/brackets, then a space.
_SENTENCE_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019\u00bb)\]]*\s+")
# A full stop after these is not a sentence end ("Dr. Schwartz", "e.g. your breath").
_ABBREVIATIONS = frozenset({"dr", "mr", "mrs", "ms", "st", "prof", "e.g", "i.e", "vs", "cf"})
_CLAUSE_END = re.compile(r"[,;:]\s+")
_PARAGRAPH = re.compile(r"\n\s*\n")


def split_step(say: str) -> list[Chunk]:
    """The ordered speech and pauses of one step's text; empty speech never appears.
    `[listen N]` marks are not spoken audio: the caller cuts the text there first
    (Step.segments), so one left here is a mistake, never words to say."""
    if LISTEN_MARK.search(say):
        raise ValueError("a [listen] mark reached the speech engine; split the step first")
    chunks: list[Chunk] = []
    position = 0
    for mark in PAUSE_MARK.finditer(say):
        chunks.extend(_split_text(say[position:mark.start()]))
        _add_pause(chunks, _pause_seconds(mark))
        position = mark.end()
    chunks.extend(_split_text(say[position:]))
    return chunks


def normalise(text: str) -> str:
    """One line of clean text: NFC, single spaces, asides as commas, no stray punctuation."""
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE)
    text = _DASH_ASIDE.sub(", ", text)
    text = _SPACES.sub(" ", text).strip()
    text = re.sub(r"\s+([,;:.!?])", r"\1", text)        # "word ," -> "word,"
    text = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", text)  # ", ," left by dashes near commas
    text = re.sub(r"([.!?\u2026])\s*,", r"\1", text)      # "Breathe. — Rest" -> "Breathe. Rest"
    return text.strip(" ,;:")


def count_words(text: str) -> int:
    """Words that will be spoken (pause marks and bare punctuation are not words)."""
    return sum(1 for token in PAUSE_MARK.sub(" ", text).split() if _speakable(token))


def sentences(text: str) -> list[str]:
    """Split normalised text at sentence ends, keeping the punctuation with its sentence."""
    found: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if _ends_sentence(text, match):
            found.append(text[start:match.end()].strip())
            start = match.end()
    found.append(text[start:].strip())
    return [sentence for sentence in found if _speakable(sentence)]


def clauses(sentence: str, limit: int = MAX_CHUNK_CHARS) -> list[str]:
    """Cut a long sentence into pieces of at most `limit` chars at clause ends, else spaces."""
    if len(sentence) <= limit:
        return [sentence]
    parts = _split_after(sentence, _CLAUSE_END)
    pieces = _pack(parts, limit)
    result: list[str] = []
    for piece in pieces:
        result.extend(_pack(piece.split(" "), limit) if len(piece) > limit else [piece])
    return [piece for piece in result if _speakable(piece)]


def _split_text(raw: str) -> list[Speech]:
    paragraphs = [normalise(p) for p in _PARAGRAPH.split(raw)]
    speech: list[Speech] = []
    for paragraph in filter(None, paragraphs):
        for sentence in sentences(paragraph):
            pieces = clauses(sentence)
            speech.extend(Speech(piece, "clause") for piece in pieces[:-1])
            speech.append(Speech(pieces[-1], "sentence"))
        if speech and speech[-1].end == "sentence":
            speech[-1] = Speech(speech[-1].text, "paragraph")
    if speech:  # the last paragraph of a stretch ends in a pause mark or the step's end
        speech[-1] = Speech(speech[-1].text, "sentence")
    return speech


def _pause_seconds(mark: re.Match[str]) -> float:
    try:
        seconds = float(mark.group(1))
    except ValueError:
        raise ValueError(f"{mark.group(0)!r} needs a number of seconds, like [pause 3]") from None
    if not 0 <= seconds <= MAX_PAUSE_SECONDS:  # also rejects nan
        raise ValueError(f"{mark.group(0)!r} must be 0 to {MAX_PAUSE_SECONDS:g} seconds")
    return seconds


def _add_pause(chunks: list[Chunk], seconds: float) -> None:
    if seconds <= 0:
        return
    if chunks and isinstance(chunks[-1], Pause):  # "[pause 2] [pause 3]" is one 5 s quiet
        chunks[-1] = Pause(chunks[-1].seconds + seconds)
    else:
        chunks.append(Pause(seconds))


def _ends_sentence(text: str, match: re.Match[str]) -> bool:
    following = text[match.end():match.end() + 1]
    if following.islower():  # "Notice... what is here" goes on
        return False
    word = text[:match.start()].rsplit(" ", 1)[-1].lower().lstrip("(\"'\u201c\u2018")
    return not (text[match.start()] == "." and word in _ABBREVIATIONS)


def _split_after(text: str, pattern: re.Pattern[str]) -> list[str]:
    parts: list[str] = []
    start = 0
    for match in pattern.finditer(text):
        parts.append(text[start:match.end()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [part for part in parts if part]


def _pack(parts: list[str], limit: int) -> list[str]:
    """Join consecutive parts greedily into pieces no longer than `limit` (when possible)."""
    pieces: list[str] = []
    for part in parts:
        if pieces and len(pieces[-1]) + 1 + len(part) <= limit:
            pieces[-1] = f"{pieces[-1]} {part}"
        else:
            pieces.append(part)
    return pieces


def _speakable(text: str) -> bool:
    return any(char.isalnum() for char in text)
