"""A small process where espeak-ng has loaded its voice but never speaks: each sentence is
spoken by a fork of it (why: app/speech/espeak_engine.py). Run as a script by EspeakEngine,
which talks to it over its stdin and stdout, one JSON line each way per request:

    {"op": "speak", "text": ..., "path": ..., "voice": ..., "rate": N, "gap": N, "limit": s}
        -> {"said": ""} once the WAV is written, or {"said": "what went wrong"}
    {"op": "voices"} -> {"voices": [[id, name, language], ...]}

Why a process of its own and not a fork of the render worker: a fork write-protects every page
of the forking process, and a worker holding numpy, pydub and a step's audio then faults on each
page it writes afterwards (the worker forking measured 8.2 against 5.7 ms of CPU a sentence for
the engine alone, 22.2 against 14.4 for the whole pipeline). This process holds only
espeak and the interpreter. It ends when its stdin closes (the engine's process ended).
"""
from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import select
import signal
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the project root, for the mended binding
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.speech.espeak_binding import mend_synth  # noqa: E402
from app.speech.wav_open import wav_writer  # noqa: E402

SAMPLE_RATE = 22050     # what espeak-ng's voices speak at
WORDGAP = 7             # espeakWORDGAP in espeak-ng's speak_lib.h
UNWRITTEN = "unwritten"  # "the WAV could not be written": the engine names the reason
NEVER_FINISHED = "the engine never finished the sentence"
_frames: list[bytes] = []


def _collect(wav: Any, numsamples: int, _events: Any) -> int:
    # Called inside espeak_Synth (synchronous mode), on the speaking thread.
    if numsamples > 0:
        _frames.append(ctypes.string_at(wav, numsamples * 2))
    return 0


@functools.cache  # espeak is initialised once per process
def start() -> Any:
    """pyttsx3's binding (mended), espeak initialised in synchronous mode: it speaks on the
    calling thread (retrieval mode speaks on a thread of its own, which a fork does not copy)."""
    from pyttsx3.drivers import _espeak  # loads libespeak-ng: fails here when it is missing

    # Before the first sentence: pyttsx3's Synth makes espeak read past the text (a segfault
    # when the text ends near a mapping's end; app/speech/espeak_binding.py).
    mend_synth(_espeak)
    if _espeak.Initialize(_espeak.AUDIO_OUTPUT_SYNCHRONOUS, 1000, None, 0) == -1:
        raise RuntimeError("espeak_Initialize failed")
    _espeak.SetSynthCallback(_collect)
    return _espeak


def write_wav(path: Path, frames: bytes) -> None:
    with wav_writer(path) as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(frames)


class Zygote:
    def __init__(self, binding: Any) -> None:
        self.espeak = binding
        self.applied: tuple[str, int, int] | None = None

    def voices(self) -> list[list[str]]:
        found = []
        for raw in self.espeak.ListVoices(None):
            # languages: a priority byte, then the language code (espeak's voice list format)
            language = bytes(raw.languages[1:] if raw.languages else b"")
            found.append([raw.identifier.decode("utf-8").lower(), raw.name.decode("utf-8"),
                          language.decode("utf-8", "ignore")])
        return found

    def speak(self, text: str, path: Path, voice: str, rate: int, gap: int,
              limit: float) -> str:
        """"" once `path` holds the sentence, else what went wrong. Settings are set here
        (synchronous mode: at once), so every child inherits them; this process never speaks."""
        if self.applied != (voice, rate, gap):
            self.applied = None
            if self.espeak.SetVoiceByName(voice.encode("utf-8")) != 0:
                return f"espeak-ng could not load the voice {voice!r}"
            self.espeak.SetParameter(self.espeak.RATE, rate, 0)
            self.espeak.SetParameter(WORDGAP, gap, 0)
            self.applied = (voice, rate, gap)
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; coverage does not follow os._exit
            os.close(reader)
            _speak_and_leave(self.espeak, text, path, writer)
        os.close(writer)
        try:
            said = _child_says(reader, limit)
        finally:
            os.close(reader)
            if said is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        return NEVER_FINISHED if said is None else said


def _speak_and_leave(binding: Any, text: str, path: Path,
                     writer: int) -> None:  # pragma: no cover - runs in the forked child
    """Speak, write the WAV, tell the zygote ("" = done) and leave at once: no Python clean-up,
    nothing of the zygote's flushed twice."""
    said = "the engine stopped unexpectedly"
    try:
        _frames.clear()
        status = binding.Synth(text, flags=binding.ENDPAUSE | binding.CHARS_UTF8)
        if status != 0:
            said = f"espeak-ng refused the sentence (status {status})"
        else:
            try:
                write_wav(path, b"".join(_frames))
                said = ""
            except OSError:
                said = UNWRITTEN
    except BaseException as exc:  # noqa: BLE001 - whatever it is, the zygote must hear it
        said = str(exc) or type(exc).__name__
    finally:
        with contextlib.suppress(OSError):
            os.write(writer, (said + "\n").encode("utf-8", "replace")[:1000])
        os._exit(0)


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


def serve(requests: Any, replies: Any) -> None:
    try:
        zygote = Zygote(start())
    except Exception as exc:  # noqa: BLE001 - the engine reports "not available"
        replies.write(json.dumps({"unavailable": str(exc) or type(exc).__name__}) + "\n")
        replies.flush()
        return
    replies.write(json.dumps({"ready": True}) + "\n")
    replies.flush()
    for line in requests:
        ask = json.loads(line)
        if ask["op"] == "voices":
            reply: dict[str, Any] = {"voices": zygote.voices()}
        else:
            reply = {"said": zygote.speak(ask["text"], Path(ask["path"]), ask["voice"],
                                          ask["rate"], ask["gap"], ask["limit"])}
        replies.write(json.dumps(reply) + "\n")
        replies.flush()


if __name__ == "__main__":  # pragma: no cover - started by EspeakEngine
    serve(sys.stdin, sys.stdout)
