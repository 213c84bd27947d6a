"""Pick a gentle starting point for a part; the editor opens with it filled in to change."""
from __future__ import annotations

from html import escape

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QVBoxLayout,
    QWidget,
)

from app.core import parts as core
from app.core.part_templates import PartTemplate
from app.core.records import Part
from app.ui.common.widgets import button, label, scroll_area
from app.ui.window_geometry import fit_dialog


class TemplateChooser(QDialog):
    """`template()` is the highlighted template once accepted."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Start from a template")
        fit_dialog(self, QSize(760, 520))
        layout = QVBoxLayout(self)
        layout.addWidget(label("These are parts many people recognise. Pick one that sounds a "
                               "little familiar; you can change every word afterwards.",
                               "muted"))
        row = QHBoxLayout()
        self.list = QListWidget(self)
        self.list.setAccessibleName("Templates")
        self.list.setFixedWidth(280)
        for t in core.TEMPLATES:
            item = QListWidgetItem(t.name, self.list)
            item.setData(Qt.ItemDataRole.UserRole, t.key)
            item.setData(Qt.ItemDataRole.AccessibleTextRole,
                         f"{t.name}, {core.role_label(t.role)}. {t.summary}")
        self.preview = QLabel(self)
        self.preview.setWordWrap(True)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.preview.setAccessibleName("About this template")
        self.preview.setContentsMargins(12, 4, 12, 4)
        scroll = scroll_area(self.preview, reading="About this template, in full")
        row.addWidget(self.list)
        row.addWidget(scroll, 1)
        layout.addLayout(row, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.cancel = button("Cancel", "Cancel, no new part")
        self.use = button("Use this one", "Use this template for a new part", "primary")
        self.use.setDefault(True)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.use)
        layout.addLayout(buttons)
        self.list.currentItemChanged.connect(self._show)
        self.list.itemActivated.connect(lambda _item: self.accept())
        self.cancel.clicked.connect(self.reject)
        self.use.clicked.connect(self.accept)
        self.list.setCurrentRow(0)
        self.list.setFocus(Qt.FocusReason.OtherFocusReason)

    def template(self) -> PartTemplate | None:
        item = self.list.currentItem()
        return core.template(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def select(self, key: str) -> None:
        for row in range(self.list.count()):
            if self.list.item(row).data(Qt.ItemDataRole.UserRole) == key:
                self.list.setCurrentRow(row)

    def _show(self, item: QListWidgetItem | None, _previous=None) -> None:
        t = self.template() if item else None
        self.preview.setText(preview_html(t) if t else "")


def preview_html(t: PartTemplate) -> str:
    where = core.where_text(Part(name="", where_felt=",".join(t.where_felt)))
    others = ", ".join(other.name for k in t.often_with if (other := core.template(k)))
    rows = [("What it might do", t.does), ("What it may be afraid of", t.fears),
            ("What it wants for you", t.wants), ("Often felt around", where),
            ("Often found with", others)]
    body = "".join(f"<p><b>{escape(h)}</b><br>{escape(v)}</p>" for h, v in rows if v)
    return (f"<h3>{escape(t.name)}</h3><p><i>{escape(core.role_label(t.role))}</i> · "
            f"{escape(t.summary)}</p>{body}")
