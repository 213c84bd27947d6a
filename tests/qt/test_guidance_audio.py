"""GuidanceAudio, from what the render reports to what the window hears: each step as it is
ready (the first sentence first, then the rest to play on from it), how far the render is,
how many practices are ready, the waiting chime, and a failure said plainly. The render
itself is replaced by one that reports a scripted sequence (the real one is in tests/speech);
the worker thread, the reports' trip to the GUI thread and the signals are real."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from app.core.practice import Practice, Step
from app.qt import guidance_audio
from app.qt.guidance_audio import GuidanceAudio, VoicePreview, start_voice_early
from app.speech import audio, render
from app.speech.render import RenderProgress, RenderReport
from app.storage.preferences import Preferences

CALM = Practice("calm", "Calm", "", 1.0, (Step("ask", "Ask", "Breathe. Notice."),
                                         Step("close", "Close", "Rest now.")))
GROUNDING = Practice("grounding", "Grounding", "", 1.0, (Step("see", "See", "Look around."),))


def wav(tmp_path: Path, name: str, seconds: float) -> Path:
    path = tmp_path / "made" / f"{name}.wav"
    path.parent.mkdir(exist_ok=True)
    audio.save_wav(np.zeros(int(seconds * audio.SAMPLE_RATE)), path)
    return path


class Heard:
    """Every signal of one GuidanceAudio, in order."""

    def __init__(self, guidance: GuidanceAudio):
        self.events: list[tuple] = []
        for name in ("step_ready", "cue_ready", "continuation", "practices_ready", "progress",
                     "failed", "notice"):
            getattr(guidance, name).connect(lambda *args, n=name: self.events.append((n, *args)))

    def of(self, name: str) -> list[tuple]:
        return [e[1:] for e in self.events if e[0] == name]


@pytest.fixture
def script(monkeypatch, tmp_path):
    """The render's reports, per practice id: a list of RenderProgress to send in order."""
    sent: dict[str, list[RenderProgress]] = {}

    def fake_render(practices, _out_dir, _settings, *, progress, **_kwargs) -> RenderReport:
        for practice in practices:
            for item in sent.get(practice.id, []):
                progress(item)
        return RenderReport()

    monkeypatch.setattr(render, "render_practices", fake_render)
    monkeypatch.setattr(guidance_audio, "_notices_given", set())
    return sent


def prepare(qtbot, tmp_path: Path, practices: list[Practice]) -> tuple[GuidanceAudio, Heard]:
    guidance = GuidanceAudio(Preferences(voice="gmw/en-us"), out_dir=tmp_path / "audio")
    heard = Heard(guidance)
    guidance.prepare(practices)
    assert guidance.busy                  # the idle tidy of the speech cache waits for it
    # The render's last report may itself end the progress (1.0 reads as None): wait for the
    # task, whose end says None once more.
    qtbot.waitUntil(lambda: not guidance.busy, timeout=10_000)
    return guidance, heard


def test_a_step_comes_first_sentence_first_then_whole(qtbot, tmp_path, script):
    head, rest, whole = (wav(tmp_path, "ask-head", 0.5), wav(tmp_path, "ask-rest", 1.0),
                         wav(tmp_path, "ask", 1.5))
    close = wav(tmp_path, "close", 0.25)
    script["calm"] = [
        RenderProgress(1, 4),
        RenderProgress(2, 4, "calm", "ask", head, head=True),
        RenderProgress(3, 4, "calm", "ask", whole, rest=rest),
        RenderProgress(4, 4, "calm", "close", close)]
    _, heard = prepare(qtbot, tmp_path, [CALM])
    assert heard.of("continuation") == [(head, None), (head, rest)]
    # the step stays known by its head (a replay plays head, then rest), with its whole length
    assert heard.of("step_ready") == [("calm", "ask", head, pytest.approx(0.5, abs=0.01)),
                                      ("calm", "ask", head, pytest.approx(1.5, abs=0.01)),
                                      ("calm", "close", close, pytest.approx(0.25, abs=0.01))]
    assert [p for p in heard.of("progress")] == [(0.25,), (0.5,), (0.75,), (None,), (None,)]
    assert heard.of("failed") == []


