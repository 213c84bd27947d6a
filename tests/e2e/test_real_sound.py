"""What reaches the sound device is the step's WAV: the real window plays a step into a private
PulseAudio null sink, and the recording, once aligned, correlates with the WAV (issue 13, 6)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import wave
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest

from app.speech.engine import ENGINES
from tests.e2e.conftest import Recorder, run_driver

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

RATE = 22_050
SCRIPT = '''[practice]
id = "listen-check"
title = "Listen check"
summary = "One short step, to compare what is heard with what was rendered."
minutes = 1
tags = ["safety"]

[[step]]
id = "arrive"
title = "Arrive"
say = "Let your breath settle, slowly. Notice the ground beneath you."
silence_after = 0.5
'''


def read_mono(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as wav:
        assert (wav.getframerate(), wav.getsampwidth()) == (RATE, 2), path
        channels = wav.getnchannels()
        data = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    return data.reshape(-1, channels).mean(axis=1) / 32768.0


@dataclass
class Match:
    correlation: float   # of the WAV's sounding 50 ms windows with what was heard, by energy
    start: float         # seconds into the recording where the step begins
    stalled: float       # seconds the player fell behind (the device played silence), in all


WINDOW = RATE // 20
SEARCH = RATE            # a window is looked for within a second of where the last one was


def best_lag(recorded: np.ndarray, piece: np.ndarray) -> int:
    """Where in `recorded` `piece` fits best (cross-correlation by FFT)."""
    size = 1 << int(np.ceil(np.log2(len(recorded) + len(piece))))
    cross = np.fft.irfft(np.fft.rfft(recorded, size) * np.conj(np.fft.rfft(piece, size)), size)
    return int(np.argmax(cross[:max(1, len(recorded) - len(piece) + 1)]))


def best_fit(recorded: np.ndarray, piece: np.ndarray, around: int) -> tuple[int, float]:
    """(position, normalised correlation) of `piece` within SEARCH samples of `around`."""
    low = max(0, around - SEARCH)
    span = recorded[low:around + SEARCH + len(piece)]
    if len(span) < len(piece):
        return around, 0.0
    fits = np.correlate(span, piece, "valid")
    energy = np.convolve(span ** 2, np.ones(len(piece)), "valid")
    scores = fits / np.sqrt(np.maximum(energy, 1e-12) * float(np.dot(piece, piece)))
    best = int(np.argmax(scores))
    return low + best, float(scores[best])


class Later:
    """Finds a piece anywhere after a point: a player starved for longer than SEARCH goes on
    later still (a stall only ever delays), so the rest of the recording is searched
    (cross-correlation by FFT, the recording's transform and energy computed once)."""

    def __init__(self, recorded: np.ndarray):
        self.size = 1 << int(np.ceil(np.log2(len(recorded) + WINDOW)))
        self.spectrum = np.fft.rfft(recorded, self.size)
        self.sums = np.concatenate([[0.0], np.cumsum(recorded ** 2)])
        self.length = len(recorded)

    def fit(self, piece: np.ndarray, after: int) -> tuple[int, float]:
        """(position, normalised correlation) of `piece` at or after `after`."""
        last = self.length - len(piece)
        after = max(0, after)
        if after > last:
            return after, 0.0
        fits = np.fft.irfft(self.spectrum * np.conj(np.fft.rfft(piece, self.size)), self.size)
        fits = fits[after:last + 1]
        energy = self.sums[after + len(piece):last + 1 + len(piece)] - self.sums[after:last + 1]
        scores = fits / np.sqrt(np.maximum(energy, 1e-12) * float(np.dot(piece, piece)))
        best = int(np.argmax(scores))
        return after + best, float(scores[best])


def match(recorded: np.ndarray, reference: np.ndarray) -> Match:
    """Each sounding 50 ms of the step's WAV found in the recording near where the one before
    was. On a busy machine the player can fall behind for a moment (the sound device then
    plays silence and the speech goes on a little later); a window across such a stall
    matches less well, and a lost, changed or foreign sound does not match at all."""
    sounding = np.flatnonzero(np.abs(reference) > 0.01)
    first = int(sounding[0])
    start = best_lag(recorded, reference[first:first + RATE // 2]) - first
    offset = start
    later = Later(recorded)
    scores, weights = [], []
    for i in range(first, len(reference) - WINDOW, WINDOW):
        piece = reference[i:i + WINDOW]
        energy = float(np.dot(piece, piece))
        if energy < WINDOW * 1e-5:               # (below -50 dBFS: nothing to compare)
            continue
        at, score = best_fit(recorded, piece, i + offset)
        if score < 0.9:       # perhaps a longer stall: look further on
            further, further_score = later.fit(piece, i + offset)
            if further_score > score:
                at, score = further, further_score
        if score >= 0.9:      # (across a stall, or nothing like it: no evidence of where)
            offset = at - i
        scores.append(score)
        weights.append(energy)
    return Match(float(np.average(scores, weights=weights)), start / RATE,
                 (offset - start) / RATE)


# Gaps the player may leave in all. Qt's player keeps only ~0.1 s in the sound device, so on a
# busy 2-core machine it can fall behind. While the safety exit renders in the background (as
# here): 12-73 ms at a load of 2 (with two workers at normal priority, as before: up to 0.19 s,
# 0.6 s at a load of 4), 0.36 s once at a load of 7; with nothing rendering at all, still
# 0.14-0.18 s at a load of 7. This test is about what is heard, not about the machine's load.
# One correlation over the whole step, after one alignment, read such a gap as a different
# sound (0.31).
STALL_BUDGET = 1.0


def heard_as_rendered(found: Match) -> bool:
    """It matches, and nothing was lost (nothing was found earlier than it should be)."""
    return found.correlation >= 0.95 and found.stalled > -0.01


def faithful(found: Match) -> bool:
    """Heard as rendered, and the player fell behind by no more than a moment."""
    return heard_as_rendered(found) and found.stalled < STALL_BUDGET


def shared() -> bool:
    """More runnable tasks than cores: the player can be starved for seconds at any moment
    (correlation 0.26 seen on a landing at such a load, passing alone twice after)."""
    return os.getloadavg()[0] > (os.cpu_count() or 1)


def overloaded() -> bool:
    """More than two runnable tasks a core: Qt's player is starved for seconds (a 2.4 s stall
    at a load of 12 on 2 cores, 30 Nov), which says nothing about the app. The stall budget is
    judged on a machine that is not overloaded (CI's); what is heard is judged always."""
    return os.getloadavg()[0] > 2 * (os.cpu_count() or 1)


VOICES = ["gmw/en-us", pytest.param("piper:en_US-joe-medium", marks=pytest.mark.skipif(
    "piper" not in ENGINES, reason="the natural voice is not installed"))]


@pytest.mark.parametrize("voice", VOICES, ids=["espeak", "piper"])
def test_the_sound_heard_is_the_step_rendered(pulse, app_env, securebase_home, tmp_path, voice):
    scripts = securebase_home / "scripts"
    scripts.mkdir(mode=0o700)
    (scripts / "listen-check.toml").write_text(SCRIPT, encoding="utf-8")
    os.chmod(scripts / "listen-check.toml", 0o600)
    # rendered first, so the window plays the step's own WAV (not the first sentence ahead)
    render = subprocess.run([sys.executable, "-m", "app", "render", "--practice",
                             "listen-check", "--voice", voice], env=app_env,
                            capture_output=True, text=True, timeout=180)
    assert render.returncode == 0, render.stderr[-2000:]

    busy, shared_before = overloaded(), shared()
    found = listen(pulse, app_env, tmp_path / "first", voice)
    if not heard_as_rendered(found) and (shared_before or shared()):
        # Starved for seconds, the player and the recorder both lose their place (a 4 s stall
        # heard as correlation 0.33 at a load of 4.7 on 2 cores, 1 Dec); on a shared machine
        # one more listen is allowed, and a wrong sound fails both.
        busy, first = True, found
        found = listen(pulse, app_env, tmp_path / "again", voice)
        assert heard_as_rendered(found), f"{voice}: {first}, then {found}"
    assert heard_as_rendered(found), f"{voice}: {found}"
    if not (busy or overloaded()):
        assert found.stalled < STALL_BUDGET, f"{voice}: {found}"


def listen(pulse, app_env, folder: Path, voice: str) -> Match:
    """The window plays the step; what the sound device received, matched with the step's WAV."""
    folder.mkdir()
    recorder = Recorder(pulse, folder / "heard.wav", rate=RATE, channels=1)
    results_file = folder / "results.json"
    run = run_driver(app_env, "listen", "listen-check", voice, str(results_file))
    heard = recorder.stop()
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(results_file.read_text())
    assert results["text_only"] is None and len(results["played"]) == 1
    step_wav = Path(results["played"][0])
    assert step_wav.name == "arrive.wav"
    return match(read_mono(heard), read_mono(step_wav))


def test_the_comparison_forgives_a_stall_but_not_another_sound():
    """The measure itself: a copy with two stalls (digital silence inserted, as a starved
    player leaves) still matches; the same sound faster, reversed or cut does not."""
    rng = np.random.default_rng(13)
    t = np.arange(3 * RATE) / RATE
    pitch = 120 + 40 * np.sin(2 * np.pi * 0.7 * t)
    voiced = np.sin(2 * np.pi * np.cumsum(pitch) / RATE) * (0.5 + 0.5 * np.sin(2 * np.pi * 3 * t))
    step = np.concatenate([np.zeros(RATE // 10), 0.3 * voiced + 0.02 * rng.standard_normal(len(t)),
                           np.zeros(RATE // 2)])
    quiet = np.zeros(RATE // 3)
    a, b = RATE, 2 * RATE
    heard = 0.7 * np.concatenate([quiet, step[:a], np.zeros(800), step[a:b], np.zeros(3000),
                                  step[b:], quiet])
    found = match(heard, step)
    assert faithful(found) and found.correlation > 0.97 and abs(found.stalled - 3800 / RATE) < 0.01
    # a starved player's long stall (2.4 s seen at a load of 12), in the step: followed
    long = 0.7 * np.concatenate([quiet, step[:a], np.zeros(int(2.4 * RATE)), step[a:], quiet])
    found = match(long, step)
    assert heard_as_rendered(found) and not faithful(found) and abs(found.stalled - 2.4) < 0.01
    faster = np.interp(np.arange(0, len(step), 1.05), np.arange(len(step)), step)
    cut = np.concatenate([step[:a], step[a + RATE // 2:]])
    for other in (faster, step[::-1].copy(), cut):
        assert not faithful(match(0.7 * np.concatenate([quiet, other, quiet]), step))
