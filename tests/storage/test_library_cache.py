"""The cached library equals a fresh load, and any edit to a script rebuilds it."""
from __future__ import annotations

import os

from app.storage.library_cache import load_library
from app.storage.script_files import load_all
from tests.core.test_scripts import GOOD


def test_cache_matches_fresh_load_and_notices_edits(tmp_path):
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir(), user.mkdir()
    script = user / "gentle.toml"
    script.write_text(GOOD.format(id="gentle"), encoding="utf-8")
    first = load_library(bundled, user)
    assert first == load_all(bundled, user)
    assert load_library(bundled, user) == first            # from the cache
    script.write_text(GOOD.format(id="gentle").replace("A gentle pause", "A softer pause"),
                      encoding="utf-8")
    stat = script.stat()
    os.utime(script, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    practices, _ = load_library(bundled, user)
    assert practices[0].title == "A softer pause"
    (user / "broken.toml").write_text("nonsense =", encoding="utf-8")
    assert [b.path.name for b in load_library(bundled, user)[1]] == ["broken.toml"]


# -- issue 15, item 9: nothing read back from disk can run code ------------------------------

import json  # noqa: E402
import pickle  # noqa: E402
import stat  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

from app import paths  # noqa: E402
from app.storage import library_cache  # noqa: E402


class _Planted:
    """Unpickling this creates a file: proof that a pickle ran code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


@pytest.fixture
def folders(tmp_path):
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir(), user.mkdir()
    (user / "gentle.toml").write_text(GOOD.format(id="gentle"), encoding="utf-8")
    return bundled, user


def test_a_planted_pickle_never_runs(folders, tmp_path):
    marker = tmp_path / "code-ran"
    planted = pickle.dumps(_Planted(marker))
    cache = paths.cache_dir()
    for name in ("library.pickle", "library.json"):
        (cache / name).write_bytes(planted)
    practices, _ = load_library(*folders)
    assert [p.id for p in practices] == ["gentle"] and not marker.exists()
    assert not (cache / "library.pickle").exists()
    header = json.loads((cache / "library.json").read_bytes().partition(b"\n")[0])
    assert header["format"] == "securebase-library-cache" and header["version"] == 3
    assert stat.S_IMODE((cache / "library.json").stat().st_mode) == 0o600
    assert load_library(*folders) == load_all(*folders)


def _forge(cache: Path, edit) -> None:
    """Rewrite the stored cache with `edit` applied, with a correct checksum."""
    first_line, _, body = cache.read_bytes().partition(b"\n")
    header, payload = json.loads(first_line), json.loads(body)
    edit(payload)
    body = json.dumps(payload).encode("utf-8")
    header["crc32"] = library_cache._checksum(body)
    cache.write_bytes(json.dumps(header).encode("utf-8") + b"\n" + body)


@pytest.mark.parametrize("damage", [
    lambda c: c.write_bytes(c.read_bytes()[:-40]),                                 # truncated
    lambda c: c.write_text(c.read_text().replace("A gentle pause", "A planted pause")),  # sum
    lambda c: c.write_text("[" * 100_000 + "]" * 100_000),                         # too deep
    lambda c: c.write_bytes(b" " * (library_cache.MAX_CACHE_BYTES + 10)),          # too big
    lambda c: c.write_text(c.read_text().replace('"version": 3', '"version": 4')),
    lambda c: c.write_text(c.read_text().replace("\n", " ", 1)),                  # one line
    lambda c: _forge(c, lambda p: p["practices"].append({"d": "Path", "f": {}})),
    lambda c: _forge(c, lambda p: p["practices"].append({"d": "ScriptError", "f": {}})),
    lambda c: _forge(c, lambda p: p["broken"].append({"x": 1})),
    lambda c: _forge(c, lambda p: p["practices"].append({"t": []})),
])
def test_a_damaged_or_forged_cache_is_ignored_and_rebuilt(folders, damage):
    fresh = load_library(*folders)
    cache = paths.cache_dir() / "library.json"
    damage(cache)
    assert load_library(*folders) == fresh == load_all(*folders)
    assert library_cache.read_cache(cache, library_cache._key(*folders)) == fresh  # rebuilt


def test_reading_the_cache_serialises_nothing_again(folders, monkeypatch):
    """The sum is checked over the stored bytes as they are. Version 2 summed a canonical
    re-dump of what it had just parsed: 7 of the 16 million instructions its reading took
    before the window's first frame (bench/startup.py)."""
    fresh = load_library(*folders)

    def no_dumps(*args, **kwargs):
        raise AssertionError("the cache was serialised again while being read")
    monkeypatch.setattr(library_cache.json, "dumps", no_dumps)
    key = library_cache._key(*folders)
    assert library_cache.read_cache(paths.cache_dir() / "library.json", key) == fresh


# -- the window's first frame: the cards at once, the records after it -----------------------

from app.core.library_card import card_of  # noqa: E402


def test_a_cached_library_gives_its_cards_without_making_its_records(folders, monkeypatch):
    """The cards are read from the cache's stored fields; the records are decoded only when
    asked for, and then equal a fresh load."""
    fresh = load_library(*folders)
    decoded = []
    decode = library_cache._decode
    monkeypatch.setattr(library_cache, "_decode", lambda v: decoded.append(v) or decode(v))
    lazy = library_cache.load_library_lazily(*folders)
    assert lazy.cards == [card_of(p) for p in fresh[0]] and decoded == []
    assert lazy.records() == fresh == load_all(*folders) and decoded
    assert lazy.records() is lazy.records()                 # made once


def test_no_cards_without_a_valid_cache_or_with_a_broken_script(folders):
    bundled, user = folders
    first = library_cache.load_library_lazily(*folders)
    assert first.cards is None                              # nothing cached yet
    assert first.records() == load_all(*folders)            # read, checked and cached
    assert library_cache.load_library_lazily(*folders).cards is not None
    (user / "broken.toml").write_text("nonsense =", encoding="utf-8")
    load_library(*folders)                                  # cached, with the broken script
    lazy = library_cache.load_library_lazily(*folders)
    assert lazy.cards is None                               # its row needs its record
    assert [b.path.name for b in lazy.records()[1]] == ["broken.toml"]


def test_cards_readable_but_records_not_rebuild_the_library_from_the_scripts(folders):
    fresh = load_library(*folders)
    cache = paths.cache_dir() / "library.json"
    # a step a Practice cannot hold: the card's fields are fine, the record is not
    _forge(cache, lambda p: p["practices"][0]["f"]["steps"]["t"].append({"d": "Path", "f": {}}))
    lazy = library_cache.load_library_lazily(*folders)
    assert lazy.cards is not None and lazy.cards[0].steps == len(fresh[0][0].steps) + 1
    assert lazy.records() == fresh                          # from the scripts again
    assert library_cache.read_cache(cache, library_cache._key(*folders)) == fresh  # rebuilt


@pytest.mark.parametrize("edit", [
    lambda f: f.update(title=7),
    lambda f: f.update(bundled="no"),
    lambda f: f.update(minutes="ten"),
    lambda f: f["tags"].update(t=[1]),
    lambda f: f.pop("summary"),
])
def test_cards_are_not_made_from_fields_no_practice_holds(folders, edit):
    load_library(*folders)
    _forge(paths.cache_dir() / "library.json", lambda p: edit(p["practices"][0]["f"]))
    assert library_cache.load_library_lazily(*folders).cards is None
