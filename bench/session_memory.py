"""Resident memory during a practice: the whole window, a session playing real audio files.

Baseline, same run: the RSS of this process with just a QApplication. Goal: peak RSS during a
session < 200 MB.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import psutil
from _common import finish, parser

from PySide6.QtWidgets import QApplication

from app.storage.preferences import Preferences
from app.storage.script_files import load_all
from app.core.session import State
from app.ui.context import AppContext
from app.ui.session import view as session_view
from app.ui.main_window import MainWindow
from tests.support.factories import tone_wav


def rss_mb() -> float:
    return psutil.Process().memory_info().rss / 2**20


def main() -> int:
    args = parser(__doc__).parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    baseline = rss_mb()
    peak = baseline
    with tempfile.TemporaryDirectory() as tmp:
        practices, broken = load_all()
        context = AppContext(practices, broken, Preferences(),
                             journal_path=str(Path(tmp) / "journal.db"))
        window = MainWindow(context)
        window.show()
        practice = context.practice("disorganised-attachment")
        # Play the files even where no sound device exists (QtMultimedia then plays on the
        # wall clock), so the decoder and audio pipeline are part of the measurement.
        session_view.has_sound_output = lambda: True
        window.start_practice(practice, playback_rate=8.0)
        session = window.session
        session.audio.cancel()
        for step in practice.steps:      # a 20 s tone per step stands in for rendered speech
            wav = tone_wav(Path(tmp) / f"{step.id}.wav", 20.0)
            session.controller.set_step_audio(step.id, wav, 20.0)
        session.controller.silence_multiplier = 0.02
        session.checkin.go.click()
        deadline = time.perf_counter() + 120
        while session.runner.state is not State.CHECK_OUT and time.perf_counter() < deadline:
            app.processEvents()
            peak = max(peak, rss_mb())
            time.sleep(0.01)
        played = [k for _, k in context.journal.step_events(session.runner.session_id)]
        if session.runner.state is not State.CHECK_OUT or session.controller.text_only_reason:
            raise SystemExit("the session did not reach check-out")
    print(f"RSS: bare QApplication {baseline:.0f} MB, peak during a 10-step session "
          f"{peak:.0f} MB (ratio {peak / baseline:.2f}×)")
    return finish(args.check, [("peak RSS during a session (MB)", peak, "< 200", peak < 200)])


if __name__ == "__main__":
    sys.exit(main())
