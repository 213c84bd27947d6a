"""The safety exits (issue 14, "safety flow"): a way to ground wherever the person is, and a
help card they fill in themselves."""
from __future__ import annotations

from PySide6.QtCore import Qt

from app.core.session import State
from app.ui.common.keys import install_key_policy
from tests.ui.test_session_flow import FAST, context, window  # noqa: F401 - fixtures


def test_a_high_intensity_offers_a_button_to_ground(window, qtbot):
    install_key_policy()
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    check = session.checkin
    assert not check.ground_first.isVisibleTo(check)
    check.intensity.slider.setFocus()
    qtbot.keyClick(check.intensity.slider, Qt.Key.Key_8)
    assert check.ground_first.isVisibleTo(check) and check.hint.isVisibleTo(check)
    check.ground_first.setFocus()
    qtbot.keyClick(check.ground_first, Qt.Key.Key_Return)
    assert session.runner.state is State.GROUNDING
    assert session.runner.session_id is None            # nothing was started or stored
    qtbot.mouseClick(session.grounding_view.back, Qt.MouseButton.LeftButton)
    assert session.runner.state is State.CHECK_IN
    assert check.intensity.value() == 8                 # the answer is still there
