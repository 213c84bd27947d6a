"""The body map as a page: Quick body check-in (a practice has its own page of it,
app.ui.session.body_page)."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.ui.context import AppContext
from app.ui.common.widgets import page_layout


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
                             "Where do you notice something right now? Your left and right on "
                             "the figure are labelled as your own.", spacing=10)
        self.map = _map(context)
        layout.addWidget(self.map, 1)

    def keep_open_mark(self) -> None:
        """The page goes (the window closes, a new theme rebuilds it): a half-filled mark keeps
        what the person gave, as in a practice (BodyMapWidget.keep_open_mark)."""
        self.map.keep_open_mark()
