"""The library lists practices as cards and broken scripts greyed, with their problems."""
from __future__ import annotations

import json

from PySide6.QtCore import Qt

from app.core.problems import BrokenScript, ScriptProblem
from app.storage.script_files import load_all
from app.ui.library.delegate import (
    BROKEN_ROLE, HEADER_ROLE, PRACTICE_ID_ROLE, SUMMARY_ROLE, TITLE_ROLE,
)
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
    assert heading.data(HEADER_ROLE) and heading.data(PRACTICE_ID_ROLE) is None
    assert "Your practices" in heading.text()
    last = view.list.item(rows - 1)
    assert last.data(BROKEN_ROLE) and last.data(PRACTICE_ID_ROLE) is None
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
    measure = cards._measure

    def measuring(font, text, width):
        measured.append((text, width))
        return measure(font, text, width)
    monkeypatch.setattr(cards, "_measure", measuring)
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


def test_a_narrower_list_measures_again_only_the_texts_that_no_longer_fit(qtbot, monkeypatch):
    """The list is laid out again when its scroll bar appears, 12 px narrower (at start-up,
    after the cards were measured without it): a text wraps the same at any width down to
    its widest line, so only the cards with a line in those 12 px are measured again (on
    main every card's texts were measured again: 30 more measures, ~3 million instructions
    before the first frame, bench/startup_instructions.py)."""
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QStyleOptionViewItem
    from app.ui.library import delegate as cards
    measured: list[tuple[str, int]] = []
    measure = cards._measure

    def measuring(font, text, width):
        if text:
            measured.append((text, width))
        return measure(font, text, width)
    monkeypatch.setattr(cards, "_measure", measuring)
    practices, _ = load_all()
    view = LibraryView(practices, [], LIGHT)
    qtbot.addWidget(view)
    option = QStyleOptionViewItem()
    option.font = QFont("Cantarell", 11)
    rows = [view.list.model().index(row, 0) for row in range(view.list.count())]
    wide = [view.delegate._layout(option, index, 640) for index in rows]
    first = len(measured)
    assert first >= 2 * len(practices)
    narrower = [view.delegate._layout(option, index, 628) for index in rows]
    again = measured[first:]
    assert len(again) < first / 2, again
    # and what is given again is what measuring gives
    measured_anew = cards.LibraryDelegate(LIGHT, view.list)
    assert narrower == [measured_anew._layout(option, index, 628) for index in rows]
    assert wide == [measured_anew._layout(option, index, 640) for index in rows]


def test_text_wraps_to_the_same_height_at_every_width_its_height_is_kept_for(qapp):
    """What the card heights' reuse rests on: a text measured at a width W, its widest line
    W0 wide, is as tall at every width from W0 to W (as QFontMetrics lays it out), for every
    text of the library, in the title's font and the body's."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QFont, QFontMetrics
    from app.ui.library.delegate import WRAP, _measure
    from app.ui.library.view import YOURS_EMPTY, practice_line
    body = QFont("Cantarell", 11)
    title = QFont(body)
    title.setPointSizeF(body.pointSizeF() * 1.3)
    title.setWeight(QFont.Weight.DemiBold)
    practices, _ = load_all()
    texts = [(title, p.title) for p in practices] + [(title, "Your practices")] + [
        (body, t) for p in practices for t in (p.summary, practice_line(p))] + [
        (body, YOURS_EMPTY)]
    checked = 0
    for font, text in texts:
        metrics = QFontMetrics(font)
        for width in range(90, 1000, 13):
            height, widest = _measure(font, text, width)
            for narrower in {widest, (widest + width) // 2, width - 1}:
                if widest <= narrower <= width:
                    again = metrics.boundingRect(QRect(0, 0, narrower, 10000), WRAP, text)
                    assert again.height() == height, (text, width, narrower)
                    checked += 1
    assert checked > 3000


def test_the_window_lays_the_library_out_only_once_it_is_shown(qtbot, monkeypatch, tmp_path):
    """The library is made inside the window's stack: it is laid out when the window is
    shown, at the window's size. (Made apart and then added to the stack, its list was laid
    out on the way in, for the restyle, at a size nobody sees: every card's texts were
    measured once more before the first frame.)"""
    from app.core.preferences import Preferences
    from app.ui.context import AppContext
    from app.ui.library import delegate as cards
    from app.ui.main_window import MainWindow
    measured: list[str] = []
    measure = cards._measure

    def measuring(font, text, width):
        measured.append(text)
        return measure(font, text, width)
    monkeypatch.setattr(cards, "_measure", measuring)
    practices, broken = load_all()
    window = MainWindow(AppContext(practices, broken, Preferences(),
                                   journal_path=str(tmp_path / "journal.db")))
    qtbot.addWidget(window)
    assert measured == []
    window.show()
    qtbot.waitUntil(lambda: len(measured) >= 2 * len(practices))


# -- a cached library: drawn from its cards, its practices made when first asked for ---------

def _rows(view: LibraryView) -> list[tuple]:
    from app.ui.library.delegate import META_ROLE, TITLE_ROLE
    items = [view.list.item(row) for row in range(view.list.count())]
    return [(i.text(), i.data(TITLE_ROLE), i.data(META_ROLE), i.data(SUMMARY_ROLE),
             i.data(PRACTICE_ID_ROLE), bool(i.data(HEADER_ROLE))) for i in items]


def test_cards_show_what_the_practices_show_and_make_a_practice_only_when_chosen(qtbot):
    from app.core.library_card import card_of
    practices, _ = load_all()
    asked: list[str] = []

    def practice_of(practice_id: str):
        asked.append(practice_id)
        return next(p for p in practices if p.id == practice_id)
    eager = LibraryView(practices, [], LIGHT)
    view = LibraryView([], [], LIGHT, cards=([card_of(p) for p in practices], practice_of))
    qtbot.addWidget(eager), qtbot.addWidget(view)
    assert _rows(view) == _rows(eager)
    view.list.setCurrentRow(1)
    assert view.begin.isEnabled() and view.current_practice() is practices[1]
    assert asked == [practices[1].id]                       # showing and selecting ask nothing
    chosen = []
    view.practice_chosen.connect(chosen.append)
    qtbot.mouseClick(view.begin, Qt.MouseButton.LeftButton)
    assert chosen == [practices[1]]


def planted_window(qtbot, tmp_path):
    """A window on a cache edited by hand (its sum made right): its first card reads "A planted
    title", and its records cannot be made from it (a step no Practice holds)."""
    from app.storage import library_cache
    from app.storage.preferences import Preferences
    from app.ui.context import AppContext
    from app.ui.main_window import MainWindow
    library_cache.load_library()                            # cached
    cache = library_cache.paths.cache_dir() / "library.json"
    first_line, _, body = cache.read_bytes().partition(b"\n")
    payload = json.loads(body)
    fields = payload["practices"][0]["f"]
    fields["title"] = "A planted title"
    fields["steps"]["t"].append({"d": "Path", "f": {}})     # no Practice holds this step
    body = json.dumps(payload).encode("utf-8")
    header = {**json.loads(first_line), "crc32": library_cache._checksum(body)}
    cache.write_bytes(json.dumps(header).encode("utf-8") + b"\n" + body)
    context = AppContext([], [], Preferences(), journal_path=str(tmp_path / "journal.db"),
                         library=library_cache.load_library_lazily())
    window = MainWindow(context)
    qtbot.addWidget(window)
    return window, context


