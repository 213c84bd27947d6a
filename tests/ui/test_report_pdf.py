"""The PDF report: A4 pages, page numbers, the range, a privacy note, sessions with notes,
the parts list — read back as text with QtPdf (PySide6-Addons, no system package)."""
from __future__ import annotations

import argparse
import math
import re
import zlib
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtPdf import QPdfDocument

from app.core.records import Part
from app.core.trends import Span
from app.storage import cli
from app.storage.demo import fill_demo
from app.ui.report import cli as report_cli
from app.qt import progress_reads
from app.qt.progress_reads import gather, span_from_args
from app.ui.report.pdf import render


def export_report(readable, out: Path, span: Span) -> str:
    """What the window and the command line do: gather, draw (app/ui), save (storage)."""
    return progress_reads.export_report(readable, out, span, render)

END = date(2026, 3, 4)
SPAN = Span(date(2026, 2, 1), END)


def read_pdf(path: Path) -> tuple[int, list[str], QPdfDocument]:
    doc = QPdfDocument()
    assert doc.load(str(path)) == QPdfDocument.Error.None_
    texts = [doc.getAllText(n).text() for n in range(doc.pageCount())]
    return doc.pageCount(), texts, doc


@pytest.fixture(autouse=True)
def gui(qapp):
    """Fonts need a QGuiApplication (the CLI makes an offscreen one; tests share qapp)."""
    return qapp


@pytest.fixture
def demo(journal):
    fill_demo(journal, years=0.25, seed=5, end=END)
    return journal


def test_the_report_has_pages_and_the_expected_text(demo, tmp_path):
    out = tmp_path / "report.pdf"
    message = export_report(demo, out, SPAN)
    pages, texts, doc = read_pdf(out)
    assert pages >= 2 and f"{pages} pages" in message
    whole = "\n".join(texts)
    for expected in ("Secure Base — practice report", "1 February 2026 – 4 March 2026",
                     "Private.", "Summary", "Intensity before and after practice",
                     "Where it was felt in the body", "Most noticed areas", "Sessions",
                     "Parts", "Little One", "February 2026", "March 2026"):
        assert expected in whole, expected
    for n, text in enumerate(texts, start=1):
        assert f"Page {n} of {pages}" in text
    size = doc.pagePointSize(0)
    assert (round(size.width()), round(size.height())) == (595, 842)        # A4


def test_every_session_of_the_range_is_listed_with_its_notes(demo, tmp_path):
    report = gather(demo, SPAN)
    noted = [s for s in report.progress.sessions if s.note]
    assert report.progress.sessions and noted
    out = tmp_path / "report.pdf"
    export_report(demo, out, SPAN)
    whole = " ".join(" ".join(read_pdf(out)[1]).split())      # wrapped lines rejoined
    assert whole.count("→") >= len(report.progress.sessions)
    assert noted[0].note.split()[0] in whole


def test_the_first_page_says_where_sessions_and_parts_begin(demo, tmp_path):
    data, pages = render(gather(demo, SPAN))
    out = tmp_path / "contents.pdf"
    out.write_bytes(data)
    _, texts, _ = read_pdf(out)
    match = re.search(r"Sessions begin on page (\d+); parts on page (\d+)\.", texts[0])
    assert match, texts[0]
    sessions, parts = (int(n) for n in match.groups())
    assert texts[sessions - 1].lstrip().startswith("Sessions")
    assert texts[parts - 1].lstrip().startswith("Parts") and parts == pages


def test_an_empty_journal_still_makes_a_kind_report(journal, tmp_path):
    out = tmp_path / "empty.pdf"
    export_report(journal, out, Span(END, END))
    pages, texts, _ = read_pdf(out)
    whole = "\n".join(texts)
    assert pages >= 2
    assert "No sessions in this range." in whole
    assert "No parts have been described yet." in whole


def test_parts_are_listed_with_what_is_known(journal, tmp_path):
    journal.add_part(Part(name="The Guard", role="manager", fears="being seen",
                          where_felt="throat,jaw"))
    journal.add_part(Part(name="Retired", archived=True))
    out = tmp_path / "parts.pdf"
    export_report(journal, out, Span(END, END))
    whole = "\n".join(read_pdf(out)[1])
    assert "The Guard · Manager" in whole and "What it fears: being seen" in whole
    assert "Throat" in whole and "Retired" not in whole


def printed_text_sizes(pdf: bytes) -> list[float]:
    """The size, in points on paper, of every run of text drawn in the PDF: the font size
    (Tf) scaled by the page's transform (cm, kept across q/Q) and the text matrix (Tm)."""
    sizes: list[float] = []
    for raw in re.findall(rb"stream\r?\n(.*?)endstream", pdf, re.S):
        try:
            ops = zlib.decompress(raw).decode("latin-1")
        except zlib.error:
            continue                                   # fonts and images, not page content
        ctm, stack, font, text = 1.0, [], 0.0, 1.0
        operands: list[str] = []
        for token in re.findall(r"<[^>]*>|\([^)]*\)|\[[^\]]*\]|/?[^\s<(\[/]+", ops):
            if token == "q":
                stack.append(ctm)
            elif token == "Q":
                ctm = stack.pop() if stack else 1.0
            elif token in ("cm", "Tm"):
                a, b, c, d = (float(x) for x in operands[-6:-2])
                scale = math.sqrt(abs(a * d - b * c))
                if token == "cm":
                    ctm *= scale
                else:
                    text = scale
            elif token == "Tf":
                font = float(operands[-1])
            elif token in ("Tj", "TJ", "'", '"'):
                sizes.append(font * text * ctm)
            if re.fullmatch(r"[-+]?[\d.]+", token) or token[0] in "/<([":
                operands.append(token)
            else:
                operands = []
    return sizes


