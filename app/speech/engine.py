"""Speech engines: text in, a WAV file out. espeak-ng (through pyttsx3) is always there; the
natural voice, Piper (app/speech/piper_engine.py), when its optional extra is installed.

pyttsx3 cannot be trusted to have written a complete file when `runAndWait` returns (GOTCHAS),
so every synthesis is checked: finished-utterance seen, WAV readable, duration plausible for the
word count, not silent. One retry, then `SynthesisError`.
"""
from __future__ import annotations

import contextlib
import importlib.util
import io
import os
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
from app.speech.espeak_binding import mend_synth
from app.speech.espeak_pace import PACE_DIGEST, espeak_pace
from app.speech.text import count_words


ESPEAK_LICENCE = "GPL-3.0-or-later (eSpeak NG)"
DEFAULT_ESPEAK_LANGUAGE = "en-us"
_UNAVAILABLE = ("The espeak-ng speech engine could not start; install the libespeak-ng1 "
                "(or espeak-ng) system package.")
# Wall-clock limit for espeak's thread to finish a sentence (plus 10 ms per character).
_FINISH_WAIT_SECONDS = 1.0
# How long pyttsx3's loop may run beyond that before the watchdog ends it (espeak says a
# sentence in ~20 ms; a loaded machine stretches that, never to seconds).
_LOOP_LIMIT_SECONDS = 5.0
_LOW_DISK_BYTES = 8 * 1024 * 1024
_ESPEAK_WORDGAP = 7   # espeakWORDGAP in espeak-ng's speak_lib.h
# What the standard voice's audio depends on beyond the shared pipeline: its own rewrites and
# its measured pace tables (a new table re-renders its audio; the asked rate alone would not).
ESPEAK_VERSION = f"{ESPEAK_PRONUNCIATION_DIGEST}+{PACE_DIGEST}"


def espeak_rate(rate: int) -> int:
    """The rate to give espeak-ng for `rate` words a minute heard inside sentences."""
    return espeak_pace(rate)[0]


def espeak_word_gap(rate: int) -> int:
    """Units of word gap that go with it (paces below espeak's own floor)."""
    return espeak_pace(rate)[1]


