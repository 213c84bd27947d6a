"""Pause & ground: the voice has stopped; offer grounding, a note on urgent help and the
person's own help card."""
from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QScrollArea, QVBoxLayout, QWidget

from app.core.practice import Practice
from app.core.help_card import HelpCard
from app.ui.common.widgets import (
    ReadingLabel, button, card, label, page_layout, reading_area, scroll_area,
)
from app.ui.common.theme import READING_RING
from app.ui.help.card import CRISIS_NOTE, card_summary


SETTLE = ("Nothing needs to happen now. You might feel your feet on the floor, and let your "
          "eyes rest on something in the room.")
VOICE_STOPPED = "The voice has stopped. "

# (text, accessible name) in a practice, and after its end (the session is already saved)
RETURN_WORDS = {False: ("Return to the practice", "Return to the practice where it was"),
                True: ("Back to the end of the practice", "Back to the end of the practice")}
END_WORDS = {False: ("End the session for today", "End the session for today"),
             True: ("Back to practices", "Back to the practices")}
HELP_WIDTH = (250, 400)    # px: the help column, a third of the row within these
CLEAR = 4         # px: between the reading ring and the words (as the grounding words have)


class GroundingView(QWidget):
    listen_requested = Signal()
    stop_listening = Signal()
    return_requested = Signal()
    end_requested = Signal()

    def __init__(self, grounding: Practice | None, parent: QWidget | None = None):
        super().__init__(parent)
        # 20 px above and below (28 before): the words, now the player's size, still show
        # nine lines at once at 800×600 (tests/ui/test_grounding_room.py)
        layout = page_layout(self, "Let's pause here", margins=(40, 20))
        self.subtitle = label(SETTLE, "subtitle")       # page_layout's, kept to be reworded
        layout.addWidget(self.subtitle)

        frame, box = card()
        box.addWidget(label("A short grounding exercise" + (
            f" · about {grounding.minutes:g} minutes" if grounding else "")))
        self.steps_text = ReadingLabel("\n\n".join(s.display_text for s in grounding.steps)
                                       if grounding else "Notice five things you can see, four "
                                       "you can hear, and the weight of your body where it "
                                       "rests.", role="steptext")   # read as a step is
        self.steps_text.setTextFormat(Qt.TextFormat.PlainText)
        scroll = reading_area(self.steps_text, "The grounding exercise, in words")
        scroll.setMinimumHeight(80)
        box.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.listen = button("Listen to the grounding", "Listen to the grounding exercise",
                             "primary")
        # a plain button whose words say what it does now (a checkable one would be announced
        # as a check box)
        self.listening = False
        self.listen.setEnabled(grounding is not None)
        self.status = label("", "muted")
        row.addWidget(self.listen)
        row.addWidget(self.status, 1)
        box.addLayout(row)

        # Beside the words, not under them: stacked at 800×600, the crisis note and the card
        # left the words two lines. A card too long for the room scrolls, never cut off.
        help_frame, help_box = card()
        # its words in line with the words' card, its focus ring clear of them
        m, out = help_box.contentsMargins(), READING_RING + CLEAR
        help_box.setContentsMargins(m.left() - out, m.top() - out, m.right() - out,
                                    m.bottom() - out)
        help_words = QWidget()
        self.help_column = inner = QVBoxLayout(help_words)
        inner.setContentsMargins(CLEAR, CLEAR, CLEAR, CLEAR)
        inner.setSpacing(help_box.spacing())
        self.help_text = label(CRISIS_NOTE)
        inner.addWidget(self.help_text)
        self.help_card = label("")               # the person's own card (set_help_card)
        inner.addWidget(self.help_card)
        self.help_area = scroll_area(help_words, reading="Where to find help",
                                     kind=_AsTallAsItsWords)
        help_box.addWidget(self.help_area)
        help_frame.setMinimumWidth(HELP_WIDTH[0])
        help_frame.setMaximumWidth(HELP_WIDTH[1])
        side = QVBoxLayout()
        side.addWidget(help_frame)
        side.addStretch(1)                       # the card ends where its words do
        middle = QHBoxLayout()
        middle.setSpacing(16)
        middle.addWidget(frame, 2)
        middle.addLayout(side, 1)
        layout.addLayout(middle, 1)

        row = QHBoxLayout()
        self.back = button(*RETURN_WORDS[False])
        self.end = button(*END_WORDS[False])
        row.addWidget(self.back)
        row.addStretch(1)
        row.addWidget(self.end)
        layout.addLayout(row)

        self.listen.clicked.connect(lambda: self._on_listen(not self.listening))
        self.back.clicked.connect(self.return_requested)
        self.end.clicked.connect(self.end_requested)

    def _on_listen(self, on: bool) -> None:
        self._show_listening(on)
        (self.listen_requested if on else self.stop_listening).emit()

    def set_listening(self, on: bool, status: str = "") -> None:
        self._show_listening(on)
        self.status.setText(status)

    def _show_listening(self, on: bool) -> None:
        self.listening = on
        self.listen.setText("Stop the voice" if on else "Listen to the grounding")
        self.listen.setAccessibleName("Stop the grounding voice" if on
                                      else "Listen to the grounding exercise")

    def said_the_voice_stopped(self, it_was_speaking: bool) -> None:
        """Say the voice stopped only if it was speaking (not at the check-in, the end, or
        when the steps are shown as text)."""
        self.subtitle.setText((VOICE_STOPPED if it_was_speaking else "") + SETTLE)

    def set_after_end(self, after_end: bool) -> None:
        """Reached from the end screen: its two ways out say where they lead."""
        for widget, words in ((self.back, RETURN_WORDS), (self.end, END_WORDS)):
            text, name = words[after_end]
            widget.setText(text)
            widget.setAccessibleName(name)

    def set_help_card(self, card: HelpCard) -> None:
        self.help_card.setText(card_summary(card))
        # the person's own people first (below the crisis note, a long card was out of sight
        # at 800×600); with no card yet, the crisis note first, then where to make one
        first, second = ((self.help_text, self.help_card) if card.is_empty
                         else (self.help_card, self.help_text))
        for n, words in enumerate((first, second)):
            self.help_column.removeWidget(words)
            self.help_column.insertWidget(n, words)
        second.raise_()                          # and a screen reader reads them in that order
        self.help_area.updateGeometry()          # as tall as the card's new words


class _AsTallAsItsWords(QScrollArea):
    """Asks for the height of its words at its width (a QScrollArea asks for a fixed guess),
    so the card around it ends where they do; given less room, it scrolls."""

    def sizeHint(self) -> QSize:  # noqa: N802
        hint = super().sizeHint()
        content = self.widget()
        if content is None:
            return hint
        ring = 2 * self.frameWidth()
        return QSize(hint.width(), content.heightForWidth(self.viewport().width()) + ring)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.updateGeometry()           # the words wrap anew: a new height to ask for
