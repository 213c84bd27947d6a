"""A small page-layout engine for the PDF report: blocks are measured, put on pages, then
painted — so every page can say "Page 3 of 12". QPainter and fonts only, no widgets.

Why not QTextDocument: a 3,650-row table takes it many seconds to lay out, and its charts
would have to be pictures. Measured blocks keep ten years well under the 5 s goal.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPagedPaintDevice, QPainter, QPen

FONT_FAMILY = "DejaVu Sans"            # TrueType: embeds as a searchable subset in the PDF
TEXT, MUTED, RULE, SHADE = "#1d2424", "#46504f", "#c9c2b6", "#f3efe8"
ROW_PAD_MM = 1.1                       # inside table cells; rows are also shaded alternately
STYLES = {                             # point size, bold — nothing under 10 pt, for print
    "title": (22, True), "h1": (15, True), "h2": (12, True), "body": (11, False),
    "bold": (11, True), "small": (10, False), "small_bold": (10, True), "figure": (18, True),
}


@dataclass
class Ink:
    """What every block needs to measure and paint: the device's units and the fonts."""
    device: QPagedPaintDevice
    dpi: float
    fonts: dict[str, QFont] = field(default_factory=dict)
    metrics: dict[str, QFontMetricsF] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name, (size, bold) in STYLES.items():
            font = QFont(FONT_FAMILY)
            font.setPointSizeF(size)
            font.setBold(bold)
            self.fonts[name] = font
            self.metrics[name] = QFontMetricsF(font, self.device)

    def mm(self, value: float) -> float:
        return value * self.dpi / 25.4

    def text_height(self, style: str, text: str, width: float) -> float:
        if not text:
            return 0.0
        flags = int(Qt.TextFlag.TextWordWrap)
        return self.metrics[style].boundingRect(QRectF(0, 0, width, 1e7), flags, text).height()

    def line(self, style: str) -> float:
        return self.metrics[style].lineSpacing()

    def draw_text(self, p: QPainter, rect: QRectF, style: str, text: str,
                  colour: str = TEXT, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft
                  ) -> None:
        p.setFont(self.fonts[style])
        p.setPen(QColor(colour))
        p.drawText(rect, int(align | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap),
                   text)

    def pen(self, colour: str, width_mm: float) -> QPen:
        pen = QPen(QColor(colour), self.mm(width_mm))
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        return pen


class Block(Protocol):
    keep_with_next: bool

    def height(self, ink: Ink, width: float) -> float: ...

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None: ...


@dataclass
class Text:
    text: str
    style: str = "body"
    colour: str = TEXT
    before_mm: float = 0.0
    after_mm: float = 2.0
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        return (ink.mm(self.before_mm) + ink.text_height(self.style, self.text, width)
                + ink.mm(self.after_mm))

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        top = rect.top() + ink.mm(self.before_mm)
        ink.draw_text(p, QRectF(rect.left(), top, rect.width(), rect.bottom() - top),
                      self.style, self.text, self.colour)


@dataclass
class Heading(Text):
    style: str = "h1"
    before_mm: float = 5.0
    after_mm: float = 2.5
    keep_with_next: bool = True


@dataclass
class Boxed:
    """A shaded note with a rule on its left, e.g. the privacy note."""
    text: str
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        return ink.text_height("body", self.text, width - ink.mm(10)) + ink.mm(10)

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        box = QRectF(rect.left(), rect.top() + ink.mm(1), rect.width(),
                     rect.height() - ink.mm(4))
        p.fillRect(box, QColor(SHADE))
        p.fillRect(QRectF(box.left(), box.top(), ink.mm(1.2), box.height()), QColor(RULE))
        ink.draw_text(p, box.adjusted(ink.mm(5), ink.mm(3), -ink.mm(5), 0), "body", self.text)


