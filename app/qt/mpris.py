"""Media keys and the desktop's sound menu: MPRIS over D-Bus (the session bus only).

Headphone buttons, keyboard media keys and the play/pause in the desktop's sound menu or lock
screen all reach applications through MPRIS (org.mpris.MediaPlayer2 on the session bus). This
module registers Secure Base there and turns those calls into plain Qt signals on
`MediaControls`; the window connects them to the session view, which reports back what to show
(`NowPlaying`: the practice, the step, playing or paused).

Only a session bus on a local (unix:) socket is used: no network, no system bus. Without one
(a bare terminal, tests, a minimal desktop) `start_mpris` returns None and nothing else changes.
"""
from __future__ import annotations

import itertools
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import ClassInfo, Property, QObject, Signal, Slot
from PySide6.QtDBus import (QDBusAbstractAdaptor, QDBusConnection, QDBusMessage,
                            QDBusObjectPath)

SERVICE = "org.mpris.MediaPlayer2.securebase"
OBJECT_PATH = "/org/mpris/MediaPlayer2"
ROOT_INTERFACE = "org.mpris.MediaPlayer2"
PLAYER_INTERFACE = "org.mpris.MediaPlayer2.Player"
NO_TRACK = "/org/mpris/MediaPlayer2/TrackList/NoTrack"
_connection_names = (f"securebase-mpris-{n}" for n in itertools.count(1))


@dataclass(frozen=True)
class NowPlaying:
    """What the desktop shows: "Playing", "Paused" or "Stopped" (no practice under way)."""
    status: str = "Stopped"
    practice: str = ""
    step: str = ""
    number: int = 0            # the step's place, from 1
    steps: int = 0
    practice_id: str = ""
    step_id: str = ""

    @property
    def active(self) -> bool:
        """A practice's steps are showing: play, pause, next and previous mean something."""
        return self.status != "Stopped"

    def metadata(self) -> dict[str, object]:
        if not self.active or not self.practice:
            return {"mpris:trackid": QDBusObjectPath(NO_TRACK)}
        track = f"/io/github/securebase/step/{_path_safe(self.practice_id)}/{self.number}"
        return {"mpris:trackid": QDBusObjectPath(track),
                "xesam:title": self.step,
                "xesam:album": self.practice,
                "xesam:artist": ["Secure Base"],
                "xesam:trackNumber": self.number}


class MediaControls(QObject):
    """The app's side of the media keys: requests out, what is playing in."""
    play_pause_requested = Signal()
    play_requested = Signal()
    pause_requested = Signal()
    next_requested = Signal()
    previous_requested = Signal()
    raise_requested = Signal()
    changed = Signal(object)                  # NowPlaying

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.now = NowPlaying()

    @Slot(object)
    def set_now_playing(self, now: NowPlaying) -> None:
        if now != self.now:
            self.now = now
            self.changed.emit(now)


@ClassInfo({"D-Bus Interface": ROOT_INTERFACE})
class _RootAdaptor(QDBusAbstractAdaptor):
    def __init__(self, owner: QObject, controls: MediaControls):
        super().__init__(owner)
        self.controls = controls

    @Slot()
    def Raise(self) -> None:  # noqa: N802 - the D-Bus names are MPRIS's
        self.controls.raise_requested.emit()

    @Slot()
    def Quit(self) -> None:  # noqa: N802
        pass  # CanQuit is false: closing is the person's choice, in the window

    @Property(bool)
    def CanQuit(self) -> bool:  # noqa: N802
        return False

    @Property(bool)
    def CanRaise(self) -> bool:  # noqa: N802
        return True

    @Property(bool)
    def HasTrackList(self) -> bool:  # noqa: N802
        return False

    @Property(str)
    def Identity(self) -> str:  # noqa: N802
        return "Secure Base"

    @Property(str)
    def DesktopEntry(self) -> str:  # noqa: N802
        from app.desktop import APP_ID
        return APP_ID

    @Property("QStringList")
    def SupportedUriSchemes(self) -> list[str]:  # noqa: N802
        return []

    @Property("QStringList")
    def SupportedMimeTypes(self) -> list[str]:  # noqa: N802
        return []


