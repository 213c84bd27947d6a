"""Settings → The voice: how much room prepared speech takes, and a way to clear what is not in
use: sentences and finished steps of other voices and paces, of practices since changed or
removed (the cache also keeps itself within bounds: app/speech/chunk_cache.py)."""
from __future__ import annotations

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QWidget

from app.qt.speech_cache import clear_unused, read_space
from app.ui.common.widgets import button, label
from app.ui.context import AppContext

BUSY = "The voice is being prepared just now, so nothing was cleared. You can try again later."


def megabytes(size: int) -> str:
    return f"{size / 1e6:.0f} MB" if size >= 1e6 else "less than 1 MB"


class SpeechSpace(QWidget):
    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.context = context
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.summary = label("", "muted")
        self.clear = button("Clear unused speech", "Clear prepared speech that is not in use: "
                            "other voices and paces, and practices you have since changed or "
                            "removed", tip="Your practices as they are now, in the voice and "
                            "pace you use, are kept")
        # never disabled: a focused button that is disabled throws the keyboard's focus away
        self._clearing = False
        self._unused = 0
        row.addWidget(self.summary, 1)
        row.addWidget(self.clear)
        self.clear.clicked.connect(self._clear)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        read_space(self.context, self._show, owner=self)

    def _show(self, space) -> None:
        text = (f"Speech prepared ahead of time takes {megabytes(space.total)} on this "
                f"computer.")
        if space.unused:
            text += (f" {megabytes(space.unused)} of it is for other voices or paces, or for "
                     f"practices you have since changed or removed; it is cleared little by "
                     f"little on its own, or you can clear it now.")
        else:
            text += " All of it is for the voice and pace you use now."
        self.summary.setText(text)
        self._unused = space.unused

    def _clear(self) -> None:
        if self._clearing:
            return
        if not self._unused:
            self.summary.setText("There is nothing to clear: all the prepared speech is for the "
                                 "voice and pace you use now.")
            return
        self._clearing = True
        self.summary.setText("Clearing…")
        clear_unused(self.context, self._cleared, self._failed, owner=self)

    def _cleared(self, result) -> None:
        self._clearing = False
        if result.busy:
            self.summary.setText(BUSY)
            return
        read_space(self.context, lambda space: self._after(space, result.removed_bytes),
                   owner=self)

    def _after(self, space, freed: int) -> None:
        self._show(space)
        self.summary.setText(f"Cleared {megabytes(freed)}. " + self.summary.text())

    def _failed(self, exc: BaseException) -> None:
        self.summary.setText("The unused speech could not be cleared. Nothing you recorded "
                             "was touched.")
        self._clearing = False
