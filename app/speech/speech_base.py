"""What every speech engine shares: its voices, its errors, the pronunciation rewrites both
engines apply, and the check of a WAV it wrote. Engines (engine.py for espeak-ng,
piper_engine.py for Piper) import this; it imports no engine, so there is no cycle.
"""
from __future__ import annotations

import hashlib
import re
import wave
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

PIPER_NOT_INSTALLED = "The natural voice is not installed."
# Every WAV of the pipeline (app.speech.loudness says the same; tests/ui/test_session_imports.py
# keeps them equal). Here, where no numpy is imported, for the pipeline's parts in the window.
SAMPLE_RATE = 22_050
# espeak-ng ends every utterance with ~0.45 s of silence; allow for it in the duration check.
END_PAUSE_SECONDS = 0.5


@dataclass(frozen=True)
class Voice:
    id: str
    name: str
    language: str
    engine: str
    licence: str


class SpeechEngine(Protocol):
    name: str

    def voices(self) -> list[Voice]: ...

    def synthesize(self, text: str, out_path: Path, *, voice: str | None, rate: int) -> None: ...


class EngineUnavailable(Exception):
    """The engine cannot start on this machine (library missing, unknown engine name)."""


class SynthesisError(Exception):
    """The engine produced no usable audio for a piece of text, even after a retry."""


class UnknownVoice(ValueError):
    """A voice id the engine does not have."""


# The pronunciation list: words this domain uses that espeak-ng reads badly, each rewritten
# just before synthesis. Both engines get it: Piper phonemises with espeak-ng too, and both
# speak American English, so British spellings are read the American way. Phonemes are checked
# for both engines in tests/speech/test_pronunciation.py. Changing the list changes the
# digest, which is part of every chunk's cache key.
PRONUNCIATION: tuple[tuple[str, str], ...] = (
    # "Self-energy", "self-compassion", "Self-led": espeak runs the halves into one word.
    (r"\b([Ss]elf)-(?=\w)", r"\1 "),
    # "in-breath", "out-breath": likewise; "wellbeing" is read "wellb-eeing".
    (r"\b([Ii]n|[Oo]ut)-(breaths?)\b", r"\1 \2"),
    (r"\b([Ww]ell)-?(being)\b", r"\1 \2"),
    # Otherwise read as the word "ifs".
    (r"\bIFS\b", "I F S"),
    # "the 8 Cs" would be read "eight C S"; "C's" is read as the plural letter.
    (r"\b(\d+) Cs\b", r"\1 C's"),
    # British -ise spellings ("disorganised", "polarised") in the American voice's own way.
    (r"\b([Dd]isorgan|[Oo]rgan|[Pp]olar|[Rr]ecogn|[Rr]eal|[Aa]polog|[Pp]riorit|[Cc]ritic|"
     r"[Ee]mphas|[Ss]ympath|[Vv]isual|[Nn]ormal|[Mm]inim|[Ff]amiliar)is(e|ed|es|ing|ation)\b",
     r"\1iz\2"),
    # en-us reads the British past forms with a British vowel.
    (r"\b([Ll]ear|[Bb]ur)nt\b", r"\1ned"),
    # "exile" as ˈɛɡzaɪl is heard "egg cell" (Piper, nearly every use) or "egg-nile" (espeak);
    # its other dictionary reading, with ks and both syllables stressed, is heard as the word.
    (r"\b([Ee])xile(s?)\b", r"\1x-ile\2"),
    # A sentence that opens with "Feel" ("Feel your feet on the floor.") is heard "Fill" in
    # Piper's voice (10 of 11 in a full render); with a glide into the l, as many Americans say
    # it, it is heard "Feel" (3 of 3 renders; espeak is heard the same either way). Inside a
    # sentence ("if that feels okay") the word is heard right, so it stays as written.
    (r"\bFeel\b", "Feeyul"),
)
# Rewrites for the standard voice only: espeak-ng's phonemes for these words are right, but its
# synthesis of them is misheard. American "notice" is said with a flap (nˈoʊɾɪs), which espeak
# makes so short that it is heard as "no this" (43 of its 47 uses in the bundled practices, by a
# recogniser; see bench/intelligibility.py): a clear t, as in careful speech, is heard as
# "notice". Piper says the flap clearly, so it keeps the word as written.
ESPEAK_PRONUNCIATION: tuple[tuple[str, str], ...] = (
    (r"\b([Nn])otic(?:e\b|(?=es\b|ed\b|ing\b))", r"\1ote-iss"),
    # The standard voice keeps its words apart with a short gap (espeak_pace.MIN_GAP), and
    # after that gap its "b" loses its voicing: "breath" was heard "rest" (23 of its 32 uses),
    # "simply breathe" as "simply read". Joined to the word before it with a hyphen, espeak
    # says the same phonemes with no gap before the "b" (every bundled sentence is checked in
    # tests/speech/test_pronunciation.py). Not after "a", which a hyphen would spell out.
    (r"\b([A-Za-z']{2,}) (?=[Bb]reath(?:s|e|es|ed|ing)?\b)", r"\1-"),
    # Its "g" fares the same: "press Pause and ground", the safety button's name, was heard
    # "Pause and round" (8 of 70 transcriptions right). espeak releases the d of "and", leaves
    # its gap, and then the g's short burst is lost. Said as people say it, "an'" running into
    # the g (espeak makes the n ŋ, as speakers do), the g is heard (64 of 70); joining "and"
    # with its d kept did not help (13 of 70). Any other word before "ground" is joined as
    # for "breath" ("The ground under your feet" was heard "Round under your feet").
    (r"\b([Aa])nd (?=[Gg]round\b)", r"\1n-"),
    (r"\b([A-Za-z']{2,}) (?=[Gg]round\b)", r"\1-"),
    # Its "h" too, once each render was the same (voice8): "a therapist who knows IFS can
    # help.", the last words of inner-critic/its-fear.2, was heard "can tell" alone at every one
    # of 5 lead-ins and in two full renders; joined, "can help" 5 of 5 and in the full render.
    # ("numb", joined the same way, was heard right alone 4 of 28 times against 1, but 4 of 15
    # against 5 in a full render: not kept.)
    (r"\b([A-Za-z']{2,}) (?=[Hh]elp(?:s|ed|ing|ful)?\b)", r"\1-"),
)
PRONUNCIATION_DIGEST = hashlib.sha256(repr(PRONUNCIATION).encode()).hexdigest()[:12]
ESPEAK_PRONUNCIATION_DIGEST = hashlib.sha256(
    repr(ESPEAK_PRONUNCIATION).encode()).hexdigest()[:12]
