"""A practice as one file to hand on: `NAME.sbpractice`, a zip holding only data.

Inside: `securebase-practice.json` (format, version, an optional note from the author, and a
SHA-256 for every other entry), `practice.toml` (the script, byte for byte) and, optionally,
`recordings/<audio id>.wav` (steps recorded in a voice, 22,050 Hz mono 16-bit).

Reading trusts nothing. Before anything is written: the file must be a regular file of bounded
size; every entry must have one of those exact names (no folders, no `..`, no absolute paths,
no links, no encryption, no other compression), a bounded size and the checksum the manifest
gives; the script must pass the same validator as `securebase check`; recordings must belong
to one of its steps and be plain WAV of a bounded length. Nothing in it is ever run or fetched.
"""
from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import wave
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from collections.abc import Iterator

from app.core.plain_text import plain_text_problem
from app.core.practice import Practice
from app.core.practice_doc import DocumentError, PracticeDoc, unique_slug
from app.storage.files import FileTooLarge, read_limited
from app.core.scripts import MAX_FILE_BYTES, SLUG, ScriptError, parse_practice
from app.storage.files import write_private
from app.storage import user_practices
from app.storage.user_practices import RECORDING, read_script, recording_files, script_path

SUFFIX = ".sbpractice"
FORMAT, VERSION = "securebase-practice", 1
MANIFEST, SCRIPT, RECORDINGS = "securebase-practice.json", "practice.toml", "recordings/"
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
MAX_MANIFEST_BYTES = 64 * 1024
MAX_RECORDING_SECONDS = 15 * 60
SAMPLE_RATE = 22_050                      # app.speech.audio.SAMPLE_RATE
MAX_RECORDING_BYTES = MAX_RECORDING_SECONDS * SAMPLE_RATE * 2 + 1024
MAX_TOTAL_BYTES = 400 * 1024 * 1024       # all entries, uncompressed
MAX_ENTRIES = 200
MAX_NOTE_CHARS = 2000
_LIMITS = {MANIFEST: MAX_MANIFEST_BYTES, SCRIPT: MAX_FILE_BYTES}
_ENTRY = re.compile(r"^(securebase-practice\.json|practice\.toml|recordings/[^/]+)$")
_FIXED_TIME = (1980, 1, 1, 0, 0, 0)       # the same practice exports to the same bytes


class ShareError(ValueError):
    """The shared file cannot be used; the message is plain and says why."""


class NameClash(ShareError):
    """A practice with the shared one's id is already in the library: the person chooses."""

    def __init__(self, practice_id: str, title: str, bundled: bool):
        self.practice_id, self.bundled = practice_id, bundled
        super().__init__(f"There is already a practice called “{title}” ({practice_id}).")


@dataclass(frozen=True)
class Installed:
    practice_id: str
    script: Path
    replaced: user_practices.Removed | None     # the practice it replaced, in the trash


@dataclass(frozen=True)
class SharedPractice:
    """A checked shared practice, not yet written anywhere."""
    source: Path
    practice: Practice
    text: str
    note: str
    recordings: tuple[str, ...]           # audio ids
    digests: dict[str, str]               # entry name → sha256, re-checked when installing


def export_practice(script: Path, out: Path, *, recordings: bool = True, note: str = "") -> Path:
    """Write `script` (and its recordings) as one shared file at `out` (0600, atomic)."""
    text = read_script(script)
    practice = _parse(text, "this practice")
    why = plain_text_problem(note)
    if why or len(note) > MAX_NOTE_CHARS:
        raise ShareError(f"The note {why or 'is too long'}.")
    entries: dict[str, bytes] = {SCRIPT: text.encode("utf-8")}
    if recordings:
        wanted = {s.audio_id for step in practice.steps for s in step.segments}
        for audio_id, path in recording_files(practice.id).items():
            if audio_id in wanted:
                try:
                    entries[f"{RECORDINGS}{audio_id}.wav"] = read_limited(
                        path, MAX_RECORDING_BYTES)
                except FileTooLarge:
                    raise ShareError(f"The recording for {audio_id} is longer than a shared "
                                     "practice can carry; share it without recordings, or "
                                     "record that step again, shorter.") from None
    manifest = {"format": FORMAT, "version": VERSION, "id": practice.id,
                "title": practice.title, "steps": len(practice.steps), "note": note,
                "files": {name: hashlib.sha256(data).hexdigest()
                          for name, data in entries.items()}}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False).encode())
        for name, data in entries.items():
            _add(archive, name, data)
    write_private(out, buffer.getvalue())
    return out


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, _FIXED_TIME)
    info.compress_type = zipfile.ZIP_STORED if name.endswith(".wav") else zipfile.ZIP_DEFLATED
    info.external_attr = (stat.S_IFREG | 0o600) << 16
    archive.writestr(info, data)


