"""Speech engines: text in, a WAV file out. espeak-ng (app/speech/espeak_engine.py) is always
there; the natural voice, Piper (app/speech/piper_engine.py), when its optional extra is
installed.

An engine's file is never trusted blindly: every synthesis is checked (WAV readable, duration
plausible for the word count, not silent). One retry, then `SynthesisError`.
"""
from __future__ import annotations

import importlib.util
from collections.abc import Callable

# The engines' shared vocabulary, re-exported: callers name it from here or speech_base.
from app.speech.speech_base import PIPER_NOT_INSTALLED as PIPER_NOT_INSTALLED
from app.speech.speech_base import PRONUNCIATION as PRONUNCIATION
from app.speech.speech_base import ESPEAK_PRONUNCIATION as ESPEAK_PRONUNCIATION
from app.speech.speech_base import ESPEAK_PRONUNCIATION_DIGEST as ESPEAK_PRONUNCIATION_DIGEST
from app.speech.speech_base import PRONUNCIATION_DIGEST as PRONUNCIATION_DIGEST
from app.speech.speech_base import EngineUnavailable as EngineUnavailable
from app.speech.speech_base import SpeechEngine as SpeechEngine
from app.speech.speech_base import SynthesisError as SynthesisError
from app.speech.speech_base import UnknownVoice as UnknownVoice
from app.speech.speech_base import Voice as Voice
from app.speech.speech_base import apply_espeak_hints as apply_espeak_hints
from app.speech.speech_base import apply_hints as apply_hints
from app.speech.speech_base import check_seconds as check_seconds
from app.speech.speech_base import check_wav as check_wav
from app.speech.speech_base import check_written as check_written
from app.speech.speech_base import plausible_seconds as plausible_seconds
from app.speech.espeak_engine import DEFAULT_ESPEAK_LANGUAGE as DEFAULT_ESPEAK_LANGUAGE
from app.speech.espeak_engine import ESPEAK_LICENCE as ESPEAK_LICENCE
from app.speech.espeak_engine import ESPEAK_VERSION as ESPEAK_VERSION
from app.speech.espeak_engine import EspeakEngine as EspeakEngine
from app.speech.espeak_engine import espeak_rate as espeak_rate
from app.speech.espeak_engine import espeak_word_gap as espeak_word_gap


def _piper_engine() -> SpeechEngine:
    from app.speech.piper_engine import PiperEngine  # onnxruntime: only when asked for

    return PiperEngine()


def _installed(*modules: str) -> bool:
    """Whether the modules can be imported, without importing them (that costs ~0.2 s)."""
    try:
        return all(importlib.util.find_spec(module) is not None for module in modules)
    except (ImportError, ValueError):
        return False


ENGINES: dict[str, Callable[[], SpeechEngine]] = {"espeak": EspeakEngine}
if _installed("piper", "onnxruntime"):  # the optional extra `natural-voice`
    ENGINES["piper"] = _piper_engine
# What to say when an engine that is not installed is asked for by name.
_NOT_INSTALLED = {"piper": PIPER_NOT_INSTALLED}
_started: dict[str, SpeechEngine] = {}


def get_engine(name: str = "espeak") -> SpeechEngine:
    """The engine called `name`, started once per process and then reused."""
    if name not in ENGINES:
        raise EngineUnavailable(_NOT_INSTALLED.get(name) or (
            f"There is no speech engine called {name!r} "
            f"(available: {', '.join(sorted(ENGINES))})."))
    if name not in _started:
        _started[name] = ENGINES[name]()
    return _started[name]
