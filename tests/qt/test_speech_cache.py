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
    assert not tidy._timer.isActive()                # done: not again until asked again


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


def test_a_step_about_to_be_played_is_not_cleared_under_the_player(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A practice's steps are looked up and handed to the player holding the lock a render
    holds: a "Clear unused speech" that reckoned with another voice (the person switched to
    this one just before) finds the cache busy. Without the lock (step tidying alone) the
    steps the player had just been given were removed (FileNotFoundError reading one's
    length); on main such a clear removed the voice's sentences (2 files) meanwhile."""
    from app.qt import guidance_audio
    from app.speech import render, speech_cache
    from app.speech.voices import audio_dir_for

    calm = practice(close="Rest now. Breathe out.")
    us = RenderSettings(engine="espeak", voice="gmw/en-us", rate=140)
    run([calm], audio_dir_for(paths.audio_dir(), us), settings=us)
    looked_up = render.manifest_status
    cleared = []

    def look_up(*args, **kwargs):
        found = looked_up(*args, **kwargs)
        cleared.append(speech_cache.tidy([calm], "espeak:", 140, budget=0))  # the old voice
        return found

    monkeypatch.setattr(render, "manifest_status", look_up)
    given: list[Path] = []
    assert guidance_audio._prepare_with(
        [calm], us, paths.audio_dir(), lambda item: given.append(item[3]),
        lambda: False, guidance_audio.Job())
    assert cleared and cleared[0].busy
    assert given and all(path.exists() for path in given)


def test_a_tidy_that_fails_is_logged_and_the_next_one_still_runs(
        qtbot, old_pace: list[Path], monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    """A cache that could not be tidied once (a read-only or full disk) is tidied the next
    time: the failed attempt does not stand in the way of every later one."""
    from app.speech import speech_cache

    real, calls = speech_cache.tidy, []

    def read_only_once(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("Read-only file system")
        return real(*args, **kwargs)

    monkeypatch.setattr(speech_cache, "tidy", read_only_once)
    window = Window()
    tidy = tidying.tidy_at_idle(window, Context(), busy=lambda: False)
    tidy.schedule(0)
    qtbot.waitUntil(lambda: "could not be tidied" in caplog.text, timeout=5000)
    assert "Read-only file system" in caplog.text
    assert all(path.exists() for path in old_pace) and not tidy.finished_once
    tidy.schedule(0)
    qtbot.waitUntil(lambda: tidy.finished_once, timeout=5000)
    assert not any(path.exists() for path in old_pace)
