"""SequencePlayback (the grounding exercise): every item in order, each followed by its own
quiet, then done; stop stops the voice and the waiting."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from app.qt.player import GuidancePlayer
from app.qt.sequence import SequencePlayback
from tests.support.factories import dispose, tone_wav


@pytest.fixture(scope="module")
def player(qapp):
    one = GuidancePlayer()          # one player, as the app keeps (see test_session_controls)
    yield one
    dispose(one)


@pytest.fixture
def sequence(player):
    made = SequencePlayback(player)
    yield made
    made.stop()
    dispose(made)


def test_items_play_in_order_with_their_quiet_between(qtbot, player, sequence, tmp_path):
    items = [(tone_wav(tmp_path / f"{n}.wav", 0.2), quiet) for n, quiet in ((1, 0.6), (2, 0.0))]
    steps: list[tuple[int, float]] = []
    sequence.step_changed.connect(lambda i: steps.append((i, time.monotonic())))
    ended: list[float] = []
    player.finished.connect(lambda _path: ended.append(time.monotonic()))
    with qtbot.waitSignal(sequence.done, timeout=8000):
        sequence.start(items)
        assert sequence.active and Path(player.current) == items[0][0]
    assert [i for i, _ in steps] == [0, 1]
    assert steps[1][1] - ended[0] >= 0.55                # the first item's quiet, kept
    assert not sequence.active


def test_stop_ends_the_voice_and_the_quiet(qtbot, player, sequence, tmp_path):
    items = [(tone_wav(tmp_path / "a.wav", 0.2), 0.3), (tone_wav(tmp_path / "b.wav", 0.2), 0.0)]
    changed: list[int] = []
    sequence.step_changed.connect(changed.append)
    sequence.start(items)
    qtbot.waitUntil(lambda: player.position_ms() > 0, timeout=3000)
    sequence.stop()
    assert not sequence.active and player.current == ""
    qtbot.wait(700)                                       # longer than item and quiet
    assert changed == [0]                                 # the second never started


def test_each_item_plays_to_its_end_even_when_its_quiet_is_short(qtbot, player, sequence,
                                                                 tmp_path):
    """The quiet after an item is waited once: a longer item after it is not cut short."""
    items = [(tone_wav(tmp_path / f"{n}.wav", seconds), 0.05)
             for n, seconds in ((1, 0.1), (2, 0.5), (3, 0.1))]
    steps: list[tuple[int, float]] = []
    sequence.step_changed.connect(lambda i: steps.append((i, time.monotonic())))
    with qtbot.waitSignal(sequence.done, timeout=8000):
        sequence.start(items)
    assert [i for i, _ in steps] == [0, 1, 2]
    assert steps[2][1] - steps[1][1] >= 0.45                 # the second item, whole


def test_once_done_the_shared_player_ending_a_file_starts_nothing(qtbot, player, sequence,
                                                                   tmp_path):
    """The player is shared: after grounding has ended, the same file played elsewhere and
    reaching its end must not start grounding again."""
    items = [(tone_wav(tmp_path / f"{n}.wav", 0.1), 0.05) for n in (1, 2)]
    with qtbot.waitSignal(sequence.done, timeout=8000):
        sequence.start(items)
    changed: list[int] = []
    sequence.step_changed.connect(changed.append)
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.play_file(items[-1][0])
    qtbot.wait(150)                                          # past the quiet after it
    assert changed == [] and not sequence.active
