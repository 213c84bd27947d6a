"""The standard voice: espeak-ng, through pyttsx3's ctypes binding of libespeak-ng (pinned), in
espeak's synchronous mode, each sentence spoken by a fresh fork of a process where espeak has
loaded its voice but never spoken.

Why a fork per sentence: espeak-ng 1.51 carries state from one sentence to the next that no call
of its API resets: the position in its pitch-flutter table (a function-static index in
wavegen.c's AdvanceParameters), the voicing-cycle count behind its roughness, its gain control.
One engine said the same sentence a few hundred samples differently depending on what it had
said before (voice7's notes), so a render depended on the order the pool happened to take the
sentences in and the chunk cache kept whichever read came first. Re-setting the voice and the
parameters, or espeak_Synchronize, changes none of it (measured, voice8's notes). A forked child
starts from the parent's untouched state, so a sentence depends only on its text and settings.

Why synchronous mode: pyttsx3 starts espeak in its retrieval mode, where espeak speaks on its
own thread; a fork copies only the calling thread, and the child would wait for that thread
forever. Synchronous mode speaks on the calling thread and returns when the sentence is done,
which also needs no polling loop (pyttsx3's slept 10 ms a turn).
"""
from __future__ import annotations

import contextlib
import ctypes
import os
import select
import signal
import time
import wave
from pathlib import Path
from typing import Any

from app.speech.espeak_binding import mend_synth
from app.speech.espeak_pace import PACE_DIGEST, espeak_pace
from app.speech.speech_base import ESPEAK_PRONUNCIATION_DIGEST, EngineUnavailable
from app.speech.speech_base import SynthesisError, UnknownVoice, Voice, apply_espeak_hints
from app.speech.speech_base import check_wav
from app.speech.text import count_words

ESPEAK_LICENCE = "GPL-3.0-or-later (eSpeak NG)"
DEFAULT_ESPEAK_LANGUAGE = "en-us"
_UNAVAILABLE = ("The espeak-ng speech engine could not start; install the libespeak-ng1 "
                "(or espeak-ng) system package.")
# How a sentence is read: "fresh" = each in a child that has never spoken (this module). A read
# that changes the bytes of a sentence must change this, so cached chunks re-render whole.
ESPEAK_READ = "fresh-fork-1"
# What the standard voice's audio depends on beyond the shared pipeline: its own rewrites, its
# measured pace tables and the way a sentence is read (any of them new re-renders its audio).
ESPEAK_VERSION = f"{ESPEAK_PRONUNCIATION_DIGEST}+{PACE_DIGEST}+{ESPEAK_READ}"
# A sentence takes espeak ~5 ms; a loaded machine stretches that, never to seconds. Beyond this
# (plus 10 ms a character) the child is ended and the sentence tried again.
_SPEAK_LIMIT_SECONDS = 6.0
_LOW_DISK_BYTES = 8 * 1024 * 1024
_ESPEAK_WORDGAP = 7      # espeakWORDGAP in espeak-ng's speak_lib.h
_SAMPLE_RATE = 22050     # what espeak-ng's voices speak at
_UNWRITTEN = "unwritten"  # the child's word for "the WAV could not be written"

_binding: Any = None           # pyttsx3's _espeak module once espeak is initialised
_frames: list[bytes] = []      # the sentence being spoken (in the child)


def espeak_rate(rate: int) -> int:
    """The rate to give espeak-ng for `rate` words a minute heard inside sentences."""
    return espeak_pace(rate)[0]


def espeak_word_gap(rate: int) -> int:
    """Units of word gap that go with it (paces below espeak's own floor)."""
    return espeak_pace(rate)[1]


def _collect(wav: Any, numsamples: int, _events: Any) -> int:
    # Called by espeak on the speaking thread, in synchronous mode inside espeak_Synth.
    if numsamples > 0:
        _frames.append(ctypes.string_at(wav, numsamples * 2))
    return 0


def _start_espeak() -> Any:
    """pyttsx3's binding with espeak initialised in synchronous mode, once per process."""
    global _binding
    if _binding is not None:
        return _binding
    try:
        from pyttsx3.drivers import _espeak  # loads libespeak-ng: fails here when it is missing

        # Before the first sentence: pyttsx3's Synth makes espeak read past the text (a
        # segfault when the text ends near a mapping's end; app/speech/espeak_binding.py).
        mend_synth(_espeak)
        if _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000, None, 0) == -1:
            raise RuntimeError("espeak_Initialize failed")
        _espeak.SetSynthCallback(_collect)
    except Exception as exc:  # noqa: BLE001 - any start-up failure means "not available"
        raise EngineUnavailable(_UNAVAILABLE) from exc
    _binding = _espeak
    return _binding


def _write_wav(path: Path, frames: bytes) -> None:
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(_SAMPLE_RATE)
        wav.writeframes(frames)


