"""Import a JSON export (see export.py) into an empty journal, all or nothing.

Everything is checked before a single row is written — shape, column names, value types,
required values, duplicate ids, references between tables — and every problem is reported in
plain words with where it is (`tables.sessions[3].started_at`), never as a traceback.
Ids are kept, so export → import → export gives the same JSON.
"""
from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.record_rules import row_problems
from app.storage.files import FileTooLarge, read_limited
from app.storage.errors import JournalError, explain
from app.storage.export import FORMAT_NAME, TABLES
from app.storage.journal import Journal
from app.storage.migrations import SCHEMA_VERSION

MAX_PROBLEMS = 10
# Ten years of daily practice (ten body marks a day) export to about 20 MB; this leaves room
# for thirty years, and refuses a planted giant (a 100 MB note) unread, in milliseconds.
MAX_FILE_BYTES = 64 * 2**20
# How long an import waits for another writer (another import) before saying so.
IMPORT_WAIT_S = 30.0
BUSY_TIMEOUT_S = 2.0                 # the journal's own (Journal opens with timeout=2.0)
# (child table, column) → parent table whose ids it must refer to
REFERENCES = {("part_links", "from_part"): "parts", ("part_links", "to_part"): "parts",
              ("step_events", "session_id"): "sessions", ("checkins", "session_id"): "sessions",
              ("body_marks", "session_id"): "sessions", ("body_marks", "part_id"): "parts"}
_TYPE_NAMES = {"INTEGER": "a whole number", "REAL": "a number", "TEXT": "text"}


class ImportProblem(JournalError):
    """The file cannot be imported; the message says why in plain words."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str                   # INTEGER | REAL | TEXT
    required: bool
    default: Any


def import_json(journal: Journal, path: Path) -> dict[str, int]:
    """Validate `path` and write it into `journal` (which must hold no records yet).

    Returns rows imported per table. Raises ImportProblem (bad file) or JournalError (disk)."""
    data = read_export(path)
    schema = table_schema(journal)
    tables = validate(data, schema, path.name)
    _require_empty(journal)
    try:
        with _write_lock(journal):
            # Again under the write lock: a second import started at the same moment waits
            # here, then finds the first one's records (not "UNIQUE constraint failed").
            _require_empty(journal)
            for name in TABLES:
                _insert(journal, name, schema[name], tables.get(name, []))
    except sqlite3.Error as exc:
        if explain(exc, journal.path).kind == "locked":
            raise ImportProblem("Another import or command is writing to this journal right "
                                "now. Let it finish, then try again; nothing was changed.",
                                "locked") from exc
        raise explain(exc, journal.path) from exc
    return {name: len(tables.get(name, [])) for name in TABLES}


@contextlib.contextmanager
def _write_lock(journal: Journal, wait_s: float = IMPORT_WAIT_S) -> Iterator[None]:
    """One transaction that holds SQLite's write lock from its first statement."""
    conn = journal.db.conn
    conn.execute(f"PRAGMA busy_timeout = {int(wait_s * 1000)}")
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")


def check_file(path: Path) -> dict[str, int]:
    """Validate an export without touching any journal; returns rows per table."""
    scratch = Journal(":memory:")
    try:
        tables = validate(read_export(path), table_schema(scratch), path.name)
    finally:
        scratch.close()
    return {name: len(tables.get(name, [])) for name in TABLES}


