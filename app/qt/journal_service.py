"""The window's one door to the journal.

Every read and write the window makes goes through one `JournalService`. It owns the
`Journal` (opened with recovery on its own thread, after the first paint), runs the work off
the GUI thread, tells views what changed, and reports every failure through one signal. Shaped
after Anki's CollectionOp / QueryOp: an operation, a success callback, one failure handler and
an "operation did execute" hook.

How to use it from a view (never import app.storage in app/ui):

    service = context.journal                           # the one JournalService

    # read: runs on the journal thread; `fn` gets the Journal
    service.read(lambda j: j.parts(), on_done=self._show_parts, owner=self)

    # write: one committed transaction per call, in the order asked, on the journal thread
    service.write(lambda j: j.add_body_mark(mark), Table.BODY_MARKS, what="this body mark",
                  on_done=self._saved, owner=self)

    # big read-only queries (progress, exports): on a worker with their own read-only
    # connection; `fn` gets a Readable (app.storage.queries), never needs to know which
    service.query(partial(load, span=span), on_done=self._show, owner=self)

    # refresh when the journal changes, whoever changed it
    service.changed.connect(lambda change: change.touches(Table.PARTS) and self.reload())

Failures: `failed` carries a `JournalProblem` (a plain sentence) for the main window to show;
views never show journal errors themselves. The callbacks are only for a view's own state:
`on_done(result)` once committed; for a write that has to wait (disk full), `on_wait(exc)`
and later `on_done` when it is in; `on_error(exc)` when it was refused for good (a bug, a bad
value) — after `failed` was emitted.

Nothing the person gave is lost: a write that fails (disk full, folder read-only, locked) is
kept in memory, in order, with every later write queued behind it, and tried again — on every
new write, every RETRY_MS, and when the person asks (`retry()`). `unsaved()` lists what waits;
text the person typed (`keep=`) is offered to copy (`unsaved_text()`).

Session ids: SessionRunner needs a session id the moment it starts, before the row exists.
`start_session` hands out a provisional (negative) id at once and queues the insert; every
later operation that mentions that id — step events, check-ins, body marks, reads — gets the
real id on the journal thread (see app.qt.journal_worker.SessionIds). Use runner.session_id
wherever an id is wanted, as if it were real.
"""
from __future__ import annotations

import itertools
import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, QTimer, Signal

from app.core.records import now_iso
from app.qt.journal_worker import Drained, Op, Table, Worker
from app.qt.tasks import run_in_background

log = logging.getLogger(__name__)

RETRY_MS = 15_000                  # held writes are tried again this often, while any wait
UNEXPECTED = ("Something went wrong with your journal just now. Everything saved before is "
              "safe.")


@dataclass(frozen=True)
class JournalChange:
    """What a committed write touched; `initiator` is whoever asked (a view may skip itself)."""
    tables: frozenset[Table]
    initiator: object | None = None

    def touches(self, *tables: Table) -> bool:
        return not tables or bool(self.tables.intersection(tables))


EVERYTHING = frozenset(Table)      # e.g. after "delete all my data": every view starts over


@dataclass(frozen=True)
class JournalProblem:
    """One failure, said plainly. `unsaved` writes wait in memory and are tried again."""
    message: str
    kind: str = "other"            # JournalError.kind, or "other"
    unsaved: int = 0
    has_text: bool = False         # typed text among what waits: offer to copy it
    lost: str | None = None        # the write refused for good (its `what`): not saved, ever


