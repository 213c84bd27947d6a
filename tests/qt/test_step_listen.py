""""Listen to this step": the step is rendered in the chosen voice (real espeak-ng) and played
through the one player, piece by piece; a second listen finds every sentence in the cache,
and after one sentence is edited only that sentence is spoken again (issue 19, 2)."""
from __future__ import annotations

import time

import pytest

from app.core.practice import Step
from app.qt.player import GuidancePlayer
from app.qt.step_listen import StepListen
from tests.support.factories import dispose

VOICE = "gmw/en-us"                  # espeak-ng: the quickest real voice
WORDS = "Let your breath settle. Notice the ground beneath you. [listen 8] Now come back."


@pytest.fixture
def listening(qtbot, securebase_home):
    player = GuidancePlayer()
    listen = StepListen(lambda: player)
    listen.rate = 16.0
    yield listen, player
    listen.stop()
    dispose(player)


def hear(qtbot, listen: StepListen, say: str) -> tuple[list[tuple[int, int]], float]:
    """Listen to a step to its end: the pieces played, and seconds until the first began."""
    played: list[tuple[int, int]] = []
    listen.playing.connect(lambda n, of: played.append((n, of)))
    began = time.monotonic()
    with qtbot.waitSignal(listen.finished, timeout=60_000):
        listen.listen("my-evening", Step("arrive", "Arrive", say), VOICE, 140)
        qtbot.waitUntil(lambda: bool(played), timeout=60_000)
        first = time.monotonic() - began
    listen.playing.disconnect()
    return played, first


def test_listen_plays_each_piece_and_a_second_listen_renders_nothing(qtbot, listening):
    listen, player = listening
    started: list[str] = []
    player.started.connect(started.append)
    played, _ = hear(qtbot, listen, WORDS)
    assert played == [(1, 2), (2, 2)]                      # cut at the listening time
    assert listen.last_report.chunks_synthesized == 3
    assert all("previews" in path for path in started)     # never the practice's own audio
    played, second = hear(qtbot, listen, WORDS)
    assert played == [(1, 2), (2, 2)]
    assert listen.last_report.chunks_synthesized == 0
    assert listen.last_report.steps_up_to_date == 2        # both pieces were there already
    assert second < 1.5, second                            # nothing spoken: found at once
    edited = WORDS.replace("Now come back.", "Now, slowly, come back.")
    hear(qtbot, listen, edited)
    assert listen.last_report.chunks_synthesized == 1      # the edited sentence alone


def test_a_newer_listen_wins_and_stop_is_quiet(qtbot, listening):
    listen, player = listening
    listen.rate = 1.0            # long enough to be stopped, however slowly the test is polled
    started: list[str] = []
    player.started.connect(started.append)
    finished: list[bool] = []
    listen.finished.connect(lambda: finished.append(True))
    listen.listen("my-evening", Step("one", "One", "First words."), VOICE, 140)
    listen.listen("my-evening", Step("two", "Two", "Second words, said slowly, so that there "
                                     "is time to stop them before they end."), VOICE, 140)
    qtbot.waitUntil(lambda: bool(started), timeout=60_000)
    assert ["/two" in path for path in started] == [True]   # the first request was dropped
    listen.stop()
    qtbot.wait(100)
    assert not finished and player.current == ""           # stopped, not "finished"


def test_stopping_before_anything_was_heard_leaves_the_shared_player_alone(qtbot, listening,
                                                                            tmp_path):
    from tests.support.factories import tone_wav
    listen, player = listening
    other = tone_wav(tmp_path / "other.wav", 2.0)
    player.play_file(other)                      # something else uses the one player
    listen.stop()
    assert player.current == str(other)
