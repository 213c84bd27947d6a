"""The standard voice: espeak-ng, through pyttsx3's ctypes binding of libespeak-ng (pinned),
each sentence spoken by a fresh fork of a small process where espeak has loaded its voice but
never spoken (app/speech/espeak_zygote.py; this module drives it).

Why a fork per sentence: espeak-ng 1.51 carries state from one sentence to the next that no call
of its API resets: the position in its pitch-flutter table (a function-static index in
wavegen.c's AdvanceParameters), the voicing-cycle count behind its roughness, its gain control.
One engine said the same sentence a few hundred samples differently depending on what it had
said before (voice7's notes), so a render depended on the order the pool happened to take the
sentences in and the chunk cache kept whichever read came first. Re-setting the voice and the
parameters, or libc's srand, changes none of it (measured, voice8's notes). A forked child
starts from the untouched state, so a sentence depends only on its text and settings.
"""
from __future__ import annotations

import contextlib
import json
import multiprocessing.util
import os
import select
import subprocess
import sys
import wave
from pathlib import Path
from typing import IO, Any

from app.speech import espeak_zygote
from app.speech.espeak_pace import PACE_DIGEST, espeak_pace
from app.speech.speech_base import ESPEAK_PRONUNCIATION_DIGEST, EngineUnavailable
from app.speech.speech_base import SynthesisError, UnknownVoice, Voice, apply_espeak_hints
from app.speech.speech_base import check_wav
from app.speech.text import count_words

ESPEAK_LICENCE = "GPL-3.0-or-later (eSpeak NG)"
DEFAULT_ESPEAK_LANGUAGE = "en-us"
_UNAVAILABLE = ("The espeak-ng speech engine could not start; install the libespeak-ng1 "
                "(or espeak-ng) system package.")
# How a sentence is read: "fresh" = each by a child that has never spoken. A read that changes
# the bytes of a sentence must change this, so cached chunks re-render whole.
ESPEAK_READ = "fresh-fork-1"
# What the standard voice's audio depends on beyond the shared pipeline: its own rewrites, its
# measured pace tables and the way a sentence is read (any of them new re-renders its audio).
ESPEAK_VERSION = f"{ESPEAK_PRONUNCIATION_DIGEST}+{PACE_DIGEST}+{ESPEAK_READ}"
# A sentence takes espeak ~5 ms; a loaded machine stretches that, never to seconds. Beyond this
# (plus 10 ms a character) the child is ended and the sentence tried again.
_SPEAK_LIMIT_SECONDS = 5.0
_SECONDS_A_CHARACTER = 0.01
_START_LIMIT_SECONDS = 30.0  # the zygote's interpreter and espeak starting, on a loaded machine
_LOW_DISK_BYTES = 8 * 1024 * 1024


def espeak_rate(rate: int) -> int:
    """The rate to give espeak-ng for `rate` words a minute heard inside sentences."""
    return espeak_pace(rate)[0]


def espeak_word_gap(rate: int) -> int:
    """Units of word gap that go with it (paces below espeak's own floor)."""
    return espeak_pace(rate)[1]


