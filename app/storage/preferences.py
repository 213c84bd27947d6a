"""The person's preferences: a small JSON file, read before the first window paints.

Kept out of the SQLite journal so start-up need not import the database layer.
"""
from __future__ import annotations

import json
from dataclasses import asdict, fields
from pathlib import Path

from app import paths
from app.core.preferences import THEMES, Preferences  # noqa: F401  (re-exported)
from app.storage.files import write_private


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
