"""What the first frame waits for: the library screen, nothing else. Heavy modules (sound,
charts, speech, SQLite, the journal service) load when first used, after the first paint;
bench/startup.py times it, this test keeps it so."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app import paths

FIRST_FRAME = """
import json, sys
from PySide6.QtCore import QCoreApplication
from app.ui.app import build_window, create_app
app = create_app(sys.argv[:1])
window = build_window()
window.show()
for _ in range(5):
    QCoreApplication.processEvents()
before = sorted(sys.modules)
notice_before = window.journal_notice is not None
window.after_first_paint()          # what the first paint starts: the journal opens
notice_after = window.journal_notice is not None and not window.journal_notice.isVisible()
window.context.journal.close()
print(json.dumps({"modules": before, "notice": [notice_before, notice_after]}))
"""
WAIT_FOR_FIRST_USE = ("PySide6.QtMultimedia", "PySide6.QtCharts", "numpy", "pyttsx3",
                      "sqlite3", "sqlite_utils", "app.qt.journal_service",
                      "app.storage.journal", "app.speech.engine")


def test_the_first_frame_loads_only_what_the_library_needs(tmp_path: Path) -> None:
    env = {**os.environ, "SECUREBASE_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", FIRST_FRAME], capture_output=True,
                            text=True, timeout=120, env=env, cwd=paths.PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    early = [name for name in WAIT_FOR_FIRST_USE if name in found["modules"]]
    assert early == [], f"loaded before the first frame: {early}"
    # the journal notice comes with the journal service, hidden until there is news
    assert found["notice"] == [False, True]
