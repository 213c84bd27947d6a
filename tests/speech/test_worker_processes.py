"""Render worker processes leave nothing behind: no file outside the data folder (onnxruntime
writes a telemetry session file, `.ses`, into TMPDIR when it is imported), and no process
once the window that started them is gone, even killed with SIGKILL."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from app import paths
from app.speech.engine import ENGINES
from tests.storage.test_privacy_modes import loose_entries

ROOT = paths.PROJECT_ROOT

RENDER = """
import sys, time
from pathlib import Path
from app.core.practice import Practice, Step
from app.speech.render import RenderSettings, render_practices

engine, jobs, steps, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4] == "hold"

def progress(event):
    if hold and event.wav is not None:      # the workers are up: wait here to be killed
        print("ready", flush=True)
        time.sleep(600)

say = "Let your breath settle, slowly and gently. Notice the ground beneath you, step {}."
practice = Practice("p", "P", "", 1.0, tuple(Step(f"s{i}", "S", say.format(i))
                                             for i in range(steps)))
render_practices([practice], Path(sys.argv[5]), RenderSettings(engine=engine), jobs=jobs,
                 progress=progress)
print("done", flush=True)
"""


@pytest.fixture
def short_home(monkeypatch):
    """A data folder with a short path, so the forkserver's socket fits inside it (pytest's own
    paths are too long; the app then falls back to the system's temp folder)."""
    home = Path(tempfile.mkdtemp(prefix="sb-"))
    monkeypatch.setenv("SECUREBASE_HOME", str(home))
    yield home
    shutil.rmtree(home, ignore_errors=True)


