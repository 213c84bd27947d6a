"""StepListen's flow with the rendering replaced by tiny tones (the real voice is heard in
test_step_listen.py): what the editor hears and shows around "Listen to this step"."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

import app.qt.step_listen as step_listen
import app.speech.step_preview as step_preview
from app.core.practice import Step
from app.qt.player import GuidancePlayer
from app.qt.step_listen import StepListen
from app.speech.step_preview import StepAudio
from tests.support.factories import dispose, tone_wav

STEP = Step("arrive", "Arrive", "Settle. [listen 8] Come back.")


class Renders:
    """Stands in for render_step: tones per piece; a failure when asked; a gate to hold it."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.fail: BaseException | None = None
        self.pieces = 2
        self.seconds = 0.2
        self.gate = threading.Event()
        self.gate.set()
        self.asked: list[str] = []

    def __call__(self, practice_id: str, step: Step, settings, **_) -> StepAudio:
        self.asked.append(step.id)
        self.gate.wait(10)
        if self.fail is not None:
            raise self.fail
        files = tuple(tone_wav(self.folder / f"{step.id}-{n}.wav", self.seconds, 330 + 110 * n)
                      for n in range(self.pieces))
        return StepAudio(files, report=None)  # type: ignore[arg-type]


@pytest.fixture
def listening(qtbot, tmp_path, monkeypatch):
    renders = Renders(tmp_path)
    monkeypatch.setattr(step_preview, "render_step", renders)
    monkeypatch.setattr(step_listen, "GAP_MS", 50)          # 800 ms between pieces in the app
    player = GuidancePlayer()
    listen = StepListen(lambda: player)
    listen.rate = 4.0
    yield listen, player, renders
    listen.stop()
    dispose(player)


def test_preparing_then_each_piece_then_finished(qtbot, listening):
    listen, player, _ = listening
    said: list[object] = []
    listen.preparing.connect(lambda: said.append("preparing"))
    listen.playing.connect(lambda n, of: said.append((n, of)))
    with qtbot.waitSignal(listen.finished, timeout=10_000):
        listen.listen("mine", STEP, None, 140)
    assert said == ["preparing", (1, 2), (2, 2)]


def test_a_step_with_nothing_to_play_is_finished_at_once(qtbot, listening):
    listen, _, renders = listening
    renders.pieces = 0
    with qtbot.waitSignal(listen.finished, timeout=10_000):
        listen.listen("mine", STEP, None, 140)


@pytest.mark.parametrize(("error", "sentence"), [
    (RuntimeError("The voice is not installed."), "(the voice is not installed)"),
    (RuntimeError("   "), "(runtimeError)"),
    (OSError(), "(oSError)")])
def test_a_failed_render_is_said_in_one_plain_sentence(qtbot, listening, error, sentence):
    listen, _, renders = listening
    renders.fail = error
    with qtbot.waitSignal(listen.failed, timeout=10_000) as failed:
        listen.listen("mine", STEP, None, 140)
    assert failed.args[0] == f"This step cannot be heard right now {sentence}."


def test_listen_again_while_rendering_renders_only_the_newest(qtbot, listening):
    listen, player, renders = listening
    renders.gate.clear()                       # the first render is still going
    started: list[str] = []
    player.started.connect(started.append)
    listen.listen("mine", STEP, None, 140)
    listen.listen("mine", Step("other", "Other", "Other words."), None, 140)
    listen.listen("mine", Step("newest", "Newest", "Newest words."), None, 140)
    renders.gate.set()
    with qtbot.waitSignal(listen.finished, timeout=10_000):
        pass
    assert renders.asked == ["arrive", "newest"]          # "other" was never rendered
    assert all("newest" in path for path in started)


def test_a_failure_of_an_older_listen_is_not_said(qtbot, listening):
    listen, _, renders = listening
    renders.gate.clear()
    renders.fail = RuntimeError("old trouble")
    failed: list[str] = []
    listen.failed.connect(failed.append)
    listen.listen("mine", STEP, None, 140)
    listen.stop()                               # the person stopped before it was ready
    renders.gate.set()
    qtbot.waitUntil(lambda: renders.asked == ["arrive"], timeout=10_000)
    qtbot.wait(200)
    assert failed == []


def test_stop_between_pieces_plays_no_more(qtbot, listening):
    listen, player, _ = listening
    played: list[int] = []
    listen.playing.connect(lambda n, of: played.append(n))
    finished: list[bool] = []
    listen.finished.connect(lambda: finished.append(True))
    listen.listen("mine", STEP, None, 140)
    qtbot.waitUntil(lambda: played == [1], timeout=10_000)
    with qtbot.waitSignal(player.finished, timeout=10_000):
        pass                                     # the first piece ends: the gap begins
    listen.stop()
    qtbot.wait(300)                              # longer than the gap between pieces
    assert played == [1] and not finished and player.current == ""


