"""The window tidies the sentence cache at idle, off the GUI thread, never during a practice or
while the voice is being prepared (app/qt/speech_cache.py)."""
from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, Signal

from app import paths
from app.core.preferences import Preferences
from app.qt import speech_cache as tidying
from app.speech import chunk_cache
from tests.speech.test_render import practice, run
from app.speech.plan import RenderSettings


class Window(QObject):
    """What tidy_at_idle needs of the main window."""
    session_started = Signal(object)
    session_ended = Signal()


@pytest.fixture
def old_pace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Sentences of a pace no longer in use (120; the person's is 140), and no budget for them."""
    run([practice(close="Rest now. Breathe out.")], tmp_path, settings=RenderSettings(rate=120))
    monkeypatch.setattr(chunk_cache, "OTHER_BUDGET_BYTES", 0)
    return sorted(paths.chunk_cache_dir().rglob("*.wav"))


class Context:
    practices: list = []
    preferences = Preferences(voice="espeak:", rate=140)


def test_it_tidies_at_idle_and_not_while_busy(qtbot, old_pace: list[Path]) -> None:
    busy = [True]
    window = Window()
    tidy = tidying.tidy_at_idle(window, Context(), busy=lambda: busy[0])
    assert tidy._timer.remainingTime() > 30_000      # well after start-up, never at it
    tidy.schedule(0)
    qtbot.waitUntil(lambda: tidy._timer.remainingTime() > 30_000, timeout=3000)  # tried later
    assert all(path.exists() for path in old_pace) and not tidy.finished_once
    busy[0] = False
    tidy.schedule(0)
    qtbot.waitUntil(lambda: tidy.finished_once, timeout=5000)
    assert not any(path.exists() for path in old_pace)


def test_a_practice_stops_it_and_its_end_schedules_it_again(qtbot, old_pace: list[Path]
                                                            ) -> None:
    window = Window()
    tidy = tidying.tidy_at_idle(window, Context(), busy=lambda: False)
    window.session_started.emit(object())
    assert not tidy._timer.isActive()
    window.session_ended.emit()
    assert tidy._timer.isActive()
    tidy.schedule(0)
    qtbot.waitUntil(lambda: tidy.finished_once, timeout=5000)
    assert not any(path.exists() for path in old_pace)