def render_process(home: Path, system_tmp: Path, *args: str,
                   user_home: Path | None = None) -> subprocess.Popen:
    env = {**os.environ, "SECUREBASE_HOME": str(home), "TMPDIR": str(system_tmp),
           "PYTHONPATH": str(ROOT)}
    if user_home is not None:
        env["HOME"] = str(user_home)
    return subprocess.Popen([sys.executable, "-c", RENDER, *args, str(home / "audio")],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
@pytest.mark.skipif("piper" not in ENGINES, reason="the natural voice is not installed")
def test_a_piper_render_writes_nothing_to_the_system_temp_folder(short_home, tmp_path):
    system_tmp = tmp_path / "system-tmp"
    system_tmp.mkdir()
    render = render_process(short_home, system_tmp, "piper", "1", "1", "go")
    out, err = render.communicate(timeout=120)
    assert render.returncode == 0 and "done" in out, err[-2000:]
    assert sorted(p.name for p in system_tmp.iterdir()) == []
    # The workers' temp folder was the private one; onnxruntime's session file, when it
    # writes one (it did here, not on a minimal Debian), is inside it and owner-only.
    assert (short_home / "tmp").is_dir()
    assert all(ses.stat().st_mode & 0o077 == 0 for ses in (short_home / "tmp").rglob(".ses"))
    assert loose_entries(short_home) == []
    # the voice model, split for windowed decoding (piper_split), is kept in the data folder
    assert len(list((short_home / "cache" / "voices").rglob("*.onnx"))) == 2


@pytest.mark.slow
@pytest.mark.skipif("piper" not in ENGINES, reason="the natural voice is not installed")
def test_a_piper_render_keeps_nothing_in_the_home_folder(short_home, tmp_path):
    """onnxruntime's telemetry is off: before, its device id and event store (kept to be sent
    to Microsoft) appeared in ~/.cache/Microsoft/DeveloperTools after any Piper render, and its
    session file `.ses` in the workers' temporary folder."""
    user_home = tmp_path / "user-home"
    user_home.mkdir()
    render = render_process(short_home, tmp_path, "piper", "1", "1", "go", user_home=user_home)
    out, err = render.communicate(timeout=120)
    assert render.returncode == 0 and "done" in out, err[-2000:]
    assert sorted(str(p.relative_to(user_home)) for p in user_home.rglob("*")) == []
    assert list(short_home.rglob(".ses")) == []


HELPER = """
import sys
import psutil
from app.speech.chime import ensure_chime
from app.speech.isolated import in_helper
from pathlib import Path
in_helper(ensure_chime, Path(sys.argv[2]), engine=sys.argv[1])
server = [p for p in psutil.Process().children() if "forkserver" in " ".join(p.cmdline())]
print(any("onnxruntime" in m.path for m in server[0].memory_maps()), flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif("piper" not in ENGINES, reason="the natural voice is not installed")
@pytest.mark.parametrize("engine", ["piper", "espeak"])
def test_a_helper_that_starts_the_server_has_it_import_the_engine_in_use(
        engine, short_home, tmp_path):
    """The chime's helper often starts the render workers' server before the first render:
    for the natural voice that server imports onnxruntime ahead, or each Piper worker imports
    it itself during the first sentence (~0.3 s). The standard voice's server does not."""
    result = subprocess.run([sys.executable, "-c", HELPER, engine, str(tmp_path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split()[-1] == str(engine == "piper")
    assert list(tmp_path.iterdir()), "the helper made the chime"


EARLY = """
import time
from app.speech.isolated import start_workers_early
start_workers_early("piper")
print("started", flush=True)
time.sleep(60)
"""


@pytest.mark.slow
@pytest.mark.skipif("piper" not in ENGINES, reason="the natural voice is not installed")
def test_the_voice_is_split_while_the_workers_server_starts(short_home):
    """At idle after start-up, not when the first sentence is awaited (~0.3 s, once)."""
    starter = subprocess.Popen([sys.executable, "-c", EARLY], cwd=ROOT, stdout=subprocess.PIPE,
                               env={**os.environ, "PYTHONPATH": str(ROOT)}, text=True)
    try:
        assert starter.stdout is not None and starter.stdout.readline().strip() == "started"
        voices = short_home / "cache" / "voices"
        deadline = time.monotonic() + 60
        while len(list(voices.rglob("*.onnx"))) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert sorted(p.name for p in voices.rglob("*.onnx")) == ["decoder.onnx",
                                                                  "encoder.onnx"]
    finally:
        family = psutil.Process(starter.pid).children(recursive=True)
        starter.kill()
        starter.communicate(timeout=10)
        for process in family:         # the server the test started, by pid
            process.kill()


def command_line(process: psutil.Process) -> str:
    """A child's command line, or "" when it ended between being listed and being read
    (psutil 7 lets the FileNotFoundError of /proc/PID/cmdline through: a landing failed on it)."""
    try:
        return " ".join(process.cmdline())
    except (psutil.NoSuchProcess, FileNotFoundError):
        return ""


@pytest.mark.slow
def test_workers_end_when_the_window_is_killed(short_home, tmp_path):
    render = render_process(short_home, tmp_path, "espeak", "2", "30", "hold")
    family: list[psutil.Process] = []
    try:
        assert render.stdout is not None
        ready = render.stdout.readline().strip()
        family = psutil.Process(render.pid).children(recursive=True)
        assert ready == "ready", render.stderr.read() if render.stderr else ""
        server = [p for p in family if "forkserver" in command_line(p)]
        assert len(server) >= 3, "expected the forkserver and two workers"
    finally:
        family = family or psutil.Process(render.pid).children(recursive=True)
        render.send_signal(signal.SIGKILL)
        render.communicate(timeout=10)
        _gone, alive = psutil.wait_procs(family, timeout=15)
        for process in alive:          # tidy up what the test started, by pid
            process.kill()
    assert alive == [], f"still running after the window was killed: {alive}"


FROZEN = """
import gc
from app.speech import render_worker
with render_worker.executor(1, "espeak", None, 1, render_worker.WORKER_NICENESS) as pool:
    print(pool.submit(gc.get_freeze_count).result(timeout=60), flush=True)
"""


@pytest.mark.slow
def test_a_worker_leaves_what_it_inherited_out_of_its_collections(short_home):
    """A worker's collector never walks the objects it inherited from the server it forked
    from (numpy, the pipeline): a collection writes to each object's header, which copies
    every page of them into the worker (gc.freeze)."""
    result = subprocess.run([sys.executable, "-c", FROZEN], cwd=ROOT, capture_output=True,
                            text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-2000:]
    assert int(result.stdout.split()[-1]) > 10_000
