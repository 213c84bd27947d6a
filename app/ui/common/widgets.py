"""Small building blocks shared by the views."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import shiboken6

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtGui import QFont, QFontMetricsF
from PySide6.QtWidgets import (
    QApplication, QButtonGroup, QFrame, QHBoxLayout, QLabel, QListWidget, QPushButton, QScrollArea,
    QStyledItemDelegate, QStyleOptionViewItem, QVBoxLayout, QWidget,
)

from app.ui.common.theme import ITEM_BORDER, ITEM_PADDING

if TYPE_CHECKING:      # QMessageBox is imported when a box is shown: it slows the first paint
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

# `Qt` is imported inside the functions that use it: importing it builds all of PySide's ~93
# `Qt` enums (~15 ms), and the library's first frame is made without them (see plain()).

CHARS_PER_LINE = 72            # a comfortable line to read: well under 80 characters
LINE_CAP = 70                  # other wrapped text (measured: no line over 80 characters)
FORM_WIDTH = 880               # px: a form's column on a wide screen (a 1,500 px slider or field
                               # is a long way for the eye and the hand); left, under the title
SAMPLE = ("Let yourself settle wherever you are, and notice how your breath moves today. "
          "Whatever you find is enough.")        # ordinary words, for an average width


def gui_app() -> QApplication:
    """The running QApplication (PySide types `instance()` as an optional QCoreApplication)."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        raise RuntimeError("the window needs a QApplication")
    return app


def label(text: str, role: str = "", wrap: bool = True, *, rich: bool = False) -> QLabel:
    """A label that shows its text exactly as written. Titles, notes and names come from
    scripts and from the person, and a QLabel left to guess would render `<img width=4000>`
    as a picture; only the app's own markup may ask for `rich=True` (and escape what it
    inserts)."""
    widget = LineCappedLabel() if wrap else QLabel()
    plain(widget, rich=rich)
    widget.setText(text)
    widget.setWordWrap(wrap)
    if role:
        widget.setProperty("role", role)
    return widget


def plain(widget: "QLabel | QMessageBox", *, rich: bool = False) -> None:
    """Show `widget`'s text as plain text (or, opting in, as the app's own rich text).
    Set by the property's key name, not Qt.TextFormat: the library's labels are made before
    the first frame, and the first touch of PySide's `Qt` namespace builds all its ~93 enums
    (~15 ms; tests/ui/test_startup_imports.py). Qt reads the key as the enum's value."""
    widget.setProperty("textFormat", "RichText" if rich else "PlainText")


def message(parent: QWidget | None, text: str, informative: str = "", *,
            title: str = "Secure Base", icon: "QMessageBox.Icon | None" = None
            ) -> "QMessageBox":
    """A message box whose words are plain text (they may hold titles, names or paths)."""
    from PySide6.QtWidgets import QMessageBox
    box = QMessageBox(parent)
    plain(box)
    box.setIcon(QMessageBox.Icon.Information if icon is None else icon)
    box.setWindowTitle(title)
    box.setText(text)
    if informative:
        box.setInformativeText(informative)
    return box


def button(text: str, accessible: str, role: str = "", tip: str = "") -> QPushButton:
    widget = QPushButton(text)
    widget.setAccessibleName(accessible)
    if role:
        widget.setProperty("role", role)
    if tip:
        widget.setToolTip(tip)
    return widget


def tab_stop_on_choice(group: QButtonGroup) -> None:
    """An exclusive group of buttons is one Tab stop; Qt gives it to the first button (then to
    the last one focused), whatever is chosen. Give it to the chosen one, as a radio group does:
    Tab lands on what is selected, and the arrows move the choice from there. With nothing
    chosen yet, the first button is the stop, so the group is never out of the keyboard's reach."""
    from PySide6.QtCore import Qt

    def follow(*_args) -> None:
        members = group.buttons()
        stop = next((m for m in members if m.isChecked()), members[0] if members else None)
        for member in members:
            member.setFocusPolicy(Qt.FocusPolicy.StrongFocus if member is stop
                                  else Qt.FocusPolicy.ClickFocus)
    group.buttonToggled.connect(follow)
    follow()


def card(layout_cls=QVBoxLayout) -> tuple[QFrame, QVBoxLayout | QHBoxLayout]:
    frame = QFrame()
    frame.setProperty("role", "card")
    layout = layout_cls(frame)
    layout.setContentsMargins(20, 16, 20, 16)
    layout.setSpacing(10)
    return frame, layout