class EspeakEngine:
    """espeak-ng, one per process (espeak is initialised once per process and its settings are
    global to it). The process itself never speaks: its forked children do."""

    name = "espeak"

    def __init__(self) -> None:
        self._espeak = _start_espeak()
        current = self._espeak.GetCurrentVoice()
        name = current.contents.identifier if current and current.contents.name else None
        self._default_voice: str = name.decode("utf-8").lower() if name else "gmw/en"
        self._voice_ids: dict[str, str] | None = None  # id or language -> id, loaded lazily
        self._applied: tuple[str, int] | None = None   # (voice id, rate) espeak now has

    def voices(self) -> list[Voice]:
        voices = []
        for raw in self._espeak.ListVoices(None):
            # languages: a priority byte, then the language code (espeak's voice list format)
            language = bytes(raw.languages[1:] if raw.languages else b"").decode("utf-8",
                                                                                 "ignore")
            voices.append(Voice(id=raw.identifier.decode("utf-8").lower(),
                                name=raw.name.decode("utf-8"), language=language,
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
                self._apply(voice_id, rate, again=attempt > 1)
                self._speak_to_file(spoken, temp)
                check_wav(temp, count_words(spoken), rate)
            except (SynthesisError, OSError, EOFError, wave.Error) as exc:
                problems.append(str(exc) or type(exc).__name__)
                temp.unlink(missing_ok=True)
                continue
            os.replace(temp, out_path)
            return
        raise SynthesisError(f"espeak-ng gave no usable audio ({'; then '.join(problems)})")

    def _apply(self, voice_id: str, rate: int, *, again: bool) -> None:
        """Voice, rate and word gap, set in this (never speaking) process: children inherit
        them. Synchronous mode applies a setting at once (no queue to drain)."""
        if not again and self._applied == (voice_id, rate):
            return
        self._applied = None
        if self._espeak.SetVoiceByName(voice_id.encode("utf-8")) != 0:
            raise SynthesisError(f"espeak-ng could not load the voice {voice_id!r}")
        setting, gap = espeak_pace(rate)
        self._espeak.SetParameter(self._espeak.RATE, setting, 0)
        self._espeak.SetParameter(_ESPEAK_WORDGAP, gap, 0)
        self._applied = (voice_id, rate)

    def _speak_to_file(self, text: str, path: Path) -> None:
        """Speak `text` into the WAV `path` in a forked child (why: the module's docstring)."""
        path.unlink(missing_ok=True)
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; coverage does not follow os._exit
            _speak_in_child(self._espeak, text, path, reader, writer)
        os.close(writer)
        try:
            said = _child_says(reader, _SPEAK_LIMIT_SECONDS + len(text) / 100)
        finally:
            os.close(reader)
            if said is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        if said is None:
            raise SynthesisError("the engine never finished the sentence")
        if said == _UNWRITTEN:
            raise SynthesisError(_unwritten_reason(path))
        if said:
            raise SynthesisError(said)

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


def _speak_in_child(binding: Any, text: str, path: Path, reader: int,
                    writer: int) -> None:  # pragma: no cover - runs in the forked child
    """Speak, write the WAV, tell the parent ("" = done) and leave at once: no Python clean-up,
    no atexit, no buffers of the parent's flushed twice."""
    said = "the engine stopped unexpectedly"
    try:
        os.close(reader)
        _end_with_parent()
        _frames.clear()
        status = binding.Synth(text, flags=binding.ENDPAUSE | binding.CHARS_UTF8)
        if status != 0:
            said = f"espeak-ng refused the sentence (status {status})"
        else:
            try:
                _write_wav(path, b"".join(_frames))
                said = ""
            except OSError:
                said = _UNWRITTEN
    except BaseException as exc:  # noqa: BLE001 - whatever it is, the parent must hear it
        said = str(exc) or type(exc).__name__
    finally:
        with contextlib.suppress(OSError):
            os.write(writer, (said + "\n").encode("utf-8", "replace")[:1000])
        os._exit(0)


def _end_with_parent() -> None:  # pragma: no cover - runs in the forked child
    """A stuck child must not outlive a render worker that was ended (Linux: the parent's
    death sends it SIGKILL)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _child_says(reader: int, limit: float) -> str | None:
    """The child's one line ("" = the WAV is written), or None if it said nothing in time."""
    deadline = time.monotonic() + limit
    data = b""
    while not data.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([reader], [], [], left)[0]:
            return None
        chunk = os.read(reader, 1024)
        if not chunk:  # the child ended without a word (killed)
            return "the engine stopped unexpectedly"
        data += chunk
    return data[:-1].decode("utf-8", "replace")


def _unwritten_reason(path: Path) -> str:
    from app.storage.errors import nearly_full

    if nearly_full(path, _LOW_DISK_BYTES):
        return "the disk is full"
    return "the engine could not write its audio file"
