"""Tab, pressed again and again on every screen, goes round every control and comes back to
where it started: no control keeps the focus to itself and no group of controls traps it
(WCAG 2.1.2). Each control it lands on is in view: a page that scrolls brings it into sight,
so its focus ring is seen (WCAG 2.4.11), whichever way the focus came in; and it has a name a
screen reader can say.

The real window walks through every screen (tools/screen_tour.py) at 800×600, where the most
scrolls; the keys are pressed on the focused control, as a keyboard does.
"""
from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLabel, QWidget

from app.storage.preferences import Preferences
from app.storage.script_files import load_all
from app.ui.context import AppContext
from tests.support.journal import close_context
from tests.support.walk import demo_journal, walk, without_sound
from tools.screen_tour import Stop

SIZE = (800, 600)
MOST_STOPS = 150            # no screen has this many controls: more means Tab never came back


def describe(widget: QWidget | None) -> str:
    if widget is None:
        return "nothing"
    return f"{type(widget).__name__} {widget.accessibleName() or widget.objectName()!r}"


def _has_links(widget: QWidget) -> bool:
    return isinstance(widget, QLabel) and bool(
        widget.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard)


def spoken_name(widget: QWidget) -> str:
    """What a screen reader says for it (its own name, or its text for buttons and labels)."""
    found = QAccessible.queryAccessibleInterface(widget)
    return found.text(QAccessible.Text.Name).strip() if found is not None else ""


def in_view(widget: QWidget, top: QWidget) -> bool:
    """Some of the control is drawn inside the window (not scrolled away, not clipped)."""
    shown = widget.visibleRegion().boundingRect()
    if shown.width() < 4 or shown.height() < 4:
        return False
    where = QRect(widget.mapTo(top, shown.topLeft()), shown.size())
    return where.intersects(top.rect())


def tab_round(name: str, top: QWidget) -> tuple[list[str], int]:
    """Press Tab until the focus is back where it started; what went wrong, and how many stops."""
    top.activateWindow()
    assert QTest.qWaitForWindowActive(top), f"{name}: window not active"
    start = QApplication.focusWidget()
    if start is None or start.window() is not top:
        top.focusNextChild()
        start = QApplication.focusWidget()
    problems, stops = [], 0
    here = start
    for _ in range(MOST_STOPS):
        QTest.keyClick(here, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        if now is here and _has_links(now):
            continue                     # Tab goes from link to link inside the label
        if now is None or now is here:
            problems.append(f"{name}: Tab on {describe(here)} does not move on")
            return problems, stops
        if now is start:
            return problems, stops
        stops += 1
        if not in_view(now, top):
            problems.append(f"{name}: {describe(now)} has the focus out of sight")
        if not spoken_name(now):
            problems.append(f"{name}: {describe(now)} has no name a screen reader can say")
        here = now
    problems.append(f"{name}: Tab never comes back to {describe(start)}; it goes round "
                    f"{describe(here)} and its neighbours")
    return problems, stops


@pytest.fixture(scope="module")
def walked(qapp, tmp_path_factory) -> tuple[list[str], dict[str, int]]:
    practices, broken = load_all()
    path = str(tmp_path_factory.mktemp("tab") / "journal.db")
    demo_journal(path)
    context = AppContext(practices, broken, replace(Preferences(), theme="light"),
                         journal_path=path)
    problems: list[str] = []
    counted: dict[str, int] = {}

    def visit(stop: Stop, _window) -> None:
        found, counted[stop.name] = tab_round(stop.name, stop.top)
        problems.extend(found)

    with without_sound():
        walk(context, SIZE, visit)
    close_context(context)
    return problems, counted


def test_tab_goes_round_every_screen_and_shows_where_it_is(walked):
    problems, counted = walked
    assert len(counted) >= 14 and min(counted.values()) >= 1, counted
    assert problems == [], "\n".join(problems)
