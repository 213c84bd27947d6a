"""One window at a time: a lock file, and a way for a second copy to wake the first.

How it is used (pure Python; the Qt side is a timer and three window calls):

    lock = InstanceLock()
    if not lock.acquire():            # another copy is running
        lock.request_raise()          # ask it to come to the front
        ... tell the person "Secure Base is already open" and exit ...
    # in the first copy, every ~half second (a QTimer on the GUI thread):
    if lock.take_raise_request():
        window.showNormal(); window.raise_(); window.activateWindow()

The lock is `flock` on `instance.lock` in the data folder. The kernel drops it when the process
ends in any way (even SIGKILL or a power cut), so a stale lock can never keep the person out.
The lock file itself is never deleted while in use: deleting it would let a second copy lock a
new file of the same name while the first still holds the old one.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

from app import paths
from app.storage.errors import data_folder_error
from app.storage.files import write_private

try:
    import fcntl
except ImportError:                 # not POSIX: no guard rather than no app
    fcntl = None  # type: ignore[assignment]

# A raise request older than this is left over from a copy that is gone; ignore it.
REQUEST_MAX_AGE_S = 30.0
WINDOW, COMMAND = "window", "command"       # who holds the lock


class InstanceLock:
    def __init__(self, lock_file: Path | None = None, request_file: Path | None = None):
        self.lock_file = lock_file or paths.instance_lock_file()
        self.request_file = request_file or paths.raise_request_file()
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self, role: str = WINDOW) -> bool:
        """True if this process is now the only copy running; False if another one is.
        `role` (WINDOW or COMMAND) is written in the file so the one kept out can say who
        holds it. Raises DataFolderError when the folder cannot hold the lock at all."""
        if self._fd is not None:
            return True
        try:
            fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:              # read-only folder, a file where the folder is
            raise data_folder_error(exc, self.lock_file.parent) from exc
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
        # Informative only (who holds it, for messages and a person looking at the folder);
        # the flock is what counts, so a stale word can only make a message less exact.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()} {role}\n".encode())
        self._fd = fd
        self._discard_request()      # a request from before we started is not for us
        return True

    def holder(self) -> str | None:
        """WINDOW or COMMAND: what holds the lock (when acquire said False); None if unknown."""
        try:
            words = self.lock_file.read_text(encoding="ascii", errors="replace").split()
        except OSError:
            return None
        return words[1] if len(words) > 1 and words[1] in (WINDOW, COMMAND) else None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)       # closing drops the flock
            self._fd = None

    def request_raise(self) -> None:
        """From the second copy: ask the running one to bring its window to the front."""
        write_private(self.request_file, f"{os.getpid()} {time.time():.3f}\n".encode())

    def take_raise_request(self) -> bool:
        """From the running copy, polled: True once per fresh request (the request is consumed)."""
        try:
            age = time.time() - self.request_file.stat().st_mtime
            self.request_file.unlink()
        except FileNotFoundError:
            return False
        return age <= REQUEST_MAX_AGE_S

    def _discard_request(self) -> None:
        self.request_file.unlink(missing_ok=True)

    def __enter__(self) -> "InstanceLock":
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()
