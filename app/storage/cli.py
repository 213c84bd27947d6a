"""`securebase export | import | demo-data | delete-all | doctor`: the journal from a terminal.

Exit codes: 0 done, 1 refused or failed (one plain message on stderr), 2 wrong usage (argparse).
Never a traceback: the people running these are looking after their records, not debugging.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from app import paths
from app.storage.errors import JournalError

if TYPE_CHECKING:
    from app.storage.journal import Journal

MAX_DEMO_YEARS = 30
# Export formats drawn outside storage: the PDF report needs Qt, which storage never imports,
# so app/ui/report/cli.py registers it here. fn(journal, out, start, end) -> summary line.
EXTRA_EXPORTERS: dict[str, Callable[..., str]] = {}


def register_exporter(fmt: str, fn: Callable[..., str]) -> None:
    EXTRA_EXPORTERS[fmt] = fn


def add_commands(subparsers: Any) -> None:
    """Register the journal commands on the app's argparse subparsers."""
    export = subparsers.add_parser(
        "export", help="save your journal as CSV (spreadsheet), JSON (everything) or PDF "
                       "(a report for your therapist)",
        description="Export the journal. CSV: one file per table, in a folder or a .zip. "
                    "JSON: everything, and can be imported again. PDF: a printable report "
                    "(charts, sessions, body map, parts) for your therapist.")
    export.add_argument("--format", required=True, choices=("csv", "json", "pdf"))
    export.add_argument("--out", required=True, type=Path, metavar="PATH",
                        help="a .json or .pdf file, or for CSV a folder or a .zip file")
    export.add_argument("--from", dest="start", type=_day, metavar="YYYY-MM-DD",
                        help="only sessions from this day on")
    export.add_argument("--to", dest="end", type=_day, metavar="YYYY-MM-DD",
                        help="only sessions up to and including this day")
    _journal_option(export)
    export.set_defaults(func=_safely(run_export))

    imp = subparsers.add_parser("import", help="bring a JSON export into an empty journal")
    imp.add_argument("file", type=Path, metavar="FILE.json")
    _journal_option(imp)
    imp.set_defaults(func=_safely(run_import))

    demo = subparsers.add_parser(
        "demo-data", help="fill a journal with made-up practice records (screenshots, tests)",
        description="Fill a journal with plausible made-up records. Meant for a separate "
                    "place: set SECUREBASE_HOME or pass --journal.")
    demo.add_argument("--years", type=float, default=1.0, metavar="N")
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--force", action="store_true",
                      help="add demo records even to a journal that already has sessions")
    _journal_option(demo)
    demo.set_defaults(func=_safely(run_demo))

    delete = subparsers.add_parser(
        "delete-all",
        help="delete your journal, its backups, recordings, audio, caches, preferences and log")
    delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    delete.add_argument("--include-scripts", action="store_true",
                        help="also delete the practice scripts you wrote yourself")
    delete.set_defaults(func=_safely(run_delete_all))

    doctor = subparsers.add_parser(
        "doctor", help="check your journal, its safety copies and the privacy of your data",
        description="Check the journal (integrity, what it holds, its working file), the "
                    "safety copies (dates, what each holds, which one would be brought back) "
                    "and who can open the files in your data folder. Changes nothing. "
                    "Exit status 1 when something needs attention.")
    doctor.set_defaults(func=_safely(run_doctor))


def _journal_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--journal", type=Path, metavar="PATH",
                        help="use this journal file instead of your own")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-03-04") from None


