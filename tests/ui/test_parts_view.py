"""The parts catalogue through its widgets: create, edit, archive, relate, and a part's page.
Everything reaches the journal through the journal service; the tests set up data on the
service's own thread (OnJournalThread) and wait for the view with `done`."""
from __future__ import annotations

import pytest
import shiboken6
from PySide6.QtCore import QPointF, Qt
from PySide6.QtWidgets import (
    QAbstractButton, QApplication, QComboBox, QLineEdit, QListWidget, QPlainTextEdit,
)

from app.storage.preferences import Preferences
from app.core.records import BodyMark, CheckIn, Part
from app.ui.context import AppContext
from app.ui.parts.relation_map import layout_rows, wrap_row
from app.ui.parts.view import PartsView
from app.ui.common.theme import LIGHT, stylesheet
from tests.support.factories import tiny_practice
from tests.support.journal import OnJournalThread, close_context, settle


@pytest.fixture
def context(tmp_path):
    ctx = AppContext([tiny_practice()], [], Preferences(), journal_path=":memory:")
    yield ctx
    close_context(ctx)


@pytest.fixture
def journal(qtbot, context):
    return OnJournalThread(qtbot, context.journal)


@pytest.fixture
def view(qtbot, context):
    QApplication.instance().setStyleSheet(stylesheet(LIGHT))
    v = PartsView(context)
    v.resize(1080, 800)
    v.show()
    qtbot.waitExposed(v)
    yield v
    # delete now, dialogs included: a closed view left for later would be re-polished by
    # every following test's setStyleSheet, which made each set-up slower than the last
    v.close()
    shiboken6.delete(v)


