"""A private D-Bus session bus for tests (never the machine's own), and dbus-send on it."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app.qt.mpris import OBJECT_PATH, SERVICE


@pytest.fixture
def session_bus(monkeypatch: pytest.MonkeyPatch):
    """A dbus-daemon of our own, so the test never touches the machine's session bus."""
    if shutil.which("dbus-daemon") is None or shutil.which("dbus-send") is None:
        pytest.skip("dbus-daemon is not installed (bash tools/bootstrap.sh test installs it)")
    daemon = subprocess.run(["dbus-daemon", "--session", "--fork", "--print-address=1",
                             "--print-pid=1"], capture_output=True, text=True, timeout=30,
                            check=True)
    address, pid = daemon.stdout.split()
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
    yield address
    os.kill(int(pid), signal.SIGTERM)


def dbus_send(qtbot: Any, address: str, *args: str) -> str:
    """dbus-send from another process; the test's event loop runs so the app can answer."""
    call = subprocess.Popen(["dbus-send", f"--bus={address}", "--print-reply",
                             f"--dest={SERVICE}", OBJECT_PATH, *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    qtbot.waitUntil(lambda: call.poll() is not None, timeout=10000)
    out, err = call.communicate()
    assert call.returncode == 0, err
    return out


@contextlib.contextmanager
def properties_heard(qtbot: Any, address: str, folder: Path) -> Iterator[Path]:
    """dbus-monitor listening for the player's PropertiesChanged, what a sound menu hears;
    yields the file it writes to, once it is listening."""
    heard = folder / "monitor.txt"
    with open(heard, "w") as out:
        monitor = subprocess.Popen(
            ["dbus-monitor", "--address", address,
             "type='signal',member='PropertiesChanged',path='/org/mpris/MediaPlayer2'"],
            stdout=out, stderr=subprocess.DEVNULL)
    try:
        qtbot.waitUntil(lambda: "NameAcquired" in heard.read_text(), timeout=5000)
        yield heard
    finally:
        monitor.terminate()
        monitor.wait(timeout=10)
