"""Practices being written, kept when the system closes the app (log-out, shutdown, Ctrl+C).

The editor asks before the person closes it with unsaved changes, but when the system closes
the app nobody may be there to answer, and the words would be lost. So the draft is written
here instead (atomically, owner-only), one file per quit so a kept draft is never written
over, and offered back the next time the editor opens (the oldest first). A file is removed
only when the person saves that draft, or chooses to let it go. No Qt.
"""
from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from app import paths
from app.core.records import now_iso
from app.storage.files import write_private

FOLDER = "drafts"
KEPT_MAX = 2_000_000                 # a script is a few kilobytes; refuse to read a huge file
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptDraft:
    path: Path
    state: dict[str, Any]            # at least "text"; see app.core.practice_draft.snapshot


def folder() -> Path:
    return paths.data_dir() / FOLDER


def keep(state: dict[str, Any], where: Path | None = None) -> Path:
    """Write the draft's state whole, or not at all, under a new name; returns its path.
    Raises OSError when it cannot be written."""
    where = where or folder()
    stamp = datetime.now().strftime("%Y%m%dT%H%M%S")
    number = 1
    while (where / f"draft-{stamp}-{number}.json").exists():
        number += 1
    target = where / f"draft-{stamp}-{number}.json"
    data = {"kept_at": now_iso(), **state}
    write_private(target, json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    return target


def kept(where: Path | None = None) -> list[KeptDraft]:
    """Every kept draft that can be read, oldest first. One that cannot be read is left in
    place, never removed, so a person or a later version can still get the words back."""
    found = []
    for path in sorted((where or folder()).glob("draft-*.json")):
        state = _read(path)
        if state is not None:
            found.append(KeptDraft(path, state))
    return found


def _read(path: Path) -> dict[str, Any] | None:
    try:
        if not path.is_file() or path.stat().st_size > KEPT_MAX:
            return None
        state = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        log.warning("a kept editor draft could not be read: %s", type(exc).__name__)
        return None
    if not isinstance(state, dict) or not isinstance(state.get("text"), str):
        return None
    return state


def forget(path: Path) -> None:
    """The person saved this draft or let it go: its kept copy is no longer needed."""
    path.unlink(missing_ok=True)