def click(qtbot, widget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def done(qtbot, view: PartsView) -> None:
    """Wait for a save, the refresh it starts and the page that shows."""
    settle(qtbot, view.journal, rounds=3)


def refresh(qtbot, view: PartsView, select: int | None = None) -> None:
    view.refresh(select=select)
    done(qtbot, view)


def listed(view: PartsView) -> list[str]:
    return [view.list.item(r).text().split("\n")[0] for r in range(view.list.count())]


def test_no_parts_yet_is_a_friendly_invitation(view):
    assert view.stack.currentIndex() == 0
    assert "haven't named any parts yet" in view.empty_text.text()
    assert view.empty_template.isVisible() and view.empty_new.isVisible()


def test_create_a_part_from_scratch(qtbot, view, journal):
    click(qtbot, view.empty_new)
    editor = view.editor
    assert editor.isVisible()
    qtbot.waitUntil(editor.name.hasFocus)                  # typing can start at once
    qtbot.keyClicks(editor.name, "The watcher")
    editor.role.setCurrentIndex(editor.role.findData("manager"))
    editor.does.setPlainText("Scans every room for danger.")
    editor.wants.setPlainText("For me to be safe.")
    editor.felt_age.setText("about twelve")
    click(qtbot, editor.save_button)
    done(qtbot, view)
    assert not editor.isVisible()
    [part] = journal.parts()
    assert (part.name, part.role, part.felt_age) == ("The watcher", "manager", "about twelve")
    assert part.colour                                  # a calm colour was suggested
    assert listed(view) == ["The watcher"] and view.stack.currentIndex() == 1
    assert view.page.title.text() == "The watcher"
    assert view.page.about_values["does"].text() == "Scans every room for danger."
    assert view.page.about_values["fears"].text() == "Not written yet."


def test_a_name_is_needed_and_cancel_changes_nothing(qtbot, view, journal):
    editor = view.new_part()
    click(qtbot, editor.save_button)
    assert editor.isVisible() and "name" in editor.error.text()
    assert journal.parts() == []
    click(qtbot, editor.cancel)
    assert not editor.isVisible() and journal.parts() == []


def test_create_a_part_from_a_template(qtbot, view, journal):
    chooser = view.choose_template()
    chooser.select("inner-critic")
    assert "Often found with" in chooser.preview.text()
    click(qtbot, chooser.use)
    editor = view.editor
    assert editor.name.text() == "The inner critic"
    editor.name.setText("My critic")                      # the person makes it their own
    click(qtbot, editor.save_button)
    done(qtbot, view)
    [part] = journal.parts()
    assert (part.name, part.role) == ("My critic", "manager")
    assert "jaw" in part.where_felt and part.does.startswith("Comments on")


def test_edit_words_and_where_it_is_felt(qtbot, view, journal):
    pid = journal.add_part(Part(name="Clinger", role="unsure"))
    refresh(qtbot, view)
    click(qtbot, view.page.edit)
    editor = view.editor
    assert editor.name.text() == "Clinger"
    editor.fears.setPlainText("Being left.")
    chooser = editor.choose_where()
    chooser.toggle("throat")
    chooser.toggle("heart-area")
    chooser.toggle("throat")                               # a second tap lets it go
    assert chooser.canvas.chosen == {"heart-area"}
    assert "Heart area" in chooser.summary.text()
    chooser.list.setFocus()
    chooser.list.setCurrentRow(0)                         # the keyboard path: Space ticks
    qtbot.keyClick(chooser.list, Qt.Key.Key_Space)
    assert chooser.chosen() == ("crown", "heart-area")
    qtbot.keyClick(chooser.list, Qt.Key.Key_Space)
    click(qtbot, chooser.done_button)
    assert editor.where_label.text() == "Heart area"
    editor.colour.setCurrentIndex(editor.colour.findText("Lavender"))
    click(qtbot, editor.save_button)
    done(qtbot, view)
    part = journal.part(pid)
    assert (part.fears, part.where_felt, part.colour) == ("Being left.", "heart-area", "#9b8fc4")
    assert view.page.about_values["where"].text() == "Heart area"


def test_archive_hides_and_show_archived_brings_it_back(qtbot, view, journal):
    pid = journal.add_part(Part(name="Numb one", role="firefighter"))
    journal.add_part(Part(name="Critic", role="manager"))
    refresh(qtbot, view, select=pid)
    click(qtbot, view.page.archive)
    done(qtbot, view)
    assert journal.part(pid).archived
    assert listed(view) == ["Critic"] and "archived" in view.status.text()
    assert view.show_archived.isVisible()
    click(qtbot, view.show_archived)
    done(qtbot, view)
    assert listed(view) == ["Critic", "Numb one"]
    view.list.setCurrentRow(1)
    done(qtbot, view)
    assert view.page.archive.text() == "Bring back"
    click(qtbot, view.page.archive)
    done(qtbot, view)
    assert not journal.part(pid).archived
    assert view.page.archive.text() == "Archive"


def test_when_every_part_is_archived_the_way_back_is_shown(qtbot, view, journal):
    pid = journal.add_part(Part(name="Only one"))
    refresh(qtbot, view, select=pid)
    click(qtbot, view.page.archive)
    done(qtbot, view)
    assert view.stack.currentIndex() == 0 and "Show archived" in view.empty_text.text()
    assert view.show_archived.isVisible()


def test_add_and_remove_a_relation(qtbot, view, journal):
    critic = journal.add_part(Part(name="Critic", role="manager"))
    young = journal.add_part(Part(name="Young one", role="exile"))
    refresh(qtbot, view, select=critic)
    editor = view.edit_part(critic)
    editor.relation.setCurrentIndex(editor.relation.findData("protects"))
    editor.other.setCurrentIndex(editor.other.findData(young))
    click(qtbot, editor.add_link)
    click(qtbot, editor.add_link)                          # the same again is refused
    assert editor.link_error.isVisible() and "already" in editor.link_error.text()
    assert editor.links.count() == 1
    click(qtbot, editor.save_button)
    done(qtbot, view)
    assert [link[1:] for link in journal.part_links()] == [(critic, young, "protects")]
    assert "It protects" in view.page.relations.text() and "Young one" in view.page.relations.text()
    assert view.map.list.item(0).text() == "Critic protects Young one"

    editor = view.edit_part(young)                         # seen from the other side
    assert editor.links.item(0).text() == "It is protected by Critic"
    editor.links.setCurrentRow(0)
    click(qtbot, editor.remove_link)
    click(qtbot, editor.save_button)
    done(qtbot, view)
    assert journal.part_links() == []
    assert "No links" in view.page.relations.text()


def test_cancel_keeps_links_as_they_were(qtbot, view, journal):
    a = journal.add_part(Part(name="Clinger"))
    b = journal.add_part(Part(name="Distancer"))
    journal.link_parts(a, b, "polarised")
    refresh(qtbot, view, select=a)
    editor = view.edit_part(a)
    editor.links.setCurrentRow(0)
    click(qtbot, editor.remove_link)
    click(qtbot, editor.cancel)
    assert len(journal.part_links()) == 1


def test_the_map_draws_links_and_opens_a_part(qtbot, view, journal):
    a = journal.add_part(Part(name="Clinger", role="manager"))
    b = journal.add_part(Part(name="Distancer", role="manager"))
    c = journal.add_part(Part(name="Young one", role="exile"))
    journal.link_parts(a, b, "polarised")
    journal.link_parts(a, c, "protects")
    refresh(qtbot, view, select=c)
    view.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.map.map.isVisible())
    graph = view.map.map
    assert graph.rows == [[a, b], [c]]                     # protectors above, exile below
    assert graph.rects[a].bottom() < graph.rects[c].top()
    assert view.map.list.count() == 2
    pos = graph.rects[b].center().toPoint()
    with qtbot.waitSignal(view.map.part_activated) as signal:
        qtbot.mouseClick(graph, Qt.MouseButton.LeftButton, pos=pos)
    assert signal.args == [b]
    done(qtbot, view)
    assert view.tabs.currentIndex() == 0 and view.page.part.id == b


