"""The steps in order: choose one to edit, add, remove, and move them by keyboard or drag.

Alt+↑ / Alt+↓ move the chosen step (in the list and while editing it); dragging a step to
another place does the same. The list only asks for moves: the page changes the draft and
shows the list again, so what is shown is always what will be saved.
"""
from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QDropEvent, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView, QHBoxLayout, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from app.core.practice_doc import StepFields
from app.ui.common.widgets import button, label, wrap_items


class _Steps(QListWidget):
    moved = Signal(int, int)               # from row, to row

    def __init__(self) -> None:
        super().__init__()
        self.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        wrap_items(self)                      # long titles wrap, whole

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.AltModifier and event.key() in (
                Qt.Key.Key_Up, Qt.Key.Key_Down):
            row = self.currentRow()
            target = row + (-1 if event.key() == Qt.Key.Key_Up else 1)
            if row >= 0 and 0 <= target < self.count():
                self.moved.emit(row, target)
            event.accept()
            return
        super().keyPressEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        """Work out where the dragged step lands, then let the page move it in the draft."""
        source = self.currentRow()
        index = self.indexAt(event.position().toPoint())
        target = self._drop_row(index, event)
        event.setDropAction(Qt.DropAction.IgnoreAction)   # the list is rebuilt from the draft
        event.accept()
        if source >= 0 and target != source:
            self.moved.emit(source, target)

    def _drop_row(self, index: QModelIndex, event: QDropEvent) -> int:
        if not index.isValid():
            return self.count() - 1
        row = index.row()
        rect = self.visualRect(index)
        below = event.position().toPoint().y() > rect.center().y()
        source = self.currentRow()
        target = row + (1 if below else 0)
        return target - 1 if target > source else target


class StepList(QWidget):
    current_changed = Signal(int)
    add_requested = Signal()
    remove_requested = Signal(int)
    move_requested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        heading = label("Steps")
        heading.setStyleSheet("font-weight: 600;")
        column.addWidget(heading)
        column.addWidget(label("Alt+↑ and Alt+↓ move the chosen step; you can drag them too.",
                               "muted"))
        self.list = _Steps()
        self.list.setAccessibleName("Steps of the practice")
        heading.setBuddy(self.list)
        column.addWidget(self.list, 1)
        self.add = button("Add a step", "Add a step after the chosen one")
        self.remove = button("Remove", "Remove the chosen step")
        self.up = button("Move up", "Move the chosen step up (Alt+Up)")
        self.down = button("Move down", "Move the chosen step down (Alt+Down)")
        for row_buttons in ((self.add, self.remove), (self.up, self.down)):
            row = QHBoxLayout()
            for widget in row_buttons:
                row.addWidget(widget)
            column.addLayout(row)
        self.list.currentRowChanged.connect(self._current)
        self.list.moved.connect(self.move_requested)
        self.add.clicked.connect(self.add_requested)
        self.remove.clicked.connect(lambda: self.remove_requested.emit(self.list.currentRow()))
        self.up.clicked.connect(lambda: self._move_by(-1))
        self.down.clicked.connect(lambda: self._move_by(1))

    def show_steps(self, steps: list[StepFields], current: int, troubled: set[int]) -> None:
        """The steps as the draft has them now; `troubled` rows have something to fix."""
        self.list.blockSignals(True)
        self.list.clear()
        for index, step in enumerate(steps):
            title = step.title.strip() or "A step with no title yet"
            mark = "  (needs a look)" if index in troubled else ""
            item = QListWidgetItem(f"{index + 1}. {title}{mark}")
            item.setData(Qt.ItemDataRole.UserRole, index)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsDragEnabled)
            self.list.addItem(item)
        self.list.setCurrentRow(max(0, min(current, len(steps) - 1)))
        self.list.blockSignals(False)
        self._buttons()

    def rename(self, index: int, title: str, troubled: bool) -> None:
        item = self.list.item(index)
        if item is not None:
            mark = "  (needs a look)" if troubled else ""
            item.setText(f"{index + 1}. {title.strip() or 'A step with no title yet'}{mark}")

    def current(self) -> int:
        return self.list.currentRow()

    def _current(self, row: int) -> None:
        self._buttons()
        if row >= 0:
            self.current_changed.emit(row)

    def _move_by(self, delta: int) -> None:
        row = self.list.currentRow()
        if row >= 0 and 0 <= row + delta < self.list.count():
            self.move_requested.emit(row, row + delta)

    def _buttons(self) -> None:
        row, count = self.list.currentRow(), self.list.count()
        self.remove.setEnabled(count > 1 and row >= 0)
        self.up.setEnabled(row > 0)
        self.down.setEnabled(0 <= row < count - 1)
