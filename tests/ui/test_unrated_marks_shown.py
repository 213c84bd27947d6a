"""Marks saved without a strength, as the progress view, the PDF and a part's page show them:
counted where they were felt, left out of every average, and said so in words."""
from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from app.core.progress import heat_shades
from app.core.records import BodyMark
from app.core.trends import span_for
from app.storage.journal import Journal
from app.storage.preferences import Preferences
from app.ui.common.theme import LIGHT, stylesheet
from app.ui.context import AppContext
from app.ui.progress.view import ProgressView
from tests.support.journal import close_context
from tests.support.known import THE_WEEK, TODAY, write
from tests.ui.test_report_truth import pdf_text

AT = f"{TODAY}T09:00:00+01:00"
UNRATED = (("front", "throat"), ("front", "throat"), ("front", "jaw"))


def add_unrated(journal: Journal) -> None:
    """THE_WEEK has throat at 6 and 5 and the upper back at 4; two unrated throat marks and
    one unrated jaw mark join them."""
    for view, region in UNRATED:
        journal.add_body_mark(BodyMark(view, region, at=AT))


@pytest.fixture
def view(qtbot, tmp_path):
    QApplication.instance().setStyleSheet(stylesheet(LIGHT))
    path = tmp_path / "journal.db"
    journal = Journal(path)
    write(journal, THE_WEEK)
    add_unrated(journal)
    journal.close()
    context = AppContext([], [], Preferences(), journal_path=str(path))
    shown = ProgressView(context, today=TODAY, preset="week")
    qtbot.addWidget(shown)
    shown.resize(1280, 900)
    with qtbot.waitSignal(shown.loaded, timeout=15_000):
        shown.show()
    yield shown
    close_context(context)


def test_the_progress_view_counts_unrated_marks_and_averages_the_rated(view):
    card = view.body_card
    table = card.table
    rows = {table.item(r, 0).text(): [table.item(r, c).text() for c in range(2, 4)]
            for r in range(table.rowCount())}
    assert rows["Throat"] == ["4", "5.5"]
    assert rows["Mouth and jaw"] == ["1", "not rated"]
    assert "6 marks, 3 rated" in card.caption.text()
    assert "Throat (front): 4 times, average 5.5 of 10 (2 of 4 rated)" in card.sentences.text()
    assert "Mouth and jaw (front): 1 time, strength not rated" in card.sentences.text()
    card.measure_buttons["intensity"].click()
    assert ("front", "jaw") not in heat_shades(card.heat, card.figure.key)
    assert ("front", "throat") in heat_shades(card.heat, card.figure.key)


def test_the_report_says_the_same(journal, tmp_path):
    write(journal, THE_WEEK)
    add_unrated(journal)
    _, whole = pdf_text(journal, tmp_path, span_for("week", TODAY))
    assert "6 marks, 3 rated" in whole
    assert "5.5 of 10 (2 of 4 rated)" in whole
    assert "strength not rated" in whole
    assert "None" not in whole

