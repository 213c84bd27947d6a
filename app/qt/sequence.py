"""Play a practice's steps one after another with their silences, with no journal or controls.

Used for the grounding exercise, which must simply start speaking when asked. Steps cut into
segments by `[listen N]` marks play segment by segment, with their listening time between.
"""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from app.core.practice import Practice
from app.qt.player import GuidancePlayer


def practice_items(practice: Practice, audio: dict[str, Path]) -> list[tuple[Path, float]] | None:
    """(wav, seconds of quiet after it) for every segment of every step; None while any audio
    is missing. A step that waits gets its usual quiet here: nobody is asked to press on."""
    items = []
    for step in practice.steps:
        for segment in step.segments:
            if segment.audio_id not in audio:
                return None
            items.append((audio[segment.audio_id], step.quiet_after(segment, honour_wait=False)))
    return items


class SequencePlayback(QObject):
    step_changed = Signal(int)
    done = Signal()

    def __init__(self, player: GuidancePlayer, parent: QObject | None = None):
        super().__init__(parent)
        self.player = player
        self._items: list[tuple[Path, float]] = []
        self._index = -1
        self._gap = QTimer(self)
        self._gap.setSingleShot(True)
        self._gap.timeout.connect(self._next)
        player.finished.connect(self._on_finished)

    @property
    def active(self) -> bool:
        return self._index >= 0

    def start(self, items: list[tuple[Path, float]]) -> None:
        """items: (wav path, seconds of silence after it)."""
        self.stop()
        self._items = list(items)
        self._index = -1
        self._next()

    def stop(self) -> None:
        was_active = self.active
        self._gap.stop()
        self._index = -1
        if was_active:
            self.player.stop()

    def _next(self) -> None:
        self._index += 1
        if self._index >= len(self._items):
            self._index = -1
            self.done.emit()
            return
        self.step_changed.emit(self._index)
        self.player.play_file(self._items[self._index][0])

    def _on_finished(self, path: str) -> None:
        if self.active and path == str(self._items[self._index][0]):
            self._gap.start(int(self._items[self._index][1] * 1000))
