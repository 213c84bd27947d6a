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
from app.storage.files import write_private

try:
    import fcntl
except ImportError:                 # not POSIX: no guard rather than no app
    fcntl = None  # type: ignore[assignment]

# A raise request older than this is left over from a copy that is gone; ignore it.
REQUEST_MAX_AGE_S = 30.0


class InstanceLock:
    def __init__(self, lock_file: Path | None = None, request_file: Path | None = None):
        self.lock_file = lock_file or paths.instance_lock_file()
        self.request_file = request_file or paths.raise_request_file()
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> bool:
        """True if this process is now the only copy running; False if another one is."""
        if self._fd is not None:
            return True
        fd = os.open(self.lock_file, os.O_RDWR | os.O_CREAT, 0o600)
        if fcntl is not None:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
        # The pid is only informative (for a person looking at the folder), never trusted.
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self._fd = fd
        self._discard_request()      # a request from before we started is not for us
        return True

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