def _safely(command: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Every failure becomes one plain line and exit code 1."""
    def run(args: argparse.Namespace) -> int:
        try:
            return command(args)
        except JournalError as exc:
            return _fail(str(exc))
        except OSError as exc:
            return _fail(f"{exc.strerror or exc}{f' ({exc.filename})' if exc.filename else ''}.")
        except Exception as exc:  # noqa: BLE001 - last resort: a message, not a traceback
            return _fail(f"Something unexpected went wrong ({type(exc).__name__}: {exc}). "
                         "Your journal has not been changed by this command.")
    run.__name__ = command.__name__
    return run


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    return 1


# -- commands ----------------------------------------------------------------------------------

def run_export(args: argparse.Namespace) -> int:
    from app.storage.export import DateRange, export_csv, export_json

    if args.format == "pdf" and "pdf" not in EXTRA_EXPORTERS:
        return _fail("PDF export is not available yet. Use --format csv or --format json.")
    if args.start and args.end and args.start > args.end:
        return _fail("--from is after --to; nothing to export.")
    path = args.journal or paths.journal_file()
    if not path.exists():
        return _fail(f"There is no journal at {path} yet, so there is nothing to export.")
    journal = _open_to_read(path, own=args.journal is None)
    try:
        if args.format in EXTRA_EXPORTERS:
            print(EXTRA_EXPORTERS[args.format](journal, args.out, args.start, args.end))
            return 0
        span = DateRange(args.start, args.end)
        exporter = export_json if args.format == "json" else export_csv
        print(exporter(journal, args.out, span).summary())
    finally:
        journal.close()
    return 0


def run_import(args: argparse.Namespace) -> int:
    from app.storage.importer import check_file, import_json

    check_file(args.file)               # a bad file is reported before any journal is made
    with _journal_to_change(args.journal) as journal:
        counts = import_json(journal, args.file)
    print(f"Imported {counts['sessions']:,} sessions, {counts['checkins']:,} check-ins, "
          f"{counts['body_marks']:,} body marks and {counts['parts']:,} parts.")
    return 0


def run_demo(args: argparse.Namespace) -> int:
    from app.storage.demo import fill_demo

    if not 0 < args.years <= MAX_DEMO_YEARS:
        return _fail(f"--years must be more than 0 and at most {MAX_DEMO_YEARS}.")
    if args.journal is None and not os.environ.get("SECUREBASE_HOME"):
        return _fail("Demo records would go into your own journal. Set SECUREBASE_HOME to a "
                     "separate folder (e.g. SECUREBASE_HOME=/tmp/securebase-demo) or pass "
                     "--journal PATH. Nothing was changed.")
    with _journal_to_change(args.journal) as journal:
        held = journal.db["sessions"].count
        if held and not args.force:
            return _fail(f"This journal already has {held:,} sessions; demo records were "
                         "not added. Use --force to add them anyway.")
        counts = fill_demo(journal, args.years, args.seed)
    print(f"Added {counts['sessions']:,} sessions, {counts['body_marks']:,} body marks and "
          f"{counts['parts']} parts to {journal.path}.")
    return 0


def run_delete_all(args: argparse.Namespace) -> int:
    from app.storage.wipe import delete_everything

    home = paths.data_dir()
    if not args.yes:
        print(f"This deletes your journal, its backups, your recordings, rendered audio, "
              f"caches, preferences and the log in {home}. It cannot be undone.\n"
              "Type delete to go ahead: ",
              end="", flush=True)
        answer = sys.stdin.readline().strip().lower()
        if answer != "delete":
            print("Nothing was deleted.")
            return 1
    with _exclusive(None):
        report = delete_everything(include_scripts=args.include_scripts)
    print(f"Deleted {len(report.removed)} item{'s' if len(report.removed) != 1 else ''}. "
          "Secure Base will start as new.")
    return 0


def run_doctor(args: argparse.Namespace) -> int:
    from app.storage.doctor import examine

    report = examine()
    print(report.text())
    return 1 if report.attention else 0


# -- helpers -----------------------------------------------------------------------------------

@contextlib.contextmanager
def _journal_to_change(journal_arg: Path | None) -> Iterator["Journal"]:
    """The journal a command writes to: locked against the window, checked, closed after."""
    with _exclusive(journal_arg):
        journal = _open(journal_arg or paths.journal_file())
        try:
            yield journal
        finally:
            journal.close()


def _open(path: Path) -> "Journal":
    """The journal, checked first (read-only) so a damaged file is left exactly as it is."""
    from app.storage.journal import Journal

    _open_checked(path)
    return Journal(path)


def _open_to_read(path: Path, own: bool) -> "Journal":
    """An in-memory snapshot for exports: never writes to the file. Your own journal, when
    empty beside backups that hold records, is refused: the window brings the backup back."""
    from app.storage.journal import Journal
    from app.storage.recovery import needs_restore

    if own and needs_restore(path) in ("empty", "missing"):
        from app.storage.backup import best_backup
        best = best_backup()
        held = best.content.sessions if best and best.content else 0
        raise JournalError(
            f"Your journal file ({path}) is empty, but your safety copy from "
            f"{best.label if best else 'an earlier day'} holds {held:,} "
            f"session{'s' if held != 1 else ''}. Open Secure Base once: it brings that copy "
            "back. Then export again. Nothing was changed.", "corrupt")
    _open_checked(path)
    return Journal.snapshot(path)


def _open_checked(path: Path) -> None:
    from app.storage.recovery import check_integrity

    if path.is_dir():
        raise JournalError(f"{path} is a folder, not a journal file, so nothing was done. Open "
                           "Secure Base once: it moves that folder aside (keeping everything "
                           "in it) and starts from your latest safety copy. Then try again.",
                           "corrupt")
    if check_integrity(path) is not None:
        raise JournalError(f"The journal file ({path}) is damaged, so nothing was done. Open "
                           "Secure Base once: it sets the damaged file aside and restores the "
                           "latest backup. Then try again.", "corrupt")


def held_by(holder: str | None) -> str:
    """Why the journal cannot be changed now, naming what holds it."""
    from app.storage.instance import COMMAND, WINDOW
    if holder == WINDOW:
        return ("Secure Base is open in a window. Close it first, then try again; nothing has "
                "been changed.")
    if holder == COMMAND:
        return ("Another Secure Base command (an import, demo data or delete-all) is changing "
                "your journal right now. Let it finish, then try again; nothing has been "
                "changed.")
    return ("Secure Base is busy with your journal (in a window or another command). Try "
            "again when it has finished; nothing has been changed.")


class _exclusive:
    """Hold the single-instance lock while changing the person's own journal, so the window
    and a command never write over each other. A separate --journal needs no lock."""

    def __init__(self, journal: Path | None):
        self.lock = None
        if journal is None:
            from app.storage.instance import InstanceLock
            self.lock = InstanceLock()

    def __enter__(self) -> "_exclusive":
        from app.storage.instance import COMMAND
        if self.lock is not None and not self.lock.acquire(COMMAND):
            raise JournalError(held_by(self.lock.holder()), "locked")
        return self

    def __exit__(self, *exc: object) -> None:
        if self.lock is not None:
            self.lock.release()
