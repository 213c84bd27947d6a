"""The window's size and place: fitted to the screen the first time, remembered after.

A window that opens bigger than the screen hides its own controls (on a 1280×800 screen with a
title bar, the player's buttons and the grounding's exits fell off the bottom). So the first
window takes the preferred size or the screen's free area less the window manager's frame,
whichever is smaller; later it comes back where the person left it, still kept on screen.
"""
from __future__ import annotations

from PySide6.QtCore import QMargins, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1280, 800)
MINIMUM = QSize(800, 600)
# Before the window is shown, the window manager has not said how big its frame is: assume a
# title bar's worth at the top and a thin edge elsewhere, then check once it is on screen.
GUESSED_FRAME = QMargins(4, 40, 4, 4)


def fitted(available: QRect, frame: QMargins, preferred: QSize = PREFERRED,
           minimum: QSize = MINIMUM) -> QRect:
    """The window's inner rectangle: as preferred, no bigger than the free area less the
    frame (never under the minimum), centred in that area."""
    room = QSize(available.width() - frame.left() - frame.right(),
                 available.height() - frame.top() - frame.bottom())
    size = preferred.boundedTo(room).expandedTo(minimum)
    left = available.left() + frame.left() + max(0, (room.width() - size.width()) // 2)
    top = available.top() + frame.top() + max(0, (room.height() - size.height()) // 2)
    return QRect(left, top, size.width(), size.height())


def place_window(window: QWidget, saved: bytes | None) -> None:
    """Where the person left it (if that still fits the screens), else fitted to the screen;
    corrected once the real frame is known."""
    window.setMinimumSize(MINIMUM)
    if not (saved and _restore(window, saved) and _on_screen(window)):
        window.setGeometry(fitted(_free_area(window), GUESSED_FRAME))
    placed = window.geometry()
    QTimer.singleShot(0, lambda: _fit_frame(window, placed))


def _restore(window: QWidget, saved: bytes) -> bool:
    # QByteArray only with a place to restore: PySide builds its enums when the class is
    # first named (~2 million instructions under callgrind), and a first launch has none
    from PySide6.QtCore import QByteArray
    return window.restoreGeometry(QByteArray(saved))


def _free_area(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def _on_screen(window: QWidget) -> bool:
    frame = window.frameGeometry()
    area = _free_area(window)
    return area.intersects(frame) and frame.width() <= area.width() + 1 and (
        frame.height() <= area.height() + 1)


def _fit_frame(window: QWidget, placed: QRect) -> None:
    """Shrink a window whose frame turned out bigger than the guess: only our own guess (a
    window moved, resized or maximised since is left as it is)."""
    if (not window.isVisible() or window.isMaximized() or window.isFullScreen()
            or window.geometry() != placed):
        return
    area, frame, inner = _free_area(window), window.frameGeometry(), window.geometry()
    if area.contains(frame):
        return
    margins = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                       frame.right() - inner.right(), frame.bottom() - inner.bottom())
    window.setGeometry(fitted(area, margins, inner.size()))


def fit_dialog(dialog: QWidget, preferred: QSize) -> None:
    """A dialog's size: as preferred, but never bigger than the window it belongs to or the
    screen's free area (less a frame), so its buttons are always on screen."""
    room = _free_area(dialog).size().shrunkBy(GUESSED_FRAME)
    parent = dialog.parentWidget()
    if parent is not None and parent.window().isVisible():
        room = room.boundedTo(parent.window().size())
    dialog.resize(preferred.boundedTo(room))


def geometry_bytes(window: QWidget) -> bytes:
    return bytes(window.saveGeometry().data())
