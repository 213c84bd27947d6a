"""Drive the real Secure Base window with the keyboard only, for tests/e2e/test_keyboard_only.py.

    python tests/e2e/keyboard_driver.py RESULTS.json [SHOTS_DIR]

Runs inside the app's own process on a virtual X screen (xvfb-run). Every action is a real key
press, typed into the X server with xdotool (XTEST), so it travels the same way a keyboard's
does: X → Qt's xcb plugin → the focused control. The driver never clicks or calls the widgets:
it only reads what is on screen (the page, the focused control, the journal) to know when to
press the next key, and to record what it saw in RESULTS.json for the test to check.
"""
from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from app.core.session import State  # noqa: E402
from app.ui.app import create_app  # noqa: E402
from tests.e2e import driver as base  # noqa: E402  (the same window and journal reads)

PRACTICE = "unblending"
app: QApplication
notices: list[str] = []
shots: Path | None = None


def spin(seconds: float = 0.05) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.005)


def wait(condition, what: str, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            focus = QApplication.focusWidget()
            raise SystemExit(f"timed out waiting for {what} (focus: "
                             f"{focus.accessibleName() if focus else None!r})")
        spin(0.01)


def key(*names: str) -> None:
    """Press keys on the real (virtual) keyboard, then let the window take them in."""
    subprocess.run(["xdotool", "key", "--delay", "30", *names], check=True)
    spin(0.15)


def type_text(text: str) -> None:
    subprocess.run(["xdotool", "type", "--delay", "20", text], check=True)
    spin(0.15)


def focus() -> object:
    return QApplication.focusWidget()


def tab_to(widget, what: str, limit: int = 40) -> None:
    """Tab forward until `widget` has the focus, as a person would."""
    for _ in range(limit):
        if focus() is widget:
            return
        key("Tab")
    raise SystemExit(f"Tab never reached {what} (focus: {focus().accessibleName()!r})")


def shot(name: str, window) -> None:
    if shots is not None:
        window.grab().save(str(shots / f"{name}.png"))


def screen(window) -> str:
    """The name of the screen showing, from the window's own pages."""
    if window.session is None or window.stack.currentWidget() is not window.session:
        return "library" if window.stack.currentWidget() is window.library else "other"
    session = window.session
    page = session.pages.currentWidget()
    names = {session.checkin: "check-in", session.player_view: "player",
             session.grounding_view: "grounding", session.body_page: "body map",
             session.checkout: "check-out", session.done: "done"}
    return next((name for widget, name in names.items() if widget is page), "other")


def saw(window, seen: dict) -> None:
    """Note the screen now showing and the control with the focus (by its spoken name)."""
    widget = focus()
    seen.setdefault("screens", []).append(
        [screen(window), widget.accessibleName() if widget is not None else None])


def read(window, fn, what: str):
    return base.read(app, window, fn, what)


def open_window():
    window = base.open_window(app, notices)  # a message box would take the keyboard first
    window.activateWindow()
    QTest.qWaitForWindowActive(window, 5000)
    spin(0.3)
    return window


def library_to_check_in(window, seen: dict) -> None:
    library = window.library
    wait(lambda: focus() is library.list, "the practice list to have the focus")
    saw(window, seen)
    key("Home")
    for _ in range(library.list.count()):
        if _current_practice(library) == PRACTICE:
            break
        key("Down")
    shot("1-library", window)
    key("Return")
    wait(lambda: window.session is not None, "the practice to open")
    session = window.session
    wait(lambda: focus() is session.checkin.intensity.slider, "the intensity scale")
    saw(window, seen)


def _current_practice(library) -> str | None:
    from app.ui.library.delegate import PRACTICE_ID_ROLE
    item = library.list.currentItem()
    return item.data(PRACTICE_ID_ROLE) if item else None


def check_in(window, seen: dict) -> None:
    check = window.session.checkin
    key("4")                                            # intensity 4 (a digit answers)
    key("Right", "Left")                                # arrows move the focused slider
    tab_to(check.energy_box, "the Self-energy box")
    key("space")
    wait(lambda: check.energy_scales.isVisible(), "the Self-energy scales")
    key("Tab")
    wait(lambda: focus() is check.energy["calm"].slider, "the Calm scale")
    key("6")                                            # Calm 6; the other seven untouched
    seen["check_in"] = {"intensity": check.intensity.value(),
                        "calm": check.energy["calm"].value(),
                        "curiosity": check.energy["curiosity"].value()}
    shot("2-check-in", window)
    tab_to(check.go, "Begin")
    key("Return")
    session = window.session
    wait(lambda: session.runner.state is State.PLAYING, "the first step")
    wait(lambda: focus() is session.player_view.play_button, "the focus on Play")
    saw(window, seen)


def player(window, seen: dict) -> None:
    session = window.session
    key("Right")                                         # → : the next step
    wait(lambda: session.runner.index == 1, "step 2")
    key("space")                                         # Space on Play: pause
    wait(lambda: session.runner.state is State.PAUSED, "pause")
    key("space")
    wait(lambda: session.runner.state is not State.PAUSED, "play again")
    shot("3-player", window)
    seen["player_index"] = session.runner.index


def body_map(window, seen: dict) -> None:
    session = window.session
    seen["mark_step"] = session.runner.step.id
    key("b")
    wait(lambda: session.body_page is not None and session.body_page.isVisible(), "the map")
    body = session.body_page.map
    wait(lambda: focus() is body.finder.filter, "the area search")
    saw(window, seen)
    seen["map_voice"] = session.runner.state.value          # paused while marking
    seen["ground_visible"] = session.ground_button.isVisible()
    saved: list[int] = []
    undone: list[int] = []
    body.markSaved.connect(saved.append)
    body.markUndone.connect(undone.append)
    type_text("heart")
    key("Return")
    wait(lambda: focus() is body.panel.intensity, "the mark form")
    seen["chips_at_open"] = [q for q, c in body.panel.chips.items() if c.isChecked()]
    seen["strength_at_open"] = body.panel.strength()     # not rated until given
    key("7")                                             # a digit rates it, Delete clears,
    key("Delete")
    key("Left")                                          # an arrow rates it again: 7 → 6
    seen["strength_given"] = body.panel.strength()
    tab_to(body.panel.chips["warm"], "Warm")
    key("space")
    tab_to(body.panel.save_button, "Save")
    shot("4-body-map", window)
    key("Return")
    wait(lambda: bool(saved), "the mark to be saved")
    key("ctrl+z")                                        # undo it
    wait(lambda: bool(undone), "the mark to be taken back")
    tab_to(body.finder.filter, "the area search")
    key("ctrl+a")
    type_text("throat")
    key("Return")
    wait(lambda: focus() is body.panel.intensity, "the mark form again")
    seen["strength_again"] = body.panel.strength()       # each mark starts not rated
    tab_to(body.panel.save_button, "Save")                # saved with its place only
    key("Return")
    wait(lambda: len(saved) == 2, "the second mark")
    seen["marks"] = {"saved": saved, "undone": undone}


def grounding(window, seen: dict) -> None:
    session = window.session
    key("Escape")
    wait(lambda: session.runner.state is State.GROUNDING, "grounding")
    view = session.grounding_view
    saw(window, seen)
    seen["map_after_esc"] = session.body_page.isVisible()
    grounding = window.context.grounding
    wait(lambda: len(session._grounding_audio) >= len(grounding.steps), "the grounding voice",
         120)
    started: list[str] = []
    window.context.player.started.connect(started.append)
    key("space")                                          # Listen
    wait(lambda: bool(started), "the grounding voice to play")
    # the practice's folder (a step may start from its first sentence, in .lead beside it)
    seen["grounding_played"] = next(p.name for p in Path(started[0]).parents
                                    if not p.name.startswith("."))
    shot("5-grounding", window)
    key("space")                                          # Stop the voice
    wait(lambda: not view.listen.isChecked(), "the voice to stop")
    tab_to(view.back, "Return to the practice")
    key("Return")
    wait(lambda: session.runner.state is State.PAUSED, "the practice, paused")
    wait(lambda: focus() is session.player_view.play_button, "the focus back on Play")
    saw(window, seen)


def finish(window, seen: dict) -> None:
    session = window.session
    for _ in range(len(session.practice.steps) + 2):
        if session.runner.state is State.CHECK_OUT:
            break
        key("Right")
    wait(lambda: session.runner.state is State.CHECK_OUT, "check-out")
    out = session.checkout
    wait(lambda: focus() is out.intensity.slider, "the check-out scale")
    saw(window, seen)
    seen["check_out_start"] = out.intensity.value()
    key("2")
    tab_to(out.note, "the note")
    type_text("lighter")
    shot("6-check-out", window)
    tab_to(out.go, "Finish")
    key("Return")
    wait(lambda: session.runner.state is State.ENDED, "the end")
    wait(lambda: focus() is session.done.back, "Back to practices")
    saw(window, seen)
    seen["shift"] = session.done.shift_label.text()
    seen["session_id"] = read(window, lambda j: j.session(session.runner.session_id).id,
                              "the session id")
    shot("7-done", window)
    key("Return")
    wait(lambda: window.session is None, "the library")
    wait(lambda: focus() is window.library.list, "the focus back on the practices")
    saw(window, seen)


def main(results_path: Path) -> int:
    global app
    app = create_app(sys.argv[:1])
    window = open_window()
    seen: dict = {}
    try:
        for stage in (library_to_check_in, check_in, player, body_map, grounding, finish):
            seen["stage"] = stage.__name__
            stage(window, seen)
    finally:
        seen["notices"] = notices
        results_path.write_text(json.dumps(seen))
    window.close()
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 2:
        shots = Path(sys.argv[2])
        shots.mkdir(parents=True, exist_ok=True)
    sys.exit(main(Path(sys.argv[1])))
