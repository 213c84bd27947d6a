"""A step of one's own practice recorded in a trusted voice plays instead of the synthetic voice;
the others are spoken as always, and a practice with no recordings (or a bundled one) is not
touched (issue 19, 4)."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from app.core.practice import Practice, Step
from app.qt.guidance_audio import GuidanceAudio
from app.speech.recording import finish_take, wav_bytes
from app.storage.preferences import Preferences
from app.storage.user_practices import recording_path, save_recording

OWN = Practice("mine", "Mine", "", 1.0, (
    Step("arrive", "Arrive", "Let yourself arrive."),
    Step("rest", "Rest", "Rest here a while. [listen 20] And come back."),
), bundled=False)


def voice_take(seconds: float = 1.0) -> bytes:
    rate = 22_050
    t = np.arange(int(seconds * rate)) / rate
    return wav_bytes(finish_take(0.1 * np.sin(2 * np.pi * 160 * t), rate))


def ready_steps(qtbot, tmp_path: Path, practice: Practice) -> dict[str, Path]:
    guidance = GuidanceAudio(Preferences(voice="gmw/en-us"), out_dir=tmp_path / "audio")
    ready: dict[str, Path] = {}
    guidance.step_ready.connect(lambda _p, audio_id, wav, _s: ready.__setitem__(audio_id, wav))
    guidance.prepare([practice])
    # the whole render, not its last fraction (which is reported before the last step)
    qtbot.waitUntil(lambda: guidance._task is None, timeout=60_000)
    return ready


def test_a_recorded_piece_plays_instead_of_the_voice(qtbot, tmp_path, securebase_home):
    save_recording("mine", "rest.2", voice_take())       # "And come back." in a trusted voice
    save_recording("mine", "gone", voice_take())         # a step that is no longer there
    ready = ready_steps(qtbot, tmp_path, OWN)
    assert ready["rest.2"] == recording_path("mine", "rest.2")
    assert set(ready) == {"arrive", "rest", "rest.2"}
    for audio_id in ("arrive", "rest"):                  # spoken, from the render
        assert ready[audio_id].is_relative_to(tmp_path / "audio")


def test_a_bundled_practice_of_the_same_name_and_a_broken_recording_are_spoken(
        qtbot, tmp_path, securebase_home):
    save_recording("mine", "arrive", b"RIFF but not a wav at all")
    ready = ready_steps(qtbot, tmp_path, OWN)
    assert ready["arrive"].is_relative_to(tmp_path / "audio")
    save_recording("mine", "rest", voice_take())
    ready = ready_steps(qtbot, tmp_path, replace(OWN, bundled=True))
    assert ready["rest"].is_relative_to(tmp_path / "audio")
