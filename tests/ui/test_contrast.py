"""Every screen, both themes: text contrast and focus rings measured on the real widgets.

The window walks through every screen (tools/screen_tour.py, as the screenshots do). On each:
- every piece of text shown is at least 4.5:1 against what is behind it (3:1 when large);
- every control Tab reaches shows a focus ring: the pixels that change when it takes focus
  reach 3:1 against how they looked before, over at least a 2 px ring around it;
- nothing Tab reaches is a blank stop (a container with nothing to do).
See tests/support/contrast.py for how each number is measured.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton, QAbstractSpinBox, QComboBox, QLabel, QLineEdit, QSlider, QTabBar, QWidget,
)

from app.storage.script_files import load_all
from app.storage.preferences import Preferences
from app.ui.context import AppContext
from tests.support.contrast import (
    LARGE_TEXT_MIN, TEXT_MIN, UI_MIN, change, focus_ring, groove_contrast, is_large,
    luminances, ratios, render, rgb, text_contrast,
)
from tests.support.journal import close_context
from tests.support.walk import demo_journal, walk, without_sound
from tests.ui.test_accessibility import INTERACTIVE, accessible_name
from tools.screen_tour import Stop

SIZE = (1280, 760)
DOT_PX = 14                 # a body map dot is at least this wide (it was about 8 px)


@dataclass
class Findings:
    text: list[str] = field(default_factory=list)
    rings: list[str] = field(default_factory=list)
    blank: list[str] = field(default_factory=list)
    painted: list[str] = field(default_factory=list)   # dots, areas, tracks, map labels
    measured_painted: int = 0
    measured_text: int = 0
    measured_rings: int = 0


@pytest.fixture(scope="module")
def findings(qapp, tmp_path_factory):
    """Walk every screen once per theme and measure it (shared by the tests below)."""
    practices, broken = load_all()
    found: dict[str, Findings] = {}
    with without_sound():
        for theme in ("light", "dark"):
            path = str(tmp_path_factory.mktemp(theme) / "journal.db")
            demo_journal(path)
            context = AppContext(practices, broken, replace(Preferences(), theme=theme),
                                 journal_path=path)
            found[theme] = result = Findings()
            walk(context, SIZE, lambda stop, _window: look(stop, result))
            close_context(context)
    return found


def look(stop: Stop, result: Findings) -> None:
    stop.top.activateWindow()                  # focus shows only in the active window
    assert QTest.qWaitForWindowActive(stop.top), f"{stop.name}: window not active"
    measure(stop.name, stop.top, result)


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
    measure_painted(screen, top, result)
    for widget in tab_stops(top):
        if not is_control(widget):
            result.blank.append(f"{screen}: {lineage(widget)}")
            continue
        ring = focus_ring(widget, focused_part=focused_part(widget))
        result.measured_rings += 1
        if not ring.visible:
            result.rings.append(f"{screen}: {describe(widget)} ring {ring.pixels} px at 3:1 "
                                f"of {ring.needed} needed (best change {ring.best}:1)")


def measure_painted(screen: str, top: QWidget, result: Findings) -> None:
    """What the widgets paint themselves: slider tracks, body map dots, the area the list of
    body areas points at, the body map's own focus ring, the parts map's role labels."""
    from app.ui.body.canvas import BodyCanvas
    from app.ui.parts.relation_map import PartsMap
    for slider in visible(top, QSlider):
        result.measured_painted += 1
        found = groove_contrast(slider)
        if found < UI_MIN:
            result.painted.append(f"{screen}: {describe(slider)} track {found}:1")
    for canvas in visible(top, BodyCanvas):
        if canvas.focusPolicy() != Qt.FocusPolicy.NoFocus:     # not a picture of one part
            measure_canvas(screen, canvas, result)
    for parts_map in visible(top, PartsMap):
        image, rect = render(parts_map)
        for part_id in parts_map.rects:
            role = parts_map.text_rects(part_id)[1].toAlignedRect().translated(
                parts_map.mapTo(top, QPoint(0, 0)) - rect.topLeft())
            found = crop_contrast(image, role)
            result.measured_painted += 1
            if found < TEXT_MIN:
                result.painted.append(f"{screen}: role of part {part_id} {found}:1")


def measure_canvas(screen: str, canvas, result: Findings) -> None:
    ring = focus_ring(canvas, Qt.FocusReason.MouseFocusReason)
    result.measured_painted += 1
    if not ring.visible:
        result.painted.append(f"{screen}: body map focus ring {ring.pixels} of {ring.needed}")
    dots = list(canvas.dots)
    for dot in dots:
        found = change(canvas, lambda: show_dots(canvas, []), lambda: show_dots(canvas, [dot]),
                       margin=0)
        result.measured_painted += 1
        if min(found.width, found.height) < DOT_PX or found.pixels < math.pi * DOT_PX:
            result.painted.append(f"{screen}: dot {found.width}x{found.height} px, "
                                  f"{found.pixels} px at 3:1 (best {found.best}:1)")
    show_dots(canvas, dots)
    hover = canvas.hover
    region = ("front", "throat")
    outline = canvas.transform("front").map(canvas.paths["front"]["throat"]).length()
    found = change(canvas, lambda: point_at(canvas, None), lambda: point_at(canvas, region),
                   margin=0)
    point_at(canvas, hover)
    result.measured_painted += 1
    if found.pixels < 1.5 * outline:
        result.painted.append(f"{screen}: the pointed-at area {found.pixels} px at 3:1 of "
                              f"{int(1.5 * outline)} (best {found.best}:1)")


def show_dots(canvas, dots: list) -> None:
    canvas.dots = dots
    canvas.repaint()


def point_at(canvas, region) -> None:
    canvas.hover = region
    canvas.repaint()


def crop_contrast(image: QImage, rect: QRect) -> float:
    """Text contrast inside one rectangle of a render (as text_contrast does for a widget)."""
    part = image.copy(rect)
    values = rgb(part).reshape(-1, 3)
    packed = np.round(values * 255).astype(np.int64) @ np.array([65536, 256, 1])
    kinds, counts = np.unique(packed, return_counts=True)
    background = values[np.argmax(packed == kinds[np.argmax(counts)])]
    return round(float(ratios(luminances(values), luminances(background)).max()), 2)


def visible(top: QWidget, kind: type) -> list:
    return [w for w in top.findChildren(kind)
            if w.isVisible() and not w.visibleRegion().isEmpty()]


def is_control(widget: QWidget) -> bool:
    """Something to operate: a standard control, a label with links, or a custom control
    that draws its own ring (marked `focusRing`)."""
    if isinstance(widget, (*INTERACTIVE, QTabBar)) or widget.property("focusRing"):
        return True
    return isinstance(widget, QLabel) and bool(
        widget.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard)


def focused_part(widget: QWidget) -> QRect | None:
    """Where the ring belongs when it is not around the whole widget: a tab bar's current tab,
    a part on the parts map (all are the same size)."""
    from app.ui.parts.relation_map import PartsMap
    if isinstance(widget, QTabBar):
        return widget.tabRect(widget.currentIndex())
    if isinstance(widget, PartsMap) and widget.rects:
        return next(iter(widget.rects.values())).toAlignedRect()
    return None


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


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_painted_marks_are_seen(findings, theme):
    """Slider tracks, body map dots, the area the keyboard points at, the body map's focus
    ring and the parts map's role labels (all drawn by the widgets themselves)."""
    found = findings[theme]
    assert found.measured_painted > 20, "the walk measured too few painted marks"
    assert found.painted == [], "\n".join(found.painted)
