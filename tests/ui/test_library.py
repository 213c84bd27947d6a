"""The library lists practices as cards and broken scripts greyed, with their problems."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.problems import BrokenScript, ScriptProblem
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


def test_the_more_menu_offers_share_add_and_delete_when_it_opens(qtbot):
    """The "More…" button has its menu (and its arrow) from the start; the menu's actions are
    made when it first opens, enabled as the selection allows, and each asks for its task."""
    from dataclasses import replace

    from PySide6.QtCore import QPoint
    practices, _ = load_all()
    own = replace(practices[0], id="mine", bundled=False)
    view = LibraryView([*practices, own], [], LIGHT)
    qtbot.addWidget(view)
    bar = view.yours
    assert bar.more.menu() is bar.menu
    view.list.setCurrentRow(0)                            # a bundled practice
    bar.menu.popup(QPoint(0, 0))
    qtbot.waitUntil(bar.menu.isVisible)
    share, add, delete = bar.menu.actions()
    assert [a.text() for a in (share, add, delete)] == [
        "Share as a file…", "Add a practice from a file…", "Delete"]
    assert share.isEnabled() and add.isEnabled() and not delete.isEnabled()
    bar.menu.close()
    asked: list[object] = []
    view.share_requested.connect(lambda p: asked.append(("share", p)))
    view.import_requested.connect(lambda: asked.append(("add", None)))
    view.delete_requested.connect(lambda p: asked.append(("delete", p)))
    share.trigger()
    add.trigger()
    assert view.select("mine")                            # the person's own: deletable
    assert delete.isEnabled()
    delete.trigger()
    assert asked == [("share", practices[0]), ("add", None), ("delete", own)]
    header = next(row for row in range(view.list.count())
                  if view.list.item(row).data(HEADER_ROLE))
    view.list.setCurrentRow(header)                       # no practice: nothing to share
    assert not share.isEnabled() and not delete.isEnabled() and add.isEnabled()
    bar.menu.popup(QPoint(0, 0))                          # opened again: the same actions
    qtbot.waitUntil(bar.menu.isVisible)
    assert bar.menu.actions() == [share, add, delete]
    bar.menu.close()


def test_a_card_is_painted_with_the_heights_measured_for_it(qtbot, monkeypatch):
    """A list of one column paints each card as wide as its viewport, a scroll bar's margin
    wider than the width it lays the cards out in: the texts' heights are measured at the
    painted width when the cards are laid out, so painting measures nothing again (on main
    each painted card wrapped its three texts a second time, 15 more measures before the
    first frame)."""
    from app.ui.library import delegate as cards
    measured: list[tuple[str, int]] = []
    height = cards._height

    def measuring(font, text, width):
        measured.append((text, width))
        return height(font, text, width)
    monkeypatch.setattr(cards, "_height", measuring)
    painted: list[tuple[int, list[tuple[str, int]]]] = []
    paint = cards.LibraryDelegate.paint

    def painting(delegate, painter, option, index) -> None:
        before = len(measured)
        paint(delegate, painter, option, index)
        painted.append((index.row(), measured[before:]))     # what painting it measured
    monkeypatch.setattr(cards.LibraryDelegate, "paint", painting)  # before the view is made
    from app.ui.common.theme import stylesheet
    practices, _ = load_all()
    view = LibraryView(practices, [], LIGHT)
    qtbot.addWidget(view)
    view.setStyleSheet(stylesheet(LIGHT))     # the window's: the list's padding, its bar
    view.resize(700, 500)
    view.show()
    qtbot.waitUntil(lambda: bool(painted))
    assert view.list.verticalScrollBar().isVisible()      # the case where the widths differ
    assert [row for row, again in painted if again] == [], painted
