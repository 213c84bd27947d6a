"""A short spoken sample of a voice at a pace, so a person can hear it before choosing it.

Rendered through the same pipeline as the practices (worker process, checks, fades, loudness),
into its own folder per voice under the cache, so the second listen is a file that is already
there. No fallback: a sample of the natural voice must never quietly be the standard voice.
"""
from __future__ import annotations

from pathlib import Path

from app import paths
from app.core.practice import Practice, Step
from app.speech.render import RenderSettings, manifest_status, render_practices

SAMPLE_TEXT = ("Let yourself settle, just as you are. There is no hurry; "
               "you can take all the time you need.")
_PRACTICE_ID = "voice-sample"
SAMPLE = Practice(_PRACTICE_ID, "Voice sample", "", 1.0,
                  (Step("sample", "Sample", SAMPLE_TEXT, silence_after=0.0),))


def sample_dir(settings: RenderSettings) -> Path:
    from app.speech.voices import audio_dir_for  # voices imports render too: no cycle at import
    # A folder per pace too: every pace listened to stays cached, and the file playing is
    # never the one being rewritten.
    return audio_dir_for(paths.cache_dir() / "samples" / f"{settings.rate}wpm", settings)


def cached_sample(settings: RenderSettings) -> Path | None:
    """The sample's WAV when it is already rendered for exactly these settings."""
    return manifest_status(SAMPLE, sample_dir(settings), settings)["sample"]


def render_sample(settings: RenderSettings) -> Path:
    """The sample's WAV, rendered first if need be (raises EngineUnavailable, RenderError).
    One worker process: the window's own process never starts an engine (isolated.py)."""
    wav = cached_sample(settings)
    if wav is None:
        render_practices([SAMPLE], sample_dir(settings), settings, jobs=1)
        wav = cached_sample(settings)
    if wav is None:
        raise RuntimeError("the sample was rendered but its audio is missing")
    return wav
