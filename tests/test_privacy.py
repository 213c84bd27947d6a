"""Private by construction: no network code in the product, no network in the tests."""
from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
NETWORK_MODULES = re.compile(
    r"^\s*(from|import)\s+(socket|ssl|http|urllib|requests|httpx|aiohttp|ftplib|smtplib|"
    r"xmlrpc|websocket|PySide6\.QtNetwork|PySide6\.QtWebEngine\w*)\b", re.MULTILINE)


def test_no_network_code_in_the_app():
    offenders = [str(path.relative_to(APP.parent)) for path in APP.rglob("*.py")
                 if NETWORK_MODULES.search(path.read_text(encoding="utf-8"))]
    assert offenders == []


def test_network_sockets_are_refused_in_tests():
    with pytest.raises(RuntimeError, match="network socket"):
        socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(RuntimeError, match="network socket"):
        socket.create_connection(("127.0.0.1", 9))


def test_unix_sockets_still_work():
    left, right = socket.socketpair(socket.AF_UNIX)
    left.sendall(b"ok")
    assert right.recv(2) == b"ok"
    left.close(), right.close()
