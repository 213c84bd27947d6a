"""The validated practice library, cached so start-up need not parse and check every script.

The cache is keyed on each script's path, size and modification time and on the validator's
own source files, so any edit (or a new version of the checks) rebuilds it. It lives in the
person's private data folder.

It is plain JSON, never pickle: a file planted in the cache folder must not be able to run code
(a planted `library.pickle` did). Its first line is a JSON header (a format name, a version and
the CRC-32 of the rest); the rest is the library as JSON, decoded into the practice dataclasses
only (app.core.practice). Anything unexpected — damaged, edited, too large, too deep, another
version — is ignored and rebuilt.

The check is over the stored bytes as they are, so reading needs no second serialisation: the
version 2 file summed a canonical re-dump of what it had just parsed, with SHA-256, 7 of the
16 million instructions of reading the cache before the first frame (bench/startup.py). It
guards against damage; it never guarded against a planted file, which can carry any sum of
any kind: the decoder's rules below do.
"""
from __future__ import annotations

import dataclasses
import json
import zlib
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from app import paths
from app.core.library_card import LibraryCard
from app.storage.files import write_private

if TYPE_CHECKING:   # app.core.problems is imported only when the library holds a broken script
    from app.core.practice import Practice
    from app.core.problems import BrokenScript

CACHE_NAME = "library.json"
CACHE_FORMAT = "securebase-library-cache"
CACHE_VERSION = 3                      # 1 was the pickle; 2 summed a re-dump with SHA-256
MAX_CACHE_BYTES = 32 * 1024 * 1024     # far above any real library; a planted giant is ignored
_VALIDATOR_SOURCES = ("core/practice.py", "core/scripts.py", "core/toml_lines.py",
                      "core/script_limits.py", "core/record_rules.py", "core/problems.py",
                      "storage/library_cache.py")


def script_files(bundled_dir: Path | None = None, user_dir: Path | None = None) -> list[Path]:
    bundled_dir = bundled_dir or paths.BUNDLED_SCRIPTS_DIR
    user_dir = user_dir or user_scripts()
    return sorted(bundled_dir.glob("*.toml")) + sorted(user_dir.glob("*.toml"))


def user_scripts() -> Path:
    """The person's scripts folder. In a read-only data folder that has none yet it cannot be
    made, and there are simply no scripts of theirs to load (the bundled ones still are)."""
    home = paths.data_dir()             # a home that is a file is said plainly, as ever
    try:
        return paths.user_scripts_dir()
    except OSError:
        return home / "scripts"


def load_library(bundled_dir: Path | None = None, user_dir: Path | None = None
                 ) -> tuple[list[Practice], list[BrokenScript]]:
    """Same result as script_files.load_all, from the cache when nothing changed."""
    return load_library_lazily(bundled_dir, user_dir).records()


class LazyLibrary:
    """The library as read before the first frame: from a valid cache, what its cards show
    (`cards`) at once, and the records (Practice and Step) made from it when first asked for
    (`records()`): ~16 million instructions under callgrind that the first frame need not
    wait for. `cards` is None when there is no valid cache, or it holds a broken script:
    then `records()` reads (and checks) the scripts, as ever."""

    def __init__(self, bundled_dir: Path, user_dir: Path, cache: Path, key: list[Any],
                 payload: dict[str, Any] | None) -> None:
        self._folders, self._cache, self._key = (bundled_dir, user_dir), cache, key
        self._payload = payload
        self._made: tuple[list[Practice], list[BrokenScript]] | None = None
        self.cards = _cards(payload) if payload is not None else None

    def records(self) -> tuple[list[Practice], list[BrokenScript]]:
        """The practices and broken scripts; a cache whose cards were readable but whose
        records are not (edited by hand, planted) is rebuilt from the scripts, like any
        other damaged cache (the window then shows the library again: see MainWindow)."""
        if self._made is None:
            made = _records(self._payload) if self._payload is not None else None
            if made is None:
                made = _rebuild(self._cache, self._key, *self._folders)
            self._made, self._payload = made, None
        return self._made


def load_library_lazily(bundled_dir: Path | None = None, user_dir: Path | None = None
                        ) -> LazyLibrary:
    bundled_dir = bundled_dir or paths.BUNDLED_SCRIPTS_DIR
    user_dir = user_dir or user_scripts()
    key = _key(bundled_dir, user_dir)
    try:
        cache = paths.cache_dir() / CACHE_NAME
    except OSError:                             # a read-only data folder: no cache, no harm
        cache = paths.data_dir() / "cache" / CACHE_NAME
    return LazyLibrary(bundled_dir, user_dir, cache, key, _read_payload(cache, key))


def _rebuild(cache: Path, key: list[Any], bundled_dir: Path, user_dir: Path
             ) -> tuple[list[Practice], list[BrokenScript]]:
    from app.storage.script_files import load_all   # tomllib and the checks, when needed
    practices, broken = load_all(bundled_dir, user_dir)
    _store(cache, key, practices, broken)
    try:
        (cache.parent / "library.pickle").unlink(missing_ok=True)   # never read; maybe planted
    except OSError:
        pass
    return practices, broken


def read_cache(cache: Path, key: list[Any]) -> tuple[list[Practice], list[BrokenScript]] | None:
    """The cached library if the file is ours, intact and for `key`; otherwise None."""
    payload = _read_payload(cache, key)
    return None if payload is None else _records(payload)