class JournalService(QObject):
    opened = Signal(list)           # notices from opening (recovery, backups), said once
    changed = Signal(object)        # JournalChange, after each committed write
    failed = Signal(object)         # JournalProblem: the one failure handler shows it
    unsaved_changed = Signal(int)   # how many writes wait in memory (0: all saved)

    def __init__(self, path: Path | str | None = None, parent: QObject | None = None):
        super().__init__(parent)
        if path is None:
            from app import paths
            path = paths.journal_file()
        self.path = path
        self._worker = Worker(path)
        # One thread that never expires: sqlite3 connections belong to the thread that made
        # them, and one thread also keeps the writes in the order they were asked for.
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._pool.setExpiryTimeout(-1)
        self._opening = False
        self._open_round = 0                     # each try at opening, counted
        self._open_failed: tuple[int, str] | None = None   # (round, message) as said
        self._held: list[Op] = []                # writes that failed and wait, in order
        self._lost_text: list[str] = []           # typed text of writes refused for good
        self._provisional = itertools.count(-1, -1)
        self._retry = QTimer(self)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(lambda: self.retry(quiet=True))

    @property
    def in_memory(self) -> bool:
        return self._worker.in_memory

    # -- opening ---------------------------------------------------------------------------------

    def open(self) -> None:
        """Open the journal on its thread (idempotent); `opened` carries recovery notices."""
        if self._opening:
            return
        self._opening = True
        self._open_round += 1
        round_ = self._open_round

        def failed(exc: BaseException) -> None:
            self._opening = False                 # the next use tries again
            self._open_failed = (round_, plain_message(exc))
            self._report(exc, None)
        self._run(self._worker.open, on_done=self.opened.emit, on_error=failed)

    # -- the three kinds of work -----------------------------------------------------------------

    def read(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             owner: QObject | None = None) -> None:
        """`fn(journal)` on the journal thread, after every write asked for before it."""
        self.open()
        op = Op(fn, on_done=on_done, on_error=on_error, owner=owner)
        round_ = self._open_round
        self._run(lambda: self._worker.read(op), on_done=lambda v: op.call(op.on_done, v),
                  on_error=lambda exc: self._read_failed(exc, op, round_))

    def _read_failed(self, exc: BaseException, op: Op, round_: int) -> None:
        """A read that waited on an open that failed meets the same failure: the open said
        it already (it was said twice, the same words). One failure, one report."""
        if self._open_failed == (round_, plain_message(exc)):
            op.call(op.on_error, exc)             # the view may still restore its state
            return
        self._report(exc, op)

    def write(self, fn: Callable[[Any], Any], *tables: Table, what: str = "this",
              keep: str | None = None, on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None,
              on_wait: Callable[[BaseException], None] | None = None,
              owner: QObject | None = None, initiator: object | None = None) -> None:
        """`fn(journal)` as one committed write, in order; `tables` say what it changes.

        `what` names it for messages ("your check-out"); `keep` is text the person typed,
        kept and offered to copy should the write have to wait. Should it wait, `fn` runs
        again later: make it safe to repeat (the journal's own calls each commit alone)."""
        self.open()
        op = Op(fn, frozenset(tables), what, keep, on_done, on_error, owner, initiator,
                on_wait)
        self._run(lambda: self._worker.push(op), on_done=self._drained,
                  on_error=lambda exc: self._report(exc, op))

    def query(self, fn: Callable[[Any], Any], on_done: Callable[[Any], None] | None = None,
              on_error: Callable[[BaseException], None] | None = None,
              owner: QObject | None = None) -> None:
        """A read-only query with a connection of its own, beside the journal thread, so a
        long one never holds up a write. It starts once the writes asked before it are in."""
        if self.in_memory:                        # one connection only: the journal thread
            self.read(fn, on_done, on_error, owner)
            return
        op = Op(fn, on_done=on_done, on_error=on_error, owner=owner)

        def start(_: Any) -> None:
            run_in_background(lambda: _on_read_only_journal(Path(self.path), fn),
                              on_done=lambda v: op.call(op.on_done, v),
                              on_error=lambda exc: self._report(exc, op))
        self.read(lambda _journal: None, on_done=start, on_error=on_error, owner=owner)

    def start_session(self, practice_id: str, practice_title: str,
                      part_id: int | None = None, ends_left: bool = True) -> int:
        """Queue the new session's row; returns its provisional id for use at once. A
        practice left unfinished ends first (stopped early, when it was last active): one
        practice is open at a time, and none stays open, counted as interrupted, for good.
        `ends_left` False (the grounding safety exit): the one left stays open to continue."""
        provisional = next(self._provisional)
        at = now_iso()                      # now, not when a held write finally goes in

        def start(j: Any) -> int:
            if ends_left:
                j.stop_left()               # safe to repeat: it ends only what is open
            return int(j.start_session(practice_id, practice_title, part_id, at,
                                       provisional=provisional))
        self.write(start, Table.SESSIONS, what="the start of this practice")
        return provisional

    def tell(self, message: str, kind: str = "other") -> None:
        """Say another storage failure (the settings file, say) through the same one
        handler, so the window has one calm place for all of them."""
        self.failed.emit(JournalProblem(message, kind, len(self._held),
                                        bool(self.unsaved_text())))

    # -- waiting writes --------------------------------------------------------------------------

    def retry(self, quiet: bool = False) -> None:
        """Try the waiting writes again now. `quiet` (the retry timer): a failure already
        said is not said again; success always is."""
        if self._held:
            self._run(self._worker.drain, on_done=lambda d: self._drained(d, quiet),
                      on_error=lambda exc: self._report(exc, None))

    def unsaved(self) -> list[str]:
        """What waits to be saved, in order, as the person would name it."""
        return [op.what for op in self._held]

    def unsaved_text(self) -> str:
        """Everything the person typed that is not in the journal yet, ready to copy."""
        texts = [op.keep for op in self._held if op.keep] + self._lost_text
        unique = dict.fromkeys(t.strip() for t in texts if t and t.strip())  # a note is in
        return "\n\n".join(unique)                       # both the check-out and the session

    def finish_writes(self, timeout_ms: int = 5_000) -> bool:
        """Wait here until every write asked so far has been tried, and hear how each went
        (`unsaved()` is then up to date). For the window's close only: what it writes as it
        closes (a half-filled body mark) must be known to wait before the person is asked
        whether to close. True if they were all tried in time."""
        # Not QThreadPool.waitForDone: it ends the pool's threads, and the journal's sqlite3
        # connection belongs to the thread that made it; should the window stay open, every
        # later read and write would fail on a new thread. A marker queued behind the writes
        # (one thread: in order) says when they have all been tried.
        reached = threading.Event()
        self._run(reached.set)
        tried = reached.wait(timeout_ms / 1000)
        QCoreApplication.sendPostedEvents()      # the outcomes, queued for this thread
        return tried

    # -- ending ----------------------------------------------------------------------------------

    def delete_everything(self, on_done: Callable[[Any], None],
                          owner: QObject | None = None) -> None:
        """"Delete all my data": close the journal, remove every personal file (including
        writes still waiting), and start fresh on the next use."""
        def wipe(_journal: Any) -> Any:
            from app.storage.wipe import delete_everything
            journal, self._worker.journal = self._worker.journal, None
            report = delete_everything(journal)
            self._worker.forget()
            return report

        def done(report: Any) -> None:
            self._held.clear()
            self._lost_text.clear()
            self._retry.stop()
            self.unsaved_changed.emit(0)
            self.changed.emit(JournalChange(EVERYTHING, owner))
            on_done(report)
        self.read(wipe, on_done=done, owner=owner)

    def close(self, timeout_ms: int = 10_000) -> bool:
        """Finish queued work, try waiting writes once more, and close the journal (on quit).
        True if it all finished in time."""
        self._retry.stop()
        worker = self._worker

        def finish() -> None:
            if worker.held:
                worker.drain()
            worker.close()
        self._run(finish)
        return self._pool.waitForDone(timeout_ms)

    # -- on the GUI thread -----------------------------------------------------------------------

    def _run(self, fn: Callable[[], Any], on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None) -> None:
        run_in_background(fn, on_done=on_done, on_error=on_error, pool=self._pool)

    def _drained(self, drained: Drained, quiet: bool = False) -> None:
        held_before = len(self._held)
        self._held = drained.waiting               # results arrive in order: this is the latest
        for outcome in drained.outcomes:
            op = outcome.op
            if outcome.error is None:
                op.call(op.on_done, outcome.value)
                self.changed.emit(JournalChange(op.tables, op.initiator))
            elif outcome.held:
                if not quiet:
                    self._report(outcome.error, None)
                op.call(op.on_wait, outcome.error)
            else:
                if op.keep:
                    self._lost_text.append(op.keep)
                self._report(outcome.error, op, lost=op.what)
        if drained.waiting:
            self._retry.start()
        else:
            self._retry.stop()
        if len(self._held) != held_before:
            self.unsaved_changed.emit(len(self._held))

    def _report(self, exc: BaseException, op: Op | None, lost: str | None = None) -> None:
        message, kind = plain_message(exc), getattr(exc, "kind", "other")
        if message == UNEXPECTED:
            log.error("journal operation failed", exc_info=exc)
        if self._held:
            message += " Secure Base keeps what you recorded and will try again."
        self.failed.emit(JournalProblem(message, kind, len(self._held),
                                        bool(self.unsaved_text()), lost))
        if op is not None:
            op.call(op.on_error, exc)


def plain_message(exc: BaseException) -> str:
    """The sentence the failure handler says for `exc`; a view may repeat it in its own status
    line (say, beside the export button)."""
    from app.storage.errors import JournalError
    return str(exc) if isinstance(exc, JournalError) else UNEXPECTED


def _on_read_only_journal(path: Path, fn: Callable[[Any], Any]) -> Any:
    """Run a query on a read-only connection opened (and closed) on this worker thread."""
    from app.storage.queries import ReadOnlyJournal
    with ReadOnlyJournal(path) as journal:
        return fn(journal)
