"""PracticeFiles, the window's door to the person's own practices: each change is done off
the GUI thread, the library is read again and said once, and a failure is one calm sentence."""
from __future__ import annotations

import errno

import pytest

from app.qt import practice_files
from app.qt.practice_files import PracticeFiles
from app.storage import user_practices
from tests.core.test_practice_doc import HAND_WRITTEN


@pytest.fixture
def files(qapp, securebase_home):
    made = PracticeFiles()
    yield made
    made.deleteLater()


def wait_for(qtbot, box: list):
    qtbot.waitUntil(lambda: bool(box), timeout=10_000)
    return box[0]


def own_ids(practices) -> list[str]:
    return sorted(p.id for p in practices if not p.bundled)


def test_a_saved_practice_is_in_the_library_said_once_then_deleted_and_put_back(qtbot, files):
    libraries: list[list[str]] = []
    files.library_changed.connect(lambda practices, _broken: libraries.append(own_ids(practices)))
    saved: list = []
    files.save("evening", HAND_WRITTEN, saved.append)
    path = wait_for(qtbot, saved)
    assert path.name == "evening.toml" and libraries == [["evening"]]
    assert files.script_text(path) == HAND_WRITTEN and "evening" in files.taken_ids()
    removed: list = []
    files.remove("evening", removed.append)
    wait_for(qtbot, removed)
    assert libraries[-1] == [] and "evening" not in files.taken_ids()
    back: list = []
    files.restore(removed[0], back.append)
    library, _broken = wait_for(qtbot, back)
    assert own_ids(library) == ["evening"] and libraries[-1] == ["evening"]
    assert len(libraries) == 3


def test_recordings_are_kept_and_taken_away_off_the_gui_thread(qtbot, files):
    done: list = []
    files.save_recording("evening", "arrive", b"RIFF-take", done.append)
    path = wait_for(qtbot, done)
    assert path == files.recording_path("evening", "arrive") and path.read_bytes() == b"RIFF-take"
    assert files.recordings("evening") == {"arrive": path}
    gone: list = []
    files.remove_recording("evening", "arrive", lambda _none: gone.append(True))
    wait_for(qtbot, gone)
    assert files.recordings("evening") == {}


def test_deleting_what_is_not_there_is_one_calm_sentence(qtbot, files):
    with qtbot.waitSignal(files.failed, timeout=10_000) as said:
        files.remove("nothing-here", lambda _r: None)
    assert said.args == ["There is no practice of yours called 'nothing-here'."]


@pytest.mark.parametrize(("exc", "said"), [
    (user_practices.PracticeFileError("it is in the way."), "It is in the way."),
    (user_practices.PracticeFileError("a name is taken"), "A name is taken."),
    (OSError(errno.EACCES, "Permission denied"),
     "The practice could not be saved (Permission denied)."),
    (OSError("no errno"), "The practice could not be saved (OSError)."),
    (ValueError("inner details"), "The practice could not be saved (ValueError)."),
])
def test_every_failure_is_said_plainly(exc, said):
    assert practice_files._plain(exc, "The practice could not be saved") == said


def test_a_failed_save_is_said_through_failed(qtbot, files, monkeypatch):
    def full(*_args):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(user_practices, "save_script", full)
    with qtbot.waitSignal(files.failed, timeout=10_000) as said:
        files.save("evening", HAND_WRITTEN, lambda _p: None)
    assert said.args == ["The practice could not be saved (No space left on device)."]


# -- sharing -------------------------------------------------------------------------------------

def saved(qtbot, files) -> object:
    done: list = []
    files.save("evening", HAND_WRITTEN, done.append)
    return wait_for(qtbot, done)


def test_a_practice_shared_as_a_file_opens_with_what_it_is_and_adds_back(qtbot, files, tmp_path):
    script = saved(qtbot, files)
    exported: list = []
    files.export(script, tmp_path / "evening.sbpractice", False, "For you.", exported.append)
    out = wait_for(qtbot, exported)
    assert out.is_file()
    opened: list = []
    files.open_shared(out, lambda shared, summary: opened.append((shared, summary)),
                      lambda message: opened.append(message))
    shared, summary = wait_for(qtbot, opened)
    assert shared.practice.id == "evening" and shared.note == "For you."
    assert "Evening" in summary
    clashes: list = []
    files.install(shared, lambda done: clashes.append(done),
                  lambda message, bundled: clashes.append((message, bundled)))
    message, bundled = wait_for(qtbot, clashes)         # the person has one of that name
    assert "evening" in message.lower() and bundled is False
    kept: list = []
    files.install(shared, kept.append, lambda *_a: kept.append("clash"), keep_both=True)
    installed = wait_for(qtbot, kept)
    assert installed.practice_id != "evening" and installed.script.is_file()
    assert installed.practice_id in files.taken_ids()


def test_a_file_that_is_not_a_practice_is_said_plainly(qtbot, files, tmp_path):
    junk = tmp_path / "junk.sbpractice"
    junk.write_bytes(b"not a zip at all")
    said: list = []
    files.open_shared(junk, lambda *_a: said.append("opened"), said.append)
    message = wait_for(qtbot, said)
    assert message != "opened" and message.endswith(".") and "Traceback" not in message


def test_adding_fails_plainly_when_the_disk_refuses(qtbot, files, tmp_path, monkeypatch):
    script = saved(qtbot, files)
    exported: list = []
    files.export(script, tmp_path / "evening.sbpractice", False, "", exported.append)
    opened: list = []
    files.open_shared(wait_for(qtbot, exported), lambda s, _summary: opened.append(s),
                      opened.append)
    shared = wait_for(qtbot, opened)
    import app.storage.practice_share as share

    def refused(*_a, **_k):
        raise OSError(13, "Permission denied")
    monkeypatch.setattr(share, "install", refused)
    with qtbot.waitSignal(files.failed, timeout=10_000) as said:
        files.install(shared, lambda _d: None, lambda *_a: None, replace=True)
    assert said.args == ["The practice could not be added (Permission denied)."]


def test_the_trash_is_emptied_so_a_deleted_practice_cannot_come_back(qtbot, files):
    from app import paths
    saved(qtbot, files)
    removed: list = []
    files.remove("evening", removed.append)
    trashed = wait_for(qtbot, removed)
    assert any(paths.trash_dir().iterdir())
    files.empty_trash()
    qtbot.waitUntil(lambda: not any(paths.trash_dir().iterdir()), timeout=5000)
    with qtbot.waitSignal(files.failed, timeout=10_000) as said:
        files.restore(trashed)
    assert said.args[0].startswith("The practice could not be put back")
