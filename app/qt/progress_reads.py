"""What the progress view and the PDF report read from the journal, as JournalService queries.

Each function here runs on a worker thread, given a read-only `Readable` by
`JournalService.query` (or the journal itself): the views pass them in and get plain records
back (app.core.progress_records), never touching app.storage themselves.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any
from collections.abc import Callable

from app.core import body
from app.core import progress_text as words
from app.core.progress_records import Progress, Report
from app.core.trends import Span, bucket_for, span_for


@dataclass(frozen=True)
class Loaded:
    preset: str
    progress: Progress | None          # None: a journal with nothing in it yet


def load(readable: Any, preset: str, custom: tuple[date, date] | None, today: date,
         with_streak: bool) -> Loaded:
    """Everything the progress page shows for one range."""
    from app.storage.queries import first_day, has_records, load_progress
    body.load_atlas()          # region names and shapes: parsed here, not on the GUI thread
    if not has_records(readable):
        return Loaded(preset, None)
    span = span_for(preset, today, first_day(readable), custom)  # type: ignore[arg-type]
    return Loaded(preset, load_progress(readable, span, with_sessions=bucket_for(span) == "day",
                                        with_streak=with_streak, today=today))


def gather(readable: Any, span: Span) -> Report:
    """Everything the PDF report holds for a range."""
    from app.storage.queries import active_parts, load_progress, unreadable_sessions
    progress = load_progress(readable, span, with_sessions=True)
    unreadable = set(unreadable_sessions(readable))
    if unreadable:                                     # never silently: counted and said
        progress = replace(progress, sessions=[s for s in progress.sessions
                                               if s.session_id not in unreadable])
    return Report(progress, active_parts(readable), datetime.now().astimezone(),
                  len(unreadable))


Render = Callable[[Report], tuple[bytes, int]]          # app.ui.report.pdf.render


def export_report(readable: Any, out: Path, span: Span, render: Render) -> str:
    """Gather, render (QPainter, no widgets: any thread) and save privately; returns a
    sentence saying what was saved where."""
    from app.storage.export import guard_output, write_atomically
    guard_output(readable.path, out, folder_ok=False)   # before any work, and in every caller
    report = gather(readable, span)
    data, pages = render(report)
    write_atomically(out, data)
    saved = (f"Saved the report for {span.label()} to {out} "
             f"({words.plural(pages, 'page')}, "
             f"{words.plural(report.progress.summary.sessions, 'session')}).")
    return saved + (f" {words.left_out_sentence(report.left_out)}" if report.left_out
                    else "")


def span_from_args(readable: Any, start: date | None, end: date | None,
                   today: date | None = None) -> Span:
    """--from/--to as a range: from the first record and up to today when left out."""
    from app.storage.queries import first_day
    today = today or date.today()
    first = start or first_day(readable) or today
    return span_for("custom", today, custom=(first, end or max(today, first)))


def export_file(journal: Any, kind: str, target: Path, render: Render) -> str:
    """Settings → Your data: everything as JSON, CSV tables in a zip, or the PDF report
    (on the journal thread: the exports read the journal itself)."""
    from app.storage.export import export_csv, export_json
    if kind == "json":
        return export_json(journal, target).summary()
    if kind == "csv":
        return export_csv(journal, target).summary()
    return export_report(journal, target, span_from_args(journal, None, None), render)


def register_pdf_command(export_pdf: Callable[..., str]) -> None:
    """`securebase export --format pdf`: storage may not import Qt, so the window's side
    plugs the PDF exporter into the journal commands."""
    from app.storage.cli import register_exporter
    register_exporter("pdf", export_pdf)
