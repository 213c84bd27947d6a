"""read_limited: a file over its limit is refused, whether its size says so before reading or
it turns out longer while being read (a file that grows, or one whose size is not known)."""
from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from app.storage.files import FileTooLarge, read_limited


def test_a_file_within_the_limit_is_read_whole(tmp_path: Path) -> None:
    path = tmp_path / "small"
    path.write_bytes(b"x" * 100)
    assert read_limited(path, 100) == b"x" * 100


def test_a_larger_file_is_refused_by_its_size_unread(tmp_path: Path) -> None:
    path = tmp_path / "huge"
    with open(path, "wb") as handle:
        handle.truncate(200_000_000)                     # sparse: no disk used
    tracemalloc.start()
    try:
        with pytest.raises(FileTooLarge) as info:
            read_limited(path, 1_000_000)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert info.value.size == 200_000_000 and peak < 100_000


def test_a_file_longer_than_its_size_says_is_refused_too() -> None:
    # /proc files report a size of 0 and hold more: what a file growing while read looks like
    with pytest.raises(FileTooLarge) as info:
        read_limited(Path("/proc/self/maps"), 64)
    assert info.value.size == 65
