"""The grounding page in the smallest window (800×600): the person who pressed Esc because it
was too much sees the grounding's words first, several lines at once, and the crisis note and
their own help card whole, without looking for them."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

from app.core.help_card import FIELD_MAX, HelpCard
from app.ui.common.theme import STEP_TEXT_POINT_SIZE
from tests.ui.test_session_flow import FAST, context, window  # noqa: F401 - fixtures

SMALLEST = (800, 600)
LINES = 9           # of the words at once; with the help stacked under them, about 4 (2 said)
FILLED = HelpCard(therapist="Dr Rowan, Tuesdays, 0301 555 0100",
                  trusted="My sister Kim, 07700 900123, any time",
                  crisis_line="Samaritans, 116 123, free, day or night")


def grounded(window, qtbot, card: HelpCard):
    window.resize(*SMALLEST)
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    qtbot.mouseClick(session.ground_button, Qt.MouseButton.LeftButton)
    gv = session.grounding_view
    qtbot.waitUntil(lambda: "Help now" in gv.help_card.text(), timeout=3000)  # the stored one
    gv.set_help_card(card)
    qtbot.wait(30)                                   # the layout settles on the new words
    assert (window.width(), window.height()) == SMALLEST
    return gv


def whole(widget: QWidget) -> bool:
    """Every pixel of `widget` is on screen: not clipped by a scroll area or the window."""
    return widget.visibleRegion().boundingRect() == widget.rect()


def words_area(gv) -> QScrollArea:
    return next(a for a in gv.findChildren(QScrollArea) if a.isAncestorOf(gv.steps_text))


@pytest.mark.parametrize("card", [HelpCard(), FILLED], ids=["no card yet", "a filled card"])
def test_the_words_take_the_room_and_the_help_shows_whole(window, qtbot, card):
    gv = grounded(window, qtbot, card)
    line = QFontMetrics(gv.steps_text.font()).lineSpacing()
    shown = words_area(gv).viewport().height() / line
    assert shown >= LINES, f"{shown:.1f} lines of the grounding's words show at 800×600"
    assert whole(gv.help_text) and whole(gv.help_card)
    assert card.is_empty or "Samaritans" in gv.help_card.text()
    assert whole(gv.back) and whole(gv.end) and whole(gv.listen)


def test_a_card_too_long_for_the_room_scrolls_by_keyboard(window, qtbot):
    """Three fields at their longest: the card cannot show whole at 800×600, so it scrolls
    and takes the focus (with its ring), and nothing else is pushed out of the window."""
    gv = grounded(window, qtbot, HelpCard(*(("a name and a number " * 10)[:FIELD_MAX],) * 3))
    area = next(a for a in gv.findChildren(QScrollArea) if a.isAncestorOf(gv.help_card))
    bar = area.verticalScrollBar()
    assert bar.maximum() > 0 and area.focusPolicy() == Qt.FocusPolicy.StrongFocus
    assert whole(gv.back) and whole(gv.end) and whole(gv.listen)
    area.setFocus()
    qtbot.keyClick(area, Qt.Key.Key_Down)
    assert bar.value() > 0


def test_the_focus_ring_around_the_help_leaves_its_words_room(window, qtbot):
    """Focused, the help's ring is drawn a few pixels clear of its words, as the grounding
    words' ring is (it was drawn against the first letter of every line), and the help's
    words stay in line with the heading of the grounding's card."""
    gv = grounded(window, qtbot, HelpCard(*(("a name and a number " * 10)[:FIELD_MAX],) * 3))
    area = next(a for a in gv.findChildren(QScrollArea) if a.isAncestorOf(gv.help_card))
    ring = area.frameWidth()                        # the reading areas' focus border
    assert ring >= 2
    first = min((gv.help_text, gv.help_card), key=lambda w: w.y())    # the card's, when filled
    at = first.mapTo(area, QPoint(0, 0))
    assert at.x() >= ring + 3 and at.y() >= ring + 3, (at.x(), at.y(), ring)
    heading = next(w for w in gv.findChildren(QLabel)
                   if w.text().startswith("A short grounding exercise"))
    assert (first.mapTo(card_of(first), QPoint(0, 0))
            == heading.mapTo(card_of(heading), QPoint(0, 0)))


def card_of(widget: QWidget) -> QWidget:
    while widget.property("role") != "card":
        widget = widget.parentWidget()
    return widget


def test_the_grounding_words_are_as_large_as_the_players(window, qtbot):
    """The words to ground by are read as a step's words are, at the same size (they were
    in the body font, small beside the player's at 1920×1080)."""
    gv = grounded(window, qtbot, HelpCard())
    assert gv.steps_text.font().pointSizeF() == STEP_TEXT_POINT_SIZE
    assert gv.help_text.font().pointSizeF() < STEP_TEXT_POINT_SIZE     # the help stays quiet


def test_the_persons_own_people_come_before_the_general_numbers(window, qtbot):
    """A filled card comes first: at 800×600 a long card went below the crisis note, the
    person's own people out of sight. With no card, the crisis note comes first (the
    card's place then only says where to make one)."""
    gv = grounded(window, qtbot, FILLED)
    assert gv.help_card.y() < gv.help_text.y()
    assert whole(gv.help_card)
    gv.set_help_card(HelpCard())
    qtbot.wait(30)
    assert gv.help_text.y() < gv.help_card.y()
