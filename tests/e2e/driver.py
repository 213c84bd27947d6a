"""Drive the real Secure Base window from inside its own process, for the end-to-end tests.

    python tests/e2e/driver.py session RESULTS.json   # a whole practice with real speech
    python tests/e2e/driver.py crashy                  # text-only practice; prints "ack …"
    python tests/e2e/driver.py resume RESULTS.json     # what the next launch offers
    python tests/e2e/driver.py listen PRACTICE VOICE RESULTS.json  # one practice at 1x pace

Runs on whatever QT_QPA_PLATFORM / DISPLAY / PULSE_SERVER the test gives it. Everything it
uses is the product's own path: the window from app.ui.app, the real journal, the real speech
render and the real player. Only the pace is raised, so a test takes seconds.
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QPoint, Qt, QTimer  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox  # noqa: E402

from app.core import body  # noqa: E402
from app.core.session import State  # noqa: E402
from app.ui.app import build_window, create_app, start_after_paint  # noqa: E402

RATE = 6.0


def wait(app: QApplication, condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        app.processEvents()
        time.sleep(0.005)


def open_window(app: QApplication, notices: list[str] | None = None):
    """The window, once its journal is open; `notices` gets what opening it said (each one a
    message box the person sees first)."""
    window = build_window()
    window.resize(1280, 800)
    window.show()
    opened: list = []
    window.context.journal.opened.connect(opened.append)
    start_after_paint(window)
    wait(app, lambda: bool(opened), 20, "the journal")
    if notices is not None:
        notices.extend(opened[0])
    return window


def read(app: QApplication, window, fn, what: str):
    """Ask the window's journal service, and wait for the answer."""
    got: list = []
    window.context.journal.read(fn, on_done=got.append)
    wait(app, lambda: bool(got), 10, what)
    return got[0]


def tap_body(app: QApplication, window, region_id: str = "heart-area") -> int:
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 3000)
    session = window.session
    session.player_view.steps.setFocus()             # any control that leaves B to the practice
    QTest.keyClick(QApplication.focusWidget() or session, Qt.Key.Key_B)
    wait(app, lambda: session.body_page is not None and session.body_page.isVisible(), 5,
         "the body map")
    widget = session.body_page.map
    x, y = body.interior_point(body.region("front", region_id))
    QTest.mouseClick(widget.canvas, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     widget.canvas.box_to_widget("front", x, y).toPoint())
    widget.panel.set_strength(6)
    widget.panel.chips["tight"].setChecked(True)
    saved: list[int] = []
    widget.markSaved.connect(saved.append)
    QTest.mouseClick(widget.panel.save_button, Qt.MouseButton.LeftButton)
    wait(app, lambda: bool(saved), 5, "the body mark to be saved")
    QTest.mouseClick(session.body_page.back, Qt.MouseButton.LeftButton)
    return saved[0]


def run_session(results_path: Path) -> int:
    app = create_app(sys.argv[:1])
    window = open_window(app)
    results: dict = {}
    practice = window.context.practice("grounding")
    window.start_practice(practice, playback_rate=RATE)
    session = window.session
    session.controller.silence_multiplier = 0.05
    started: list[str] = []
    window.context.player.started.connect(started.append)
    # the Grounding practice is a safety exit: it starts at once, without a check-in
    wait(app, lambda: session.player_view.isVisible(), 5, "the player")
    results["mark_id"] = tap_body(app, window)
    wait(app, lambda: session.runner.state is State.CHECK_OUT, 240, "check-out")
    results["played"] = started
    results["text_only"] = session.controller.text_only_reason
    session.checkout.intensity.setValue(2)
    QTest.mouseClick(session.checkout.go, Qt.MouseButton.LeftButton)
    sid = session.runner.session_id                  # provisional until its row exists
    results["session_id"] = read(app, window, lambda j: j.session(sid).id, "the session")
    results["shift"] = session.done.shift_label.text()
    QTest.mouseClick(session.done.back, Qt.MouseButton.LeftButton)
    for key in ("progress", "parts"):
        if key in window._page_factories:
            window.show_page(key)
            app.processEvents()
            results[f"{key}_page"] = type(window.pages[key]).__name__
    window.show_page("settings")
    pdf = results_path.with_suffix(".pdf")
    messages: list[str] = []
    window.pages["settings"].data.export_to("pdf", pdf, messages.append)
    wait(app, lambda: bool(messages), 60, "the PDF export")
    results["pdf"] = str(pdf)
    results["pdf_message"] = messages[0]
    window.grab().save(str(results_path.with_suffix(".png")))
    results_path.write_text(json.dumps(results))
    window.close()
    return 0


