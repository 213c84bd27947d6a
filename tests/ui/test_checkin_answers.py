"""Nothing is stored that the person did not give (issue 14, "answers never given"): scales
start not answered, untouched ones are stored as NULL (never 3, 5 or the before value), and
the mouse wheel moves a slider only when it has the focus."""
from __future__ import annotations

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication

from app.core.records import SELF_ENERGY, CheckIn
from app.core.session import State
from app.ui.common.keys import install_key_policy
from app.ui.session.checkin import CheckInView
from tests.support.journal import read_now
from tests.ui.test_session_flow import FAST, context, window  # noqa: F401 - fixtures


def wheel(widget, notches: int) -> None:
    """One turn of the mouse wheel over the middle of `widget`."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(),
                        QPoint(0, 120 * notches), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def checkins(qtbot, window, sid):
    return read_now(qtbot, window.context.journal, lambda j: j.checkins(sid))


def test_scales_start_not_answered(qtbot):
    before = CheckIn("before", 6, {"calm": 5, "courage": 2})
    for view in (CheckInView("before", "Tiny"), CheckInView("after", "Tiny", before=before)):
        qtbot.addWidget(view)
        assert view.intensity.value() is None
        assert all(scale.value() is None for scale in view.energy.values())
        assert "not answered" in view.intensity.slider.accessibleDescription()


def test_the_wheel_moves_a_slider_only_when_it_has_the_focus(qtbot):
    view = CheckInView("before", "Tiny")
    qtbot.addWidget(view)
    view.resize(800, 400)
    view.show()
    view.energy_box.setChecked(True)
    curiosity = view.energy["curiosity"]
    wheel(curiosity.slider, -3)
    assert curiosity.value() is None and not curiosity.slider.hasFocus()
    curiosity.setValue(5)
    wheel(curiosity.slider, -3)
    assert curiosity.value() == 5
    view.activateWindow()
    curiosity.slider.setFocus()
    qtbot.waitUntil(curiosity.slider.hasFocus, timeout=2000)
    wheel(curiosity.slider, 1)
    assert curiosity.value() == 6


def test_a_click_on_the_line_answers_where_it_lands(qtbot):
    view = CheckInView("before", "Tiny")
    qtbot.addWidget(view)
    view.resize(800, 500)
    view.show()
    slider = view.intensity.slider
    qtbot.mouseClick(slider, Qt.MouseButton.LeftButton, pos=QPoint(slider.width() - 3,
                                                                   slider.height() // 2))
    assert view.intensity.value() == 10
    qtbot.keyClick(slider, Qt.Key.Key_Delete)             # take the answer back
    assert view.intensity.value() is None


def test_begin_without_answers_stores_no_made_up_values(window, qtbot):
    install_key_policy()
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    session.controller.playback_rate = 0.01
    check = session.checkin
    check.energy_box.setChecked(True)
    check.energy["calm"].slider.setFocus()
    qtbot.keyClick(check.energy["calm"].slider, Qt.Key.Key_4)
    qtbot.mouseClick(check.go, Qt.MouseButton.LeftButton)
    sid = session.runner.session_id
    (before,) = checkins(qtbot, window, sid)
    assert before.intensity is None and before.self_energy == {"calm": 4}
    session.runner.next_step()
    session.runner.next_step()
    session.runner.next_step()
    assert session.runner.state is State.CHECK_OUT
    out = session.checkout
    assert out.intensity.value() is None
    out.intensity.slider.setFocus()
    qtbot.keyClick(out.intensity.slider, Qt.Key.Key_End)
    qtbot.mouseClick(out.go, Qt.MouseButton.LeftButton)
    after = checkins(qtbot, window, sid)[1]
    assert after.intensity == 10 and after.self_energy == {}
    assert session.done.shift_label.text() == ""          # no "before" was given: no shift


def test_nothing_given_stores_no_check_in_row(window, qtbot):
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    qtbot.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    sid = session.runner.session_id
    assert checkins(qtbot, window, sid) == []
    session.runner.ground()
    session.runner.end_by_grounding()
    assert read_now(qtbot, window.context.journal, lambda j: j.session(sid).outcome) == \
        "grounded"


def test_check_out_shows_the_before_values_beside_not_as_answers(qtbot):
    before = CheckIn("before", 6, {"calm": 5})
    view = CheckInView("after", "Tiny", before=before)
    qtbot.addWidget(view)
    given = []
    view.submitted.connect(lambda *args: given.append(args))
    assert "6" in view.shift_label.text()
    assert "before 5" in view.energy_before["calm"].text()
    view.energy_box.setChecked(True)
    qtbot.mouseClick(view.go, Qt.MouseButton.LeftButton)
    intensity, energy, _part, note = given[0]
    assert intensity is None and energy == {} and note == ""
    assert set(view.energy) == set(SELF_ENERGY)


def test_other_sliders_leave_the_wheel_to_the_page(qtbot, tmp_path):
    from app.ui.body.mark_panel import MarkPanel
    from app.ui.common.theme import LIGHT
    from app.ui.session.player import PlayerView
    from tests.support.factories import tiny_practice
    panel, player = MarkPanel(LIGHT), PlayerView(tiny_practice(2), 0.5)
    for owner, slider in ((panel, panel.intensity), (player, player.volume)):
        qtbot.addWidget(owner)
        before = slider.value()
        wheel(slider, 2)
        assert slider.value() == before and not slider.hasFocus()
