"""Every screen, both themes: text contrast and focus rings measured on the real widgets.

The window walks through every screen (tools/screen_tour.py, as the screenshots do). On each:
- every piece of text shown is at least 4.5:1 against what is behind it (3:1 when large);
- every control Tab reaches shows a focus ring: the pixels that change when it takes focus
  reach 3:1 against how they looked before, over at least a 2 px ring around it;
- nothing Tab reaches is a blank stop (a container with nothing to do).
See tests/support/contrast.py for how each number is measured.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QLineEdit, QTabBar, QWidget,
)

from app.core.scripts import load_all
from app.storage.preferences import Preferences
from app.ui.context import AppContext
from app.ui.common.theme import stylesheet
from app.ui.main_window import MainWindow
from tests.support.contrast import (
    LARGE_TEXT_MIN, TEXT_MIN, focus_ring, is_large, text_contrast,
)
from tests.support.journal import close_context
from tests.ui.test_accessibility import INTERACTIVE, accessible_name
from tools.screen_tour import tour

SIZE = (1280, 760)


@dataclass
class Findings:
    text: list[str] = field(default_factory=list)
    rings: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)
    measured_text: int = 0
    measured_rings: int = 0


def demo_journal(path: str) -> None:
    from app.storage.demo import fill_demo
    from app.storage.journal import Journal
    journal = Journal(path)
    try:
        fill_demo(journal, years=0.25, seed=7)
    finally:
        journal.close()


@pytest.fixture(scope="module")
def findings(qapp, tmp_path_factory):
    """Walk every screen once per theme and measure it (shared by the tests below)."""
    import app.ui.session.view as session_view
    real = session_view.has_sound_output
    session_view.has_sound_output = lambda: False
    practices, broken = load_all()
    found: dict[str, Findings] = {}
    try:
        for theme in ("light", "dark"):
            path = str(tmp_path_factory.mktemp(theme) / "journal.db")
            demo_journal(path)
            context = AppContext(practices, broken, replace(Preferences(), theme=theme),
                                 journal_path=path)
            found[theme] = walk(context)
            close_context(context)
    finally:
        session_view.has_sound_output = real
    return found


def walk(context: AppContext) -> Findings:
    window = MainWindow(context)
    window.setStyleSheet(stylesheet(context.palette))
    window.resize(*SIZE)
    window.show()
    window.activateWindow()
    QTest.qWaitForWindowActive(window)
    result = Findings()
    try:
        for stop in tour(window, lambda: QTest.qWait(150)):
            stop.top.activateWindow()          # focus shows only in the active window
            assert QTest.qWaitForWindowActive(stop.top), f"{stop.name}: window not active"
            measure(stop.name, stop.top, result)
    finally:
        if window.session is not None:
            window.session.shutdown()
        window.close()
        window.deleteLater()
        QTest.qWait(50)
    return result


def measure(screen: str, top: QWidget, result: Findings) -> None:
    for widget in shown_text(top):
        found = text_contrast(widget)
        if found is None:
            continue
        result.measured_text += 1
        needed = LARGE_TEXT_MIN if is_large(widget) else TEXT_MIN
        if found.ratio < needed:
            result.text.append(f"{screen}: {describe(widget)} {found.ratio}:1 "
                               f"({found.text} on {found.background}, needs {needed})")
    for widget in tab_stops(top):
        if not is_control(widget):
            result.blank.append(f"{screen}: {lineage(widget)}")
            continue
        part = widget.tabRect(widget.currentIndex()) if isinstance(widget, QTabBar) else None
        ring = focus_ring(widget, focused_part=part)
        result.measured_rings += 1
        if not ring.visible:
            result.rings.append(f"{screen}: {describe(widget)} ring {ring.pixels} px at 3:1 "
                                f"of {ring.needed} needed (best change {ring.best}:1)")


def is_control(widget: QWidget) -> bool:
    """Something to operate: a standard control, a label with links, or a custom control
    that draws its own ring (marked `focusRing`)."""
    if isinstance(widget, (*INTERACTIVE, QTabBar)) or widget.property("focusRing"):
        return True
    return isinstance(widget, QLabel) and bool(
        widget.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard)


def describe(widget: QWidget) -> str:
    text = accessible_name(widget) or (widget.text() if hasattr(widget, "text") else "")
    return f"{type(widget).__name__}({str(text)[:40]!r})"


def lineage(widget: QWidget) -> str:
    """`Name` of a widget and its nearest parents, to find a blank stop in the code."""
    names, at = [], widget
    while at is not None and len(names) < 4:
        names.append(f"{type(at).__name__}({at.objectName() or accessible_name(at)!r})")
        at = at.parentWidget()
    return " in ".join(names)


def shown_text(top: QWidget) -> list[QWidget]:
    """Widgets showing text right now: labels, buttons, fields (disabled ones are exempt)."""
    kinds = (QLabel, QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox)
    out = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, kinds) or not widget.isVisible() or not widget.isEnabled():
            continue
        if widget.visibleRegion().isEmpty():
            continue
        text = widget.currentText() if isinstance(widget, QComboBox) else (
            widget.text() or widget.placeholderText() if isinstance(widget, QLineEdit) else
            widget.text() if hasattr(widget, "text") else "")
        if str(text).strip():
            out.append(widget)
    return out


def tab_stops(top: QWidget) -> list[QWidget]:
    """What Tab lands on, in order, from the top-level's focus chain."""
    stops, widget = [], top.nextInFocusChain()
    for _ in range(3000):
        if widget is top:
            break
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isVisible()
                and widget.isEnabled() and widget.window() is top
                and not widget.visibleRegion().isEmpty() and not _inside_control(widget)
                and widget.focusProxy() is None):      # Tab lands on the proxy instead
            stops.append(widget)
        widget = widget.nextInFocusChain()
    return stops


def _inside_control(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractSpinBox)):
            return True
        parent = parent.parentWidget()
    return False


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_text_is_readable(findings, theme):
    found = findings[theme]
    assert found.measured_text > 150, "the walk measured too little text"
    assert found.text == [], "\n".join(found.text)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_control_shows_its_focus(findings, theme):
    found = findings[theme]
    assert found.measured_rings > 60, "the walk measured too few controls"
    assert found.rings == [], "\n".join(found.rings)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_no_blank_tab_stops(findings, theme):
    assert findings[theme].blank == [], "\n".join(findings[theme].blank)
