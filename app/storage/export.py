"""Export the journal as JSON (everything, for import) or CSV (one file per table, for a
spreadsheet), optionally limited to a date range.

A range keeps the sessions that started in it with their step events, check-ins and body marks,
plus check-ins and marks made outside any session on those days. Parts, their links and the
settings are always included: they are not dated, and marks refer to them.
Files are written to a hidden partial file and renamed when complete, and made owner-only:
an export holds the same private material as the journal.
"""
from __future__ import annotations

import csv
import io
import json
import sqlite3
import stat
import zipfile
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from app.storage.files import NotARegularFile, in_system_folder, write_private
from app.core.records import now_iso
from app.storage import export_progress as progress
from app.storage.errors import JournalError, explain, explain_os
from app.storage.content import SQLITE_HEADER
from app.storage.journal import Journal

FORMAT_NAME = "securebase-journal"
# Parents before children, so an import in this order satisfies every foreign key.
TABLES = ("parts", "part_links", "sessions", "step_events", "checkins", "body_marks", "settings")
# A cell starting with one of these is read as a formula by spreadsheets ("=", "+", "-", "@");
# a leading apostrophe makes it plain text there. Only text cells, never numbers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
NOTHING_WRITTEN = "Nothing was written."


@dataclass(frozen=True)
class DateRange:
    start: date | None = None
    end: date | None = None              # inclusive: the whole of that day

    def bounds(self) -> tuple[str | None, str | None]:
        """ISO strings to compare with stored times: [start, day after end)."""
        return (self.start.isoformat() if self.start else None,
                (self.end + timedelta(days=1)).isoformat() if self.end else None)

    def as_json(self) -> dict[str, str | None]:
        return {"from": self.start.isoformat() if self.start else None,
                "to": self.end.isoformat() if self.end else None}


@dataclass(frozen=True)
class TableData:
    name: str
    columns: list[str]
    rows: list[tuple[Any, ...]]


def collect(journal: Journal, span: DateRange = DateRange()) -> list[TableData]:
    """Every table (in TABLES order) with the rows the range keeps, ordered by id."""
    where = _filters(span)
    tables = []
    try:
        # one read transaction: a consistent snapshot even while the window keeps writing
        with journal.db.atomic():
            for name in TABLES:
                tables.append(_read_table(journal, name, *where.get(name, ("", []))))
    except sqlite3.Error as exc:
        raise explain(exc, journal.path) from exc
    return tables


def _read_table(journal: Journal, name: str, where: str, params: list[str]) -> TableData:
    order = "key" if name == "settings" else "id"
    cursor = journal.db.execute(f"SELECT * FROM [{name}]{where} ORDER BY {order}", params)
    return TableData(name, [c[0] for c in cursor.description], cursor.fetchall())


def _filters(span: DateRange) -> dict[str, tuple[str, list[str]]]:
    start, end = span.bounds()
    if start is None and end is None:
        return {}

    def in_range(column: str) -> tuple[str, list[str]]:
        clauses = [c for c, v in ((f"{column} >= ?", start), (f"{column} < ?", end)) if v]
        return " AND ".join(clauses), [v for v in (start, end) if v]

    sessions_sql, sessions_params = in_range("started_at")
    in_sessions = f"session_id IN (SELECT id FROM sessions WHERE {sessions_sql})"
    at_sql, at_params = in_range("at")
    loose = f" WHERE {in_sessions} OR (session_id IS NULL AND {at_sql})"
    return {"sessions": (f" WHERE {sessions_sql}", sessions_params),
            "step_events": (f" WHERE {in_sessions}", sessions_params),
            "checkins": (loose, sessions_params + at_params),
            "body_marks": (loose, sessions_params + at_params)}


@dataclass(frozen=True)
class ExportReport:
    path: Path
    counts: dict[str, int]

    def summary(self) -> str:
        """What the person is told: words, not table names ("1 session", not "1 sessions")."""
        shown = [f"{n:,} {one if n == 1 else many}" for table, (one, many) in SUMMARY_WORDS.items()
                 if (n := self.counts.get(table)) is not None]
        listed = ", ".join(shown[:-1]) + f" and {shown[-1]}" if len(shown) > 1 else "".join(shown)
        return f"Exported {listed} to {self.path}"


SUMMARY_WORDS = {"sessions": ("session", "sessions"), "checkins": ("check-in", "check-ins"),
                 "body_marks": ("body mark", "body marks"), "parts": ("part", "parts")}


# -- JSON ------------------------------------------------------------------------------------

def export_json(journal: Journal, out: Path, span: DateRange = DateRange()) -> ExportReport:
    guard_output(journal.path, out, folder_ok=False)
    tables = collect(journal, span)
    write_atomically(out, render_json(tables, journal.schema_version, span).encode("utf-8"))
    return ExportReport(out, {t.name: len(t.rows) for t in tables})


