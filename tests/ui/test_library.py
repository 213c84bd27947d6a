"""The library lists practices as cards and broken scripts greyed, with their problems."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.practice import BrokenScript, ScriptProblem
from app.storage.script_files import load_all
from app.ui.library.delegate import BROKEN_ROLE, HEADER_ROLE, PRACTICE_ROLE, SUMMARY_ROLE
from app.ui.library.view import LibraryView
from app.ui.common.theme import LIGHT


def test_practices_then_broken_scripts(qtbot, tmp_path):
    practices, _ = load_all()
    path = tmp_path / "mine.toml"
    broken = [BrokenScript(path, (ScriptProblem(path, 4, "minutes should be a number"),))]
    view = LibraryView(practices, broken, LIGHT)
    qtbot.addWidget(view)
    rows = view.list.count()
    assert rows == len(practices) + 2                    # the "Your practices" heading too
    heading = view.list.item(len(practices))
    assert heading.data(HEADER_ROLE) and heading.data(PRACTICE_ROLE) is None
    assert "Your practices" in heading.text()
    last = view.list.item(rows - 1)
    assert last.data(BROKEN_ROLE) and last.data(PRACTICE_ROLE) is None
    assert f"{path}:4: minutes should be a number" in last.data(SUMMARY_ROLE)
    chosen = []
    view.practice_chosen.connect(chosen.append)
    view.list.setCurrentRow(rows - 1)
    assert not view.begin.isEnabled()                    # a broken script cannot start
    view.list.setCurrentRow(1)
    qtbot.mouseClick(view.begin, Qt.MouseButton.LeftButton)
    assert chosen == [practices[1]]
    assert practices[1].title in view.list.item(1).text()   # what a screen reader reads


def test_cards_are_painted_in_the_state_qt_gives_them(qtbot, monkeypatch):
    """The delegate reads "selected" and "has the focus ring" from the list instead of from
    option.state (see LibraryDelegate._state): on every painted row, both agree with the
    state bits QListView passes, with and without the keyboard in the list."""
    from app.ui.library.delegate import STATE_HAS_FOCUS, STATE_SELECTED, LibraryDelegate
    seen: list[tuple[tuple[bool, bool], tuple[bool, bool]]] = []
    paint = LibraryDelegate.paint

    def watched(delegate, painter, option, index) -> None:
        state = int(option.state.value)
        seen.append(((bool(state & STATE_SELECTED), bool(state & STATE_HAS_FOCUS)),
                     LibraryDelegate._state(delegate, option, index)))
        paint(delegate, painter, option, index)
    monkeypatch.setattr(LibraryDelegate, "paint", watched)   # before the view: PySide
    practices, _ = load_all()                                # looks overrides up once
    view = LibraryView(practices, [], LIGHT)
    qtbot.addWidget(view)
    view.resize(700, 900)
    view.show()
    qtbot.waitUntil(lambda: bool(seen))         # the list's first paint (its items laid out)
    view.activateWindow()
    for row, focused in ((1, False), (2, True)):
        view.list.setCurrentRow(row)
        (view.list if focused else view.begin).setFocus()
        seen.clear()
        view.list.viewport().repaint()
        assert seen and all(qt == ours for qt, ours in seen), seen
        assert (True, focused) in [qt for qt, _ in seen]     # the chosen card was painted
