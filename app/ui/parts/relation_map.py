"""A calm map of the parts and how they relate.

Protectors (managers, firefighters) sit on top, parts not yet known in the middle, exiles
below, so "protects" arrows mostly point down to what they guard. Polarised pairs are placed
side by side where possible and joined by a dashed line; "protects" is a solid arrow. The
same relations are listed in words below the map for the keyboard and screen readers.
"""
from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor, QFont, QFontMetrics, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPaintEvent, QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from app.core import parts as core
from app.core.records import Part
from app.ui.parts.bits import part_colour, tint
from app.ui.common.theme import Palette
from app.ui.common.widgets import scroll_area

ROW_ROLES = (("manager", "firefighter"), ("unsure",), ("exile",))
NODE_W, NODE_H, GAP = 176, 64, 22
SLOT_MIN = 160                     # px per part across: room for the node and a visible link
ROW_PITCH = (NODE_H + 56, NODE_H + 110)  # row spacing, smallest and largest
MARGIN_TOP, LEGEND_H = 56, 44
BENDS = (0, 50, -50, 100, -100, 160, -160, 230, -230)   # px: curves tried, gentlest first
Links = list[core.LinkRow]


def order_row(ids: list[int], links: Iterable[core.LinkRow]) -> list[int]:
    """Keep the given order, but pull each part's polarised partners in right beside it."""
    partners: dict[int, list[int]] = defaultdict(list)
    for _id, a, b, kind in links:
        if kind == "polarised" and a in ids and b in ids:
            partners[a].append(b)
            partners[b].append(a)
    placed: list[int] = []
    for start in ids:
        chain = [start]
        while chain:
            node = chain.pop(0)
            if node not in placed:
                placed.append(node)
                chain.extend(sorted(partners[node], key=ids.index))
    return placed


def wrap_row(ids: list[int], per_row: int, links: Iterable[core.LinkRow]) -> list[list[int]]:
    """Split a long row, never between a polarised pair if that can be helped."""
    pairs = {frozenset((a, b)) for _id, a, b, kind in links if kind == "polarised"}
    rows: list[list[int]] = []
    row: list[int] = []
    for n, part_id in enumerate(ids):
        row.append(part_id)
        following = ids[n + 1] if n + 1 < len(ids) else None
        if len(row) < max(1, per_row) or following is None:
            continue
        if len(row) > 2 and frozenset((part_id, following)) in pairs:
            rows.append(row[:-1])            # carry this one over to sit beside its partner
            row = [part_id]
        else:
            rows.append(row)
            row = []
    return rows + ([row] if row else [])


def layout_rows(parts: list[Part], links: Links, per_row: int) -> list[list[int]]:
    """Rows of part ids, top to bottom, at most `per_row` wide."""
    rows = []
    for roles in ROW_ROLES:
        ids = order_row([p.id for p in parts if p.role in roles and p.id is not None], links)
        rows.extend(wrap_row(ids, per_row, links))
    return rows


def two_lines(text: str, metrics: QFontMetrics, width: int) -> str:
    """A name on at most two lines, the second elided: long names stay whole where they can."""
    words, first = text.split(), ""
    while words and metrics.horizontalAdvance((first + " " + words[0]).strip()) <= width:
        first = (first + " " + words.pop(0)).strip()
    if not first:                                        # one very long word
        return metrics.elidedText(text, Qt.TextElideMode.ElideRight, width)
    rest = " ".join(words)
    return first + ("\n" + metrics.elidedText(rest, Qt.TextElideMode.ElideRight, width)
                    if rest else "")


def _edge_point(rect: QRectF, towards: QPointF) -> QPointF:
    """Where the line from the rect's centre towards a point leaves the rect."""
    c = rect.center()
    dx, dy = towards.x() - c.x(), towards.y() - c.y()
    if dx == 0 and dy == 0:
        return c
    t = min(rect.width() / 2 / abs(dx) if dx else math.inf,
            rect.height() / 2 / abs(dy) if dy else math.inf)
    return QPointF(c.x() + dx * t, c.y() + dy * t)


