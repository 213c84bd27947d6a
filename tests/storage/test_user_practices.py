"""The person's own practices on disk: private files, deletion that Undo puts back whole."""
from __future__ import annotations

import stat

import pytest

from app import paths
from app.storage import user_practices as up
from tests.storage.test_practice_share import TEXT, tone_wav


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_scripts_and_recordings_are_private():
    script = up.save_script("evening", TEXT)
    wav = up.save_recording("evening", "notice.2", tone_wav(0.2))
    assert mode(script) == 0o600 and mode(wav) == 0o600
    assert mode(wav.parent) == 0o700 and mode(paths.recordings_dir()) == 0o700
    assert up.recording_files("evening") == {"notice.2": wav}


def test_remove_and_restore_put_everything_back(securebase_home):
    up.save_script("evening", TEXT)
    up.save_recording("evening", "arrive", tone_wav(0.2))
    before = sorted(p.relative_to(securebase_home) for p in securebase_home.rglob("*")
                    if p.is_file())
    removed = up.remove("evening")
    assert not up.script_path("evening").exists() and up.recording_files("evening") == {}
    assert "evening" not in up.taken_ids()
    up.restore(removed)
    after = sorted(p.relative_to(securebase_home) for p in securebase_home.rglob("*")
                   if p.is_file())
    assert after == before and list(paths.trash_dir().iterdir()) == []


def test_restore_never_overwrites_a_newer_practice_of_the_same_name():
    up.save_script("evening", TEXT)
    removed = up.remove("evening")
    up.save_script("evening", TEXT.replace("Evening", "Another"))
    with pytest.raises(up.PracticeFileError, match="exists again"):
        up.restore(removed)
    assert "Another" in up.script_path("evening").read_text()
    up.empty_trash()
    assert list(paths.trash_dir().iterdir()) == []


@pytest.mark.parametrize("bad", ["../x", "", "A", ".hidden", "a/b", "x" * 80])
def test_ids_that_cannot_name_a_file_are_refused(bad):
    with pytest.raises(up.PracticeFileError):
        up.script_path(bad)
    with pytest.raises(up.PracticeFileError):
        up.recording_path("evening", bad)


def test_a_bundled_name_is_never_written_and_links_are_not_recordings():
    with pytest.raises(up.PracticeFileError, match="comes with the app"):
        up.save_script("grounding", TEXT)
    folder = up.recordings_folder("evening", create=True)
    (folder / "arrive.wav").symlink_to("/etc/passwd")
    assert up.recording_files("evening") == {}
