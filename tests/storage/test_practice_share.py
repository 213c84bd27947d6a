"""A practice as one file: export → delete → import gives back the very same practice, and a
hostile file is refused, with a plain message, before anything is written."""
from __future__ import annotations

import io
import json
import math
import os
import stat
import struct
import wave
import zipfile
from pathlib import Path

import pytest

from app import paths
from app.core.practice_template import template_text
from app.storage import user_practices as up
from app.storage.practice_share import (
    MANIFEST, SCRIPT, NameClash, ShareError, export_practice, install, read_shared,
)

TEXT = template_text("evening", "Evening")


def tone_wav(seconds: float = 1.0, rate: int = 22_050) -> bytes:
    frames = b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 220 * i / rate)))
                      for i in range(int(seconds * rate)))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as wav:
        wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(rate)
        wav.writeframes(frames)
    return buffer.getvalue()


@pytest.fixture
def evening() -> Path:
    script = up.save_script("evening", TEXT)
    up.save_recording("evening", "notice", tone_wav(1.0))
    up.save_recording("evening", "notice.2", tone_wav(0.5))
    return script


def snapshot(practice_id: str) -> tuple[bytes, dict[str, bytes]]:
    return (up.script_path(practice_id).read_bytes(),
            {k: v.read_bytes() for k, v in up.recording_files(practice_id).items()})


def test_export_delete_import_gives_back_an_identical_practice(evening, tmp_path):
    before = snapshot("evening")
    out = export_practice(evening, tmp_path / "evening.sbpractice", note="For you, with care.")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    up.remove("evening")
    assert not up.script_path("evening").exists() and up.recording_files("evening") == {}
    shared = read_shared(out)
    assert (shared.practice.title, len(shared.practice.steps)) == ("Evening", 3)
    assert shared.note == "For you, with care." and shared.recordings == ("notice", "notice.2")
    assert not up.script_path("evening").exists()           # reading writes nothing
    result = install(shared)
    assert result.practice_id == "evening" and snapshot("evening") == before
    folder = up.recordings_folder("evening")
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert all(stat.S_IMODE(p.stat().st_mode) == 0o600 for p in folder.iterdir())
    # the same practice exports to the same bytes
    again = export_practice(evening, tmp_path / "again.sbpractice", note="For you, with care.")
    assert again.read_bytes() == out.read_bytes()


def test_a_name_clash_asks_then_keeps_both_or_replaces_into_the_trash(evening, tmp_path):
    out = export_practice(evening, tmp_path / "e.sbpractice", recordings=False)
    shared = read_shared(out)
    with pytest.raises(NameClash) as clash:
        install(shared)
    assert "already a practice called “Evening”" in str(clash.value)
    both = install(shared, keep_both=True)
    assert both.practice_id == "evening-2"
    assert 'title = "Evening (2)"' in both.script.read_text()
    replaced = install(shared, replace=True)
    assert replaced.replaced is not None and up.recording_files("evening") == {}
    up.remove("evening")
    up.restore(replaced.replaced)                 # the person's own version, recordings too
    assert set(up.recording_files("evening")) == {"notice", "notice.2"}


def test_a_bundled_name_can_only_be_kept_beside(tmp_path):
    shared = read_shared(paths.BUNDLED_SCRIPTS_DIR / "grounding.toml")
    with pytest.raises(NameClash) as clash:
        install(shared, replace=True)
    assert clash.value.bundled
    assert install(shared, keep_both=True).practice_id == "grounding-2"


def archive(tmp_path: Path, entries: dict[str, bytes], *, manifest: dict | None = None,
            links: tuple[str, ...] = (), name: str = "hostile.sbpractice") -> Path:
    import hashlib
    files = {n: hashlib.sha256(d).hexdigest() for n, d in entries.items()}
    document = manifest if manifest is not None else {
        "format": "securebase-practice", "version": 1, "note": "", "files": files}
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as out:
        out.writestr(MANIFEST, json.dumps(document))
        for entry, data in entries.items():
            info = zipfile.ZipInfo(entry)
            mode = stat.S_IFLNK if entry in links else stat.S_IFREG
            info.external_attr = (mode | 0o644) << 16
            out.writestr(info, data)
    return path


def refused(path: Path) -> str:
    with pytest.raises(ShareError) as info:
        read_shared(path)
    message = str(info.value)
    assert "Traceback" not in message and len(message) < 300
    assert list(paths.user_scripts_dir().iterdir()) == []
    return message


GOOD = TEXT.encode()


