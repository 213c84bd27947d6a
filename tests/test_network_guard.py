"""The test run's network guard (tests/conftest.py): every socket but a Unix one is refused,
so a test (or the code it runs) that reaches for a network fails loudly."""
from __future__ import annotations

import socket

import pytest


@pytest.mark.parametrize("make", [
    lambda: socket.socket(),                                     # AF_INET by default
    lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM),
    lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM),
    lambda: socket.create_connection(("127.0.0.1", 9), timeout=0.1),
], ids=["bare", "udp", "ipv6", "create_connection"])
def test_network_sockets_are_refused(make):
    with pytest.raises(RuntimeError, match="network socket"):
        make()


def test_a_descriptor_of_a_network_socket_is_refused_too():
    import os
    import _socket
    raw = _socket.socket(_socket.AF_INET, _socket.SOCK_STREAM)   # beneath the guard
    fd = raw.detach()
    try:
        with pytest.raises(RuntimeError, match="network socket"):
            socket.socket(fileno=fd)
    finally:
        try:
            os.close(fd)
        except OSError:
            pass                                                  # closed by the refusal


def test_unix_sockets_still_work():
    one, two = socket.socketpair()
    with one, two:
        one.sendall(b"ok")
        assert two.recv(2) == b"ok"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM):
        pass