def test_the_file_is_private_and_text_is_never_below_ten_points(demo, tmp_path):
    out = tmp_path / "private.pdf"
    export_report(demo, out, SPAN)
    assert out.stat().st_mode & 0o777 == 0o600
    sizes = printed_text_sizes(out.read_bytes())
    assert len(sizes) > 100                            # the whole report, read from the file
    assert min(sizes) >= 9.95, sorted(set(round(x, 1) for x in sizes))
    assert max(sizes) < 30


def test_a_range_from_the_command_line(demo):
    assert span_from_args(demo, None, None, today=END).start == date(2025, 12, 4)
    assert span_from_args(demo, date(2026, 2, 1), None, today=END) == SPAN
    assert span_from_args(demo, None, date(2026, 1, 31), today=END).end == date(2026, 1, 31)


def test_securebase_export_format_pdf(demo, tmp_path, capsys):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    cli.add_commands(sub)
    report_cli.add_commands(sub)          # what app/__main__.py does for app.ui.report.cli
    out = tmp_path / "cli.pdf"
    args = parser.parse_args(["export", "--format", "pdf", "--out", str(out), "--journal",
                              str(demo.path), "--from", "2026-02-01", "--to", "2026-03-04"])
    assert args.func(args) == 0
    assert "Saved the report for 1 February 2026 – 4 March 2026" in capsys.readouterr().out
    pages, texts, _ = read_pdf(out)
    assert pages >= 2 and "Page 1 of" in texts[0]


def test_the_command_refuses_to_overwrite_the_journal(demo, capsys):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers()
    cli.add_commands(sub)
    report_cli.add_commands(sub)
    args = parser.parse_args(["export", "--format", "pdf", "--out", str(demo.path),
                              "--journal", str(demo.path)])
    assert args.func(args) == 1
    assert "journal itself" in capsys.readouterr().err


def test_the_report_from_the_window_refuses_pipes_and_backups(demo, tmp_path):
    """The window calls export_report directly: it guards the target itself (issue 15, 7)."""
    import os
    import stat

    from app.storage.backup import daily_backup
    from app.storage.errors import JournalError
    pipe = tmp_path / "report.pdf"
    os.mkfifo(pipe, 0o600)
    with pytest.raises(JournalError, match="not a regular file"):
        export_report(demo, pipe, SPAN)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode)
    backup = daily_backup(demo.path, today=END)
    kept = backup.read_bytes()
    with pytest.raises(JournalError, match="holds a journal"):
        export_report(demo, backup, SPAN)
    assert backup.read_bytes() == kept


def test_pdf_export_from_the_command_line(tmp_path):
    """`securebase export --format pdf` draws the report with a window-less Qt."""
    import os
    import subprocess
    import sys
    env = {**os.environ, "SECUREBASE_HOME": str(tmp_path / "home")}
    env.pop("DISPLAY", None)
    demo = subprocess.run([sys.executable, "-m", "app", "demo-data", "--years", "0.1"], env=env,
                          capture_output=True, text=True, timeout=120)
    assert demo.returncode == 0, demo.stderr
    out = tmp_path / "report.pdf"
    result = subprocess.run([sys.executable, "-m", "app", "export", "--format", "pdf", "--out",
                             str(out)], env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Saved the report" in result.stdout and out.read_bytes()[:5] == b"%PDF-"


def test_sessions_with_unreadable_times_are_counted_never_dropped_silently(demo, tmp_path):
    """Journals imported before import checked every field may hold such rows (issue 15, 13)."""
    for started in ("not a date", "2026-02-10garbage"):
        demo.db.execute("INSERT INTO sessions (practice_id, practice_title, started_at) "
                        "VALUES ('x', 'X', ?)", (started,))
    out = tmp_path / "report.pdf"
    message = export_report(demo, out, SPAN)
    assert "2 sessions could not be placed in time" in message
    _, texts, _ = read_pdf(out)
    assert "2 sessions could not be placed in time" in " ".join(texts).replace("\n", " ")


def test_a_huge_note_is_shortened_before_any_text_is_laid_out(journal, tmp_path, monkeypatch):
    """Qt's text layout is where a 5 MB note would cost (minutes of word wrapping): the note is
    shortened before any text reaches it, so no string measured or drawn is longer than the
    shortened note. Judged by what reaches the layout, not by a clock."""
    from app.ui.report import layout
    longest = [0]
    for name in ("text_height", "draw_text"):
        real = getattr(layout.Ink, name)

        def spy(self, *args, _real=real, **kwargs):
            longest[0] = max([longest[0], *(len(a) for a in args if isinstance(a, str))])
            return _real(self, *args, **kwargs)
        monkeypatch.setattr(layout.Ink, name, spy)
    session = journal.start_session("grounding", "Grounding")
    journal.db.execute("UPDATE sessions SET note = ?, started_at = ? WHERE id = ?",
                       ("calm " * 1_000_000, "2026-02-10T10:00:00+00:00", session))
    out = tmp_path / "report.pdf"
    export_report(journal, out, SPAN)
    pages, texts, _ = read_pdf(out)
    assert pages < 10 and "shortened here" in " ".join(texts).replace("\n", " ")
    assert 1_200 <= longest[0] < 1_300