@ClassInfo({"D-Bus Interface": PLAYER_INTERFACE})
class _PlayerAdaptor(QDBusAbstractAdaptor):
    def __init__(self, owner: QObject, controls: MediaControls):
        super().__init__(owner)
        self.controls = controls

    @Slot()
    def PlayPause(self) -> None:  # noqa: N802
        self.controls.play_pause_requested.emit()

    @Slot()
    def Play(self) -> None:  # noqa: N802
        self.controls.play_requested.emit()

    @Slot()
    def Pause(self) -> None:  # noqa: N802
        self.controls.pause_requested.emit()

    @Slot()
    def Stop(self) -> None:  # noqa: N802
        # "Stop" from a remote must never end a practice by accident: it pauses.
        self.controls.pause_requested.emit()

    @Slot()
    def Next(self) -> None:  # noqa: N802
        self.controls.next_requested.emit()

    @Slot()
    def Previous(self) -> None:  # noqa: N802
        self.controls.previous_requested.emit()

    @Slot("qint64")
    def Seek(self, _offset: int) -> None:  # noqa: N802
        pass  # CanSeek is false: a practice moves by steps

    @Slot(QDBusObjectPath, "qint64")
    def SetPosition(self, _track: QDBusObjectPath, _position: int) -> None:  # noqa: N802
        pass

    @Slot(str)
    def OpenUri(self, _uri: str) -> None:  # noqa: N802
        pass

    @Property(str)
    def PlaybackStatus(self) -> str:  # noqa: N802
        return self.controls.now.status

    @Property("QVariantMap")
    def Metadata(self) -> dict[str, object]:  # noqa: N802
        return self.controls.now.metadata()

    @Property(float)
    def Rate(self) -> float:  # noqa: N802
        return 1.0

    @Property(float)
    def MinimumRate(self) -> float:  # noqa: N802
        return 1.0

    @Property(float)
    def MaximumRate(self) -> float:  # noqa: N802
        return 1.0

    @Property(float)
    def Volume(self) -> float:  # noqa: N802
        return 1.0

    @Property("qlonglong")
    def Position(self) -> int:  # noqa: N802
        return 0

    @Property(bool)
    def CanGoNext(self) -> bool:  # noqa: N802
        return self.controls.now.active

    @Property(bool)
    def CanGoPrevious(self) -> bool:  # noqa: N802
        return self.controls.now.active

    @Property(bool)
    def CanPlay(self) -> bool:  # noqa: N802
        return self.controls.now.active

    @Property(bool)
    def CanPause(self) -> bool:  # noqa: N802
        return self.controls.now.active

    @Property(bool)
    def CanSeek(self) -> bool:  # noqa: N802
        return False

    @Property(bool)
    def CanControl(self) -> bool:  # noqa: N802
        return True


class MprisService(QObject):
    """Secure Base on the session bus, for as long as this object lives."""

    def __init__(self, bus: QDBusConnection, controls: MediaControls,
                 parent: QObject | None = None):
        super().__init__(parent)
        self.bus = bus
        self._root = _RootAdaptor(self, controls)
        self._player = _PlayerAdaptor(self, controls)
        controls.changed.connect(self._announce)

    def _announce(self, now: NowPlaying) -> None:
        """PropertiesChanged, so the sound menu follows without asking."""
        changed: dict[str, object] = {"PlaybackStatus": now.status,
                                      "Metadata": now.metadata()}
        changed.update(dict.fromkeys(("CanPlay", "CanPause", "CanGoNext", "CanGoPrevious"),
                                     now.active))
        signal = QDBusMessage.createSignal(OBJECT_PATH, "org.freedesktop.DBus.Properties",
                                           "PropertiesChanged")
        signal.setArguments([PLAYER_INTERFACE, changed, []])
        self.bus.send(signal)

    def stop(self) -> None:
        """Leave the bus (the app's exit does the same)."""
        self.bus.unregisterObject(OBJECT_PATH)
        self.bus.unregisterService(SERVICE)
        QDBusConnection.disconnectFromBus(self.bus.name())


def local_session_bus_address(env: dict[str, str] | None = None) -> str | None:
    """The session bus's address when it is a local socket; None otherwise (no bus, or one
    reached over TCP, which Secure Base never uses)."""
    env = dict(os.environ) if env is None else env
    address = env.get("DBUS_SESSION_BUS_ADDRESS", "")
    if not address:
        runtime = env.get("XDG_RUNTIME_DIR")
        socket = Path(runtime) / "bus" if runtime else None
        return f"unix:path={socket}" if socket is not None and socket.exists() else None
    entries = [entry for entry in address.split(";") if entry]
    return address if entries and all(entry.startswith("unix:") for entry in entries) else None


def start_mpris(controls: MediaControls, parent: QObject | None = None
                ) -> MprisService | None:
    """Register on the session bus; None (and nothing changed) when there is none or the name
    is taken (another copy of the app, which the single-instance lock normally prevents)."""
    address = local_session_bus_address()
    if address is None:
        return None
    bus = QDBusConnection.connectToBus(address, next(_connection_names))
    if not bus.isConnected():
        QDBusConnection.disconnectFromBus(bus.name())
        return None
    service = MprisService(bus, controls, parent)
    if not bus.registerObject(OBJECT_PATH, service,
                              QDBusConnection.RegisterOption.ExportAdaptors):
        service.stop()
        service.deleteLater()
        return None
    if not bus.registerService(SERVICE):
        service.stop()
        service.deleteLater()
        return None
    return service


def _path_safe(text: str) -> str:
    """A D-Bus object path element: ASCII letters, digits and "_" only (an "ü" would make
    the whole path invalid, and the sound menu would get no track)."""
    return "".join(ch if ch.isascii() and ch.isalnum() else "_" for ch in text) or "_"
