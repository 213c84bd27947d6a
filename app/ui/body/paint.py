"""Drawing the two body figures with a QPainter, on any paint device and any thread.

One drawing for three places: the body map widget, the progress view's heat map and the PDF
report. No widgets here, so the report can paint it into a QPdfWriter on a worker thread.
Shapes come from app.core.body (resources/body/regions.json), like the hit test.
"""
from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen, QPolygonF, QTransform

from app.core import body
from app.core.progress import HeatKey
from app.core.records import VIEWS
from app.ui.body.mark_panel import intensity_colour
from app.ui.common.theme import Palette

CAPTIONS = {"front": "Front", "back": "Back"}
# Where the person's own left and right are on each drawn figure (viewer's left side first).
SIDE_WORDS = {"front": ("right", "left"), "back": ("left", "right")}
CROP = QRectF(6, 2, 88, 247)                          # the part of the box the figure fills
HAND_X, HAND_BOTTOM = (19.0, 81.0), 157.0             # box units, from regions.json

Heat = dict[tuple[str, str], float]                   # (view, region id) -> 0–1


def polygon_path(points: tuple[tuple[float, float], ...]) -> QPainterPath:
    path = QPainterPath()
    path.addPolygon(QPolygonF([QPointF(x, y) for x, y in points]))
    path.closeSubpath()
    return path


@lru_cache(maxsize=1)
def _shapes() -> tuple[dict[str, QPainterPath], dict[str, dict[str, QPainterPath]]]:
    """Outlines and region paths, built once: 72 polygons are not free to convert."""
    outlines = {v: polygon_path(body.outline(v)) for v in VIEWS}
    regions = {v: {r.id: polygon_path(r.polygon) for r in body.regions(v)} for v in VIEWS}
    return outlines, regions


def outlines() -> dict[str, QPainterPath]:
    return _shapes()[0]


def region_paths() -> dict[str, dict[str, QPainterPath]]:
    return _shapes()[1]


def pen(colour: str | QColor, width: float, alpha: float = 1.0) -> QPen:
    c = QColor(colour)
    c.setAlphaF(alpha)
    result = QPen(c, width)
    result.setCosmetic(True)                          # same line width at any size
    result.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return result


def figure_transforms(rect: QRectF, caption_px: float) -> dict[str, QTransform]:
    """Two equal columns in `rect`; each figure keeps its proportions above its caption."""
    half = rect.width() / 2
    usable_h = max(1.0, rect.height() - caption_px - 8)
    scale = max(0.1, min((half - 12) / CROP.width(), usable_h / CROP.height()))
    top = rect.top() + 4 + (usable_h - CROP.height() * scale) / 2
    transforms = {}
    for n, view in enumerate(VIEWS):
        left = rect.left() + n * half + (half - CROP.width() * scale) / 2
        t = QTransform()
        t.translate(left - CROP.left() * scale, top - CROP.top() * scale)
        t.scale(scale, scale)
        transforms[view] = t
    return transforms


def paint_figure(p: QPainter, view: str, heat: Heat, palette: Palette,
                 line_scale: float = 1.0) -> None:
    """The silhouette, heat shading and faint region lines, in box units (set the transform).

    `line_scale` widens the cosmetic pens on high-resolution devices such as a PDF, whose
    "pixel" is a 1/1200 inch dot.
    """
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor(palette.figure))
    p.drawPath(outlines()[view])
    paths = region_paths()[view]
    for rid, path in paths.items():
        score = heat.get((view, rid))
        if score:
            # faint when rare, so the map stays calm and the few hot places stand out
            p.fillPath(path, intensity_colour(score, 0.12 + 0.7 * score))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.setPen(pen(palette.figure_line, 0.8 * line_scale, 0.25))   # areas to tap, not a grid
    for path in paths.values():
        p.drawPath(path)
    p.setPen(pen(palette.figure_line, 1.6 * line_scale))
    p.drawPath(outlines()[view])


def paint_caption(p: QPainter, t: QTransform, view: str, palette: Palette,
                  caption_px: float) -> None:
    """"Front"/"Back" under the figure and, under each hand, whose side it is."""
    top_left = t.map(QPointF(CROP.left(), CROP.bottom()))
    bottom_right = t.map(QPointF(CROP.right(), CROP.bottom()))
    rect = QRectF(top_left.x(), top_left.y() + 2, bottom_right.x() - top_left.x(),
                  caption_px - 4)
    p.setPen(QColor(palette.text))
    p.drawText(rect, Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
               CAPTIONS[view])
    # the figure faces us on the front, not on the back
    p.setPen(QColor(palette.muted))
    half_width = caption_px * 40 / 28                   # 40 px beside the 28 px caption
    for x, word in zip(HAND_X, SIDE_WORDS[view]):
        under = t.map(QPointF(x, HAND_BOTTOM + 2))
        p.drawText(QRectF(under.x() - half_width, under.y(), 2 * half_width, caption_px),
                   Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop, word)


def paint_body(p: QPainter, rect: QRectF, heat: Heat, palette: Palette,
               caption_px: float = 28, line_scale: float = 1.0) -> dict[str, QTransform]:
    """Both figures with their heat and captions inside `rect`; returns the transforms used
    (box units -> device), so a caller can hit-test or place dots the same way."""
    transforms = figure_transforms(rect, caption_px)
    saved = p.transform()
    for view in VIEWS:
        p.setTransform(transforms[view] * saved)
        paint_figure(p, view, heat, palette, line_scale)
        p.setTransform(saved)
        paint_caption(p, transforms[view], view, palette, caption_px)
    return transforms


def heat_key_items(key: HeatKey, title: str, metrics, swatch_px: float, width: float
                   ) -> list[tuple[float, float, int]]:
    """Where each item of the key goes: (x, line, class index; -1 for the title), wrapping
    onto more lines when one is too narrow."""
    placed: list[tuple[float, float, int]] = [(0.0, 0, -1)]
    x, line = metrics.horizontalAdvance(title) + swatch_px, 0
    for n, text in enumerate(key.labels):
        item = swatch_px * 4 / 3 + metrics.horizontalAdvance(text)
        if x + item > width and x > 0:
            x, line = swatch_px, line + 1
        placed.append((x, line, n))
        x += item + swatch_px
    return placed


def paint_heat_key(p: QPainter, rect: QRectF, key: HeatKey, palette: Palette,
                   swatch_px: float, title: str, text_colour: str | None = None) -> float:
    """The colour key under the figures: a title, then each class's swatch and its values,
    wrapping as the width needs; returns the height used."""
    text_colour = text_colour or palette.text
    metrics = p.fontMetrics()
    line_h = max(metrics.height(), swatch_px) * 1.4
    align = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    placed = heat_key_items(key, title, metrics, swatch_px, rect.width())
    for x, line, n in placed:
        top = rect.top() + line * line_h
        text = title if n < 0 else key.labels[n]
        if n >= 0:
            shade = key.shade(n + 1)
            box = QRectF(rect.left() + x, top + (line_h - swatch_px) / 2, swatch_px, swatch_px)
            p.fillRect(box, QColor(palette.figure))          # as on the figure itself
            p.fillRect(box, intensity_colour(shade, 0.12 + 0.7 * shade))
            x += swatch_px * 4 / 3
        p.setPen(QColor(text_colour))
        p.drawText(QRectF(rect.left() + x, top, metrics.horizontalAdvance(text) + 2, line_h),
                   align, text)
    return (max(line for _, line, _ in placed) + 1) * line_h
