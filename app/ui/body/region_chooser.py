"""Choose where a part is felt: tap areas on the figure, or tick them in a list.

The figure is the body map's own canvas, so the shapes match what the person taps elsewhere.
A region id names one place to feel on both views (a shoulder from the front or the back),
so choosing it lights it up wherever it appears.
"""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QDialog, QHBoxLayout, QLineEdit, QListWidget, QListWidgetItem, QVBoxLayout, QWidget,
)

from app.core.parts import all_region_ids
from app.core.records import VIEWS
from app.ui.body.canvas import BodyCanvas
from app.ui.parts.bits import part_colour
from app.ui.common.theme import Palette
from app.ui.common.widgets import button, label, wrap_items
from app.ui.window_geometry import fit_dialog


class ChoiceCanvas(BodyCanvas):
    """The body figure with the chosen areas filled in the part's colour."""

    def __init__(self, palette: Palette, colour: str, parent: QWidget | None = None):
        super().__init__(palette, parent)
        self.chosen: set[str] = set()
        self.colour = colour
        self.setMinimumSize(240, 300)
        self.setAccessibleDescription("Tap an area to choose it, tap again to let it go. "
                                      "The list beside the figure does the same.")

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802
        super().paintEvent(event)
        fill = QColor(part_colour(self.colour))
        fill.setAlphaF(0.6)
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(fill)
        for view in VIEWS:
            p.setTransform(self.transform(view))
            for rid in self.chosen & self.paths[view].keys():
                p.drawPath(self.paths[view][rid])
        p.end()


class RegionChooser(QDialog):
    """`chosen()` is the tuple of region ids once accepted, in the list's order."""

    def __init__(self, palette: Palette, chosen: tuple[str, ...], colour: str = "",
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Where do you feel this part?")
        fit_dialog(self, QSize(760, 560))
        self.canvas = ChoiceCanvas(palette, colour, self)
        self.filter = QLineEdit(self)
        self.filter.setPlaceholderText("Find a body area…")
        self.filter.setAccessibleName("Find a body area")
        self.filter.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Body areas; Space ticks or unticks one")
        self.list.setMinimumWidth(280)
        wrap_items(self.list)           # "Upper spine, between the shoulder blades" whole
        for rid, text in all_region_ids():
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, rid)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if rid in chosen
                               else Qt.CheckState.Unchecked)
        self.cancel = button("Cancel", "Cancel, keep the areas as they were")
        self.done_button = button("Done", "Use the ticked areas", "primary")
        self.done_button.setDefault(True)
        self._build()
        self._sync()
        self.canvas.picked.connect(lambda _v, rid, _x, _y: self.toggle(rid))
        self.list.itemChanged.connect(lambda _item: self._sync())
        self.filter.textChanged.connect(self._apply_filter)
        self.cancel.clicked.connect(self.reject)
        self.done_button.clicked.connect(self.accept)

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(label("Where do you notice this part? Tap the figure or tick areas "
                               "in the list. Your left and right are labelled as your own.",
                               "muted"))
        row = QHBoxLayout()
        row.addWidget(self.canvas, 1)
        side = QVBoxLayout()
        side.addWidget(self.filter)
        side.addWidget(self.list, 1)
        row.addLayout(side)
        layout.addLayout(row, 1)
        buttons = QHBoxLayout()
        self.summary = label("", "muted")
        self.summary.setAccessibleName("Chosen areas")
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.cancel)
        buttons.addWidget(self.done_button)
        layout.addLayout(buttons)
        for first, second in ((self.filter, self.list), (self.list, self.cancel),
                              (self.cancel, self.done_button)):
            QWidget.setTabOrder(first, second)

    def _items(self) -> list[QListWidgetItem]:
        return [self.list.item(r) for r in range(self.list.count())]

    def chosen(self) -> tuple[str, ...]:
        return tuple(i.data(Qt.ItemDataRole.UserRole) for i in self._items()
                     if i.checkState() == Qt.CheckState.Checked)

    def toggle(self, region_id: str) -> None:
        for item in self._items():
            if item.data(Qt.ItemDataRole.UserRole) == region_id:
                item.setCheckState(Qt.CheckState.Unchecked
                                   if item.checkState() == Qt.CheckState.Checked
                                   else Qt.CheckState.Checked)
                self.list.setCurrentItem(item)

    def _sync(self) -> None:
        chosen = self.chosen()
        self.canvas.chosen = set(chosen)
        self.canvas.update()
        names = [i.text() for i in self._items() if i.checkState() == Qt.CheckState.Checked]
        self.summary.setText("Chosen: " + "; ".join(names) if names else "Nothing chosen yet.")

    def _apply_filter(self, text: str) -> None:
        words = text.lower().split()
        for item in self._items():
            item.setHidden(not all(w in item.text().lower() for w in words))