def test_pieces_play_one_after_the_other_with_a_pause_between_and_listen_works_again(
        qtbot, listening, monkeypatch):
    listen, player, renders = listening
    renders.pieces, renders.seconds, listen.rate = 3, 0.3, 1.0
    events: list[tuple[str, float]] = []
    listen.playing.connect(lambda n, of: events.append((f"playing {n}", time.monotonic())))
    player.finished.connect(
        lambda path: events.append(("ended " + Path(path).stem[-1], time.monotonic())))
    listen.finished.connect(lambda: events.append(("finished", time.monotonic())))
    for _ in range(2):                        # the second time too (nothing left half-done)
        events.clear()
        with qtbot.waitSignal(listen.finished, timeout=10_000):
            listen.listen("mine", STEP, None, 140)
        assert [e for e, _ in events] == ["playing 1", "ended 0", "playing 2", "ended 1",
                                          "playing 3", "ended 2", "finished"]
        at = dict(events)
        assert at["playing 2"] - at["ended 0"] >= 0.04   # the pause between pieces (50 ms)


def test_stop_silences_the_piece_playing_now_and_nothing_follows(qtbot, listening):
    listen, player, renders = listening
    renders.pieces, renders.seconds, listen.rate = 2, 2.0, 1.0
    played: list[int] = []
    listen.playing.connect(lambda n, of: played.append(n))
    listen.listen("mine", STEP, None, 140)
    qtbot.waitUntil(lambda: played == [1], timeout=10_000)
    listen.stop()
    assert player.current == ""
    qtbot.wait(300)
    assert played == [1] and player.current == ""


def test_stop_during_the_last_piece_silences_it(qtbot, listening):
    listen, player, renders = listening
    renders.pieces, renders.seconds, listen.rate = 1, 2.0, 1.0
    listen.listen("mine", STEP, None, 140)
    qtbot.waitUntil(lambda: player.current != "", timeout=10_000)
    listen.stop()
    assert player.current == ""


def test_a_new_listen_silences_the_old_one_at_once(qtbot, listening):
    listen, player, renders = listening
    renders.seconds, listen.rate = 2.0, 1.0
    listen.listen("mine", STEP, None, 140)
    qtbot.waitUntil(lambda: player.current != "", timeout=10_000)
    renders.gate.clear()                       # the new one is still being prepared
    listen.listen("mine", Step("other", "Other", "Other words."), None, 140)
    assert player.current == ""
    renders.gate.set()


def test_after_a_step_with_nothing_to_play_stop_leaves_other_sound_alone(qtbot, listening,
                                                                         tmp_path):
    listen, player, renders = listening
    renders.pieces = 0
    with qtbot.waitSignal(listen.finished, timeout=10_000):
        listen.listen("mine", STEP, None, 140)
    other = tone_wav(tmp_path / "other.wav", 2.0)
    player.play_file(other)                    # the session's voice, say
    listen.stop()
    assert player.current == str(other)


def test_a_second_stop_later_leaves_other_sound_alone(qtbot, listening, tmp_path):
    """Stopped in the middle of a step, then the session's voice plays on the one player:
    closing the editor (another stop) must not silence it."""
    listen, player, renders = listening
    renders.seconds, listen.rate = 2.0, 1.0
    listen.listen("mine", STEP, None, 140)
    qtbot.waitUntil(lambda: player.current != "", timeout=10_000)
    listen.stop()
    other = tone_wav(tmp_path / "other.wav", 2.0)
    player.play_file(other)
    listen.stop()
    assert player.current == str(other)


def test_a_step_is_heard_at_the_normal_speed_unless_asked_otherwise(qtbot, tmp_path,
                                                                      monkeypatch):
    renders = Renders(tmp_path)
    monkeypatch.setattr(step_preview, "render_step", renders)
    player = GuidancePlayer()
    rates: list[float] = []
    real = player.play_file
    monkeypatch.setattr(player, "play_file", lambda path, rate=1.0: (rates.append(rate),
                                                                      real(path, 16.0)))
    listen = StepListen(lambda: player)
    with qtbot.waitSignal(listen.finished, timeout=10_000):
        listen.listen("mine", STEP, None, 140)
    assert rates == [1.0, 1.0]
    dispose(player)


def test_after_a_step_heard_to_its_end_stop_leaves_other_sound_alone(qtbot, listening,
                                                                     tmp_path):
    """The step was heard to its end; then the session's voice plays on the one player, and
    closing the editor (a stop) must not silence it."""
    listen, player, renders = listening
    with qtbot.waitSignal(listen.finished, timeout=10_000):
        listen.listen("mine", STEP, None, 140)
    other = tone_wav(tmp_path / "other.wav", 2.0)
    player.play_file(other)
    listen.stop()
    assert player.current == str(other)
