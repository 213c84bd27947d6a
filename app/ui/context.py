"""What the views share: practices, preferences, the journal service and lazily the player.

The journal service opens the journal on its own thread when first asked (after the first
paint), and the player (QtMultimedia) is made on first use, so the first window paints without
waiting for either.
"""
from __future__ import annotations

import base64
import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from app.core.preferences import Preferences
from app.ui.common.theme import PALETTES, Palette

log = logging.getLogger(__name__)

if TYPE_CHECKING:
    from collections.abc import Callable

    from app.core.library_card import LibraryCard
    from app.core.practice import Practice          # made after the first frame (see below)
    from app.core.problems import BrokenScript     # made only when the library holds one

    from app.qt.app_services import LazyLibrary
    from app.qt.journal_service import JournalService
    from app.qt.player import GuidancePlayer


class AppContext:
    """What the views share (see the module's docstring); one per window, compared by
    identity. Given a LazyLibrary, the library's first frame is drawn from its cards
    (`library_cards`) and the practices are made when first asked for."""

    def __init__(self, practices: list[Practice], broken: list[BrokenScript],
                 preferences: Preferences, journal_path: str | None = None, *,
                 library: LazyLibrary | None = None) -> None:
        self._practices, self._broken = practices, broken
        self._library = library if library is not None and library.cards is not None else None
        if library is not None and self._library is None:   # no cards to show first
            self._practices, self._broken = library.records()
        self.preferences = preferences
        self.journal_path = journal_path        # None: the person's real journal file
        self._journal: JournalService | None = None
        self._player: GuidancePlayer | None = None
        self._journal_watchers: list[Callable[[JournalService], None]] = []

    @property
    def practices(self) -> list[Practice]:
        self._make_records()
        return self._practices

    @practices.setter
    def practices(self, practices: list[Practice]) -> None:
        self._make_records()
        self._practices = practices

    @property
    def broken(self) -> list[BrokenScript]:
        self._make_records()
        return self._broken

    @broken.setter
    def broken(self, broken: list[BrokenScript]) -> None:
        self._make_records()
        self._broken = broken

    @property
    def library_cards(self) -> list[LibraryCard] | None:
        """The cards of a library whose records are not made yet (None once they are)."""
        return None if self._library is None else self._library.cards

    def _make_records(self) -> None:
        if self._library is not None:
            self._practices, self._broken = self._library.records()
            self._library = None

    @property
    def palette(self) -> Palette:
        return PALETTES[self.preferences.theme]

    @property
    def journal(self) -> "JournalService":
        """The window's one door to the journal (app/qt/journal_service.py)."""
        if self._journal is None:
            from app.qt.journal_service import JournalService
            self._journal = JournalService(self.journal_path)
            for watcher in self._journal_watchers:
                watcher(self._journal)
        return self._journal

    def when_journal_made(self, watcher: "Callable[[JournalService], None]") -> None:
        """Call `watcher` with the journal service as soon as it exists (now, if it does): the
        service is made on first use, after the first paint, yet nothing it reports is missed."""
        self._journal_watchers.append(watcher)
        if self._journal is not None:
            watcher(self._journal)

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

    def saved_window_geometry(self) -> bytes | None:
        """Where the window was when it last closed (None: fit it to the screen)."""
        try:
            return base64.b64decode(self.preferences.window_geometry, validate=True) or None
        except ValueError:
            return None

    def remember_window_geometry(self, geometry: bytes) -> None:
        """Kept with the preferences; a folder that cannot be written only loses the place."""
        try:
            self.update_preferences(replace(self.preferences,
                                            window_geometry=base64.b64encode(geometry).decode()))
        except OSError as exc:
            log.warning("The window's place was not saved: %s", type(exc).__name__)

    def update_preferences(self, preferences: Preferences) -> None:
        from app.qt.app_services import save_preferences
        self.preferences = preferences.validated()
        problem = save_preferences(self.preferences)
        if problem:
            self.journal.tell(problem)
        if self._player is not None:
            self._player.set_volume(self.preferences.volume)
