"""The real app on a virtual screen: real speech, real playback into a recorded sound device,
a body-map tap, check-out, progress, a PDF; then crash-safety with SIGKILL."""
from __future__ import annotations

import json
import random
import sqlite3
import subprocess
import sys
import time
import wave
from array import array
from pathlib import Path

import pytest

from tests.e2e.conftest import DRIVER, Recorder, run_driver

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def loudest_window_dbfs(path: Path, window_s: float = 0.1) -> float:
    with wave.open(str(path), "rb") as handle:
        rate, channels = handle.getframerate(), handle.getnchannels()
        samples = array("h", handle.readframes(handle.getnframes()))
    size = int(rate * window_s) * channels
    loudest = 0.0
    for start in range(0, max(1, len(samples) - size), size):
        chunk = samples[start:start + size]
        if chunk:
            loudest = max(loudest, (sum(s * s for s in chunk) / len(chunk)) ** 0.5)
    import math
    return 20 * math.log10(loudest / 32768) if loudest else -120.0


def test_a_whole_practice_with_real_speech(pulse, app_env, securebase_home, tmp_path):
    recorder = Recorder(pulse, tmp_path / "heard.wav")
    results_file = tmp_path / "results.json"
    run = run_driver(app_env, "session", str(results_file))
    heard = recorder.stop()
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    results = json.loads(results_file.read_text())

    assert results["text_only"] is None
    played = [Path(p).name for p in results["played"]]
    from app.speech.voices import audio_dir_for, settings_for
    voice_dir = audio_dir_for(securebase_home / "audio", settings_for(None, 140))  # the default
    steps = [p.stem for p in sorted((voice_dir / "grounding").glob("*.wav"))]
    assert len(played) == len(steps) >= 4
    assert loudest_window_dbfs(heard) > -40, "nothing audible reached the sound device"

    db = sqlite3.connect(securebase_home / "journal.db")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    session_id = results["session_id"]
    assert db.execute("SELECT outcome FROM sessions WHERE id = ?", (session_id,)).fetchone() == (
        "completed",)
    kinds = [k for (k,) in db.execute(
        "SELECT kind FROM step_events WHERE session_id = ? ORDER BY id", (session_id,))]
    assert kinds.count("started") == kinds.count("finished") == len(played)
    assert db.execute("SELECT region, intensity, qualities, session_id FROM body_marks WHERE id = ?",
                      (results["mark_id"],)).fetchone() == ("heart-area", 6, "tight", session_id)
    # Grounding starts without a check-in; the check-out holds only what was given
    assert [row for row in db.execute("SELECT phase, intensity FROM checkins WHERE session_id = ? "
                                      "ORDER BY id", (session_id,))] == [("after", 2)]
    assert results["shift"] == ""
    pdf = Path(results["pdf"])
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 2000
    # a full session, a render and a PDF export: everything owner-only (issue 15, item 11)
    from tests.storage.test_privacy_modes import loose_entries
    assert loose_entries(securebase_home) == [] and pdf.stat().st_mode & 0o777 == 0o600


def test_sigkill_at_random_moments_loses_nothing_acknowledged(app_env, securebase_home):
    app_env["QT_QPA_PLATFORM"] = "offscreen"
    rng = random.Random(20261123)
    acked: dict[str, list[int]] = {}
    kills = 0
    for _ in range(22):
        process = subprocess.Popen([sys.executable, str(DRIVER), "crashy"], env=app_env,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        lines = []
        assert process.stdout.readline().strip() == "ready"
        deadline = time.monotonic() + rng.uniform(0.0, 1.2)
        import selectors
        selector = selectors.DefaultSelector()
        selector.register(process.stdout, selectors.EVENT_READ)
        while time.monotonic() < deadline:
            if selector.select(timeout=0.01):
                line = process.stdout.readline()
                if not line:
                    break
                lines.append(line.strip())
        process.kill()                                  # SIGKILL, mid-whatever
        rest, _ = process.communicate(timeout=10)
        lines += rest.splitlines()
        kills += "done" not in lines
        for line in lines:
            if line.startswith("ack "):
                _, name, value = line.split()
                acked.setdefault(name, []).append(int(value))
        db = sqlite3.connect(securebase_home / "journal.db")
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        db.close()
    assert kills >= 20
    db = sqlite3.connect(securebase_home / "journal.db")
    tables = {"log_step": "step_events", "add_checkin": "checkins", "start_session": "sessions"}
    for name, table in tables.items():
        stored = {i for (i,) in db.execute(f"SELECT id FROM {table}")}
        missing = set(acked.get(name, [])) - stored
        assert not missing, f"{table}: acknowledged but missing {sorted(missing)}"
    assert acked.get("log_step"), "the kills all came before any step started"


def test_next_launch_offers_to_resume_after_a_kill(app_env, securebase_home, tmp_path):
    app_env["QT_QPA_PLATFORM"] = "offscreen"
    process = subprocess.Popen([sys.executable, str(DRIVER), "crashy"], env=app_env,
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    while True:
        line = process.stdout.readline()
        assert line, "the app ended before starting a step"
        if line.startswith("ack log_step"):
            break
    process.kill()
    process.wait(timeout=10)
    results = tmp_path / "resume.json"
    run = run_driver(app_env, "resume", str(results), screen=False)
    assert run.returncode == 0, run.stderr[-2000:]
    offered = json.loads(results.read_text())["offered"]
    assert offered and "Unblending" in offered[0]
