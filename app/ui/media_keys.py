"""Media keys follow whichever practice is under way: the window's sessions meet app.qt.mpris."""
from __future__ import annotations

from typing import TYPE_CHECKING

from app.qt.mpris import MediaControls, MprisService, NowPlaying, start_mpris

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow
    from app.ui.session.view import SessionView


def connect_media_keys(window: "MainWindow") -> MprisService | None:
    """Register on the session bus and follow the window's sessions; None without a bus."""
    controls = MediaControls(window)
    service = start_mpris(controls, window)
    if service is None:
        return None
    controls.raise_requested.connect(window.bring_to_front)
    window.session_started.connect(lambda view: attach(controls, view))
    window.session_ended.connect(lambda: controls.set_now_playing(NowPlaying()))
    if window.session is not None:
        attach(controls, window.session)
    return service


def attach(controls: MediaControls, view: "SessionView") -> None:
    """Requests go to this session view; the connections end when the view is deleted."""
    controls.play_pause_requested.connect(view.media_play_pause)
    controls.play_requested.connect(view.media_play)
    controls.pause_requested.connect(view.media_pause)
    controls.next_requested.connect(view.media_next)
    controls.previous_requested.connect(view.media_previous)
    view.now_playing.connect(controls.set_now_playing)
    view.publish_now_playing()