class PartsMap(QWidget):
    part_activated = Signal(int)

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette_ = palette
        self.parts: dict[int, Part] = {}
        self.links: Links = []
        self.rects: dict[int, QRectF] = {}
        self.rows: list[list[int]] = []
        self.focused: int | None = None
        self.setMinimumWidth(300)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setProperty("focusRing", True)      # the focused part is ringed in paintEvent
        self.setAccessibleName("Map of parts")

    def set_parts(self, parts: list[Part], links: Links) -> None:
        self.parts = {p.id: p for p in parts if p.id is not None}
        self.links = [link for link in links if link[1] in self.parts and link[2] in self.parts]
        if self.focused not in self.parts:
            self.focused = None
        self._layout()
        self.setAccessibleDescription(
            "Use the arrow keys to move between parts and Enter to open one. "
            f"{len(self.parts)} parts, {len(self.links)} links, also listed below the map.")
        self.update()

    # -- geometry ----------------------------------------------------------------------------

    def _layout(self) -> None:
        width = max(1, self.width() - 2 * GAP)
        self.rows = layout_rows(list(self.parts.values()), self.links,
                                max(1, int(width // SLOT_MIN)))
        slot = width / max([len(row) for row in self.rows] + [1])
        node_w = min(NODE_W, slot * 0.72)           # gaps wide enough to see a link cross
        # as tall as the rows need (the panel scrolls), spread out a little when there is room
        margin = MARGIN_TOP if not self.links else 24    # room for the "no links yet" hint
        self.setMinimumHeight(int(margin + LEGEND_H + ROW_PITCH[0] * len(self.rows)))
        usable = self.height() - margin - LEGEND_H
        pitch = max(ROW_PITCH[0], min(ROW_PITCH[1], usable / max(1, len(self.rows))))
        top = margin + (usable - pitch * len(self.rows)) / 2
        self.rects = {}
        for r, row in enumerate(self.rows):
            y = top + pitch * (r + 0.5)
            for i, part_id in enumerate(row):
                x = GAP + width * (i + 0.5) / len(row)
                self.rects[part_id] = QRectF(x - node_w / 2, y - NODE_H / 2, node_w, NODE_H)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._layout()
        super().resizeEvent(event)

    def part_at(self, pos: QPointF) -> int | None:
        return next((pid for pid, rect in self.rects.items() if rect.contains(pos)), None)

    # -- painting ----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette_
        p.fillRect(self.rect(), QColor(pal.surface))
        if not self.parts:
            p.setPen(QColor(pal.muted))
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter,
                       "The parts you name will appear here.")
            p.end()
            return
        if not self.links:
            p.setPen(QColor(pal.muted))
            p.drawText(QRectF(GAP, 8, self.width() - 2 * GAP, MARGIN_TOP - 8),
                       Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap,
                       "No links yet. In a part's editor you can note which parts pull "
                       "against each other, and which protect another.")
        for link in self.links:
            self._paint_link(p, link)
        for part_id in self.rects:
            self._paint_node(p, part_id)
        self._paint_legend(p)
        p.end()

    def _paint_link(self, p: QPainter, link: core.LinkRow) -> None:
        _id, a, b, kind = link
        polarised = kind == "polarised"
        pen = QPen(QColor(self.palette_.ground if polarised else self.palette_.accent), 2.2)
        if polarised:
            pen.setDashPattern([5, 4])
        p.setPen(pen)
        p.setBrush(Qt.BrushStyle.NoBrush)
        path, direction_from, end = self.route(a, b)
        p.drawPath(path)
        if not polarised:
            self._arrow(p, direction_from, end, pen.color())

    def route(self, a: int, b: int) -> tuple[QPainterPath, QPointF, QPointF]:
        """A line from a to b that passes no other part: straight if it can, else a curve
        that clears them (or, failing that, crosses the fewest). Returns the path, a point
        the arrow's direction comes from, and the end point at b's edge."""
        others = [r.adjusted(-6, -6, 6, 6) for pid, r in self.rects.items() if pid not in (a, b)]
        candidates = self._candidates(a, b)
        best = next(candidates)                 # the straight line comes first, always
        best_hits = math.inf
        for candidate in itertools.chain([best], candidates):
            path = candidate[0]
            hits = sum(r.contains(path.pointAtPercent(t / 32)) for t in range(1, 32)
                       for r in others)
            if hits == 0:
                return candidate
            if hits < best_hits:
                best, best_hits = candidate, hits
        return best

    def _candidates(self, a: int, b: int) -> Iterator[tuple[QPainterPath, QPointF, QPointF]]:
        ra, rb = self.rects[a], self.rects[b]
        start, end = _edge_point(ra, rb.center()), _edge_point(rb, ra.center())
        straight = QPainterPath(start)
        straight.lineTo(end)
        yield straight, start, end
        if abs(ra.center().y() - rb.center().y()) > NODE_H:
            yield from self._through_gaps(a, b)
        mid = (ra.center() + rb.center()) / 2
        dx, dy = rb.center().x() - ra.center().x(), rb.center().y() - ra.center().y()
        length = math.hypot(dx, dy) or 1.0
        normal = QPointF(-dy / length, dx / length)
        for bend in BENDS:
            control = mid + normal * bend
            start, end = _edge_point(ra, control), _edge_point(rb, control)
            path = QPainterPath(start)
            path.quadTo(control, end)
            yield path, control, end

    def _through_gaps(self, a: int, b: int):
        """Between rows: an S-curve down through a gap in the row(s) in between."""
        ra, rb = self.rects[a], self.rects[b]
        down = ra.center().y() < rb.center().y()
        start = QPointF(ra.center().x(), ra.bottom() if down else ra.top())
        end = QPointF(rb.center().x(), rb.top() if down else rb.bottom())
        low, high = sorted((start.y(), end.y()))
        band = sorted((r for pid, r in self.rects.items()
                       if pid not in (a, b) and low < r.center().y() < high),
                      key=lambda r: r.left())
        if not band:
            return
        gaps = [(left.right() + right.left()) / 2 for left, right in zip(band, band[1:])]
        gaps += [band[0].left() - 24, band[-1].right() + 24]
        aim = (start.x() + end.x()) / 2
        for gx in sorted(gaps, key=lambda g: abs(g - aim)):
            c1 = QPointF(gx, start.y() + (end.y() - start.y()) * 0.45)
            c2 = QPointF(gx, start.y() + (end.y() - start.y()) * 0.55)
            path = QPainterPath(start)
            path.cubicTo(c1, c2, end)
            yield path, c2, end

    def _arrow(self, p: QPainter, source: QPointF, tip: QPointF, colour: QColor) -> None:
        angle = math.atan2(tip.y() - source.y(), tip.x() - source.x())
        size = 11
        wing = [QPointF(tip.x() - size * math.cos(angle + s), tip.y() - size * math.sin(angle + s))
                for s in (0.42, -0.42)]
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawPolygon(QPolygonF([tip, *wing]))

    def _paint_node(self, p: QPainter, part_id: int) -> None:
        part, rect = self.parts[part_id], self.rects[part_id]
        pal = self.palette_
        focused = part_id == self.focused and self.hasFocus()
        p.setPen(QPen(QColor(pal.focus) if focused else part_colour(part.colour).darker(115),
                      3 if focused else 1.6))
        p.setBrush(tint(part.colour, pal.surface, 0.35))
        p.drawRoundedRect(rect, 12, 12)
        name_rect, role_rect = self.text_rects(part_id)
        font = p.font()
        p.setPen(QColor(pal.text))
        p.drawText(name_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                   two_lines(part.name, QFontMetrics(font), int(name_rect.width())))
        small = QFont(font)
        small.setPointSizeF(font.pointSizeF() * 0.8)
        p.setFont(small)
        p.setPen(QColor(pal.text))          # the tint is darker than the surface: muted fades
        p.drawText(role_rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom,
                   core.role_label(part.role))
        p.setFont(self.font())

    def text_rects(self, part_id: int) -> tuple[QRectF, QRectF]:
        """Where a node's name (top, two lines at most) and its role (bottom line) go."""
        inner = self.rects[part_id].adjusted(10, 5, -10, -5)
        role_height = QFontMetrics(self.font()).height()
        role = QRectF(inner.left(), inner.bottom() - role_height, inner.width(), role_height)
        return inner, role

    def _paint_legend(self, p: QPainter) -> None:
        pal = self.palette_
        y = self.height() - LEGEND_H / 2
        x = GAP
        for kind, words in (("polarised", "pull against each other"), ("protects", "protects")):
            pen = QPen(QColor(pal.ground if kind == "polarised" else pal.accent), 2.2)
            if kind == "polarised":
                pen.setDashPattern([5, 4])
            p.setPen(pen)
            # 50 px: whole dashes (the pattern is in pen widths: 11 px on, 9 off)
            p.drawLine(QPointF(x, y), QPointF(x + 50, y))
            if kind == "protects":
                self._arrow(p, QPointF(x, y), QPointF(x + 54, y), pen.color())
            p.setPen(QColor(pal.muted))
            text_rect = QRectF(x + 62, y - 12, 220, 24)
            p.drawText(text_rect, Qt.AlignmentFlag.AlignVCenter, words)
            x += 62 + QFontMetrics(p.font()).horizontalAdvance(words) + 36

    # -- pointer and keyboard ----------------------------------------------------------------

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        part_id = self.part_at(event.position())
        if part_id is not None and event.button() == Qt.MouseButton.LeftButton:
            self.focused = part_id
            self.update()
            self.part_activated.emit(part_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        order = [pid for row in self.rows for pid in row]
        key = event.key()
        if not order:
            return super().keyPressEvent(event)
        at = order.index(self.focused) if self.focused in order else -1
        steps: dict[int, int] = {Qt.Key.Key_Right: 1, Qt.Key.Key_Down: 1, Qt.Key.Key_Left: -1,
                                 Qt.Key.Key_Up: -1}           # key() is an int
        if key in steps:
            self.focused = order[max(0, min(len(order) - 1, at + steps[key]))]
        elif key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.focused = order[0 if key == Qt.Key.Key_Home else -1]
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space) and at >= 0:
            self.part_activated.emit(self.focused)
            return
        else:
            return super().keyPressEvent(event)
        part = self.parts[self.focused]
        self.setAccessibleDescription(f"{part.name}, {core.role_label(part.role)}")
        self.update()

    def focusInEvent(self, event) -> None:  # noqa: N802
        if self.focused is None and self.rows:
            self.focused = self.rows[0][0]
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)


class PartsMapPanel(QWidget):
    """The map, and under it the same links in words (each opens its first part)."""
    part_activated = Signal(int)

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.map = PartsMap(palette)
        self.list = QListWidget()
        self.list.setAccessibleName("Links between parts, in words")
        self.list.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # map and list scroll together, so a small window still shows every part whole
        inner = QWidget()
        column = QVBoxLayout(inner)
        column.setContentsMargins(0, 12, 0, 0)
        column.addWidget(self.map, 1)
        column.addWidget(self.list)
        scroll = scroll_area(inner)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.map.part_activated.connect(self.part_activated)
        self.list.itemActivated.connect(
            lambda item: self.part_activated.emit(item.data(Qt.ItemDataRole.UserRole)))

    def set_parts(self, parts: list[Part], links: Links) -> None:
        self.map.set_parts(parts, links)
        names = {p.id: p.name for p in parts}
        self.list.clear()
        for _id, a, b, kind in self.map.links:
            item = QListWidgetItem(core.describe_link(names[a], names[b], kind), self.list)
            item.setData(Qt.ItemDataRole.UserRole, a)
        self.list.setVisible(bool(self.map.links))
        self.list.setFixedHeight(self.list.sizeHintForRow(0) * self.list.count() + 8
                                 if self.list.count() else 0)
