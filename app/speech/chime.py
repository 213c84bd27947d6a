"""The one soft cue that the voice is waiting: a short bell, made here from sine partials.

Played once when a step that waits (`wait = true`) has said its last word, so a person with
closed eyes knows the voice will not go on by itself. It is generated, never downloaded, and
kept quieter than speech: a cue, not an alarm.

The window only asks where the chime is (chime_path); it is made (ensure_chime) in a helper
process, so the window of a session never imports numpy (app.qt.guidance_audio).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from app.speech.audio import Samples

CHIME_VERSION = 1              # bump when the sound changes, so an old file is replaced
CHIME_LUFS = -28.0             # about 10 LU under the voice (audio.TARGET_LUFS)
SECONDS = 2.6
FUNDAMENTAL = 523.25           # C5: bright enough to notice, soft enough not to startle
# (ratio to the fundamental, relative level in dB, decay time constant in seconds)
PARTIALS = ((1.0, 0.0, 0.9), (2.0, -14.0, 0.5), (3.01, -22.0, 0.3), (4.2, -30.0, 0.2))
ATTACK = 0.02                  # a rounded onset: no click, no strike


def chime_samples() -> Samples:
    import numpy as np

    from app.speech import audio, loudness

    t = np.arange(int(SECONDS * audio.SAMPLE_RATE)) / audio.SAMPLE_RATE
    tone = sum(loudness.db_to_gain(level) * np.exp(-t / decay)
               * np.sin(2 * np.pi * FUNDAMENTAL * ratio * t)
               for ratio, level, decay in PARTIALS)
    onset = np.minimum(1.0, t / ATTACK)
    shaped = np.asarray(tone) * (0.5 - 0.5 * np.cos(np.pi * onset))
    tail = audio.fade(shaped, 0.0, 0.4)          # ends on silence, never cut off
    return loudness.normalise(tail, target=CHIME_LUFS)


def chime_path(folder: Path) -> Path:
    return Path(folder) / f"waiting-cue-{CHIME_VERSION}.wav"


def ensure_chime(folder: Path) -> Path:
    """The chime's WAV in `folder`, written once (atomically) and reused after that."""
    from app.speech import audio

    path = chime_path(folder)
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        audio.save_wav(chime_samples(), path)
    return path