def test_the_window_makes_the_records_after_its_first_frame_and_shows_them_if_they_differ(
        qtbot, tmp_path):
    """A cache edited by hand (its sum made right) whose cards say one thing and whose records
    cannot be made: the records come from the scripts, and the library shows those."""
    window, context = planted_window(qtbot, tmp_path)
    assert window.library.list.item(0).data(TITLE_ROLE) == "A planted title"
    window._make_library_records()                          # after_first_paint's first step
    practices, _ = load_all()
    assert context.library_cards is None and context.practices == practices
    assert window.library.list.item(0).data(TITLE_ROLE) == practices[0].title
    window.library.list.setCurrentRow(0)
    assert window.library.current_practice() == practices[0]


def test_the_trash_is_emptied_after_the_first_frame_not_while_the_window_is_made(
        qtbot, monkeypatch):
    """Its timer started with the window: a first frame slower than TRASH_DELAY_MS (a loaded
    machine, a cold disk) waited for its imports and file work too."""
    from app.ui.app import build_window
    from app.ui.library import yours_wiring
    emptied: list[object] = []
    monkeypatch.setattr(yours_wiring, "TRASH_DELAY_MS", 0)
    monkeypatch.setattr(yours_wiring, "_empty_trash", emptied.append)
    window = build_window()
    qtbot.addWidget(window)
    qtbot.wait(20)
    assert emptied == []                                    # no frame yet: not yet
    window.after_first_paint()
    qtbot.waitUntil(lambda: emptied == [window], timeout=2000)
    window.context.journal.close()


def test_the_list_is_shown_again_without_the_practice_after_the_chosen_one(qtbot):
    """The first practice chosen, the one after it gone: clearing the old list moved the
    current row onto the gone one and looked its card up among the new cards (KeyError in
    the event loop, which pytest-qt fails on)."""
    from dataclasses import replace
    from tests.support.factories import tiny_practice
    practices = [replace(tiny_practice(2, practice_id=f"p{i}"), title=f"P{i}")
                 for i in range(3)]
    view = LibraryView(practices, [], LIGHT)
    qtbot.addWidget(view)
    view.list.setCurrentRow(0)
    view.set_practices([practices[0], practices[2]], [])
    assert view.current_practice().id == "p0"


def test_a_practice_chosen_before_the_first_frame_still_leaves_the_library_true(
        qtbot, tmp_path):
    """The same planted cache, and Enter on its first card before after_first_paint: the
    records come from the scripts then (the practice begun is the scripts'), and the library
    must not keep the planted card once the first frame is done (it did: the records were
    already made, so nothing compared them with the cards)."""
    window, context = planted_window(qtbot, tmp_path)
    chosen = []
    window.library.practice_chosen.disconnect()
    window.library.practice_chosen.connect(chosen.append)
    window.library.list.setCurrentRow(0)
    window.library.list.itemActivated.emit(window.library.list.item(0))   # Enter, at once
    practices, _ = load_all()
    assert chosen == [practices[0]]
    window._make_library_records()                          # after_first_paint's first step
    assert window.library.list.item(0).data(TITLE_ROLE) == practices[0].title