def run_crashy() -> int:
    """A practice in text-only mode at high speed; after each journal write, print an ack."""
    from app.ui.session import view as session_view
    session_view.has_sound_output = lambda: False
    QMessageBox.exec = lambda box: 0       # an earlier kill left a session: answer "Not now"
    from app.storage.journal import Journal
    for name in ("log_step", "add_checkin", "add_body_mark", "start_session"):
        original = getattr(Journal, name)

        def acked(*args, _original=original, _name=name, **kwargs):
            result = _original(*args, **kwargs)     # on the journal service's thread
            print(f"ack {_name} {result}", flush=True)      # only after the commit returned
            return result
        setattr(Journal, name, acked)
    app = create_app(sys.argv[:1])
    window = open_window(app)
    practice = window.context.practice("unblending")
    window.start_practice(practice, playback_rate=200.0)
    session = window.session
    session.audio.cancel()
    session.controller.silence_multiplier = 0.01
    # Steps that wait for the person: press Continue, as a person would.
    session.controller.snapshot.connect(lambda snap: snap.state is State.WAITING and QTimer
                                        .singleShot(0, session.controller.continue_on))
    print("ready", flush=True)
    QTest.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    wait(app, lambda: session.runner.state is State.CHECK_OUT, 120, "check-out")
    print("done", flush=True)
    return 0


def run_resume(results_path: Path) -> int:
    app = create_app(sys.argv[:1])
    offered: list[str] = []

    def fake_exec(box: QMessageBox) -> int:     # answer "Not now" without showing the box
        offered.append(box.text())
        return 0
    QMessageBox.exec = fake_exec
    window = open_window(app)
    nothing = read(app, window, lambda j: j.unfinished_session() is None, "the journal")
    wait(app, lambda: bool(offered) or nothing, 10, "the resume offer")
    results_path.write_text(json.dumps({"offered": offered}))
    return 0


def run_listen(practice_id: str, voice: str, results_path: Path) -> int:
    """A practice with `voice` (saved as the person's choice) at its real pace, so what reaches
    the sound device can be compared sample by sample with the step's WAV."""
    from app.storage.preferences import Preferences, save_preferences
    save_preferences(Preferences(voice=voice or None))
    app = create_app(sys.argv[:1])
    window = open_window(app)
    window.start_practice(window.context.practice(practice_id), playback_rate=1.0)
    session = window.session
    session.controller.silence_multiplier = 0.01
    started: list[str] = []
    window.context.player.started.connect(started.append)
    if session.runner.state is State.CHECK_IN:     # (a safety practice starts at once)
        QTest.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    wait(app, lambda: session.runner.state is State.CHECK_OUT, 120, "check-out")
    results_path.write_text(json.dumps({"played": started,
                                        "text_only": session.controller.text_only_reason}))
    window.close()
    return 0


if __name__ == "__main__":
    mode = sys.argv[1]
    if mode == "session":
        sys.exit(run_session(Path(sys.argv[2])))
    if mode == "crashy":
        sys.exit(run_crashy())
    if mode == "listen":
        sys.exit(run_listen(sys.argv[2], sys.argv[3], Path(sys.argv[4])))
    sys.exit(run_resume(Path(sys.argv[2])))
