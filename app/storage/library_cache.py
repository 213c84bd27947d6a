"""The validated practice library, cached so start-up need not parse and check every script.

The cache is keyed on each script's path, size and modification time and on the validator's
own source files, so any edit (or a new version of the checks) rebuilds it. It lives in the
person's private data folder.
"""
from __future__ import annotations

import pickle
from pathlib import Path

from app import paths
from app.storage.files import write_private
from app.core.practice import BrokenScript, Practice

CACHE_FORMAT = 1
_VALIDATOR_SOURCES = ("core/practice.py", "core/scripts.py", "core/toml_lines.py",
                      "storage/library_cache.py")


def script_files(bundled_dir: Path | None = None, user_dir: Path | None = None) -> list[Path]:
    bundled_dir = bundled_dir or paths.BUNDLED_SCRIPTS_DIR
    user_dir = user_dir or paths.user_scripts_dir()
    return sorted(bundled_dir.glob("*.toml")) + sorted(user_dir.glob("*.toml"))


def load_library(bundled_dir: Path | None = None, user_dir: Path | None = None
                 ) -> tuple[list[Practice], list[BrokenScript]]:
    """Same result as scripts.load_all, from the cache when nothing changed."""
    bundled_dir = bundled_dir or paths.BUNDLED_SCRIPTS_DIR
    user_dir = user_dir or paths.user_scripts_dir()
    key = _key(bundled_dir, user_dir)
    cache = paths.cache_dir() / "library.pickle"
    try:
        with open(cache, "rb") as handle:
            stored = pickle.load(handle)
        if stored["key"] == key:
            return stored["practices"], stored["broken"]
    except (OSError, EOFError, pickle.UnpicklingError, KeyError, AttributeError, TypeError,
            ValueError, ImportError):
        pass                                    # missing or stale: rebuild below
    from app.core.scripts import load_all       # tomllib and the checks, only when needed
    practices, broken = load_all(bundled_dir, user_dir)
    _store(cache, {"key": key, "practices": practices, "broken": broken})
    return practices, broken


def _key(bundled_dir: Path, user_dir: Path) -> tuple:
    here = Path(__file__).resolve().parent.parent      # app/
    files = script_files(bundled_dir, user_dir) + [here / name for name in _VALIDATOR_SOURCES]
    stats = []
    for file in files:
        try:
            st = file.stat()
        except OSError:
            continue
        stats.append((str(file), st.st_size, st.st_mtime_ns))
    return (CACHE_FORMAT, str(bundled_dir), str(user_dir), tuple(stats))


def _store(cache: Path, data: dict) -> None:
    try:
        write_private(cache, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass                                    # a cache is optional; the library still loads
