"""The body map inside a practice: a page of the practice, under its header, so "Pause &
ground" stays in view at any window size and Esc grounds from it like from every other page."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from app.ui.context import AppContext
from app.ui.common.widgets import button, label

PAUSED = "The voice is paused while you mark. Esc pauses and grounds."
GOING_ON = ("The voice goes on, and waits at the end of the step until you are back. "
            "Esc pauses and grounds.")


class SessionBodyMap(QWidget):
    back_requested = Signal()                    # "Back to the practice"

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        from app.ui.body.map_widget import BodyMapWidget   # imported when first needed
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 8, 24, 12)
        layout.setSpacing(6)
        top = QHBoxLayout()
        heading = QVBoxLayout()
        heading.addWidget(label("Where do you notice it?", "title"))
        self.note = label("", "muted")
        heading.addWidget(self.note)
        top.addLayout(heading, 1)
        self.back = button("Back to the practice", "Back to the practice", "primary")
        top.addWidget(self.back, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(top)
        self.map = BodyMapWidget(context.journal, context.palette)
        layout.addWidget(self.map, 1)
        self.back.clicked.connect(self.back_requested)

    def open_for(self, session_id: int | None, step_id: str | None, voice_goes_on: bool
                 ) -> None:
        """Marks made now belong to this session and step."""
        self.map.set_context(session_id, step_id)
        self.note.setText(GOING_ON if voice_goes_on else PAUSED)

    @property
    def first_control(self) -> QWidget:
        """The search field, or the open mark's strength when a mark was left half-filled
        (grounding closes the map but keeps the form): never a hidden control."""
        if self.map.side.currentIndex() == 1:
            return self.map.panel.intensity
        return self.map.finder.filter
