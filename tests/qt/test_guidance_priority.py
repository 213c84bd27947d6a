"""GuidanceAudio renders first, at the usual priority, only what a listener waits for: the
practice being listened to. The safety exit prepared beside it renders after it at the lowest
priority, so the step playing meanwhile is not starved into audible gaps. Always with one
worker: each Piper worker holds its own copy of the voice (bench/session_memory.py)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.core.practice import Practice, Step
from app.qt.guidance_audio import GuidanceAudio, Job
from app.speech import audio, render
from app.storage.preferences import Preferences

CALM = Practice("calm", "Calm", "", 1.0, (Step("close", "Close", "Rest now."),))
GROUNDING = Practice("grounding", "Grounding", "", 1.0, (Step("see", "See", "Look around."),))


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], int | None, bool]]:
    """What render_practices is asked: (practice ids, jobs, background)."""
    asked: list[tuple[list[str], int | None, bool]] = []

    def fake_render(practices, _out_dir, _settings, **kwargs) -> render.RenderReport:
        asked.append(([p.id for p in practices], kwargs["jobs"], kwargs["background"]))
        return render.RenderReport()

    monkeypatch.setattr(render, "render_practices", fake_render)
    return asked


def prepare(qtbot, tmp_path: Path, practices: list[Practice], job: Job = Job()) -> None:
    guidance = GuidanceAudio(Preferences(voice="gmw/en-us"), out_dir=tmp_path)
    with qtbot.waitSignal(guidance.progress, check_params_cb=lambda value: value is None):
        guidance.prepare(practices, job)


def test_the_practice_listened_to_first_then_the_safety_exit_in_the_background(
        qtbot, tmp_path: Path, calls) -> None:
    prepare(qtbot, tmp_path, [CALM, GROUNDING])
    assert calls == [(["calm"], 1, False), (["grounding"], 1, True)]


def test_with_the_practice_ready_only_background_work_is_left(
        qtbot, tmp_path: Path, calls, monkeypatch: pytest.MonkeyPatch) -> None:
    real_status = render.manifest_status

    def status(practice, out_dir, settings):
        if practice.id == "calm":    # rendered already (a real file, so its length is read)
            wav = tmp_path / "close.wav"
            audio.save_wav(np.zeros(2205), wav)
            return {"close": wav}
        return real_status(practice, out_dir, settings)

    monkeypatch.setattr(render, "manifest_status", status)
    prepare(qtbot, tmp_path, [CALM, GROUNDING])
    assert calls == [(["grounding"], 1, True)]


def test_background_jobs_stay_in_the_background(qtbot, tmp_path: Path, calls) -> None:
    prepare(qtbot, tmp_path, [CALM, GROUNDING], Job(background=True))
    assert calls == [(["calm", "grounding"], 1, True)]
