"""What the window holds during a session: Qt and the session, not the audio pipeline. Its
guidance is rendered, assembled and cut in worker processes; the window only schedules them
and plays the files. numpy and pydub (~14 MB of the window, bench/session_memory.py) once came
in with the render module, the rest of a head-first step (written in the window) and the
waiting chime (made in the window)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app import paths

SESSION = """
import json, linecache, sys, time
from PySide6.QtCore import QCoreApplication
from app.core.session import State
from app.ui.app import build_window, create_app
from app.ui.session import view as session_view

app = create_app(sys.argv[:1])
window = build_window()
window.show()
session_view.has_sound_output = lambda: True   # play on the wall clock where no device is
window.start_practice(window.context.practice("grounding"), playback_rate=16.0)
session = window.session
session.controller.silence_multiplier = 0.02
cues, rests = [], []
session.audio.cue_ready.connect(cues.append)
session.audio.continuation.connect(lambda head, rest: rest is not None and rests.append(rest))
deadline = time.monotonic() + 150
while session.runner.state is not State.CHECK_OUT and time.monotonic() < deadline:
    QCoreApplication.processEvents()
    time.sleep(0.01)
print(json.dumps({"modules": sorted(sys.modules), "sources": sorted(linecache.cache),
                  "state": session.runner.state.name,
                  "text_only": session.controller.text_only_reason,
                  "cue": [str(c) for c in cues], "rest": [str(r) for r in rests]}))
window.session.shutdown()
"""
IN_WORKERS_ONLY = ("numpy", "pydub", "app.speech.audio", "app.speech.loudness")


def test_a_session_window_never_imports_the_audio_pipeline(tmp_path: Path) -> None:
    """A first session (nothing rendered, no chime yet) in the standard voice, to check-out:
    its first step heard head first, then its rest, every step rendered while it plays.
    Grounding is a safety exit: it starts at once, with no check-in."""
    (tmp_path / "settings.json").write_text(json.dumps({"voice": "gmw/en-us"}))
    env = {**os.environ, "SECUREBASE_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-c", SESSION], capture_output=True, text=True,
                            timeout=240, env=env, cwd=paths.PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Traceback" not in result.stderr, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert (found["state"], found["text_only"]) == ("CHECK_OUT", None)
    assert [Path(c).is_file() for c in found["cue"]] == [True]     # the chime was made
    assert len(found["rest"]) == 1 and Path(found["rest"][0]).is_file()  # head, then rest
    assert [name for name in IN_WORKERS_ONLY if name in found["modules"]] == []
    # PySide6 read the source of every module imported after it (to look for "PySide6"),
    # and linecache kept them all: ~170 files, 5-7 MB of the window (app/qt/pyside_sources)
    assert len(found["sources"]) < 10, found["sources"]


def test_modules_are_told_apart_without_their_source() -> None:
    """What PySide6 asked of each module's text, from its names: it refers to PySide6 or not."""
    import types

    from PySide6.QtCore import QObject

    from app.qt.pyside_sources import uses_pyside

    plain, qt, qt_module = (types.ModuleType(n) for n in ("plain", "qt", "qt_module"))
    plain.path, qt.QObject = Path, QObject
    qt_module.QtCore = sys.modules["PySide6.QtCore"]
    assert [uses_pyside(m) for m in (plain, qt, qt_module)] == [False, True, True]


def test_the_window_side_sample_rate_is_the_pipelines() -> None:
    """The manifest and the head's cut read the rate from speech_base (no numpy there)."""
    from app.speech import audio, loudness, speech_base

    assert speech_base.SAMPLE_RATE == loudness.SAMPLE_RATE == audio.SAMPLE_RATE
