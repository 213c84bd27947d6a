"""The player: the current step's words, where you are, and gentle controls."""
from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QHBoxLayout, QListWidget, QListWidgetItem, QProgressBar, QVBoxLayout,
    QWidget,
)

from app.core.practice import Practice
from app.core.session import Snapshot, State
from app.ui.common.flow import FlowLayout
from app.ui.common.scale import FocusWheelSlider
from app.ui.common.widgets import (
    ReadingLabel, button, card, label, minutes_text, reading_area, wrap_items,
)

# The body map button's own words, which the guidance quotes ("press the B key, or the button
# that says Open the body map"; tests/core/test_bundled_guidance.py). It said "Mark it on the
# body map", and a listener (or a recogniser: 8 of 8 in a Piper render) hears "Mark it" said
# aloud as "market"; these words are also the button's accessible name, so the name a screen
# reader or voice control uses is the label the person sees.
BODY_MAP_BUTTON = "Open the body map"


class PlayerView(QWidget):
    play_pause = Signal()
    previous = Signal()
    next = Signal()
    replay = Signal()
    go_to = Signal(int)
    body_map = Signal()
    hold = Signal()
    continue_on = Signal()
    volume_changed = Signal(float)

    def __init__(self, practice: Practice, volume: float, parent: QWidget | None = None):
        super().__init__(parent)
        self.practice = practice
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 16, 24, 16)
        layout.setSpacing(20)

        self.steps = QListWidget()
        self.steps.setAccessibleName("Steps of this practice")
        self.steps.setAccessibleDescription("Choose a step to go there")
        self.steps.setFixedWidth(260)                # narrower in a small window: resizeEvent
        wrap_items(self.steps)                       # long titles wrap, whole
        for number, step in enumerate(practice.steps, start=1):
            QListWidgetItem(f"{number}. {step.title}", self.steps)
        # one click (or Enter) on a step goes there; the one already playing stays as it is
        self.steps.itemClicked.connect(self._choose_step)
        self.steps.itemActivated.connect(self._choose_step)
        layout.addWidget(self.steps)

        main = QVBoxLayout()
        main.setSpacing(12)
        layout.addLayout(main, 1)
        self.position_label = label("", "muted")
        self.step_title = label("", "title")
        main.addWidget(self.position_label)
        main.addWidget(self.step_title)

        self.banner = label("", "muted")
        self.banner.setVisible(False)
        self.render_bar = QProgressBar()
        self.render_bar.setAccessibleName("Preparing the voice")
        self.render_bar.setVisible(False)
        self.render_bar.setFormat("Preparing the voice… %p%")
        main.addWidget(self.banner)
        main.addWidget(self.render_bar)

        frame, box = card()
        self.text = ReadingLabel(role="steptext")
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reading = reading_area(self.text, "The words of this step")
        box.addWidget(self.reading, 1)
        self.body_invite = button(f"Where do you notice it?  {BODY_MAP_BUTTON} (B)",
                                  BODY_MAP_BUTTON)
        box.addWidget(self.body_invite)
        main.addWidget(frame, 1)

        self.step_progress = QProgressBar()
        self.step_progress.setTextVisible(False)
        self.step_progress.setAccessibleName("Progress through this step")
        self.time_label = label("", "muted")
        countdown_row = QHBoxLayout()
        self.countdown_label = label("", "muted")
        self.hold_button = button("Stay with this step", "Stay with this step: stop the "
                                  "countdown to the next step")
        # Shown when the practice waits for the person: after "Stay", or at a step that waits.
        self.continue_button = button("Continue", "Continue when you're ready",
                                      tip="Continue (Space)")
        countdown_row.addWidget(self.countdown_label, 1)
        countdown_row.addWidget(self.hold_button)
        countdown_row.addWidget(self.continue_button)
        main.addWidget(self.step_progress)
        main.addWidget(self.time_label)
        main.addLayout(countdown_row)

        # the step buttons, then the volume at the right; in a narrow window the volume
        # wraps onto a line of its own rather than being squeezed away
        controls = FlowLayout(spacing=12, last_to_the_right=True)
        transport = QWidget()
        steps_row = QHBoxLayout(transport)
        steps_row.setContentsMargins(0, 0, 0, 0)
        self.prev_button = button("◀  Previous", "Previous step", tip="Previous step (←)")
        self.play_button = button("Pause", "Play or pause", "primary", "Play / pause (Space)")
        self.play_button.setMinimumWidth(120)
        self.replay_button = button("↺  Replay", "Replay this step", tip="Replay step (R)")
        self.next_button = button("Next  ▶", "Next step", tip="Next step (→)")
        for widget in (self.prev_button, self.play_button, self.replay_button, self.next_button):
            steps_row.addWidget(widget)
        controls.addWidget(transport)
        self.sound = sound = QWidget()
        sound_row = QHBoxLayout(sound)
        sound_row.setContentsMargins(0, 0, 0, 0)
        sound_row.addWidget(label("Volume", "muted", wrap=False))
        self.volume = FocusWheelSlider()
        self.volume.setAccessibleName("Volume")
        self.volume.setRange(0, 100)
        self.volume.setValue(int(volume * 100))
        self.volume.setFixedWidth(150)
        sound_row.addWidget(self.volume)
        controls.addWidget(sound)
        main.addLayout(controls)

        self.prev_button.clicked.connect(self.previous)
        self.play_button.clicked.connect(self.play_pause)
        self.replay_button.clicked.connect(self.replay)
        self.next_button.clicked.connect(self.next)
        self.body_invite.clicked.connect(self.body_map)
        self.hold_button.clicked.connect(self.hold)
        self.continue_button.clicked.connect(self.continue_on)
        self._snap: Snapshot | None = None
        self.volume.valueChanged.connect(lambda v: self.volume_changed.emit(v / 100))
        self.set_countdown(None)

    def show_snapshot(self, snap: Snapshot) -> None:
        step, total = snap.step, len(self.practice.steps)
        self.position_label.setText(f"{self.practice.title}  ·  step {snap.index + 1} of {total}")
        self.step_title.setText(step.title)
        self.text.setText("".join(f'<p style="line-height: 145%; margin-bottom: 10px;">'
                                  f"{html.escape(p)}</p>" for p in step.paragraphs))
        self.body_invite.setVisible(step.ask_body)
        self.steps.setCurrentRow(snap.index)
        self._snap = snap
        self._set_play_button("Pause" if snap.state is State.PLAYING else "Play")
        self.prev_button.setEnabled(snap.index > 0)
        if snap.state is State.WAITING:
            self._show_waiting()
        elif snap.state is not State.SILENCE:
            self.set_countdown(None)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        """The overview of steps takes about a quarter of the width, 170 to 260 px, so the
        step's words keep the room in a small window."""
        self.steps.setFixedWidth(max(170, min(260, int(event.size().width() * 0.24))))
        super().resizeEvent(event)

    def _choose_step(self, item: QListWidgetItem) -> None:
        row = self.steps.row(item)
        if self._snap is None or row != self._snap.index:
            self.go_to.emit(row)

    def set_time(self, elapsed: float, step_total: float, practice_left: float) -> None:
        self.step_progress.setRange(0, max(1, int(step_total * 10)))
        self.step_progress.setValue(int(min(elapsed, step_total) * 10))
        self.time_label.setText(f"{minutes_text(elapsed)} / {minutes_text(step_total)} in this "
                                f"step  ·  about {minutes_text(practice_left)} left in the "
                                "practice")

    def set_countdown(self, seconds: float | None) -> None:
        """None: no countdown; -1: held by the person; otherwise seconds to the next step."""
        if seconds is None:
            self.countdown_label.setText("")
            self.hold_button.setVisible(False)
            self.continue_button.setVisible(False)
            return
        if seconds < 0:
            self.countdown_label.setText("Staying here, as long as you like. Press Continue "
                                         "(Space) when you're ready.")
        elif self._snap is not None and not self._snap.last_segment:
            self.countdown_label.setText(f"Time to listen inside. The voice goes on in "
                                         f"{int(seconds + 0.99)} s.")
        else:
            self.countdown_label.setText(f"A quiet moment. Moving on to {self._next_place()} "
                                         f"in {int(seconds + 0.99)} s.")
        self.hold_button.setVisible(seconds >= 0)
        self.continue_button.setVisible(seconds < 0)
        self._set_play_button("Continue" if seconds < 0 else "Stay")

    def _show_waiting(self) -> None:
        """A step that waits: no countdown, nothing more is said until the person goes on."""
        self.countdown_label.setText(f"The voice is waiting for you. Take all the time you need, "
                                     f"and press Continue (Space) to go on to "
                                     f"{self._next_place()}.")
        self.hold_button.setVisible(False)
        self.continue_button.setVisible(True)
        self._set_play_button("Continue")

    def _next_place(self) -> str:
        last = self.steps.currentRow() == len(self.practice.steps) - 1
        return "checking out" if last else "the next step"

    def _set_play_button(self, text: str) -> None:
        """The big button does what Space does; its name says so to a screen reader."""
        self.play_button.setText(text)
        self.play_button.setAccessibleName({
            "Stay": "Stay with this step", "Continue": "Continue when you're ready",
        }.get(text, "Play or pause"))

    def no_sound_device(self) -> None:
        """Nothing can be heard: a volume would be a control that does nothing (and a Tab stop
        that leads nowhere)."""
        self.sound.hide()

    def set_notice(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def set_render_progress(self, fraction: float | None) -> None:
        self.render_bar.setVisible(fraction is not None)
        if fraction is not None:
            self.render_bar.setValue(int(fraction * 100))
