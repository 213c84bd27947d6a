"""The drawn body: both figures, the heat over them and the marks as dots; it maps taps to
regions. Shared by the body map, the parts page and the region chooser."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor, QMouseEvent, QPainter, QPaintEvent, QPixmap, QTransform,
)
from PySide6.QtWidgets import QToolTip, QWidget

from app.core import body
from app.core.records import VIEWS
from app.ui.body.mark_panel import dot_colour
from app.ui.body.paint import (
    figure_transforms, outlines, paint_caption, paint_figure, region_paths,
)
from app.ui.body.paint import pen as _pen
from app.ui.common.theme import Palette

CAPTION_PX = 28
DOT_RADIUS_PX = 8.0                                   # a dot at least 16 px across


@dataclass(frozen=True)
class Dot:
    id: int | None                                    # None until the mark is committed
    view: str
    x: float                                          # box units
    y: float
    intensity: int | None                             # None: strength not rated


class BodyCanvas(QWidget):
    """Draws both figures and turns pointer positions into regions."""

    hovered = Signal(str, str)                        # view, region id ("" when off the body)
    picked = Signal(str, str, float, float)           # view, region id, x, y in box units

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        self.palette_ = palette
        self.setMouseTracking(True)
        self.setMinimumSize(220, 320)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)   # the list is the keyboard path
        self.setProperty("focusRing", True)              # drawn in paintEvent
        self.setAccessibleName("Body map, front and back")
        self.setAccessibleDescription("Tap where you feel something. The list of body areas "
                                      "beside the figures does the same with the keyboard.")
        self.outlines = outlines()                        # shared with the heat map and PDF
        self.paths = region_paths()
        self.dots: list[Dot] = []
        self.heat: dict[tuple[str, str], float] = {}
        self.hover: tuple[str, str] | None = None
        self.selected: tuple[str, str] | None = None
        self._pressed: tuple[str, str] | None = None
        self._transforms: dict[str, QTransform] = {}
        self._backdrop: QPixmap | None = None

    def transform(self, view: str) -> QTransform:
        if not self._transforms:
            self._layout()
        return self._transforms[view]

    def box_to_widget(self, view: str, x: float, y: float) -> QPointF:
        """Box units (as in regions.json) to this widget's pixels."""
        return self.transform(view).map(QPointF(x, y))

    def widget_to_box(self, pos: QPointF) -> tuple[str, float, float] | None:
        """Which figure's box a pixel falls in, and where in it; None between or outside."""
        bw, bh = body.box()
        for view in VIEWS:
            inverse, ok = self.transform(view).inverted()
            p = inverse.map(QPointF(pos))
            if ok and 0 <= p.x() <= bw and 0 <= p.y() <= bh:
                return view, p.x(), p.y()
        return None

    def region_at(self, pos: QPointF) -> tuple[str, body.Region, float, float] | None:
        hit = self.widget_to_box(pos)
        found = body.region_at(*hit) if hit else None
        return (hit[0], found, hit[1], hit[2]) if hit and found else None

    def _layout(self) -> None:
        """Two equal columns; the figure keeps its proportions and sits above its caption."""
        self._transforms = figure_transforms(QRectF(0, 0, self.width(), self.height()),
                                             CAPTION_PX)

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._transforms.clear()
        self._backdrop = None
        super().resizeEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hit = self.region_at(event.position())
        key = (hit[0], hit[1].id) if hit else None
        if key != self.hover:
            self.hover = key
            self.hovered.emit(*(key or ("", "")))
            self.setCursor(Qt.CursorShape.PointingHandCursor if key else
                           Qt.CursorShape.ArrowCursor)
            if hit:
                QToolTip.showText(event.globalPosition().toPoint(), hit[1].label, self)
            else:
                QToolTip.hideText()
            self.update()

    def leaveEvent(self, event) -> None:  # noqa: N802
        if self.hover:
            self.hover = None
            self.hovered.emit("", "")
            self.update()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        hit = self.region_at(event.position()) if event.button() == Qt.MouseButton.LeftButton \
            else None
        self._pressed = (hit[0], hit[1].id) if hit else None

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802
        # A tap is press and release on the same region: a slip off the body cancels it.
        hit = self.region_at(event.position())
        if hit and self._pressed == (hit[0], hit[1].id):
            self.picked.emit(hit[0], hit[1].id, hit[2], hit[3])
        self._pressed = None

    def set_heat(self, heat: dict[tuple[str, str], float]) -> None:
        self.heat = heat
        self._backdrop = None
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        # The figures, heat and captions change rarely: paint them once into a pixmap, so a
        # hover or a new dot repaints only what moved.
        if self._backdrop is None or self._backdrop.deviceIndependentSize() != self.size():
            self._backdrop = self._render_backdrop()
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.drawPixmap(0, 0, self._backdrop)
        for key, alpha in ((self.selected, 0.42), (self.hover, 0.26)):
            if key and key[1] in self.paths[key[0]]:
                colour = QColor(self.palette_.accent)
                colour.setAlphaF(alpha)
                p.setTransform(self.transform(key[0]))
                # the outline in the focus colour, so the area the list points at (and the
                # one being marked) is seen at 3:1 on the figure, whatever the shading
                p.setPen(_pen(self.palette_.focus, 2.5))
                p.setBrush(colour)
                p.drawPath(self.paths[key[0]][key[1]])
        p.resetTransform()
        self._paint_dots(p)
        if self.hasFocus():
            p.setPen(_pen(self.palette_.focus, 2.0))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), 8, 8)
        p.end()

    def focusInEvent(self, event) -> None:  # noqa: N802
        self.update()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:  # noqa: N802
        self.update()
        super().focusOutEvent(event)

    def _render_backdrop(self) -> QPixmap:
        ratio = self.devicePixelRatioF()
        pixmap = QPixmap(self.size() * ratio)
        pixmap.setDevicePixelRatio(ratio)
        pixmap.fill(Qt.GlobalColor.transparent)
        p = QPainter(pixmap)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(self.font())                         # a pixmap knows no stylesheet font
        for view in VIEWS:
            p.setTransform(self.transform(view))
            self._paint_figure(p, view)
            p.resetTransform()
            self._paint_caption(p, view)
        p.end()
        return pixmap

    def _paint_figure(self, p: QPainter, view: str) -> None:
        paint_figure(p, view, self.heat, self.palette_)

    def _paint_caption(self, p: QPainter, view: str) -> None:
        paint_caption(p, self.transform(view), view, self.palette_, CAPTION_PX)

    def _paint_dots(self, p: QPainter) -> None:
        """Each mark as a dot in its intensity's colour (a neutral grey when not rated),
        ringed in the text colour: dark on the light figure, light on the dark one, so even a
        pale dot stands out at 3:1."""
        radius = max(DOT_RADIUS_PX, self.transform("front").m11() * 2.2)
        p.setPen(_pen(self.palette_.text, 2.0))
        for dot in self.dots:
            p.setBrush(dot_colour(dot.intensity, self.palette_))
            p.drawEllipse(self.box_to_widget(dot.view, dot.x, dot.y), radius, radius)
