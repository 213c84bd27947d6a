"""Storage wired into the window: what app/ui is given at start and may ask for, so app/ui
never imports app.storage (an import-linter contract). No widgets here.

- `load_library()` and `load_preferences()`: read before the first window paints (cached,
  small: no SQLite involved); `load_library_lazily()`, the window's: the records after it.
- `save_preferences(prefs)`: written at once, privately; a failure comes back as a plain
  sentence for the window's one failure handler (JournalService.tell).
- `claim_instance()`: one window at a time (app.storage.instance).
- `private_process()`: owner-only files from the first moment (app.storage.privacy).
- `arm_crash_note()`: a fatal crash leaves a note; the next start says so (app.storage.crash_note).
- the journal itself: `JournalService` (app/qt/journal_service.py), made by the window's
  AppContext on first use.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar
from collections.abc import Callable

from app.core.preferences import Preferences

if TYPE_CHECKING:
    from app.core.practice import Practice         # its records: made after the first frame
    from app.core.problems import BrokenScript     # made only when the library holds one
    from app.storage.library_cache import LazyLibrary

T = TypeVar("T")
ALREADY_OPEN = "Secure Base is already open. Its window has been brought to the front."


class StartupProblem(Exception):
    """Something keeps the window from starting (the data folder is a file, or read-only…);
    str(exc) says it in plain words."""


def _plainly(fn: Callable[[], T]) -> T:
    from app.storage.errors import JournalError
    try:
        return fn()
    except JournalError as exc:
        raise StartupProblem(str(exc)) from exc


def private_process() -> None:
    """Every file the window writes is owner-only (umask 077; app.storage.privacy)."""
    from app.storage.privacy import private_process as private
    private()


def load_library() -> tuple[list[Practice], list[BrokenScript]]:
    """StartupProblem when the data folder cannot be used at all."""
    from app.storage.library_cache import load_library as load
    return _plainly(load)


def load_library_lazily() -> LazyLibrary:
    """The library for the window's first frame: its cards from the cache, its records made
    when first asked for (app.storage.library_cache.LazyLibrary). StartupProblem when the
    data folder cannot be used at all."""
    from app.storage.library_cache import load_library_lazily as load
    return _plainly(load)


def load_preferences() -> Preferences:
    from app.storage.preferences import load_preferences as load
    return _plainly(load)


def save_preferences(prefs: Preferences) -> str | None:
    """Save now; returns None, or what went wrong in plain words (the preferences in memory
    stay as chosen either way)."""
    import errno
    from app.storage.preferences import save_preferences as save
    try:
        save(prefs)
    except OSError as exc:
        why = ("the disk is full" if exc.errno in (errno.ENOSPC, errno.EDQUOT)
               else (exc.strerror or str(exc)).lower())
        return (f"Your settings could not be saved ({why}). They apply until Secure Base "
                "closes.")
    return None


@dataclass(frozen=True, eq=False, repr=False)     # read once, never compared or shown
class Claim:
    """Whether this copy may open the window. Without `lock`, `message` says why not (and
    `code` is the exit status)."""
    lock: Any = None                              # the InstanceLock, held
    message: str = ""
    code: int = 0


def claim_instance() -> Claim:
    """One window at a time: hold the lock, or ask the window that has it to come forward.
    A command (an import, delete-all) holding it is named, with no window to raise. Raises
    StartupProblem when the data folder cannot be used."""
    from app.storage.instance import COMMAND, InstanceLock

    def claim() -> Claim:
        lock = InstanceLock()
        if lock.acquire():
            return Claim(lock)
        if lock.holder() == COMMAND:
            from app.storage.cli import held_by      # the command-line module: only here
            return Claim(message=held_by(COMMAND), code=1)
        # Two windows writing one journal would lock each other out: bring the first forward.
        lock.request_raise()
        return Claim(message=ALREADY_OPEN)
    return _plainly(claim)


def arm_crash_note() -> str | None:
    """Arm this run's crash note; returns what to tell the person when the last run crashed
    (None otherwise). Call it with the instance lock held: a refused second launch must not
    empty the running window's note."""
    from app.log import log_dir
    from app.storage.crash_note import CRASH_NOTICE, arm
    return CRASH_NOTICE if arm(log_dir()) else None
