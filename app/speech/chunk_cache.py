"""The sentence cache's bounds: what a render may trust, what stays, and what goes.

Every sentence is cached under a key of its words, voice, pace and pipeline (plan.chunk_key),
so a change of voice or pace re-renders every sentence under new keys and the old files stay:
a full library in the standard voice is ~140 MB of sentences, in the natural voice ~300 MB.
Left alone, a person who tried five paces gave up 1.5 GB of the disk their journal lives on.

So the cache is bounded: sentences of the settings in use (for every practice, bundled or the
person's own) are never removed; all the others together are kept up to OTHER_BUDGET_BYTES,
the least recently *used* first to go (a render touches each cached sentence it uses, so a
sentence made long ago but heard yesterday is recent). The budget is about one full library in
another voice or pace: switching back to the voice used before stays instant.

Finished steps that are not in use (step_audio: other voices and paces, deleted practices and
steps, older text) share that budget with the sentences, oldest use first, when pruning is
given them (`steps`): they are removed under the same lock, never while a render runs.

Pruning never disturbs a render: a render holds a shared lock on the cache for its whole run
(`rendering`), pruning needs it exclusively and gives up when it cannot have it, or when a
render of this process is waiting for it. Any key that is not of the settings in use can go,
whatever made it (an older pipeline, another engine's key format).

A sentence file can be damaged: write_atomic renames without fsync (see there), so after a
power cut one may be empty or cut short under its real name. A render checks each cached
sentence's header against its size before trusting it (`usable`) and speaks it again if not.
"""
from __future__ import annotations

import contextlib
import os
import threading
import time
import wave
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.core.practice import Practice
from app.speech.plan import RenderSettings, chunk_key, units
from app.speech.speech_base import SAMPLE_RATE
from app.speech.step_audio import StepAudio
from app.speech.text import Speech, split_step

try:
    import fcntl
except ImportError:  # not a POSIX system: no cross-process lock (renders there are in-process)
    fcntl = None  # type: ignore[assignment]

# One full library (9 practices, 672 sentences) is 141 MB in the standard voice at 140 words a
# minute, ~300 MB in the natural voice (it speaks longer): the budget keeps one such library of
# another voice or pace beside the one in use.
OTHER_BUDGET_BYTES = 320 * 1024 * 1024
LOCK_FILE = ".in-use.lock"
# Files removed between two looks at whether a render wants the cache (~1-3 ms of unlinking).
BATCH = 64
# How old a sentence's time may be before a use sets it again (mark_used).
USE_RESOLUTION_SECONDS = 3600
_WAV_HEADER = 44   # wav_io.save_wav writes the plain 44-byte header, nothing else
_ENERGIES = ".kw.npy"


@dataclass(frozen=True)
class PruneResult:
    removed_files: int = 0      # sentences (with their energies), steps, and leftovers
    removed_bytes: int = 0
    kept_bytes: int = 0         # of the settings in use (sentences, and steps when asked)
    other_bytes: int = 0        # of other settings, left within the budget
    busy: bool = False          # a render had the cache: nothing was done


# --- trusting a cached sentence -------------------------------------------------------------

def intact(chunk: Path) -> bool:
    """Whether `chunk` is a whole cached sentence: 22,050 Hz mono 16-bit, at least one frame,
    and exactly as long as its header says (an empty or cut-short file is not)."""
    try:
        size = chunk.stat().st_size
        with wave.open(str(chunk), "rb") as handle:
            shape = (handle.getframerate(), handle.getnchannels(), handle.getsampwidth())
            frames = handle.getnframes()
    except (OSError, EOFError, wave.Error):
        return False
    return shape == (SAMPLE_RATE, 1, 2) and frames > 0 and size == _WAV_HEADER + 2 * frames