_RULES = tuple((re.compile(pattern), replacement) for pattern, replacement in PRONUNCIATION)
_ESPEAK_RULES = tuple((re.compile(pattern), replacement)
                      for pattern, replacement in ESPEAK_PRONUNCIATION)


def apply_hints(text: str) -> str:
    """The pronunciation list applied to `text` (both engines)."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def apply_espeak_hints(text: str) -> str:
    """The whole list and then espeak's own rewrites: what the standard voice is given."""
    text = apply_hints(text)
    for pattern, replacement in _ESPEAK_RULES:
        text = pattern.sub(replacement, text)
    return text


def plausible_seconds(words: int, rate: int) -> tuple[float, float]:
    """The range of speech durations believable for `words` words at `rate` words a minute.

    Wide on purpose: it catches empty and truncated files, and audio from another utterance,
    not an engine that simply speaks a little faster or slower. Numbers ("1999") read long.
    """
    expected = words * 60.0 / max(rate, 1)
    return max(0.1, 0.3 * expected), 3.0 * expected + 2.0


def check_wav(path: Path, words: int, rate: int) -> float:
    """Seconds of audio in `path`, or SynthesisError saying what is wrong with it."""
    check_written(path)
    with wave.open(str(path), "rb") as wav:
        frames, framerate = wav.getnframes(), wav.getframerate()
        data = wav.readframes(frames)
    seconds = frames / framerate if framerate else 0.0
    check_seconds(seconds, words, rate)
    if not data.strip(b"\x00"):
        raise SynthesisError("the audio is silent")
    return seconds


def check_written(path: Path) -> None:
    """SynthesisError unless the engine wrote more than a WAV header."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    if size <= 44:
        raise SynthesisError("no audio was written")


def check_seconds(seconds: float, words: int, rate: int) -> None:
    """SynthesisError unless `seconds` of an engine's audio are believable for the words."""
    low, high = plausible_seconds(words, rate)
    if not low <= seconds <= high + END_PAUSE_SECONDS:
        raise SynthesisError(f"{seconds:.2f} s of audio for {words} words "
                             f"(expected {low:.1f}-{high:.1f} s)")
