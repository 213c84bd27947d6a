"""Every file location Secure Base uses, in one place.

Two kinds of place: what ships with the app (practice scripts, body regions, icons), read-only,
found in the package's own folder (a wheel installs it unpacked); and what the person's use
creates (journal, backups, rendered audio, caches, user scripts, the log), all under one
private data folder. Nothing is ever written beside the code, so a source checkout stays clean
and an installed wheel works.

Set SECUREBASE_HOME to put every user file under one directory; the tests always do, so they
never touch a real journal.
"""
from __future__ import annotations

import os
from pathlib import Path

from app.storage.errors import data_folder_error
from app.storage.privacy import private_folder

# The source checkout (in an installed wheel: site-packages). Tests and tools use it; the app
# itself reads only the bundled data below.
PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _bundled(name: str) -> Path:
    """A folder of bundled data: package data (app/bundled/NAME) in a wheel; in a source
    checkout or an editable install, the repository's own top-level NAME folder (setup.py maps
    one onto the other, so there is only ever one copy)."""
    packaged = Path(__file__).resolve().parent / "bundled" / name   # the `app` package
    return packaged if packaged.is_dir() else PROJECT_ROOT / name


BUNDLED_SCRIPTS_DIR = _bundled("scripts")
RESOURCES_DIR = _bundled("resources")
BODY_REGIONS_FILE = RESOURCES_DIR / "body" / "regions.json"


def data_dir() -> Path:
    """The private per-user directory: journal, backups, user scripts, caches."""
    home = os.environ.get("SECUREBASE_HOME")
    if home:
        path = Path(home).expanduser()
    else:
        from platformdirs import user_data_dir  # only needed without the override
        path = Path(user_data_dir("securebase", appauthor=False))
    # every level it creates is 0700; an existing folder left open by an earlier version is
    # made private at the window's start (app.storage.recovery), which says so once
    if path.exists() and not path.is_dir():
        raise data_folder_error(None, path, is_file=True)
    try:
        return private_folder(path)
    except OSError as exc:                  # read-only, a file on the way, a full disk
        raise data_folder_error(exc, path) from exc


def journal_file() -> Path:
    return data_dir() / "journal.db"


def backups_dir() -> Path:
    return _sub("backups")


def user_scripts_dir() -> Path:
    return _sub("scripts")


def recordings_dir() -> Path:
    """Steps recorded in a person's own (or a trusted) voice: recordings/<practice>/<audio>.wav.
    Personal, never rebuilt: kept out of the cache, removed by "delete all my data"."""
    return _sub("recordings")


def trash_dir() -> Path:
    """A deleted practice (script and recordings) waits here while it can still be undone."""
    return _sub("trash")


def cache_dir() -> Path:
    """Things that can be rebuilt at any time (validated library, synthesised speech)."""
    return _sub("cache")


def chunk_cache_dir() -> Path:
    """Synthesised sentences, keyed by hash, shared by every practice and voice."""
    return _sub("cache", "chunks")


def audio_dir() -> Path:
    """Where rendered step audio is written and read (it can be rebuilt at any time)."""
    return _sub("audio")


def settings_file() -> Path:
    return data_dir() / "settings.json"


def instance_lock_file() -> Path:
    """Held (flock) by the running window so a second copy can tell it is not alone."""
    return data_dir() / "instance.lock"


def raise_request_file() -> Path:
    """Written by a second copy to ask the running window to come to the front."""
    return data_dir() / "raise-request"


def _sub(*parts: str) -> Path:
    home = data_dir()
    try:
        return private_folder(home.joinpath(*parts))
    except OSError as exc:
        raise data_folder_error(exc, home) from exc
