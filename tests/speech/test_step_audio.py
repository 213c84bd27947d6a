"""Finished steps are bounded like the sentences (app/speech/step_audio.py, chunk_cache.prune):
steps of the voice and pace in use (and the standard voice at that pace), of practices that
still exist, at their current text, are kept; steps of other voices or paces, of deleted
practices and steps, and of older text are unused: counted by Settings, freed by "Clear unused
speech" (budget 0), kept within the budget least recently used first, never while a render
holds the cache. On main every one of them stayed for ever."""
from __future__ import annotations

import os
import time
from pathlib import Path

from app import paths
from app.core.practice import Practice, Step
from app.speech import chunk_cache, speech_cache
from app.speech.plan import RenderSettings, chunk_key
from app.speech.render import manifest_status
from app.speech.voices import audio_dir_for
from tests.speech.test_render import practice, run

STEPS = {"arrive": "Welcome here. Let your body settle.",
         "close": "Thank your parts for being here. Rest now."}
STANDARD = RenderSettings(rate=140)                                  # "espeak:" at 140
US = RenderSettings(engine="espeak", voice="gmw/en-us", rate=140)    # another voice
UK = RenderSettings(engine="espeak", voice="gmw/en-gb-x-rp", rate=140)


def render(practices: list[Practice], settings: RenderSettings) -> Path:
    """Rendered where the window puts it: the voice's own folder under the audio folder."""
    out = audio_dir_for(paths.audio_dir(), settings)
    run(practices, out, settings=settings)
    return out


def wavs(folder: Path) -> list[str]:
    """The steps in a practice's folder (their lead-in pieces aside)."""
    return sorted(p.name for p in folder.glob("*.wav"))


def step_bytes(folder: Path) -> int:
    """Bytes of the steps and their lead-in pieces (the manifest aside)."""
    return sum(p.stat().st_size for p in folder.rglob("*.wav"))


def test_steps_of_another_voice_are_counted_and_cleared(tmp_path: Path) -> None:
    """Two voices tried, the standard one in use: on main the other voice's steps stayed and
    Settings did not count them as unused (unused was only the sentences)."""
    calm = practice(**STEPS)
    in_use, other = render([calm], STANDARD), render([calm], US)
    other_steps = step_bytes(other / "calm")
    kept = sorted(p.relative_to(in_use) for p in (in_use / "calm").rglob("*.wav"))

    before = speech_cache.space([calm], "espeak:", 140)
    assert before.unused >= other_steps

    result = speech_cache.tidy([calm], "espeak:", 140, budget=0)    # "Clear unused speech"

    # the voice in use: every step, with its lead-in pieces
    assert sorted(p.relative_to(in_use) for p in (in_use / "calm").rglob("*.wav")) == kept \
        and kept
    assert not other.exists()                                # the other voice: all of it
    assert not (paths.audio_dir() / ".voices").exists() or not any(
        (paths.audio_dir() / ".voices").iterdir())
    assert result.removed_bytes >= other_steps
    after = speech_cache.space([calm], "espeak:", 140)
    # (and the folder's manifest, a few hundred bytes, went with it)
    assert after.unused == 0 and after.total <= before.total - result.removed_bytes


def test_steps_of_a_deleted_practice_are_unused(tmp_path: Path) -> None:
    calm = practice(**STEPS)
    gone = Practice("deleted", "Deleted", "", 1.0, (Step("only", "Only", "Rest now."),))
    out = render([calm, gone], STANDARD)
    assert speech_cache.space([calm], "espeak:", 140).unused >= step_bytes(out / "deleted")
    speech_cache.tidy([calm], "espeak:", 140, budget=0)
    assert not (out / "deleted").exists()
    assert wavs(out / "calm") == ["arrive.wav", "close.wav"]


