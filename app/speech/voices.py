"""Voice choice across engines: which engine a voice id belongs to, where its audio lives, the
voices of every installed engine, and falling back to espeak-ng when a chosen engine cannot start.

A voice id names its engine unless it is espeak's: "piper:en_US-joe-medium", but "gmw/en-us"
(espeak ids never contain ":", and ids saved before the natural voice existed keep working).

No saved voice (None) means "no choice yet": the natural voice, which falls back to the standard
one, with a notice, where it is not installed or cannot load. A choice the person made is kept.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from app.speech.engine import ENGINES, EngineUnavailable, Voice, get_engine
from app.speech.render import RenderSettings

FALLBACK_ENGINE = "espeak"
KNOWN_ENGINES = ("espeak", "piper")  # named in voice ids even where not installed
# What "no choice yet" means: the natural voice (the optional extra, installed by default).
NATURAL_VOICE = "piper:en_US-joe-medium"
# The standard voice in the natural voice's accent, as Settings offers it (chosen on purpose,
# it is saved by id, so it is never mistaken for "no choice yet").
STANDARD_VOICE = "gmw/en-us"
# Audio for every voice but espeak's default goes in its own folder under the audio folder, so
# switching back to a voice finds its steps still up to date. Practice ids never start with ".".
VOICES_DIR = ".voices"

T = TypeVar("T")


def engine_of(voice: str | None) -> str:
    prefix, colon, _rest = (voice or NATURAL_VOICE).partition(":")
    return prefix if colon and prefix in KNOWN_ENGINES else FALLBACK_ENGINE


def settings_for(voice: str | None, rate: int) -> RenderSettings:
    """What to render a saved or typed voice id with (None: the natural voice, see above).
    "espeak:" is accepted and dropped, so an espeak voice has one id (and one cache) however
    it was written."""
    voice = voice or NATURAL_VOICE
    engine = engine_of(voice)
    if engine == FALLBACK_ENGINE and voice.startswith(f"{FALLBACK_ENGINE}:"):
        voice = voice.partition(":")[2] or None
    return RenderSettings(engine=engine, voice=voice, rate=rate)


def effective_voice(saved: str | None) -> str:
    """The voice id a saved preference stands for, as Settings shows it selected."""
    return saved or NATURAL_VOICE


def audio_dir_for(base: Path, settings: RenderSettings) -> Path:
    """Where steps rendered with these settings live: `base` for the default voice (and the
    bundled audio), `base/.voices/<engine>-<voice>` for every other."""
    if settings.engine == FALLBACK_ENGINE and settings.voice is None:
        return base
    voice = (settings.voice or "default").partition(":")[2] or settings.voice or "default"
    return base / VOICES_DIR / re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{settings.engine}-{voice}")


def all_voices() -> tuple[list[Voice], list[str]]:
    """Voices of every installed engine, and a plain sentence for each known engine that is
    not available here (not installed, or it would not start)."""
    voices: list[Voice] = []
    problems: list[str] = []
    for name in KNOWN_ENGINES + tuple(sorted(set(ENGINES) - set(KNOWN_ENGINES))):
        try:
            voices.extend(get_engine(name).voices())
        except EngineUnavailable as exc:
            problems.append(str(exc))
    return voices, problems


def fallback_notice(problem: EngineUnavailable) -> str:
    reason = str(problem).strip().rstrip(".") or "The chosen voice cannot start"
    return f"{reason}, so the standard voice is used instead."


def with_fallback(settings: RenderSettings, attempt: Callable[[RenderSettings], T],
                  notice: Callable[[str], None]) -> T:
    """`attempt(settings)`; when that engine cannot start, say so once through `notice` and
    attempt again with espeak-ng's default voice at the same rate."""
    try:
        return attempt(settings)
    except EngineUnavailable as exc:
        if settings.engine == FALLBACK_ENGINE:
            raise
        notice(fallback_notice(exc))
        return attempt(RenderSettings(engine=FALLBACK_ENGINE, voice=None, rate=settings.rate))