@dataclass
class Figures:
    """A row of key numbers: each with its title above and what it counts under it."""
    items: list[tuple[str, str, str]]                 # value, title, detail
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        cell = width / max(1, len(self.items)) - ink.mm(4)
        titles = max((ink.text_height("small_bold", t, cell) for _, t, _ in self.items),
                     default=0)
        details = max((ink.text_height("small", d, cell) for _, _, d in self.items), default=0)
        return titles + ink.line("figure") + details + ink.mm(6)

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        cell = rect.width() / max(1, len(self.items))
        titles = max(ink.text_height("small_bold", t, cell - ink.mm(4))
                     for _, t, _ in self.items)
        for n, (value, title, detail) in enumerate(self.items):
            left, width = rect.left() + n * cell, cell - ink.mm(4)
            ink.draw_text(p, QRectF(left, rect.top(), width, titles), "small_bold", title)
            top = rect.top() + titles
            ink.draw_text(p, QRectF(left, top, width, ink.line("figure")), "figure", value)
            ink.draw_text(p, QRectF(left, top + ink.line("figure"), width,
                                    rect.bottom() - top), "small", detail, MUTED)


@dataclass
class Columns:
    """Column widths as fractions of the text width, and their headings."""
    titles: list[str]
    fractions: list[float]

    def rects(self, ink: Ink, rect: QRectF) -> list[QRectF]:
        pad = ink.mm(ROW_PAD_MM)
        out, left = [], rect.left()
        for fraction in self.fractions:
            width = rect.width() * fraction
            out.append(QRectF(left + pad, rect.top() + pad, width - 2 * pad,
                              rect.height() - 2 * pad))
            left += width
        return out


@dataclass
class Row:
    """One table row; each cell is (text, style, colour). Rows shade alternately."""
    columns: Columns
    cells: list[list[tuple[str, str, str]]]
    shaded: bool = False
    header: bool = False
    keep_with_next: bool = False
    group: Block | None = None         # repeated under the header when a page breaks here

    def _cell_height(self, ink: Ink, cell: list[tuple[str, str, str]], width: float) -> float:
        return sum(ink.text_height(style, text, width) for text, style, _ in cell if text)

    def height(self, ink: Ink, width: float) -> float:
        pad = ink.mm(ROW_PAD_MM)
        widths = [width * f - 2 * pad for f in self.columns.fractions]
        return max(self._cell_height(ink, c, w) for c, w in zip(self.cells, widths)) + 2 * pad

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        if self.shaded or self.header:
            p.fillRect(rect, QColor(SHADE))
        if self.header:
            p.setPen(ink.pen(RULE, 0.3))
            p.drawLine(rect.bottomLeft(), rect.bottomRight())
        for cell, box in zip(self.cells, self.columns.rects(ink, rect)):
            top = box.top()
            for text, style, colour in cell:
                if text:
                    h = ink.text_height(style, text, box.width())
                    ink.draw_text(p, QRectF(box.left(), top, box.width(), h + 1), style, text,
                                  colour)
                    top += h


@dataclass
class Table:
    """Rows that may run over many pages; the header row repeats at the top of each."""
    header: Row
    rows: list[Block]


class PageBreak:
    keep_with_next = False

    def height(self, ink: Ink, width: float) -> float:
        return 0.0

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        pass


Placed = tuple[Block, float, float]                   # block, top, height


def paginate(blocks: list[Block | Table], ink: Ink, width: float, height: float
             ) -> list[list[Placed]]:
    """Put blocks on pages top to bottom. A block that does not fit starts a new page; a
    heading stays with what follows; a table's header is repeated on each new page."""
    flat: list[tuple[Block, Row | None]] = []
    for item in blocks:
        if isinstance(item, Table):
            flat.append((item.header, None))
            flat += [(row, item.header) for row in item.rows]
        else:
            flat.append((item, None))
    heights = [b.height(ink, width) for b, _ in flat]
    pages: list[list[Placed]] = [[]]
    y = 0.0
    for i, (block, header) in enumerate(flat):
        if isinstance(block, PageBreak):
            if pages[-1]:
                pages.append([])
                y = 0.0
            continue
        need, j = heights[i], i
        while flat[j][0].keep_with_next and j + 1 < len(flat):   # a heading and its caption
            j += 1                                               # stay with what they name
            need += heights[j]
        if y + need > height and pages[-1]:
            pages.append([])
            y = 0.0
            if header is not None:
                for repeat in (header, getattr(block, "group", None)):
                    if repeat is not None:
                        repeat_h = repeat.height(ink, width)
                        pages[-1].append((repeat, y, repeat_h))
                        y += repeat_h
        pages[-1].append((block, y, min(heights[i], height - y)))
        y += heights[i]
    return pages
