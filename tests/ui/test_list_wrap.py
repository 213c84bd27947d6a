"""A list's long items wrap inside the padding the theme gives each item, never cut short with
"…": at 800×600 the player's overview of the steps showed "2. Choose something…", and the
parts' list "The one who keep…", the body areas "Upper spine, between the
shoulder…"."""
from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QListWidget, QStyle

from app.core.practice import Practice, Step
from app.core.practice_doc import StepFields
from app.core.parts import PartHistory, SessionShift
from app.core.records import Part
from app.ui.body.region_chooser import RegionChooser
from app.ui.common.theme import ITEM_BORDER, ITEM_PADDING, LIGHT, stylesheet
from app.ui.editor.step_list import StepList
from app.ui.session.player import PlayerView
from tests.ui.test_parts_view import context, journal, refresh, view  # noqa: F401 - fixtures

WORDS = "Choose something mild, and let it be"


def long_titles() -> Practice:
    """Eight titles a letter longer each time, around the list's width at 800×600 (a list
    too short to scroll, as a practice's steps are)."""
    titles = [WORDS[:n] for n in range(17, 25)]
    return Practice(id="long", title="Long titles", summary="For tests.", minutes=1,
                    steps=tuple(Step(id=f"s{i}", title=title, say="Breathe.")
                                for i, title in enumerate(titles)))


def cut_short(view: QListWidget) -> list[str]:
    """The items whose words do not all show where they are drawn: inside the list, less
    each item's padding and border, and the margin the style keeps around the text."""
    edge = ITEM_PADDING + ITEM_BORDER
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    metrics = QFontMetrics(view.font())
    largest = view.style().pixelMetric(QStyle.PixelMetric.PM_ListViewIconSize, None, view)
    cut = []
    for row in range(view.count()):
        item = view.item(row)
        drawn = view.visualItemRect(item)
        room = drawn.adjusted(edge + margin, edge, -edge - margin, -edge)
        if not item.icon().isNull():                 # a part's colour, beside its name
            icon = item.icon().actualSize(QSize(largest, largest)).width()
            room.setLeft(room.left() + icon + 2 * margin)
        if item.data(Qt.ItemDataRole.CheckStateRole) is not None:   # a body area's tick box
            tick = view.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, None, view)
            room.setLeft(room.left() + tick + 2 * margin)
        need = metrics.boundingRect(QRect(0, 0, room.width(), 10**5),
                                    Qt.TextFlag.TextWordWrap, item.text())
        if drawn.right() >= view.viewport().width() or need.height() > room.height():
            cut.append(item.text())
    return cut


def test_every_step_title_shows_whole_in_the_smallest_window(qtbot):
    view = PlayerView(long_titles(), 0.8)
    qtbot.addWidget(view)
    view.setStyleSheet(stylesheet(LIGHT))
    view.resize(800, 552)                 # the window at 800×600, less the session's header
    view.show()
    qtbot.waitExposed(view)
    assert view.steps.width() < 200       # the overview at its narrowest
    assert not view.steps.verticalScrollBar().isVisible()
    assert cut_short(view.steps) == []


def test_every_step_title_shows_whole_in_the_editor(qtbot):
    """The editor's list of steps wraps the same way (the titles there are the person's)."""
    steps = StepList()
    qtbot.addWidget(steps)
    steps.setStyleSheet(stylesheet(LIGHT))
    steps.list.setFixedWidth(200)
    steps.show_steps([StepFields(title=WORDS[:n]) for n in range(12, len(WORDS) + 1)], 0,
                     troubled=set())
    steps.show()
    qtbot.waitExposed(steps)
    assert cut_short(steps.list) == []


PART = "The one who keeps watch over every room"


def test_every_part_name_shows_whole_in_the_smallest_window(qtbot, view, journal):  # noqa: F811
    """The parts' names are the person's own words, beside their colour."""
    for n in range(10, len(PART) + 1, 2):
        journal.add_part(Part(name=PART[:n]))
    view.resize(600, 600)                   # the Parts page in a window of 800×600
    refresh(qtbot, view)
    assert view.list.width() < 200
    assert cut_short(view.list) == []


def test_every_body_area_shows_whole_beside_its_tick_box(qtbot):
    """Where a part is felt, at the list's narrowest (the dialog in an 800×600 window)."""
    chooser = RegionChooser(LIGHT, ())
    qtbot.addWidget(chooser)
    chooser.setStyleSheet(stylesheet(LIGHT))
    chooser.resize(760, 560)
    chooser.show()
    qtbot.waitExposed(chooser)
    assert chooser.list.width() == chooser.list.minimumWidth()
    assert cut_short(chooser.list) == []


def test_every_practice_with_a_part_shows_whole_in_the_smallest_window(qtbot, view,  # noqa: F811
                                                                       journal):  # noqa: F811
    """The practices a part was part of, on its page: their titles are the practices' own."""
    journal.add_part(Part(name="The worrier"))
    titles = ["A Gentle Process for Disorganised Attachment", "Building Self-energy",
              "Befriending a protector who keeps watch", "Unblending"]
    history = PartHistory(
        sessions=tuple(SessionShift(n, f"2026-11-{n + 1:02d}T20:00:00+00:00", title,
                                    "stopped_early", 6, 5, 5.0, 6.0, chosen=n % 2 == 0)
                       for n, title in enumerate(titles)),
        periods=(), mark_count=0, first_noticed=None, last_noticed=None)
    view.resize(600, 600)                   # the Parts page in a window of 800×600
    refresh(qtbot, view)
    view.page._show_sessions(history)
    qtbot.wait(20)
    assert view.page.sessions.isVisible() and view.page.sessions.count() == len(titles)
    assert cut_short(view.page.sessions) == []

