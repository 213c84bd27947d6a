"""One part's page: what we know of it, where it lives in the body, the sittings it was in.

Read-only apart from its notes; editing and archiving are asked of the parts view by signal.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QBoxLayout, QComboBox, QGridLayout, QHBoxLayout, QLabel, QListWidget, QListWidgetItem,
    QPlainTextEdit, QVBoxLayout, QWidget,
)

from app.core import body
from app.core import parts as core
from app.core.part_changes import links_of, part_history, set_notes
from app.core.progress import region_heat
from app.core.progress_text import average_strength, exact
from app.core.records import BodyMark, Part
from app.qt.journal_service import JournalService, Table
from app.ui.body.canvas import BodyCanvas
from app.ui.parts.bits import swatch
from app.ui.common.theme import Palette
from app.ui.common.widgets import FORM_WIDTH, button, card, label, scroll_area, wrap_items

NARROW = 620                                        # px: below this, sections stack
OUTCOME_WORDS = {"stopped_early": "stopped early", "grounded": "paused to ground"}


def day_text(iso: str) -> str:
    try:
        d = datetime.fromisoformat(iso)
    except ValueError:
        return iso[:10]
    return f"{d:%a} {d.day} {d:%b %Y}"


def session_line(s: core.SessionShift) -> str:
    bits = [core.shift_text(s)]
    if s.self_before is not None and s.self_after is not None:
        bits.append(f"Self-energy {s.self_before:.1f} → {s.self_after:.1f}")
    if s.outcome in OUTCOME_WORDS:
        bits.append(OUTCOME_WORDS[s.outcome])
    if not s.chosen:
        bits.append("noticed along the way")
    return f"{day_text(s.started_at)}  ·  {s.practice_title}\n" + "  ·  ".join(bits)


def mean_shift_text(history: core.PartHistory) -> str:
    mean = history.mean_shift
    if mean is None:
        return ""
    n = sum(1 for s in history.sessions if s.shift is not None)
    if n == 1:                                   # one practice has no average: say what it was
        said = ("stayed the same" if abs(mean) < 0.05
                else f"{'eased' if mean < 0 else 'rose'} by {exact(abs(mean))}")
        return (f"Intensity {said} from check-in to check-out, in the one practice with a "
                "check-in and check-out.")
    over = f"across {n} practices with a check-in and check-out"
    if abs(mean) < 0.05:
        return f"Intensity stayed about the same on average, {over}."
    word = "eased" if mean < 0 else "rose"
    return f"On average, intensity {word} by {abs(mean):.1f} from check-in to check-out, {over}."


@dataclass(frozen=True)
class PageData:
    """Everything one part's page shows, read in one go on the journal thread."""
    part: Part
    names: dict[int, str]                            # every part's name, archived too
    links: list[core.LinkRow]
    marks: list[BodyMark]
    history: core.PartHistory


def read_page(journal, part_id: int) -> PageData | None:
    part = journal.part(part_id)
    if part is None:
        return None
    return PageData(part, {p.id: p.name for p in journal.parts(include_archived=True)},
                    links_of(journal, part_id), journal.body_marks(part_id=part_id),
                    part_history(journal, part_id))


