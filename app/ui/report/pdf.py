"""A printable report for a therapist: the range, key figures, charts, the body heat map,
every session with before/after and notes, and the parts list. A4, at least 10 pt.

QPdfWriter + QPainter only (no widgets), so it runs on a worker thread from the window and
under a bare QGuiApplication from `securebase export --format pdf`. It lives in app/ui, not
app/qt, because it shares the palette and the body drawing (app/ui/body/paint.py) with the
views. The PDF is built in memory and written atomically, owner-only, like every export.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter

from app.core import body
from app.core import progress_text as words
from app.core.records import Part
from app.core.trends import SessionShift, Span, long_date, span_for
from app.storage.export import guard_output, write_atomically
from app.storage.queries import Progress, Readable, active_parts, first_day, load_progress
from app.ui.body.paint import paint_body
from app.ui.report.charts import paint_energy, paint_intensity, paint_sessions, paint_shift
from app.ui.report.layout import (
    MUTED, Block, Boxed, Columns, Figures, Heading, Ink, PageBreak, Row, Table, Text, paginate,
)
from app.ui.common.theme import LIGHT

TITLE = "Secure Base — practice report"
PRIVACY = ("Private. This report holds personal notes from a practice journal. It was made on "
           "this computer and was not sent anywhere. Please keep it safe and share it only "
           "with people chosen by its owner, such as their therapist.")
READING = ("Intensity is how strong a feeling was, from 0 to 10, just before and just after a "
           "practice. Self-energy is the average of the eight C's the person rated (calm, "
           "curiosity, compassion, clarity, confidence, courage, creativity, connectedness).")
CONTENTS = "Sessions begin on page 0; parts on page 0."
OUTCOME_WORDS = {"stopped_early": "stopped early", "grounded": "ended with grounding",
                 None: "not finished"}
DPI = 300
MARGIN_MM = (18.0, 16.0, 18.0, 14.0)                  # left, top, right, bottom
# The month is in the heading above each month's rows, so "When" needs only day and time.
SESSION_COLUMNS = Columns(["When", "Practice", "Intensity", "Change", "Notes"],
                          [0.17, 0.30, 0.12, 0.11, 0.30])


@dataclass(frozen=True)
class Report:
    progress: Progress                                 # with every session of the range
    parts: list[Part]
    made: datetime


def gather(readable: Readable, span: Span) -> Report:
    progress = load_progress(readable, span, with_sessions=True)
    return Report(progress, active_parts(readable), datetime.now().astimezone())


# -- blocks that are not plain text ----------------------------------------------------------

@dataclass
class Drawing:
    """A fixed-height picture painted by a function (the charts)."""
    paint_fn: Callable[[Ink, QPainter, QRectF, Progress], None]
    progress: Progress
    height_mm: float = 62.0
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        return ink.mm(self.height_mm + 4)

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        self.paint_fn(ink, p, QRectF(rect.left(), rect.top(), rect.width(),
                                     ink.mm(self.height_mm)), self.progress)


@dataclass
class SideBySide:
    """Two drawings in one row, each half the width (the smaller charts)."""
    left: Drawing
    right: Drawing
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        return max(self.left.height(ink, width), self.right.height(ink, width))

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        half = (rect.width() - ink.mm(8)) / 2
        self.left.paint(ink, p, QRectF(rect.left(), rect.top(), half, rect.height()))
        self.right.paint(ink, p, QRectF(rect.right() - half, rect.top(), half,
                                        rect.height()))


@dataclass
class HeatMap:
    """The body map's figures with the range's heat, and the most-marked areas beside."""
    progress: Progress
    height_mm: float = 88.0
    keep_with_next: bool = False

    def height(self, ink: Ink, width: float) -> float:
        return ink.mm(self.height_mm + 4)

    def paint(self, ink: Ink, p: QPainter, rect: QRectF) -> None:
        figure = QRectF(rect.left(), rect.top(), rect.width() * 0.5, ink.mm(self.height_mm))
        p.setFont(ink.fonts["small"])
        paint_body(p, figure, {k: h.heat for k, h in self.progress.heat.items()}, LIGHT,
                   caption_px=ink.line("small") * 1.6, line_scale=ink.dpi / 96)
        left = rect.left() + rect.width() * 0.53
        top = rect.top()
        width = rect.right() - left
        lines = [words.region_sentence(r) for r in self.progress.regions[:8]] or [
            "No body marks in this range."]
        ink.draw_text(p, QRectF(left, top, width, ink.line("h2")), "h2", "Most noticed areas")
        top += ink.line("h2") + ink.mm(2)
        for line in lines:
            h = ink.text_height("small", line, width)
            ink.draw_text(p, QRectF(left, top, width, h + 1), "small", line)
            top += h + ink.mm(1.8)


# -- the report's content --------------------------------------------------------------------

def blocks(report: Report) -> list[Block | Table]:
    progress, s = report.progress, report.progress.summary
    out: list[Block | Table] = [
        Text(TITLE, "title", after_mm=3),
        Text(f"Range: {progress.span.label()}", "h2", after_mm=1),
        Text(f"Made on {long_date(report.made.date())}", "body", MUTED, after_mm=4),
        Boxed(PRIVACY),
        Heading("Summary"),
        Text(" ".join((words.sessions_sentence(s), words.shift_sentence(s),
                       words.energy_sentence(s)))),
        Figures(_figures(progress)),
        Text(READING, "small", MUTED, after_mm=1),
        Text(CONTENTS, "small", MUTED, after_mm=3),      # page numbers filled in later
    ]
    if progress.sessions:
        out += [Heading("How intensity shifted"),
                Drawing(paint_intensity, progress), Drawing(paint_shift, progress),
                Heading("Practice and Self-energy"),
                SideBySide(Drawing(paint_sessions, progress, 52),
                           Drawing(paint_energy, progress, 52))]
    out += [Heading("Where it was felt in the body"),
            Text("Shaded by how often and how strongly each area was marked in this range.",
                 "small", MUTED, keep_with_next=True), HeatMap(progress)]
    out += [PageBreak(), Heading("Sessions", before_mm=0), _sessions_table(progress)]
    out += [PageBreak(), Heading("Parts", before_mm=0)] + _parts(report.parts)
    return out


def _figures(progress: Progress) -> list[tuple[str, str]]:
    s = progress.summary
    items = [(f"{s.sessions:,}", f"sessions on {words.plural(s.active_days, 'day')}")]
    if s.before is not None and s.after is not None and s.shift is not None:
        items += [(f"{words.number(s.before)} → {words.number(s.after)}",
                   "intensity before → after, on average"),
                  (words.number(s.shift), "average change (after − before)")]
    if s.self_energy is not None:
        items.append((words.number(s.self_energy), "Self-energy, of 10"))
    return items


def _sessions_table(progress: Progress) -> Table | Block:
    if not progress.sessions:
        return Text("No sessions in this range.", "body", MUTED)
    header = Row(SESSION_COLUMNS, [[(t, "small_bold", "#1d2424")] for t in
                                   SESSION_COLUMNS.titles], header=True)
    rows: list[Row | Text] = []
    month, continued = None, None
    for n, s in enumerate(progress.sessions):
        if s.started_at[:7] != month:
            month = s.started_at[:7]
            heading = _month_heading(progress.sessions, month)
            rows.append(heading)
            continued = Text(heading.text.split(" · ")[0] + " (continued)", "bold",
                             before_mm=1, after_mm=1)
        rows.append(Row(SESSION_COLUMNS, _session_cells(s), shaded=n % 2 == 1,
                        group=continued))
    if len(rows) > 2:
        rows[-2].keep_with_next = True      # never one lonely row on a page of its own
    return Table(header, list(rows))


def _month_heading(sessions: list[SessionShift], month: str) -> Text:
    inside = [s for s in sessions if s.started_at.startswith(month)]
    paired = [s for s in inside if s.shift is not None]
    year, number = int(month[:4]), int(month[5:7])
    text = f"{calendar.month_name[number]} {year} · {words.plural(len(inside), 'session')}"
    if paired:
        before = sum(s.before for s in paired) / len(paired)  # type: ignore[misc]
        after = sum(s.after for s in paired) / len(paired)  # type: ignore[misc]
        text += f" · average {words.number(before)} → {words.number(after)}"
    return Text(text, "bold", before_mm=3, after_mm=1, keep_with_next=True)


def _session_cells(s: SessionShift) -> list[list[tuple[str, str, str]]]:
    moment = datetime.fromisoformat(s.started_at)
    when = f"{calendar.day_abbr[moment.weekday()]} {moment.day} · {moment:%H:%M}"
    outcome = "" if s.outcome == "completed" else OUTCOME_WORDS.get(s.outcome, s.outcome or "")
    pair = f"{_value(s.before)} → {_value(s.after)}"
    change = words.number(s.shift, 0) if s.shift is not None else "–"
    return [[(when, "small", "#1d2424")],
            [(s.practice_title, "small", "#1d2424"), (outcome, "small", MUTED)],
            [(pair, "small", "#1d2424")], [(change, "small", "#1d2424")],
            [(s.note, "small", "#1d2424")]]


def _value(value: int | None) -> str:
    return "–" if value is None else str(value)


def _parts(parts: list[Part]) -> list[Block | Table]:
    if not parts:
        return [Text("No parts have been described yet.", "body", MUTED)]
    out: list[Block | Table] = []
    for part in parts:
        out.append(Text(f"{part.name} · {part.role.capitalize()}", "h2", before_mm=3, after_mm=1,
                        keep_with_next=True))
        where = ", ".join(body.label(r.strip()) for r in part.where_felt.split(",") if r.strip())
        for name, value in (("Felt in", where), ("Feels about this age", part.felt_age),
                            ("What it does", part.does), ("What it fears", part.fears),
                            ("What it wants", part.wants), ("Notes", part.notes)):
            if value:
                out.append(Text(f"{name}: {value}", "body", after_mm=0.8))
    return out


# -- writing ---------------------------------------------------------------------------------

def render(report: Report) -> tuple[bytes, int]:
    """The whole PDF in memory, and its page count."""
    if QGuiApplication.instance() is None:          # fonts would abort the process instead
        raise RuntimeError("the PDF report needs a QGuiApplication (offscreen is fine)")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(DPI)
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(*MARGIN_MM), QPageLayout.Unit.Millimeter)
    writer.setTitle(f"{TITLE}: {report.progress.span.label()}")
    writer.setCreator("Secure Base")
    ink = Ink(writer, DPI)
    area = writer.pageLayout().paintRectPixels(DPI)
    footer = ink.line("small") + ink.mm(4)
    content = blocks(report)
    pages = paginate(content, ink, area.width(), area.height() - footer)
    _fill_contents(content, pages)
    p = QPainter(writer)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    for number, page in enumerate(pages, start=1):
        if number > 1:
            writer.newPage()
        for block, top, height in page:
            block.paint(ink, p, QRectF(0, top, area.width(), height))
        _footer(ink, p, report, QRectF(0, area.height() - ink.line("small"), area.width(),
                                       ink.line("small")), number, len(pages))
    p.end()
    buffer.close()
    return bytes(data.data()), len(pages)


def _fill_contents(content: list, pages: list) -> None:
    """Name the pages where sessions and parts begin (one line, so the layout holds)."""
    starts = {block.text: n for n, page in enumerate(pages, start=1) for block, _, _ in page
              if isinstance(block, Heading)}
    for block in content:
        if isinstance(block, Text) and block.text == CONTENTS:
            block.text = (f"Sessions begin on page {starts.get('Sessions', '–')}; "
                          f"parts on page {starts.get('Parts', '–')}.")


def _footer(ink: Ink, p: QPainter, report: Report, rect: QRectF, number: int,
            total: int) -> None:
    ink.draw_text(p, rect, "small", f"Secure Base · private · {report.progress.span.label()}",
                  MUTED)
    ink.draw_text(p, rect, "small", f"Page {number} of {total}", MUTED,
                  Qt.AlignmentFlag.AlignRight)


def export_report(readable: Readable, out: Path, span: Span) -> str:
    """Gather, render and save; returns a sentence saying what was saved where."""
    guard_output(readable.path, out, folder_ok=False)   # before any work, and in every caller
    report = gather(readable, span)
    data, pages = render(report)
    write_atomically(out, data)
    return (f"Saved the report for {span.label()} to {out} "
            f"({words.plural(pages, 'page')}, "
            f"{words.plural(report.progress.summary.sessions, 'session')}).")


def span_from_args(readable: Readable, start: date | None, end: date | None,
                   today: date | None = None) -> Span:
    """--from/--to as a range: from the first record and up to today when left out."""
    today = today or date.today()
    first = start or first_day(readable) or today
    return span_for("custom", today, custom=(first, end or max(today, first)))
