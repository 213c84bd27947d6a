"""The cached library equals a fresh load, and any edit to a script rebuilds it."""
from __future__ import annotations

import os

from app.storage.library_cache import load_library
from app.core.scripts import load_all
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
