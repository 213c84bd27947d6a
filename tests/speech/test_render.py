"""The render pipeline: cache, manifest, staleness, errors, progress, CLI, and a real render."""
from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import threading
import time
import types
import wave
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from app.core.practice import Practice, Step
from app.core.problems import BrokenScript, ScriptProblem
from app.speech import audio, render
from app.speech.cli import add_commands
from app.speech.engine import EngineUnavailable, Voice, plausible_seconds
from app.speech.render import (RenderError, RenderProgress, RenderSettings, is_up_to_date,
                               manifest_status, render_practices)
from app.speech.text import Speech, count_words

SETTINGS = RenderSettings()


class FakeEngine:
    """Writes a tone as long as the words would take to say, with engine-like edge silence."""

    name = "fake"
    calls: list[str] = []
    fail_on: str | None = None

    def voices(self) -> list[Voice]:
        return [Voice("fake", "Fake", "en", "fake", "CC0")]

    def synthesize(self, text: str, out_path: Path, *, voice: str | None, rate: int) -> None:
        FakeEngine.calls.append(text)
        if FakeEngine.fail_on and FakeEngine.fail_on in text:
            out_path.write_bytes(b"")  # what a failing engine leaves behind
            return
        seconds = count_words(text) * 60 / rate
        t = np.arange(int(seconds * audio.SAMPLE_RATE)) / audio.SAMPLE_RATE
        voiced = 0.3 * np.sin(2 * np.pi * 180 * t) * (0.6 + 0.4 * np.sin(2 * np.pi * 3 * t))
        quiet = np.zeros(audio.SAMPLE_RATE // 5)
        audio.save_wav(np.concatenate([quiet, voiced, quiet]), out_path)


class TellingEngine(FakeEngine):
    """Tells `spoken` (notify_all) after each sentence: for tests of what overlaps it."""

    def __init__(self, spoken: threading.Condition, seconds: float = 0.0) -> None:
        self.spoken, self.seconds = spoken, seconds

    def synthesize(self, text: str, out_path: Path, *, voice: str | None, rate: int) -> None:
        time.sleep(self.seconds)             # the time a real engine takes to speak
        super().synthesize(text, out_path, voice=voice, rate=rate)
        with self.spoken:
            self.spoken.notify_all()


def fake_factory(_name: str) -> FakeEngine:
    return FakeEngine()


@pytest.fixture(autouse=True)
def fresh_fake() -> None:
    FakeEngine.calls = []
    FakeEngine.fail_on = None


def practice(**steps: str) -> Practice:
    return Practice("calm", "Calm", "A short practice", 2.0,
                    tuple(Step(step_id, step_id.title(), say) for step_id, say in steps.items()))


STEPS = {
    "arrive": "Welcome. Let your body settle. [pause 2] Notice your breath.",
    "turn": "Gently turn inward. Notice your breath.\n\nWhat is here now?",
    "close": "Thank your parts for being here.",
}


def run(practices: list[Practice], out: Path, **kwargs: object) -> render.RenderReport:
    kwargs.setdefault("jobs", 0)
    return render_practices(practices, out, kwargs.pop("settings", SETTINGS),  # type: ignore
                            engine_factory=fake_factory, **kwargs)  # type: ignore[arg-type]


def test_cold_render_writes_steps_and_manifest(tmp_path: Path) -> None:
    events: list[RenderProgress] = []
    report = run([practice(**STEPS)], tmp_path, progress=events.append)
    # "Notice your breath." is in two steps but spoken once.
    assert sorted(FakeEngine.calls) == sorted(set(FakeEngine.calls)) and len(FakeEngine.calls) == 6
    assert report.steps_rendered == 3 and report.chunks_synthesized == 6
    finished = [e for e in events if e.step_id and not e.head]  # heads: see below
    assert [e.step_id for e in finished] == ["arrive", "turn", "close"]
    assert all(e.wav is not None and e.wav.exists() for e in finished)
    assert events[-1].done == events[-1].total == 7
    manifest = json.loads((tmp_path / "calm" / "manifest.json").read_text())
    assert manifest["practice"] == "calm" and manifest["settings"]["rate"] == 140
    assert manifest["pipeline_version"] == render.PIPELINE_VERSION
    entry = manifest["steps"][0]
    assert entry["id"] == "arrive" and entry["file"] == "arrive.wav"
    assert len(entry["cache_keys"]) == 3 and len(entry["hash"]) == 64
    with wave.open(str(tmp_path / "calm" / "arrive.wav")) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22050, 1, 2)
        assert wav.getnframes() / 22050 == pytest.approx(entry["duration"], abs=0.001)
    # 8 words of speech (the fake speaks at exactly 140 wpm), a 2 s pause, one sentence gap,
    # lead-in, tail and the little air trimming keeps around each sentence.
    expected = 8 * 60 / 140 + 2 + audio.GAPS["sentence"] + audio.STEP_LEAD_IN + audio.STEP_TAIL
    assert entry["duration"] == pytest.approx(expected, abs=0.3)


