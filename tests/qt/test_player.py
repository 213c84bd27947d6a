"""GuidancePlayer: a step heard before it is fully rendered plays as its head, then its rest,
and says `finished` once, after the rest (even when the rest is written after the head ended)."""
from __future__ import annotations

from pathlib import Path

import pytest

from app.qt.player import GuidancePlayer
from tests.support.factories import dispose, tone_wav


@pytest.fixture
def player(qtbot):
    made = GuidancePlayer()
    yield made
    dispose(made)


def test_head_then_rest_is_one_file_to_its_listeners(player, qtbot, tmp_path: Path) -> None:
    head, rest = tone_wav(tmp_path / "head.wav", 0.2), tone_wav(tmp_path / "rest.wav", 0.2)
    finished: list[str] = []
    started: list[str] = []
    player.finished.connect(finished.append)
    player.started.connect(started.append)
    player.continue_with(head, None)               # the rest is still rendering
    player.play_file(head, 4.0)
    qtbot.waitUntil(lambda: player._waiting, timeout=5000)
    qtbot.wait(100)
    assert finished == [] and player.current == str(head)
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.continue_with(head, rest)           # written: it plays at once
    assert finished == [str(head)] and started == [str(head)]
    assert player.position_ms() >= 150             # the head's length counts on
    assert player.duration_ms() >= 350             # head and rest: one file's length


def test_a_paused_head_waits_for_resume_before_the_rest(player, qtbot, tmp_path: Path) -> None:
    head, rest = tone_wav(tmp_path / "head.wav", 0.2), tone_wav(tmp_path / "rest.wav", 0.2)
    player.continue_with(head, None)
    player.play_file(head, 4.0)
    qtbot.waitUntil(lambda: player._waiting, timeout=5000)
    player.pause()
    player.continue_with(head, rest)
    qtbot.wait(150)
    assert player._waiting                          # still paused: nothing plays
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.resume()


def test_the_position_signal_counts_the_head_while_the_rest_plays(player, qtbot,
                                                                 tmp_path: Path) -> None:
    head, rest = tone_wav(tmp_path / "head.wav", 0.3), tone_wav(tmp_path / "rest.wav", 0.6)
    positions: list[tuple[int, int]] = []
    player.position.connect(lambda at, length: positions.append((at, length)))
    player.continue_with(head, rest)
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.play_file(head, 2.0)
    late = [at for at, length in positions if at > 0 and length >= 850]
    assert late and max(late) >= 400                     # past the head's 300 ms


def test_wav_seconds_reads_the_length(tmp_path: Path) -> None:
    from app.qt.guidance_audio import wav_seconds
    assert wav_seconds(tone_wav(tmp_path / "half.wav", 0.5)) == pytest.approx(0.5, abs=0.001)


def test_a_file_that_cannot_be_played_is_said_once_with_the_reason(player, qtbot,
                                                                   tmp_path: Path) -> None:
    broken = tmp_path / "broken.wav"
    broken.write_bytes(b"RIFF this is not audio at all")
    said: list[str] = []
    player.error.connect(said.append)
    with qtbot.waitSignal(player.error, timeout=5000):
        player.play_file(broken)
    qtbot.wait(200)                                  # Qt may report it twice: said once
    assert len(said) == 1 and player.current == ""
    assert said[0].startswith("Playback stopped: ") and said[0].endswith(".")
    assert said[0] != "Playback stopped: the audio could not be played."   # Qt's own reason


def test_the_volume_stays_within_silence_and_full(player) -> None:
    """A volume from an old preferences file or a slider's edge never goes past full (a blast
    in the person's ears) or below silence."""
    player.set_volume(1.5)
    assert player.volume() == pytest.approx(1.0)
    player.set_volume(-0.5)
    assert player.volume() == pytest.approx(0.0)
    player.set_volume(0.3)
    assert player.volume() == pytest.approx(0.3)


def test_a_rest_paused_and_resumed_goes_on_where_it_was(player, qtbot, tmp_path: Path) -> None:
    """Pause in the second part of a step heard while it was rendered, then Play: the voice
    goes on from where it stopped, not from the start of that part."""
    head, rest = tone_wav(tmp_path / "head.wav", 0.2), tone_wav(tmp_path / "rest.wav", 1.0)
    player.continue_with(head, rest)
    player.play_file(head, 2.0)
    qtbot.waitUntil(lambda: player.position_ms() > 500, timeout=5000)     # into the rest
    player.pause()
    held_at = player.position_ms()
    player.resume()
    assert player.position_ms() >= held_at
    with qtbot.waitSignal(player.finished, timeout=5000):
        pass
