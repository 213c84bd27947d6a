"""Drive whole sittings through the real widgets, controller, player and journal."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.storage.preferences import Preferences
from app.core.session import State
from app.qt.player import GuidancePlayer
from app.qt.session_controller import SessionController
from app.core.session import SessionRunner
from app.storage.journal import Journal
from app.ui.context import AppContext
from app.ui.common.widgets import minutes_text
from app.ui.main_window import MainWindow
from tests.support.factories import dispose, tiny_practice, tone_wav
from tests.support.journal import close_context, read_now

FAST = 40.0     # text-only pacing and playback sped up for tests


@pytest.fixture
def context(tmp_path):
    grounding = tiny_practice(2, practice_id="grounding")
    ctx = AppContext([tiny_practice(3, ask_body_at=2), grounding], [], Preferences(),
                     journal_path=str(tmp_path / "journal.db"))
    yield ctx
    close_context(ctx)
    if ctx._player is not None:
        dispose(ctx._player)


@pytest.fixture
def window(qtbot, context, monkeypatch):
    # no sound device on test machines: sessions fall back to text paced by word count
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: False)
    win = MainWindow(context)
    qtbot.addWidget(win)
    win.show()
    yield win
    if win.session is not None:      # no timers left running once the player is disposed
        win.session.shutdown()
        win.session.controller.runner.stop_early()


def start(window, qtbot, practice_index: int = 0):
    window.start_practice(window.context.practices[practice_index], playback_rate=FAST)
    session = window.session
    session.checkin.intensity.setValue(3)
    qtbot.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
    return session


def test_text_only_practice_from_check_in_to_check_out(window, qtbot):
    session = start(window, qtbot)
    assert "No sound device" in session.player_view.banner.text()
    qtbot.waitUntil(lambda: session.runner.state is State.CHECK_OUT, timeout=15000)
    session.checkout.intensity.setValue(1)
    session.checkout.note.setPlainText("lighter")
    qtbot.mouseClick(session.checkout.go, Qt.MouseButton.LeftButton)
    assert session.runner.state is State.ENDED
    assert session.done.shift_label.text() == "3  →  1"
    sid = session.runner.session_id
    record, steps, checkins = read_now(qtbot, window.context.journal, lambda j: (
        j.session(sid), j.step_events(sid), j.checkins(sid)))
    assert (record.outcome, record.note) == ("completed", "lighter")
    assert steps == [(f"s{i}", kind) for i in (1, 2, 3) for kind in ("started", "finished")]
    assert [c.intensity for c in checkins] == [3, 1]


def test_no_volume_is_offered_when_no_sound_device_was_found(window, qtbot):
    session = start(window, qtbot)
    pv = session.player_view
    assert pv.isVisible() and not pv.volume.isVisible()
    for _ in range(12):                         # and Tab never lands on it
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        assert window.focusWidget() is not pv.volume


def test_the_volume_is_offered_when_a_sound_device_is_there(window, qtbot, monkeypatch):
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: True)
    monkeypatch.setattr("app.qt.guidance_audio.GuidanceAudio.prepare", lambda self, wanted: None)
    session = start(window, qtbot)
    assert session.player_view.volume.isVisible()


def test_keyboard_controls(window, qtbot):
    session = start(window, qtbot)
    session.controller.playback_rate = 0.01        # hold each step so keys decide
    qtbot.keyClick(session, Qt.Key.Key_Right)
    assert session.runner.index == 1
    qtbot.keyClick(session, Qt.Key.Key_R)
    qtbot.keyClick(session, Qt.Key.Key_Left)
    assert session.runner.index == 0
    qtbot.keyClick(session, Qt.Key.Key_Space)
    assert session.runner.state is State.PAUSED
    qtbot.keyClick(session, Qt.Key.Key_Space)
    assert session.runner.state is State.PLAYING
    sid = session.runner.session_id
    kinds = [k for _, k in read_now(qtbot, window.context.journal, lambda j: j.step_events(sid))]
    assert kinds == ["started", "skipped", "started", "replayed", "started", "paused", "resumed"]


def test_escape_pauses_and_grounds_then_returns(window, qtbot, monkeypatch, tmp_path):
    # With sound: the step's voice is really playing when Escape comes (no render needed).
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: True)
    monkeypatch.setattr("app.qt.guidance_audio.GuidanceAudio.prepare", lambda self, wanted: None)
    session = start(window, qtbot)
    session.controller.playback_rate = 0.05
    session.controller.set_step_audio("s1", tone_wav(tmp_path / "s1.wav", 0.5), 0.5)
    qtbot.waitUntil(window.context.player.is_playing, timeout=3000)
    qtbot.keyClick(session, Qt.Key.Key_Escape)
    assert session.runner.state is State.GROUNDING
    assert session.pages.currentWidget() is session.grounding_view
    assert "crisis line" in session.grounding_view.help_text.text()
    assert not window.context.player.is_playing()
    assert session.grounding_view.subtitle.text().startswith("The voice has stopped.")
    qtbot.mouseClick(session.grounding_view.back, Qt.MouseButton.LeftButton)
    assert session.runner.state is State.PAUSED and session.runner.index == 0


@pytest.mark.parametrize("where", ["check-in", "text only"])
def test_grounding_says_the_voice_stopped_only_when_it_was_speaking(window, qtbot, where):
    """review8: "The voice has stopped" greeted Esc at the check-in and in text-only mode,
    where no voice had been speaking."""
    window.start_practice(window.context.practices[0], playback_rate=FAST)
    session = window.session
    if where == "text only":                       # no sound device on test machines
        session.controller.playback_rate = 0.01
        qtbot.mouseClick(session.checkin.go, Qt.MouseButton.LeftButton)
        assert session.runner.state is State.PLAYING
    qtbot.mouseClick(session.ground_button, Qt.MouseButton.LeftButton)
    said = session.grounding_view.subtitle.text()
    assert "voice" not in said and said.startswith("Nothing needs to happen now.")


def test_grounding_can_end_the_session(window, qtbot):
    session = start(window, qtbot)
    qtbot.mouseClick(session.ground_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(session.grounding_view.end, Qt.MouseButton.LeftButton)
    sid = session.runner.session_id
    assert read_now(qtbot, window.context.journal, lambda j: j.session(sid).outcome) == "grounded"
    qtbot.mouseClick(session.done.back, Qt.MouseButton.LeftButton)
    assert window.session is None and window.sidebar.isVisible()


def resume_at_step_2(window, qtbot, monkeypatch) -> tuple[MainWindow, int, str]:
    """A practice left at step 2 (the app "crashes"), then a new window whose offer to resume
    the person accepts: (the new window, the session's id, the offer's words)."""
    session = start(window, qtbot)
    session.controller.playback_rate = 0.01
    session.runner.next_step()                   # now at step 2; the app "crashes"
    session_id = read_now(qtbot, window.context.journal,
                          lambda j: j.session(session.runner.session_id).id)
    window.close()
    from PySide6.QtWidgets import QMessageBox
    clicked = {}

    def choose_continue(box):
        clicked["text"] = box.text()
        return next(b for b in box.buttons() if b.text() == "Continue")
    monkeypatch.setattr(QMessageBox, "exec", lambda box: None)
    monkeypatch.setattr(QMessageBox, "clickedButton", choose_continue)
    again = MainWindow(window.context)
    qtbot.addWidget(again)
    again.offer_resume()
    qtbot.waitUntil(lambda: again.session is not None, timeout=5000)
    return again, session_id, clicked["text"]


def test_resume_after_the_window_closed_mid_practice(window, qtbot, monkeypatch):
    again, session_id, offered = resume_at_step_2(window, qtbot, monkeypatch)
    assert "Step 2" in offered
    resumed = again.session
    assert resumed.runner.session_id == session_id and resumed.runner.index == 1
    assert resumed.runner.state is State.PAUSED


def test_a_resumed_step_shows_its_length_before_play(window, qtbot, monkeypatch):
    """The resumed step, shown paused, had no time line at all until Play was pressed."""
    again, _, _ = resume_at_step_2(window, qtbot, monkeypatch)
    resumed = again.session
    c, pv = resumed.controller, resumed.player_view
    total = minutes_text(c.step_total(resumed.runner.step))
    left = minutes_text(c.remaining_practice_seconds(0))
    assert pv.time_label.text() == (f"0:00 / {total} in this step  ·  about {left} left in "
                                    "the practice")
    assert pv.step_progress.value() == 0
    again.session.shutdown()
    again.session.controller.runner.stop_early()


def test_a_resumed_steps_length_follows_its_voice(window, qtbot, monkeypatch, tmp_path):
    """With sound: the length is the step's reading estimate until its voice is ready, then
    the voice's own, still at 0:00 and paused."""
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: True)
    monkeypatch.setattr("app.qt.guidance_audio.GuidanceAudio.prepare", lambda self, wanted: None)
    again, _, _ = resume_at_step_2(window, qtbot, monkeypatch)
    resumed = again.session
    pv = resumed.player_view
    assert pv.time_label.text().startswith("0:00 / ")
    resumed.controller.set_step_audio("s2", tone_wav(tmp_path / "s2.wav", 0.5), 95.0)
    total = minutes_text(resumed.controller.step_total(resumed.runner.step))
    assert total.startswith("1:3")                      # 95 s of voice and the quiet after
    assert pv.time_label.text().startswith(f"0:00 / {total} in this step")
    assert resumed.runner.state is State.PAUSED and not again.context.player.is_playing()
    again.session.shutdown()
    again.session.controller.runner.stop_early()


