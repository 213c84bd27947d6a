"""Quit calmly when the system asks (SIGTERM at log-out or shutdown, SIGHUP when the terminal
closes, Ctrl+C): the window then closes as if the person had closed it — the session is
ended, the journal checkpointed and closed, the window's place remembered — instead of dying
mid-write (exit 143).

Python runs a signal handler only between bytecodes, and Qt's event loop sits in C++, so the
handler does nothing itself: Python writes the signal's number to a pipe
(`signal.set_wakeup_fd`), and a QSocketNotifier on its other end wakes the event loop.
"""
from __future__ import annotations

import os

from PySide6.QtCore import QObject, QSocketNotifier, Signal

# `_signal` is the C module under `signal`, with the same functions: importing `signal` itself
# builds its enums (Signals, Handlers, Sigmasks: ~3 M instructions, before the first frame),
# and the three names needed are spelled out below.
try:
    import _signal as signal
except ImportError:             # a Python built without it
    import signal

QUIT_SIGNALS = {signal.SIGTERM: "SIGTERM", signal.SIGHUP: "SIGHUP", signal.SIGINT: "SIGINT"}


class QuitSignals(QObject):
    """Emits `requested(name)` on the main thread for each quit signal received."""

    requested = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._read, self._write = os.pipe()
        os.set_blocking(self._read, False)
        os.set_blocking(self._write, False)             # set_wakeup_fd requires it
        self._previous_fd = signal.set_wakeup_fd(self._write)
        self._previous = {number: signal.signal(number, _ignore) for number in QUIT_SIGNALS}
        self._notifier = QSocketNotifier(self._read, QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._drain)

    def _drain(self) -> None:
        try:
            data = os.read(self._read, 64)
        except BlockingIOError:
            return
        for number in data:
            if number in QUIT_SIGNALS:
                self.requested.emit(QUIT_SIGNALS[number])

    def restore(self) -> None:
        """Give the process its former handlers back (the window has closed)."""
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for number, handler in self._previous.items():
            signal.signal(number, handler)
        os.close(self._read)
        os.close(self._write)


def _ignore(_number: int, _frame: object) -> None:
    """A Python-level handler, so the wakeup byte is written; the work is done in `_drain`."""
