"""The sentence cache's bounds (app/speech/chunk_cache.py, speech_cache.py): a change of pace
or voice no longer leaves every old sentence on the disk for ever; what is in use stays; the
least recently *used* goes first; a render is never disturbed; damaged sentences are spoken
again; temporary files of ended renders are swept."""
from __future__ import annotations

import os
import time
import wave
from pathlib import Path

import pytest

from app import paths
from app.speech import chunk_cache, speech_cache
from app.speech.plan import RenderSettings, chunk_key
from app.speech.render import manifest_status
from tests.speech.test_render import FakeEngine, cli, practice, run

STEPS = {"arrive": "Welcome here. Let your body settle.",
         "close": "Thank your parts for being here. Rest now."}
SENTENCES = ["Welcome here.", "Let your body settle.", "Thank your parts for being here.",
             "Rest now."]


def at(rate: int) -> RenderSettings:
    return RenderSettings(rate=rate)   # the standard voice: what the fake engine stands for


def cached(rate: int) -> list[bool]:
    """Which of the practice's sentences at `rate` are in the cache."""
    return [chunk_cache.intact(chunk_cache_file(at(rate), text)) for text in SENTENCES]


def chunk_cache_file(settings: RenderSettings, text: str) -> Path:
    key = chunk_key(settings, text)
    return paths.chunk_cache_dir() / key[:2] / f"{key}.wav"


def set_bytes(rate: int) -> int:
    return sum(chunk_cache_file(at(rate), t).stat().st_size
               + chunk_cache_file(at(rate), t).with_suffix(".kw.npy").stat().st_size
               for t in SENTENCES)


def test_changing_the_pace_keeps_the_cache_within_its_budget(tmp_path: Path) -> None:
    """Three paces tried, then the first one used again: with room for one other pace, the one
    in use and the one *used* most recently stay, the one only made long ago goes."""
    calm = practice(**STEPS)
    for rate in (120, 140, 160):
        run([calm], tmp_path / str(rate), settings=at(rate))
    old = time.time() - 3 * 86400
    for rate in (120, 140, 160):   # made days ago, a minute apart, in this order
        for text in SENTENCES:
            os.utime(chunk_cache_file(at(rate), text), (old + rate, old + rate))
    FakeEngine.calls = []
    run([calm], tmp_path / "120-again", settings=at(120))   # 120 used again: from the cache
    assert FakeEngine.calls == []
    one_pace, gone, in_use = set_bytes(120), set_bytes(140), set_bytes(160)

    result = speech_cache.tidy([calm], None, 160, budget=one_pace)

    assert cached(160) == [True] * 4           # in use (the standard voice stands in at 160)
    assert cached(120) == [True] * 4           # used most recently of the others
    assert cached(140) == [False] * 4          # made, never used since: gone with its energies
    assert not any(chunk_cache_file(at(140), t).with_suffix(".kw.npy").exists()
                   for t in SENTENCES)
    assert result.removed_files == 4 and result.removed_bytes == gone
    assert result.other_bytes == one_pace and result.kept_bytes == in_use


def test_everything_of_the_voice_in_use_stays_whatever_the_budget(tmp_path: Path) -> None:
    calm, other = practice(**STEPS), practice(close="Rest now. Breathe out slowly.")
    run([calm, other], tmp_path, settings=at(140))
    result = speech_cache.tidy([calm, other], "espeak:", 140, budget=0)
    assert result.removed_files == 0 and cached(140) == [True] * 4


