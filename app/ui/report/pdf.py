"""A printable report for a therapist: the range, key figures, charts, the body heat map,
every session with before/after and notes, and the parts list. A4, at least 10 pt.

QPdfWriter + QPainter only (no widgets), so it runs on a worker thread from the window and
under a bare QGuiApplication from `securebase export --format pdf`. It lives in app/ui, not
app/qt, because it shares the palette and the body drawing (app/ui/body/paint.py) with the
views. The PDF is built in memory here (`render`); app.qt.progress_reads gathers the records
and writes the file atomically, owner-only, like every export.
"""
from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPainter, QPdfWriter

from app.core import body
from app.core import progress_text as words
from app.core.records import Part
from app.core.progress_records import Report
from app.core.trends import long_date
from app.ui.report import sections
from app.ui.report.layout import (
    MUTED, Block, Boxed, Heading, Ink, PageBreak, Table, Text, paginate,
)

TITLE = "Secure Base — practice report"
PRIVACY = ("Private. This report holds personal notes from a practice journal. It was made on "
           "this computer and was not sent anywhere. Please keep it safe and share it only "
           "with people chosen by its owner, such as their therapist.")
READING = ("Intensity is how strong a feeling was, from 0 to 10, just before and just after a "
           f"practice. {words.EXCLUSIONS} Self-energy is the average of the eight C's the "
           "person rated (calm, curiosity, compassion, clarity, confidence, courage, "
           "creativity, connectedness).")
CONTENTS = "Sessions begin on page 0; parts on page 0."
DPI = 300
MARGIN_MM = (18.0, 16.0, 18.0, 14.0)                  # left, top, right, bottom


# -- the report's content --------------------------------------------------------------------

def blocks(report: Report) -> list[Block | Table]:
    progress = report.progress
    out: list[Block | Table] = [
        Text(TITLE, "title", after_mm=3),
        Text(f"Range: {progress.span.label()}", "h2", after_mm=1),
        Text(f"Made on {long_date(report.made.date())}", "body", MUTED, after_mm=4),
        Boxed(PRIVACY),
    ]
    out += sections.summary(progress)
    out += [Text(READING, "small", MUTED, after_mm=1),
            Text(CONTENTS, "small", MUTED, after_mm=3)]     # page numbers filled in later
    out += sections.charts(progress) + sections.body(progress)
    out += [PageBreak(), *sections.helps(progress)]
    out += [PageBreak(), Heading("Sessions", before_mm=0), *sections.sessions_table(progress)]
    if report.left_out:
        out.append(Text(words.left_out_sentence(report.left_out), "body", MUTED,
                        before_mm=2))
    out += [PageBreak(), Heading("Parts", before_mm=0), *_parts(report.parts)]
    return out


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
                out.append(Text(f"{name}: {sections.shorten(value)}", "body", after_mm=0.8))
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