def wrap_items(view: QListWidget) -> None:
    """Long items wrap onto more lines, never cut short with "…" nor scrolled sideways."""
    from PySide6.QtCore import Qt
    view.setWordWrap(True)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setItemDelegate(_WrapInsideThePadding(view))


class _WrapInsideThePadding(QStyledItemDelegate):
    """Qt decides whether an item needs a second line at the list's full width, then draws its
    words inside the padding and border the theme gives each item: at 800×600 a step title a
    little narrower than the list was drawn as "2. Choose something…". Measured where drawn."""

    def sizeHint(self, option: QStyleOptionViewItem, index) -> QSize:  # noqa: N802
        inside = QStyleOptionViewItem(option)
        inside.rect.setWidth(option.rect.width() - 2 * (ITEM_PADDING + ITEM_BORDER))
        return super().sizeHint(inside, index)


def minutes_text(seconds: float) -> str:
    seconds = max(0, int(round(seconds)))
    return f"{seconds // 60}:{seconds % 60:02d}"


def scroll_area(content: QWidget | None = None, *, reading: str = "",
                sideways: bool = False, kind: type[QScrollArea] = QScrollArea) -> QScrollArea:
    """A frameless scroll area that is never a blank Tab stop.

    A page's scroll area takes no focus: Tab goes to the controls inside, and the area scrolls
    to show each one. A `reading` area (the step's words, the grounding text) has no controls
    inside, so it takes focus only while its text is longer than it can show, and then shows
    the focus ring and scrolls with the arrow keys; `reading` is what a screen reader calls it
    then (e.g. "The words of this step"). `sideways`: allow a horizontal scroll bar
    (pages never need one; see tests/ui/test_layout.py). `kind`: a QScrollArea subclass."""
    from PySide6.QtCore import Qt
    area = kind()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    if not sideways:
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    _ShowsFocus(area)
    if reading:
        area.setAccessibleName(reading)
        area.setAccessibleDescription("Scroll with the arrow keys")
        area.setProperty("reading", True)
        area.setProperty("focusRing", True)
        _FocusWhenScrolling(area)
    if content is not None:
        area.setWidget(content)
    return area


class _ShowsFocus(QObject):
    """Scrolls the control that takes the focus into view, however the focus came in. (Qt
    does it only for Tab pressed inside the area: from a header above it, the sidebar or
    Shift+Tab from below, the focus ring would be drawn out of sight.)"""

    def __init__(self, area: QScrollArea):
        super().__init__(area)
        self.area = area
        gui_app().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if not shiboken6.isValid(self.area):
            return                  # the focus moves on while the area is being destroyed
        content = self.area.widget()
        if new is not None and content is not None and content.isAncestorOf(new):
            self.area.ensureWidgetVisible(new, 16, 16)


class _FocusWhenScrolling(QObject):
    """Gives a reading area Tab focus exactly while it has something to scroll."""

    def __init__(self, area: QScrollArea):
        super().__init__(area)
        self.area = area
        area.verticalScrollBar().rangeChanged.connect(lambda _low, _high: self.update())
        area.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in (QEvent.Type.Show, QEvent.Type.Resize):
            self.update()
        return False

    def update(self) -> None:
        from PySide6.QtCore import Qt
        scrolls = self.area.verticalScrollBar().maximum() > 0
        self.area.setFocusPolicy(Qt.FocusPolicy.StrongFocus if scrolls
                                 else Qt.FocusPolicy.NoFocus)


# The average character width of each font asked about, by the font's key: a label's cap is
# asked for every time its height for a width is (50 times for the library's few labels before
# the first frame), and measuring SAMPLE shapes its hundred characters each time.
_AVERAGE_WIDTHS: dict[str, float] = {}


def average_char_width(font: QFont) -> float:
    """The average width of a character of ordinary text in `font` (SAMPLE's)."""
    key = font.key()
    average = _AVERAGE_WIDTHS.get(key)
    if average is None:
        if len(_AVERAGE_WIDTHS) >= 64:      # a few fonts in all; never a growing list
            _AVERAGE_WIDTHS.clear()
        average = _AVERAGE_WIDTHS[key] = (QFontMetricsF(font).horizontalAdvance(SAMPLE)
                                          / len(SAMPLE))
    return average


