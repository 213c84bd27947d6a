"""The parts catalogue: the parts a person has named, each one's page, and a map of them."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QTabWidget,
    QVBoxLayout, QWidget,
)

from app.core import parts as core
from app.core.part_changes import set_archived
from app.core.part_templates import PartTemplate
from app.core.records import Part
from app.qt.journal_service import JournalChange, Table
from app.ui.context import AppContext
from app.ui.parts.bits import swatch
from app.ui.parts.editor import PartEditor
from app.ui.parts.page import PartPage
from app.ui.parts.template_dialog import TemplateChooser
from app.ui.parts.relation_map import PartsMapPanel
from app.ui.common.widgets import button, card, label, wrap_items

EMPTY_TEXT = ("You haven't named any parts yet. You might start from a template: a few "
              "parts many people recognise, described gently, that you can change to fit. "
              "Or name one yourself, in your own words. There is no wrong way to begin.")
RESTING_TEXT = ("All your parts are archived for now. Tick “Show archived” to see them "
                "again.")


# what a part's page shows comes from these tables
SHOWN = (Table.PARTS, Table.PART_LINKS, Table.BODY_MARKS, Table.SESSIONS, Table.CHECKINS)


class PartsView(QWidget):
    parts_changed = Signal()                 # a part or link was added, changed or archived
    loaded = Signal()                        # the list and map show the journal's parts
    page_stack: QStackedWidget               # the part's page, or a hint to pick one

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        self.journal = context.journal
        self.everyone: list[Part] = []       # every part, archived too, as last read
        self.links: list[core.LinkRow] = []
        self.editor: PartEditor | None = None
        self.chooser: TemplateChooser | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(label("Parts", "title"))
        layout.addWidget(label("Getting to know your parts, and what each one hopes for you.",
                               "subtitle"))
        layout.addLayout(self._toolbar())
        self.status = label("", "muted")
        self.status.setAccessibleName("Parts status")
        self.status.hide()
        layout.addWidget(self.status)
        self.stack = QStackedWidget()
        self.stack.addWidget(self._empty_state())
        self.stack.addWidget(self._tabs())
        layout.addWidget(self.stack, 1)
        self._actions()
        self.journal.changed.connect(self._on_changed)
        self.refresh()

    # -- construction ------------------------------------------------------------------------

    def _toolbar(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.new_button = button("New part", "Name a new part", "primary", tip="Ctrl+N")
        self.template_button = button("Start from a template…", "Start a part from a template")
        # a toggle chip rather than a check box: the shared theme hides an unticked box
        self.show_archived = button("Show archived", "Show archived parts", "chip")
        self.show_archived.setCheckable(True)
        self.new_button.clicked.connect(lambda: self.new_part())
        self.template_button.clicked.connect(lambda: self.choose_template())
        self.show_archived.toggled.connect(lambda _on: self.refresh())
        row.addWidget(self.new_button)
        row.addWidget(self.template_button)
        row.addStretch(1)
        row.addWidget(self.show_archived)
        return row

    def _empty_state(self) -> QWidget:
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 12, 0, 0)
        frame, box = card()
        self.empty_text = label(EMPTY_TEXT)
        self.empty_text.setAccessibleName("No parts yet")
        box.addWidget(self.empty_text)
        row = QHBoxLayout()
        self.empty_template = button("Start from a template…", "Start a part from a template",
                                     "primary")
        self.empty_new = button("Name a part yourself", "Name a new part yourself")
        self.empty_template.clicked.connect(lambda: self.choose_template())
        self.empty_new.clicked.connect(lambda: self.new_part())
        row.addWidget(self.empty_template)
        row.addWidget(self.empty_new)
        row.addStretch(1)
        box.addLayout(row)
        column.addWidget(frame)
        column.addStretch(1)
        return holder

    def _tabs(self) -> QTabWidget:
        pal = self.context.palette
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        # underlined tabs; the focused one gets the theme's ring all round
        self.tabs.setStyleSheet(
            f"QTabBar::tab {{ padding: 6px 16px; background: transparent;"
            f" border: 3px solid transparent; color: {pal.muted}; }}"
            f"QTabBar::tab:selected {{ color: {pal.text}; border-bottom-color: {pal.accent};"
            f" font-weight: 600; }}"
            f"QTabBar::tab:focus {{ border-color: {pal.focus}; border-radius: 6px; }}")
        self.tabs.tabBar().setAccessibleName("Parts views")
        # Tab stops at the tab bar only: the tab widget itself (the bar's focus proxy) sits
        # after the page in the focus chain, and landing on it sent Tab back to the bar, a loop
        # the keyboard could not leave
        self.tabs.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # ...which Qt hands on to the bar, its focus proxy, taking the bar out of the chain
        # too ('How they relate' was reached only by an unadvertised Ctrl+Tab): the bar stands
        # on its own, with its Tab stop back, and Tab through the tab widget finds nothing
        self.tabs.setFocusProxy(None)  # type: ignore[arg-type]  # Qt takes None: no proxy
        self.tabs.tabBar().setFocusPolicy(Qt.FocusPolicy.TabFocus)
        catalogue = QWidget()
        row = QHBoxLayout(catalogue)
        row.setContentsMargins(0, 12, 0, 0)
        row.setSpacing(20)
        self.list = QListWidget()
        self.list.setAccessibleName("Your parts")
        wrap_items(self.list)                         # the person's names, whole
        self.list.currentItemChanged.connect(self._on_current)
        self.page = PartPage(self.journal, pal)
        self.list.itemActivated.connect(lambda _item: self.page.edit.setFocus())
        self.page.shown.connect(lambda _id: self.page_stack.setCurrentIndex(1))
        self.page.edit_requested.connect(lambda pid: self.edit_part(pid))
        self.page.archive_requested.connect(self.archive)
        self.page.part_activated.connect(self.select)
        self.page_stack = QStackedWidget()
        self.pick_hint = label("Choose a part on the left to see its page.", "muted")
        self.pick_hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.page_stack.addWidget(self.pick_hint)
        self.page_stack.addWidget(self.page)
        row.addWidget(self.list)
        row.addWidget(self.page_stack, 1)
        self.map = PartsMapPanel(pal)
        self.map.part_activated.connect(self.select)
        self.tabs.addTab(catalogue, "Your parts")
        self.tabs.addTab(self.map, "How they relate")
        return self.tabs

    def _actions(self) -> None:
        new = QAction("New part", self)
        new.setShortcut(QKeySequence.StandardKey.New)
        new.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new.triggered.connect(lambda: self.new_part())
        self.addAction(new)
        for first, second in ((self.new_button, self.template_button),
                              (self.template_button, self.show_archived),
                              (self.show_archived, self.tabs.tabBar()),
                              (self.tabs.tabBar(), self.list), (self.list, self.page.edit)):
            QWidget.setTabOrder(first, second)

    # -- showing -----------------------------------------------------------------------------

    def refresh(self, select: int | None = None, then=None) -> None:
        """Reload from the journal, keeping (or moving to) the selected part; `then()` runs
        once it shows."""
        keep = select if select is not None else self.current_id()
        self.journal.read(lambda j: (j.parts(include_archived=True), j.part_links()),
                          on_done=lambda got: self._show(got[0], got[1], keep, then),
                          owner=self)

    def _show(self, everyone: list[Part], links: list[core.LinkRow], keep: int | None,
              then=None) -> None:
        self.everyone, self.links = everyone, links
        shown = [p for p in everyone if self.show_archived.isChecked() or not p.archived]
        self._fill_list(shown)
        self.map.set_parts(shown, links)
        self.show_archived.setVisible(any(p.archived for p in everyone))
        self.empty_text.setText(RESTING_TEXT if everyone else EMPTY_TEXT)
        self.empty_template.setVisible(not everyone)
        self.empty_new.setVisible(not everyone)
        self.stack.setCurrentIndex(1 if shown else 0)
        self.new_button.setVisible(bool(everyone))
        self.template_button.setVisible(bool(everyone))
        if keep is not None and (row := self._row_of(keep)) is not None:
            self.list.setCurrentRow(row)
        elif self.list.count():
            self.list.setCurrentRow(0)
        else:
            self.page_stack.setCurrentIndex(0)
        if then is not None:
            then()
        self.loaded.emit()

    def _on_changed(self, change: JournalChange) -> None:
        """Someone else changed what the page shows (a body mark, a practice): show it. Our
        own saves refresh themselves."""
        mine = change.initiator is not None and change.initiator in (self, self.page,
                                                                      self.editor)
        if self.isVisible() and not mine and change.touches(*SHOWN):
            self.refresh()

    def part(self, part_id: int) -> Part | None:
        return next((p for p in self.everyone if p.id == part_id), None)

    def _fill_list(self, shown) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for part in shown:
            role = core.role_label(part.role) + (" · archived" if part.archived else "")
            item = QListWidgetItem(QIcon(swatch(part.colour, 18)), f"{part.name}\n{role}",
                                   self.list)
            item.setData(Qt.ItemDataRole.UserRole, part.id)
            item.setData(Qt.ItemDataRole.AccessibleTextRole, f"{part.name}, {role}")
            if part.archived:
                item.setForeground(Qt.GlobalColor.gray)
        self.list.setCurrentRow(-1)
        self.list.blockSignals(False)

    def _row_of(self, part_id: int) -> int | None:
        return next((r for r in range(self.list.count())
                     if self.list.item(r).data(Qt.ItemDataRole.UserRole) == part_id), None)

    def current_id(self) -> int | None:
        item = self.list.currentItem() if hasattr(self, "list") else None
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def _on_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.page.show_part(item.data(Qt.ItemDataRole.UserRole))   # then `shown`
        else:
            self.page_stack.setCurrentIndex(0)

    def select(self, part_id: int) -> None:
        """Open a part's page (from the map or a relation), showing archived ones if needed."""
        if self._row_of(part_id) is None and not self.show_archived.isChecked():
            self.show_archived.setChecked(True)
        self.tabs.setCurrentIndex(0)
        self.refresh(select=part_id)

    def resizeEvent(self, event) -> None:  # noqa: N802
        # the list gives way first, so a part's page keeps room to read at 900 px
        self.list.setFixedWidth(max(180, min(260, int(event.size().width() * 0.24))))
        super().resizeEvent(event)

    def showEvent(self, event) -> None:  # noqa: N802
        # marks and sessions are added elsewhere; a page seen again should show them
        self.refresh()
        super().showEvent(event)

    # -- actions -----------------------------------------------------------------------------

    def new_part(self, template: PartTemplate | None = None) -> PartEditor:
        colour = core.suggest_colour(p for p in self.everyone if not p.archived)
        part = template.to_part(colour) if template else None
        return self._open_editor(part)

    def edit_part(self, part_id: int) -> PartEditor | None:
        part = self.part(part_id)
        if part is None:
            return None
        return self._open_editor(part)

    def _open_editor(self, part: Part | None) -> PartEditor:
        editor = PartEditor(self.journal, self.context.palette, part, self.everyone,
                            self.links, self)
        self.editor = editor
        editor.saved.connect(self._on_saved)
        editor.open()
        return editor

    def choose_template(self) -> TemplateChooser:
        chooser = TemplateChooser(self)
        chooser.accepted.connect(lambda: chooser.template() and
                                 self.new_part(chooser.template()))
        self.chooser = chooser
        chooser.open()
        return chooser

    def say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _on_saved(self, part_id: int) -> None:
        def said() -> None:
            part = self.part(part_id)
            self.say(f"Saved “{part.name}”." if part else "")
        self.refresh(select=part_id, then=said)
        self.parts_changed.emit()

    def _archived(self, part_id: int, said: Callable[[], None]) -> None:
        self.refresh(select=part_id, then=said)
        self.parts_changed.emit()

    def archive(self, part_id: int, archived: bool) -> None:
        def said() -> None:
            name = part.name if (part := self.part(part_id)) else ""
            self.say(f"“{name}” is archived. Nothing was deleted; “Show archived” brings it "
                     "back." if archived else f"“{name}” is back among your parts.")
        self.journal.write(lambda j: set_archived(j, part_id, archived), Table.PARTS,
                           what="archiving a part" if archived else "bringing a part back",
                           on_done=lambda _: self._archived(part_id, said),
                           owner=self, initiator=self)