def test_warm_render_does_nothing(tmp_path: Path) -> None:
    run([practice(**STEPS)], tmp_path)
    before = {p: p.stat().st_mtime_ns for p in (tmp_path / "calm").iterdir()}
    FakeEngine.calls.clear()
    events: list[RenderProgress] = []
    report = run([practice(**STEPS)], tmp_path, progress=events.append)
    assert FakeEngine.calls == [] and report.steps_rendered == 0 and report.steps_up_to_date == 3
    assert [e.step_id for e in events] == ["arrive", "turn", "close"]
    assert all(e.up_to_date for e in events)
    assert before == {p: p.stat().st_mtime_ns for p in (tmp_path / "calm").iterdir()}
    assert report.wall_seconds < 0.5


def test_editing_one_sentence_resynthesizes_only_it(tmp_path: Path) -> None:
    run([practice(**STEPS)], tmp_path)
    FakeEngine.calls.clear()
    edited = dict(STEPS, turn="Gently turn inward. Notice your breath.\n\nWho is here now?")
    report = run([practice(**edited)], tmp_path)
    assert FakeEngine.calls == ["Who is here now?"]
    assert report.steps_rendered == 1 and report.steps_up_to_date == 2
    assert report.chunks_cached == 2


def test_a_new_render_reuses_the_cache_across_outputs(tmp_path: Path) -> None:
    run([practice(**STEPS)], tmp_path / "a")
    FakeEngine.calls.clear()
    report = run([practice(**STEPS)], tmp_path / "b")
    assert FakeEngine.calls == [] and report.steps_rendered == 3


def test_status_tracks_missing_stale_and_current(tmp_path: Path) -> None:
    calm = practice(**STEPS)
    assert manifest_status(calm, tmp_path, SETTINGS) == dict.fromkeys(STEPS)
    run([calm], tmp_path)
    status = manifest_status(calm, tmp_path, SETTINGS)
    assert status == {s: tmp_path / "calm" / f"{s}.wav" for s in STEPS}
    assert is_up_to_date(calm, tmp_path, SETTINGS)
    assert not is_up_to_date(calm, tmp_path, replace(SETTINGS, rate=150))
    edited = practice(**dict(STEPS, close="Thank your parts."))
    assert manifest_status(edited, tmp_path, SETTINGS)["close"] is None
    assert manifest_status(edited, tmp_path, SETTINGS)["arrive"] is not None
    (tmp_path / "calm" / "turn.wav").write_bytes(b"RIFF")  # damaged
    (tmp_path / "calm" / "arrive.wav").unlink()
    assert manifest_status(calm, tmp_path, SETTINGS) == {
        "arrive": None, "turn": None, "close": tmp_path / "calm" / "close.wav"}
    FakeEngine.calls.clear()
    assert run([calm], tmp_path).steps_rendered == 2 and FakeEngine.calls == []


