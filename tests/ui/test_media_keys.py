"""Media keys over MPRIS, on a private D-Bus session bus: headphones, keyboard and the sound
menu control the practice, and the desktop is told the practice and the step."""
from __future__ import annotations


import pytest

from app.core.session import State
from app.qt.mpris import local_session_bus_address
from app.ui.media_keys import connect_media_keys
from tests.support.dbus import dbus_send, properties_heard, session_bus  # noqa: F401
from tests.ui.test_session_flow import FAST, context, start, window  # noqa: F401 - fixtures


def player_property(qtbot, address: str, name: str) -> str:
    return dbus_send(qtbot, address, "org.freedesktop.DBus.Properties.Get",
                     "string:org.mpris.MediaPlayer2.Player", f"string:{name}")


@pytest.fixture
def mpris(window, session_bus):  # noqa: F811 - the window fixture from test_session_flow
    service = connect_media_keys(window)
    assert service is not None
    yield session_bus
    service.stop()


def test_play_pause_next_previous_from_the_bus(window, qtbot, mpris):  # noqa: F811
    address = mpris
    assert '"Stopped"' in player_property(qtbot, address, "PlaybackStatus")
    session = start(window, qtbot)
    session.controller.playback_rate = 0.01            # hold each step so the keys decide
    assert session.runner.state is State.PLAYING
    assert '"Playing"' in player_property(qtbot, address, "PlaybackStatus")
    metadata = player_property(qtbot, address, "Metadata")
    practice = window.context.practices[0]
    assert f'"{practice.title}"' in metadata and f'"{practice.steps[0].title}"' in metadata

    dbus_send(qtbot, address, "org.mpris.MediaPlayer2.Player.PlayPause")
    assert session.runner.state is State.PAUSED
    assert '"Paused"' in player_property(qtbot, address, "PlaybackStatus")
    dbus_send(qtbot, address, "org.mpris.MediaPlayer2.Player.Play")
    assert session.runner.state is State.PLAYING
    dbus_send(qtbot, address, "org.mpris.MediaPlayer2.Player.Next")
    assert session.runner.index == 1
    assert f'"{practice.steps[1].title}"' in player_property(qtbot, address, "Metadata")
    dbus_send(qtbot, address, "org.mpris.MediaPlayer2.Player.Previous")
    assert session.runner.index == 0
    dbus_send(qtbot, address, "org.mpris.MediaPlayer2.Player.Stop")   # pauses, never ends
    assert session.runner.state is State.PAUSED

    session.leave.click()
    assert window.session is None
    assert '"Stopped"' in player_property(qtbot, address, "PlaybackStatus")
    dbus_send(qtbot, address, "org.mpris.MediaPlayer2.Player.PlayPause")  # nothing to do


def test_the_desktop_entry_and_raise(window, qtbot, mpris):  # noqa: F811
    entry = dbus_send(qtbot, mpris, "org.freedesktop.DBus.Properties.Get",
                      "string:org.mpris.MediaPlayer2", "string:DesktopEntry")
    assert '"io.github.securebase.securebase"' in entry
    window.showMinimized()
    dbus_send(qtbot, mpris, "org.mpris.MediaPlayer2.Raise")
    assert not window.isMinimized()


def test_media_keys_only_act_on_a_showing_step(window, qtbot, mpris):  # noqa: F811
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session                            # still at the check-in
    dbus_send(qtbot, mpris, "org.mpris.MediaPlayer2.Player.Next")
    assert session.runner.state is State.CHECK_IN and session.runner.index == 0


def test_without_a_session_bus_nothing_breaks(window, qtbot, monkeypatch,  # noqa: F811
                                               tmp_path) -> None:
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))       # no bus socket in it
    assert connect_media_keys(window) is None
    session = start(window, qtbot)
    assert session.runner.state is State.PLAYING


@pytest.mark.parametrize("env, address", [
    ({"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus"},
     "unix:path=/run/user/1000/bus"),
    ({"DBUS_SESSION_BUS_ADDRESS": "tcp:host=10.0.0.2,port=5555"}, None),   # never a network
    ({"DBUS_SESSION_BUS_ADDRESS": "unix:abstract=/tmp/x;tcp:host=a,port=1"}, None),
    ({}, None),
])
def test_only_a_local_session_bus(env: dict[str, str], address: str | None) -> None:
    assert local_session_bus_address(env) == address



def test_the_sound_menu_is_told_of_each_change(window, qtbot, mpris, tmp_path):  # noqa: F811
    """What a sound menu hears: PropertiesChanged with the status and the step's title."""
    with properties_heard(qtbot, mpris, tmp_path) as heard:
        session = start(window, qtbot)
        session.controller.playback_rate = 0.01
        session.media_next()
        step = window.context.practices[0].steps[1].title
        qtbot.waitUntil(lambda: f'string "{step}"' in heard.read_text(), timeout=5000)
        text = heard.read_text()
        assert 'string "org.mpris.MediaPlayer2.Player"' in text and '"Playing"' in text


def test_the_securebase_command_joins_the_sound_menu_once_the_window_is_up(
        session_bus, tmp_path):  # noqa: F811
    """The entry is registered after the first frame (the window first), not forgotten."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from app import paths
    from app.qt.mpris import SERVICE
    env = {**os.environ, "SECUREBASE_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    app = subprocess.Popen([sys.executable, "-m", "app"], env=env, cwd=paths.PROJECT_ROOT,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def registered() -> bool:
        asked = subprocess.run(
            ["dbus-send", f"--bus={session_bus}", "--print-reply", "--dest=org.freedesktop.DBus",
             "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner", f"string:{SERVICE}"],
            capture_output=True, text=True, timeout=10)
        return "boolean true" in asked.stdout
    try:
        end = time.monotonic() + 30
        while not registered() and app.poll() is None and time.monotonic() < end:
            time.sleep(0.2)
        assert registered(), app.stderr.read() if app.poll() is not None else "not registered"
    finally:
        app.send_signal(signal.SIGTERM)
        app.wait(timeout=30)
    assert app.returncode == 0