def usable(chunk: Path) -> bool:
    """Whether a render may use the cached sentence. A usable one is marked as used now (its
    time is what pruning goes by); a damaged one is removed, so it is spoken again."""
    if not chunk.exists():
        return False
    if not intact(chunk):
        forget(chunk)
        return False
    mark_used([chunk])   # (a read-only cache still works, it just ages)
    return True


def mark_used(chunks: Iterable[Path]) -> None:
    """Sentences used now (read by a render, or making a step that is up to date): their time
    set to now, unless it is less than USE_RESOLUTION_SECONDS old. Setting a time is a write
    of the file's metadata, which a busy disk can make wait: a warm render of the whole
    library setting all 672 took 0.07-0.42 s at load 5-8 against main's 0.03-0.10 s; a stat
    is a read. Pruning needs only which settings were used lately, not the minute."""
    now = time.time()
    for chunk in chunks:
        with contextlib.suppress(OSError):
            if now - chunk.stat().st_mtime > USE_RESOLUTION_SECONDS:
                os.utime(chunk)


def forget(chunk: Path) -> int:
    """Remove a cached sentence and its energies; the bytes they held."""
    freed = 0
    for path in (chunk, chunk.with_suffix(_ENERGIES)):
        with contextlib.suppress(OSError):
            freed += path.stat().st_size
            path.unlink()
    return freed


# --- which sentences are in use ---------------------------------------------------------------

def keys_in_use(practices: Iterable[Practice], settings: Iterable[RenderSettings]) -> set[str]:
    """Cache keys of every sentence of `practices` with each of `settings`."""
    texts = {chunk.text for practice in practices for _audio_id, say in units(practice)
             for chunk in _speech(say)}
    return {chunk_key(each, text) for each in settings for text in texts}


def _speech(say: str) -> list[Speech]:
    try:
        return [chunk for chunk in split_step(say) if isinstance(chunk, Speech)]
    except ValueError:  # a step that cannot be rendered has no sentences to keep
        return []


# --- the lock renders and pruning share -------------------------------------------------------

_wanted_lock = threading.Lock()
_waiting = 0   # renders of this process waiting for the lock: pruning gives way to them


@contextlib.contextmanager
def rendering(cache_dir: Path | None = None) -> Iterator[None]:
    """Held by a render for its whole run: no sentence it found is removed under it."""
    global _waiting
    folder = cache_dir or paths.chunk_cache_dir()
    with _wanted_lock:
        _waiting += 1
    try:
        fd = _open_lock(folder)
    finally:
        with _wanted_lock:
            _waiting -= 1
    try:
        yield
    finally:
        if fd is not None:
            os.close(fd)   # closing drops the lock


def _open_lock(folder: Path, exclusive: bool = False) -> int | None:
    """The lock file, held (shared: waits for it; exclusive: only if free at once). None when
    it cannot be had: pruning then does nothing, and a render goes on without it (a render
    is never refused over a lock; a read-only cache is never pruned anyway)."""
    try:
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:
        return None
    if fcntl is None:
        return None if exclusive else fd
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB if exclusive else fcntl.LOCK_SH)
    except OSError:
        os.close(fd)
        return None
    return fd


def _render_waiting() -> bool:
    with _wanted_lock:
        return _waiting > 0


# --- pruning ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Entry:
    used: float      # when last used (the sentence's mtime: renders touch what they use)
    path: Path
    size: int        # the WAV and its energies
    step: bool = False   # a finished step's file (step_audio), not a sentence