def test_the_map_is_keyboard_usable(qtbot, view, journal):
    a = journal.add_part(Part(name="Critic", role="manager"))
    b = journal.add_part(Part(name="Young one", role="exile"))
    refresh(qtbot, view)
    view.tabs.setCurrentIndex(1)
    graph = view.map.map
    graph.setFocus()
    qtbot.waitUntil(graph.hasFocus)
    assert graph.focused == a
    qtbot.keyClick(graph, Qt.Key.Key_Right)
    assert graph.focused == b
    with qtbot.waitSignal(graph.part_activated) as signal:
        qtbot.keyClick(graph, Qt.Key.Key_Return)
    assert signal.args == [b]


def test_layout_keeps_polarised_pairs_together_and_routes_round_parts():
    parts = [Part(name=n, role="manager", id=i) for i, n in enumerate("abcde", 1)]
    links = [(1, 1, 5, "polarised")]
    assert layout_rows(parts, links, 5) == [[1, 5, 2, 3, 4]]
    # never split a pair across rows when a row can give way
    assert wrap_row([2, 3, 1, 5, 4], 3, links) == [[2, 3], [1, 5, 4]]


def test_a_body_mark_linked_to_a_part_shows_on_its_page(qtbot, view, journal, context):
    pid = journal.add_part(Part(name="Young one", role="exile"))
    refresh(qtbot, view, select=pid)
    assert "No body marks" in view.page.body_summary.text()
    # link a mark through the body map's own panel, as a person would
    from app.ui.body.map_widget import BodyMapWidget
    body_map = BodyMapWidget(context.journal, LIGHT)
    qtbot.addWidget(body_map)
    settle(qtbot, context.journal)                         # it has read the parts
    body_map.open_region("front", "throat")
    body_map.panel.part.setCurrentIndex(body_map.panel.part.findData(pid))
    body_map.panel.set_strength(7)
    with qtbot.waitSignal(body_map.markSaved):
        body_map.save()
    journal.add_body_mark(BodyMark("front", "heart-area", 3, part_id=pid,
                                   at="2025-01-10T10:00:00+00:00"))
    journal.add_body_mark(BodyMark("front", "jaw", 9))     # no part: not on the page
    refresh(qtbot, view)
    page = view.page
    assert set(page.canvas.heat) == {("front", "throat"), ("front", "heart-area")}
    assert "Noticed 2 times" in page.body_summary.text()
    assert page.month.count() == 3                         # all time + two months
    page.month.setCurrentIndex(page.month.findData("2025-01"))
    assert set(page.canvas.heat) == {("front", "heart-area")}
    assert "January 2025: 1 time, mostly Heart area" in page.months_text.text()