def test_cli_render_tidies_the_cache(monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    """`securebase render` at one pace, then another (real espeak-ng): on main every sentence of
    the first pace stayed; now what the window uses (140) and what was just rendered stay."""
    monkeypatch.setattr(chunk_cache, "OTHER_BUDGET_BYTES", 0)
    short = [practice(close="Rest now. Breathe out.")]
    for rate in ("120", "160"):
        assert cli(monkeypatch, short, "render", "--voice", "espeak:", "--rate", rate,
                   "--jobs", "0") == 0
    left = sorted(p.name for p in paths.chunk_cache_dir().rglob("*.wav"))
    assert left == sorted(f"{chunk_key(at(160), t)}.wav" for t in ("Rest now.", "Breathe out."))
    assert "Freed" in capsys.readouterr().out


def test_pruning_never_runs_under_a_render(tmp_path: Path) -> None:
    run([practice(**STEPS)], tmp_path, settings=at(120))
    with chunk_cache.rendering():
        result = speech_cache.tidy([], None, 160, budget=0)
    assert result.busy and cached(120) == [True] * 4
    assert speech_cache.tidy([], None, 160, budget=0).removed_files == 4


def test_pruning_stops_between_batches_when_asked(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    run([practice(**STEPS)], tmp_path, settings=at(120))
    monkeypatch.setattr(chunk_cache, "BATCH", 1)
    asked = iter([False, True])
    result = speech_cache.tidy([], None, 160, budget=0, cancelled=lambda: next(asked))
    assert result.removed_files == 1 and cached(120).count(True) == 3


def _half(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def _wrong_header(path: Path) -> None:
    with wave.open(str(path), "rb") as handle:
        frames = handle.readframes(handle.getnframes())
    with wave.open(str(path), "wb") as handle:   # whole, but not the pipeline's own format
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(16_000)
        handle.writeframes(frames)


@pytest.mark.parametrize("damage", [lambda p: p.write_bytes(b""), _half, _wrong_header],
                         ids=["empty", "half", "wrong-header"])
def test_a_damaged_sentence_is_spoken_again(tmp_path: Path, damage) -> None:
    """write_atomic renames without fsync: after a power cut a sentence can be empty or cut
    short under its real name. It must never be played as silence or half a sentence."""
    calm = practice(**STEPS)
    run([calm], tmp_path / "first")
    before = (tmp_path / "first" / "calm" / "arrive.wav").stat().st_size
    damage(chunk_cache_file(at(140), "Let your body settle."))
    FakeEngine.calls = []
    run([calm], tmp_path / "again")
    assert FakeEngine.calls == ["Let your body settle."]
    assert cached(140) == [True] * 4
    assert (tmp_path / "again" / "calm" / "arrive.wav").stat().st_size == before
    assert all(manifest_status(calm, tmp_path / "again", at(140)).values())


def test_leftovers_of_ended_renders_are_swept(tmp_path: Path) -> None:
    """What a worker ended mid-sentence (a crash, a power cut, the window's end) leaves: the
    engine's raw file, Piper's and write_atomic's temporary files, energies of a sentence
    never written, a step half written; never taken for audio, but litter in the person's
    data folder. Swept at the next tidy (not while a render runs)."""
    run([practice(**STEPS)], paths.audio_dir())
    key = "ab" + "0" * 62
    folder = paths.chunk_cache_dir() / "ab"
    folder.mkdir(exist_ok=True)
    litter = [folder / f".{key}.4242.raw.wav", folder / f"..{key}.4242.raw.wav.4242.part",
              folder / f".{key}.wav.4242.part", folder / f"{key}.kw.npy",
              paths.audio_dir() / "calm" / ".arrive.wav.4242.part",
              paths.audio_dir() / "calm" / ".lead" / ".arrive.head.wav.4242.part"]
    for path in litter:
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(b"RIFF")
    with chunk_cache.rendering():
        assert speech_cache.tidy([], None, 140).busy
    assert all(path.exists() for path in litter)
    result = speech_cache.tidy([], None, 140)
    assert [path for path in litter if path.exists()] == []
    assert result.removed_files == len(litter) and cached(140) == [True] * 4
    assert (paths.audio_dir() / "calm" / "arrive.wav").exists()


def test_sentences_of_steps_already_rendered_count_as_used(tmp_path: Path) -> None:
    """A practice whose steps are all up to date is heard without rendering: its sentences are
    used all the same, so they must not look as old as when they were made."""
    calm = practice(**STEPS)
    run([calm], tmp_path)
    long_ago = time.time() - 30 * 86400
    for text in SENTENCES:
        os.utime(chunk_cache_file(at(140), text), (long_ago, long_ago))
    assert all(manifest_status(calm, tmp_path, at(140)).values())   # what the window asks
    assert all(os.stat(chunk_cache_file(at(140), t)).st_mtime > long_ago + 86400
               for t in SENTENCES)


def test_a_sentence_used_lately_is_not_written_again(tmp_path: Path) -> None:
    """Marking a use writes the file's metadata: not again within the hour (a warm render of
    the whole library would otherwise write 672 of them)."""
    calm = practice(**STEPS)
    run([calm], tmp_path)
    recent = time.time() - chunk_cache.USE_RESOLUTION_SECONDS / 2
    for text in SENTENCES:
        os.utime(chunk_cache_file(at(140), text), (recent, recent))
    assert all(manifest_status(calm, tmp_path, at(140)).values())
    assert [os.stat(chunk_cache_file(at(140), t)).st_mtime for t in SENTENCES] == pytest.approx(
        [recent] * 4, abs=1)