def test_a_new_step_never_shows_the_last_steps_time(window, qtbot, monkeypatch, tmp_path):
    """While the next step's voice is still being prepared, its time line starts at 0:00
    (it went on showing the step before's position and length)."""
    monkeypatch.setattr("app.ui.session.view.has_sound_output", lambda: True)
    monkeypatch.setattr("app.qt.guidance_audio.GuidanceAudio.prepare", lambda self, wanted: None)
    session = start(window, qtbot)
    session.controller.playback_rate = 0.05
    session.controller.set_step_audio("s1", tone_wav(tmp_path / "s1.wav", 0.5), 0.5)
    pv = session.player_view
    qtbot.waitUntil(lambda: pv.time_label.text()[:4] not in ("", "0:00"), timeout=5000)
    session.runner.next_step()                          # no voice for step 2 yet
    total = minutes_text(session.controller.step_total(session.runner.step))
    assert pv.time_label.text().startswith(f"0:00 / {total} in this step")


def test_real_player_plays_generated_audio_through_a_practice(qtbot, tmp_path):
    """The audio path: each step's WAV plays to its end, then silence, then the next step."""
    journal = Journal(":memory:")
    practice = tiny_practice(3, silence=0.1)
    runner = SessionRunner(practice, journal)
    player = GuidancePlayer()
    controller = SessionController(runner, player, playback_rate=4.0)
    for step in practice.steps:
        controller.set_step_audio(step.id, tone_wav(tmp_path / f"{step.id}.wav", 0.4), 0.4)
    started = []
    player.started.connect(started.append)
    runner.check_in(5)
    qtbot.waitUntil(lambda: runner.state is State.CHECK_OUT, timeout=15000)
    assert [p.rsplit("/", 1)[1] for p in started] == ["s1.wav", "s2.wav", "s3.wav"]
    assert [k for _, k in journal.step_events(runner.session_id)] == ["started", "finished"] * 3
    dispose(controller, player)