def test_a_part_whose_marks_have_no_strength_says_so(qtbot, view, journal):
    pid = journal.add_part(Part(name="Young one", role="exile"))
    for region, intensity in (("throat", None), ("jaw", None), ("jaw", 4)):
        journal.add_body_mark(BodyMark("front", region, intensity, part_id=pid,
                                       at="2025-01-10T10:00:00+00:00"))
    journal.add_body_mark(BodyMark("front", "throat", part_id=pid,
                                   at="2025-02-10T10:00:00+00:00"))
    refresh(qtbot, view, select=pid)
    page = view.page
    assert set(page.canvas.heat) == {("front", "throat"), ("front", "jaw")}
    assert page.months_text.text().split("\n") == [
        "February 2025: 1 time, mostly Throat, strength not rated",
        "January 2025: 3 times, mostly Mouth and jaw, strength 4 of 10 (1 of 3 rated)"]
    assert "Noticed 4 times" in page.body_summary.text()


def test_the_part_page_lists_its_practices_with_their_shift(qtbot, view, journal):
    pid = journal.add_part(Part(name="Young one", role="exile"))
    first = journal.start_session("unblending", "Unblending", part_id=pid)
    journal.add_checkin(CheckIn("before", 8, {"calm": 3}, session_id=first))
    journal.add_checkin(CheckIn("after", 5, {"calm": 6}, session_id=first))
    journal.end_session(first, "completed")
    other = journal.start_session("grounding", "Grounding")
    journal.add_checkin(CheckIn("before", 6, session_id=other))
    journal.end_session(other, "grounded")
    journal.add_body_mark(BodyMark("front", "throat", 5, part_id=pid, session_id=other))
    journal.start_session("unblending", "Unblending")      # not this part's
    refresh(qtbot, view, select=pid)
    page = view.page
    lines = [page.sessions.item(r).text() for r in range(page.sessions.count())]
    assert len(lines) == 2
    assert "Grounding" in lines[0] and "paused to ground" in lines[0]
    assert "noticed along the way" in lines[0]
    assert "Unblending" in lines[1] and "8 → 5, eased by 3" in lines[1]
    assert "Self-energy 3.0 → 6.0" in lines[1]
    # one practice has no average (it said "On average, intensity eased by 3.0 …, across 1
    # practice with a check-in and check-out")
    assert page.shift_summary.text() == ("Intensity eased by 3 from check-in to check-out, in "
                                         "the one practice with a check-in and check-out.")


def test_a_parts_shift_over_none_one_and_two_practices():
    from types import SimpleNamespace

    from app.ui.parts.page import mean_shift_text

    def history(*shifts):
        found = [SimpleNamespace(shift=s) for s in shifts]
        known = [s for s in shifts if s is not None]
        return SimpleNamespace(sessions=found,
                               mean_shift=sum(known) / len(known) if known else None)
    assert mean_shift_text(history()) == mean_shift_text(history(None)) == ""
    assert mean_shift_text(history(2, None)) == (
        "Intensity rose by 2 from check-in to check-out, in the one practice with a check-in "
        "and check-out.")
    assert mean_shift_text(history(0)) == (
        "Intensity stayed the same from check-in to check-out, in the one practice with a "
        "check-in and check-out.")
    assert mean_shift_text(history(-3, -2)) == (
        "On average, intensity eased by 2.5 from check-in to check-out, across 2 practices "
        "with a check-in and check-out.")


