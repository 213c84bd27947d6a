"""`securebase doctor`: how the journal, its safety copies and the data folder are, in plain
words, without changing anything.

It reads only: the journal through a read-only connection (PRAGMA integrity_check), each copy's
content (app.storage.content), the -wal frame by frame (app.storage.wal), and the mode of every
file and folder under the data folder. Exit status 1 when something needs attention, so it can
be used from a script or by a helper on the phone ("what does doctor say?").
"""
from __future__ import annotations

import os
import stat
import textwrap
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from app import paths
from app.storage import backup as backups
from app.storage import wal
from app.storage.clock import clock_notice, words
from app.storage.content import Content, read_content
from app.storage.errors import JournalError
from app.storage.privacy import is_loose

# More than this in the -wal means checkpoints are not happening (SQLite's own automatic
# checkpoint keeps it near 4 MB): worth a look, not an alarm.
BIG_WAL = 8 * 1024 * 1024
SHOW_AT_MOST = 10
WIDTH = 88


@dataclass(frozen=True)
class Line:
    text: str
    attention: bool = False


@dataclass
class Section:
    title: str
    lines: list[Line] = field(default_factory=list)

    def ok(self, text: str) -> None:
        self.lines.append(Line(text))

    def warn(self, text: str) -> None:
        self.lines.append(Line(text, attention=True))


@dataclass
class Report:
    home: Path
    sections: list[Section]

    @property
    def attention(self) -> int:
        return sum(line.attention for s in self.sections for line in s.lines)

    def text(self) -> str:
        out = [f"Secure Base: a check of {self.home}", ""]
        for section in self.sections:
            out.append(section.title)
            for line in section.lines:
                text = f"{'NEEDS ATTENTION: ' if line.attention else ''}{line.text}"
                out.append(textwrap.fill(text, WIDTH, initial_indent="  - ",
                                         subsequent_indent="    ", break_on_hyphens=False))
            out.append("")
        count = self.attention
        out.append("Everything looks well." if not count else
                   f"{count} thing{'s' if count != 1 else ''} need{'' if count != 1 else 's'} "
                   "attention (marked above). Nothing was changed.")
        return "\n".join(out)


def examine(home: Path | None = None, today: date | None = None) -> Report:
    """Look at everything; change nothing."""
    home = home or paths.data_dir()
    window_open = _window_open(home / "instance.lock")
    journal = home / "journal.db"
    content = read_content(journal, untouched=True)
    copies = _copies(home / "backups")
    sections = [_journal(journal, content, window_open),
                _backups(home / "backups", content, copies, today or date.today()),
                _permissions(home)]
    return Report(home, sections)


def _journal(path: Path, content: Content | None, window_open: bool) -> Section:
    from app.storage.recovery import check_integrity, damaged_copies

    section = Section(f"Journal ({path.name})")
    if not os.path.lexists(path):
        section.ok("There is no journal yet: it is made the first time Secure Base opens.")
    else:
        try:
            damage = check_integrity(path, untouched=True)
        except JournalError as exc:
            damage = None
            section.warn(f"It could not be checked: {exc}")
        if damage is not None:
            section.warn(f"It is damaged ({damage}). Open Secure Base: it sets the file aside "
                         "and brings back the newest good safety copy.")
        elif content is None and path.stat().st_size == 0:
            section.warn("It is empty (0 bytes).")
        elif content is not None:
            section.ok("It passed SQLite's full integrity check.")
            section.ok(_holds(content))
    _wal_lines(path, section, window_open)
    for name, what in ((".restoring", "a restore that did not finish"),
                       (".recovering", "a note from a restore that did not finish")):
        if os.path.lexists(path.with_name(path.name + name)):
            section.warn(f"There is {what} ({path.name}{name}); the next start finishes it.")
    aside = damaged_copies(path)
    if aside:
        section.ok(f"{len(aside)} damaged cop{'ies' if len(aside) != 1 else 'y'} set aside "
                   f"earlier, kept in case they are needed: {', '.join(p.name for p in aside)}.")
    return section


def _holds(content: Content) -> str:
    c = content.counts
    newest = f" The newest entry is from {words(date.fromisoformat(content.latest_at[:10]))}." \
        if content.latest_at else ""
    return (f"It holds {c['sessions']:,} sessions, {c['step_events']:,} step events, "
            f"{c['checkins']:,} check-ins, {c['body_marks']:,} body marks and "
            f"{c['parts']:,} parts.{newest}")


