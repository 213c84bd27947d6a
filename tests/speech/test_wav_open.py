"""A WAV that cannot be written (its folder removed under a render, a full or read-only disk)
fails with its own OSError only: no half-made `wave.Wave_write` is left to fail again in its
`__del__` ("AttributeError: 'Wave_write' object has no attribute '_file'", printed as
"Exception ignored" at the end of bench/session_memory.py, from a render worker whose cache
folder had been cleared). espeak's zygote writes no WAV with `wave` (its child appends the samples
to a file the zygote opened, the zygote writes the header): a folder removed under it is
"could not write its audio file" (tests/speech/test_engine.py), nothing left behind."""
from __future__ import annotations

import gc
import sys
import wave

import numpy as np
import pytest

from app.speech import piper_engine, wav_io
from app.speech.wav_open import wav_writer


@pytest.fixture
def unraisable(monkeypatch):
    """What Python reports as "Exception ignored" (a failing __del__), collected here."""
    seen: list[str] = []
    monkeypatch.setattr(sys, "unraisablehook",
                        lambda u: seen.append(f"{u.exc_type.__name__}: {u.exc_value}"))
    return seen


WRITERS = {
    "wav_writer": lambda path: wav_writer(path).__enter__(),
    "save_wav": lambda path: wav_io.save_wav(np.zeros(100, dtype=np.float32), path),
    "piper": lambda path: piper_engine._write_wav(np.zeros(100), path),
}


@pytest.mark.parametrize("writer", WRITERS)
def test_a_wav_into_a_missing_folder_fails_once_and_plainly(tmp_path, unraisable, writer):
    with pytest.raises(FileNotFoundError):
        WRITERS[writer](tmp_path / "removed" / "sentence.wav")
    gc.collect()
    assert unraisable == []
    assert not (tmp_path / "removed").exists()


def test_the_writer_writes_a_whole_file_and_closes_it(tmp_path):
    path = tmp_path / "one.wav"
    with wav_writer(path) as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(22050)
        wav.writeframes(bytes(4410))
    with wave.open(str(path), "rb") as read:
        assert (read.getnframes(), read.getframerate(), read.getnchannels()) == (2205, 22050, 1)
