"""Walking the real window through every screen (tools/screen_tour.py) for the contrast, layout
and screen-reader tests: a journal with demo records, no sound device (text pacing), each
screen's reads landed before it is looked at."""
from __future__ import annotations

from contextlib import contextmanager
from collections.abc import Callable, Iterator

from PySide6.QtTest import QTest

from app.ui.common.theme import stylesheet
from app.ui.context import AppContext
from app.ui.main_window import MainWindow
from tools.screen_tour import Stop, tour


def demo_journal(path: str, years: float = 0.25) -> None:
    from app.storage.demo import fill_demo
    from app.storage.journal import Journal
    journal = Journal(path)
    try:
        fill_demo(journal, years=years, seed=7)
    finally:
        journal.close()


@contextmanager
def without_sound() -> Iterator[None]:
    """Sessions fall back to text paced for reading, as on a machine with no sound device."""
    import app.ui.session.view as session_view
    real = session_view.has_sound_output
    session_view.has_sound_output = lambda: False
    try:
        yield
    finally:
        session_view.has_sound_output = real


def settle(context: AppContext) -> None:
    """Let the page's reads land: everything asked of the journal so far has answered."""
    answered: list[bool] = []
    context.journal.read(lambda _journal: True, on_done=answered.append)
    for _ in range(500):                       # at most 5 s
        if answered:
            break
        QTest.qWait(10)
    QTest.qWait(30)


def walk(context: AppContext, size: tuple[int, int],
         visit: Callable[[Stop, MainWindow], None]) -> None:
    """Open the window at `size`, call `visit` on every screen, close it again."""
    window = MainWindow(context)
    window.setStyleSheet(stylesheet(context.palette))
    window.show()
    window.resize(*size)
    try:
        # Settings measured with its voices listed: they come from a helper process, and
        # rows arriving in the middle of a measurement moved everything under them (the
        # contrast walk then read the old places: 2 failures in 10 runs at load 5-6)
        for stop in tour(window, lambda: settle(context), voices_within=150):
            visit(stop, window)
    finally:
        if window.session is not None:
            window.session.shutdown()
        window.close()
        window.deleteLater()
        QTest.qWait(50)