def read_shared(path: Path) -> SharedPractice:
    """Open and check a shared practice (or a lone .toml script); raises ShareError."""
    path = Path(path)
    if path.suffix.lower() == ".toml":
        return _read_script_file(path)
    with _open_archive(path) as archive:
        infos = _check_entries(archive)
        manifest = _manifest(archive, infos)
        files = manifest["files"]
        text = _text(_entry(archive, infos, SCRIPT, MAX_FILE_BYTES, files))
        practice = _parse(text, path.name)
        audio_ids = {s.audio_id for step in practice.steps for s in step.segments}
        recordings = []
        for name in sorted(n for n in infos if n.startswith(RECORDINGS)):
            match = RECORDING.match(name[len(RECORDINGS):])
            if not match or match.group(1) not in audio_ids:
                raise ShareError(f"{path.name} holds a recording, {name}, that belongs to no "
                                 "step of the practice.")
            _check_wav(_entry(archive, infos, name, MAX_RECORDING_BYTES, files), name)
            recordings.append(match.group(1))
    order = [s.audio_id for step in practice.steps for s in step.segments]
    recordings.sort(key=order.index)
    return SharedPractice(path, practice, text, manifest["note"], tuple(recordings),
                          dict(files))


def recordings_of(shared: SharedPractice) -> Iterator[tuple[str, bytes]]:
    """(audio id, WAV bytes) of a checked shared practice, each checked again as it is read:
    the file may have changed since it was shown."""
    if not shared.recordings:
        return
    with _open_archive(shared.source) as archive:
        infos = _check_entries(archive)
        for audio_id in shared.recordings:
            name = f"{RECORDINGS}{audio_id}.wav"
            yield audio_id, _entry(archive, infos, name, MAX_RECORDING_BYTES, shared.digests)


def _read_script_file(path: Path) -> SharedPractice:
    text = read_script(path)
    practice = _parse(text, path.name)
    return SharedPractice(path, practice, text, "", (), {})


def _parse(text: str, shown: str) -> Practice:
    """The script checked as `securebase check` would, under its own id."""
    try:
        practice_id = PracticeDoc(text).practice("id")
    except DocumentError as exc:
        raise ShareError(f"The practice in {shown} cannot be read: {exc}.") from None
    slug = isinstance(practice_id, str) and SLUG.match(practice_id)
    try:
        practice = parse_practice(text, script_path(practice_id) if slug else
                                  Path("practice.toml"))
    except ScriptError as exc:
        first = exc.problems[0]
        more = len(exc.problems) - 1
        also = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
        raise ShareError(f"The practice in {shown} has a problem on line {first.line}: "
                         f"{first.message}{also}. Nothing was added.") from None
    texts = [("title", practice.title), ("summary", practice.summary),
             ("pacing note", practice.pacing)]
    for step in practice.steps:
        texts += [(f"title of step “{step.id}”", step.title), (f"text of step “{step.id}”",
                                                                step.say)]
    for name, value in texts:
        why = plain_text_problem(value)
        if why:
            raise ShareError(f"The {name} in {shown} {why}. Nothing was added.")
    return practice


def _open_archive(path: Path) -> zipfile.ZipFile:
    try:
        raw = read_limited(path, MAX_ARCHIVE_BYTES)     # a regular file, never a pipe
    except FileTooLarge:
        raise ShareError(f"{path.name} is larger than a shared practice can be "
                         f"({MAX_ARCHIVE_BYTES // 2**20} MB).") from None
    except OSError as exc:
        raise ShareError(f"{path.name} could not be opened ({exc.strerror or exc}).") from None
    try:
        return zipfile.ZipFile(io.BytesIO(raw))
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise ShareError(f"{path.name} is not a shared practice (it is not a zip file made "
                         "by Secure Base).") from None


def _check_entries(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    infos = archive.infolist()
    if len(infos) > MAX_ENTRIES:
        raise ShareError(f"The file holds {len(infos)} entries; a shared practice has at most "
                         f"{MAX_ENTRIES}.")
    found: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        name = info.filename
        shown = name if len(name) <= 60 else name[:59] + "…"
        if not _ENTRY.match(name) or ".." in name or "\\" in name or name in found:
            raise ShareError(f"The file holds an entry that does not belong in a shared "
                             f"practice: {shown!r}. Nothing was added.")
        kind = stat.S_IFMT(info.external_attr >> 16)    # 0 when the maker did not say
        if kind and kind != stat.S_IFREG or info.is_dir():
            raise ShareError(f"The entry {shown!r} is a link or a folder, not a plain file. "
                             "Nothing was added.")
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                               zipfile.ZIP_DEFLATED):
            raise ShareError(f"The entry {shown!r} is encrypted or packed in a way Secure Base "
                             "does not read. Nothing was added.")
        limit = _LIMITS.get(name, MAX_RECORDING_BYTES)
        if info.file_size > limit:              # declared sizes: a bomb is never unpacked
            raise ShareError(f"{shown} is larger than Secure Base accepts "
                             f"({limit // 1024:,} KB).")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise ShareError("The file unpacks to more than a shared practice can hold.")
        found[name] = info
    for required in (MANIFEST, SCRIPT):
        if required not in found:
            raise ShareError(f"The file has no {required}, so it is not a shared practice.")
    return found


