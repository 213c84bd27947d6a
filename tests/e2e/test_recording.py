"""A step recorded in a trusted voice, from a microphone: a private PulseAudio whose virtual
source hears what a known WAV plays into its null sink, recorded through the real window's
record dialog. The kept recording is the known sound, trimmed and levelled as rendered steps
are (issue 19, 4)."""
from __future__ import annotations

import json
import stat
import subprocess
import wave
from pathlib import Path

import numpy as np
import pytest

from app.speech import audio, recording
from tests.e2e.conftest import run_driver

pytestmark = [pytest.mark.e2e]

DRIVER = Path(__file__).with_name("record_driver.py")
RATE = 22_050
VOICE_SECONDS = 2.0
FILE_QUIET = 0.3


def known_voice() -> np.ndarray:
    """Speech-like: five 'syllables' of a 140 Hz voice with harmonics, short gaps between,
    VOICE_SECONDS from the first sound to the last; at -20 dBFS RMS or so, not at the target."""
    t = np.arange(int(VOICE_SECONDS * RATE)) / RATE
    voice = sum(np.sin(2 * np.pi * 140 * k * t) / k for k in range(1, 6))
    syllables = np.zeros_like(t)
    for start in np.linspace(0, VOICE_SECONDS - 0.32, 5):
        inside = (t >= start) & (t < start + 0.32)
        syllables[inside] = np.hanning(inside.sum()) ** 0.5
    syllables[0], syllables[-1] = 1e-3, 1e-3        # the span's ends are sound, not gap
    return 0.08 * voice * syllables


def write_known(path: Path) -> None:
    quiet = np.zeros(int(FILE_QUIET * RATE))
    samples = np.concatenate([quiet, known_voice(), quiet])
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes((samples * 32767).astype("<i2").tobytes())


def test_a_step_recorded_from_a_virtual_microphone_is_trimmed_and_levelled(pulse, tmp_path):
    # The null sink's monitor as a microphone (Qt lists no monitor sources as inputs).
    subprocess.run(["pactl", "load-module", "module-remap-source", "master=cap.monitor",
                    "source_name=mic", "source_properties=device.description=VirtualMic"],
                   env=pulse, check=True, capture_output=True, timeout=10)
    subprocess.run(["pactl", "set-default-source", "mic"], env=pulse, check=True, timeout=10,
                   capture_output=True)
    known, results = tmp_path / "known.wav", tmp_path / "results.json"
    write_known(known)
    env = {**pulse, "QT_QPA_PLATFORM": "offscreen"}
    run = run_driver(env, str(known), str(results), screen=False, timeout=120,
                     script=DRIVER)
    assert run.returncode == 0, run.stderr[-3000:]
    shown = json.loads(results.read_text())
    assert shown["started"] and shown["max_level"] > 50          # the meter moved
    assert shown["waiting_said"].startswith("Starting the microphone")
    assert shown["take_status"].startswith("A take of")
    assert shown["editor_says"] == "This step plays in the recorded voice."
    kept = Path(shown["recording"])
    assert stat.S_IMODE(kept.stat().st_mode) == 0o600
    with wave.open(str(kept), "rb") as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (RATE, 1, 2)
        samples = np.frombuffer(wav.readframes(wav.getnframes()), "<i2") / 32768.0
    expected = (audio.STEP_LEAD_IN + recording.KEEP_BEFORE + VOICE_SECONDS
                + recording.KEEP_AFTER + audio.STEP_TAIL)
    assert abs(len(samples) / RATE - expected) < 0.1, len(samples) / RATE
    assert abs(audio.integrated_lufs(samples) - audio.TARGET_LUFS) < 1.0
    assert np.abs(samples).max() <= audio.db_to_gain(audio.MAX_TRUE_PEAK_DBFS)