def _wal_lines(path: Path, section: Section, window_open: bool) -> None:
    log = wal.wal_path(path)
    try:
        size = log.stat().st_size
    except OSError:
        section.ok("No changes are waiting in its working file (journal.db-wal).")
        return
    section.ok("Its working file (journal.db-wal) is empty: everything is in the journal "
               "itself." if size == 0 else
               f"Its working file (journal.db-wal) holds {_size(size)} of recent changes.")
    if size > BIG_WAL:
        section.warn("That working file is larger than usual: changes are not being copied "
                     "into the journal. Closing Secure Base normally copies them.")
    if window_open:
        section.ok("Secure Base is open, so the working file is in use and was not read.")
        return
    found = wal.scan(log)
    if found is not None and found.damaged:
        section.warn(f"The working file is damaged: the last {found.lost_commits:,} saved "
                     "changes in it cannot be read back. Open Secure Base: it keeps a copy "
                     "of the file and explains.")


def _copies(folder: Path) -> tuple[list[backups.Backup], list[backups.Backup]]:
    if not folder.is_dir():
        return [], []
    return backups.survey(folder)


def _backups(folder: Path, content: Content | None,
             copies: tuple[list[backups.Backup], list[backups.Backup]], today: date) -> Section:
    readable, unreadable = copies
    section = Section(f"Safety copies ({folder.name}/)")
    if not readable and not unreadable:
        section.ok("There are no safety copies yet: one is made at the first start of each "
                   "day once the journal holds something.")
    for copy in reversed(readable):
        held = copy.content.sessions if copy.content else 0
        section.ok(f"{copy.path.name}: {copy.label}, {held:,} sessions.")
    for copy in unreadable:
        section.warn(f"{copy.path.name} cannot be read as a safety copy; it is left alone.")
    for entry in _not_copies(folder):
        section.warn(f"{entry.name} is named like a safety copy but is not a file; it is "
                     "left alone and not used.")
    best = backups.best_backup(folder) if readable else None
    if best is not None:
        section.ok(f"If the journal were damaged, the copy brought back would be "
                   f"{best.path.name} ({best.label}).")
    elif readable:
        section.warn("None of the copies passes an integrity check.")
    if content is not None and best is not None and best.content is not None \
            and best.content.records > content.records:
        section.warn(f"The journal holds fewer records ({content.records:,}) than the copy "
                     f"{best.path.name} ({best.content.records:,}).")
    said = clock_notice(today, content, backups.newest_days(readable))
    if said:
        section.warn(said)
    return section


def _not_copies(folder: Path) -> list[Path]:
    found = []
    for entry in folder.glob("journal-*.db") if folder.is_dir() else ():
        try:
            if entry.is_symlink() or not entry.is_file():
                found.append(entry)
        except OSError:
            found.append(entry)
    return found


def _permissions(home: Path) -> Section:
    section = Section("Privacy of the data folder")
    loose, foreign, total = [], [], 0
    for path in (home, *home.rglob("*")):
        try:
            info = os.lstat(path)
        except OSError:
            continue
        if stat.S_ISLNK(info.st_mode):
            continue
        total += 1
        if hasattr(os, "getuid") and info.st_uid != os.getuid():
            foreign.append(path)
        elif is_loose(info):
            loose.append((path, stat.S_IMODE(info.st_mode)))
    if not loose and not foreign:
        inside = f" and the {total - 1:,} files and folders in it" if total > 1 else ""
        section.ok(f"Only you can open the folder{inside}.")
    for path, mode in loose[:SHOW_AT_MOST]:
        section.warn(f"{_relative(path, home)} ({oct(mode)[2:]}) can be opened by other "
                     "people using this computer. Opening Secure Base makes it private.")
    if len(loose) > SHOW_AT_MOST:
        section.warn(f"... and {len(loose) - SHOW_AT_MOST:,} more like it.")
    for path in foreign[:SHOW_AT_MOST]:
        section.warn(f"{_relative(path, home)} belongs to another user of this computer.")
    return section


def _window_open(lock_file: Path) -> bool:
    """True while a window holds the single-instance lock. Probed with a shared lock, which
    writes nothing (InstanceLock.acquire would write its pid and drop raise requests)."""
    try:
        import fcntl
        fd = os.open(lock_file, os.O_RDONLY)
    except (ImportError, OSError):
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        return True
    finally:
        os.close(fd)                        # closing drops the shared lock, if we got it
    return False


def _relative(path: Path, home: Path) -> str:
    return "the data folder itself" if path == home else str(path.relative_to(home))


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
