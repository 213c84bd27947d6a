"""Shared test helpers: tiny practices and tiny generated audio (tests only)."""
from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

from app.core.practice import Practice, Step


def tiny_practice(n: int = 3, silence: float = 0.2, practice_id: str = "tiny",
                  ask_body_at: int | None = None) -> Practice:
    steps = tuple(Step(id=f"s{i}", title=f"Step {i}", say=f"Breathe gently, step {i}.",
                       silence_after=silence, ask_body=(i == ask_body_at))
                  for i in range(1, n + 1))
    return Practice(id=practice_id, title="Tiny practice", summary="For tests.", minutes=1,
                    steps=steps)


def tone_wav(path: Path, seconds: float = 0.3, freq: float = 440.0, rate: int = 22050) -> Path:
    """A soft sine tone, enough for QMediaPlayer to play and reach its end."""
    path.parent.mkdir(parents=True, exist_ok=True)
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(b"".join(
            struct.pack("<h", int(8000 * math.sin(2 * math.pi * freq * i / rate)))
            for i in range(frames)))
    return path


def dispose(*objects) -> None:
    """Delete Qt objects now: left to the garbage collector at interpreter exit, QtMultimedia
    objects can outlive the QApplication and crash the process on the way out."""
    import shiboken6
    for obj in objects:
        if hasattr(obj, "stop"):
            obj.stop()
        if shiboken6.isValid(obj):
            shiboken6.delete(obj)
