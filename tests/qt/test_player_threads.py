"""The player never makes Qt's audio threads wait for Python.

FFmpeg's audio renderer lives on its own thread, connected to the player's QAudioOutput. When a
stop or a new file tears it down, ~QObject calls the output's disconnectNotify while holding a Qt
signal-slot mutex. PySide answers "does Python override this?" under the GIL the first time it is
asked on each object. If the GUI thread holds the GIL just then and waits for the same mutex
(building a screen connects signals), the window freezes for good. It happened in a test run.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from app import paths
from tests.support.factories import tone_wav

# A long switch interval keeps the GIL on the GUI thread while it builds widgets (each makes
# Qt connections inside C++ with the GIL held), so an audio thread asking for the GIL while it
# holds a signal-slot mutex deadlocks every time instead of once in a few thousand stops.
_STOP_WHILE_BUILDING = r"""
import faulthandler, sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QTabWidget
from app.qt.player import GuidancePlayer

faulthandler.dump_traceback_later(20, exit=True)
app = QApplication([])
wav = Path(sys.argv[1])
for _ in range(3):
    player = GuidancePlayer()          # a new player: PySide has asked nothing of it yet
    player.play_file(wav)
    end = time.monotonic() + 0.06
    while time.monotonic() < end:
        app.processEvents()
    player.stop()                      # the renderer is torn down on its own thread ...
    sys.setswitchinterval(5.0)
    keep = []
    end = time.monotonic() + 0.5
    while time.monotonic() < end:      # ... while the GUI thread builds widgets
        keep.append((QComboBox(), QScrollArea(), QTabWidget()))
    sys.setswitchinterval(0.005)
    player.deleteLater()
    app.processEvents()
print("stopped 3 players while building", flush=True)
"""


def test_stopping_while_a_screen_is_built_never_freezes(tmp_path: Path) -> None:
    wav = tone_wav(tmp_path / "tone.wav", seconds=0.4)
    env = {**os.environ, "SECUREBASE_HOME": str(tmp_path / "home"),
           "QT_QPA_PLATFORM": "offscreen", "QT_LOGGING_RULES": "qt.multimedia.*=false",
           "PULSE_SERVER": f"unix:{tmp_path}/no-sound-here"}  # freezes with or without a device
    result = subprocess.run([sys.executable, "-c", _STOP_WHILE_BUILDING, str(wav)],
                            capture_output=True, text=True, timeout=90, env=env,
                            cwd=paths.PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "stopped 3 players while building" in result.stdout
