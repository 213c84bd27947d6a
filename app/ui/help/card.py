"""The help card: the people the person can reach, filled in by them, kept in the journal.

Read and written only through the journal service (its settings table, app.core.help_card),
so the card is part of every export and goes with "delete all my data".
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from app.core.help_card import FIELD_MAX, HELP_CARD_KEY, LABELS, PLACEHOLDERS, HelpCard
from app.ui.common.widgets import button, label

if TYPE_CHECKING:
    from app.qt.journal_service import JournalService

CRISIS_NOTE = ("If you are in danger or in crisis right now, please contact your local emergency "
               "number or a crisis line, or reach out to someone you trust. You don't have to "
               "hold this alone.")
# Shown inside a practice, where the sidebar is hidden and F1 grounds: say where the card is
# once the practice is left, and promise no key that does something else here.
EMPTY_CARD = ("You can keep your own help card, with your therapist, someone you trust and "
              "your local crisis line: Help now, in the sidebar once you leave the practice.")


def card_summary(card: HelpCard) -> str:
    """What the grounding screen shows of the card."""
    return ("Your help card:\n" + card.text()) if not card.is_empty else EMPTY_CARD


def read_help_card(journal: "JournalService", on_done, owner) -> None:
    """The card as stored (an empty one when there is none), delivered to `on_done`."""
    journal.read(lambda j: HelpCard.from_value(j.setting(HELP_CARD_KEY)), on_done=on_done,
                 owner=owner)


def follow_help_card(journal: "JournalService", on_done, owner) -> None:
    """Read the card now and again whenever the settings change (e.g. after delete-all)."""
    from app.qt.journal_service import Table
    read_help_card(journal, on_done, owner)

    def reread(change: Any) -> None:
        if change.touches(Table.SETTINGS):
            read_help_card(journal, on_done, owner)
    journal.changed.connect(reread)


class HelpCardEditor(QWidget):
    """Three lines the person fills in; Save (or Enter in a field) keeps them."""
    saved = Signal()

    def __init__(self, journal: "JournalService", parent: QWidget | None = None):
        super().__init__(parent)
        self.journal = journal
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        form = QFormLayout()
        self.fields: dict[str, QLineEdit] = {}
        for key, text in LABELS.items():
            field = QLineEdit()
            field.setMaxLength(FIELD_MAX)
            field.setPlaceholderText(PLACEHOLDERS[key])
            field.setAccessibleName(text)
            field.returnPressed.connect(self.save)
            self.fields[key] = field
            form.addRow(text, field)
        column.addLayout(form)
        row = QHBoxLayout()
        self.status = label("", "muted")
        self.save_button = button("Save my help card", "Save my help card")
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.status, 1)
        row.addWidget(self.save_button)
        column.addLayout(row)
        follow_help_card(journal, self.show_card, self)

    def show_card(self, card: HelpCard) -> None:
        for key, value in card.as_value().items():
            self.fields[key].setText(value)

    def card(self) -> HelpCard:
        return HelpCard(**{key: field.text() for key, field in self.fields.items()}).cleaned()

    def save(self) -> None:
        card = self.card()
        self.status.setText("Saving…")
        self.journal.write(lambda j: j.set_setting(HELP_CARD_KEY, card.as_value()),
                           _settings(), what="your help card", keep=card.text() or None,
                           on_done=lambda _: self._saved(), owner=self, initiator=self)

    def _saved(self) -> None:
        self.status.setText("Saved, on this computer only.")
        self.saved.emit()


def _settings():
    from app.qt.journal_service import Table     # the service is made when first used
    return Table.SETTINGS