class EspeakEngine:
    """espeak-ng through pyttsx3. One per process: pyttsx3 engines are per process and not
    thread-safe, and starting one per sentence would dominate render time."""

    name = "espeak"

    def __init__(self) -> None:
        self._tts = _start_pyttsx3()
        self._finished = threading.Event()
        self._errors: list[str] = []
        self._busy = _espeak_busy_probe()
        self._tts.connect("finished-utterance", self._on_finished)
        self._tts.connect("error", self._on_error)
        self._default_voice: str = self._tts.getProperty("voice") or "gmw/en"
        self._voice_ids: dict[str, str] | None = None  # id or language -> id, loaded lazily
        self._applied: tuple[str, int] | None = None   # (voice id, rate) the engine now has

    def voices(self) -> list[Voice]:
        voices = []
        for raw in self._tts.getProperty("voices"):
            languages = list(getattr(raw, "languages", None) or [])
            language = str(languages[0]) if languages else ""
            voices.append(Voice(id=str(raw.id), name=str(raw.name), language=language,
                                engine=self.name, licence=ESPEAK_LICENCE))
        return voices

    def synthesize(self, text: str, out_path: Path, *, voice: str | None, rate: int) -> None:
        spoken = apply_espeak_hints(text).strip()
        if not any(char.isalnum() for char in spoken):
            raise ValueError("there is nothing to say in this text")
        voice_id = self._resolve_voice(voice)
        problems: list[str] = []
        for attempt in (1, 2):
            # A fresh file name per attempt: a late write can never pass for the retry's audio.
            temp = out_path.with_name(f".{out_path.name}.{os.getpid()}.{attempt}.part")
            try:
                self._speak_to_file(spoken, temp, voice_id, rate, reset=attempt > 1)
                check_wav(temp, count_words(spoken), rate)
            except (SynthesisError, RuntimeError, OSError, EOFError, wave.Error) as exc:
                problems.append(str(exc) or type(exc).__name__)
                temp.unlink(missing_ok=True)
                continue
            os.replace(temp, out_path)
            return
        raise SynthesisError(f"espeak-ng gave no usable audio ({'; then '.join(problems)})")

    def _speak_to_file(self, text: str, path: Path, voice_id: str, rate: int, *,
                       reset: bool) -> None:
        path.unlink(missing_ok=True)
        self._errors.clear()
        if reset or self._applied != (voice_id, rate):
            self._tts.setProperty("voice", voice_id)
            setting, gap = espeak_pace(rate)
            self._tts.setProperty("rate", setting)
            self._set_word_gap(gap)
            self._applied = (voice_id, rate)
        # espeak's retrieval mode is asynchronous: settings are queued for its own thread, and
        # runAndWait cancels whatever is still queued ("stop"). Let the queue drain first, or
        # the new rate is silently dropped (GOTCHAS: trouble "after setProperty").
        self._wait_idle()
        self._finished.clear()
        self._tts.save_to_file(text, str(path))
        # runAndWait may return before espeak's thread has written the file and printed
        # "Audio saved to ..." (to Python's stdout, so a Python-level redirect catches it).
        limit = _FINISH_WAIT_SECONDS + len(text) / 100
        # pyttsx3's loop only ends when its callback sees the sentence end; if writing the
        # file fails there (a full disk, a folder removed), the error is swallowed by ctypes
        # and runAndWait never returns. A watchdog ends the loop, so the render says why.
        watchdog = threading.Timer(_LOOP_LIMIT_SECONDS + limit, self._end_stuck_loop, (path,))
        watchdog.daemon = True
        with contextlib.redirect_stdout(io.StringIO()):
            watchdog.start()
            try:
                self._tts.runAndWait()
            finally:
                watchdog.cancel()
            finished = self._finished.wait(limit)
        if not finished or self._errors:
            self._applied = None  # the engine may be half-configured; set it again next time
            raise SynthesisError("; ".join(self._errors) or
                                 "the engine never reported the sentence finished")
        self._wait_idle()  # its end-of-message command too, before the next sentence starts

    def _end_stuck_loop(self, path: Path) -> None:
        self._errors.append(_unwritten_reason(path))
        # The driver's own flag: pyttsx3's Engine.endLoop refuses once its queued end-of-loop
        # command has run, which it has by then (the binding is pinned, as for _espeak).
        with contextlib.suppress(AttributeError):
            self._tts.proxy._driver.endLoop()

    def _set_word_gap(self, gap: int) -> None:
        with contextlib.suppress(ImportError, AttributeError):  # the binding is pinned
            from pyttsx3.drivers import _espeak

            _espeak.SetParameter(_ESPEAK_WORDGAP, gap, 0)

    def _wait_idle(self) -> None:
        deadline = time.monotonic() + _FINISH_WAIT_SECONDS
        while self._busy():
            if time.monotonic() > deadline:
                self._applied = None
                raise SynthesisError("the engine stayed busy")
            time.sleep(0.001)

    def _resolve_voice(self, voice: str | None) -> str:
        if voice is None:
            # American English, the natural voice's accent: falling back to it changes the
            # voice, not the way words sound. espeak's own default is British.
            try:
                return self._resolve_voice(DEFAULT_ESPEAK_LANGUAGE)
            except UnknownVoice:
                return self._default_voice
        if self._voice_ids is None:
            known = self.voices()
            # Ids win over language codes ("en" is both an espeak voice and a language).
            self._voice_ids = {v.language.lower(): v.id for v in reversed(known) if v.language}
            self._voice_ids.update({v.id.lower(): v.id for v in known})
        try:
            return self._voice_ids[voice.lower()]
        except KeyError:
            raise UnknownVoice(f"espeak has no voice {voice!r} "
                               "(`securebase voices` lists them)") from None

    def _on_finished(self, name: Any = None, completed: bool = True) -> None:
        # Called from espeak's thread. completed=False means pyttsx3 cancelled the utterance.
        if completed:
            self._finished.set()
        else:
            self._errors.append("the utterance was cancelled")

    def _on_error(self, name: Any = None, exception: BaseException | None = None) -> None:
        self._errors.append(str(exception) if exception else "unknown engine error")


def _unwritten_reason(path: Path) -> str:
    from app.storage.errors import nearly_full

    if nearly_full(path, _LOW_DISK_BYTES):
        return "the disk is full"
    return "the engine could not write its audio file"


def _start_pyttsx3() -> Any:
    try:
        import pyttsx3  # imported here: a missing libespeak-ng fails at import

        engine = pyttsx3.init("espeak")
    except Exception as exc:  # noqa: BLE001 - any start-up failure means "not available"
        raise EngineUnavailable(_UNAVAILABLE) from exc
    # Before the first sentence: pyttsx3's Synth makes espeak read past the text (a segfault
    # when the text ends near a mapping's end; app/speech/espeak_binding.py).
    with contextlib.suppress(ImportError):
        from pyttsx3.drivers import _espeak

        mend_synth(_espeak)
    return engine


def _espeak_busy_probe() -> Callable[[], bool]:
    """Whether espeak's command queue still has work (pyttsx3's private ctypes binding; the
    version is pinned). Without it, assume idle: the WAV checks still catch the failures."""
    try:
        from pyttsx3.drivers import _espeak

        return lambda: bool(_espeak.IsPlaying())
    except (ImportError, AttributeError):
        return lambda: False


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
