"""Add or edit one part: its words, where it is felt, its colour and how it relates to others.

Link changes are drafts until Save, so Cancel really leaves everything as it was. Save is one
journal operation (the part, then its links), safe to repeat should it have to wait.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox, QDialog, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPlainTextEdit, QVBoxLayout, QWidget,
)

from app.core import parts as core
from app.core.part_changes import PartInvalid, checked, link, save_part
from app.core.records import PART_ROLES, Part
from app.qt.journal_service import JournalService, Table
from app.ui.parts.bits import colour_combo
from app.ui.body.region_chooser import RegionChooser
from app.ui.common.theme import Palette
from app.ui.common.widgets import button, label, scroll_area
from app.ui.window_geometry import fit_dialog

NEW = -1                                 # stands in for the id of a part not saved yet


@dataclass(frozen=True)
class LinkDraft:
    relation: str                        # a key of core.RELATIONS, seen from this part
    other_id: int
    link_id: int | None = None           # None: added in this dialog, not stored yet


class PartEditor(QDialog):
    saved = Signal(int)                  # the part's id, after everything is stored

    def __init__(self, journal: JournalService, palette: Palette, part: Part | None = None,
                 everyone: list[Part] | None = None, links: list[core.LinkRow] | None = None,
                 parent: QWidget | None = None):
        """`everyone` (archived too) and `links` as the parts view last read them."""
        super().__init__(parent)
        self.journal, self.palette_ = journal, palette
        self.everyone = everyone or []
        active = [p for p in self.everyone if not p.archived]
        self.part = part or Part(name="", colour=core.suggest_colour(active))
        self.part_id: int | None = self.part.id
        self.where: tuple[str, ...] = core.where_ids(self.part)
        self.names = {p.id: p.name for p in self.everyone}
        self.drafts: list[LinkDraft] = self._stored_links(links or [])
        self.removed: list[int] = []
        self.setWindowTitle(f"Edit {self.part.name}" if self.part.id else "A new part")
        fit_dialog(self, QSize(640, 720))
        self._build()
        self._fill()
        self.name.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- construction ------------------------------------------------------------------------

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        form = QWidget()
        scroll = scroll_area(form)
        self.form = QVBoxLayout(form)
        self.form.setSpacing(6)
        self.form.addWidget(label("Describe it in your own words; everything except the name "
                                  "can wait until you know more.", "muted"))
        self.name = self._line("Name", "What would you like to call it?")
        self.role = QComboBox()
        for role in PART_ROLES:
            self.role.addItem(f"{core.role_label(role)}: {core.ROLE_HINTS[role]}", role)
        self._field("What kind of part might it be?", self.role, "Role")
        self.does = self._text("What does it do?")
        self.fears = self._text("What is it afraid would happen if it stopped?")
        self.wants = self._text("What does it want for you?")
        self.felt_age = self._line("How old does it feel?", "For example: about seven, a "
                                   "teenager, ageless")
        self.form.addWidget(self._where_row())
        self.colour = colour_combo(self.part.colour)
        self._field("Colour", self.colour, "Colour")
        self.form.addWidget(self._links_box())
        self.form.addStretch(1)
        outer.addWidget(scroll, 1)
        outer.addLayout(self._buttons())
        self._tab_order()

    def _field(self, text: str, widget: QWidget, accessible: str) -> None:
        caption = QLabel(text)
        caption.setBuddy(widget)
        caption.setStyleSheet("font-weight: 600; padding-top: 8px;")
        widget.setAccessibleName(accessible)
        self.form.addWidget(caption)
        self.form.addWidget(widget)

    def _line(self, text: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        edit.setMaxLength(core.NAME_MAX if text == "Name" else core.TEXT_MAX)
        self._field(text, edit, text)
        return edit

    def _text(self, text: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setTabChangesFocus(True)         # Tab moves on, as in every other field
        edit.setFixedHeight(72)
        self._field(text, edit, text)
        return edit

    def _where_row(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        caption = QLabel("Where do you feel it in the body?")
        caption.setStyleSheet("font-weight: 600; padding-top: 8px;")
        row = QHBoxLayout()
        self.where_label = label("", "muted")
        self.where_button = button("Choose on the body…", "Choose where it is felt in the body")
        self.where_button.clicked.connect(self.choose_where)
        caption.setBuddy(self.where_button)
        row.addWidget(self.where_label, 1)
        row.addWidget(self.where_button, 0, Qt.AlignmentFlag.AlignTop)
        column.addWidget(caption)
        column.addLayout(row)
        return box

    def _links_box(self) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 8, 0, 0)
        caption = QLabel("How it relates to other parts")
        caption.setStyleSheet("font-weight: 600;")
        column.addWidget(caption)
        self.links = QListWidget()
        self.links.setAccessibleName("Links to other parts")
        self.links.setMaximumHeight(120)
        self.remove_link = button("Remove link", "Remove the selected link")
        self.relation = QComboBox()
        self.relation.setAccessibleName("Kind of link")
        for key, words in core.RELATIONS.items():
            self.relation.addItem(f"It {words}", key)
        self.other = QComboBox()
        self.other.setAccessibleName("Other part")
        self.add_link = button("Add link", "Add this link")
        add_row = QHBoxLayout()
        for w, stretch in ((self.relation, 0), (self.other, 1), (self.add_link, 0)):
            add_row.addWidget(w, stretch)
        self.link_error = label("", "muted")
        self.link_error.hide()
        column.addWidget(self.links)
        column.addWidget(self.remove_link, 0, Qt.AlignmentFlag.AlignRight)
        column.addLayout(add_row)
        column.addWidget(self.link_error)
        self.add_link.clicked.connect(self.add_draft)
        self.remove_link.clicked.connect(self.remove_selected)
        self.links.currentRowChanged.connect(lambda _row: self._refresh_buttons())
        return box

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.error = label("", "muted")
        self.error.setAccessibleName("Problem")
        self.error.setStyleSheet(f"color: {self.palette_.ground};")
        self.cancel = button("Cancel", "Cancel, change nothing")
        self.save_button = button("Save", "Save this part", "primary")
        self.save_button.setDefault(True)
        self.cancel.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        row.addWidget(self.error, 1)
        row.addWidget(self.cancel)
        row.addWidget(self.save_button)
        return row

    def _tab_order(self) -> None:
        chain = [self.name, self.role, self.does, self.fears, self.wants, self.felt_age,
                 self.where_button, self.colour, self.links, self.remove_link, self.relation,
                 self.other, self.add_link, self.cancel, self.save_button]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # -- filling and reading -----------------------------------------------------------------

    def _fill(self) -> None:
        p = self.part
        self.name.setText(p.name)
        self.role.setCurrentIndex(max(0, self.role.findData(p.role)))
        for edit, text in ((self.does, p.does), (self.fears, p.fears), (self.wants, p.wants)):
            edit.setPlainText(text)
        self.felt_age.setText(p.felt_age)
        self._show_where()
        # new links go to parts in use; links to archived parts stay listed above
        for other in self.everyone:
            if other.id != self.part_id and not other.archived:
                self.other.addItem(other.name, other.id)
        self._show_links()

    def values(self) -> Part:
        return replace(self.part, name=self.name.text(), role=self.role.currentData(),
                       does=self.does.toPlainText(), fears=self.fears.toPlainText(),
                       wants=self.wants.toPlainText(), felt_age=self.felt_age.text(),
                       where_felt=",".join(self.where), colour=self.colour.currentData())

    def _show_where(self) -> None:
        text = core.where_text(Part(name="", where_felt=",".join(self.where)))
        self.where_label.setText(text or "Not chosen yet.")
        self.where_button.setAccessibleDescription(f"Now: {text or 'nothing chosen'}")

    def choose_where(self) -> RegionChooser:
        chooser = RegionChooser(self.palette_, self.where, self.colour.currentData(), self)
        chooser.accepted.connect(lambda: self.set_where(chooser.chosen()))
        chooser.open()
        self.chooser = chooser                    # tests reach the open dialog here
        return chooser

    def set_where(self, region_ids: tuple[str, ...]) -> None:
        self.where = tuple(region_ids)
        self._show_where()

    # -- links -------------------------------------------------------------------------------

    def _stored_links(self, links: list[core.LinkRow]) -> list[LinkDraft]:
        if self.part_id is None:
            return []
        drafts = []
        for link_id, from_part, to_part, kind in core.links_of(self.part_id, links):
            relation, other = core.relation_of(self.part_id, from_part, to_part, kind)
            drafts.append(LinkDraft(relation, other, link_id))
        return drafts

    def _show_links(self) -> None:
        self.links.clear()
        for draft in self.drafts:
            words = f"It {core.RELATIONS[draft.relation]} {self.names.get(draft.other_id, '?')}"
            QListWidgetItem(words, self.links)
        if not self.drafts:
            item = QListWidgetItem("No links yet.", self.links)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        self._refresh_buttons()

    def _refresh_buttons(self) -> None:
        self.remove_link.setEnabled(bool(self.drafts) and self.links.currentRow() >= 0)
        self.add_link.setEnabled(self.other.count() > 0)
        if self.other.count() == 0:
            self.other.setPlaceholderText("No other parts yet")

    def add_draft(self) -> bool:
        other, relation = self.other.currentData(), self.relation.currentData()
        me = self.part_id if self.part_id is not None else NEW
        existing = [core.to_link(me, d.other_id, d.relation) for d in self.drafts]
        problems = core.validate_link(*core.to_link(me, other, relation), existing)
        self.link_error.setText(" ".join(problems))
        self.link_error.setVisible(bool(problems))
        if problems:
            return False
        self.drafts.append(LinkDraft(relation, other))
        self._show_links()
        self.links.setCurrentRow(len(self.drafts) - 1)
        return True

    def remove_selected(self) -> None:
        row = self.links.currentRow()
        if 0 <= row < len(self.drafts):
            draft = self.drafts.pop(row)
            if draft.link_id is not None:
                self.removed.append(draft.link_id)
            self._show_links()

    # -- saving ------------------------------------------------------------------------------

    def save(self) -> None:
        """Store the part, then its link changes; `saved` says when they are in. A problem
        with what was typed is explained here and the dialog stays open."""
        try:
            part = checked(self.values())
        except PartInvalid as exc:
            self._fail(" ".join(exc.problems), self.name)
            return
        self.save_button.setEnabled(False)
        self.error.setText("")
        words = [part.name, part.does, part.fears, part.wants]
        self.journal.write(_storing(part, list(self.removed), list(self.drafts)),
                           Table.PARTS, Table.PART_LINKS, what=f"the part “{part.name}”",
                           keep="\n".join(w for w in words if w), on_done=self._stored,
                           on_wait=lambda _exc: self.error.setText(
                               "Not saved yet. Secure Base keeps it and saves it as soon as "
                               "it can; you may close this window."),
                           on_error=lambda _exc: self._fail(
                               "That could not be saved.", self.save_button),
                           owner=self, initiator=self)

    def _stored(self, part_id: int) -> None:
        self.part, self.part_id = replace(self.part, id=part_id), part_id
        self.saved.emit(part_id)
        if self.isVisible():
            self.accept()

    def _fail(self, message: str, focus: QWidget) -> None:
        self.save_button.setEnabled(True)
        self.error.setText(message)
        focus.setFocus(Qt.FocusReason.OtherFocusReason)


def _storing(part: Part, removed: list[int], drafts: list[LinkDraft]):
    """The save as one journal operation. Should it have to wait and run again, it updates
    the part it already added and skips the links it already stored, never doubling them."""
    done: dict[str, Any] = {"id": part.id, "links": set()}

    def store(journal) -> int:
        part_id = save_part(journal, replace(part, id=done["id"]))
        done["id"] = part_id
        for link_id in removed:
            journal.unlink_parts(link_id)                 # deleting twice deletes nothing
        stored: set[int] = done["links"]
        for n, draft in enumerate(drafts):
            if draft.link_id is None and n not in stored:
                try:
                    link(journal, *core.to_link(part_id, draft.other_id, draft.relation))
                except PartInvalid:
                    pass                                  # already there: nothing to add
                stored.add(n)
        return part_id
    return store
