"""espeak-ng is told the text's true size: pyttsx3 2.99 told it ten times the size, and espeak
copied that many bytes, past the end of the text (a segfault in libc's memcpy when the text
ended near the end of a mapping; app/speech/espeak_binding.py)."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.speech import espeak_zygote

ROOT = Path(__file__).resolve().parents[2]

# The sentence's last byte (its NUL) is the last readable byte before a page nobody may read:
# espeak reading even one byte more than the text crashes the process, every time.
_GUARDED = textwrap.dedent("""
    import ctypes, sys, time
    from app.speech import espeak_zygote
    espeak_zygote.start()                 # the binding started the way the engine starts it
    from pyttsx3.drivers import _espeak

    libc = ctypes.CDLL(None, use_errno=True)
    libc.mmap.restype = ctypes.c_void_p
    libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int,
                          ctypes.c_int, ctypes.c_long]
    libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    page = 4096
    base = libc.mmap(None, 2 * page, 3, 0x22, -1, 0)   # read+write, private anonymous
    assert base not in (None, ctypes.c_void_p(-1).value)
    assert libc.mprotect(base + page, page, 0) == 0     # the second page: no access
    text = "Let yourself settle wherever you are.".encode()
    address = base + page - (len(text) + 1)
    ctypes.memmove(address, text + b"\\0", len(text) + 1)

    class Guarded:
        # What the driver passes is a bytes object; this one's memory is placed on purpose.
        _as_parameter_ = ctypes.c_char_p(address)
        def __len__(self):
            return len(text)

    result = _espeak.Synth(Guarded(), flags=_espeak.ENDPAUSE | _espeak.CHARS_UTF8)
    deadline = time.monotonic() + 10
    while _espeak.IsPlaying() and time.monotonic() < deadline:
        time.sleep(0.01)
    print("synth returned", result, flush=True)
""")


def test_espeak_never_reads_past_the_end_of_a_sentence(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-X", "faulthandler", "-c", _GUARDED], cwd=tmp_path,
                         capture_output=True, text=True, timeout=60,
                         env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert run.returncode == 0, (run.returncode, run.stdout, run.stderr[-2000:])
    assert "synth returned 0" in run.stdout


def test_every_sentence_is_handed_over_with_its_true_size(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # The zygote's own code, run in this process: the monkeypatch below must reach its child.
    zygote = espeak_zygote.Zygote(espeak_zygote.start())
    from pyttsx3.drivers import _espeak

    real = _espeak.cSynth
    log = tmp_path / "handed.txt"  # espeak speaks in a forked child: it tells us in a file

    def watched(text: bytes, size: int, *rest: object) -> int:
        with log.open("a") as out:
            out.write(f"{len(text)} {size}\n")
        return int(real(text, size, *rest))

    monkeypatch.setattr(_espeak, "cSynth", watched)
    sentence = "Let your breath be just as it is, café and all."
    assert zygote.speak(sentence, tmp_path / "one.wav", "gmw/en-us", 127, 1, 30.0) == ""
    assert (tmp_path / "one.wav").stat().st_size > 10_000
    handed = [tuple(map(int, line.split())) for line in log.read_text().splitlines()]
    assert handed, "the sentence never reached espeak_Synth"
    # The text and its NUL, never more (pyttsx3 2.99 said ten times the length).
    assert all(size == length + 1 for length, size in handed), handed