def test_a_rest_whose_first_sentence_was_never_heard_comes_as_a_whole_step(qtbot, tmp_path,
                                                                          script):
    whole, rest = wav(tmp_path, "close", 0.75), wav(tmp_path, "close-rest", 0.5)
    script["calm"] = [RenderProgress(1, 1, "calm", "close", whole, rest=rest)]
    _, heard = prepare(qtbot, tmp_path, [CALM])
    assert heard.of("step_ready") == [("calm", "close", whole, pytest.approx(0.75, abs=0.01))]
    assert heard.of("continuation") == [] and heard.of("failed") == []


def test_practices_are_counted_ready_as_their_last_step_arrives(qtbot, tmp_path, script):
    script["calm"] = [RenderProgress(1, 3, "calm", "ask", wav(tmp_path, "ask", 0.1)),
                      RenderProgress(2, 3, "calm", "close", wav(tmp_path, "close", 0.1))]
    script["grounding"] = [RenderProgress(3, 3, "grounding", "see", wav(tmp_path, "see", 0.1))]
    _, heard = prepare(qtbot, tmp_path, [CALM, GROUNDING])
    assert heard.of("practices_ready") == [(0, 2), (1, 2), (2, 2)]


def test_steps_already_made_are_offered_at_once_and_not_counted_again(qtbot, tmp_path, script,
                                                                      monkeypatch):
    made = wav(tmp_path, "ask", 0.1)
    monkeypatch.setattr(render, "manifest_status",
                        lambda practice, *_: {"ask": made, "close": None})
    script["calm"] = [RenderProgress(1, 2, "calm", "ask", made, up_to_date=True),
                      RenderProgress(2, 2, "calm", "close", wav(tmp_path, "close", 0.1))]
    _, heard = prepare(qtbot, tmp_path, [CALM])
    assert heard.of("practices_ready") == [(0, 1), (1, 1)]
    assert [e[1] for e in heard.of("step_ready")] == ["ask", "close"]


def test_the_waiting_chime_is_made_and_offered(qtbot, tmp_path, script):
    _, heard = prepare(qtbot, tmp_path, [CALM])
    [(cue,)] = heard.of("cue_ready")
    assert Path(cue).is_file() and Path(cue).stat().st_size > 1000


def test_a_render_that_fails_ends_the_progress_and_says_why(qtbot, tmp_path, monkeypatch):
    def broken(*_args, **_kwargs):
        raise OSError("No space left on device.")
    monkeypatch.setattr(render, "render_practices", broken)
    guidance = GuidanceAudio(Preferences(voice="gmw/en-us"), out_dir=tmp_path / "audio")
    heard = Heard(guidance)
    with qtbot.waitSignal(guidance.failed, timeout=10_000):
        guidance.prepare([CALM])
    assert heard.of("progress")[-1] == (None,)
    assert heard.of("failed") == [(guidance_audio.VOICE_FAILED.format(
        reason="No space left on device"),)]


def test_the_voice_in_use_is_started_early_in_the_background(qtbot, monkeypatch):
    import app.speech.isolated as isolated
    started: list[str] = []
    monkeypatch.setattr(isolated, "start_workers_early", started.append)
    start_voice_early(Preferences(voice="gmw/en-us"))
    qtbot.waitUntil(lambda: started == ["espeak"], timeout=5000)


class FakePlayer:
    def __init__(self) -> None:
        self.played: list[Path] = []

    def play_file(self, path: Path) -> None:
        self.played.append(path)

    def stop(self) -> None:
        pass


def test_listen_stop_listen_plays_only_the_newest_sample(qtbot, tmp_path, monkeypatch):
    samples = {"gmw/en-us": wav(tmp_path, "us", 0.1), "gmw/en-gb": wav(tmp_path, "gb", 0.1)}
    monkeypatch.setattr(guidance_audio, "_sample", lambda settings: samples[settings.voice])
    player = FakePlayer()
    preview = VoicePreview(lambda: player)
    playing: list[str] = []
    preview.playing.connect(playing.append)
    preview.listen("gmw/en-us", 140)
    preview.stop()
    with qtbot.waitSignal(preview.playing, timeout=5000):
        preview.listen("gmw/en-gb", 140)
    qtbot.wait(50)
    assert playing == ["gmw/en-gb"] and player.played == [samples["gmw/en-gb"]]
