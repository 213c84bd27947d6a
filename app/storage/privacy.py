"""Owner-only, everywhere: every folder Secure Base makes is 0700 and every file 0600.

Three layers, because any one alone has gaps:
- `private_process()` sets the process umask to 077 at every entry point (command line, window,
  render workers), so files written by libraries (pydub's WAVs, espeak's, Qt's PDF writer) are
  private without each caller remembering;
- `private_folder()` creates each missing level of a folder 0700 (`mkdir(parents=True)` gives
  the parents the default mode: that is how `cache/` became 0755);
- `tighten()` puts right what an earlier version, or another program, left open: the data folder
  itself and everything in it. The person is told once, in plain words, when anything was open.

`private_temp_dir()` keeps multiprocessing's `pymp-*` folders (the forkserver's socket) inside
the data folder, in a folder per process that the next start removes once that process is gone,
so a killed render leaves nothing in the shared /tmp; `use_private_temp()` sends every temporary
file of the engine processes there too.
"""
from __future__ import annotations

import contextlib
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

FILE_MODE, FOLDER_MODE = 0o600, 0o700
UMASK = 0o077
# AF_UNIX socket paths are limited to 107 bytes; the forkserver's socket adds
# "/pymp-xxxxxxxx/listener-xxxxxxxx" (32) to the folder, and 2 spare.
_SOCKET_ROOM = 34


def private_process() -> None:
    """Everything this process creates from now on is owner-only."""
    os.umask(UMASK)


def private_folder(path: Path) -> Path:
    """`path` and every missing parent created 0700; an existing folder is left as it is."""
    missing = []
    for level in (path, *path.parents):
        if level.exists():
            break
        missing.append(level)
    for level in reversed(missing):
        try:
            level.mkdir(mode=FOLDER_MODE)
        except FileExistsError:
            pass
        os.chmod(level, FOLDER_MODE)          # mkdir's mode is masked by the umask
    return path


def is_loose(info: os.stat_result) -> bool:
    """True when group or others may read, write or enter it."""
    return bool(stat.S_IMODE(info.st_mode) & 0o077)


def tighten(root: Path) -> list[Path]:
    """Make `root` and everything under it owner-only (files 0600, folders 0700; links are
    left alone and never followed). Returns what was changed. Only our own files are touched."""
    changed = []
    for path in (root, *_walk(root)):
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode) or not is_loose(info) or not _mine(info):
            continue
        wanted = FOLDER_MODE if stat.S_ISDIR(info.st_mode) else FILE_MODE
        # keep an owner's execute bit on files that have it (none of ours do, but be exact)
        try:
            os.chmod(path, wanted | (stat.S_IMODE(info.st_mode) & 0o100 if wanted == FILE_MODE
                                     else 0))
        except OSError:
            continue
        changed.append(path)
    return changed


def tighten_notice(home: Path, changed: list[Path]) -> str | None:
    if not changed:
        return None
    others = len([p for p in changed if p != home])
    what = (f"Your Secure Base folder ({home})" if home in changed else
            f"{others:,} file{'s' if others != 1 else ''} in your Secure Base folder ({home})")
    extra = (f", and {others:,} file{'s' if others != 1 else ''} in it," if home in changed
             and others else "")
    return (f"{what}{extra} could be opened by other people using this computer. "
            f"{'It is' if home in changed or others == 1 else 'They are'} now private to you.")


def private_temp_dir(home: Path, socket: bool = True) -> Path | None:
    """A folder for this process's temporary files inside the data folder, and stale ones of
    processes that are gone removed. With `socket`, None when the path would be too long for
    the forkserver's socket inside it."""
    folder = home / "tmp" / str(os.getpid())
    if socket and len(os.fsencode(folder)) > 107 - _SOCKET_ROOM:
        return None
    return _own_temp_folder(home)


def _own_temp_folder(home: Path) -> Path:
    """This process's folder under home/tmp, made private; those of gone processes removed."""
    base = home / "tmp"
    folder = base / str(os.getpid())
    private_folder(folder)
    for entry in base.iterdir():
        if entry.name.isdigit() and entry != folder and not _alive(int(entry.name)):
            shutil.rmtree(entry, ignore_errors=True)
    return folder


def use_private_multiprocessing_dir(home: Path) -> None:
    """Point multiprocessing's temporary folder (forkserver socket) into the data folder.
    multiprocessing picks its folder once per process, from tempfile, on first use: set
    tempfile's folder just for that moment, then give it back. Where the data folder's path is
    too long for a socket, the system's temporary folder is used for this one thing."""
    from multiprocessing import util

    folder = private_temp_dir(home)
    previous = tempfile.tempdir
    tempfile.tempdir = str(folder) if folder is not None else _system_temp()
    try:
        util.get_temp_dir()                 # chosen now, kept for the process's life
    finally:
        tempfile.tempdir = previous


@contextlib.contextmanager
def private_temp(home: Path) -> Iterator[Path]:
    """While it lasts (a command, the whole window), TMPDIR and Python's tempfile point into
    the data folder, so temporary files of this process, of the libraries it uses and of the
    helper processes it starts stay private: onnxruntime (Piper's) writes `$TMPDIR/.ses` when
    imported, Qt and child processes read TMPDIR. Given back afterwards. The folder itself is
    removed by the next start once this process is gone (removing it now would pull the
    forkserver's socket from under multiprocessing's own clean-up at exit)."""
    _system_temp()
    folder = _own_temp_folder(home)
    saved_env, saved_python = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = tempfile.tempdir = str(folder)
    try:
        yield folder
    finally:
        tempfile.tempdir = saved_python
        if saved_env is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved_env


_system: list[str] = []


def _system_temp() -> str:
    """The system's temporary folder, as it was before `private_temp` changed anything."""
    if not _system:
        _system.append(tempfile.gettempdir())
    return _system[0]


def use_private_temp(home: Path) -> Path:
    """From now on this process's temporary files go to its folder inside the data folder:
    Python's (tempfile) and those of libraries in C, which read TMPDIR, like onnxruntime (it
    writes a session file, `.ses`, there on import). For processes that run engines (render
    workers and the server they fork from); children inherit it. A folder already set up by
    the process this one was forked from is kept."""
    current = os.environ.get("TMPDIR", "")
    base = home / "tmp"
    if current and Path(current).parent == base and Path(current).is_dir():
        folder = Path(current)
    else:
        folder = _own_temp_folder(home)
    os.environ["TMPDIR"] = str(folder)
    tempfile.tempdir = str(folder)
    return folder


def _walk(root: Path) -> Iterator[Path]:
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in (*dirs, *files):
            yield Path(folder) / name


def _mine(info: os.stat_result) -> bool:
    return not hasattr(os, "getuid") or info.st_uid == os.getuid()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
