"""Single-instance guard: a second copy learns the first is running and can wake it."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

from app import paths
from app.storage.instance import InstanceLock

ROOT = paths.PROJECT_ROOT
HOLDER = textwrap.dedent("""
    import sys, time
    from app.storage.instance import InstanceLock
    lock = InstanceLock()
    print("held" if lock.acquire() else "busy", flush=True)
    time.sleep(60)
""")


def start_holder():
    proc = subprocess.Popen([sys.executable, "-c", HOLDER], stdout=subprocess.PIPE, text=True,
                            cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "held"
    return proc


def test_second_copy_in_another_process_is_refused_until_the_first_ends():
    first = start_holder()
    try:
        second = InstanceLock()
        assert not second.acquire() and not second.held
    finally:
        first.send_signal(signal.SIGKILL)          # even a crash releases the lock
        first.wait(10)
    assert second.acquire()
    second.release()


def test_second_lock_in_the_same_process_is_refused_and_release_frees_it():
    with InstanceLock() as first:
        assert first.acquire() and first.acquire()       # acquiring twice is harmless
        assert not InstanceLock().acquire()
    other = InstanceLock()
    assert other.acquire()
    assert paths.instance_lock_file().read_text().split() == [str(os.getpid()), "window"]
    assert oct(os.stat(paths.instance_lock_file()).st_mode & 0o777) == "0o600"
    other.release()


def test_raise_request_reaches_the_running_copy_once():
    first = InstanceLock()
    assert first.acquire()
    assert not first.take_raise_request()
    second = InstanceLock()
    assert not second.acquire()
    second.request_raise()
    assert first.take_raise_request()
    assert not first.take_raise_request()            # consumed
    first.release()


def test_stale_raise_request_is_ignored():
    lock = InstanceLock()
    lock.request_raise()
    old = time.time() - 120
    os.utime(paths.raise_request_file(), (old, old))
    assert not lock.take_raise_request()
    lock.request_raise()
    assert lock.acquire() and not lock.take_raise_request()   # from before we started
    lock.release()