def test_the_standard_voices_own_rewrites_re_render_only_its_audio(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A change to espeak's own pronunciation list makes its sentences and steps stale; the
    natural voice's cache keys stay as they were (nothing of its audio changed)."""
    from app.speech import plan

    calm = practice(**STEPS)
    run([calm], tmp_path)
    natural = RenderSettings(engine="piper", voice="piper:en_US-joe-medium")
    piper_key = plan.chunk_key(natural, "Notice your breath.")
    monkeypatch.setitem(plan._ENGINE_VERSIONS, "espeak", "changed")
    assert not is_up_to_date(calm, tmp_path, SETTINGS)
    assert set(manifest_status(calm, tmp_path, SETTINGS).values()) == {None}  # none current
    FakeEngine.calls.clear()
    report = run([calm], tmp_path)
    assert report.steps_rendered == 3 and len(FakeEngine.calls) == 6
    assert plan.chunk_key(natural, "Notice your breath.") == piper_key
    assert plan.pipeline_version("espeak") == f"{render.PIPELINE_VERSION}+changed"


def test_the_natural_voices_read_settings_re_render_only_its_audio(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Piper's variation settings and pace mapping key its sentences, so a person whose cache
    was made with other settings gets whole steps read anew (in the background, as after any
    stale render), never a step mixing two reads; espeak's keys stay. (Until voice6 they keyed
    nothing: a new NOISE_SCALE reached only sentences never cached before.)"""
    from app.speech import piper_read, plan

    assert plan.pipeline_version("piper") == (
        f"{render.PIPELINE_VERSION}+{piper_read.PIPER_VERSION}")
    for name, other in (("NOISE_SCALE", 0.667), ("NOISE_W", 0.8), ("NATURAL_WPM", 200.0),
                        ("PACE_EXPONENT", 1.0), ("LENGTH_SCALE_LIMITS", (0.5, 3.0)),
                        ("SENTENCE_GAP_SECONDS", 0.5)):
        with monkeypatch.context() as changed:
            changed.setattr(piper_read, name, other)
            assert piper_read.settings_digest() != piper_read.PIPER_VERSION, name
    calm = practice(**STEPS)
    natural = RenderSettings(engine="piper", voice="piper:en_US-joe-medium")
    run([calm], tmp_path, settings=natural)
    keys = [plan.chunk_key(s, "Notice your breath.") for s in (natural, SETTINGS)]
    monkeypatch.setattr(piper_read, "NOISE_W", 0.8)      # the app started with a new setting
    monkeypatch.setitem(plan._ENGINE_VERSIONS, "piper", piper_read.settings_digest())
    assert not is_up_to_date(calm, tmp_path, natural)
    FakeEngine.calls.clear()
    report = run([calm], tmp_path, settings=natural)
    assert report.steps_rendered == 3 and len(FakeEngine.calls) == 6
    assert plan.chunk_key(natural, "Notice your breath.") != keys[0]
    assert plan.chunk_key(SETTINGS, "Notice your breath.") == keys[1]


def test_removed_steps_lose_their_audio(tmp_path: Path) -> None:
    run([practice(**STEPS)], tmp_path)
    run([practice(arrive=STEPS["arrive"], close=STEPS["close"])], tmp_path)
    assert not (tmp_path / "calm" / "turn.wav").exists()
    manifest = json.loads((tmp_path / "calm" / "manifest.json").read_text())
    assert [s["id"] for s in manifest["steps"]] == ["arrive", "close"]


def test_listen_marks_cut_a_step_into_separately_played_files(tmp_path: Path) -> None:
    """Listening time is the player's to keep: never spoken, never baked into the audio."""
    ask = "Turn inward. [listen 40] What do you need? [listen] Thank it. [pause 1] Rest."
    report = run([practice(arrive=STEPS["arrive"], ask=ask)], tmp_path)
    assert not any("listen" in call.lower() for call in FakeEngine.calls)
    assert report.steps_rendered == 4          # arrive, then ask in three segments
    status = manifest_status(practice(arrive=STEPS["arrive"], ask=ask), tmp_path, SETTINGS)
    assert list(status) == ["arrive", "ask", "ask.2", "ask.3"]
    assert all(path is not None and path.name == f"{key}.wav" for key, path in status.items())
    for key, words in (("ask", 2), ("ask.2", 4)):  # each file is its own speech, no 40 s of quiet
        with wave.open(str(tmp_path / "calm" / f"{key}.wav")) as wav:
            assert wav.getnframes() / 22050 < words * 60 / 140 + 2
    # taking the marks out again removes the segments' files
    run([practice(arrive=STEPS["arrive"], ask="Turn inward. What do you need?")], tmp_path)
    assert sorted(p.name for p in (tmp_path / "calm").glob("*.wav")) == ["arrive.wav", "ask.wav"]


def test_a_closing_pause_is_not_baked_into_the_audio(tmp_path: Path) -> None:
    """Quiet after the last words is the player's to time (the screen then says quiet, not
    playing): the WAV ends with the voice, whatever [pause N] the script closes with."""
    close = "Thank your parts. [pause 8]"
    run([practice(close=close)], tmp_path)
    with wave.open(str(tmp_path / "calm" / "close.wav")) as wav:
        seconds = wav.getnframes() / 22050
    assert seconds < 3 * 60 / 140 + audio.STEP_LEAD_IN + audio.STEP_TAIL + 0.5


def test_failed_sentence_names_practice_step_and_sentence(tmp_path: Path) -> None:
    FakeEngine.fail_on = "turn inward"
    with pytest.raises(RenderError) as caught:
        run([practice(**STEPS)], tmp_path)
    message = str(caught.value)
    assert "calm / turn" in message and "'Gently turn inward.'" in message
    assert "no audio" in message and "\n" not in message
    # Steps finished before the failure are kept and recorded.
    assert manifest_status(practice(**STEPS), tmp_path, SETTINGS)["arrive"] is not None


def test_bad_pause_mark_names_the_step(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match=r"calm / arrive: '\[pause later\]'"):
        run([practice(arrive="Rest. [pause later] Again.")], tmp_path)


def test_engine_unavailable_is_a_plain_error(tmp_path: Path) -> None:
    def broken(_name: str) -> FakeEngine:
        raise EngineUnavailable("The espeak-ng speech engine could not start.")

    with pytest.raises(EngineUnavailable, match="could not start"):
        render_practices([practice(**STEPS)], tmp_path, SETTINGS, jobs=0, engine_factory=broken)


def test_cancel_keeps_finished_steps(tmp_path: Path) -> None:
    """Cancelled once a step is reported. The last step's sentence waits for that report:
    the render goes on while a manifest is written, so with nothing holding it back a fast
    engine could finish every step before the first report."""
    reported = threading.Event()

    class WaitingEngine(FakeEngine):
        def synthesize(self, text: str, out_path: Path, *, voice: str | None,
                       rate: int) -> None:
            if text == STEPS["close"]:
                reported.wait(5.0)
            super().synthesize(text, out_path, voice=voice, rate=rate)

    def progress(event: RenderProgress) -> None:
        if event.step_id and not event.head:
            reported.set()

    report = render_practices([practice(**STEPS)], tmp_path, SETTINGS, jobs=0,
                              progress=progress, cancel=reported.is_set,
                              engine_factory=lambda _name: WaitingEngine())
    assert report.cancelled and 1 <= report.steps_rendered < 3
    assert run([practice(**STEPS)], tmp_path).steps_up_to_date == report.steps_rendered


def test_a_step_of_only_quiet_renders_silence(tmp_path: Path) -> None:
    report = run([practice(rest="[pause 3] [pause 1.25]", end="Rest now.")], tmp_path)
    assert report.steps_rendered == 2 and FakeEngine.calls == ["Rest now."]
    samples = audio.load_wav(tmp_path / "calm" / "rest.wav")
    assert len(samples) / audio.SAMPLE_RATE == pytest.approx(
        4.25 + audio.STEP_LEAD_IN + audio.STEP_TAIL, abs=0.001)
    assert not samples.any()


def test_unsafe_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="file name"):
        run([practice(**{"../escape": "Hello there."})], tmp_path)


