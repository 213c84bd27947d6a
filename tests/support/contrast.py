"""Measuring contrast the way WCAG 2.2 does, on palette colours and on real renders.

Renders are taken from the top-level window at the widget's place (`window.grab(rect)`), so
what is measured is what is on screen: the widget over whatever its parents paint.

- Text: in a render of one text-bearing widget, the background is its most common colour and
  the text is the pixel that differs most from it (a letter's stem is fully covered, so its
  colour is the text colour itself, not an antialiased blend).
- Focus: the same rectangle rendered without and with focus; every pixel that changed is part
  of the focus indicator, and each counts where the focused colour is at least 3:1 against the
  unfocused one (WCAG 2.4.13's "change of contrast" between the two states).
"""
from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Callable

import numpy as np

from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractScrollArea, QApplication, QScrollArea, QSlider, QStyle, QStyleOptionSlider, QWidget,
)

TEXT_MIN = 4.5            # WCAG 2.2 AA, 1.4.3: normal text
LARGE_TEXT_MIN = 3.0      # 18 pt, or 14 pt bold
UI_MIN = 3.0              # 1.4.11: parts of controls and graphics; 2.4.13: focus indicator
RING_MARGIN = 4           # px around a control where its focus ring may be drawn


def luminance(colour: QColor | str) -> float:
    c = QColor(colour)

    def channel(v: float) -> float:
        return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4
    return 0.2126 * channel(c.redF()) + 0.7152 * channel(c.greenF()) + 0.0722 * channel(c.blueF())


def ratio(a: QColor | str, b: QColor | str) -> float:
    la, lb = sorted((luminance(a), luminance(b)))
    return (lb + 0.05) / (la + 0.05)


def over(colour: QColor | str, background: QColor | str) -> QColor:
    """A translucent colour as it shows over an opaque background."""
    c, b = QColor(colour), QColor(background)
    a = c.alphaF()
    return QColor.fromRgbF(*(c.getRgbF()[i] * a + b.getRgbF()[i] * (1 - a) for i in range(3)))


def is_large(widget: QWidget) -> bool:
    font = widget.font()
    size = font.pointSizeF() if font.pointSizeF() > 0 else font.pixelSize() * 0.75
    bold = font.weight() >= 600
    return size >= 18 or (bold and size >= 14)


def window_rect(widget: QWidget, margin: int = 0) -> QRect:
    """The widget's rectangle in its window's coordinates, clipped to what is visible."""
    top = widget.window()
    visible = widget.visibleRegion().boundingRect()
    origin = widget.mapTo(top, QPoint(0, 0))
    rect = visible.translated(origin).adjusted(-margin, -margin, margin, margin)
    return rect.intersected(top.rect())


def render(widget: QWidget, margin: int = 0) -> tuple[QImage, QRect]:
    rect = window_rect(widget, margin)
    image = widget.window().grab(rect).toImage().convertToFormat(QImage.Format.Format_RGB32)
    return image, rect


def rgb(image: QImage) -> np.ndarray:
    """H×W×3 floats 0–1 (the image is RGB32: bytes B, G, R, A)."""
    data = np.frombuffer(bytes(image.constBits()), np.uint8)
    rows = data.reshape(image.height(), image.bytesPerLine())[:, :image.width() * 4]
    return rows.reshape(image.height(), image.width(), 4)[..., 2::-1] / 255.0


def luminances(values: np.ndarray) -> np.ndarray:
    linear = np.where(values <= 0.04045, values / 12.92, ((values + 0.055) / 1.055) ** 2.4)
    return linear @ np.array([0.2126, 0.7152, 0.0722])


