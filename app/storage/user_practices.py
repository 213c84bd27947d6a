"""The person's own practices on disk: scripts, their recordings, and deletion that can be undone.

- `scripts/<id>.toml`: the script, written whole or not at all (files.write_private, 0600).
- `recordings/<id>/<audio id>.wav`: steps recorded in a person's own voice (see
  app.speech.recording), one file per piece of audio (Segment.audio_id), 0600 in 0700 folders.
- Deleting moves both into `trash/<token>/`, so "Undo" puts them back exactly; the trash is
  emptied when the app next starts, and by "delete all my data".
"""
from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

from app import paths
from app.storage.files import FileTooLarge, read_limited
from app.core.scripts import MAX_FILE_BYTES, SLUG
from app.storage.files import write_private

RECORDING = re.compile(r"^([a-z0-9][a-z0-9_-]{0,63}(?:\.\d{1,3})?)\.wav$")


class PracticeFileError(OSError):
    """A practice file could not be read or written; the message is plain."""


@dataclass(frozen=True)
class Removed:
    """A deleted practice waiting in the trash: what Undo needs to put it back."""
    practice_id: str
    token: str


def script_path(practice_id: str) -> Path:
    _check_id(practice_id)
    return paths.user_scripts_dir() / f"{practice_id}.toml"


def recordings_folder(practice_id: str, create: bool = False) -> Path:
    _check_id(practice_id)
    folder = paths.recordings_dir() / practice_id
    if create:
        folder.mkdir(mode=0o700, exist_ok=True)
    return folder


def recording_path(practice_id: str, audio_id: str) -> Path:
    if not RECORDING.match(f"{audio_id}.wav"):
        raise PracticeFileError(f"{audio_id!r} cannot name a recording")
    return recordings_folder(practice_id) / f"{audio_id}.wav"


def recording_files(practice_id: str) -> dict[str, Path]:
    """Audio id → recording, for the recordings that exist (regular files only)."""
    try:
        folder = recordings_folder(practice_id)
        entries = list(os.scandir(folder))
    except (OSError, PracticeFileError):
        return {}
    found = {}
    for entry in entries:
        match = RECORDING.match(entry.name)
        if match and entry.is_file(follow_symlinks=False):
            found[match.group(1)] = Path(entry.path)
    return dict(sorted(found.items()))


def taken_ids() -> set[str]:
    """Ids in use by a bundled or a user script (a new practice needs another)."""
    return ({p.stem for p in paths.BUNDLED_SCRIPTS_DIR.glob("*.toml")}
            | {p.stem for p in paths.user_scripts_dir().glob("*.toml")})


def is_bundled_id(practice_id: str) -> bool:
    return (paths.BUNDLED_SCRIPTS_DIR / f"{practice_id}.toml").is_file()


def read_script(path: Path) -> str:
    """A script's text, with the same limits as the validator (never a pipe or a giant)."""
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except FileTooLarge:
        raise PracticeFileError(f"{Path(path).name} is too large for a practice script") from None
    except OSError as exc:
        raise PracticeFileError(f"{Path(path).name} could not be read "
                                f"({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise PracticeFileError(f"{Path(path).name} is not UTF-8 text") from None


def save_script(practice_id: str, text: str) -> Path:
    """Write a user script atomically (0600); returns its path."""
    target = script_path(practice_id)
    if is_bundled_id(practice_id):
        raise PracticeFileError(f"'{practice_id}' is the name of a practice that comes with "
                                "the app; choose another")
    write_private(target, text.encode("utf-8"))
    return target


def save_recording(practice_id: str, audio_id: str, data: bytes) -> Path:
    target = recording_path(practice_id, audio_id)
    recordings_folder(practice_id, create=True)
    write_private(target, data)
    return target


def remove_recording(practice_id: str, audio_id: str) -> None:
    recording_path(practice_id, audio_id).unlink(missing_ok=True)


def remove(practice_id: str) -> Removed:
    """Move a user practice (script and recordings) to the trash; `restore` undoes it."""
    script = script_path(practice_id)
    if not script.is_file():
        raise PracticeFileError(f"there is no practice of yours called '{practice_id}'")
    token = f"{practice_id}.{secrets.token_hex(6)}"
    holder = paths.trash_dir() / token
    holder.mkdir(mode=0o700)
    os.replace(script, holder / script.name)
    recordings = recordings_folder(practice_id)
    if recordings.is_dir() and not recordings.is_symlink():
        os.replace(recordings, holder / "recordings")
    return Removed(practice_id, token)


def restore(removed: Removed) -> Path:
    """Put a removed practice back; refused if another practice took its name meanwhile."""
    holder = paths.trash_dir() / removed.token
    script = script_path(removed.practice_id)
    kept, target = holder / "recordings", recordings_folder(removed.practice_id)
    if script.exists() or kept.is_dir() and target.exists():
        raise PracticeFileError(f"a practice called '{removed.practice_id}' exists again, so "
                                "the deleted one was not put back over it")
    os.replace(holder / script.name, script)
    if kept.is_dir():
        os.replace(kept, target)
    shutil.rmtree(holder, ignore_errors=True)
    return script


def empty_trash() -> None:
    """Forget deleted practices for good (at start-up: Undo lasts while the app is open)."""
    for entry in paths.trash_dir().iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _check_id(practice_id: str) -> None:
    if not SLUG.match(practice_id or ""):
        raise PracticeFileError(f"{practice_id!r} is not a practice id (lowercase letters, "
                                "digits, hyphens and underscores)")
