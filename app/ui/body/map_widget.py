"""The body map: tap where something is felt, say how it feels, and it is in the journal.

Both figures are drawn from resources/body/regions.json, the same shapes the hit test uses.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import (
    QAction, QKeySequence,
)
from PySide6.QtWidgets import QHBoxLayout, QStackedWidget, QWidget

from app.core import body
from app.core.progress import RegionHeat, region_heat
from app.core.records import BodyMark, Part, now_iso
from app.qt.journal_service import JournalChange, JournalService, Table
from app.ui.body.canvas import BodyCanvas, Dot
from app.ui.body.mark_panel import MarkPanel, strength_words
from app.ui.body.region_finder import RegionFinder
from app.ui.common.theme import Palette
from app.ui.common.widgets import scroll_area

class BodyMapWidget(QWidget):
    """Front and back figures, a region finder, the mark panel, undo and a heat overlay."""

    markSaved = Signal(int)
    markUndone = Signal(int)

    def __init__(self, journal: JournalService, palette: Palette,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.journal = journal
        self._parts: list[Part] = []
        self.session_id: int | None = None
        self.step_id: str | None = None
        self._target: tuple[str, str, float, float] | None = None   # view, id, box x, y
        self._came_from: QWidget | None = None
        self._undo: list[int] = []
        self.heat_details: dict[tuple[str, str], RegionHeat] = {}
        self.canvas = BodyCanvas(palette, self)
        self.panel = MarkPanel(palette, self)
        self.finder = RegionFinder(self)
        self.status = self.finder.status
        self._build()
        self.set_context(None, None)
        self._load_parts()
        journal.changed.connect(self._on_journal_changed)

    def _build(self) -> None:
        self.side = QStackedWidget(self)
        self.side.addWidget(self.finder)
        # the form scrolls rather than forcing a tall window (the map also lives in a dialog)
        scroller = scroll_area(self.panel)
        # It scrolls only up and down: as wide as the form needs (its chips side by side),
        # whatever width the list's words would have given the column.
        scroller.setMinimumWidth(self.panel.minimumSizeHint().width()
                                 + scroller.verticalScrollBar().sizeHint().width())
        self.side.addWidget(scroller)
        self.side.setMinimumWidth(max(240, scroller.minimumWidth()))  # room for the figure
        self.side.setMaximumWidth(340)
        row = QHBoxLayout(self)
        row.addWidget(self.canvas, 3)
        row.addWidget(self.side, 1)                    # up to its 340 px on a wide screen
        self.undo_action = QAction("Undo last mark", self)
        self.undo_action.setShortcut(QKeySequence.StandardKey.Undo)
        self.undo_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.undo_action)
        self._refresh_undo()
        self.canvas.hovered.connect(self._on_hover)
        self.canvas.picked.connect(self.open_region)
        self.finder.chosen.connect(self.open_region)
        self.finder.current.connect(self._on_current)
        self.panel.saveRequested.connect(self.save)
        self.panel.cancelled.connect(self.cancel)
        self.finder.undo_button.clicked.connect(self.undo)
        self.undo_action.triggered.connect(self.undo)

    def set_context(self, session_id: int | None, step_id: str | None) -> None:
        """Link new marks to a session and step (None: stand-alone); show its or today's marks."""
        self.session_id, self.step_id = session_id, step_id
        today = date.today().isoformat()
        self.journal.read(lambda j: j.body_marks(session_id=session_id)
                          if session_id is not None else j.body_marks(start=today),
                          on_done=self._show_marks, owner=self)

    def _show_marks(self, marks: list[BodyMark]) -> None:
        bw, bh = body.box()
        pending = [d for d in self.canvas.dots if d.id is None]
        self.canvas.dots = [Dot(m.id, m.view, m.x * bw, m.y * bh, m.intensity)
                            for m in marks if m.id is not None] + pending
        self.canvas.update()

    def _load_parts(self) -> None:
        self.journal.read(lambda j: j.parts(), on_done=self._set_parts, owner=self)

    def _set_parts(self, parts: list[Part]) -> None:
        self._parts = parts

    def _on_journal_changed(self, change: JournalChange) -> None:
        if change.touches(Table.PARTS):
            self._load_parts()

    def set_heat(self, heat: dict[tuple[str, str], RegionHeat | float]) -> None:
        """Shade regions by a 0–1 score (or RegionHeat); an empty dict clears the overlay."""
        self.heat_details = {k: v for k, v in heat.items() if isinstance(v, RegionHeat)}
        self.canvas.set_heat({k: (v.heat if isinstance(v, RegionHeat) else float(v))
                              for k, v in heat.items()})
        self.status.setText("Shaded by how often and how strongly each area was noticed."
                            if heat else " ")

    def show_heat(self, start: str | None = None, end: str | None = None) -> None:
        """Shade by the marks in a range, read from the journal (arrives a moment later)."""
        self.journal.read(lambda j: region_heat(j.body_marks(start=start, end=end)),
                          on_done=self.set_heat, owner=self)

    def open_region(self, view: str, region_id: str, x: float | None = None,
                    y: float | None = None) -> None:
        """Open the panel for a region; without a position the dot goes to its middle."""
        reg = body.region(view, region_id)
        if reg is None:
            raise ValueError(f"no region {region_id!r} on the {view} view")
        if x is None or y is None:
            x, y = body.interior_point(reg)
        already_open = self.side.currentIndex() == 1
        if not already_open:
            self._came_from = self.focusWidget()
        self._target = (view, region_id, x, y)
        self.canvas.selected = (view, region_id)
        self.canvas.update()
        self.side.setCurrentIndex(1)
        self.panel.open_for(f"{reg.label} ({view})", self._parts, already_open)

    def save(self) -> None:
        """Commit the open mark now (on the journal thread); `markSaved` says when it is in.

        The dot shows at once. Should the write fail (a full disk), the journal service keeps
        the mark, tries again and says so; nothing the person marked is dropped."""
        if self._target is None:
            return
        self._close_panel(self._commit(self._target))

    def keep_open_mark(self) -> str | None:
        """The map is going away for good (the practice ends, is left, the window closes): a
        mark still open keeps what the person gave, as Save would. The place they chose is
        enough; a strength is stored only if they gave one (None: not rated). No place chosen,
        nothing written. The focus is left where it is: this map is no longer in view.

        Returns what was kept in words ("Throat (front), strength 6 / 10"), or None."""
        if self._target is None:
            return None
        view, region_id, _x, _y = self._target
        strength = strength_words(self.panel.strength())
        self._close_panel(self._commit(self._target), refocus=False)
        return f"{body.label(region_id, view)} ({view}), strength {strength}"

    def _commit(self, target: tuple[str, str, float, float]) -> str:
        """Write the open mark; returns what the status line says about it."""
        view, region_id, x, y = target
        values = self.panel.values()
        bw, bh = body.box()
        mark = BodyMark(view=view, region=region_id, intensity=values.intensity,
                        x=x / bw, y=y / bh, qualities=values.qualities, note=values.note,
                        part_id=values.part_id, session_id=self.session_id,
                        step_id=self.step_id, at=now_iso())     # dated now, not at retry
        dot = Dot(None, view, x, y, values.intensity)
        self.canvas.dots.append(dot)
        self.journal.write(lambda j: j.add_body_mark(mark), Table.BODY_MARKS,
                           what="a body mark", keep=values.note or None,
                           on_done=lambda mark_id: self._saved(dot, mark_id),
                           on_wait=lambda _exc: self.status.setText(
                               "That mark is not saved yet. Secure Base keeps it and tries "
                               "again."),
                           on_error=lambda _exc: self._not_saved(dot),
                           owner=self, initiator=self)
        strength = "" if values.intensity is None else f", {strength_words(values.intensity)}"
        return f"Noted: {body.label(region_id, view)}{strength}. Ctrl+Z undoes it."

    def _saved(self, dot: Dot, mark_id: int) -> None:
        self.canvas.dots = [replace(d, id=mark_id) if d is dot else d for d in self.canvas.dots]
        self._undo.append(mark_id)
        self._refresh_undo()
        self.markSaved.emit(mark_id)

    def _not_saved(self, dot: Dot) -> None:
        self.canvas.dots = [d for d in self.canvas.dots if d is not dot]
        self.canvas.update()
        self.status.setText("That mark could not be saved.")

    def cancel(self) -> None:
        self._close_panel(" ")

    def undo(self) -> int | None:
        """Delete the last mark saved here (one at a time, newest first); returns its id."""
        if not self._undo:
            return None
        mark_id = self._undo.pop()
        self._refresh_undo()
        self.journal.write(lambda j: j.delete_body_mark(mark_id), Table.BODY_MARKS,
                           what="taking back a body mark",
                           on_done=lambda _: self._undone(mark_id),
                           on_error=lambda _exc: self._undo_failed(mark_id),
                           owner=self, initiator=self)
        return mark_id

    def _undone(self, mark_id: int) -> None:
        self.canvas.dots = [d for d in self.canvas.dots if d.id != mark_id]
        self.canvas.update()
        self.status.setText("The last mark was removed.")
        self.markUndone.emit(mark_id)

    def _undo_failed(self, mark_id: int) -> None:
        self._undo.append(mark_id)
        self._refresh_undo()
        self.status.setText("That mark could not be taken back just now.")

    def _close_panel(self, message: str, refocus: bool = True) -> None:
        self._target = None
        self.canvas.selected = None
        self.canvas.update()
        self.side.setCurrentIndex(0)
        self.status.setText(message)
        self._refresh_undo()
        if not refocus:
            return
        back = (self._came_from if self._came_from and self._came_from.isVisible()
                else self.finder.list)
        back.setFocus(Qt.FocusReason.OtherFocusReason)

    def _refresh_undo(self) -> None:
        self.finder.undo_button.setEnabled(bool(self._undo))
        self.undo_action.setEnabled(bool(self._undo))

    def _on_hover(self, view: str, region_id: str) -> None:
        self.finder.describe(view, region_id, self.heat_details.get((view, region_id)))

    def _on_current(self, view: str, region_id: str) -> None:
        if self.side.currentIndex() == 1:
            return
        self.canvas.hover = (view, region_id) if region_id else None   # where it is, if any
        self.canvas.update()
        self._on_hover(view, region_id)