def ratios(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    high, low = np.maximum(a, b), np.minimum(a, b)
    return (high + 0.05) / (low + 0.05)


def _name(values: np.ndarray) -> str:
    return QColor.fromRgbF(*(float(v) for v in values)).name()


@dataclass(frozen=True)
class TextContrast:
    ratio: float
    text: str             # #rrggbb
    background: str


def text_contrast(widget: QWidget) -> TextContrast | None:
    """The contrast of the text a widget shows (None: nothing drawn in it differs)."""
    image, _rect = render(widget)
    if image.isNull() or image.width() < 2 or image.height() < 2:
        return None
    colours = rgb(image).reshape(-1, 3)
    packed = np.round(colours * 255).astype(np.int64) @ np.array([65536, 256, 1])
    values, counts = np.unique(packed, return_counts=True)
    background = colours[np.argmax(packed == values[np.argmax(counts)])]
    found = ratios(luminances(colours), luminances(background))
    best = int(np.argmax(found))
    if found[best] <= 1.0:
        return None
    return TextContrast(round(float(found[best]), 2), _name(colours[best]), _name(background))


@dataclass(frozen=True)
class Ring:
    pixels: int           # changed pixels at >= UI_MIN against the unfocused state
    needed: int           # a 2 px ring around the control, less its rounded corners
    best: float           # the strongest change of contrast found

    @property
    def visible(self) -> bool:
        return self.pixels >= self.needed


def ensure_visible(widget: QWidget) -> None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QScrollArea):
            parent.ensureWidgetVisible(widget, 8, 8)
        parent = parent.parentWidget()


@dataclass(frozen=True)
class Change:
    """What changed between two renders of the same place: the pixels whose colour changed
    by at least UI_MIN, the strongest change, and the size of the box they fill."""
    pixels: int
    best: float
    width: int
    height: int


def settle() -> None:
    """Let posted events and a short timer's worth of layout run."""
    QApplication.instance().processEvents()
    QTest.qWait(5)


def change(widget: QWidget, off: Callable[[], None], on: Callable[[], None],
           margin: int = RING_MARGIN) -> Change:
    """Render the widget's place after `off()` and after `on()`, and compare them."""
    # Again until both renders cover the same place: focus may scroll the control into
    # view, and on a busy machine a layout or a notice can settle a moment later.
    for _ in range(8):
        off()
        settle()
        before, rect = render(widget, margin)
        on()
        settle()
        after, rect_after = render(widget, margin)
        if rect_after == rect:
            break
    else:
        raise AssertionError(f"{widget.objectName() or type(widget).__name__} kept moving: "
                             f"{rect} then {rect_after}")
    ratio_map = ratios(luminances(rgb(before)), luminances(rgb(after)))
    strong = ratio_map >= UI_MIN
    rows, columns = np.nonzero(strong)
    width = int(columns.max() - columns.min() + 1) if len(columns) else 0
    height = int(rows.max() - rows.min() + 1) if len(rows) else 0
    return Change(int(strong.sum()), round(float(ratio_map.max(initial=1.0)), 2), width, height)


def focus_ring(widget: QWidget, reason=Qt.FocusReason.TabFocusReason,
               focused_part: QRect | None = None) -> Ring:
    """Render the control's surroundings without and with focus, and measure the change.
    `focused_part`: where the ring belongs inside the widget (a tab bar's current tab);
    the whole widget otherwise."""
    ensure_visible(widget)
    app = QApplication.instance()

    def unfocus() -> None:
        if app.focusWidget() is not None:
            app.focusWidget().clearFocus()
    found = change(widget, unfocus, lambda: widget.setFocus(reason))
    inner = focused_part if focused_part is not None else window_rect(widget)
    needed = int(2 * (inner.width() + inner.height()) * 1.5)
    return Ring(found.pixels, needed, found.best)


def groove_contrast(slider: QSlider) -> float:
    """The weakest contrast along a slider's track (its groove, and the filled part before
    the handle), against the background around the slider."""
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    style = slider.style()
    groove = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                  QStyle.SubControl.SC_SliderGroove, slider)
    handle = style.subControlRect(QStyle.ComplexControl.CC_Slider, option,
                                  QStyle.SubControl.SC_SliderHandle, slider)
    image, rect = render(slider)
    origin = rect.topLeft() - slider.mapTo(slider.window(), QPoint(0, 0))
    colours = rgb(image)
    packed = np.round(colours * 255).astype(np.int64) @ np.array([65536, 256, 1])
    values, counts = np.unique(packed, return_counts=True)
    background = colours.reshape(-1, 3)[np.argmax(packed.reshape(-1) == values[np.argmax(counts)])]
    y = groove.center().y() - origin.y()
    xs = [x for x in range(groove.left() + 4, groove.right() - 3)
          if not handle.adjusted(-3, 0, 3, 0).contains(x, handle.center().y())]
    line = colours[y, [x - origin.x() for x in xs]]
    return round(float(ratios(luminances(line), luminances(background)).min()), 2)


def scrolls(area: QAbstractScrollArea) -> bool:
    return area.horizontalScrollBar().isVisible() and area.horizontalScrollBar().maximum() > 0