def test_steps_of_older_text_and_deleted_steps_are_unused(tmp_path: Path) -> None:
    """The practice edited (one step's words changed, one step removed) and not heard since:
    the old WAVs were made from text the practice no longer has."""
    calm = practice(**STEPS, rest="Rest a while.")
    out = render([calm], STANDARD)
    edited = practice(arrive="Welcome back. Let your body settle.", rest="Rest a while.")
    speech_cache.tidy([edited], "espeak:", 140, budget=0)
    assert wavs(out / "calm") == ["rest.wav"]                # current text: kept
    assert all(manifest_status(edited, out, STANDARD)[step] is None
               for step in ("arrive",))                      # rendered again when needed


def test_steps_at_another_pace_are_unused_but_the_fallback_voice_is_kept(tmp_path: Path
                                                                         ) -> None:
    """The natural voice chosen at 140: the standard voice at 140 speaks when it cannot start,
    so its steps stay; the standard voice's steps made at 120 (the same folder) do not."""
    calm, other = practice(**STEPS), practice(arrive="Rest now.")
    at_140 = render([calm], STANDARD)
    render([replace_id(other, "slow")], RenderSettings(rate=120))
    speech_cache.tidy([calm, replace_id(other, "slow")], "piper:en_US-joe-medium", 140,
                      budget=0)
    assert wavs(at_140 / "calm") == ["arrive.wav", "close.wav"]
    assert not (at_140 / "slow").exists()


def replace_id(made: Practice, practice_id: str) -> Practice:
    return Practice(practice_id, made.title, made.summary, made.minutes, made.steps)


def test_unused_steps_share_the_budget_least_recently_used_first(tmp_path: Path) -> None:
    """Two other voices made days ago; one of them heard again since. With room for that one
    (its steps and sentences), it stays whole and the other goes."""
    calm = practice(**STEPS)
    render([calm], STANDARD)
    heard, old = render([calm], US), render([calm], UK)
    long_ago = time.time() - 3 * 86400
    for path in [*heard.rglob("*"), *old.rglob("*"), *paths.chunk_cache_dir().rglob("*")]:
        os.utime(path, (long_ago, long_ago))
    assert all(manifest_status(calm, heard, US).values())    # the player looks: used now
    sentences = ["Welcome here.", "Let your body settle.", "Thank your parts for being here.",
                 "Rest now."]
    heard_sentences = sum(p.stat().st_size for text in sentences for p in (
        chunk_cache_file(US, text), chunk_cache_file(US, text).with_suffix(".kw.npy")))
    budget = sum((heard / "calm" / name).stat().st_size for name in ("arrive.wav", "close.wav"))
    budget += heard_sentences

    speech_cache.tidy([calm], "espeak:", 140, budget=budget)

    assert wavs(heard / "calm")[-2:] == ["arrive.wav", "close.wav"]
    assert all(chunk_cache_file(US, text).exists() for text in sentences)
    assert not old.exists()
    assert not any(chunk_cache_file(UK, text).exists() for text in sentences)


def chunk_cache_file(settings: RenderSettings, text: str) -> Path:
    key = chunk_key(settings, text)
    return paths.chunk_cache_dir() / key[:2] / f"{key}.wav"


def test_no_step_is_removed_while_a_render_holds_the_cache(tmp_path: Path) -> None:
    calm = practice(**STEPS)
    render([calm], STANDARD)
    other = render([calm], US)
    made = wavs(other)
    with chunk_cache.rendering():
        assert speech_cache.tidy([calm], "espeak:", 140, budget=0).busy
    assert wavs(other) == made
    assert not speech_cache.tidy([calm], "espeak:", 140, budget=0).busy
    assert not other.exists()


def test_only_practice_folders_are_looked_at(tmp_path: Path) -> None:
    """The waiting chime (`.cues`) and anything not a practice's folder stay as they are."""
    calm = practice(**STEPS)
    out = render([calm], US)
    cue = out / ".cues" / "chime.wav"
    cue.parent.mkdir()
    cue.write_bytes(b"RIFF")
    speech_cache.tidy([calm], "espeak:", 140, budget=0)
    assert cue.exists() and not (out / "calm").exists()
