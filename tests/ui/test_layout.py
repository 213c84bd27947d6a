"""Every screen fits from 800×600 up: no sideways scrolling, no control cut off, readable
lines on a wide screen; drop-down and spin box arrows are drawn where they belong."""
from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractScrollArea, QAbstractSpinBox, QComboBox, QLabel, QLineEdit, QPlainTextEdit,
    QSlider, QStyle,
    QStyleOptionComboBox,
    QStyleOptionSpinBox, QWidget,
)

from app.storage.script_files import load_all
from app.storage.preferences import Preferences
from app.ui.context import AppContext
from app.ui.common.theme import stylesheet
from app.ui.common.widgets import FORM_WIDTH
from app.ui.main_window import MainWindow
from tests.support.contrast import UI_MIN, luminances, ratios, render, rgb
from tests.support.journal import close_context
from tests.ui.test_accessibility import INTERACTIVE, accessible_name
from tests.support.walk import demo_journal, walk, without_sound
from tests.ui.test_contrast import lineage, visible
from tools.screen_tour import Stop

SIZES = ((800, 600), (1280, 760), (1920, 1080))
MAX_CHARS = 80
SLIDER_MIN = 100                    # px: a slider shorter than this is hard to set
FIELDS = (QSlider, QAbstractSpinBox, QComboBox, QLineEdit, QPlainTextEdit)
FORMS = ("check-in", "check-out", "settings", "help", "editor", "parts")


@dataclass
class Found:
    size: tuple[int, int]
    problems: list[str] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)   # "screen: text" -> longest line
    fields: dict[str, int] = field(default_factory=dict)  # "screen: control" -> widest seen
    screens: int = 0


@pytest.fixture(scope="module")
def walks(qapp, tmp_path_factory):
    practices, broken = load_all()
    path = str(tmp_path_factory.mktemp("layout") / "journal.db")
    demo_journal(path)
    found = {}
    with without_sound():
        for size in SIZES:
            context = AppContext(practices, broken, Preferences(), journal_path=path)
            found[size] = result = Found(size)
            walk(context, size, lambda stop, window: look(stop, window, result))
            close_context(context)
    return found


def look(stop: Stop, window: QWidget, result: Found) -> None:
    size = result.size
    QTest.qWait(20)
    result.screens += 1
    if stop.top is window and (window.width(), window.height()) != size:
        result.problems.append(f"{stop.name}: the window is {window.width()}x"
                               f"{window.height()}, not {size[0]}x{size[1]}")
    if stop.top is not window and (stop.top.width() > size[0] or stop.top.height() > size[1]):
        result.problems.append(f"{stop.name}: the dialog is {stop.top.width()}x"
                               f"{stop.top.height()}, bigger than the window")
    check_fits(stop.name, stop.top, result)
    for text in wrapped_texts(stop.top):
        where = f"{stop.name}: {text.text()[:40]!r}"
        result.lines[where] = max(result.lines.get(where, 0), longest_line(text))
    for control in (found for kind in FIELDS for found in visible(stop.top, kind)):
        where = f"{stop.name}: {type(control).__name__} {accessible_name(control)[:30]!r}"
        result.fields[where] = max(result.fields.get(where, 0), control.width())


def check_fits(screen: str, top: QWidget, result: Found) -> None:
    for area in visible(top, QAbstractScrollArea):
        bar = area.horizontalScrollBar()
        if isinstance(area, QAbstractSpinBox):
            continue
        if bar.isVisible() and bar.maximum() > 0:
            result.problems.append(f"{screen}: {type(area).__name__} "
                                   f"{area.accessibleName()!r} scrolls sideways")
        content = getattr(area, "widget", lambda: None)()
        if content is not None and content.minimumSizeHint().width() > area.viewport().width():
            result.problems.append(f"{screen}: {lineage(content)} needs "
                                   f"{content.minimumSizeHint().width()} px, has "
                                   f"{area.viewport().width()}")
    for widget in visible(top, QWidget):
        if not isinstance(widget, (*INTERACTIVE, QLabel)) or in_scroll_area(widget, top):
            continue
        least = SLIDER_MIN if isinstance(widget, QSlider) else widget.minimumSizeHint().width()
        if widget.width() < least - 1 and not isinstance(widget, QLabel):
            result.problems.append(f"{screen}: {type(widget).__name__}"
                                   f"({accessible_name(widget)[:40]!r}) is squeezed to "
                                   f"{widget.width()} px (needs {least})")
        shown = widget.visibleRegion().boundingRect()
        if shown.width() < widget.width() - 2 or shown.height() < widget.height() - 2:
            name = accessible_name(widget) or getattr(widget, "text", str)()
            result.problems.append(f"{screen}: {type(widget).__name__}({name[:40]!r})"
                                   f" is cut off: {shown.width()}x{shown.height()} of "
                                   f"{widget.width()}x{widget.height()} shown")


