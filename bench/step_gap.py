"""Gap between steps: end of one step's audio + silence → the next step's audio playing.

Drives the real SessionController and GuidancePlayer (QtMultimedia) through a practice of short
generated tones. Baseline, same run: the gap from an explicit player.stop() to play_file() of
the next file with no session logic in between. Goal: median gap < 100 ms.
"""
from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from _common import finish, median, parser

from PySide6.QtCore import QTimer
from PySide6.QtMultimedia import QMediaPlayer
from PySide6.QtWidgets import QApplication

from app.core.session import SessionRunner, State
from app.qt.player import GuidancePlayer
from app.qt.session_controller import SessionController
from app.storage.journal import Journal
from tests.support.factories import tiny_practice, tone_wav

STEPS = 25


def wait_until(app: QApplication, condition, timeout: float = 60) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise SystemExit("timed out")
        app.processEvents()
        time.sleep(0.001)


def measure_session(app: QApplication, folder: Path) -> list[float]:
    practice = tiny_practice(STEPS, silence=0.05)
    journal = Journal(folder / "journal.db")
    runner = SessionRunner(practice, journal)
    player = GuidancePlayer()
    controller = SessionController(runner, player)
    for step in practice.steps:
        controller.set_step_audio(step.id, tone_wav(folder / f"{step.id}.wav", 0.25), 0.25)
    gaps: list[float] = []
    silence_over = {"at": None}

    def on_snapshot(snap) -> None:
        if snap.state is State.SILENCE:
            silence_over["at"] = None

    original = runner.silence_finished

    def timed_silence_finished() -> None:
        silence_over["at"] = time.perf_counter()
        original()
    runner.silence_finished = timed_silence_finished        # measurement hook, bench only

    def on_state(state) -> None:
        if state == QMediaPlayer.PlaybackState.PlayingState and silence_over["at"]:
            gaps.append(time.perf_counter() - silence_over["at"])
            silence_over["at"] = None
    player._player.playbackStateChanged.connect(on_state)
    runner.subscribe(on_snapshot)
    runner.check_in(3)
    wait_until(app, lambda: runner.state is State.CHECK_OUT)
    player.stop()
    return gaps


def measure_baseline(app: QApplication, folder: Path) -> list[float]:
    player = GuidancePlayer()
    files = [tone_wav(folder / f"b{i}.wav", 0.25) for i in range(STEPS)]
    gaps: list[float] = []
    asked = {"at": None}

    def on_state(state) -> None:
        if state == QMediaPlayer.PlaybackState.PlayingState and asked["at"]:
            gaps.append(time.perf_counter() - asked["at"])
            asked["at"] = None
    player._player.playbackStateChanged.connect(on_state)
    for path in files:
        asked["at"] = time.perf_counter()
        player.play_file(path)
        wait_until(app, lambda: asked["at"] is None)
        done = {"ok": False}
        QTimer.singleShot(50, lambda: done.update(ok=True))
        wait_until(app, lambda: done["ok"])
    player.stop()
    return gaps


def main() -> int:
    args = parser(__doc__).parse_args()
    app = QApplication.instance() or QApplication(sys.argv)
    with tempfile.TemporaryDirectory() as tmp:
        baseline = median(measure_baseline(app, Path(tmp)))
        gaps = measure_session(app, Path(tmp))
    gap = median(gaps)
    print(f"{len(gaps)} step transitions: median {gap * 1000:.1f} ms, max {max(gaps) * 1000:.1f} "
          f"ms; bare player start {baseline * 1000:.1f} ms (ratio {gap / baseline:.2f}×)")
    return finish(args.check, [("median step gap (ms)", gap * 1000, "< 100", gap < 0.1)])


if __name__ == "__main__":
    sys.exit(main())
