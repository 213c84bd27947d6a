"""Guard against a PySide6 regression that crashes long sessions.

PySide6 6.12.0 drops a reference to True on every Signal.emit() from Python; on Python 3.11
(where True is not immortal) the process aborts once the count reaches zero.
"""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class Emitter(QObject):
    value = Signal(int)


def test_emit_keeps_reference_counts(qapp):
    emitter = Emitter()
    received = []
    emitter.value.connect(received.append)
    before = sys.getrefcount(True), sys.getrefcount(False)
    for i in range(200):
        emitter.value.emit(i)
    assert len(received) == 200
    assert (sys.getrefcount(True), sys.getrefcount(False)) == before