def _missing(tmp_path):
    return tmp_path / "gone.wav"


def _truncated(tmp_path):
    whole = tone_wav(tmp_path / "whole.wav", 0.5).read_bytes()
    cut = tmp_path / "cut.wav"
    cut.write_bytes(whole[:30])                  # the header itself is cut short
    return cut


def _junk(tmp_path):
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF\x00\x00\x00\x00WAVEjunk")
    return broken


@pytest.mark.parametrize("make_file", [_missing, _truncated, _junk],
                         ids=["missing file", "truncated WAV", "not audio"])
def test_odd_audio_falls_back_to_text_with_a_message(qtbot, tmp_path, make_file):
    journal = Journal(":memory:")
    practice = tiny_practice(2, silence=0.1)
    runner = SessionRunner(practice, journal)
    player = GuidancePlayer()
    controller = SessionController(runner, player, playback_rate=FAST)
    odd = make_file(tmp_path)
    for step in practice.steps:
        controller.set_step_audio(step.id, odd, 1.0)
    notices = []
    controller.notice.connect(notices.append)
    runner.check_in(4)
    qtbot.waitUntil(lambda: runner.state is State.CHECK_OUT, timeout=15000)
    assert len(notices) == 1 and "continues as text" in notices[0]
    assert [k for _, k in journal.step_events(runner.session_id)] == ["started", "finished"] * 2
    dispose(controller, player)


def test_listening_to_the_grounding_without_sound_says_it_is_there_to_read(window, qtbot):
    """No sound device: the grounding's note speaks of the grounding, and promises no timer
    (it said 'the guidance is shown as text, with a timer paced for reading slowly', and no
    timer ever showed beside the grounding)."""
    session = start(window, qtbot)
    session.ground()
    gv = session.grounding_view
    qtbot.mouseClick(gv.listen, Qt.MouseButton.LeftButton)
    assert not gv.listening and gv.listen.text() == "Listen to the grounding"
    assert gv.status.text() == ("No sound device was found, so the grounding is here to read, "
                                "as slowly as you like.")


def test_listening_to_the_grounding_when_the_voice_failed_says_it_is_there_to_read(window,
                                                                                   qtbot):
    session = start(window, qtbot)
    session.controller.text_only_reason = None
    session.controller.use_text_only("The voice could not be prepared (espeak-ng is missing). "
                                     "The guidance is shown as text, with a timer paced for "
                                     "reading slowly.")
    session.ground()
    gv = session.grounding_view
    qtbot.mouseClick(gv.listen, Qt.MouseButton.LeftButton)
    assert not gv.listening
    assert gv.status.text() == ("The voice isn't available just now, so the grounding is here "
                                "to read, as slowly as you like.")
