"""Settings: the voice list spans every installed engine; a long re-render can be stopped."""
from __future__ import annotations

import importlib.util

from app.storage.preferences import Preferences
from app.ui.context import AppContext
from app.ui.settings.view import STOPPED, SettingsView


def make_view(qtbot) -> SettingsView:
    view = SettingsView(AppContext([], [], Preferences()))
    qtbot.addWidget(view)
    return view


def test_voices_of_every_installed_engine_are_offered(qtbot) -> None:
    view = make_view(qtbot)
    qtbot.waitUntil(lambda: view.voice.count() > 1, timeout=30000)
    ids = [view.voice.itemData(index) for index in range(view.voice.count())]
    assert ids[0] is None and "gmw/en-us" in ids
    if importlib.util.find_spec("piper") is not None:  # the natural-voice extra
        assert ids[1] == "piper:en_US-joe-medium"
        assert "natural voice" in view.voice.itemText(1) and "piper" in view.voice.itemText(1)


def test_a_re_render_can_be_stopped(qtbot, monkeypatch) -> None:
    view = make_view(qtbot)
    cancelled: list[bool] = []
    monkeypatch.setattr(view.audio, "cancel", lambda: cancelled.append(True))
    assert not view.render_stop.isVisibleTo(view)
    view._on_render_progress(0.4)
    assert view.render_stop.isVisibleTo(view) and view.render_bar.isVisibleTo(view)
    view.render_stop.click()
    assert cancelled == [True]
    assert view.render_status.text() == STOPPED
    assert not view.render_stop.isVisibleTo(view) and not view.render_bar.isVisibleTo(view)
