"""The library's "Your practices" controls: New, Edit, Duplicate and a menu for sharing,
adding from a file and deleting; plus a quiet notice line with Undo after a delete."""
from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QMenu, QVBoxLayout, QWidget

from app.ui.common.widgets import button, label

if TYPE_CHECKING:
    from PySide6.QtGui import QAction


class YoursBar(QWidget):
    new = Signal()
    edit = Signal()
    duplicate = Signal()
    share = Signal()
    import_file = Signal()
    delete = Signal()
    undo = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(6)
        notice_row = QHBoxLayout()
        self.notice = label("", "muted")
        self.notice.setAccessibleDescription("Notice")
        self.undo_button = button("Undo", "Undo the delete")
        notice_row.addWidget(self.notice, 1)
        notice_row.addWidget(self.undo_button)
        column.addLayout(notice_row)
        row = QHBoxLayout()
        self.new_button = button("New practice", "Write a new practice of your own")
        self.edit_button = button("Edit", "Edit the selected practice")
        self.duplicate_button = button("Duplicate", "Make your own version of the selected "
                                       "practice")
        self.more = button("More…", "More: share, add from a file, delete")
        # The menu is there from the start (the button draws its arrow for it); its actions
        # are made when it first opens: the first QAction costs the first frame ~3 ms (its
        # and QIcon's enums; tests/ui/test_startup_imports.py).
        self.menu = QMenu(self.more)
        self.menu.aboutToShow.connect(self.menu_actions)
        self.more.setMenu(self.menu)
        self._actions: "tuple[QAction, QAction, QAction] | None" = None
        self._can_share = self._can_delete = False
        for widget in (self.new_button, self.edit_button, self.duplicate_button, self.more):
            row.addWidget(widget)
        row.addStretch(1)
        column.addLayout(row)
        self.new_button.clicked.connect(self.new)
        self.edit_button.clicked.connect(self.edit)
        self.duplicate_button.clicked.connect(self.duplicate)
        self.undo_button.clicked.connect(self._undo)
        self.show_notice("")

    def enable_for(self, practice: bool, own: bool) -> None:
        """`practice`: a usable practice is selected; `own`: it (or a broken script) is the
        person's own, so it can be edited and deleted."""
        self.edit_button.setEnabled(own)
        self.duplicate_button.setEnabled(practice)
        self._can_share, self._can_delete = practice, own
        if self._actions is not None:
            self._enable_actions(*self._actions)

    def menu_actions(self) -> "tuple[QAction, QAction, QAction]":
        """The menu's Share, Add from a file and Delete, made the first time it is needed."""
        if self._actions is None:
            from PySide6.QtGui import QAction
            share = QAction("Share as a file…", self)
            add = QAction("Add a practice from a file…", self)
            delete = QAction("Delete", self)
            share.triggered.connect(self.share)
            add.triggered.connect(self.import_file)
            delete.triggered.connect(self.delete)
            self.menu.addActions([share, add, delete])
            self._actions = (share, add, delete)
            self._enable_actions(*self._actions)
        return self._actions

    def _enable_actions(self, share: "QAction", _add: "QAction", delete: "QAction") -> None:
        share.setEnabled(self._can_share)
        delete.setEnabled(self._can_delete)

    def show_notice(self, text: str, undo: bool = False) -> None:
        self.notice.setText(text)
        self.notice.setVisible(bool(text))
        self.undo_button.setVisible(undo)

    def _undo(self) -> None:
        self.show_notice("")
        self.undo.emit()
