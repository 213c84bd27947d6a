"""Reading a left-over write-ahead log (`journal.db-wal`) the way SQLite does, to notice what
SQLite would silently drop.

After a crash, SQLite replays the -wal into the journal up to the first frame whose checksum
does not match and quietly ignores the rest. One flipped byte in the middle of the file thus
loses every later commit with no message. Before the journal is opened, this module walks the
frames itself (https://sqlite.org/fileformat2.html#the_write_ahead_log); when commits written
in the same generation of the log follow a broken frame, the log is copied aside (SQLite still
replays the good part) and the person is told.

Checkpointing at the end of each session and on quit (Journal.checkpoint) keeps this file small,
so a scan after a crash reads little: 4 MB (SQLite's automatic checkpoint size) in 0.1 s.
"""
from __future__ import annotations

import struct
from array import array
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.storage.files import write_private

MAGIC = (0x377F0682, 0x377F0683)       # the low bit says the checksums are big-endian
HEADER, FRAME_HEADER = 32, 24
_MASK = 0xFFFFFFFF


@dataclass(frozen=True)
class WalScan:
    frames: int             # frames of the current generation (matching salts)
    valid: int              # frames SQLite will replay (up to the last good commit)
    lost_commits: int       # commit frames of this generation that SQLite will drop

    @property
    def damaged(self) -> bool:
        return self.lost_commits > 0


def wal_path(journal: Path) -> Path:
    return Path(str(journal) + "-wal")


def scan(path: Path) -> WalScan | None:
    """None when there is no log worth reading (missing, empty, not a WAL, bad header: SQLite
    ignores such a file entirely and so does this)."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    if len(data) < HEADER:
        return None
    magic, _version, page_size, _seq, salt1, salt2, c1, c2 = struct.unpack(">8I", data[:32])
    if magic not in MAGIC or page_size < 512 or page_size & (page_size - 1):
        return None
    big = bool(magic & 1)
    if _checksum(data[:24], 0, 0, big) != (c1, c2):
        return None
    return _walk(data, page_size, (salt1, salt2), (c1, c2), big)


def _walk(data: bytes, page_size: int, salts: tuple[int, int], sums: tuple[int, int],
          big: bool) -> WalScan:
    size = FRAME_HEADER + page_size
    frames = valid = committed = lost = 0
    broken = False
    for offset in range(HEADER, len(data) - size + 1, size):
        page, commit, s1, s2, f1, f2 = struct.unpack(">6I", data[offset:offset + 24])
        if (s1, s2) != salts:
            if broken:
                continue            # older generations: never meant to be replayed
            break
        frames += 1
        if broken:
            lost += commit != 0
            continue
        body = data[offset:offset + 8] + data[offset + 24:offset + size]
        sums = _checksum(body, *sums, big)
        if sums != (f1, f2) or page == 0:
            broken = True
            continue
        if commit:
            committed = frames
    valid = committed
    return WalScan(frames, valid, lost)


def _checksum(data: bytes, s0: int, s1: int, big: bool) -> tuple[int, int]:
    words = array("I", data)
    if big != (struct.pack("=I", 1) == struct.pack(">I", 1)):
        words.byteswap()
    for i in range(0, len(words), 2):
        s0 = (s0 + words[i] + s1) & _MASK
        s1 = (s1 + words[i + 1] + s0) & _MASK
    return s0, s1


def keep_damaged_log(journal: Path) -> tuple[WalScan, Path] | None:
    """If the left-over log would lose commits, copy it aside (0600) and return where."""
    source = wal_path(journal)
    found = scan(source)
    if found is None or not found.damaged:
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = journal.with_name(f"{journal.name}.damaged-{stamp}-wal")
    counter = 2
    while target.exists():
        target = journal.with_name(f"{journal.name}.damaged-{stamp}-{counter}-wal")
        counter += 1
    write_private(target, source.read_bytes())
    return found, target


def damaged_log_notice(found: WalScan, kept: Path) -> str:
    lost = found.lost_commits
    what = "the last thing saved" if lost == 1 else f"the last {lost:,} things saved"
    return ("Secure Base was stopped unexpectedly last time, and the file holding its latest "
            f"changes was damaged, so {what} before it stopped (steps, check-ins or body marks) "
            "could not be brought back. Everything before that is safe. A copy of the damaged "
            f"file is kept at {kept} in case it is needed later.")


WAL_VANISHED = ("Last time Secure Base was open, the file that holds your journal's latest "
                "changes (journal.db-wal) disappeared, perhaps removed by a clean-up program. "
                "Everything you recorded was saved into the journal itself, so nothing is lost.")


def later_file(journal: Path) -> Path:
    return journal.with_name(journal.name + ".notices")


def say_later(journal: Path, text: str) -> None:
    """Keep a notice for the next start (never interrupt a practice with it). Best effort:
    the journal is already safe; only the words could be lost."""
    import json
    try:
        said = recall(journal, forget=False)
        write_private(later_file(journal), json.dumps([*said, text]).encode("utf-8"))
    except OSError:
        pass


def recall(journal: Path, forget: bool = True) -> list[str]:
    """Notices kept for this start (and, with `forget`, dropped once handed on)."""
    import json
    source = later_file(journal)
    try:
        said = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        said = []
    if forget:
        source.unlink(missing_ok=True)
    return [s for s in said if isinstance(s, str)] if isinstance(said, list) else []


class WalWatch:
    """Notices when the open journal's -wal is deleted or replaced behind SQLite's back.

    SQLite keeps writing to a deleted -wal through its open handle, and a crash then loses every
    commit since the last checkpoint (measured: 11 sessions). Checked after each commit (one
    stat, ~2 µs), the journal can checkpoint through its open handle at once and start afresh."""

    def __init__(self, journal: Path):
        self.path = wal_path(journal)
        self.identity = _identity(self.path)

    def changed(self) -> bool:
        now = _identity(self.path)
        if self.identity is None:           # SQLite creates the -wal lazily
            self.identity = now
            return False
        return now != self.identity

    def reset(self) -> None:
        self.identity = _identity(self.path)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino
