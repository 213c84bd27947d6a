"""Writing the person's files: whole or not at all, readable by them only, never through a link.

`write_private` is the one way Secure Base writes a file it may read back or hand to the person
(exports, preferences, the library cache, speech manifests, raise requests):

- the data goes to a new hidden partial file beside the target, created exclusively
  (O_CREAT|O_EXCL|O_NOFOLLOW, mode 0600) under a name nobody can guess, so a link or file
  planted under a partial name is never followed or reused;
- it is flushed to disk, then renamed over the target, so a crash leaves the old file or the
  new one, never half of one; the folder is flushed too, so the rename itself survives;
- a target that exists and is not a regular file (a device such as /dev/null, a pipe, a folder)
  is refused: renaming over it would replace the device, which is what root's export did;
- partial files left by a copy of Secure Base that was killed mid-write are removed on the next
  write of the same target — only files that are certainly ours: our naming, our user, a regular
  file (not a link), and written by a process that no longer runs.
"""
from __future__ import annotations

import errno
import os
import re
import stat
from collections.abc import Sequence
from pathlib import Path

PARTIAL_SUFFIX = ".partial"
_OPEN_FLAGS = (os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
               | getattr(os, "O_CLOEXEC", 0))
_ATTEMPTS = 8
SYSTEM_FOLDERS = (Path("/dev"), Path("/proc"), Path("/sys"))


class NotARegularFile(OSError):
    """The target exists and is a device, pipe, socket or folder: never written over."""

    def __init__(self, target: Path):
        super().__init__(errno.EEXIST, "it is not a regular file (a device, a pipe or a "
                         "folder), so it was left alone", str(target))


def write_private(target: Path, data: bytes | Sequence[bytes | memoryview]) -> None:
    """Write `data` (or its pieces, in order) to `target` atomically, owner-only (0600),
    never through a link.

    Raises NotARegularFile for a target that is a device, pipe or folder, and OSError (after
    removing its partial file) when the write fails."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    refuse_special(target)
    remove_stale_partials(target)
    partial, fd = _create_partial(target)
    try:
        with os.fdopen(fd, "wb") as handle:
            if isinstance(data, bytes):
                handle.write(data)
            else:
                handle.writelines(data)
            handle.flush()
            os.fsync(handle.fileno())
        refuse_special(target)                 # again: it may have changed while we wrote
        os.replace(partial, target)            # replaces a link itself, never its target
    except BaseException:
        _unlink_quietly(partial)
        raise
    _sync_folder(target.parent)


def refuse_special(target: Path) -> None:
    """Raise NotARegularFile if `target` (or what a link there points to) exists and is not
    a regular file, or lies in a system folder of devices and processes (/dev/stdout is a
    link that may lead to a regular file, but renaming over it would break the system)."""
    if in_system_folder(target):
        raise NotARegularFile(target)
    for look in (os.lstat, os.stat):
        try:
            mode = look(target).st_mode
        except FileNotFoundError:
            return
        except OSError:
            continue                           # a dangling or looping link: replaced below
        if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
            raise NotARegularFile(target)


def in_system_folder(target: Path) -> bool:
    """True for paths under /dev, /proc or /sys, as written or once links are followed."""
    for path in (Path(os.path.abspath(target)), target.resolve()):
        if any(path.is_relative_to(folder) for folder in SYSTEM_FOLDERS):
            return True
    return False


def partial_name(target: Path, pid: int | None = None) -> str:
    """`.NAME.PID.RANDOM.partial`: hidden, ours by pattern, unguessable."""
    return f".{target.name}.{pid or os.getpid()}.{_unguessable()}{PARTIAL_SUFFIX}"


def _unguessable() -> str:
    """16 hex digits from os.urandom, as secrets.token_hex(8) gives them: importing secrets
    pulls in hmac and OpenSSL, ~5 ms of the window's start-up for one call."""
    return os.urandom(8).hex()


def remove_stale_partials(target: Path) -> list[Path]:
    """Delete partial files for `target` left by our own processes that are gone.

    Returns what was removed. Anything that is not certainly ours is left alone."""
    pattern = re.compile(rf"^\.{re.escape(target.name)}\.(\d+)(\.[0-9a-f]+)?"
                         rf"{re.escape(PARTIAL_SUFFIX)}$")
    removed: list[Path] = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if not match or not _is_ours(entry, int(match.group(1))):
            continue
        path = Path(entry.path)
        if _unlink_quietly(path):
            removed.append(path)
    return removed


def _is_ours(entry: os.DirEntry[str], pid: int) -> bool:
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError:
        return False
    mine = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return stat.S_ISREG(info.st_mode) and mine and pid != os.getpid() and not _alive(pid)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return True                            # not a real pid: not ours to judge
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True                            # exists, owned by someone else
    return True


def _create_partial(target: Path) -> tuple[Path, int]:
    for _ in range(_ATTEMPTS):
        partial = target.with_name(partial_name(target))
        try:
            return partial, os.open(partial, _OPEN_FLAGS, 0o600)
        except FileExistsError:
            continue                           # planted or a rare clash: a new name
    raise FileExistsError(errno.EEXIST, "could not create a private temporary file",
                          str(target.parent))


def _sync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass                                   # some file systems cannot; the data is synced
    finally:
        os.close(fd)


def _unlink_quietly(path: Path) -> bool:
    try:
        path.unlink()
        return True
    except OSError:
        return False


class FileTooLarge(OSError):
    """A file larger than its reader allows, refused without reading it."""

    def __init__(self, size: int, max_bytes: int):
        super().__init__(errno.EFBIG, f"it is larger than {max_bytes:,} bytes")
        self.size = size


def read_limited(path: Path, max_bytes: int) -> bytes:
    """A regular file's bytes, never blocking on a pipe or device (a fifo named like a script
    would otherwise hang start-up). Raises OSError; FileTooLarge when it is larger than
    `max_bytes`, judged by its size before reading (a 100 MB file was read 64 MB deep, and
    joined: 134 MB held, before its size was judged), or when it grew past it while read."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(0, "it is not a regular file")
        if status.st_size > max_bytes:
            raise FileTooLarge(status.st_size, max_bytes)
        chunks, left = [], max_bytes + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise FileTooLarge(max_bytes + 1 - left, max_bytes)   # it grew while read
        return b"".join(chunks)
    finally:
        os.close(fd)
