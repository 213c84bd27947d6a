"""GuidanceAudio: a voice whose engine cannot start falls back to espeak-ng and says so once;
a cancelled render reports nothing more."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.core.practice import Practice, Step
from app.storage.preferences import Preferences
from app.qt import guidance_audio
from app.qt.guidance_audio import GuidanceAudio
from app.speech import render
from app.speech.engine import EngineUnavailable
from app.speech.render import RenderReport, RenderSettings

CALM = Practice("calm", "Calm", "", 1.0, (Step("close", "Close", "Rest now."),))


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[tuple[RenderSettings, Path]]:
    """render_practices as if Piper could not load its model; espeak renders (nothing)."""
    calls: list[tuple[RenderSettings, Path]] = []

    def fake_render(practices, out_dir, settings, **_kwargs) -> RenderReport:
        calls.append((settings, Path(out_dir)))
        if settings.engine == "piper":
            raise EngineUnavailable("The natural voice could not be loaded.")
        return RenderReport()

    monkeypatch.setattr(render, "render_practices", fake_render)
    monkeypatch.setattr(guidance_audio, "_notices_given", set())
    return calls


def test_fallback_to_espeak_is_said_once(qtbot, tmp_path: Path, rendered) -> None:
    prefs = Preferences(voice="piper:en_US-joe-medium", rate=150)
    notices: list[str] = []
    for _ in range(2):  # e.g. Settings, then a session: one notice in all
        audio = GuidanceAudio(prefs, out_dir=tmp_path)
        audio.notice.connect(notices.append)
        with qtbot.waitSignal(audio.progress, check_params_cb=lambda value: value is None):
            audio.prepare([CALM])
    assert notices == ["The natural voice could not be loaded, so the standard voice is used "
                       "instead."]
    assert [(s.engine, s.voice, s.rate) for s, _ in rendered[:2]] == [
        ("piper", "piper:en_US-joe-medium", 150), ("espeak", None, 150)]
    assert rendered[0][1] == tmp_path / ".voices" / "piper-en_US-joe-medium"
    assert rendered[1][1] == tmp_path  # the standard voice's own folder


def test_a_cancelled_render_reports_nothing_more(qtbot, tmp_path: Path, rendered) -> None:
    audio = GuidanceAudio(Preferences(voice="gmw/en-us"), out_dir=tmp_path)
    said: list[object] = []
    audio.progress.connect(said.append)
    audio.failed.connect(said.append)
    audio.prepare([CALM])
    audio.cancel()
    qtbot.waitUntil(lambda: len(rendered) == 1, timeout=5000)
    qtbot.wait(200)  # the finished task's result arrives, and is ignored
    assert said == []


def test_no_choice_yet_means_the_natural_voice_else_the_standard_one(qtbot, tmp_path: Path,
                                                                     rendered) -> None:
    audio = GuidanceAudio(Preferences(), out_dir=tmp_path)
    notices: list[str] = []
    audio.notice.connect(notices.append)
    with qtbot.waitSignal(audio.progress, check_params_cb=lambda value: value is None):
        audio.prepare([CALM])
    assert [(s.engine, s.voice) for s, _ in rendered] == [
        ("piper", "piper:en_US-joe-medium"), ("espeak", None)]
    assert notices == ["The natural voice could not be loaded, so the standard voice is used "
                       "instead."]