def _entry(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo], name: str,
           limit: int, digests: dict[str, str] | None) -> bytes:
    info = infos[name]
    if info.file_size > limit:
        raise ShareError(f"{name} is larger than Secure Base accepts ({limit // 1024:,} KB).")
    try:
        with archive.open(info) as handle:
            data = handle.read(limit + 1)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, RuntimeError) as exc:
        raise ShareError(f"{name} is damaged and cannot be read ({exc}).") from None
    if len(data) > limit:
        raise ShareError(f"{name} is larger than Secure Base accepts.")
    if digests is not None and digests.get(name) != hashlib.sha256(data).hexdigest():
        raise ShareError(f"{name} does not match the checksum the file gives for it; the file "
                         "may be damaged. Nothing was added.")
    return data


def _manifest(archive: zipfile.ZipFile, infos: dict[str, zipfile.ZipInfo]) -> dict[str, Any]:
    try:
        data = json.loads(_entry(archive, infos, MANIFEST, MAX_MANIFEST_BYTES, None))
    except (ValueError, RecursionError):
        raise ShareError(f"{MANIFEST} is not readable JSON.") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ShareError("The file is not a practice shared by Secure Base.")
    if data.get("version") != VERSION:
        raise ShareError("The file was made by another version of Secure Base that this one "
                         "cannot read.")
    note, files = data.get("note", ""), data.get("files")
    if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS or plain_text_problem(note):
        raise ShareError("The author's note in the file is not plain text of a sensible length.")
    if (not isinstance(files, dict) or set(files) != set(infos) - {MANIFEST}
            or not all(isinstance(v, str) for v in files.values())):
        raise ShareError("The file's list of contents does not match what it holds.")
    return {"note": note.strip(), "files": files}


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise ShareError(f"{SCRIPT} is not UTF-8 text.") from None


def _check_wav(data: bytes, name: str) -> None:
    try:
        with wave.open(io.BytesIO(data), "rb") as wav:
            shape = (wav.getframerate(), wav.getnchannels(), wav.getsampwidth())
            seconds = wav.getnframes() / SAMPLE_RATE
    except (wave.Error, EOFError, ValueError):
        raise ShareError(f"{name} is not a WAV recording Secure Base can play.") from None
    if shape != (SAMPLE_RATE, 1, 2) or not 0.1 <= seconds <= MAX_RECORDING_SECONDS:
        raise ShareError(f"{name} is not a recording as Secure Base makes them "
                         "(22,050 Hz mono, at most 15 minutes).")


def install(shared: SharedPractice, *, keep_both: bool = False, replace: bool = False
            ) -> Installed:
    """Add a checked shared practice to the person's own. On a name clash, raises NameClash
    unless told to keep both (the new one gets a free id) or to replace theirs (which goes to
    the trash, so it can be put back)."""
    practice, text = shared.practice, shared.text
    taken = user_practices.taken_ids()
    bundled = user_practices.is_bundled_id(practice.id)
    if practice.id in taken and not (keep_both or replace and not bundled):
        raise NameClash(practice.id, practice.title, bundled)
    new_id = practice.id
    if practice.id in taken and keep_both:
        new_id = unique_slug(practice.id, taken)
        doc = PracticeDoc(text)
        doc.set_practice("id", new_id)
        doc.set_practice("title", f"{practice.title} ({new_id.rsplit('-', 1)[-1]})")
        text = doc.text
        _parse(text, shared.source.name)
    replaced = None
    if practice.id in taken and replace:
        replaced = user_practices.remove(practice.id)
    written: list[Path] = []
    try:
        for audio_id, data in recordings_of(shared):
            written.append(user_practices.save_recording(new_id, audio_id, data))
        written.append(user_practices.save_script(new_id, text))
    except BaseException:
        for path in written:
            path.unlink(missing_ok=True)
        if replaced is not None:
            user_practices.restore(replaced)
        raise
    return Installed(new_id, written[-1], replaced)
