"""Paints each practice in the library as a calm card: title, length and tags, summary.

A delegate instead of a widget per row: the library is the first thing painted at start-up,
and per-row widgets with wrapped labels cost more than the whole window otherwise.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter
from PySide6.QtWidgets import QListWidget, QStyledItemDelegate, QStyleOptionViewItem

from app.ui.common.theme import Palette
from app.ui.library.card_paint import WRAP, draw_wrapped, pen, rounded, solid

# Plain numbers, not Qt.ItemDataRole / Qt.TextFlag: the first touch of PySide's `Qt` namespace
# builds all of its enums (~15 ms), and the library is painted before anything else needs it
# (the cards are painted with card_paint's calls for the same reason).
USER_ROLE = 0x0100                      # Qt.ItemDataRole.UserRole
PRACTICE_ID_ROLE = USER_ROLE + 9        # the practice's id (its record: LibraryView)
TITLE_ROLE = USER_ROLE + 10
META_ROLE = USER_ROLE + 11
SUMMARY_ROLE = USER_ROLE + 12
BROKEN_ROLE = USER_ROLE + 13
HEADER_ROLE = USER_ROLE + 14            # "Your practices": a heading row, not a card
SCRIPT_ROLE = USER_ROLE + 15            # the BrokenScript of a broken row
# QStyle.StateFlag's values, for a delegate painted without its view (see _state)
STATE_SELECTED, STATE_HAS_FOCUS = 0x8000, 0x0100
PAD_X, PAD_Y, GAP, MARGIN = 16, 12, 3, 4
HEIGHTS_KEPT = 512                      # cards whose heights are remembered
RANGES_KEPT = 8                         # widths a card's heights are remembered for


Index = QModelIndex | QPersistentModelIndex
# the narrowest and widest width (inside the card) its heights hold at, and the heights
Measured = tuple[int, int, tuple[int, int, int]]


class LibraryDelegate(QStyledItemDelegate):
    def __init__(self, palette: Palette, view: QListWidget | None = None):
        super().__init__(view)
        self.palette = palette
        self._view = view
        # a card's heights by its texts and font: each measured at one width, and valid at
        # every width from its widest line's up to that one (see _layout)
        self._heights: dict[tuple[tuple[str, ...], str], list[Measured]] = {}

    def _fonts(self, option: QStyleOptionViewItem) -> tuple[QFont, QFont]:
        title = QFont(option.font)
        title.setPointSizeF(option.font.pointSizeF() * 1.3)
        title.setWeight(QFont.Weight.DemiBold)
        return title, QFont(option.font)

    def _layout(self, option: QStyleOptionViewItem, index: Index, width: int
                ) -> tuple[int, int, int]:
        """The heights of a card's title, line and summary at `width`. Qt asks for a row's
        size many times while the list is laid out (44 times for 10 rows before the first
        frame) and each wraps three texts (~0.1 ms), at two widths or more (the list is laid
        out once more when its scroll bar appears, 12 px narrower). Text wraps the same at
        every width from its widest line's up to the width it was wrapped at (a line that fit
        still fits; a word that did not fit still does not), so an answer is kept with that
        range and given again for any width inside it."""
        inner = max(50, width - 2 * (PAD_X + MARGIN))
        texts = tuple(index.data(role) or "" for role in (TITLE_ROLE, META_ROLE, SUMMARY_ROLE))
        key = (texts, option.font.key())
        known = self._heights.get(key)
        if known is None:
            if len(self._heights) >= HEIGHTS_KEPT:      # a new library, a new font
                self._heights.clear()
            known = self._heights[key] = []
        for narrowest, widest, heights in known:
            if narrowest <= inner <= widest:
                return heights
        title_font, body_font = self._fonts(option)
        title, line, summary = (_measure(title_font, texts[0], inner),
                                _measure(body_font, texts[1], inner),
                                _measure(body_font, texts[2], inner))
        heights = (title[0], line[0], summary[0])
        if len(known) >= RANGES_KEPT:                   # resizing makes new widths
            del known[0]
        known.append((max(title[1], line[1], summary[1]), inner, heights))
        return heights

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        width = option.rect.width() or (self._view.viewport().width()
                                        if self._view is not None else 600)
        # A list of one column paints each card as wide as its viewport (wider than the width
        # it lays the cards out in, by a scroll bar's margin): the texts are wrapped, and
        # their heights kept, at the width they are painted at.
        painted = max(width, self._view.viewport().width()) if self._view is not None else width
        title_h, meta_h, summary_h = self._layout(option, index, painted)
        return QSize(width, title_h + meta_h + summary_h + 2 * GAP + 2 * PAD_Y + 2 * MARGIN)

    def _state(self, option: QStyleOptionViewItem, index: Index) -> tuple[bool, bool]:
        """(selected, has the focus ring), as QListView's paint sets them in option.state:
        read from the view, because option.state is a QStyle.StateFlag, and the first touch
        of QStyle makes PySide build its ~20 enums (thousands of values, ~6 ms before the
        first frame; tests/ui/test_startup_imports.py)."""
        view = self._view
        if view is None:
            state = int(option.state.value)
            return bool(state & STATE_SELECTED), bool(state & STATE_HAS_FOCUS)
        # the row's item answers from the view's selection model (whose Python type would
        # cost the first frame its enums)
        item = view.item(index.row())
        selected = item is not None and item.isSelected()
        focus = (view.hasFocus() or view.viewport().hasFocus()) and index == view.currentIndex()
        return selected, focus

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        if index.data(HEADER_ROLE):
            self._paint_header(painter, option, index)
            return
        p = self.palette
        broken = bool(index.data(BROKEN_ROLE))
        selected, has_focus = self._state(option, index)
        selected = selected and not broken
        card = QRectF(option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        outline = rounded(card, 8)
        painter.fillPath(outline, solid(QColor(p.soft if selected else p.surface)))
        painter.strokePath(outline, pen(QColor(p.accent if selected else p.border)))
        title_h, meta_h, summary_h = self._layout(option, index, option.rect.width())
        title_font, body_font = self._fonts(option)
        x = int(card.left()) + PAD_X
        width = int(card.width()) - 2 * PAD_X
        y = int(card.top()) + PAD_Y
        text = QColor(p.muted if broken else p.text)
        for font, colour, height, role in (
                (title_font, text, title_h, TITLE_ROLE),
                (body_font, QColor(p.muted), meta_h, META_ROLE),
                (body_font, text, summary_h, SUMMARY_ROLE)):
            painter.setFont(font)
            draw_wrapped(painter, QRect(x, y, width, height), index.data(role) or "", colour)
            y += height + GAP
        if has_focus and not broken:
            # the focus ring: 2 px in the theme's focus colour, just inside the card's edge
            painter.strokePath(rounded(card.adjusted(1, 1, -1, -1), 7), pen(QColor(p.focus), 2))
        painter.restore()

    def _paint_header(self, painter: QPainter, option: QStyleOptionViewItem, index: Index
                      ) -> None:
        """A section heading in the list, with its hint under it; a focus ring only when the
        keyboard is on it."""
        p = self.palette
        title_h, meta_h, _ = self._layout(option, index, option.rect.width())
        title_font, body_font = self._fonts(option)
        x, y = option.rect.left() + MARGIN + PAD_X, option.rect.top() + PAD_Y + MARGIN
        width = option.rect.width() - 2 * (MARGIN + PAD_X)
        painter.save()
        painter.setFont(title_font)
        draw_wrapped(painter, QRect(x, y, width, title_h), index.data(TITLE_ROLE) or "",
                     QColor(p.text))
        painter.setFont(body_font)
        draw_wrapped(painter, QRect(x, y + title_h + GAP, width, meta_h),
                     index.data(META_ROLE) or "", QColor(p.muted))
        if self._state(option, index)[1]:
            ring = QRectF(option.rect.adjusted(MARGIN, MARGIN, -MARGIN, -MARGIN))
            painter.strokePath(rounded(ring, 6), pen(QColor(p.focus), 2))
        painter.restore()


def _measure(font: QFont, text: str, width: int) -> tuple[int, int]:
    """How tall `text` is, wrapped at `width`, and how wide its widest line (an empty text
    takes no room: the heading's)."""
    if not text:
        return 0, 0
    bounds = QFontMetrics(font).boundingRect(QRect(0, 0, width, 10000), WRAP, text)
    return bounds.height(), bounds.width()
