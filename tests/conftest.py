"""Shared test set-up: every test gets its own SECUREBASE_HOME; Qt runs offscreen."""
from __future__ import annotations

import os
import warnings

import tempfile  # noqa: E402

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Belt and braces: even code that missed SECUREBASE_HOME never reaches the real data folder.
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="securebase-xdg-")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
# Tests that render in this process (jobs=0) run BLAS as the render workers do, on one thread
# (app.speech.isolated.one_thread_blas): a thread per core spinning beside each test's
# K-weighting tripled its CPU on a machine that others share. Before numpy is imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
warnings.filterwarnings("ignore", message=".*audioop.*", category=DeprecationWarning)
warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)

import socket  # noqa: E402

import pytest  # noqa: E402

_real_socket_init = socket.socket.__init__


def _local_sockets_only(self, family=-1, type=-1, proto=-1, fileno=None):
    """Secure Base never talks to a network: any non-Unix socket in a test is a failure.
    Judged on the socket made, so a bare socket.socket() (AF_INET) and one wrapped around an
    inherited descriptor are refused alike."""
    _real_socket_init(self, family, type, proto, fileno)
    if self.family != socket.AF_UNIX:
        made = self.family
        self.close()
        raise RuntimeError(f"a test opened a network socket ({made!r}); "
                           "Secure Base must work without any network")


socket.socket.__init__ = _local_sockets_only  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def securebase_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir(mode=0o700)      # as the app makes it: private to the person
    monkeypatch.setenv("SECUREBASE_HOME", str(home))
    # Every entry point of the app sets umask 077 (app.storage.privacy); so does each test, and
    # gives the old one back, so no test depends on whether an earlier one started the app.
    previous = os.umask(0o077)
    yield home
    os.umask(previous)


@pytest.fixture
def journal(securebase_home):
    """A real journal file where the app keeps it (inside this test's SECUREBASE_HOME)."""
    from app import paths
    from app.storage.journal import Journal
    opened = Journal(paths.journal_file())
    yield opened
    opened.close()


def pytest_sessionfinish(session, exitstatus):
    """Collect Qt wrappers while the QApplication still exists, not during interpreter exit."""
    import gc
    gc.collect()
