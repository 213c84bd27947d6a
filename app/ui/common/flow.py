"""A row of buttons that wraps onto the next line when the window is narrow (as words do),
so a small window never needs to scroll sideways. After Qt's "Flow Layout" example."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QWidget


class FlowLayout(QLayout):
    def __init__(self, parent: QWidget | None = None, spacing: int = 8,
                 last_to_the_right: bool = False):
        """`last_to_the_right`: the last item sits at the right edge while it fits on the
        line (like a volume slider after the play buttons)."""
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._gap = spacing
        self._last_right = last_to_the_right
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 (Qt naming)
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:  # noqa: N802
        """One line of everything, as wide as it likes to be."""
        width = sum(i.sizeHint().width() for i in self._items) + self._gap * max(
            0, len(self._items) - 1)
        height = max((i.sizeHint().height() for i in self._items), default=0)
        return QSize(width, height)

    def minimumSize(self) -> QSize:  # noqa: N802
        """As narrow as its widest item: the rest wraps."""
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        return size

    def _arrange(self, rect: QRect, move: bool) -> int:
        x, y, line_height = rect.x(), rect.y(), 0
        shown = [item for item in self._items if not item.isEmpty()]
        for item in shown:
            hint = item.sizeHint().boundedTo(QSize(rect.width(), 1 << 20))
            if x > rect.x() and x + hint.width() > rect.right() + 1:
                x, y, line_height = rect.x(), y + line_height + self._gap, 0
            at = x
            if self._last_right and item is shown[-1] and x > rect.x():
                at = rect.right() + 1 - hint.width()
            if move:
                item.setGeometry(QRect(QPoint(at, y), hint))
            x += hint.width() + self._gap
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y()
