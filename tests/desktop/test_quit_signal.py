"""Log-out, shutdown or Ctrl+C end the window calmly: it closes as if the person had closed it
(journal checkpointed and closed, the window's place kept), exit code 0, not 143."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app import paths


def wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.parametrize("sent", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_the_window_closes_calmly_when_the_system_asks(securebase_home: Path, sent):
    env = {**os.environ, "SECUREBASE_HOME": str(securebase_home),
           "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": str(paths.PROJECT_ROOT)}
    window = subprocess.Popen([sys.executable, "-m", "app"], env=env, cwd=paths.PROJECT_ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        journal = securebase_home / "journal.db"
        # the journal opens once the event loop runs, so the handlers are in place by then
        assert wait_for(journal.exists, 60), window.stderr.read() if window.poll() else ""
        window.send_signal(sent)
        code = window.wait(30)
    finally:
        if window.poll() is None:
            window.kill()
    stderr = window.stderr.read()
    assert code == 0, stderr
    assert "Traceback" not in stderr
    log = (securebase_home / "logs" / "securebase.log").read_text()
    assert f"Asked to quit ({sent.name}): closing calmly" in log
    wal = Path(str(journal) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0        # checkpointed as it closed
    assert json.loads(paths.settings_file().read_text())["window_geometry"]  # place kept
