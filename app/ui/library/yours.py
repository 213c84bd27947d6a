"""Your practices: new, duplicate, edit, delete (with Undo), share and import, and the editor.

The library's buttons ask (wired by yours_wiring, which makes this object when first used);
this object does, through the one door to the files
(app.qt.practice_files), and keeps the library showing what is on disk. It opens the editor
as a page of the window, hears a step (StepListen) and records one (RecordDialog).
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox

from app.core.practice import Practice
from app.core.problems import BrokenScript
from app.core.practice_doc import DocumentError
from app.core.practice_draft import Draft
from app.qt.practice_files import PracticeFiles
from app.qt.step_listen import StepListen
from app.ui.common.widgets import message
from app.ui.editor.page import EditorPage
from app.ui.library import share

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class YourPractices(QObject):
    def __init__(self, window: "MainWindow"):
        super().__init__(window)
        self.window, self.context, self.library = window, window.context, window.library
        self.files = PracticeFiles(self)
        self.listening = StepListen(lambda: self.context.player, self)
        self.editor: EditorPage | None = None
        self.editor_kept: Any = None              # the kept draft the editor shows, if any
        self.removed: Any = None                  # what Undo puts back
        self.files.library_changed.connect(self._library_changed)
        self.files.failed.connect(self._say)
        self.listening.preparing.connect(lambda: self._listen_state("Preparing the voice…"))
        self.listening.playing.connect(lambda n, of: self._listen_state(
            "Playing…" if of == 1 else f"Playing part {n} of {of}…"))
        self.listening.finished.connect(lambda: self._listen_state(""))
        self.listening.failed.connect(self._listen_state)

    # -- the library's requests -----------------------------------------------------------------

    def new(self) -> None:
        self.open_editor(Draft.new(self.files.taken_ids()))

    def edit(self, item: Practice | BrokenScript) -> None:
        source = item.source if isinstance(item, Practice) else item.path
        draft = self._draft(source, lambda text: Draft.of_saved(text, self.files.taken_ids()))
        if draft is not None:
            self.open_editor(draft)

    def duplicate(self, practice: Practice) -> None:
        draft = self._draft(practice.source, lambda text: Draft.copy_of(
            text, practice.title, self.files.taken_ids()))
        if draft is not None:
            self.open_editor(draft)

    def _draft(self, source: Path | None, make) -> Draft | None:
        try:
            return make(self.files.script_text(source)) if source else None
        except (OSError, DocumentError) as exc:
            self._say(f"This script cannot be opened in the editor: {exc}. You can still fix "
                      "it in a text editor.")
            return None

    def delete(self, item: Practice | BrokenScript) -> None:
        practice_id = item.id if isinstance(item, Practice) else item.path.stem
        title = item.title if isinstance(item, Practice) else item.path.name
        self.files.remove(practice_id, lambda removed: self._deleted(removed, title))

    def _deleted(self, removed: Any, title: str) -> None:
        self.removed = removed
        self.library.show_notice(f"“{title}” was deleted.", undo=True)

    def undo(self) -> None:
        removed, self.removed = self.removed, None
        if removed is not None:
            self.files.restore(removed, lambda _lib: self._restored(removed.practice_id))

    def _restored(self, practice_id: str) -> None:
        self.library.show_notice("It is back.")
        self.library.select(practice_id)

    def share(self, practice: Practice) -> None:
        recordings = len(self.files.recordings(practice.id)) if not practice.bundled else 0
        dialog = share.ExportDialog(practice, recordings, self.window)
        if not dialog.exec():
            return
        out = dialog.choose_file()
        if out is not None and practice.source is not None:
            self.export(practice, out, dialog.with_recordings.isChecked(), dialog.note_text())

    def export(self, practice: Practice, out: Path, recordings: bool, note: str) -> None:
        if practice.source is None:         # not saved as a file: nothing to share yet
            return
        self.files.export(practice.source, out, recordings, note, lambda path: self._say(
            f"“{practice.title}” is saved as {path}."))

    def import_file(self, path: Path | None = None) -> None:
        path = path or share.choose_import_file(self.window)
        if path is not None:
            self.files.open_shared(path, self._preview, self._say)

    def _preview(self, shared: Any, summary: str) -> None:
        dialog = share.ImportDialog(summary, shared.source.name, self.window)
        if dialog.exec():
            self.install(shared)

    def install(self, shared: Any, keep_both: bool = False, replace: bool = False) -> None:
        def clash(text: str, bundled: bool) -> None:
            choice = share.ask_clash(self.window, text, bundled)
            if choice is not None:
                self.install(shared, keep_both=choice == "keep", replace=choice == "replace")
        self.files.install(shared, self._installed, clash, keep_both=keep_both,
                           replace=replace)

    def _installed(self, done: Any) -> None:
        self.library.select(done.practice_id)
        if done.replaced is not None:
            self.removed = done.replaced
            self.library.show_notice("It is in your practices now, in place of yours.",
                                     undo=True)
        else:
            self.library.show_notice("It is in your practices now.")

    # -- the editor -----------------------------------------------------------------------------

    def open_editor(self, draft: Draft) -> None:
        if self.editor is not None and not self.close_editor():
            self.window.stack.setCurrentWidget(self.editor)
            return
        kept, restored = self._offer_kept_draft()
        page = EditorPage(self.files, self.context.palette, restored or draft)
        page.closed.connect(self.close_editor)
        page.saved.connect(lambda practice_id: self.library.select(practice_id))
        self.editor_kept = kept if restored is not None else None
        if self.editor_kept is not None:    # saved now: the kept copy has done its job
            page.saved.connect(lambda _id, k=kept: self.files.forget_kept_draft(k))
        page.listen_requested.connect(self._listen)
        page.record_requested.connect(self._record)
        self.editor = page
        self.window.stack.addWidget(page)
        self.window.stack.setCurrentWidget(page)
        page.focus_first()

    def close_editor(self) -> bool:
        """Back to the library; False if the person chose to keep editing."""
        page = self.editor
        if page is None:
            return True
        if page.draft.dirty and not self._may_discard(page):
            return False
        self.listening.stop()
        if self.editor_kept is not None:    # saved, or the person chose to leave it
            self.files.forget_kept_draft(self.editor_kept)
            self.editor_kept = None
        self.editor = None
        self.window.stack.removeWidget(page)
        page.deleteLater()
        self.window.show_page("practices")
        self.library.select(page.draft.practice_id)
        self.library.focus_list()
        return True

    def keep_unsaved(self) -> None:
        """The system is closing the app (log-out, shutdown): nobody may be there to answer
        "save or leave?", so an unsaved draft is kept on disk and offered back next time."""
        if self.editor is not None and self.editor.draft.dirty:
            self.files.keep_draft_now(self.editor.draft.snapshot())

    def _offer_kept_draft(self) -> tuple[Any, Draft | None]:
        """Changes kept at a system quit, offered before the editor opens: open them, keep
        them for later, or let them go (the only way they are removed unsaved)."""
        kept = self.files.kept_draft()
        if kept is None:
            return None, None
        state = kept.state
        title = str(state.get("title") or "A practice")
        box = message(self.window, f"“{title}” had changes that were not saved when "
                      "Secure Base was closed by the system. They were kept.",
                      "Open them now?", title="Changes kept from last time",
                      icon=QMessageBox.Icon.NoIcon)
        open_them = box.addButton("Open them", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("Not now", QMessageBox.ButtonRole.RejectRole)
        let_go = box.addButton("Let them go", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(open_them)
        box.exec()
        if box.clickedButton() is let_go:
            self.files.forget_kept_draft(kept)
        if box.clickedButton() is not open_them:
            return kept, None
        try:
            return kept, Draft.restored(state, self.files.taken_ids())
        except DocumentError as exc:
            self._say(f"The kept changes cannot be opened in the editor: {exc}. They stay "
                      f"in the data folder, as {kept.path.name}.")
            return kept, None

    def _may_discard(self, page: EditorPage) -> bool:
        box = message(self.window, "This practice has changes that are not saved.",
                      "Save them first, or leave them?", title="Not saved yet")
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.addButton("Leave without saving", QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(keep)
        box.exec()
        return box.clickedButton() is not keep

    def _listen(self, draft: Draft, index: int) -> None:
        step = draft.lenient_steps()[index]
        prefs = self.context.preferences
        self.listening.listen(draft.practice_id, step, prefs.voice, prefs.rate)

    def _listen_state(self, text: str) -> None:
        if self.editor is not None:
            self.editor.step_editor.set_listen_state(text)

    def _record(self, draft: Draft, index: int) -> None:
        step = draft.lenient_steps()[index]
        if not draft.id_fixed or step.id not in draft.fixed_steps:
            self._listen_state("Save the practice first: a recording belongs to a saved step.")
            return
        from app.ui.editor.recorder import RecordDialog
        self.listening.stop()
        dialog = RecordDialog(self.files, self.context.player, draft.practice_id, step,
                              self.window)
        dialog.finished.connect(self._refresh_recording)
        dialog.open()

    def _refresh_recording(self, _code: int = 0) -> None:
        if self.editor is not None:
            self.editor.refresh_recording()

    # -- the library ----------------------------------------------------------------------------

    def _library_changed(self, practices: list[Practice], broken: list[BrokenScript]) -> None:
        self.context.practices, self.context.broken = practices, broken
        self.library.set_practices(practices, broken)

    def _say(self, text: str) -> None:
        if self.editor is not None and self.window.stack.currentWidget() is self.editor:
            self.editor.state.setText(text)
        else:
            self.library.show_notice(text)

    def may_close(self) -> bool:
        """Before the window closes: an unsaved practice is not lost without a word."""
        return self.editor is None or not self.editor.draft.dirty or \
            self._may_discard(self.editor)
