"""Steps assembled while a worker's engine speaks: a ready step rides along with the next batch
of sentences instead of running on its own with the engine idle (7-14 % of a worker's time
under load, bench/render.py)."""
from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from app.speech import audio, render, render_worker
from app.speech.plan import Manifest, plan_all
from app.speech.render import RenderError, RenderProgress, render_practices
from tests.speech.test_render import (SETTINGS, FakeEngine, InlinePool, TellingEngine,
                                      fake_factory, practice, run)

# Four steps, each its own sentences: while later steps' sentences are spoken, earlier steps
# are ready to be assembled.
STEPS = {
    "arrive": "Welcome here. Let your body settle. Notice your breath.",
    "turn": "Gently turn inward. Notice what is here. Take your time.",
    "meet": "Say hello to the part. Ask what it wants. Listen for a while.",
    "close": "Thank your parts for being here. Come back slowly.",
}


def inline_render(tmp_path: Path) -> list[str]:
    """Render STEPS with an inline pool; what was handed to the workers, in order."""
    render_worker.init_worker("fake", fake_factory, False)
    calm = practice(**STEPS)
    pool = InlinePool()
    run_ = render._Run(plan_all([calm], tmp_path, SETTINGS), SETTINGS, render.RenderReport(),
                       {calm.id: Manifest.load(calm, tmp_path, SETTINGS)}, None, None)
    run_.execute(pool, limit=2, workers=1)  # type: ignore[arg-type]
    return pool.order


def test_no_step_waits_alone_while_sentences_remain_except_the_first(tmp_path: Path) -> None:
    order = inline_render(tmp_path)
    last_batch = max(i for i, task in enumerate(order) if task.startswith("synthesize_chunks"))
    alone = [i for i, task in enumerate(order) if task.startswith("assemble_step")]
    # the first step (its head was written ahead: its rest goes with it, at once) and the
    # steps left when every sentence is spoken; none in between
    assert len(alone) == 2 and alone[0] < last_batch < alone[1]
    for step in ("arrive", "turn", "meet", "close"):
        assert (tmp_path / "calm" / f"{step}.wav").is_file()


def test_a_step_assembled_beside_a_batch_is_the_same_file_and_reported(tmp_path: Path) -> None:
    events: list[RenderProgress] = []
    report = run([practice(**STEPS)], tmp_path, progress=events.append)
    assert report.steps_rendered == 4
    assert [e.step_id for e in events if e.step_id and not e.head] == list(STEPS)
    manifest = Manifest.load(practice(**STEPS), tmp_path, SETTINGS)
    for plan in plan_all([practice(**STEPS)], tmp_path, SETTINGS):
        written = plan.wav.read_bytes()
        assert manifest.current(plan) is not None
        plan.wav.unlink()
        render_worker.assemble_step(plan)  # on its own, as before
        assert plan.wav.read_bytes() == written
    assert run([practice(**STEPS)], tmp_path).steps_up_to_date == 4