def test_real_espeak_render_is_plausible_and_normalised(tmp_path: Path) -> None:
    """The product path: worker processes, espeak-ng, real post-processing."""
    say = ("Welcome to this practice. Let your shoulders soften, and notice Self-energy "
           "in your body. [pause 1.5] There is no hurry.")
    calm = practice(arrive=say, close="When you are ready, open your eyes.")
    events: list[RenderProgress] = []
    report = render_practices([calm], tmp_path, SETTINGS, jobs=2, progress=events.append)
    assert report.steps_rendered == 2 and report.chunks_synthesized == 4
    wav = tmp_path / "calm" / "arrive.wav"
    with wave.open(str(wav)) as handle:
        seconds = handle.getnframes() / handle.getframerate()
    low, high = plausible_seconds(count_words(say), SETTINGS.rate)
    fixed = 1.5 + audio.STEP_LEAD_IN + audio.STEP_TAIL
    assert fixed + low < seconds < fixed + high
    assert 0.6 < (seconds - fixed) / (count_words(say) * 60 / SETTINGS.rate) < 1.6
    assert audio.measure_lufs(wav) == pytest.approx(audio.TARGET_LUFS, abs=1.0)
    assert audio.true_peak_dbfs(wav) < -1.0
    samples = audio.load_wav(wav)
    lead = int(audio.STEP_LEAD_IN * audio.SAMPLE_RATE)
    assert np.abs(samples[:lead]).max() < 0.01  # the step fade is over quiet, not the first word
    assert is_up_to_date(calm, tmp_path, SETTINGS)


# --- the command line ---------------------------------------------------------------------

