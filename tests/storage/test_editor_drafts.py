"""Drafts kept at a system quit: each written whole and private under its own name (never
over another), read back oldest first, removed only on purpose, and an unreadable one left
where it is (never deleted)."""
from __future__ import annotations

import stat

from app.storage import editor_drafts
from app.storage.wipe import personal_files

STATE = {"text": "[practice]\ntitle = \"Mine ✓\"\n", "id_fixed": False, "fixed_steps": []}


def test_kept_whole_private_and_read_back(securebase_home):
    path = editor_drafts.keep(STATE)
    assert path.parent == editor_drafts.folder() == securebase_home / "drafts"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    [back] = editor_drafts.kept()
    assert back.path == path and back.state["text"] == STATE["text"] and back.state["kept_at"]
    editor_drafts.forget(path)
    assert editor_drafts.kept() == [] and not path.exists()
    editor_drafts.forget(path)                          # twice is fine


def test_a_second_quit_never_writes_over_the_first(securebase_home):
    first = editor_drafts.keep(STATE)
    second = editor_drafts.keep({**STATE, "text": "other words"})
    assert first != second
    assert [k.state["text"] for k in editor_drafts.kept()] == [STATE["text"], "other words"]


def test_an_unreadable_draft_is_left_in_place(securebase_home):
    path = editor_drafts.folder() / "draft-20260101T000000-1.json"
    path.parent.mkdir(mode=0o700)
    for data in (b"{not json", b'{"text": 3}', b"[]", b"\xff\xfe"):
        path.write_bytes(data)
        assert editor_drafts.kept() == []
        assert path.read_bytes() == data


def test_delete_all_my_data_includes_kept_drafts(securebase_home):
    assert editor_drafts.folder() in personal_files()