def test_a_step_is_assembled_while_the_engine_speaks(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each step after the first sees the engine speak a sentence while it is assembled.
    Run one after the other (a task of its own), it never would (each wait times out)."""
    spoken = threading.Condition()
    overlapped: dict[str, bool] = {}
    assemble = render_worker.assemble_step

    def watching_assemble(plan: render.StepPlan, rest: bool = False) -> tuple[float, int]:
        calls = len(FakeEngine.calls)
        with spoken:
            overlapped[plan.step_id] = spoken.wait_for(
                lambda: len(FakeEngine.calls) > calls, 0.5)
        return assemble(plan, rest)

    monkeypatch.setattr(render_worker, "assemble_step", watching_assemble)
    monkeypatch.setattr(render, "assemble_step", watching_assemble)
    # The engine takes a while to say each sentence, as a real one does (18-20 ms): an
    # instant fake could say a whole batch before the helper thread starts to watch, and the
    # test failed about 1 run in 5.
    render_practices([practice(**STEPS)], tmp_path, SETTINGS, jobs=0,
                     engine_factory=lambda _name: TellingEngine(spoken, seconds=0.05))
    # the first step goes alone (its rest, lead.py), the last when nothing is left to say
    assert [step for step, yes in overlapped.items() if yes] == ["turn", "meet"]


@pytest.mark.parametrize(("step", "failure", "message"), [
    ("turn", OSError("No space left on device"),  # the worker names it
     "The audio of calm / turn failed: No space left on device."),
    ("meet", KeyError("oops"), "Rendering calm / meet failed ('oops')."),  # a bug: the window
])
def test_a_step_failing_beside_a_batch_names_the_step_not_a_sentence(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, step: str, failure: Exception,
        message: str) -> None:
    render_step = audio.render_step

    def failing(chunks, files, out_wav, **kwargs):  # type: ignore[no-untyped-def]
        if out_wav.stem == step:
            raise failure
        return render_step(chunks, files, out_wav, **kwargs)

    monkeypatch.setattr(audio, "render_step", failing)
    with pytest.raises(RenderError) as raised:
        run([practice(**STEPS)], tmp_path)
    assert str(raised.value) == message


def test_the_next_work_is_handed_out_before_a_finished_step_is_written_down(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A manifest write costs two fsyncs (26 ms each on a loaded disk): done while work was
    waiting to be handed out, it left a worker idle. Between a step's outcome and its write,
    the next tasks go out."""
    render_worker.init_worker("fake", fake_factory, False)
    calm = practice(**STEPS)
    pool = InlinePool()
    manifest = Manifest.load(calm, tmp_path, SETTINGS)
    write = manifest._write

    def noted_write() -> None:
        pool.order.append(f"write:{' '.join(sorted(manifest.steps))}")
        write()

    monkeypatch.setattr(manifest, "_write", noted_write)
    run_ = render._Run(plan_all([calm], tmp_path, SETTINGS), SETTINGS, render.RenderReport(),
                       {calm.id: manifest}, None, None)
    step_done = run_._step_done

    def noted_step_done(plan: render.StepPlan, seconds: float, size: int) -> None:
        pool.order.append(f"done:{plan.step_id}")
        step_done(plan, seconds, size)

    monkeypatch.setattr(run_, "_step_done", noted_step_done)
    run_.execute(pool, limit=2, workers=1)  # type: ignore[arg-type]
    order = pool.order
    handed = [i for i, task in enumerate(order) if task.split(":")[0] not in ("write", "done")]
    for step in STEPS:
        done = order.index(f"done:{step}")
        written = next(i for i, task in enumerate(order)
                       if task.startswith("write:") and step in task.split(":")[1].split())
        if any(i > done for i in handed):  # work was left: it went out before the write
            assert any(done < i < written for i in handed), order
    assert Manifest.load(calm, tmp_path, SETTINGS).steps.keys() == STEPS.keys()


def test_work_is_handed_out_while_a_manifest_is_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A manifest's write (two fsyncs, 11-26 ms each on a loaded disk) held the render's
    loop: no finished task was seen and no work handed out until it was done. Here the first
    write waits until the engine has spoken four more sentences: with one worker and one task
    in flight (a batch is one step's sentences, three here) only the loop can hand it
    enough. Before, the write waited in vain (until its 2 s were up)."""
    record = Manifest.record
    spoke_meanwhile: list[bool] = []

    def slow_first_record(self: Manifest, written: list[tuple[render.StepPlan, float, int]]
                          ) -> None:
        if not spoke_meanwhile:
            calls, deadline = len(FakeEngine.calls), time.monotonic() + 2.0
            while len(FakeEngine.calls) < calls + 4 and time.monotonic() < deadline:
                time.sleep(0.005)
            spoke_meanwhile.append(len(FakeEngine.calls) >= calls + 4)
        record(self, written)

    monkeypatch.setattr(Manifest, "record", slow_first_record)
    events: list[RenderProgress] = []
    report = run([practice(**STEPS)], tmp_path, progress=events.append)
    assert spoke_meanwhile == [True]
    assert report.steps_rendered == 4
    assert [e.step_id for e in events if e.step_id and not e.head] == list(STEPS)
    manifest = Manifest.load(practice(**STEPS), tmp_path, SETTINGS)
    assert all(manifest.current(plan) for plan in plan_all([practice(**STEPS)], tmp_path,
                                                          SETTINGS))
