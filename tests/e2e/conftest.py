"""End-to-end fixtures: a virtual screen (xvfb-run) and a private PulseAudio with a null sink
whose monitor we record, so a test can prove the app really made sound."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

DRIVER = Path(__file__).with_name("driver.py")


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


def need(program: str) -> None:
    if shutil.which(program) is None:
        pytest.skip(f"{program} is not installed (bash tools/bootstrap.sh test installs it)")


@pytest.fixture
def app_env(securebase_home) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM",)}
    env["SECUREBASE_HOME"] = str(securebase_home)
    env["QT_LOGGING_RULES"] = "qt.multimedia.*=false;qt.qpa.*=false"
    return env


def run_driver(env: dict[str, str], *args: str, screen: bool = True, timeout: float = 300,
               script: Path = DRIVER) -> subprocess.CompletedProcess:
    command = [sys.executable, str(script), *args]
    if screen:
        need("xvfb-run")
        command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24 -nolisten tcp", *command]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.fixture
def pulse(tmp_path, app_env):
    """A private PulseAudio daemon with a null sink `cap`; yields a recorder factory."""
    need("pulseaudio")
    need("parec")
    runtime = tmp_path / "xdg-runtime"
    runtime.mkdir(mode=0o700)
    env = {**app_env, "XDG_RUNTIME_DIR": str(runtime),
           "PULSE_SERVER": f"unix:{runtime}/pulse/native"}
    subprocess.run(["pulseaudio", "-D", "-n", "--exit-idle-time=-1", "--disallow-exit",
                    "--load=module-native-protocol-unix",
                    "--load=module-null-sink sink_name=cap"], env=env, check=True,
                   capture_output=True, timeout=30)
    subprocess.run(["pactl", "set-default-sink", "cap"], env=env, check=True, timeout=10,
                   capture_output=True)
    app_env.update(env)
    yield env
    pid_file = runtime / "pulse" / "pid"
    if pid_file.exists():
        try:
            os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
        except (ProcessLookupError, ValueError):
            pass


class Recorder:
    """parec on the null sink's monitor, into a WAV; `rate`/`channels` ask PulseAudio to
    resample (well) to a known format, e.g. the step WAVs' 22,050 Hz mono."""

    def __init__(self, env: dict[str, str], out: Path, *, rate: int | None = None,
                 channels: int | None = None):
        self.out = out
        shape = ([f"--rate={rate}"] if rate else []) + (
            [f"--channels={channels}"] if channels else [])
        self.process = subprocess.Popen(
            ["parec", "--latency-msec=20", "-d", "cap.monitor", "--file-format=wav",
             "--format=s16le", *shape, str(out)], env=env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10        # the null sink runs ahead: wait for data
        while time.monotonic() < deadline and (not out.exists() or out.stat().st_size < 8192):
            time.sleep(0.05)

    def stop(self) -> Path:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=10)
        return self.out
