"""An unsaved practice is never lost when the system closes the app: close_for_system (log-out,
shutdown, Ctrl+C) cannot ask "save or leave?", so the draft is kept on disk and offered back
the next time the editor opens: open it, keep it for later, or let it go."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from app.storage import editor_drafts
from app.ui.main_window import MainWindow
from tests.ui.test_editor import window  # noqa: F401 (fixture)

WORDS = "Evening rest, first try"


def write_unsaved(qtbot, window) -> None:  # noqa: F811
    window.your_practices().new()
    page = window.made_your_practices().editor
    page.form.title.setFocus()
    qtbot.keyClicks(page.form.title, WORDS)
    assert page.draft.dirty


def answer(monkeypatch, choice: str, said: dict) -> None:
    def clicked(box):
        said["text"] = box.text()
        return next(b for b in box.buttons() if b.text() == choice)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: None)
    monkeypatch.setattr(QMessageBox, "clickedButton", clicked)


def quit_by_system(qtbot, window) -> None:  # noqa: F811
    write_unsaved(qtbot, window)
    window.close_for_system("test")
    assert not window.isVisible()                        # closed without asking anyone


def reopen(qtbot, window):  # noqa: F811
    again = MainWindow(window.context)
    qtbot.addWidget(again)
    again.your_practices().new()
    return again, again.made_your_practices()


def test_a_system_quit_keeps_the_unsaved_draft(qtbot, window):  # noqa: F811
    quit_by_system(qtbot, window)
    [kept] = editor_drafts.kept()
    assert WORDS in kept.state["text"] and kept.state["title"] == WORDS


def test_the_kept_draft_is_offered_and_opens_as_it_was(qtbot, window, monkeypatch):  # noqa: F811
    quit_by_system(qtbot, window)
    said: dict = {}
    answer(monkeypatch, "Open them", said)
    again, yours = reopen(qtbot, window)
    assert f"“{WORDS}” had changes that were not saved" in said["text"]
    page = yours.editor
    assert page.form.title.text() == WORDS and page.draft.dirty
    assert len(editor_drafts.kept()) == 1                # kept until saved or let go
    answer(monkeypatch, "Leave without saving", said)    # the person's own choice now
    assert yours.close_editor()
    assert editor_drafts.kept() == []
    again.close()


@pytest.mark.parametrize("choice, left", [("Not now", 1), ("Let them go", 0)])
def test_not_now_keeps_it_and_let_them_go_removes_it(qtbot, window, monkeypatch, choice,  # noqa: F811
                                                     left):
    quit_by_system(qtbot, window)
    answer(monkeypatch, choice, {})
    again, yours = reopen(qtbot, window)
    assert yours.editor.form.title.text() != WORDS       # the new practice asked for
    assert len(editor_drafts.kept()) == left
    yours.editor.draft.dirty = False
    again.close()


def test_a_person_closing_the_window_is_still_asked(qtbot, window, monkeypatch):  # noqa: F811
    write_unsaved(qtbot, window)
    said: dict = {}
    answer(monkeypatch, "Keep editing", said)
    window.close()
    assert window.isVisible() and "not saved" in said["text"]
    assert editor_drafts.kept() == []
