"""Text from scripts, parts and notes is shown as plain text on every screen (issue 15, 10).

A script title `<img width=4000>` once filled the check-in screen. Here a script, two parts, a
session, check-ins and a body mark all carry `<b>MARK</b><img width=4000 …>`; every screen that
shows them is opened, and every label, tooltip and message box must show the markup as the
characters it is — never as bold text or a 4,000-pixel picture.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from app import paths
from app.core.records import BodyMark, CheckIn, Part, SessionRecord
from app.storage.script_files import load_all
from app.storage.journal import Journal
from app.storage.preferences import Preferences
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from tests.support.journal import close_context, settle

RAW = "<b>MARK"
MARK = "<b>MARK</b><img width=4000 height=4000 src=x>"
SCRIPT = f'''[practice]
id = "hostile"
title = "{MARK}"
summary = "{MARK}"
minutes = 1
tags = ["gentle"]
pacing = "{MARK}"

[[step]]
id = "arrive"
title = "{MARK}"
say = """
{MARK} Let yourself settle.
Notice your breath. {MARK}
"""
silence_after = 5
ask_body = true

[[step]]
id = "close"
title = "{MARK} close"
say = "Thank you. {MARK}"
silence_after = 5
'''
BROKEN = f'"{MARK}" = 1\n'          # its problem message quotes the key


def fill_journal(path: Path) -> None:
    journal = Journal(path)
    try:
        first = journal.add_part(Part(MARK, role="manager", does=MARK, fears=MARK, wants=MARK,
                                      felt_age=MARK, notes=MARK, where_felt="heart-area"))
        second = journal.add_part(Part(MARK + " 2", role="exile", notes=MARK))
        journal.link_parts(first, second, "protects")
        session = journal.start_session("hostile", MARK, part_id=first)
        journal.add_checkin(CheckIn("before", 4, note=MARK, session_id=session))
        journal.add_body_mark(BodyMark("front", "heart-area", 5, 0.5, 0.3, ("tight",),
                                       note=MARK, part_id=first, session_id=session))
        journal.add_checkin(CheckIn("after", 2, note=MARK, session_id=session))
        journal.end_session(session, "completed", MARK)
    finally:
        journal.close()


def offenders(root: QWidget) -> list[str]:
    """Labels that would render the markup, tooltips that hold it, and anything stretched
    by the picture."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        where = f"{type(widget).__name__}({widget.accessibleName() or widget.objectName()})"
        if isinstance(widget, QLabel) and RAW in widget.text() \
                and widget.textFormat() != Qt.TextFormat.PlainText:
            found.append(f"{where}: {widget.textFormat()} {widget.text()[:40]!r}")
        if RAW in widget.toolTip():
            found.append(f"{where} tooltip: {widget.toolTip()[:40]!r}")
        if isinstance(widget, QLabel) and widget.sizeHint().width() > 2000:
            found.append(f"{where}: {widget.sizeHint().width()} px wide")
    return found


def shown(root: QWidget) -> int:
    """How many labels show the marker at all (so a screen cannot pass by showing nothing)."""
    return sum("MARK" in w.text() for w in root.findChildren(QLabel) if w.isVisibleTo(root))


def check(root: QWidget, where: str, expect_shown: bool = True) -> None:
    QApplication.processEvents()
    assert offenders(root) == [], where
    if expect_shown:
        assert shown(root), f"{where}: the marker is not on screen, so nothing was tested"


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: False)
    (paths.user_scripts_dir() / "hostile.toml").write_text(SCRIPT, encoding="utf-8")
    (paths.user_scripts_dir() / "broken.toml").write_text(BROKEN, encoding="utf-8")
    journal_path = tmp_path / "j.db"
    fill_journal(journal_path)
    practices, broken = load_all()
    assert "hostile" in [p.id for p in practices] and broken
    context = AppContext(practices, broken, Preferences(), journal_path=str(journal_path))
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    yield win
    if win.session is not None:
        win.session.shutdown()
    if context._player is not None:
        from tests.support.factories import dispose
        dispose(context._player)
    close_context(context)


def test_a_practice_from_check_in_to_done(window, qtbot):
    check(window, "library", expect_shown=False)           # cards are painted as plain text
    window.start_practice(window.context.practice("hostile"), playback_rate=0.01)
    session = window.session
    session.audio.cancel()
    check(session, "check-in")
    session.checkin.go.click()
    check(session, "player")
    session.ground()
    check(session, "grounding", expect_shown=False)
    session.grounding_view.back.click()
    while session.runner.state.value != "check-out":
        session.runner.next_step()
    session.checkout.note.setPlainText(MARK)
    session.checkout.go.click()
    check(session, "done")


def test_the_parts_pages_and_the_editor(window, qtbot):
    window.show_page("parts")
    view = window.pages["parts"]
    settle(qtbot, window.context.journal, rounds=3)
    check(view, "parts list")
    part_id = view.current_id() or 1
    view.select(part_id)
    settle(qtbot, window.context.journal, rounds=3)
    check(view, "a part's page")
    editor = view.edit_part(part_id)
    assert editor is not None
    settle(qtbot, window.context.journal, rounds=2)
    check(editor, "part editor", expect_shown=False)
    editor.close()


def test_the_other_pages(window, qtbot):
    for key in ("body", "progress", "settings"):
        window.show_page(key)
        settle(qtbot, window.context.journal, rounds=3)
        page = window.pages[key]
        if key == "progress":
            qtbot.waitUntil(lambda: page.result is not None, timeout=10_000)
        check(page, key, expect_shown=False)
    window.show_about()
    check(window, "about", expect_shown=False)


def test_the_resume_question_is_plain(window, qtbot):
    seen: list[tuple] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        labels = [w for w in box.findChildren(QLabel) if RAW in w.text()]
        seen.append((box.textFormat(), [w.textFormat() for w in labels],
                     [w.sizeHint().width() for w in labels]))
        box.reject()

    QTimer.singleShot(0, answer)
    record = SessionRecord(1, "hostile", MARK, "2026-03-04T09:00:00+01:00",
                           current_step="arrive")
    window._ask_resume(record, None)
    [(box_format, formats, widths)] = seen
    assert box_format == Qt.TextFormat.PlainText and formats
    assert set(formats) == {Qt.TextFormat.PlainText} and max(widths) < 2000


def test_journal_notices_are_plain(window, qtbot):
    seen: list = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append(box.textFormat())
        box.accept()

    QTimer.singleShot(0, answer)
    window._on_journal_opened([f"The journal at /home/{MARK}/journal.db was restored."])
    assert seen == [Qt.TextFormat.PlainText]


def test_the_pdf_report_prints_the_characters(qapp, tmp_path):
    """The report draws with QPainter.drawText, which never reads markup: the characters
    themselves reach the page."""
    from app.qt.progress_reads import export_report, span_from_args
    from app.ui.report.pdf import render
    from tests.ui.test_report_pdf import read_pdf
    path = tmp_path / "j.db"
    fill_journal(path)
    journal = Journal(path)
    try:
        out = tmp_path / "report.pdf"
        export_report(journal, out, span_from_args(journal, None, None), render)
    finally:
        journal.close()
    _, texts, _ = read_pdf(out)
    assert " ".join(texts).count("<b>MARK</b><img width=4000") >= 3