def cli(monkeypatch: pytest.MonkeyPatch, practices: list[Practice], *argv: str,
        broken: list[BrokenScript] | None = None) -> int:
    scripts = types.ModuleType("app.storage.script_files")
    scripts.load_all = lambda: (practices, broken or [])  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.storage.script_files", scripts)
    parser = argparse.ArgumentParser(prog="securebase")
    add_commands(parser.add_subparsers(required=True))
    args = parser.parse_args(list(argv))
    return int(args.func(args))


def test_cli_render_prints_a_summary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = BrokenScript(Path("odd.toml"), (ScriptProblem(Path("odd.toml"), 3, "no steps"),))
    code = cli(monkeypatch, [practice(close="Rest now.")], "render", "--out", str(tmp_path),
               "--jobs", "0", broken=[bad])
    out, err = capsys.readouterr()
    assert code == 0 and "1 step from 1 practice " in out and "odd.toml:3: no steps" in err
    assert (tmp_path / "calm" / "close.wav").exists()


def test_cli_render_defaults_to_the_audio_dir(monkeypatch: pytest.MonkeyPatch,
                                              securebase_home: Path) -> None:
    assert cli(monkeypatch, [practice(close="Rest now.")], "render", "--voice", "espeak:",
               "--jobs", "0") == 0
    assert (securebase_home / "audio" / "calm" / "close.wav").exists()


@pytest.mark.parametrize("argv, message", [
    (("render", "--practice", "nope"), "No practice called 'nope'; there are: calm."),
    (("render", "--rate", "900"), "--rate must be between"),
    (("render", "--voice", "klingon", "--jobs", "0"), "no voice 'klingon'"),
])
def test_cli_failures_are_one_plain_line(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str],
                                         argv: tuple[str, ...], message: str) -> None:
    code = cli(monkeypatch, [practice(close="Rest now.")], *argv, "--out", str(tmp_path))
    err = capsys.readouterr().err
    assert code == 1 and message in err and "Traceback" not in err
    assert err.count("\n") == 1


