"""The person's preferences: a small JSON file, read before the first window paints.

Kept out of the SQLite journal so start-up need not import the database layer.
"""
from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path

from app import paths
from app.storage.files import write_private

THEMES = ("light", "dark")
MAX_GEOMETRY = 400                      # Qt's window geometry is about 90 characters
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


@dataclass(frozen=True)
class Preferences:
    # A voice id from `securebase voices`: "piper:…" for the natural voice, else espeak's id;
    # None = espeak-ng's default English.
    voice: str | None = None
    rate: int = 140                     # words per minute: calm, slower than everyday speech
    volume: float = 1.0                 # the audio is levelled for full volume (speech/audio.py)
    silence_multiplier: float = 1.0     # longer or shorter quiet after each step
    theme: str = "light"
    show_streaks: bool = False          # many people find streaks stressful: off unless chosen
    voice_during_body_map: bool = False  # the voice pauses while the body map is open
    # Where the window was and how big (Qt's saveGeometry, base64): "" until it first closes.
    window_geometry: str = ""

    def validated(self) -> "Preferences":
        return replace(
            self,
            rate=min(220, max(80, int(self.rate))),
            volume=min(1.0, max(0.0, float(self.volume))),
            silence_multiplier=min(3.0, max(0.25, float(self.silence_multiplier))),
            theme=self.theme if self.theme in THEMES else "light",
            show_streaks=bool(self.show_streaks),
            voice_during_body_map=bool(self.voice_during_body_map),
            window_geometry=_geometry(self.window_geometry),
        )


def _geometry(value: object) -> str:
    """Only a short base64 text is kept; anything else is dropped (the window then fits
    itself to the screen)."""
    if isinstance(value, str) and len(value) <= MAX_GEOMETRY and _BASE64.fullmatch(value):
        return value
    return ""


def load_preferences(path: Path | None = None) -> Preferences:
    """Unknown keys are ignored and bad values replaced, so a damaged file never stops the app."""
    path = path or paths.settings_file()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Preferences()
    if not isinstance(raw, dict):
        return Preferences()
    known = {f.name for f in fields(Preferences)}
    try:
        return Preferences(**{k: v for k, v in raw.items() if k in known}).validated()
    except (TypeError, ValueError):
        return Preferences()


def save_preferences(prefs: Preferences, path: Path | None = None) -> None:
    """Write atomically (temp file + rename) and privately."""
    text = json.dumps(asdict(prefs.validated()), indent=2)
    write_private(path or paths.settings_file(), text.encode("utf-8"))
