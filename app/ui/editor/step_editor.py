"""One step: its title, what is said (with pauses and listening time put in at the cursor),
the quiet after it, whether it waits, whether it offers the body map; hear it, or record it."""
from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox, QDoubleSpinBox, QHBoxLayout, QLineEdit, QPlainTextEdit, QSpinBox, QVBoxLayout,
    QWidget,
)

from app.core.practice import DEFAULT_LISTEN_SECONDS, MAX_LISTEN_SECONDS, MAX_PAUSE_SECONDS
from app.core.practice_check import CheckResult, FieldRef
from app.core.practice_doc import StepFields
from app.core.practice_draft import Draft
from app.core.scripts import MAX_SILENCE_AFTER
from app.ui.common.theme import Palette
from app.ui.common.flow import FlowLayout
from app.ui.common.widgets import button, label
from app.ui.editor.fields import FieldMessage, captioned

MAX_STEP_TITLE = 120
SPIN_WIDTH = 180


class StepEditor(QWidget):
    changed = Signal(str, object)          # key of the step, new value
    listen_requested = Signal()
    record_requested = Signal()

    def __init__(self, palette: Palette, parent: QWidget | None = None):
        super().__init__(parent)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(4)
        self.heading = label("", "subtitle")
        column.addWidget(self.heading)
        self.title = QLineEdit()
        self.title.setMaxLength(MAX_STEP_TITLE)
        self.title.setPlaceholderText("For example: Arrive")
        self.say = QPlainTextEdit()
        self.say.setTabChangesFocus(True)      # Tab moves on, as in every other field
        self.say.setMinimumHeight(120)
        self.say.setPlaceholderText("What the voice says. Each line is shown as a paragraph.")
        self.messages: dict[str, FieldMessage] = {
            "title": captioned(column, "Step title", self.title, palette, "Step title"),
            "say": captioned(column, "What is said", self.say, palette, "What is said"),
        }
        column.addLayout(self._marks_row())
        self.silence = QDoubleSpinBox()
        self.silence.setRange(0, MAX_SILENCE_AFTER)
        self.silence.setDecimals(1)
        self.silence.setSuffix(" s")
        self.silence.setMaximumWidth(SPIN_WIDTH)        # a number, not a line of text
        self.messages["silence_after"] = captioned(
            column, "Quiet after the voice", self.silence, palette, "Quiet after the voice, "
            "in seconds", hint="Time to feel before the next step; it can be held.")
        self.wait = QCheckBox("Wait for me at the end of this step")
        self.wait.setAccessibleName("Wait for me at the end of this step")
        self.ask_body = QCheckBox("Offer the body map at this step")
        self.ask_body.setAccessibleName("Offer the body map at this step")
        for box, key in ((self.wait, "wait"), (self.ask_body, "ask_body")):
            column.addWidget(box)
            self.messages[key] = FieldMessage(box, palette, box.text())
            column.addWidget(self.messages[key])
        self.step_message = FieldMessage(self, palette, "This step")
        column.addWidget(self.step_message)
        column.addLayout(self._voice_row())
        column.addWidget(self.listen_state)
        self.recording = label("", "muted")
        self.recording.setAccessibleDescription("Recording of this step")
        column.addWidget(self.recording)
        column.addStretch(1)
        self.title.textEdited.connect(lambda text: self.changed.emit("title", text))
        self.say.textChanged.connect(self._say_changed)
        self.silence.valueChanged.connect(lambda v: self.changed.emit("silence_after", v))
        self.wait.toggled.connect(lambda on: self.changed.emit("wait", on))
        self.ask_body.toggled.connect(lambda on: self.changed.emit("ask_body", on))
        self._loading = False

    def _marks_row(self) -> FlowLayout:
        row = FlowLayout()                     # wraps in a narrow window
        self.pause_seconds = QDoubleSpinBox()
        self.pause_seconds.setRange(0.5, MAX_PAUSE_SECONDS)
        self.pause_seconds.setDecimals(1)
        self.pause_seconds.setValue(3)
        self.pause_seconds.setSuffix(" s")
        self.pause_seconds.setAccessibleName("Length of the pause to insert, in seconds")
        self.insert_pause = button("Insert &pause", "Insert a pause at the cursor (Alt+P)",
                                   tip="A breath of quiet inside the speech")
        self.listen_seconds = QSpinBox()
        self.listen_seconds.setRange(5, int(MAX_LISTEN_SECONDS))
        self.listen_seconds.setValue(int(DEFAULT_LISTEN_SECONDS))
        self.listen_seconds.setSuffix(" s")
        self.listen_seconds.setAccessibleName("Listening time to insert, in seconds")
        self.insert_listen = button("Insert &listening time", "Insert listening time at the "
                                    "cursor (Alt+L)", tip="Time to listen inside, after a "
                                    "question; it can be held")
        for pair in ((self.pause_seconds, self.insert_pause),
                     (self.listen_seconds, self.insert_listen)):
            holder = QWidget()                 # a number stays beside its button when wrapping
            line = QHBoxLayout(holder)
            line.setContentsMargins(0, 0, 0, 0)
            for widget in pair:
                line.addWidget(widget)
            row.addWidget(holder)
        self.insert_pause.clicked.connect(
            lambda: self.insert_mark(f"[pause {self.pause_seconds.value():g}]"))
        self.insert_listen.clicked.connect(
            lambda: self.insert_mark(f"[listen {self.listen_seconds.value()}]"))
        return row

    def _voice_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.listen = button("Listen to this step", "Listen to this step",
                             tip="Hear it in the voice chosen in Settings")
        self.record = button("Record it in a voice…", "Record this step in your own voice, or "
                             "a voice you trust")
        self.listen_state = label("", "muted")
        self.listen_state.setAccessibleDescription("Listening to this step")
        row.addWidget(self.listen)
        row.addWidget(self.record)
        row.addStretch(1)
        self.listen.clicked.connect(self.listen_requested)
        self.record.clicked.connect(self.record_requested)
        return row

    def insert_mark(self, mark: str) -> None:
        """Put a mark at the cursor, with a space on each side where words meet it."""
        cursor = self.say.textCursor()
        text, position = self.say.toPlainText(), cursor.position()
        before = "" if position == 0 or text[position - 1].isspace() else " "
        after = "" if position >= len(text) or text[position].isspace() else " "
        cursor.insertText(f"{before}{mark}{after}")
        self.say.setTextCursor(cursor)
        self.say.setFocus()

    def _say_changed(self) -> None:
        if not self._loading:
            self.changed.emit("say", self.say.toPlainText())

    def load(self, index: int, count: int, step: StepFields) -> None:
        """Show another step (no change signals while filling in)."""
        self._loading = True
        for widget in (self.title, self.silence, self.wait, self.ask_body):
            widget.blockSignals(True)
        self.heading.setText(f"Step {index + 1} of {count}")
        self.title.setText(step.title)
        if self.say.toPlainText() != step.say.rstrip("\n"):
            self.say.setPlainText(step.say.rstrip("\n"))
        self.silence.setValue(step.silence_after)
        self.wait.setChecked(step.wait)
        self.ask_body.setChecked(step.ask_body)
        self.silence.setEnabled(not step.wait)   # a step that waits has no timed quiet
        for widget in (self.title, self.silence, self.wait, self.ask_body):
            widget.blockSignals(False)
        self._loading = False

    def show_check(self, index: int, result: CheckResult, draft: Draft) -> None:
        for key, message in self.messages.items():
            where = FieldRef(index, key)
            message.show_messages(result.at(where) if draft.shown(where) else [])
        where = FieldRef(index, None)
        self.step_message.show_messages(result.at(where) if draft.shown(where) else [])

    def set_listen_state(self, text: str) -> None:
        self.listen_state.setText(text)

    def show_recording(self, text: str) -> None:
        self.recording.setText(text)
        self.recording.setVisible(bool(text))

    def field_for(self, key: str | None) -> QWidget:
        return {"say": self.say, "silence_after": self.silence, "wait": self.wait,
                "ask_body": self.ask_body}.get(key or "", self.title)
