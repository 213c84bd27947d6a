"""Help now: the grounding exercise, a note on urgent help, and the person's own help card.
Reachable from every screen: the sidebar, F1, and inside a practice through Pause & ground."""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QWidget

from app.ui.context import AppContext
from app.ui.common.widgets import button, card, label, page_layout
from app.ui.help.card import CRISIS_NOTE, HelpCardEditor


class HelpView(QWidget):
    grounding_requested = Signal()               # start the Grounding practice, no check-in

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        layout = page_layout(self, "Help now",
                             "If it is too much right now, you don't have to go on. Nothing "
                             "needs to happen. Here is a way to ground, and the people you can "
                             "reach.", scroll=True, form=True)
        frame, box = card()
        box.addWidget(label("Right now, you might feel your feet on the floor, notice five "
                            "things you can see, and let your breath be slow."))
        self.start_grounding = button("Start the grounding exercise",
                                      "Start the grounding exercise", "primary")
        self.start_grounding.setEnabled(context.grounding is not None)
        self._minutes = context.grounding.minutes if context.grounding is not None else None
        self.voice_line = label("", "muted")       # said when shown: a device may come or go
        self.voice_line.setVisible(self._minutes is not None)
        box.addWidget(self.voice_line)
        box.addWidget(self.start_grounding, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(frame)

        frame, box = card()
        self.crisis = label(CRISIS_NOTE)
        box.addWidget(self.crisis)
        layout.addWidget(frame)

        frame, box = card()
        box.addWidget(label("Your help card", "subtitle"))
        box.addWidget(label("Only you fill this in. It stays on this computer, in your "
                            "journal: it is part of an export, and goes with Delete all my "
                            "data. It is shown whenever you pause and ground.", "muted"))
        self.card = HelpCardEditor(context.journal)
        box.addWidget(self.card)
        layout.addWidget(frame)
        layout.addStretch(1)
        self.start_grounding.clicked.connect(self.grounding_requested)

    def showEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._minutes is not None:
            from app.qt.player import has_sound_output   # QtMultimedia: not before the first frame
            how = ("A calm voice guides you" if has_sound_output() else
                   "No sound device was found, so its words are shown on the screen, paced for "
                   "reading slowly")
            self.voice_line.setText(f"{how}, for about {self._minutes:g} minutes.")
        super().showEvent(event)

    def focus_first(self) -> None:
        target = self.start_grounding if self.start_grounding.isEnabled() else \
            self.card.fields["therapist"]
        target.setFocus()