class LineCappedLabel(QLabel):
    """A wrapped label whose lines stay readable however wide it is laid out: past about
    LINE_CAP characters a line, the rest of its width is left empty on the right (an inner
    margin), so the words wrap as in a column while the label still fills its row and its
    text starts where it always did. The empty part never holds the window wide."""

    def __init__(self, text: str = "", chars: int = LINE_CAP):
        super().__init__(text)
        self.chars = chars
        self._spare = 0                        # the inner right margin added for the cap
        # QLabel's default alignment is left; kept here rather than read back with
        # alignment(), whose Qt.AlignmentFlag would build PySide's whole `Qt` namespace while
        # the first frame is laid out (see plain()). Nothing sets it from a stylesheet.
        self._left_aligned = True

    def setAlignment(self, alignment: Qt.AlignmentFlag) -> None:  # noqa: N802
        from PySide6.QtCore import Qt
        self._left_aligned = not (alignment & ~Qt.AlignmentFlag.AlignLeft
                                  & Qt.AlignmentFlag.AlignHorizontal_Mask)
        super().setAlignment(alignment)

    def _cap(self) -> int:
        return math.ceil(average_char_width(self.font()) * self.chars)

    def _own_margins(self) -> tuple[int, int]:
        m = self.contentsMargins()
        return m.left(), m.right() - self._spare

    def _spare_for(self, width: int) -> int:
        if not self.wordWrap() or not self._left_aligned:
            return 0                           # centred or right-aligned text keeps its width
        left, right = self._own_margins()
        return max(0, width - left - right - self._cap())

    def resizeEvent(self, event) -> None:  # noqa: N802
        spare = self._spare_for(event.size().width())
        if spare != self._spare:
            m = self.contentsMargins()
            m.setRight(m.right() - self._spare + spare)
            self._spare = spare
            self.setContentsMargins(m)
        super().resizeEvent(event)

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        # QLabel wraps at `width` less its current margins: ask for the width that wraps where
        # the cap (for this width) will
        return super().heightForWidth(width - self._spare_for(width) + self._spare)

    def minimumSizeHint(self):  # noqa: N802
        return super().minimumSizeHint() - QSize(self._spare, 0)

    def sizeHint(self):  # noqa: N802
        return super().sizeHint() - QSize(self._spare, 0)


class ReadingLabel(QLabel):
    """Wrapped text whose lines stay readable (about CHARS_PER_LINE characters) however wide
    the window: its width follows its font, which the stylesheet sets when it is polished."""

    def __init__(self, text: str = "", role: str = "", chars: int = CHARS_PER_LINE):
        super().__init__(text)
        self.chars = chars
        self.setWordWrap(True)
        if role:
            self.setProperty("role", role)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            average = average_char_width(self.font())
            margins = self.contentsMargins()
            self.setMaximumWidth(math.ceil(average * self.chars) + margins.left()
                                 + margins.right())
        super().changeEvent(event)


def reading_area(text: QLabel, name: str) -> QScrollArea:
    """The text centred in a scroll area that scrolls by keyboard when it must; `name` is
    what a screen reader calls the area when it takes the focus."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addStretch(1)
    row.addWidget(text, 100)
    row.addStretch(1)
    return scroll_area(holder, reading=name)


def page_layout(owner: QWidget, title: str, subtitle: str = "", *, scroll: bool = False,
                margins: tuple[int, int] = (32, 24), spacing: int = 14,
                form: bool = False) -> QVBoxLayout:
    """A view's column: heading, optional subtitle, generous margins; scrolling if asked.
    A `form` (scrolling) keeps its column at most FORM_WIDTH wide, at the left, on wide screens."""
    host = owner
    if scroll:
        outer = QVBoxLayout(owner)
        outer.setContentsMargins(0, 0, 0, 0)
        host = QWidget()
        if form:   # the scroll area sizes its widget to the viewport, bounded by this
            host.setMaximumWidth(FORM_WIDTH + 2 * margins[0])
        outer.addWidget(scroll_area(host))
    layout = QVBoxLayout(host)
    layout.setContentsMargins(margins[0], margins[1], margins[0], margins[1])
    layout.setSpacing(spacing)
    layout.addWidget(label(title, "title"))
    if subtitle:
        layout.addWidget(label(subtitle, "subtitle"))
    return layout