def prune(keep: set[str], budget: int = OTHER_BUDGET_BYTES, cache_dir: Path | None = None,
          cancelled: Callable[[], bool] | None = None, rendered: Sequence[Path] = (),
          steps: StepAudio | None = None) -> PruneResult:
    """Remove sentences not in `keep`, and the step files `steps` finds unused, least
    recently used first, until all those others fit in `budget` bytes together; and the
    temporary files of renders that ended before finishing, in the cache and in the
    `rendered` folders (where renders write steps): no render runs while this holds the
    lock, so every one is a leftover, of a worker ended by a crash, a power cut or the
    window's end (render_worker.remove_leftovers clears those of a cancel at once).
    Stops between batches when `cancelled()` or a render of this process wants the cache."""
    folder = cache_dir or paths.chunk_cache_dir()
    fd = _open_lock(folder, exclusive=True)
    if fd is None:
        return PruneResult(busy=True)
    try:
        kept, others, leftovers = _survey(folder, keep)
        if steps is not None:   # looked at under the lock: no render is writing a manifest
            found = steps.survey()
            kept += found.kept
            others += [_Entry(file.used, file.path, file.size, step=True)
                       for file in found.unused]
        leftovers += [path for place in rendered for path in _temporary_files(place)]
        others.sort(key=lambda entry: entry.used, reverse=True)  # most recently used first
        total, doomed = 0, []
        for entry in others:
            total += entry.size
            if total > budget:
                doomed.append(entry)
        work = [*((path, _unlink) for path in leftovers),
                *((entry.path, _unlink if entry.step else forget) for entry in doomed)]
        removed = removed_bytes = 0
        stop = cancelled or (lambda: False)
        try:
            for start in range(0, len(work), BATCH):
                if stop() or _render_waiting():
                    break
                for path, remove in work[start:start + BATCH]:
                    removed_bytes += remove(path)
                    removed += 1
        finally:
            if steps is not None and any(entry.step for entry in doomed):
                steps.settle()  # folders of practices with no step left
        left = sum(entry.size for entry in others if entry.path.exists())
        return PruneResult(removed, removed_bytes, kept, left)
    finally:
        os.close(fd)


def survey(keep: set[str], cache_dir: Path | None = None) -> tuple[int, int]:
    """(bytes of the sentences in `keep`, bytes of all the others): what Settings shows. Read
    only, no lock: a render meanwhile only makes the figure a moment old."""
    kept, others, _leftovers = _survey(cache_dir or paths.chunk_cache_dir(), keep)
    return kept, sum(entry.size for entry in others)


def _survey(folder: Path, keep: set[str]) -> tuple[int, list[_Entry], list[Path]]:
    """(bytes of kept sentences, the other sentences, leftover files) in the cache."""
    kept = 0
    others: list[_Entry] = []
    leftovers: list[Path] = []
    for sub in _subfolders(folder):
        sizes: dict[str, int] = {}
        wavs: dict[str, tuple[float, Path]] = {}
        with contextlib.suppress(OSError), os.scandir(sub) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.name.startswith("."):      # a temporary file never renamed
                        leftovers.append(Path(entry.path))
                        continue
                    stat = entry.stat(follow_symlinks=False)
                    key = entry.name.removesuffix(".wav").removesuffix(_ENERGIES)
                    sizes[key] = sizes.get(key, 0) + stat.st_size
                    if entry.name.endswith(".wav"):
                        wavs[key] = (stat.st_mtime, Path(entry.path))
        for key, size in sizes.items():
            if key in keep:
                kept += size
            elif key in wavs:
                others.append(_Entry(wavs[key][0], wavs[key][1], size))
            else:   # energies whose sentence was never written: a render ended before it
                leftovers.append(sub / f"{key}{_ENERGIES}")
    return kept, others, leftovers


def _temporary_files(folder: Path) -> list[Path]:
    """What write_atomic and the engines write before renaming (`.<name>.<pid>.part`,
    `.<key>.<pid>.raw.wav`) anywhere under `folder`."""
    try:
        return [path for pattern in (".*.part", ".*.raw.wav") for path in folder.rglob(pattern)
                if path.is_file()]
    except OSError:
        return []


def _subfolders(folder: Path) -> Sequence[Path]:
    try:
        return [path for path in folder.iterdir() if path.is_dir() and len(path.name) == 2]
    except OSError:
        return []


def _unlink(path: Path) -> int:
    try:
        size = path.stat().st_size
        path.unlink()
    except OSError:
        return 0
    return size
