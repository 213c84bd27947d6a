"""The window's door to the person's own practices: scripts, recordings, sharing, the library.

Widgets never import app.storage; they ask this object, which does the file work off the GUI
thread (tasks.run_in_background) and answers on it. After anything that changes the library
it reloads it and says so once (`library_changed`), so every view shows the same practices.
Failures arrive as one plain sentence (`failed`), never as a traceback.
"""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from app.core.practice import Practice
from app.qt.tasks import run_in_background

Done = Callable[[Any], None]
log = logging.getLogger(__name__)


class PracticeFiles(QObject):
    library_changed = Signal(object, object)     # practices, broken scripts
    failed = Signal(str)                          # a plain sentence

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)

    # -- quick reads (small files, on the GUI thread) ----------------------------------------

    def taken_ids(self) -> set[str]:
        from app.storage.user_practices import taken_ids
        return taken_ids()

    def script_text(self, source: Path) -> str:
        """A script's text (raises OSError with a plain message)."""
        from app.storage.user_practices import read_script
        return read_script(source)

    def recordings(self, practice_id: str) -> dict[str, Path]:
        from app.storage.user_practices import recording_files
        return recording_files(practice_id)

    def recording_path(self, practice_id: str, audio_id: str) -> Path:
        from app.storage.user_practices import recording_path
        return recording_path(practice_id, audio_id)

    # -- changes (in the background, then the library is read again) -----------------------

    def reload(self, on_done: Done | None = None) -> None:
        def load() -> tuple[list[Practice], list[Any]]:
            from app.storage.library_cache import load_library
            return load_library()

        def loaded(result: tuple[list[Practice], list[Any]]) -> None:
            self.library_changed.emit(*result)
            if on_done is not None:
                on_done(result)
        self._run(load, loaded, "The library could not be read again")

    def save(self, practice_id: str, text: str, on_done: Done) -> None:
        def save() -> Path:
            from app.storage.user_practices import save_script
            return save_script(practice_id, text)
        self._run(save, lambda path: self.reload(lambda _lib: on_done(path)),
                  "The practice could not be saved")

    def remove(self, practice_id: str, on_done: Done) -> None:
        """Move a practice to the trash; `on_done` gets what `restore` needs."""
        def remove() -> Any:
            from app.storage.user_practices import remove
            return remove(practice_id)
        self._run(remove, lambda removed: self.reload(lambda _lib: on_done(removed)),
                  "The practice could not be deleted")

    def restore(self, removed: Any, on_done: Done | None = None) -> None:
        def restore() -> Path:
            from app.storage.user_practices import restore
            return restore(removed)
        self._run(restore, lambda path: self.reload(on_done),
                  "The practice could not be put back")

    def save_recording(self, practice_id: str, audio_id: str, data: bytes, on_done: Done
                       ) -> None:
        def save() -> Path:
            from app.storage.user_practices import save_recording
            return save_recording(practice_id, audio_id, data)
        self._run(save, on_done, "The recording could not be saved")

    def remove_recording(self, practice_id: str, audio_id: str, on_done: Done) -> None:
        def remove() -> None:
            from app.storage.user_practices import remove_recording
            remove_recording(practice_id, audio_id)
        self._run(remove, on_done, "The recording could not be removed")

    def empty_trash(self) -> None:
        """Forget practices deleted before this start (Undo lasts while the app is open)."""
        def empty() -> None:
            from app.storage.user_practices import empty_trash
            empty_trash()
        run_in_background(empty, on_error=lambda _exc: None, owner=self)

    # -- sharing --------------------------------------------------------------------------------

    def export(self, source: Path, out: Path, recordings: bool, note: str, on_done: Done
               ) -> None:
        def export() -> Path:
            from app.storage.practice_share import export_practice
            return export_practice(source, out, recordings=recordings, note=note)
        self._run(export, on_done, "The practice could not be saved as a file")

    def open_shared(self, path: Path, on_done: Callable[[Any, str], None],
                    on_error: Callable[[str], None]) -> None:
        """Read and check a shared file; nothing is written. `on_done(shared, summary)`."""
        def read() -> tuple[Any, str]:
            from app.storage.practice_cli import describe
            from app.storage.practice_share import read_shared
            shared = read_shared(path)
            return shared, describe(shared)
        run_in_background(read, on_done=lambda result: on_done(*result),
                          on_error=lambda exc: on_error(_plain(exc, "The file could not be "
                                                               "read")), owner=self)

    def install(self, shared: Any, on_done: Done, on_clash: Callable[[str, bool], None], *,
                keep_both: bool = False, replace: bool = False) -> None:
        """Add a checked shared practice. A name clash calls `on_clash(message, bundled)`,
        and the caller asks again with keep_both or replace."""
        from app.storage.practice_share import NameClash

        def install() -> Any:
            from app.storage.practice_share import install
            return install(shared, keep_both=keep_both, replace=replace)

        def failed(exc: BaseException) -> None:
            if isinstance(exc, NameClash):
                on_clash(str(exc), exc.bundled)
            else:
                self.failed.emit(_plain(exc, "The practice could not be added"))
        run_in_background(install, on_done=lambda done: self.reload(lambda _lib: on_done(done)),
                          on_error=failed, owner=self)

    # -- a draft kept at a system quit (small, and the app may be ending: on this thread) ------

    def keep_draft_now(self, state: dict[str, Any]) -> bool:
        """Write an unsaved draft now, before the app ends (a background task might never
        finish); False when it could not be written (logged: nobody is there to tell)."""
        from app.storage import editor_drafts
        try:
            editor_drafts.keep(state)
        except OSError as exc:
            log.error("an unsaved practice draft could not be kept: %s", exc.strerror or exc)
            return False
        return True

    def kept_draft(self) -> Any:
        """The oldest draft kept at a system quit (app.storage.editor_drafts.KeptDraft), or
        None."""
        from app.storage import editor_drafts
        found = editor_drafts.kept()
        return found[0] if found else None

    def forget_kept_draft(self, kept: Any) -> None:
        from app.storage import editor_drafts
        try:
            editor_drafts.forget(kept.path)
        except OSError as exc:              # it is offered again next time: nothing is lost
            log.warning("a kept practice draft could not be removed: %s", exc.strerror or exc)

    def _run(self, work: Callable[[], Any], on_done: Done, what: str) -> None:
        run_in_background(work, on_done=on_done,
                          on_error=lambda exc: self.failed.emit(_plain(exc, what)), owner=self)


def _plain(exc: BaseException, what: str) -> str:
    """One calm sentence: the storage errors already are; anything else is named briefly."""
    from app.storage.practice_share import ShareError
    from app.storage.user_practices import PracticeFileError
    if isinstance(exc, (ShareError, PracticeFileError)):
        text = str(exc)
        return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
    if isinstance(exc, OSError):
        return f"{what} ({exc.strerror or type(exc).__name__})."
    return f"{what} ({type(exc).__name__})."
