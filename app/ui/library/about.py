"""About these practices: what IFS is, that this is self-help, and when to see a therapist.

Plain text only (never rich text), so the words read the same on screen, to a screen reader and
in the README section of the same name.
"""
from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.ui.common.widgets import button, label, page_layout

ABOUT_TITLE = "About these practices"
READABLE_WIDTH = 760            # px: about 90 characters a line, easy to read

ABOUT_SECTIONS: tuple[tuple[str, str], ...] = (
    ("What IFS is",
     "Internal Family Systems (IFS) sees the mind as a family of parts: protectors that try to "
     "keep you safe, and young parts, called exiles, that carry old hurt. Beneath them all is "
     "Self, the calm, curious and kind presence that is not a part but who you are underneath. "
     "IFS, developed by the therapist Richard Schwartz, works by getting to know parts with "
     "curiosity instead of fighting them, so that they can ease their extreme roles in their own "
     "time."),
    ("Self-help, not therapy",
     "These practices are for gentle, everyday moments: a mild worry, a familiar protector, a "
     "small pull between wanting closeness and wanting distance. They are self-help. They are "
     "not therapy, and Secure Base is not a crisis service. If you are in danger or in crisis, "
     "please contact your local emergency number or a crisis line."),
    ("Going gently",
     "Choose something mild, around three or four out of ten. Stop when a feeling climbs past "
     "five or six, and also when you feel numb, far away or blank: press Pause and ground, or "
     "the Escape key. Stopping is never a failure; it is a protector being listened to. The "
     "practices that meet a young part ask your protectors first, and a no is always honoured."),
    ("When to see a therapist",
     "Please look for a therapist, ideally one trained in IFS or in trauma, if you carry "
     "memories of trauma or abuse, or young parts feel overwhelming; if practices often leave "
     "you numb, far away, blank or flooded; if strong feelings stay with you for days "
     "afterwards or get in the way of daily life; or if two sides of you pull so hard that "
     "you feel stuck. If you ever have thoughts of harming yourself, contact your local "
     "emergency number or a crisis line straight away."),
)

ABOUT_TEXT = "\n\n".join(f"{heading}\n{body}" for heading, body in ABOUT_SECTIONS)


class AboutView(QWidget):
    back = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        layout = page_layout(self, ABOUT_TITLE, scroll=True)
        top = QHBoxLayout()
        self.back_button = button("←  Practices", "Back to the practices")
        self.back_button.clicked.connect(self.back)
        top.addWidget(self.back_button)
        top.addStretch(1)
        layout.insertLayout(0, top)
        for heading, body in ABOUT_SECTIONS:
            title = label(heading, "subtitle")
            text = label(body)
            for widget in (title, text):
                widget.setTextFormat(Qt.TextFormat.PlainText)
                widget.setMaximumWidth(READABLE_WIDTH)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            text.setAccessibleDescription(heading)   # announced by its words, then this
            layout.addWidget(title)
            layout.addWidget(text)
        layout.addStretch(1)

    def focus_first(self) -> None:
        self.back_button.setFocus()
