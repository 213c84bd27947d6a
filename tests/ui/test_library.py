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