class _Zygote:
    """The zygote process and its two pipes; started again if it ever dies."""

    def __init__(self) -> None:
        self._process: subprocess.Popen[str] | None = None

    def ask(self, request: dict[str, Any], limit: float) -> dict[str, Any]:
        process = self._running()
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps(request) + "\n")
            process.stdin.flush()
            return _reply(process.stdout, limit)
        except (OSError, ValueError) as exc:
            self.stop()  # a zygote that died or hung mid-request is replaced next time
            raise SynthesisError(str(exc) or "the engine stopped unexpectedly") from exc

    def _running(self) -> subprocess.Popen[str]:
        if self._process is not None and self._process.poll() is None:
            return self._process
        # Its own interpreter, not a fork of this process (why: espeak_zygote's docstring).
        process = subprocess.Popen(_zygote_command(), stdin=subprocess.PIPE,
                                   stdout=subprocess.PIPE, text=True, encoding="utf-8",
                                   close_fds=True)
        assert process.stdout is not None
        try:
            hello = _reply(process.stdout, _START_LIMIT_SECONDS)
        except (OSError, ValueError) as exc:
            process.kill()
            process.wait()
            raise EngineUnavailable(_UNAVAILABLE) from exc
        if "ready" not in hello:  # {"unavailable": why}: libespeak-ng missing or refusing
            process.wait()
            raise EngineUnavailable(_UNAVAILABLE)
        self._process = process
        # Ended and waited for when this process ends (multiprocessing's workers end through
        # os._exit, which skips atexit but runs these): its CPU then counts as this process's
        # children's, and no zygote outlives a worker. Killed workers close its stdin anyway.
        multiprocessing.util.Finalize(self, self.stop, exitpriority=10)
        return process

    def cpu_seconds(self) -> float:
        """CPU the zygote and its ended children have used so far (Linux; 0 elsewhere): what
        bench/render.py adds to this process's for the engine's share."""
        if self._process is None:
            return 0.0
        try:
            fields = Path(f"/proc/{self._process.pid}/stat").read_text().rsplit(")", 1)[1]
        except OSError:
            return 0.0
        ticks = sum(int(value) for value in fields.split()[11:15])  # utime stime cutime cstime
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        if self._process is None:
            return
        process, self._process = self._process, None
        if process.stdin is not None:
            with contextlib.suppress(OSError):
                process.stdin.close()  # its end: it finishes the request it has, then leaves
        try:
            process.wait(timeout=_SPEAK_LIMIT_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _zygote_command() -> list[str]:
    return [sys.executable, str(Path(espeak_zygote.__file__))]


def _reply(stream: IO[str], limit: float) -> dict[str, Any]:
    """One JSON line from the zygote within `limit` seconds (ValueError otherwise)."""
    if not select.select([stream], [], [], limit)[0]:
        raise ValueError("the engine did not answer in time")
    line = stream.readline()
    if not line:
        raise ValueError("the engine stopped unexpectedly")
    reply: dict[str, Any] = json.loads(line)
    return reply


class EspeakEngine:
    """espeak-ng, one per process (its zygote is this process's; not thread-safe)."""

    name = "espeak"

    def __init__(self) -> None:
        self._zygote = _Zygote()
        self._zygote.ask({"op": "voices"}, _START_LIMIT_SECONDS)  # starts it: fails here
        self._voice_ids: dict[str, str] | None = None  # id or language -> id, loaded lazily
        self._applied: tuple[str, int] | None = None   # kept for bench/delivery.py's reset

    def voices(self) -> list[Voice]:
        listed = self._zygote.ask({"op": "voices"}, _START_LIMIT_SECONDS)["voices"]
        return [Voice(id=voice_id, name=name, language=language, engine=self.name,
                      licence=ESPEAK_LICENCE) for voice_id, name, language in listed]

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
                self._speak_to_file(spoken, temp, voice_id, rate)
                check_wav(temp, count_words(spoken), rate)
            except (SynthesisError, OSError, EOFError, wave.Error) as exc:
                problems.append(str(exc) or type(exc).__name__)
                temp.unlink(missing_ok=True)
                continue
            os.replace(temp, out_path)
            return
        raise SynthesisError(f"espeak-ng gave no usable audio ({'; then '.join(problems)})")

    def _speak_to_file(self, text: str, path: Path, voice_id: str, rate: int) -> None:
        path.unlink(missing_ok=True)
        setting, gap = espeak_pace(rate)
        limit = _SPEAK_LIMIT_SECONDS + len(text) * _SECONDS_A_CHARACTER
        said = self._zygote.ask({"op": "speak", "text": text, "path": str(path),
                                 "voice": voice_id, "rate": setting, "gap": gap,
                                 "limit": limit}, limit + _START_LIMIT_SECONDS)["said"]
        if said == espeak_zygote.UNWRITTEN:
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
                return "gmw/en"
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


def _unwritten_reason(path: Path) -> str:
    from app.storage.errors import nearly_full

    if nearly_full(path, _LOW_DISK_BYTES):
        return "the disk is full"
    return "the engine could not write its audio file"
