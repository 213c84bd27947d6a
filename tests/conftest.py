"""Shared test set-up: every test gets its own SECUREBASE_HOME; Qt runs offscreen."""
from __future__ import annotations

import os
import warnings

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.multimedia.*=false")
warnings.filterwarnings("ignore", message=".*audioop.*", category=DeprecationWarning)
warnings.filterwarnings("ignore", message="Couldn't find ffmpeg", category=RuntimeWarning)

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def securebase_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("SECUREBASE_HOME", str(home))
    return home


def pytest_sessionfinish(session, exitstatus):
    """Collect Qt wrappers while the QApplication still exists, not during interpreter exit."""
    import gc
    gc.collect()
