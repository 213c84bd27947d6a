"""The practice editor: the form for the practice, its steps, and the step being edited.

Every change goes straight into the draft (app.core.practice_draft), and the same check as
`securebase check` runs a moment after typing stops, each message shown beside its field.
Save writes the script whole (app.qt.practice_files) once nothing stands in its way.
"""
from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QRect, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QVBoxLayout, QWidget

from app.core.practice_check import CheckResult, FieldRef
from app.core.practice_draft import Draft
from app.qt.practice_files import PracticeFiles
from app.ui.common.theme import Palette
from app.ui.common.widgets import FORM_WIDTH, button, label, scroll_area
from app.ui.editor.fields import FieldMessage
from app.ui.editor.form import PracticeForm
from app.ui.editor.step_editor import StepEditor
from app.ui.editor.step_list import StepList

CHECK_DELAY_MS = 300          # after the last key press: quick enough to feel live
NARROW = 760                  # below this width the step list sits above the step
NARROW_LIST_HEIGHT = 180
MARGIN = 24                   # px, left and right of the column


class EditorPage(QWidget):
    closed = Signal()                     # back to the library
    saved = Signal(str)                   # practice id
    listen_requested = Signal(object, int)    # draft, step index
    record_requested = Signal(object, int)    # draft, step index

    def __init__(self, files: PracticeFiles, palette: Palette, draft: Draft,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.files, self.draft = files, draft
        self.result: CheckResult | None = None
        self.current = 0
        self._build(palette)
        self._connect()
        self._check_timer = QTimer(self)
        self._check_timer.setSingleShot(True)
        self._check_timer.setInterval(CHECK_DELAY_MS)
        self._check_timer.timeout.connect(self.run_check)
        self.form.load(draft)
        self._show_steps()
        self.run_check(sync_minutes=False)
        self._status()

    # -- construction ---------------------------------------------------------------------------

    def _build(self, palette: Palette) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        # the forms' column on a wide screen (widgets.page_layout): at 1920 px the fields ran
        # 1,171-1,660 px wide, "What is said" some 150 characters a line
        header = QWidget()
        header.setMaximumWidth(FORM_WIDTH + 2 * MARGIN)
        top = QHBoxLayout(header)
        top.setContentsMargins(MARGIN, 12, MARGIN, 8)
        self.back = button("←  Practices", "Back to the library")
        self.heading = label("", "title")
        self.state = label("", "muted")
        self.state.setAccessibleDescription("Saved or not")
        self.save_button = button("Save", "Save this practice (Ctrl+S)", "primary")
        for widget, stretch in ((self.back, 0), (self.heading, 1), (self.state, 0),
                                (self.save_button, 0)):
            top.addWidget(widget, stretch)
        outer.addWidget(header)
        body = QWidget()
        body.setMaximumWidth(FORM_WIDTH + 2 * MARGIN)   # the scroll area keeps it within this
        column = QVBoxLayout(body)
        column.setContentsMargins(MARGIN, 0, MARGIN, 24)
        column.setSpacing(12)
        self.form = PracticeForm(palette)
        column.addWidget(self.form)
        self.general = FieldMessage(self, palette, "The practice as a whole")
        column.addWidget(self.general)
        self.steps_row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self.steps_row.setSpacing(20)
        self.step_list = StepList()
        self.step_list.setMinimumWidth(200)
        self.step_editor = StepEditor(palette)
        self.steps_row.addWidget(self.step_list, 2)
        self.steps_row.addWidget(self.step_editor, 5)
        column.addLayout(self.steps_row, 1)
        self.area = scroll_area(body)
        outer.addWidget(self.area, 1)
        self._messages = {m.field: m for m in (*self.form.messages.values(),
                                                *self.step_editor.messages.values())}
        for box in (self.form.pacing, self.step_editor.say):
            box.installEventFilter(self)

    def _connect(self) -> None:
        self.back.clicked.connect(self.closed)
        self.save_button.clicked.connect(self.save)
        # a signal given by name as a keyword: PySide takes it, its stubs do not know it
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save)  # type: ignore[call-overload]
        for keys, delta in (("Alt+Up", -1), ("Alt+Down", 1)):   # also while editing a step
            shortcut = QShortcut(QKeySequence(keys), self.step_editor)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=delta: self.move_step(self.current,
                                                                      self.current + d))
        self.form.changed.connect(self._practice_changed)
        self.step_editor.changed.connect(self._step_changed)
        self.step_editor.listen_requested.connect(
            lambda: self.listen_requested.emit(self.draft, self.current))
        self.step_editor.record_requested.connect(
            lambda: self.record_requested.emit(self.draft, self.current))
        self.step_list.current_changed.connect(self._choose_step)
        self.step_list.add_requested.connect(self.add_step)
        self.step_list.remove_requested.connect(self.remove_step)
        self.step_list.move_requested.connect(self.move_step)

    def resizeEvent(self, event: QResizeEvent) -> None:
        narrow = event.size().width() < NARROW
        self.steps_row.setDirection(QBoxLayout.Direction.TopToBottom if narrow
                                    else QBoxLayout.Direction.LeftToRight)
        self.step_list.list.setMaximumHeight(NARROW_LIST_HEIGHT if narrow else 16_777_215)
        super().resizeEvent(event)

    # -- changes --------------------------------------------------------------------------------

    def _practice_changed(self, key: str, value: object) -> None:
        if key == "title":
            self.draft.set_title(str(value))
        else:
            self.draft.set_practice(key, value)
        self._changed()

    def _step_changed(self, key: str, value: object) -> None:
        self.draft.set_step(self.current, key, value)
        if key == "title":
            self.step_list.rename(self.current, str(value), False)
        if key == "wait":
            self.step_editor.silence.setEnabled(not value)
        self._changed()

    def _changed(self) -> None:
        self._status()
        self._check_timer.start()

    def _choose_step(self, index: int) -> None:
        self.current = index
        self.step_editor.load(index, self.draft.doc.step_count, self.draft.doc.step(index))
        self._show_recording()
        if self.result is not None:
            self.step_editor.show_check(index, self.result, self.draft)

    def add_step(self) -> None:
        self.current = self.draft.add_step(self.current + 1)
        self._show_steps()
        self._changed()
        self.step_editor.title.setFocus()

    def remove_step(self, index: int) -> None:
        if self.draft.doc.step_count <= 1 or index < 0:
            return
        self.draft.remove_step(index)
        self.current = min(index, self.draft.doc.step_count - 1)
        self._show_steps()
        self._changed()

    def move_step(self, source: int, target: int) -> None:
        if not 0 <= target < self.draft.doc.step_count or source == target:
            return
        self.draft.move_step(source, target)
        self.current = target
        self._show_steps()
        self._changed()

    def _show_steps(self) -> None:
        self.step_list.show_steps(self.draft.doc.steps(), self.current, self._troubled())
        self._choose_step(self.step_list.current())

    def _troubled(self) -> set[int]:
        if self.result is None:
            return set()
        return {m.where.step for m in self.result.errors
                if m.where.step is not None and self.draft.shown(m.where)}

    # -- checking and saving --------------------------------------------------------------------

    def run_check(self, sync_minutes: bool = True) -> CheckResult:
        self._check_timer.stop()
        self.result = result = self.draft.check(sync_minutes=sync_minutes)
        self.form.show_check(result, self.draft)
        general = FieldRef(None, None)
        self.general.show_messages(result.at(general) if self.draft.shown(general) else [])
        self.step_editor.show_check(self.current, result, self.draft)
        troubled = self._troubled()
        for index, step in enumerate(self.draft.doc.steps()):
            self.step_list.rename(index, step.title, index in troubled)
        self._status()
        return result

    def save(self) -> None:
        result = self.run_check()
        if result.errors:
            self.draft.show_all = True
            self.run_check()
            count = len(result.errors)
            self.state.setText(f"{count} thing{'s' * (count != 1)} to fix before saving")
            self._focus_problem(result.errors[0].where)
            return
        self.save_button.setEnabled(False)
        self.state.setText("Saving…")
        self.files.save(self.draft.practice_id, self.draft.text, self._saved)

    def _saved(self, _path: object) -> None:
        self.draft.mark_saved()
        self.save_button.setEnabled(True)
        self._status()
        self.saved.emit(self.draft.practice_id)

    def _focus_problem(self, where: FieldRef) -> None:
        if where.step is None:
            field = self.form.field_for(where.key)
        else:
            self.current = where.step
            self._show_steps()
            field = self.step_editor.field_for(where.key)
        field.setFocus()
        self.show_whole(field)          # it may have had the focus already

    def _status(self) -> None:
        title = str(self.draft.doc.practice("title", "") or "").strip()
        self.heading.setText(title or "A new practice")
        if self.draft.dirty:
            self.state.setText("Not saved yet")
        elif self.draft.id_fixed:
            self.state.setText("Saved")
        else:
            self.state.setText("")

    # -- recordings -----------------------------------------------------------------------------

    def _show_recording(self) -> None:
        if not self.draft.id_fixed:
            self.step_editor.show_recording("")
            return
        step = self.draft.lenient_steps()[self.current]
        recorded = self.files.recordings(self.draft.practice_id)
        audio_ids = [s.audio_id for s in step.segments]
        have = [a for a in audio_ids if a in recorded]
        if not have:
            self.step_editor.show_recording("")
        elif len(have) == len(audio_ids):
            self.step_editor.show_recording("This step plays in the recorded voice.")
        else:
            self.step_editor.show_recording(f"{len(have)} of its {len(audio_ids)} parts play "
                                            "in the recorded voice; the others are spoken.")

    def refresh_recording(self) -> None:
        self._show_recording()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        """A text box that takes the focus is shown whole, with its ring: the scroll area
        alone would only bring its cursor line into view."""
        if event.type() == QEvent.Type.FocusIn and isinstance(watched, QWidget):
            self.show_whole(watched)
        return False

    def show_whole(self, watched: QWidget) -> None:
        """Scroll so the field and the message under it are both in view."""
        body = self.area.widget()
        if body is None:
            return
        if (layout := body.layout()) is not None:
            layout.activate()             # a message just shown has its place now
        shown = QRect(watched.mapTo(body, QPoint(0, 0)), watched.size())
        message = self._messages.get(watched)
        if message is not None and message.isVisible():     # and what is said about it
            shown = shown.united(QRect(message.mapTo(body, QPoint(0, 0)), message.size()))
        centre = shown.center()
        self.area.ensureVisible(centre.x(), centre.y(), shown.width() // 2 + 8,
                                shown.height() // 2 + 8)

    def focus_first(self) -> None:
        self.form.title.setFocus()