def test_notes_are_saved_from_the_page(qtbot, view, journal):
    pid = journal.add_part(Part(name="Critic"))
    refresh(qtbot, view, select=pid)
    view.page.notes.setPlainText("Quieter this week.")
    click(qtbot, view.page.save_notes)
    done(qtbot, view)
    assert journal.part(pid).notes == "Quieter this week."
    assert view.page.notes_status.text() == "Notes saved."


def test_ctrl_n_opens_a_new_part(qtbot, view):
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.editor is not None and view.editor.isVisible()


def test_every_control_has_an_accessible_name(qtbot, view, journal):
    a = journal.add_part(Part(name="Critic"))
    journal.add_part(Part(name="Young one", role="exile"))
    refresh(qtbot, view, select=a)
    editor = view.edit_part(a)
    chooser = editor.choose_where()
    kinds = (QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QListWidget)
    for root in (view, editor, chooser, view.choose_template()):
        for kind in kinds:
            for widget in root.findChildren(kind):
                if widget.isVisibleTo(root) and widget.focusPolicy() != Qt.FocusPolicy.NoFocus \
                        and not widget.objectName().startswith("qt_"):
                    assert widget.accessibleName(), (type(root).__name__, widget)


def test_editor_tab_order_follows_the_form(qtbot, view):
    editor = view.new_part()
    order, widget = [], editor.name
    for _ in range(8):
        order.append(widget)
        widget = widget.nextInFocusChain()
        while widget.focusPolicy() == Qt.FocusPolicy.NoFocus or not widget.isVisibleTo(editor):
            widget = widget.nextInFocusChain()
    assert order[:7] == [editor.name, editor.role, editor.does, editor.fears, editor.wants,
                         editor.felt_age, editor.where_button]


def test_map_route_goes_round_a_part_in_the_way(qtbot, view, journal):
    top = journal.add_part(Part(name="Top", role="manager"))
    middle = journal.add_part(Part(name="Middle", role="unsure"))
    bottom = journal.add_part(Part(name="Bottom", role="exile"))
    journal.link_parts(top, bottom, "protects")
    refresh(qtbot, view)
    view.tabs.setCurrentIndex(1)
    graph = view.map.map
    assert graph.rows == [[top], [middle], [bottom]]       # one column: straight is blocked
    path, _, end = graph.route(top, bottom)
    blocker = graph.rects[middle]
    assert not any(blocker.contains(path.pointAtPercent(t / 40)) for t in range(41))
    assert graph.rects[bottom].adjusted(-1, -1, 1, 1).contains(QPointF(end))


def test_tab_reaches_the_views_bar_and_through_it_the_map(qtbot, view, journal):
    """'How they relate' by keys alone: Tab stops on the bar of views (with its ring), an
    arrow chooses the map, and Tab goes on into it. The bar was never in the chain (the tab
    widget's NoFocus reached the bar, its focus proxy): only an unadvertised Ctrl+Tab got
    there, and with no focus ring to show where the keys were."""
    journal.add_part(Part(name="Critic", role="manager"))
    refresh(qtbot, view)
    bar = view.tabs.tabBar()
    view.new_button.setFocus()
    qtbot.waitUntil(view.new_button.hasFocus)
    chain = []
    for _ in range(20):                     # Tab, as the keys go
        view.focusNextChild()
        chain.append(QApplication.focusWidget())
    assert bar in chain and view.tabs not in chain
    bar.setFocus()
    qtbot.waitUntil(bar.hasFocus)
    qtbot.keyClick(bar, Qt.Key.Key_Right)
    assert view.tabs.currentIndex() == 1
    view.focusNextChild()
    assert view.map.isAncestorOf(QApplication.focusWidget())
