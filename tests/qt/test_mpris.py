"""MPRIS on a private session bus, without a window: what the desktop's sound menu reads and
what each media key asks of the app."""
from __future__ import annotations

import subprocess

import pytest

from app.qt.mpris import MediaControls, NowPlaying, local_session_bus_address, start_mpris
from tests.support.dbus import dbus_send, properties_heard, session_bus  # noqa: F401

PLAYER = "string:org.mpris.MediaPlayer2.Player"
ROOT = "string:org.mpris.MediaPlayer2"
STEP = NowPlaying("Playing", "Unblending", "Making room", 2, 5, "unblending", "room")


@pytest.fixture
def controls(qtbot, session_bus):  # noqa: F811
    made = MediaControls()
    service = start_mpris(made)
    assert service is not None
    yield made
    service.stop()


def read(qtbot, address: str, interface: str, name: str) -> str:
    reply = dbus_send(qtbot, address, "org.freedesktop.DBus.Properties.Get", interface,
                      f"string:{name}")
    return reply.split("variant", 1)[1].strip()


def test_the_sound_menu_reads_who_we_are_and_that_it_cannot_quit_or_seek(qtbot, controls,
                                                                           session_bus):  # noqa: F811
    expected = {(ROOT, "Identity"): 'string "Secure Base"',
                (ROOT, "DesktopEntry"): 'string "io.github.securebase.securebase"',
                (ROOT, "CanQuit"): "boolean false",
                (ROOT, "CanRaise"): "boolean true", (ROOT, "HasTrackList"): "boolean false",
                (ROOT, "SupportedUriSchemes"): "array [\n      ]",
                (ROOT, "SupportedMimeTypes"): "array [\n      ]",
                (PLAYER, "CanSeek"): "boolean false", (PLAYER, "CanControl"): "boolean true",
                (PLAYER, "Rate"): "double 1", (PLAYER, "MinimumRate"): "double 1",
                (PLAYER, "MaximumRate"): "double 1", (PLAYER, "Volume"): "double 1",
                (PLAYER, "Position"): "int64 0"}
    for (interface, name), value in expected.items():
        assert read(qtbot, session_bus, interface, name) == value, name


def test_play_pause_next_and_previous_are_offered_only_while_a_step_shows(qtbot, controls,
                                                                         session_bus):  # noqa: F811
    offers = ("CanPlay", "CanPause", "CanGoNext", "CanGoPrevious")
    assert all(read(qtbot, session_bus, PLAYER, n) == "boolean false" for n in offers)
    assert read(qtbot, session_bus, PLAYER, "PlaybackStatus") == 'string "Stopped"'
    controls.set_now_playing(STEP)
    assert all(read(qtbot, session_bus, PLAYER, n) == "boolean true" for n in offers)
    assert read(qtbot, session_bus, PLAYER, "PlaybackStatus") == 'string "Playing"'
    metadata = read(qtbot, session_bus, PLAYER, "Metadata")
    assert 'string "Making room"' in metadata and 'string "Unblending"' in metadata
    assert "/io/github/securebase/step/unblending/2" in metadata


@pytest.mark.parametrize(("method", "signal"), [
    ("PlayPause", "play_pause_requested"), ("Play", "play_requested"),
    ("Pause", "pause_requested"), ("Stop", "pause_requested"),      # Stop never ends a practice
    ("Next", "next_requested"), ("Previous", "previous_requested")])
def test_each_media_key_asks_the_app_for_one_thing(qtbot, controls, session_bus,  # noqa: F811
                                                   method, signal):
    with qtbot.waitSignal(getattr(controls, signal), timeout=10000):
        dbus_send(qtbot, session_bus, f"org.mpris.MediaPlayer2.Player.{method}")


def test_raise_brings_the_window_forward_and_quit_does_nothing(qtbot, controls,
                                                               session_bus):  # noqa: F811
    asked: list[str] = []
    for name in ("play_pause_requested", "play_requested", "pause_requested",
                 "next_requested", "previous_requested"):
        getattr(controls, name).connect(lambda name=name: asked.append(name))
    with qtbot.waitSignal(controls.raise_requested, timeout=10000):
        dbus_send(qtbot, session_bus, "org.mpris.MediaPlayer2.Raise")
    dbus_send(qtbot, session_bus, "org.mpris.MediaPlayer2.Quit")
    dbus_send(qtbot, session_bus, "org.mpris.MediaPlayer2.Player.Seek", "int64:5000000")
    assert asked == []


def connections(qtbot, address: str) -> int:
    """How many clients the bus has (each has one unique ":1.n" name)."""
    call = subprocess.Popen(["dbus-send", f"--bus={address}", "--print-reply",
                             "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus",
                             "org.freedesktop.DBus.ListNames"], stdout=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: call.poll() is not None, timeout=10000)
    return call.communicate()[0].count('string ":') - 1          # not dbus-send itself


def test_a_second_copy_cannot_take_the_name_and_leaves_the_bus(qtbot, controls,
                                                               session_bus):  # noqa: F811
    before = connections(qtbot, session_bus)
    assert start_mpris(MediaControls()) is None
    qtbot.waitUntil(lambda: connections(qtbot, session_bus) == before, timeout=5000)
    assert read(qtbot, session_bus, ROOT, "Identity") == 'string "Secure Base"'


def test_after_stop_the_name_is_free_for_the_next_start(qtbot, session_bus):  # noqa: F811
    first = start_mpris(MediaControls())
    assert first is not None
    first.stop()
    again = start_mpris(MediaControls())
    assert again is not None
    again.stop()


def test_the_sound_menu_is_told_when_the_step_or_status_changes(qtbot, controls, session_bus,  # noqa: F811
                                                                tmp_path):
    with properties_heard(qtbot, session_bus, tmp_path) as heard:
        controls.set_now_playing(STEP)
        qtbot.waitUntil(lambda: 'string "Making room"' in heard.read_text(), timeout=5000)
        text = heard.read_text()
        assert 'string "org.mpris.MediaPlayer2.Player"' in text and '"Playing"' in text
        assert 'string "CanGoNext"\n' in text and "boolean true" in text


def test_the_bus_of_the_desktop_session_is_found_in_the_runtime_folder(tmp_path):
    assert local_session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) is None
    (tmp_path / "bus").touch()
    assert local_session_bus_address({"XDG_RUNTIME_DIR": str(tmp_path)}) == \
        f"unix:path={tmp_path / 'bus'}"
    assert local_session_bus_address({"DBUS_SESSION_BUS_ADDRESS": ";"}) is None


def test_what_is_shown_is_only_announced_when_it_changes(qtbot):
    controls = MediaControls()
    seen: list[NowPlaying] = []
    controls.changed.connect(seen.append)
    controls.set_now_playing(STEP)
    controls.set_now_playing(STEP)
    controls.set_now_playing(NowPlaying())
    assert seen == [STEP, NowPlaying()] and controls.now == NowPlaying()


def test_a_stopped_player_or_one_without_a_practice_names_no_track():
    assert set(NowPlaying().metadata()) == {"mpris:trackid"}
    assert set(NowPlaying("Paused").metadata()) == {"mpris:trackid"}
    odd = NowPlaying("Paused", "Mine", "Step", 1, 1, "my practice/ü", "s").metadata()
    assert odd["xesam:trackNumber"] == 1 and odd["xesam:artist"] == ["Secure Base"]
    assert odd["mpris:trackid"].path() == "/io/github/securebase/step/my_practice__/1"
