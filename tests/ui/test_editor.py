"""The practice editor, driven as a person would: by keyboard only, from a new practice to
playing it; messages appear beside their field and clear; steps move; a hand-written script
keeps its comments; delete has Undo; a dropped shared file is shown, then added."""
from __future__ import annotations

import tomllib

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication, QWidget

from app import paths
from app.storage.script_files import load_all
from app.storage import user_practices as up
from app.storage.preferences import Preferences
from app.ui.common.keys import install_key_policy
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from tests.core.test_practice_doc import HAND_WRITTEN
from tests.support.journal import close_context

TAB_LIMIT = 120


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: False)
    practices, broken = load_all()
    context = AppContext(practices, broken, Preferences(), journal_path=str(tmp_path / "j.db"))
    install_key_policy()
    win = MainWindow(context)      # closed here, not by qtbot: an unsaved draft would ask
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    yield win
    yours = win.made_your_practices()
    if yours is not None and yours.editor is not None:
        yours.editor.draft.dirty = False
    if win.session is not None:
        win.session.shutdown()
    win.close()
    win.deleteLater()
    close_context(context)


def focused() -> QWidget:
    return QApplication.focusWidget()


def tab_to(qtbot, target: QWidget, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until `target` has the focus: it must be reachable."""
    key = Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab
    for _ in range(TAB_LIMIT):
        if focused() is target:
            return
        qtbot.keyClick(focused(), key)
    raise AssertionError(f"{target.accessibleName() or target} is not reachable with Tab")


def type_into(qtbot, target: QWidget, text: str) -> None:
    tab_to(qtbot, target)
    qtbot.keyClicks(target, text)


def editor(window):
    return window.made_your_practices().editor


def messages_under(page, widget_key: str) -> str:
    return page.step_editor.messages[widget_key].shown_text


def test_a_practice_from_scratch_by_keyboard_only(window, qtbot):
    window.library.focus_list()
    tab_to(qtbot, window.library.yours.new_button)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    page = editor(window)
    assert page is not None and focused() is page.form.title
    assert not page.general.shown_text                    # nothing said before any typing
    qtbot.keyClicks(focused(), "Evening rest")
    type_into(qtbot, page.form.summary, "A few quiet minutes before sleep.")
    tab_to(qtbot, page.form.tag_boxes["gentle"])
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    type_into(qtbot, page.step_editor.title, "Arrive")
    type_into(qtbot, page.step_editor.say, "Let yourself settle. [pause x]")
    # the check runs a moment after typing stops, and speaks beside the field
    qtbot.waitUntil(lambda: "needs a number" in messages_under(page, "say"), timeout=3000)
    assert page.step_editor.say.accessibleDescription() == messages_under(page, "say")
    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)
    qtbot.keyClick(focused(), Qt.Key.Key_Backspace)
    qtbot.keyClicks(focused(), "3] Notice your breath.")
    qtbot.waitUntil(lambda: messages_under(page, "say") == "", timeout=3000)
    tab_to(qtbot, page.step_editor.ask_body)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert page.draft.doc.step(0).ask_body
    # a second step, by keyboard, that waits for the person
    tab_to(qtbot, page.step_list.add, backwards=True)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert focused() is page.step_editor.title and page.step_list.current() == 1
    qtbot.keyClicks(focused(), "Rest")
    type_into(qtbot, page.step_editor.say, "Stay here for as long as you like.")
    tab_to(qtbot, page.step_editor.wait)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    # reorder: Alt+Up while editing the step, then back with Alt+Down in the list
    qtbot.keyClick(focused(), Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert page.draft.doc.step_ids() == ["rest", "arrive"]
    assert page.step_list.list.item(0).text().startswith("1. Rest")
    tab_to(qtbot, page.step_list.list, backwards=True)
    qtbot.keyClick(focused(), Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    assert page.draft.doc.step_ids() == ["arrive", "rest"]
    # save with Ctrl+S: the file is the practice, and it checks clean
    qtbot.keyClick(focused(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: page.state.text() == "Saved", timeout=5000)
    script = up.script_path("evening-rest")
    data = tomllib.loads(script.read_text())
    assert data["practice"]["title"] == "Evening rest" and data["practice"]["tags"] == ["gentle"]
    assert [s["id"] for s in data["step"]] == ["arrive", "rest"] and data["step"][1]["wait"]
    assert page.run_check().messages == ()                 # no problem, no warning
    # back to the library by keyboard: it is there, chosen; Enter begins it
    tab_to(qtbot, page.back, backwards=True)
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert editor(window) is None and window.stack.currentWidget() is window.library
    chosen = window.library.current_practice()
    assert chosen is not None and chosen.id == "evening-rest" and not chosen.bundled
    assert focused() is window.library.list
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    assert window.session is not None and window.session.practice.id == "evening-rest"


def test_a_hand_written_script_keeps_its_comments_through_the_editor(window, qtbot):
    up.save_script("evening", HAND_WRITTEN)
    window.your_practices().files.reload()
    qtbot.waitUntil(lambda: window.library.select("evening"), timeout=5000)
    window.library.edit_requested.emit(window.library.current_practice())
    page = editor(window)
    page.form.title.setFocus()
    page.form.title.selectAll()
    qtbot.keyClicks(page.form.title, "Evening, gently")
    page.save()
    qtbot.waitUntil(lambda: page.state.text() == "Saved", timeout=5000)
    text = up.script_path("evening").read_text()
    assert 'title = "Evening, gently"   # shown in the library' in text
    for comment in ("# My evening practice", "# First, arriving.", "# the end"):
        assert comment in text
    # nothing else changed, but `minutes`, which follows the script's own length
    assert text.replace("Evening, gently", "Evening") == HAND_WRITTEN.replace(
        "minutes = 2", _minutes(text))


def _minutes(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("minutes = "))


def test_delete_has_undo_and_a_dropped_file_is_shown_then_added(window, qtbot, tmp_path,
                                                                monkeypatch):
    from app.storage.practice_share import export_practice
    script = up.save_script("evening", HAND_WRITTEN)
    shared = export_practice(script, tmp_path / "evening.sbpractice", note="With care")
    yours = window.your_practices()
    yours.files.reload()
    qtbot.waitUntil(lambda: window.library.select("evening"), timeout=5000)
    window.library.delete_requested.emit(window.library.current_practice())
    qtbot.waitUntil(lambda: window.library.yours.undo_button.isVisibleTo(window), timeout=5000)
    assert not script.exists() and not window.library.select("evening")
    qtbot.mouseClick(window.library.yours.undo_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.library.select("evening"), timeout=5000)
    assert script.read_text() == HAND_WRITTEN
    shown: list[str] = []
    monkeypatch.setattr("app.ui.library.share.ImportDialog.exec",
                        lambda dialog: shown.append(dialog.summary.text()) or 1)
    monkeypatch.setattr("app.ui.library.share.ask_clash", lambda *_args: "keep")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(shared))])
    drop = QDropEvent(QPointF(400, 300), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(drop)
    qtbot.waitUntil(lambda: window.library.select("evening-2"), timeout=5000)
    assert "“Evening”: 3 steps" in shown[0] and "A note from its author: With care" in shown[0]
    assert up.script_path("evening-2").exists()


def test_a_hostile_dropped_file_is_refused_plainly(window, qtbot, tmp_path):
    bad = tmp_path / "bad.sbpractice"
    bad.write_bytes(b"PK\x03\x04 this is not a practice")
    window.your_practices().import_file(bad)
    notice = window.library.yours.notice
    qtbot.waitUntil(lambda: notice.isVisibleTo(window), timeout=5000)
    assert notice.text().startswith("Bad.sbpractice is not a shared practice")
    assert list(paths.user_scripts_dir().iterdir()) == []


def test_dragging_a_step_moves_it_in_the_practice(window, qtbot):
    window.your_practices().new()
    page = editor(window)
    for title in ("One", "Two", "Three"):
        if page.draft.doc.step_count < 3 and title != "One":
            page.add_step()
        page.step_editor.title.setText(title)
        page._step_changed("title", title)
    steps = page.step_list.list
    steps.setCurrentRow(2)
    first = steps.visualItemRect(steps.item(0))
    mime = steps.model().mimeData([steps.model().index(2, 0)])
    drop = QDropEvent(QPointF(first.center().x(), first.top() + 2), Qt.DropAction.MoveAction,
                      mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    steps.dropEvent(drop)
    assert page.draft.doc.step_ids() == ["three", "one", "two"]
    assert [steps.item(i).text() for i in range(3)] == ["1. Three", "2. One", "3. Two"]


def test_a_save_with_a_problem_shows_the_field_and_its_message(window, qtbot):
    """In a small window the problem's field and the words about it are scrolled into view."""
    from app.ui.common.theme import stylesheet
    window.setStyleSheet(stylesheet(window.context.palette))    # the sizes people see
    window.resize(900, 600)
    window.your_practices().new()
    page = editor(window)
    qtbot.keyClicks(page.form.title, "Evening rest")
    qtbot.keyClicks(page.form.summary, "A quiet end to the day.")
    qtbot.keyClicks(page.step_editor.title, "Arrive")
    page.step_editor.say.setFocus()
    qtbot.keyClicks(page.step_editor.say, "Settle here. [pause x] And breathe.")
    page.area.verticalScrollBar().setValue(0)     # scrolled up to look at the title
    page.save()
    message = page.step_editor.messages["say"]
    assert "needs a number" in message.shown_text and focused() is page.step_editor.say
    viewport = page.area.viewport()
    for widget in (page.step_editor.say, message):
        top_left = widget.mapTo(viewport, widget.rect().topLeft())
        shown = viewport.rect().contains(top_left) and viewport.rect().contains(
            widget.mapTo(viewport, widget.rect().bottomRight()))
        assert shown, f"{widget.accessibleName() or widget.accessibleDescription()} is not in view"