def test_cli_voices_lists_english(monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(monkeypatch, [], "voices", "--language", "en") == 0
    out = capsys.readouterr().out
    assert "gmw/en-us" in out and "GPL" in out.splitlines()[-1]


def test_the_first_sentence_is_heard_before_the_step_is_rendered(tmp_path: Path) -> None:
    """The step a listener waits for: its first sentence on its own, then the rest."""
    from app.speech import lead
    events: list[RenderProgress] = []
    run([practice(**STEPS)], tmp_path, jobs=0, progress=events.append)
    arrive = tmp_path / "calm" / "arrive.wav"
    kinds = [("head" if e.head else "rest" if e.rest else "step", e.step_id)
             for e in events if e.wav is not None]
    assert kinds[0] == ("head", "arrive")                 # before anything else is written
    assert kinds[1] == ("rest", "arrive") and ("step", "turn") in kinds
    assert ("step", "arrive") not in kinds                # the listener keeps head + rest
    head, rest, full = (audio.load_wav(p) for p in (lead.head_path(arrive),
                                                     lead.rest_path(arrive), arrive))
    assert abs(len(head) + len(rest) - len(full)) < 20
    assert np.abs(head[:-1000]).max() > 0.1                 # "Welcome." is in the head
    quiet_join = np.concatenate([head[-200:], rest[:200]])
    assert np.abs(quiet_join).max() < 0.001               # the join is in the quiet between
    assert np.allclose(rest, full[len(full) - len(rest):])


def test_a_step_of_one_sentence_needs_no_head(tmp_path: Path) -> None:
    events: list[RenderProgress] = []
    run([practice(close="Thank your parts for being here.")], tmp_path, jobs=0,
        progress=events.append)
    assert not any(e.head or e.rest for e in events)


class NiceEngine(FakeEngine):
    """The fake engine, noting the priority of the worker process it runs in."""

    def __init__(self, notes: Path, _name: str = "fake") -> None:
        self.notes = notes

    def synthesize(self, text: str, out_path: Path, *, voice: str | None, rate: int) -> None:
        (self.notes / str(os.getpid())).write_text(str(os.nice(0)))
        super().synthesize(text, out_path, voice=voice, rate=rate)


@pytest.mark.parametrize("background", [False, True])
def test_workers_give_way_most_when_nobody_waits(tmp_path: Path, background: bool) -> None:
    """Qt's player keeps ~0.1 s in the sound device: a render nobody waits for (the safety
    exit, other practices) runs at the lowest priority so the step playing never has gaps."""
    notes = tmp_path / "nice"
    notes.mkdir()
    render_practices([practice(close="Rest now.")], tmp_path / "out", SETTINGS, jobs=1,
                     engine_factory=functools.partial(NiceEngine, notes), background=background)
    seen = {int(note.read_text()) for note in notes.iterdir()}
    here = os.nice(0)
    assert seen == {min(19, here + (19 if background else 5))}


def test_a_failure_writing_the_first_sentence_ahead_is_a_plain_message(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The head (lead.py) names its step like every other task (it once raised
    AttributeError instead: a head has a plan, not a step id of its own)."""
    def broken(*_args: object) -> float:
        raise RuntimeError("the disk went away")

    monkeypatch.setattr(render.lead, "write_head", broken)
    with pytest.raises(RenderError, match="calm / arrive failed .*the disk went away"):
        run([practice(arrive="Welcome. Let your body settle. Notice your breath.")], tmp_path)


def test_a_sentence_is_finished_while_the_engine_speaks_the_next(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker overlaps the engine (mostly waiting in pyttsx3's loop) with post-processing
    the sentence before: each sentence's post-processing sees the engine start the next one.
    Done one after the other, it never would (each wait would time out)."""
    spoken = threading.Condition()
    overlapped: list[bool] = []
    prepare = audio.prepare_chunk

    def watching_prepare(raw: Path, out: Path, *check: int) -> float:
        index = len(overlapped)
        with spoken:
            overlapped.append(spoken.wait_for(lambda: len(FakeEngine.calls) > index + 1, 0.5))
        return prepare(raw, out, *check)

    monkeypatch.setattr(audio, "prepare_chunk", watching_prepare)
    say = "One breath. Two breaths. Three breaths. Four breaths. Five breaths. Six breaths."
    render_practices([practice(only=say)], tmp_path, SETTINGS, jobs=0,
                     engine_factory=lambda _name: TellingEngine(spoken))
    assert len(FakeEngine.calls) == 6
    # The first sentence goes alone (someone may be waiting for it), then 4 and 1 together:
    # the last of each batch has nothing to overlap with.
    assert overlapped == [False, True, True, True, False, False]


class InlinePool:
    """An executor that runs each task at once, in order: what it was handed, when, is what
    a worker would run (a process pool's queue is first in, first out)."""

    def __init__(self) -> None:
        self.order: list[str] = []

    def submit(self, fn, item, *more):  # type: ignore[no-untyped-def]
        from concurrent.futures import Future
        tasks = item if isinstance(item, tuple) else ()   # sentences: a batch of them
        self.order.append(f"{fn.__name__}:{' + '.join(task.text for task in tasks)}")
        future: Future[object] = Future()
        future.set_result(fn(item, *more))
        return future


def test_the_first_sentence_ahead_is_not_queued_behind_the_next_sentence(
        tmp_path: Path) -> None:
    """One worker with a task queued ahead (limit 2) ran the step's second sentence before
    writing its first one for the listener: a whole sentence's synthesis (Piper ~0.5 s) added
    to the first sound."""
    from app.speech import render_worker
    from app.speech.plan import Manifest, plan_all

    render_worker.init_worker("fake", fake_factory, False)
    calm = practice(**STEPS)
    manifests = {calm.id: Manifest.load(calm, tmp_path, SETTINGS)}
    plans = plan_all([calm], tmp_path, SETTINGS)
    pool = InlinePool()
    render._Run(plans, SETTINGS, render.RenderReport(), manifests, None, None).execute(
        pool, limit=2, workers=1)  # type: ignore[arg-type]
    assert pool.order[:2] == ["synthesize_chunks:Welcome.", "assemble_head:"]
    assert pool.order[2].startswith("synthesize_chunks:Let your body settle.")


def test_the_rest_is_written_even_when_the_step_is_assembled_before_its_head(
        tmp_path: Path) -> None:
    """With two workers (`securebase render`), the step a head was asked for can be assembled
    before the head is written: its rest must not need the head's folder."""
    from app.speech import lead, render_worker
    from app.speech.plan import plan_all

    render_worker.init_worker("fake", fake_factory, False)
    plan = plan_all([practice(**STEPS)], tmp_path, SETTINGS)[0]
    render_worker.synthesize_chunks([
        render_worker.ChunkTask(key, text, path, SETTINGS, plan.practice_id, plan.step_id)
        for key, text, path in zip(plan.keys, (c.text for c in plan.chunks
                                               if isinstance(c, Speech)), plan.cache_files)])
    render_worker.assemble_step(plan, True)
    assert lead.rest_path(plan.wav).is_file() and not lead.head_path(plan.wav).exists()