class PartPage(QWidget):
    shown = Signal(int)                              # a part's page is filled in
    edit_requested = Signal(int)
    archive_requested = Signal(int, bool)            # part id, archive (True) or bring back
    part_activated = Signal(int)                     # a related part's name was followed

    def __init__(self, journal: JournalService, palette: Palette,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.journal, self.palette_ = journal, palette
        self.part: Part | None = None
        self.marks: list[BodyMark] = []
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        inner = QWidget()
        # the forms' column on a wide screen: at 1920 px its drop-down was 1,056 px wide
        inner.setMaximumWidth(FORM_WIDTH + 4 + 12)
        outer.addWidget(scroll_area(inner))
        self.column = QVBoxLayout(inner)
        self.column.setContentsMargins(4, 0, 12, 12)
        self.column.setSpacing(14)
        self.column.addLayout(self._header())
        self.column.addWidget(self._about())
        self.column.addWidget(self._body())
        self.column.addWidget(self._sessions())
        self.column.addWidget(self._notes())
        self.column.addStretch(1)
        chain = [self.edit, self.archive, self.relations, self.month, self.sessions,
                 self.notes, self.save_notes]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # -- construction ------------------------------------------------------------------------

    def _header(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.swatch = QLabel()
        self.title = label("", "title")
        self.title.setAccessibleDescription("Part name")   # its name is what it shows
        self.role = label("", "subtitle")
        names = QVBoxLayout()
        names.setSpacing(0)
        names.addWidget(self.title)
        names.addWidget(self.role)
        self.edit = button("Edit", "Edit this part")
        self.archive = button("Archive", "Archive this part",
                              tip="Hides it from the list; nothing is deleted.")
        self.edit.clicked.connect(self._edit_clicked)
        self.archive.clicked.connect(self._toggle_archive)
        row.addWidget(self.swatch, 0, Qt.AlignmentFlag.AlignTop)
        row.addLayout(names, 1)
        row.addWidget(self.edit, 0, Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.archive, 0, Qt.AlignmentFlag.AlignTop)
        return row

    def _about(self) -> QWidget:
        frame, box = card()
        self.about = QGridLayout()
        self.about.setHorizontalSpacing(16)
        self.about.setVerticalSpacing(8)
        self.about_values: dict[str, QLabel] = {}
        self.about_rows: list[tuple[QLabel, QLabel]] = []
        rows = (("does", "What it does"), ("fears", "What it fears would happen"),
                ("wants", "What it wants for you"), ("felt_age", "How old it feels"),
                ("where", "Where it is felt"))
        for key, heading in rows:
            value = label("")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleDescription(heading)
            self.about_rows.append((label(heading, "muted", wrap=False), value))
            self.about_values[key] = value
        self._arrange_about(narrow=False)
        box.addLayout(self.about)
        self.relations = label("")
        self.relations.setAccessibleDescription("How it relates to other parts")
        self.relations.setTextFormat(Qt.TextFormat.RichText)
        self.relations.setTextInteractionFlags(Qt.TextInteractionFlag.TextBrowserInteraction)
        self.relations.linkActivated.connect(lambda href: self.part_activated.emit(int(href)))
        box.addWidget(self.relations)
        return frame

    def _body(self) -> QWidget:
        frame, box = card(QHBoxLayout)
        self.body_box = box
        self.canvas = BodyCanvas(self.palette_)
        self.canvas.setMinimumSize(220, 260)
        self.canvas.setFixedSize(240, 290)
        self.canvas.setFocusPolicy(Qt.FocusPolicy.NoFocus)     # the words beside say it all
        self.canvas.setAccessibleName("Where this part was marked on the body")
        side = QVBoxLayout()
        side.addWidget(label("In the body", "subtitle"))
        self.month = QComboBox()
        self.month.setAccessibleName("Show body marks from")
        question = label("Show the marks from", "muted")
        question.setBuddy(self.month)               # said with the value by a screen reader
        self.month.currentIndexChanged.connect(lambda _i: self._show_heat())
        side.addWidget(question)
        side.addWidget(self.month)
        self.body_summary = label("")
        self.body_summary.setAccessibleDescription("Body marks summary")
        self.months_text = label("", "muted")
        side.addWidget(self.body_summary)
        side.addWidget(self.months_text)
        side.addStretch(1)
        box.addWidget(self.canvas)
        box.addLayout(side, 1)
        return frame

    def _sessions(self) -> QWidget:
        frame, box = card()
        box.addWidget(label("Practices with this part", "subtitle"))
        self.shift_summary = label("", "muted")
        box.addWidget(self.shift_summary)
        self.sessions = QListWidget()
        self.sessions.setAccessibleName("Practices with this part, newest first")
        wrap_items(self.sessions)       # a long practice title wraps, never cut short
        box.addWidget(self.sessions)
        return frame

    def _notes(self) -> QWidget:
        frame, box = card()
        box.addWidget(label("Notes", "subtitle"))
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes about this part")
        self.notes.setPlaceholderText("Anything you are learning about it")
        self.notes.setTabChangesFocus(True)
        self.notes.setFixedHeight(96)
        row = QHBoxLayout()
        self.notes_status = label("", "muted")
        self.save_notes = button("Save notes", "Save the notes about this part")
        self.save_notes.clicked.connect(self._save_notes)
        row.addWidget(self.notes_status, 1)
        row.addWidget(self.save_notes)
        box.addWidget(self.notes)
        box.addLayout(row)
        return frame

    def _arrange_about(self, narrow: bool) -> None:
        """Headings beside their text, or above it when the page is narrow."""
        self.narrow = narrow
        for n, (head, value) in enumerate(self.about_rows):
            self.about.removeWidget(head)
            self.about.removeWidget(value)
            head.setContentsMargins(0, 6 if narrow and n else 0, 0, 0)
            if narrow:
                self.about.addWidget(head, 2 * n, 0)
                self.about.addWidget(value, 2 * n + 1, 0)
            else:
                self.about.addWidget(head, n, 0, Qt.AlignmentFlag.AlignTop)
                self.about.addWidget(value, n, 1)
        self.about.setColumnStretch(1, 0 if narrow else 1)
        self.about.setColumnStretch(0, 1 if narrow else 0)

    def resizeEvent(self, event) -> None:  # noqa: N802
        # narrow windows: headings above their text, the figure above its summary
        narrow = event.size().width() < NARROW
        if narrow != self.narrow:
            self._arrange_about(narrow)
        self.body_box.setDirection(QBoxLayout.Direction.TopToBottom if narrow
                                   else QBoxLayout.Direction.LeftToRight)
        super().resizeEvent(event)

    # -- showing a part ----------------------------------------------------------------------

    def show_part(self, part_id: int) -> None:
        """Read the part's page from the journal; `shown` says when it is filled in."""
        self.journal.read(lambda j: read_page(j, part_id), on_done=self._fill, owner=self)

    def _fill(self, data: PageData | None) -> None:
        if data is None:                             # gone meanwhile (deleted everything)
            return
        part = self.part = data.part
        self.swatch.setPixmap(swatch(part.colour, 28))
        self.title.setText(part.name)
        self.role.setText(core.role_label(part.role) + ("  ·  archived" if part.archived
                                                          else ""))
        self.archive.setText("Bring back" if part.archived else "Archive")
        self.archive.setAccessibleName("Bring this part back" if part.archived
                                       else "Archive this part")
        values = {"does": part.does, "fears": part.fears, "wants": part.wants,
                  "felt_age": part.felt_age, "where": core.where_text(part)}
        for key, value in values.items():
            self.about_values[key].setText(value or "Not written yet.")
            self.about_values[key].setProperty("role", "" if value else "muted")
            self.about_values[key].style().polish(self.about_values[key])
        self._show_relations(part, data)
        self._show_history(data)
        self.notes.setPlainText(part.notes)
        self.notes_status.setText("")
        self.shown.emit(part.id)

    def refresh(self) -> None:
        if self.part is not None and self.part.id is not None:
            self.show_part(self.part.id)

    def _show_relations(self, part: Part, data: PageData) -> None:
        lines = []
        if part.id is None:             # shown parts are saved ones: they have an id
            return
        for _id, from_part, to_part, kind in data.links:
            relation, other = core.relation_of(part.id, from_part, to_part, kind)
            lines.append(f"It {core.RELATIONS[relation]} <a href='{other}' style='color:"
                         f"{self.palette_.accent}'>{escape(data.names.get(other, '?'))}</a>")
        self.relations.setText("<br>".join(lines) if lines else
                               "<span>No links to other parts yet.</span>")
        self.relations.setFocusPolicy(Qt.FocusPolicy.StrongFocus if lines
                                      else Qt.FocusPolicy.NoFocus)

    def _show_history(self, data: PageData) -> None:
        self.marks = data.marks
        history = data.history
        self.month.blockSignals(True)
        self.month.clear()
        self.month.addItem("All time", None)
        for period in history.periods:
            self.month.addItem(core.month_label(period.month), period.month)
        self.month.blockSignals(False)
        self.months_text.setText("\n".join(
            f"{core.month_label(p.month)}: {p.count} time{'s' if p.count != 1 else ''}, "
            f"mostly {body.label(p.regions[0])}, "
            + average_strength(p.mean_intensity, p.count, p.rated)
            for p in history.periods[:6]))
        self._show_heat()
        self._show_sessions(history)

    def _show_heat(self) -> None:
        marks = core.marks_in_month(self.marks, self.month.currentData())
        heat = region_heat(marks)
        self.canvas.set_heat({k: v.heat for k, v in heat.items()})
        if not marks:
            text = ("No body marks are linked to this part yet. On the body map, you can say "
                    "which part a sensation belongs to.")
        else:
            top = sorted(heat.values(),
                         key=lambda h: (-h.count, -(h.mean_intensity or 0.0)))[:3]
            places = "; ".join(body.label(h.region, h.view) for h in top)  # labels hold commas
            text = (f"Noticed {len(marks)} time{'s' if len(marks) != 1 else ''}. "
                    f"Most often: {places}.")
        self.body_summary.setText(text)
        self.canvas.setAccessibleDescription(text)

    def _show_sessions(self, history: core.PartHistory) -> None:
        self.sessions.clear()
        for s in history.sessions:
            item = QListWidgetItem(session_line(s), self.sessions)
            item.setData(Qt.ItemDataRole.UserRole, s.session_id)
        if not history.sessions:
            item = QListWidgetItem("Not part of a practice yet. At check-in you can choose "
                                   "the part a practice is with.", self.sessions)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
        # up to six rows show whole; a longer history scrolls in place
        rows = range(min(6, self.sessions.count()))
        self.sessions.setFixedHeight(sum(max(24, self.sessions.sizeHintForRow(r)) for r in rows)
                                     + 10)
        self.shift_summary.setText(mean_shift_text(history))

    # -- actions -----------------------------------------------------------------------------

    def _edit_clicked(self) -> None:
        if self.part is not None:
            self.edit_requested.emit(self.part.id)

    def _toggle_archive(self) -> None:
        if self.part is not None:
            self.archive_requested.emit(self.part.id, not self.part.archived)

    def _save_notes(self) -> None:
        if self.part is None or self.part.id is None:
            return
        part_id, notes = self.part.id, self.notes.toPlainText()
        self.notes_status.setText("Saving…")
        self.journal.write(lambda j: set_notes(j, part_id, notes), Table.PARTS,
                           what="your notes on this part", keep=notes,
                           on_done=lambda _: self.notes_status.setText("Notes saved."),
                           on_wait=lambda _exc: self.notes_status.setText(
                               "Not saved yet. Secure Base keeps your notes and saves them "
                               "as soon as it can."),
                           on_error=lambda _exc: self.notes_status.setText(
                               "Your notes could not be saved."),
                           owner=self, initiator=self)