def read_export(path: Path) -> Any:
    """The parsed JSON (any shape: the checks that follow judge it), refused with a plain
    message before any heavy work when it is not a regular file, larger than any journal
    export, not UTF-8 or not JSON."""
    try:
        raw = read_limited(path, MAX_FILE_BYTES)
    except FileNotFoundError:
        raise ImportProblem(f"There is no file at {path}.") from None
    except FileTooLarge:
        raise ImportProblem(f"{path.name} is larger than {MAX_FILE_BYTES // 2**20} MB, far "
                            "larger than any Secure Base export (ten years of practice come "
                            "to about 20 MB), so it was not read. Nothing was changed.") from None
    except OSError as exc:
        raise ImportProblem(f"{path} could not be read: {exc.strerror or exc}.") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportProblem(f"{path.name} is not a text file, so it cannot be a Secure Base "
                            "export.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportProblem(f"{path.name} is not valid JSON (line {exc.lineno}, column "
                            f"{exc.colno}: {exc.msg}).") from None
    except RecursionError:
        raise ImportProblem(f"{path.name} is nested far more deeply than a Secure Base export "
                            "ever is, so it cannot be one. Nothing was changed.") from None
    return data


def table_schema(journal: Journal) -> dict[str, dict[str, Column]]:
    schema = {}
    for name in TABLES:
        rows = journal.db.execute(f"PRAGMA table_info([{name}])").fetchall()
        # (cid, name, type, notnull, default, pk)
        schema[name] = {r[1]: Column(r[1], r[2].upper(), bool(r[3] or r[5]), _literal(r[4]))
                        for r in rows}
    return schema


def validate(data: Any, schema: dict[str, dict[str, Column]], label: str
             ) -> dict[str, list[dict[str, Any]]]:
    """The tables of a well-formed export, or ImportProblem listing what is wrong."""
    problems: list[str] = []
    tables = _check_head(data, problems)
    if tables is not None:
        for name, rows in tables.items():
            _check_table(name, rows, schema, problems)
        if not problems:
            _check_references(tables, problems)
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        raise ImportProblem(f"{label} cannot be imported:\n  " + "\n  ".join(shown)
                            + (f"\n  … and {more} more." if more else ""))
    return tables or {}


def _check_head(data: Any, problems: list[str]) -> dict[str, Any] | None:
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        problems.append("it is not a Secure Base export (made with `securebase export "
                        "--format json`).")
        return None
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("schema_version: should be a whole number from 1 up.")
    elif version > SCHEMA_VERSION:
        problems.append(f"it was made by a newer Secure Base (journal version {version}; this "
                        f"one knows up to {SCHEMA_VERSION}). Update Secure Base, then import.")
    tables = data.get("tables")
    if not isinstance(tables, dict):
        problems.append("tables: missing, or not an object of table name → rows.")
        return None
    for name in tables:
        if name not in TABLES:
            problems.append(f"tables.{name}: not a journal table (expected: "
                            f"{', '.join(TABLES)}).")
    return None if problems else tables


def _check_table(name: str, rows: Any, schema: dict[str, dict[str, Column]],
                 problems: list[str]) -> None:
    if not isinstance(rows, list):
        problems.append(f"tables.{name}: should be a list of rows.")
        return
    columns = schema[name]
    key = "key" if name == "settings" else "id"
    seen: set[Any] = set()
    for index, row in enumerate(rows):
        where = f"tables.{name}[{index}]"
        if not isinstance(row, dict):
            problems.append(f"{where}: should be an object of column → value.")
            continue
        for column in row.keys() - columns.keys():
            problems.append(f"{where}.{column}: not a column of {name}.")
        typed = len(problems)
        for column in columns.values():
            _check_value(row.get(column.name), column, f"{where}.{column.name}", problems)
        reported = {p.split(": ")[0] for p in problems[typed:]}
        for column, message in row_problems(name, row):      # the journal's own rules
            if f"{where}.{column}" not in reported:
                problems.append(f"{where}.{column}: {message}.")
        ident = row.get(key)
        if isinstance(ident, (int, str)):       # anything else was reported as a bad type
            if ident in seen:
                problems.append(f"{where}.{key}: {ident!r} appears twice.")
            seen.add(ident)
        if len(problems) > MAX_PROBLEMS:
            return


def _check_value(value: Any, column: Column, where: str, problems: list[str]) -> None:
    if value is None:
        if column.required and column.default is None:
            problems.append(f"{where}: a value is required.")
        return
    ok = {"INTEGER": isinstance(value, int) and not isinstance(value, bool),
          "REAL": isinstance(value, (int, float)) and not isinstance(value, bool),
          "TEXT": isinstance(value, str)}.get(column.type, True)
    if not ok:
        problems.append(f"{where}: should be {_TYPE_NAMES.get(column.type, column.type)}, "
                        f"found {json.dumps(value, ensure_ascii=False)[:40]}.")


def _check_references(tables: dict[str, list[dict[str, Any]]], problems: list[str]) -> None:
    ids = {name: {row.get("id") for row in tables.get(name, [])} for name in ("parts",
                                                                             "sessions")}
    for (child, column), parent in REFERENCES.items():
        for index, row in enumerate(tables.get(child, [])):
            value = row.get(column)
            if value is not None and value not in ids[parent]:
                problems.append(f"tables.{child}[{index}].{column}: refers to {parent} id "
                                f"{value}, which is not in the file.")
                if len(problems) > MAX_PROBLEMS:
                    return


def _require_empty(journal: Journal) -> None:
    held = {name: journal.db[name].count for name in TABLES if name != "settings"}
    if any(held.values()):
        raise ImportProblem(
            f"This journal already holds records ({held['sessions']:,} sessions, "
            f"{held['parts']:,} parts), and an import only goes into an empty journal so "
            "nothing is mixed up or duplicated. Nothing was changed. To import anyway, use an "
            "empty journal (e.g. `--journal NEW.db`) or `securebase delete-all` first.")


def _insert(journal: Journal, name: str, columns: dict[str, Column],
            rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    names = list(columns)
    verb = "INSERT OR REPLACE" if name == "settings" else "INSERT"
    sql = (f"{verb} INTO [{name}] ({', '.join(f'[{n}]' for n in names)}) "
           f"VALUES ({', '.join('?' for _ in names)})")
    journal.db.conn.executemany(sql, [
        [row[n] if n in row else columns[n].default for n in names] for row in rows])


def _literal(default: str | None) -> Any:
    """A column default from PRAGMA table_info (SQL text) as a Python value."""
    if default is None:
        return None
    if default.startswith("'") and default.endswith("'"):
        return default[1:-1].replace("''", "'")
    for convert in (int, float):
        try:
            return convert(default)
        except ValueError:
            continue
    return None