def in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    """Inside a scroll area it can be scrolled to (up and down only: see above)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if parent.objectName() == "qt_scrollarea_viewport":
            return True
        parent = parent.parentWidget()
    return False


def wrapped_texts(top: QWidget) -> list[QLabel]:
    """Every text shown that wraps: the step's words, notes, summaries, explanations."""
    return [text for text in top.findChildren(QLabel)
            if text.isVisible() and text.wordWrap() and text.text().strip()]


def longest_line(text: QLabel) -> int:
    """Characters on the longest line as the label lays its text out at its width."""
    document = QTextDocument()
    document.setDefaultFont(text.font())
    document.setDocumentMargin(0)
    if text.textFormat() == Qt.TextFormat.PlainText:
        document.setPlainText(text.text())
    else:
        document.setHtml(text.text())
    document.setTextWidth(text.contentsRect().width())
    document.size()                  # lays the lines out: until then a block has none
    longest, block = 0, document.begin()
    while block.isValid():
        layout = block.layout()
        for n in range(layout.lineCount()):
            line = layout.lineAt(n)
            longest = max(longest, len(block.text()[line.textStart():
                                                    line.textStart() + line.textLength()].strip()))
        block = block.next()
    return longest


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen_fits(walks, size):
    found = walks[size]
    assert found.screens >= 14
    assert found.problems == [], "\n".join(found.problems)


def test_lines_stay_readable_on_a_wide_screen(walks):
    lines = walks[(1920, 1080)].lines
    screens = {where.split(":")[0] for where in lines}
    assert {"player", "grounding", "help", "progress", "settings"} <= screens
    assert max(lines.values()) > 40, "nothing was measured"
    too_long = {where: n for where, n in lines.items() if n > MAX_CHARS}
    assert too_long == {}, too_long


def test_a_forms_fields_stay_in_a_column_on_a_wide_screen(walks):
    """A 1,500 px slider or field on a 1920 px screen is a long way for the eye and the hand."""
    fields = {where: width for where, width in walks[(1920, 1080)].fields.items()
              if where.split(":")[0] in FORMS}
    assert {where.split(":")[0] for where in fields} == set(FORMS)
    too_wide = {where: width for where, width in fields.items() if width > FORM_WIDTH}
    assert too_wide == {}, too_wide


def test_the_window_may_be_as_small_as_800_by_600(qapp, tmp_path):
    context = AppContext([], [], Preferences(), journal_path=str(tmp_path / "j.db"))
    window = MainWindow(context)
    assert window.minimumWidth() <= 800 and window.minimumHeight() <= 600
    window.close()
    close_context(context)


def arrow_contrast(widget: QWidget, area: QRect) -> int:
    """Pixels in `area` (widget coordinates) at 3:1 or more against the field's fill."""
    image, rect = render(widget)
    origin = widget.mapTo(widget.window(), QPoint(0, 0)) - rect.topLeft()
    colours = rgb(image)
    fill = colours[image.height() // 2, 6]                   # inside the field, left of text
    part = colours[area.top() + origin.y(): area.bottom() + origin.y(),
                   area.left() + origin.x(): area.right() + origin.x()]
    return int((ratios(luminances(part), luminances(fill)) >= UI_MIN).sum())


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_spin_box_and_drop_down_arrows_are_drawn(qtbot, theme, tmp_path):
    from app.ui.settings.view import SettingsView
    from dataclasses import replace
    context = AppContext([], [], replace(Preferences(), theme=theme),
                         journal_path=str(tmp_path / "j.db"))
    view = SettingsView(context)
    view.setStyleSheet(stylesheet(context.palette))
    qtbot.addWidget(view)
    view.resize(800, 600)
    view.show()
    qtbot.waitExposed(view)
    spin, combo = view.rate, view.theme
    option = QStyleOptionSpinBox()
    spin.initStyleOption(option)
    for part in (QStyle.SubControl.SC_SpinBoxUp, QStyle.SubControl.SC_SpinBoxDown):
        button = spin.style().subControlRect(QStyle.ComplexControl.CC_SpinBox, option, part,
                                             spin)
        assert button.width() >= 16 and arrow_contrast(spin, button) >= 8, part
    option = QStyleOptionComboBox()
    combo.initStyleOption(option)
    arrow = combo.style().subControlRect(QStyle.ComplexControl.CC_ComboBox, option,
                                         QStyle.SubControl.SC_ComboBoxArrow, combo)
    assert arrow_contrast(combo, arrow) >= 8
    # rounded: the drop-down does not paint a square corner over the border
    image, rect = render(combo)
    origin = combo.mapTo(combo.window(), QPoint(0, 0)) - rect.topLeft()
    corner = rgb(image)[origin.y(), origin.x() + combo.width() - 1]
    outside = rgb(render(combo.parentWidget())[0])[0, 0]
    assert ratios(luminances(corner[None]), luminances(outside[None]))[0] < 1.2
    close_context(context)
