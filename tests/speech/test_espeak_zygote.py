"""What a sentence costs in espeak's zygote: each sentence is read by a fresh fork of it
(app/speech/espeak_engine.py says why), and every page of the zygote's that the child writes is
copied first. The child only speaks: its samples go straight into the WAV the zygote opened, and
the zygote writes the header once the child is done."""
from __future__ import annotations

import errno
import io
import os
import wave
from pathlib import Path

import pytest

from app.speech import espeak_zygote
from app.speech.engine import EspeakEngine, get_engine

LONG = ("To stop, press Pause and ground, at the top of the screen, or the Escape key, and take "
        "all the time you need.")
SHORT = "Breathe."
# Pages a child copies a sentence (minor faults, Linux): ~240 whatever the sentence. Until
# render10 the child kept the samples in Python and wrote them with the wave module: 360 for
# "Breathe." up to 700 for the long sentence at a slow pace (every sample held twice, in fresh
# pages), ~1.5 ms more CPU a sentence in the children and the zygote together.
_MOST_PAGES = 330


def _children_faults(pid: int) -> int:
    # /proc/<pid>/stat after the command name: state ppid ... minflt cminflt (fields 7 and 8)
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[8])


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts faults through /proc")
def test_a_sentence_copies_few_of_the_zygotes_pages_however_long(tmp_path: Path) -> None:
    engine = get_engine("espeak")
    assert isinstance(engine, EspeakEngine)
    engine.synthesize(SHORT, tmp_path / "warm.wav", voice=None, rate=140)
    process = engine._zygote._process
    assert process is not None
    pages = {}
    for text, rate in ((SHORT, 140), (LONG, 140), (LONG, 90)):
        before = _children_faults(process.pid)
        for index in range(3):
            engine.synthesize(text, tmp_path / f"{index}.wav", voice=None, rate=rate)
        pages[(len(text), rate)] = (_children_faults(process.pid) - before) / 3
    assert max(pages.values()) < _MOST_PAGES, pages


@pytest.mark.parametrize("frames_bytes", [0, 2, 44_100, 882_000])
def test_the_header_is_the_one_the_wave_module_writes(frames_bytes: int) -> None:
    written = io.BytesIO()
    with wave.open(written, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(espeak_zygote.SAMPLE_RATE)
        wav.writeframes(b"\x01" * frames_bytes)
    assert written.getvalue()[:espeak_zygote.HEADER_BYTES] == espeak_zygote.wav_header(
        frames_bytes)


def test_a_wav_the_child_writes_reads_back_whole(tmp_path: Path) -> None:
    zygote = espeak_zygote.Zygote(espeak_zygote.start())  # in this process: its child is ours
    out = tmp_path / "s.wav"
    assert zygote.speak(LONG, out, "gmw/en-us", 127, 1, 30.0) == ""
    with wave.open(str(out)) as wav:
        frames = wav.readframes(wav.getnframes())
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22050, 1, 2)
    assert len(frames) == out.stat().st_size - espeak_zygote.HEADER_BYTES > 22050 * 2 * 3
    assert frames.strip(b"\x00")


def test_a_write_that_fails_while_speaking_is_named_not_hidden(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    zygote = espeak_zygote.Zygote(espeak_zygote.start())

    def disk_full(fd: int, data: bytes) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(espeak_zygote, "_write_all", disk_full)  # reaches the forked child
    assert zygote.speak(LONG, tmp_path / "s.wav", "gmw/en-us", 127, 1, 30.0) == (
        espeak_zygote.UNWRITTEN)
    monkeypatch.undo()
    assert zygote.speak(SHORT, tmp_path / "after.wav", "gmw/en-us", 127, 1, 30.0) == ""
