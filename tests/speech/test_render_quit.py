"""Quitting during a render ends its worker processes instead of waiting for them.

A cancelled render used to wait for every batch in flight (up to four Piper sentences each, at
the lowest priority): the process outlived its closed window by 18-23 s, still rendering. Here
a worker is stuck in a sentence until a gate opens; the render is cancelled while it speaks.
Before the fix the render returned only once the gate opened (after GATE_SECONDS, a safety net)
with the sentence written after the quit; now the worker is ended and nothing half-written
remains under a real name, nor as a temporary file.
"""
from __future__ import annotations

import os
import threading
import wave
from pathlib import Path

from app.speech.render import RenderSettings, plan_all, render_practices
from tests.speech.test_render import FakeEngine, practice

GATE_SECONDS = 20.0     # only when the worker is awaited (the bug): the test then fails
SETTINGS = RenderSettings()


class GatedEngine(FakeEngine):
    """Speaks "slowly" sentences only once `gate` exists, having written half a file first:
    a worker caught mid-sentence, mid-write."""

    def __init__(self, folder: Path, _name: str = "fake") -> None:
        self.folder = folder

    def synthesize(self, text: str, out_path: Path, *, voice: str | None, rate: int) -> None:
        if "slowly" in text:
            out_path.write_bytes(b"RIFF\x00\x00")      # half a WAV, as a kill would leave it
            # whole or not at all: the render is cancelled the moment the name exists, and
            # a worker ended between creating and writing it left it empty (a flaky failure)
            (self.folder / ".speaking").write_text(str(os.getpid()))
            (self.folder / ".speaking").rename(self.folder / "speaking")
            gate = self.folder / "gate"
            while not gate.exists():
                gate.parent.joinpath("waiting").touch()
                threading.Event().wait(0.05)
        super().synthesize(text, out_path, voice=voice, rate=rate)


def test_a_cancelled_render_ends_the_sentence_in_flight(tmp_path: Path) -> None:
    import functools
    folder = tmp_path / "gate"
    folder.mkdir()
    calm = practice(arrive="Arrive gently.", breathe="Breathe slowly now.")
    opener = threading.Timer(GATE_SECONDS, (folder / "gate").touch)
    opener.start()
    try:
        report = render_practices([calm], tmp_path / "out", SETTINGS, jobs=1,
                                  cancel=(folder / "speaking").exists,
                                  engine_factory=functools.partial(GatedEngine, folder))
        gate_opened = (folder / "gate").exists()
    finally:
        opener.cancel()
    first, second = plan_all([calm], tmp_path / "out", SETTINGS)
    assert report.cancelled
    finished_after_quit = [file for file in second.cache_files if file.exists()]
    assert not gate_opened and not finished_after_quit, (
        "the render waited for the sentence in flight instead of ending its worker")
    for file in first.cache_files:      # what finished before the quit is kept, whole
        with wave.open(str(file)) as handle:
            assert handle.getnframes() > 0
    leftovers = [path for path in second.cache_files[0].parent.iterdir()
                 if path.name.startswith(".")]
    worker = int((folder / "speaking").read_text())
    assert not _running(worker), "the worker caught mid-sentence is still running"
    assert not leftovers, f"temporary files of the ended worker remain: {leftovers}"


def _running(pid: int) -> bool:
    """Whether process `pid` still runs (a zombie has ended: only its exit status is left)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")
