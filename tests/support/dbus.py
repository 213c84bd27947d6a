"""A private D-Bus session bus for tests (never the machine's own), and dbus-send on it."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
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
