"""Wire the library's "Your practices" buttons, and files dropped on the window, to
YourPractices, which is made (with the editor, tomlkit and the checks) only when first used:
the first paint of the window never waits for them."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtGui import QDropEvent

if TYPE_CHECKING:
    from app.ui.library.yours import YourPractices
    from app.ui.main_window import MainWindow

TRASH_DELAY_MS = 4000            # after the first paint


def connect_your_practices(window: "MainWindow") -> Callable[[], "YourPractices"]:
    """Connect the library's requests; returns the getter that makes YourPractices."""
    made: list["YourPractices"] = []

    def yours() -> "YourPractices":
        if not made:
            from app.ui.library.yours import YourPractices
            made.append(YourPractices(window))
        return made[0]

    lib = window.library
    lib.new_requested.connect(lambda: yours().new())
    lib.edit_requested.connect(lambda item: yours().edit(item))
    lib.duplicate_requested.connect(lambda practice: yours().duplicate(practice))
    lib.delete_requested.connect(lambda item: yours().delete(item))
    lib.share_requested.connect(lambda practice: yours().share(practice))
    lib.import_requested.connect(lambda: yours().import_file())
    lib.undo_requested.connect(lambda: yours().undo())
    window.made_your_practices = lambda: made[0] if made else None
    return yours


def empty_trash_later(window: "MainWindow") -> None:
    """Empty the trash TRASH_DELAY_MS after the first frame (called once it is on screen: a
    timer started with the window fired before a slow first frame, on a loaded machine or
    under callgrind, and its imports and file work delayed it)."""
    # a timer owned by the window (it dies with it); not QTimer.singleShot(ms, window, fn),
    # whose overloads make PySide build QMetaMethod's enums
    trash = QTimer(window)
    trash.setSingleShot(True)
    trash.timeout.connect(lambda: _empty_trash(window))
    trash.start(TRASH_DELAY_MS)


def _empty_trash(window: "MainWindow") -> None:
    """Practices deleted in an earlier run are gone for good (Undo lasts while it is open)."""
    from app.qt.practice_files import PracticeFiles
    PracticeFiles(window).empty_trash()


def dropped_file(event: QDropEvent) -> Path | None:
    """The one shared practice (or script) dropped on the window, if that is what it is."""
    urls = event.mimeData().urls() if event.mimeData().hasUrls() else []
    if len(urls) != 1 or not urls[0].isLocalFile():
        return None
    path = Path(urls[0].toLocalFile())
    return path if path.suffix.lower() in (".sbpractice", ".toml") else None