def render_json(tables: list[TableData], schema_version: int, span: DateRange) -> str:
    """One row per line: readable, diff-able, and written by the C encoder (json with indent
    falls back to the pure-Python encoder, ~5× slower on a 10-year journal). "progress" says
    how each session ended and what the averages count; import reads only "tables"."""
    head = {"format": FORMAT_NAME, "schema_version": schema_version,
            "exported_at": now_iso(), "range": span.as_json()}
    dump = json.JSONEncoder(ensure_ascii=False).encode
    parts = ["{"]
    parts += [f" {json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}," for k, v in head.items()]
    about = progress.as_json(progress.progress_rows(tables))
    sessions = [dump(row) for row in about["sessions"]]
    parts += [' "progress": {', f'  "about": {dump(about["about"])},',
              '  "sessions": ' + (("[\n   " + ",\n   ".join(sessions) + "\n  ]") if sessions
                                  else "[]"), ' },']
    parts.append(' "tables": {')
    for index, table in enumerate(tables):
        rows = [dump(dict(zip(table.columns, row))) for row in table.rows]
        body = ("[\n   " + ",\n   ".join(rows) + "\n  ]") if rows else "[]"
        comma = "," if index < len(tables) - 1 else ""
        parts.append(f"  {json.dumps(table.name)}: {body}{comma}")
    parts += [" }", "}", ""]
    return "\n".join(parts)


# -- CSV -------------------------------------------------------------------------------------

def export_csv(journal: Journal, out: Path, span: DateRange = DateRange()) -> ExportReport:
    """A folder of CSV files, or one .zip holding them when `out` ends in .zip."""
    as_zip = out.suffix.lower() == ".zip"
    guard_output(journal.path, out, folder_ok=not as_zip)
    tables = collect(journal, span)
    files = {f"{t.name}.csv": render_csv(t) for t in tables}
    rows = progress.for_csv(progress.progress_rows(tables))
    files[progress.CSV_FILE] = render_csv(TableData("progress", progress.COLUMNS, rows))
    files[progress.ABOUT_FILE] = progress.about_text()
    if as_zip:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in files.items():
                archive.writestr(name, data)
        write_atomically(out, buffer.getvalue())
    else:
        try:
            out.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError as exc:
            raise cannot_write(exc, out) from exc
        for name in files:                          # every file is checked before any is written
            guard_output(journal.path, out / name, folder_ok=False)
        for name, data in files.items():
            write_atomically(out / name, data)
    return ExportReport(out, {t.name: len(t.rows) for t in tables})


def render_csv(table: TableData) -> bytes:
    """UTF-8 with a byte-order mark (so spreadsheets detect UTF-8), a header row, CRLF lines."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(table.columns)
    writer.writerows([_cell(v) for v in row] for row in table.rows)
    return text.getvalue().encode("utf-8-sig")


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# -- writing safely --------------------------------------------------------------------------

def guard_output(journal_path: Path | None, out: Path, folder_ok: bool) -> None:
    """Refuse, before any work, to write where an export must never go: over the journal,
    its sidecars or any journal database (a backup), over a device, pipe or socket (root's
    `--out /dev/null` replaced the device), or onto a folder where a file is expected."""
    if journal_path is not None:
        protected = {Path(str(journal_path) + s).resolve() for s in ("", "-wal", "-shm")}
        if out.resolve() in protected:
            raise JournalError(f"{out} is the journal itself; choose another name for the "
                               f"export. {NOTHING_WRITTEN}")
    kind = _existing_kind(out)
    if kind == "database":
        raise JournalError(f"{out} holds a journal (your journal, a backup or another "
                           f"journal), so it was not written over. Choose another name for "
                           f"the export. {NOTHING_WRITTEN}")
    if kind == "special":
        raise JournalError(f"{out} is not a regular file (it is a device, a pipe or a "
                           f"socket); give the name of a new file for the export. "
                           f"{NOTHING_WRITTEN}")
    if kind == "folder" and not folder_ok:
        raise JournalError(f"{out} is a folder; give a file name for the export, e.g. "
                           f"{out / 'journal.json'}. {NOTHING_WRITTEN}")
    if kind == "file" and folder_ok:
        raise JournalError(f"{out} is a file; CSV export needs a folder name or a name "
                           f"ending in .zip. {NOTHING_WRITTEN}")


def _existing_kind(out: Path) -> str | None:
    """None (nothing there), "file", "folder", "database" (SQLite) or "special"."""
    if in_system_folder(out):
        return "special"
    try:
        mode = out.stat().st_mode                   # through links: what would be hit
    except FileNotFoundError:
        return None
    except OSError:
        return "file" if out.is_symlink() else "special"   # a dangling link is replaced
    if stat.S_ISDIR(mode):
        return "folder"
    if not stat.S_ISREG(mode):
        return "special"
    try:
        with open(out, "rb") as handle:
            head = handle.read(len(SQLITE_HEADER))
    except OSError:
        return "file"
    return "database" if head == SQLITE_HEADER else "file"


def write_atomically(target: Path, data: bytes) -> None:
    try:
        write_private(target, data)
    except OSError as exc:
        raise cannot_write(exc, target) from exc


def cannot_write(exc: OSError, target: Path) -> JournalError:
    kind = explain_os(exc, target).kind
    reason = {"full": "the disk is full", "readonly": "that folder cannot be written to"
              }.get(kind, exc.strerror or str(exc))
    if isinstance(exc, NotARegularFile):
        kind, reason = "other", exc.strerror or str(exc)
    return JournalError(f"The export could not be written to {target}: {reason}. "
                        "Your journal is unchanged.", kind)
