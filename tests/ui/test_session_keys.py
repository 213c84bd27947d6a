"""Keys act on the focused control first; the practice keys apply only when no control claims
the key (issue 14, "keyboard traps"). Keys are sent to the widget that has the focus, as a
keyboard does, through the real window and its key policy."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.session import State
from app.ui.common.keys import install_key_policy
from tests.ui.test_session_flow import FAST, context, window  # noqa: F401 - fixtures

ENTER_KEYS = (Qt.Key.Key_Space, Qt.Key.Key_Return)


def press(qtbot, widget, key) -> None:
    """Give `widget` the focus and press `key` on it, as the keyboard would."""
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.keyClick(widget, key)


def begin(window, qtbot, practice_index: int = 0):
    install_key_policy()
    window.start_practice(window.context.practices[practice_index], playback_rate=FAST)
    session = window.session
    session.controller.playback_rate = 0.01        # hold each step so keys decide
    return session


def grounded(window, qtbot):
    session = begin(window, qtbot)
    press(qtbot, session.checkin.go, Qt.Key.Key_Return)
    qtbot.keyClick(session.player_view.play_button, Qt.Key.Key_Escape)
    assert session.runner.state is State.GROUNDING
    return session


def test_check_in_keys_go_to_its_controls(window, qtbot):
    session = begin(window, qtbot)
    check = session.checkin
    press(qtbot, check.energy_box, Qt.Key.Key_Space)
    assert check.energy_box.isChecked()
    press(qtbot, check.energy_box, Qt.Key.Key_Return)
    assert not check.energy_box.isChecked()
    slider = check.intensity.slider
    press(qtbot, slider, Qt.Key.Key_Right)
    first = check.intensity.value()
    assert first is not None
    qtbot.keyClick(slider, Qt.Key.Key_Right)
    assert check.intensity.value() == first + 1
    qtbot.keyClick(slider, Qt.Key.Key_Left)
    assert check.intensity.value() == first
    press(qtbot, check.go, Qt.Key.Key_Space)
    assert session.runner.state is State.PLAYING


def test_enter_on_begin_starts_the_practice(window, qtbot):
    session = begin(window, qtbot)
    press(qtbot, session.checkin.go, Qt.Key.Key_Enter)
    assert session.runner.state is State.PLAYING


def test_space_on_a_focused_next_goes_to_the_next_step(window, qtbot):
    session = begin(window, qtbot)
    press(qtbot, session.checkin.go, Qt.Key.Key_Return)
    press(qtbot, session.player_view.next_button, Qt.Key.Key_Space)
    assert session.runner.index == 1 and session.runner.state is State.PLAYING
    press(qtbot, session.player_view.prev_button, Qt.Key.Key_Return)
    assert session.runner.index == 0


def test_practice_keys_apply_where_no_control_claims_them(window, qtbot):
    session = begin(window, qtbot)
    press(qtbot, session.checkin.go, Qt.Key.Key_Return)
    view = session.player_view
    assert window.focusWidget() is view.play_button       # focus lands on the player
    press(qtbot, view.play_button, Qt.Key.Key_Right)     # a button does not claim arrows
    assert session.runner.index == 1
    qtbot.keyClick(view.play_button, Qt.Key.Key_Left)
    assert session.runner.index == 0
    press(qtbot, view.steps, Qt.Key.Key_Space)            # the list of steps: Space plays
    assert session.runner.state is State.PAUSED
    press(qtbot, view.volume, Qt.Key.Key_Space)
    assert session.runner.state is State.PLAYING
    volume = view.volume.value()
    press(qtbot, view.volume, Qt.Key.Key_Left)             # a slider keeps its arrows
    assert view.volume.value() == volume - 1 and session.runner.index == 0
    press(qtbot, view.steps, Qt.Key.Key_R)
    sid = session.runner.session_id
    from tests.support.journal import read_now
    kinds = [k for _, k in read_now(qtbot, window.context.journal,
                                    lambda j: j.step_events(sid))]
    assert kinds[-1] == "replayed"


def test_grounding_buttons_answer_space_and_enter(window, qtbot):
    session = grounded(window, qtbot)
    ground = session.grounding_view
    asked = []
    ground.listen_requested.connect(lambda: asked.append("listen"))
    ground.stop_listening.connect(lambda: asked.append("stop"))
    press(qtbot, ground.listen, Qt.Key.Key_Space)
    press(qtbot, ground.listen, Qt.Key.Key_Return)
    assert asked[:1] == ["listen"] and len(asked) == 2
    press(qtbot, ground.back, Qt.Key.Key_Return)
    assert session.runner.state is State.PAUSED
    qtbot.keyClick(session.player_view.play_button, Qt.Key.Key_Escape)
    press(qtbot, ground.end, Qt.Key.Key_Space)
    assert session.runner.state is State.ENDED
    press(qtbot, session.done.back, Qt.Key.Key_Return)
    assert window.session is None


def test_leave_and_back_to_practices_answer_the_keyboard(window, qtbot):
    session = grounded(window, qtbot)
    press(qtbot, session.leave, Qt.Key.Key_Space)
    assert window.session is None
    session = begin(window, qtbot)
    press(qtbot, session.checkin.go, Qt.Key.Key_Return)
    qtbot.keyClick(session.player_view.play_button, Qt.Key.Key_Escape)
    press(qtbot, session.grounding_view.end, Qt.Key.Key_Return)
    press(qtbot, session.done.back, Qt.Key.Key_Space)
    assert window.session is None and window.sidebar.isVisible()


def test_enter_activates_buttons_outside_a_practice(window, qtbot):
    install_key_policy()
    settings = window.findChild(type(window.library.begin), "nav-settings")
    press(qtbot, settings, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.pages["settings"]
    press(qtbot, window.library.begin, Qt.Key.Key_Enter)
    assert window.session is not None


def test_grounding_opens_with_the_focus_on_the_grounding(window, qtbot):
    session = grounded(window, qtbot)
    assert window.focusWidget() is session.grounding_view.listen
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Space)
    assert session.runner.state is State.GROUNDING       # Space listens; it never returns