@pytest.mark.parametrize("entries, links, fragment", [
    ({SCRIPT: GOOD, "../evil.toml": b"x"}, (), "does not belong"),
    ({SCRIPT: GOOD, "/etc/passwd": b"x"}, (), "does not belong"),
    ({SCRIPT: GOOD, "recordings/../../x.wav": b"x"}, (), "does not belong"),
    ({SCRIPT: GOOD, "recordings\\..\\x.wav": b"x"}, (), "does not belong"),
    ({SCRIPT: GOOD, "run.sh": b"#!/bin/sh\nrm -rf ~"}, (), "does not belong"),
    ({SCRIPT: GOOD, "recordings/": b""}, (), "does not belong"),
    ({SCRIPT: GOOD, "recordings/notice.wav": b"/etc/passwd"}, ("recordings/notice.wav",),
     "a link or a folder"),
    ({SCRIPT: GOOD, "recordings/nobody.wav": tone_wav(0.2)}, (), "belongs to no step"),
    ({SCRIPT: GOOD, "recordings/notice.wav": b"RIFF not really"}, (), "not a WAV"),
    ({SCRIPT: GOOD, "recordings/notice.wav": tone_wav(0.2, rate=8000)}, (), "22,050 Hz"),
    ({}, (), "has no practice.toml"),
    ({SCRIPT: GOOD.replace(b"minutes = 3", b'minutes = "three"')}, (), "should be a number"),
    ({SCRIPT: GOOD.replace(b'tags = ["gentle", "body"]', b"tags = " + b"[" * 500 +
                           b"]" * 500)}, (), "nested more than"),
    ({SCRIPT: b"x" * 1_000_001}, (), "larger than Secure Base accepts"),
    ({SCRIPT: b"\xff\xfe title"}, (), "not UTF-8"),
])
def test_hostile_archives_are_refused_with_a_plain_message(tmp_path, entries, links, fragment):
    assert fragment in refused(archive(tmp_path, entries, links=links))


@pytest.mark.parametrize("manifest, fragment", [
    ({"format": "other"}, "not a practice shared"),
    ({"format": "securebase-practice", "version": 99}, "another version"),
    ({"format": "securebase-practice", "version": 1, "note": "<b>hi</b>", "files": {}},
     "note"),
    ({"format": "securebase-practice", "version": 1, "note": "", "files": {}},
     "list of contents"),
    ([[[[]]]], "not a practice shared"),
])
def test_a_wrong_manifest_is_refused(tmp_path, manifest, fragment):
    assert fragment in refused(archive(tmp_path, {SCRIPT: GOOD}, manifest=manifest))


def test_checksums_catch_a_changed_entry(tmp_path):
    path = archive(tmp_path, {SCRIPT: GOOD})
    raw = path.read_bytes().replace(b'title = "Evening"', b'title = "Evenint"')
    path.write_bytes(raw)
    assert "checksum" in refused(path) or "damaged" in refused(path)


def test_a_zip_bomb_is_refused_by_its_sizes_before_unpacking(tmp_path):
    path = tmp_path / "bomb.sbpractice"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(MANIFEST, "{}")
        out.writestr(SCRIPT, b"#" * (50 * 2**20))       # 50 MB of one byte: ~50 KB packed
    assert path.stat().st_size < 200_000
    assert "larger than Secure Base accepts" in refused(path)


def test_not_a_zip_a_pipe_and_a_giant_are_refused(tmp_path):
    junk = tmp_path / "junk.sbpractice"
    junk.write_bytes(b"\x00" * 100)
    assert "not a zip file" in refused(junk)
    fifo = tmp_path / "fifo.sbpractice"
    os.mkfifo(fifo)
    assert "not a regular file" in refused(fifo)
    giant = tmp_path / "giant.sbpractice"
    with open(giant, "wb") as handle:
        handle.truncate(201 * 2**20)                    # sparse: no real disk used
    assert "larger than a shared practice" in refused(giant)


@pytest.mark.parametrize("old, new, fragment", [
    (b'title = "Evening"', b'title = "<b>Calm</b>"', "The title in hostile.sbpractice has "
     "markup in it (<b>)"),
    (b"Let your breath be", b"Let <img src=x onerror=alert(1)> your breath be",
     "text of step “arrive”"),
    (b'title = "Rest"', b'title = "Rest\\u202e"', "invisible control character (U+202E)"),
])
def test_markup_and_controls_in_a_shared_practice_are_refused(tmp_path, old, new, fragment):
    assert fragment in refused(archive(tmp_path, {SCRIPT: GOOD.replace(old, new)}))


@pytest.mark.parametrize("text", ["Less than < 5 minutes", "a -> b", "5 > 3 and 2 < 4",
                                  "Tab\tand newline\n"])
def test_ordinary_punctuation_is_plain(text):
    from app.core.plain_text import plain_text_problem
    assert plain_text_problem(text) is None
