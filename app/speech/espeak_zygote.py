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
The child does as little as it can, for each page it writes is copied first: espeak's samples go
straight into the WAV this process opened, and this process writes the header once the child is
done (the child keeping them in Python and writing them with the wave module copied twice the
pages, more the longer the sentence: tests/speech/test_espeak_zygote.py).
"""
from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import select
import signal
import struct
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: the project root, for the mended binding
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.speech.espeak_binding import mend_synth  # noqa: E402

SAMPLE_RATE = 22050     # what espeak-ng's voices speak at
WORDGAP = 7             # espeakWORDGAP in espeak-ng's speak_lib.h
UNWRITTEN = "unwritten"  # "the WAV could not be written": the engine names the reason
NEVER_FINISHED = "the engine never finished the sentence"
# The WAV a child's espeak writes its samples into (opened by the zygote before the fork), and
# whether a write failed (the callback cannot raise through espeak; it stops it instead).
_out = -1
_write_failed = False
HEADER_BYTES = 44       # RIFF, fmt and data headers of a 16-bit PCM WAV, as the wave module writes


def _collect(wav: Any, numsamples: int, _events: Any) -> int:
    """Called inside espeak_Synth (synchronous mode), on the speaking thread, in the child: the
    samples go straight to the file, with as little Python as possible (each object the child
    touches copies a page of the zygote's)."""
    global _write_failed
    if numsamples > 0:
        try:
            _write_all(_out, ctypes.string_at(wav, numsamples * 2))
        except OSError:
            _write_failed = True
            return 1  # stop synthesising: nothing more can be written
    return 0


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


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


def wav_header(frames_bytes: int) -> bytes:
    """The 44 bytes the wave module writes before `frames_bytes` of mono 16-bit PCM (the same
    bytes: a sentence's WAV is what it was when the child wrote it with the wave module)."""
    return struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + frames_bytes, b"WAVE", b"fmt ", 16,
                       1, 1, SAMPLE_RATE, SAMPLE_RATE * 2, 2, 16, b"data", frames_bytes)


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
        try:  # opened here, headed once the child is done: the child only appends samples
            out = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
        except OSError:
            return UNWRITTEN
        try:
            os.lseek(out, HEADER_BYTES, os.SEEK_SET)
            said = self._fork_and_speak(text, out, limit)
            if said == "":
                said = _head(out)
        finally:
            os.close(out)
        return said

    def _fork_and_speak(self, text: str, out: int, limit: float) -> str:
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child; coverage does not follow os._exit
            os.close(reader)
            _speak_and_leave(self.espeak, text, out, writer)
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


def _head(out: int) -> str:
    """Write the WAV's header over the space left for it: "" once done, else UNWRITTEN."""
    try:
        os.pwrite(out, wav_header(os.fstat(out).st_size - HEADER_BYTES), 0)
    except OSError:
        return UNWRITTEN
    return ""


def _speak_and_leave(binding: Any, text: str, out: int,
                     writer: int) -> None:  # pragma: no cover - runs in the forked child
    """Speak into `out`, tell the zygote ("" = done) and leave at once: no Python clean-up,
    nothing of the zygote's flushed twice."""
    global _out
    said = "the engine stopped unexpectedly"
    try:
        _out = out
        status = binding.Synth(text, flags=binding.ENDPAUSE | binding.CHARS_UTF8)
        if _write_failed:
            said = UNWRITTEN
        elif status != 0:
            said = f"espeak-ng refused the sentence (status {status})"
        else:
            said = ""
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


def main() -> int:
    """Serve until the engine's process goes; then leave quietly, whichever way it went."""
    # Ctrl+C in a terminal reaches the whole process group: the app decides how to end, and
    # this process ends with it (its stdin closes). Its children inherit the same.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        serve(sys.stdin, sys.stdout)
    except BrokenPipeError:
        # The engine's process ended (the app was stopped, say with SIGTERM) while this one
        # was answering: no one is left to tell. Python would print the traceback, and again
        # "Exception ignored" flushing stdout at exit; point stdout at nothing and end.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":  # pragma: no cover - started by EspeakEngine
    sys.exit(main())
