"""Settings → The voice: choose a voice, hearing each first ("Listen"), and set the pace.

The natural voice and the standard voice are always shown; espeak-ng's other English voices
wait behind "More voices" (shown at once when one of them is the saved choice).

The voices are one radio group and one Tab stop, on the ticked voice; the arrow keys move the
tick, as in any radio group. A voice ticked with the arrows is chosen once the person settles
on it — leaves the voices (Tab, a click elsewhere) or presses Space or Enter on it — so passing
over a voice on the way to another neither saves it nor starts preparing it.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (QApplication, QButtonGroup, QGridLayout, QPushButton,
                               QRadioButton, QWidget)

from app.ui.common.widgets import button, tab_stop_on_choice

RECOMMENDED = " (recommended)"


@dataclass(frozen=True)
class VoiceOption:
    id: str
    label: str
    main: bool   # always shown; the others are behind "More voices"
    detail: str = ""   # the engine and language code: a tooltip, kept out of the name so
    #                    the longest name still fits the page at 800 px


def voice_options(voices: list, natural: str, standard: str) -> list[VoiceOption]:
    """Rows for the English voices of every engine: natural voices first, then the standard
    voice, then espeak-ng's other English voices under the names espeak gives them."""
    options: list[VoiceOption] = []
    for voice in voices:
        if voice.engine == "piper":
            options.append(VoiceOption(voice.id, voice.name + (RECOMMENDED if voice.id == natural
                                                               else ""), True))
        elif voice.id == standard:
            options.append(VoiceOption(voice.id, "Standard voice (American English)", True,
                                       f"espeak-ng, {voice.language}"))
        else:
            options.append(VoiceOption(voice.id, voice.name, False,
                                       f"espeak-ng, {voice.language}"))
    return sorted(options, key=lambda o: (not o.id.startswith("piper:"), o.id != standard))


ARROWS = (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right)


class _VoiceRadio(QRadioButton):
    """A voice's radio button that tells its list when the tick moves by the arrow keys (a
    move, not yet a choice) and when the focus leaves it."""

    def __init__(self, text: str, owner: "VoiceList"):
        super().__init__(text)
        self._owner = owner

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() not in ARROWS:
            super().keyPressEvent(event)
            return
        self._owner._moving = True
        try:
            super().keyPressEvent(event)
        finally:
            self._owner._moving = False

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self._owner._focus_left()


class VoiceList(QWidget):
    """One row per voice: a radio button to choose it and a Listen button to hear it."""

    chosen = Signal(str)       # the person picked this voice id
    kept_on_close = Signal(str)   # ticked with the arrows, settled by closing the window
    listen = Signal(str)       # the person wants to hear this voice id

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(0, 1)   # the names take the room; Listen stays compact
        self._group = QButtonGroup(self)
        self._radios: dict[str, QRadioButton] = {}
        self.listen_buttons: dict[str, QPushButton] = {}
        self._extra: list[QWidget] = []
        self._moving = False     # an arrow key is moving the tick
        self._unsettled = False  # the tick was moved by the arrows and not yet chosen
        # a plain button that says what it will do (a checkable one is announced as a check box)
        self.more = button("More voices", "Show more voices")
        self.more_shown = False
        self.more.clicked.connect(lambda: self._show_extra(not self.more_shown))
        self.more.setVisible(False)

    def set_options(self, options: list[VoiceOption], current: str | None) -> None:
        for index, option in enumerate(options):
            radio = _VoiceRadio(option.label, self)
            radio.setAccessibleName(f"Voice: {option.label}")
            radio.setToolTip(option.detail)
            radio.setAccessibleDescription(option.detail)
            listen = button("Listen", f"Listen to {option.label}")
            self._group.addButton(radio)
            # Left-aligned: the button (and its focus frame) hugs the voice's name rather than
            # stretching across the row the column takes at a wide window.
            self._grid.addWidget(radio, index, 0, Qt.AlignmentFlag.AlignLeft)
            self._grid.addWidget(listen, index, 1)
            self._radios[option.id] = radio
            self.listen_buttons[option.id] = listen
            listen.clicked.connect(lambda _c=False, voice=option.id: self.listen.emit(voice))
            radio.toggled.connect(lambda on, voice=option.id: self._toggled(on, voice))
            radio.clicked.connect(self._clicked)
            if not option.main:
                self._extra += [radio, listen]
        self._grid.addWidget(self.more, len(options), 0, Qt.AlignmentFlag.AlignLeft)
        self.more.setVisible(bool(self._extra))
        self._tab_in_place([w for o in options
                            for w in (self._radios[o.id], self.listen_buttons[o.id])] + [self.more])
        self.select(current)
        self._show_extra(self.more_shown)
        tab_stop_on_choice(self._group)

    def _tab_in_place(self, widgets: Sequence[QWidget]) -> None:
        """The voices arrive after the page is built, and Qt puts widgets made then at the end
        of the window's Tab order (after "Open the log folder"): put them where the list is.
        setTabOrder needs a focusable first widget, so the list is one for a moment."""
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        previous: QWidget = self
        for widget in widgets:
            QWidget.setTabOrder(previous, widget)
            previous = widget
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def select(self, voice: str | None) -> None:
        """Show `voice` as chosen without announcing it (nothing is saved)."""
        radio = self._radios.get(voice or "")
        if radio is None:
            return
        radio.blockSignals(True)
        radio.setChecked(True)
        radio.blockSignals(False)
        if radio in self._extra:
            self._show_extra(True)

    def current(self) -> str | None:
        return next((voice for voice, radio in self._radios.items() if radio.isChecked()), None)

    def ids(self) -> list[str]:
        return list(self._radios)

    def _toggled(self, on: bool, voice: str) -> None:
        if not on:
            return
        if self._moving:
            self._unsettled = True       # chosen when the person settles on it
        else:
            self._unsettled = False
            self.chosen.emit(voice)

    def _clicked(self) -> None:
        """Space or Enter on the ticked voice (a click on it): the person settles on it."""
        if not self._moving:
            self._settle()

    def _focus_left(self) -> None:
        """The focus left a voice: unless it went to another voice, the tick is settled."""
        if QApplication.focusWidget() not in self._radios.values():
            # the focus was here, so a hidden window is one being closed
            self._settle(closing=self.window().isHidden())

    def _settle(self, closing: bool = False) -> None:
        voice = self.current()
        if self._unsettled and voice is not None:
            self._unsettled = False
            (self.kept_on_close if closing else self.chosen).emit(voice)

    def _show_extra(self, shown: bool) -> None:
        self.more_shown = shown
        ticked = self._radios.get(self.current() or "")
        for radio, listen in zip(self._extra[::2], self._extra[1::2]):
            # the ticked voice stays in sight: hidden, the list would show no choice at all,
            # and the group would have no Tab stop left
            radio.setVisible(shown or radio is ticked)
            listen.setVisible(shown or radio is ticked)
        self.more.setText("Fewer voices" if shown else "More voices")
        self.more.setAccessibleName("Show fewer voices" if shown else "Show more voices")
