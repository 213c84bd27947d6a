"""Record a step in a voice through the real window, from whatever microphone PulseAudio gives.

    python tests/e2e/record_driver.py KNOWN.wav RESULTS.json

The product's own path: the library's Edit opens the editor on a saved practice of one's own,
"Record it in a voice…" opens the dialog, Record starts the default microphone, and while it
listens `paplay` plays KNOWN.wav into the default sink (whose monitor the test made the
microphone). Stop, wait for the take, Keep. RESULTS.json says what the window showed and
where the recording was kept.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from app.ui.app import create_app  # noqa: E402
from tests.e2e.driver import open_window, wait  # noqa: E402

PRACTICE = "trusted-voice"
SCRIPT = f'''[practice]
id = "{PRACTICE}"
title = "Trusted voice"
summary = "One step, read aloud by someone you trust."
minutes = 1
tags = ["gentle"]

[[step]]
id = "arrive"
title = "Arrive"
say = "Let yourself arrive, just as you are."
silence_after = 2
'''
QUIET_AROUND = 0.5          # seconds the microphone hears before and after the known sound


def idle(app: QApplication, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def run(known: Path, results_path: Path) -> int:
    from app.storage.user_practices import save_script
    from app.ui.editor.recorder import RecordDialog
    save_script(PRACTICE, SCRIPT)
    app = create_app(sys.argv[:1])
    window = open_window(app)
    assert window.library.select(PRACTICE), "the practice is not in the library"
    window.library.yours.edit_button.click()
    editor = window.your_practices().editor
    editor.step_editor.record.click()
    dialog = next(w for w in app.topLevelWidgets() if isinstance(w, RecordDialog))
    wait(app, dialog.isVisible, 10, "the record dialog")
    levels: list[int] = []
    dialog.meter.valueChanged.connect(levels.append)
    dialog.record.click()
    started = dialog.recorder.recording
    waiting_said = dialog.status.text()
    # the person is asked to wait until sound arrives: "Recording…" says it has
    wait(app, lambda: dialog.status.text().startswith("Recording…"), 10, "the microphone")
    idle(app, QUIET_AROUND)
    player = subprocess.Popen(["paplay", str(known)])
    while player.poll() is None:
        idle(app, 0.02)
    idle(app, QUIET_AROUND)
    dialog.record.click()                       # Stop
    wait(app, lambda: dialog.take is not None or "cannot" in dialog.status.text(), 30,
         "the take")
    take_status = dialog.status.text()
    dialog.keep.click()
    wait(app, lambda: dialog.status.text().startswith("Kept"), 10, "the take to be kept")
    recorded = window.your_practices().files.recordings(PRACTICE)
    editor.refresh_recording()
    results_path.write_text(json.dumps({
        "started": started, "waiting_said": waiting_said, "take_status": take_status, "max_level": max(levels, default=0),
        "recording": str(recorded.get("arrive", "")),
        "editor_says": editor.step_editor.recording.text()}))
    dialog.reject()
    editor.draft.dirty = False
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(run(Path(sys.argv[1]), Path(sys.argv[2])))
