"""Every file location Secure Base uses, in one place.

Set SECUREBASE_HOME to put every user file (journal, backups, audio cache, user scripts) under
one directory; the tests always do, so they never touch a real journal.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_SCRIPTS_DIR = PROJECT_ROOT / "scripts"
RESOURCES_DIR = PROJECT_ROOT / "resources"
BODY_REGIONS_FILE = RESOURCES_DIR / "body" / "regions.json"
# Rendered bundled guidance lives beside the code (generated, git-ignored) unless overridden.
BUNDLED_AUDIO_DIR = PROJECT_ROOT / "audio"


def data_dir() -> Path:
    """The private per-user directory: journal, backups, user scripts, caches."""
    home = os.environ.get("SECUREBASE_HOME")
    if home:
        path = Path(home).expanduser()
    else:
        from platformdirs import user_data_dir  # only needed without the override
        path = Path(user_data_dir("securebase", appauthor=False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def journal_file() -> Path:
    return data_dir() / "journal.db"


def backups_dir() -> Path:
    return _sub("backups")


def user_scripts_dir() -> Path:
    return _sub("scripts")


def cache_dir() -> Path:
    """Things that can be rebuilt at any time (validated library, synthesised speech)."""
    return _sub("cache")


def chunk_cache_dir() -> Path:
    """Synthesised sentences, keyed by hash, shared by every practice and voice."""
    return _sub("cache", "chunks")


def audio_dir() -> Path:
    """Where rendered step audio is written and read.

    With SECUREBASE_HOME set everything stays inside it; otherwise the repo's audio/ folder.
    """
    if os.environ.get("SECUREBASE_HOME"):
        return _sub("audio")
    BUNDLED_AUDIO_DIR.mkdir(exist_ok=True)
    return BUNDLED_AUDIO_DIR


def settings_file() -> Path:
    return data_dir() / "settings.json"


def instance_lock_file() -> Path:
    """Held (flock) by the running window so a second copy can tell it is not alone."""
    return data_dir() / "instance.lock"


def raise_request_file() -> Path:
    """Written by a second copy to ask the running window to come to the front."""
    return data_dir() / "raise-request"


def _sub(*parts: str) -> Path:
    path = data_dir().joinpath(*parts)
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path
