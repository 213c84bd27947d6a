"""The body map as a page (Quick body check-in) and as a dialog beside a running practice."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QHBoxLayout, QVBoxLayout, QWidget

from app.ui.context import AppContext
from app.ui.common.widgets import button, label, page_layout


def _map(context: AppContext, session_id=None, step_id=None):
    from app.ui.body.map_widget import BodyMapWidget   # imported when first needed
    widget = BodyMapWidget(context.journal, context.palette)
    widget.set_context(session_id, step_id)
    return widget


class BodyPage(QWidget):
    """Stand-alone: mark what is felt right now, outside any practice."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        layout = page_layout(self, "Quick body check-in",
                             "Where do you notice something right now? Tap the place on the "
                             "figure, or choose it from the list. Your left and right are "
                             "labelled as your own.", spacing=10)
        self.map = _map(context)
        layout.addWidget(self.map, 1)


class BodyMapDialog(QDialog):
    """Beside a practice: the voice keeps going while the person marks what they notice."""

    def __init__(self, context: AppContext, session_id, step_id, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Where do you notice it?")
        self.setModal(False)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.resize(900, 640)
        layout = QVBoxLayout(self)
        layout.addWidget(label("Where do you notice it? The voice keeps going; pause it if you "
                               "like.", "subtitle"))
        self.map = _map(context, session_id, step_id)
        layout.addWidget(self.map, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        close = button("Done", "Close the body map", "primary")
        close.clicked.connect(self.close)
        row.addWidget(close)
        layout.addLayout(row)
