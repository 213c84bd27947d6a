"""The soft chime that says the voice is waiting is made in a helper process; when that fails,
there is no chime (waits are shown on screen), the guidance goes on, and the log says why."""
from __future__ import annotations

import logging
from pathlib import Path

import pytest

from app.qt import guidance_audio


def test_a_chime_that_cannot_be_made_is_logged_and_nothing_else(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    from app.speech import isolated

    def broken_helper(*_args, **_kwargs):
        raise OSError("the helper process could not start")
    monkeypatch.setattr(isolated, "in_helper", broken_helper)
    reported: list[object] = []
    with caplog.at_level(logging.WARNING, logger=guidance_audio.__name__):
        guidance_audio._prepare_cue(tmp_path, reported.append, "espeak")
    assert reported == []
    assert "waiting chime could not be made" in caplog.text and "OSError" in caplog.text


def test_a_chime_already_made_is_reported_without_a_helper(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.speech import isolated
    from app.speech.chime import chime_path
    cue = chime_path(tmp_path / ".cues")
    cue.parent.mkdir(parents=True)
    cue.write_bytes(b"RIFF")

    def no_helper(*_args, **_kwargs):
        raise AssertionError("the chime exists: no helper is needed")
    monkeypatch.setattr(isolated, "in_helper", no_helper)
    reported: list[object] = []
    guidance_audio._prepare_cue(tmp_path, reported.append, "espeak")
    assert reported == [("cue", cue)]


@pytest.mark.parametrize(("voice", "engine"), [(None, "piper"), ("piper:en_US-joe-medium", "piper"),
                                               ("gmw/en-us", "espeak")])
def test_the_chime_helper_names_the_engine_in_use(
        voice: str | None, engine: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chime's helper is often the first to start the render workers' server, and only
    the first caller's engine decides what that server imports ahead: with "espeak" there, a
    Piper session's worker imported Piper and onnxruntime itself, in its first sentence."""
    from app.core.preferences import Preferences
    from app.speech import isolated
    asked: list[str] = []

    def helper(*_args, engine: str, **_kwargs):
        asked.append(engine)
        raise OSError("no helper in this test")
    monkeypatch.setattr(isolated, "in_helper", helper)
    monkeypatch.setattr(guidance_audio, "_prepare_with", lambda *_args: True)
    prefs = Preferences(voice=voice)
    assert guidance_audio._prepare([], prefs, tmp_path, lambda _item: None, lambda: False)
    assert asked == [engine]