def _read_payload(cache: Path, key: list[Any]) -> dict[str, Any] | None:
    """The cache's JSON if the file is ours, intact and for `key`; otherwise None."""
    try:
        with open(cache, "rb") as handle:
            raw = handle.read(MAX_CACHE_BYTES + 1)
        if len(raw) > MAX_CACHE_BYTES:
            return None
        first_line, _, body = raw.partition(b"\n")
        header = json.loads(first_line)
        if (not isinstance(header, dict) or header.get("format") != CACHE_FORMAT
                or header.get("version") != CACHE_VERSION
                or header.get("crc32") != _checksum(body)):
            return None
        payload = json.loads(body)
        if not isinstance(payload, dict) or payload["key"] != key:
            return None
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None                             # missing, stale, damaged or planted: rebuild
    return payload


def _records(payload: dict[str, Any]) -> tuple[list[Practice], list[BrokenScript]] | None:
    """The payload's practices and broken scripts, decoded; None if it holds anything else."""
    from app.core.practice import Practice
    try:
        practices = [_decode(item) for item in payload["practices"]]
        broken = [_decode(item) for item in payload["broken"]]
    except (ValueError, TypeError, KeyError, AttributeError, RecursionError):
        return None
    if not all(isinstance(p, Practice) for p in practices):
        return None
    if broken:
        from app.core import problems
        if not all(isinstance(b, problems.BrokenScript) for b in broken):
            return None
    return practices, broken


def _cards(payload: dict[str, Any]) -> list[LibraryCard] | None:
    """What the cards show, read from the practices' stored fields without decoding them;
    None when the library holds a broken script (its row is made from its record) or the
    fields are not what a practice holds."""
    try:
        if payload["broken"]:
            return None
        cards = []
        for item in payload["practices"]:
            if item["d"] != "Practice":
                return None
            fields = item["f"]
            card = LibraryCard(fields["id"], fields["title"], fields["summary"],
                               fields["minutes"], len(fields["steps"]["t"]), fields["bundled"],
                               tuple(fields["tags"]["t"]))
            if not (all(isinstance(text, str) for text in (*card[:3], *card.tags))
                    and isinstance(card.minutes, (int, float))
                    and isinstance(card.bundled, bool)):
                return None
            cards.append(card)
    except (TypeError, KeyError, AttributeError):
        return None
    return cards


def _key(bundled_dir: Path, user_dir: Path) -> list[Any]:
    """As JSON would give it back: lists, strings and numbers."""
    here = Path(__file__).resolve().parent.parent      # app/
    files = script_files(bundled_dir, user_dir) + [here / name for name in _VALIDATOR_SOURCES]
    stats = []
    for file in files:
        try:
            st = file.stat()
        except OSError:
            continue
        stats.append([str(file), st.st_size, st.st_mtime_ns])
    return [CACHE_VERSION, str(bundled_dir), str(user_dir), stats]


def _store(cache: Path, key: list[Any], practices: list[Practice],
           broken: list[BrokenScript]) -> None:
    payload = {"key": key, "practices": [_encode(p) for p in practices],
               "broken": [_encode(b) for b in broken]}
    try:
        body = json.dumps(payload, ensure_ascii=False).encode("utf-8")   # one line: no indent
        header = {"format": CACHE_FORMAT, "version": CACHE_VERSION, "crc32": _checksum(body)}
        write_private(cache, json.dumps(header).encode("ascii") + b"\n" + body)
    except (OSError, TypeError, ValueError):
        pass                                    # a cache is optional; the library still loads


def _checksum(body: bytes) -> int:
    """CRC-32 of the stored library: a damaged file is rebuilt (zlib is loaded already)."""
    return zlib.crc32(body)


# -- a data-only codec for the practice dataclasses ------------------------------------------
# Every JSON object is tagged, so nothing is guessed on the way back: {"d": class, "f": fields}
# for a dataclass of app.core.practice or app.core.problems (the only classes ever built; the
# second is imported only for a broken script), {"t": [...]} a tuple,
# {"p": "..."} a path, {"m": {...}} a dict. Lists, strings, numbers, booleans and null are
# themselves. New fields or new dataclasses in either module need no change here.

def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"d": type(value).__name__,
                "f": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if isinstance(value, Path):
        return {"p": str(value)}
    if isinstance(value, dict):
        return {"m": {str(k): _encode(v) for k, v in value.items()}}
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot cache a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 2 and "d" in value and "f" in value:
        cls = _record_class(str(value["d"]))
        return cls(**{str(k): _decode(v) for k, v in dict(value["f"]).items()})
    if len(value) == 1:
        tag, inner = next(iter(value.items()))
        if tag == "t":
            return tuple(_decode(v) for v in inner)
        if tag == "p":
            return Path(str(inner))
        if tag == "m":
            return {str(k): _decode(v) for k, v in dict(inner).items()}
    raise ValueError("not a cache value")


def _record_class(name: str) -> Any:
    """The dataclass of app.core.practice, or else of app.core.problems, named `name`."""
    from app.core import practice as model
    cls = getattr(model, name, None)
    if not _is_record_of(cls, model):
        from app.core import problems
        cls = getattr(problems, name, None)
        if not _is_record_of(cls, problems):
            raise TypeError(f"not a practice class: {name!r}")
    return cls


def _is_record_of(cls: object, module: ModuleType) -> bool:
    return (isinstance(cls, type) and dataclasses.is_dataclass(cls)
            and cls.__module__ == module.__name__)
