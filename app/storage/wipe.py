""""Delete all my data": the journal, its backups, damaged copies, user audio and caches, the
steps recorded in a person's voice (and deleted practices waiting to be undone), the log and
preferences — every one of them inside the data folder, nothing outside it.

The caller confirms first (typed "delete" in the CLI; a typed confirmation in the window).
Afterwards the app starts as new: the next open creates an empty journal.
The instance lock file stays: it holds no personal data, and removing it while the window holds
it would let a second copy start (see instance.py).
"""
from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from app import log, paths
from app.storage import editor_drafts
from app.storage.errors import explain_os
from app.storage.journal import Journal


@dataclass
class DeleteReport:
    removed: list[Path] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)     # outside the data folder: untouched


def personal_files(include_scripts: bool = False) -> list[Path]:
    """Everything "delete all my data" removes, whether it exists or not."""
    home = paths.data_dir()
    journal = paths.journal_file()
    targets = [journal, *(Path(str(journal) + s) for s in ("-wal", "-shm")),
               journal.with_name(journal.name + ".restoring"),
               journal.with_name(journal.name + ".recovering"),
               journal.with_name(journal.name + ".notices"),
               *sorted(home.glob(journal.name + ".damaged-*")),
               *sorted(home.glob(journal.name + ".before-v*")),      # copies made before upgrades
               home / "backups", home / "cache", home / "audio", home / "recordings",
               home / "trash", home / "logs",
               paths.settings_file(), paths.settings_file().with_suffix(".tmp"),
               editor_drafts.folder()]                          # editors' kept drafts
    if include_scripts:
        targets.append(home / "scripts")
    return targets


def delete_everything(journal: Journal | None = None,
                      include_scripts: bool = False) -> DeleteReport:
    """Remove every personal file in the data folder; returns what was removed.

    Pass the open Journal (if any) so its connection is closed before its file goes.
    User practice scripts are kept unless `include_scripts` (they are writing, not records).
    """
    if journal is not None:
        journal.close()
    home = paths.data_dir().resolve()
    report = DeleteReport()
    # The log names no notes or parts, but "everything" means everything: it goes too, and
    # logging (if on) goes on in a fresh file rather than into the removed one.
    logging_was_on = log.stop_logging()
    try:
        for target in personal_files(include_scripts):
            try:
                _remove(target, home, report)
            except OSError as exc:
                raise explain_os(exc, target) from exc
    finally:
        if logging_was_on:
            log.setup_logging()
    return report


def _remove(target: Path, home: Path, report: DeleteReport) -> None:
    if target.is_symlink():
        # The link lives in the data folder; whatever it points to is not ours to delete.
        target.unlink()
        report.removed.append(target)
        return
    if not target.exists():
        return
    if not _inside(target.resolve(), home):
        report.skipped.append(target)
        return
    if target.is_dir():
        shutil.rmtree(target)
    else:
        target.unlink()
    report.removed.append(target)


def _inside(path: Path, home: Path) -> bool:
    return path != home and path.is_relative_to(home)


__all__ = ["DeleteReport", "delete_everything", "personal_files"]
