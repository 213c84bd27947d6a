"""QuitSignals in-process: a quit signal becomes one `requested`, and after `restore` the
former handlers are back and nothing is read from a file that reuses the pipe's numbers."""
from __future__ import annotations

import os
import signal

from app.qt.quit_signals import QuitSignals


def test_a_quit_signal_is_heard_once_on_the_main_thread(qtbot):
    signals = QuitSignals()
    try:
        with qtbot.waitSignal(signals.requested, timeout=5000) as heard:
            os.kill(os.getpid(), signal.SIGTERM)
        assert heard.args == ["SIGTERM"]
    finally:
        signals.restore()


def test_after_restore_the_old_handlers_are_back_and_new_files_are_left_alone(qtbot):
    numbers = (signal.SIGTERM, signal.SIGHUP, signal.SIGINT)
    saved = {n: signal.getsignal(n) for n in numbers}

    def mine(_number, _frame):
        pass
    try:
        for n in numbers:
            signal.signal(n, mine)
        open_before = len(os.listdir("/proc/self/fd"))
        wakeup_before = signal.set_wakeup_fd(-1)
        signal.set_wakeup_fd(wakeup_before)
        signals = QuitSignals()
        signals.restore()
        assert all(signal.getsignal(n) is mine for n in numbers)
        # The wake-up pipe is closed and no longer named to Python (a signal would otherwise
        # write its byte into whatever file gets that number next).
        assert len(os.listdir("/proc/self/fd")) == open_before
        previous = signal.set_wakeup_fd(-1)
        signal.set_wakeup_fd(previous)
        assert previous == wakeup_before
    finally:
        for n, handler in saved.items():
            signal.signal(n, handler)
    # The next pipe usually gets the numbers the old one had: its bytes are its own.
    read, write = os.pipe()
    try:
        os.set_blocking(read, False)
        os.write(write, b"x")
        qtbot.wait(50)                       # let a stale notifier fire, if one were left
        assert os.read(read, 8) == b"x"
    finally:
        os.close(read)
        os.close(write)
