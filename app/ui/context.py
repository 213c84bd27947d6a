"""What the views share: practices, preferences, and lazily the journal and the player.

The journal (sqlite-utils) and the player (QtMultimedia) are opened on first use, so the first
window paints without waiting for either.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from app.core.practice import BrokenScript, Practice
from app.storage.preferences import Preferences, save_preferences
from app.ui.common.theme import PALETTES, Palette

if TYPE_CHECKING:
    from app.qt.player import GuidancePlayer
    from app.storage.journal import Journal


@dataclass
class AppContext:
    practices: list[Practice]
    broken: list[BrokenScript]
    preferences: Preferences
    journal_path: str | None = None        # None: the person's real journal file
    journal_notices: list[str] = field(default_factory=list)   # recovery news, said once
    _journal: "Journal | None" = field(default=None, repr=False)
    _player: "GuidancePlayer | None" = field(default=None, repr=False)

    @property
    def palette(self) -> Palette:
        return PALETTES[self.preferences.theme]

    @property
    def journal(self) -> "Journal":
        if self._journal is None:
            from app import paths
            from app.storage.recovery import open_journal
            # integrity check, daily backup, and recovery from a damaged file happen here
            self._journal, notices = open_journal(self.journal_path or paths.journal_file())
            self.journal_notices.extend(notices)
        return self._journal

    def forget_journal(self) -> None:
        """After "delete all my data": the next use opens a fresh, empty journal."""
        self._journal = None

    @property
    def player(self) -> "GuidancePlayer":
        if self._player is None:
            from app.qt.player import GuidancePlayer
            self._player = GuidancePlayer()
            self._player.set_volume(self.preferences.volume)
        return self._player

    def practice(self, practice_id: str) -> Practice | None:
        return next((p for p in self.practices if p.id == practice_id), None)

    @property
    def grounding(self) -> Practice | None:
        return self.practice("grounding")

    def update_preferences(self, preferences: Preferences) -> None:
        self.preferences = preferences.validated()
        save_preferences(self.preferences)
        if self._player is not None:
            self._player.set_volume(self.preferences.volume)
