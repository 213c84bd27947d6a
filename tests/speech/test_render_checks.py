"""The pipeline checks every engine's audio itself, on the samples it reads anyway."""
from __future__ import annotations

import wave
from pathlib import Path

import numpy as np
import pytest

from app.speech import audio
from app.speech.render import RenderError, render_practices
from tests.speech.test_render import SETTINGS, STEPS, FakeEngine, practice, run


def test_the_engines_file_is_read_once_by_the_pipeline(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """It was read twice: once only to check it (0.3 ms of a sentence's ~10 ms of CPU), then
    again to post-process it. The fake engine checks nothing of its own."""
    FakeEngine.calls, FakeEngine.fail_on = [], None  # (test_render's fixture does not reach here)
    opened: list[str] = []
    real_open = wave.open

    def counting_open(file, mode=None):  # type: ignore[no-untyped-def]
        if str(file).endswith(".raw.wav") and mode == "rb":
            opened.append(str(file))
        return real_open(file, mode)

    real_read = Path.read_bytes

    def counting_read(path: Path) -> bytes:  # the pipeline's own WAVs are read in one go
        if path.name.endswith(".raw.wav"):
            opened.append(str(path))
        return real_read(path)

    monkeypatch.setattr(wave, "open", counting_open)
    monkeypatch.setattr(Path, "read_bytes", counting_read)
    report = run([practice(**STEPS)], tmp_path)
    assert report.chunks_synthesized == len(FakeEngine.calls) > 0
    assert len(opened) == len(set(opened)) == report.chunks_synthesized


class ShortEngine(FakeEngine):
    """Says "Gently turn inward." in a tenth of the time its words take: a cut-off file."""

    def synthesize(self, text: str, out_path: Path, *, voice: str | None, rate: int) -> None:
        super().synthesize(text, out_path, voice=voice, rate=rate)
        if "turn inward" in text:
            audio.save_wav(0.3 * np.sin(np.arange(audio.SAMPLE_RATE // 20) / 3.0), out_path)


def test_audio_too_short_for_its_words_is_refused_naming_the_sentence(tmp_path: Path) -> None:
    with pytest.raises(RenderError) as caught:
        render_practices([practice(**STEPS)], tmp_path, SETTINGS, jobs=0,
                         engine_factory=lambda _name: ShortEngine())
    message = str(caught.value)
    assert "calm / turn" in message and "'Gently turn inward.'" in message
    assert "0.05 s of audio for 3 words" in message and "\n" not in message
