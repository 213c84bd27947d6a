"""The person's preferences, as a plain record with its own bounds (no file I/O here: the
JSON file is read and written by app.storage.preferences)."""
from __future__ import annotations

from dataclasses import dataclass, replace

THEMES = ("light", "dark")
MAX_GEOMETRY = 400                      # Qt's window geometry is about 90 characters
# Base64's letters (a window geometry is checked with every start: no regular expression
# to compile for it, 0.3 million instructions under callgrind before the first frame).
_BASE64_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")


@dataclass(frozen=True)
class Preferences:
    """What the person chose in Settings (and where the window was), as saved."""
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
    if isinstance(value, str) and len(value) <= MAX_GEOMETRY and _is_base64(value):
        return value
    return ""


def _is_base64(text: str) -> bool:
    """Base64's letters, then at most two "=" of padding (as [A-Za-z0-9+/]*={0,2})."""
    letters = text.rstrip("=")
    return len(text) - len(letters) <= 2 and _BASE64_LETTERS.issuperset(letters)
