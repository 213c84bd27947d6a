"""Begin -> the first audible sample, through a real (null) sound device, cold and warm, for
both voices.

The real window runs in its own process (bench/_first_sound_driver.py) on a private PulseAudio
whose only sink is a null sink; this process reads the sink's monitor as it plays (parec, raw,
20 ms latency) and notes when the first sound above -45 dBFS arrives. The driver prints when
Begin was pressed; both times are CLOCK_MONOTONIC, shared by the two processes.

Cold: a new data folder (no rendered step, no cached sentence, engine not started). Warm: the
same folder again (the step is rendered). Baseline, same run: the warm figure is the player's own
latency, which the cold path adds rendering to.

Goals: cold <= 2 s with the natural voice, <= 1 s with the standard voice; warm <= 0.5 s.

    .venv/bin/python bench/first_sound.py [--check] [--runs N] [--practice ID]
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from _common import ROOT, finish, parser

import numpy as np

DRIVER = Path(__file__).with_name("_first_sound_driver.py")
VOICES = {"piper": "piper:en_US-joe-medium", "espeak": "gmw/en-us"}
GOALS = {("piper", "cold"): 2.0, ("espeak", "cold"): 1.0,
         ("piper", "warm"): 0.5, ("espeak", "warm"): 0.5}
RATE, THRESHOLD = 22_050, 10 ** (-45 / 20) * 32768


class Sink:
    """A private PulseAudio with a null sink, and a reader of its monitor in real time."""

    def __init__(self, folder: Path) -> None:
        for program in ("pulseaudio", "parec", "pactl", "xvfb-run"):
            if shutil.which(program) is None:
                raise SystemExit(f"{program} is missing (bash tools/bootstrap.sh test installs it)")
        runtime = folder / "xdg-runtime"
        runtime.mkdir(mode=0o700)
        self.env = {**os.environ, "XDG_RUNTIME_DIR": str(runtime),
                    "PULSE_SERVER": f"unix:{runtime}/pulse/native"}
        self.env.pop("QT_QPA_PLATFORM", None)
        subprocess.run(["pulseaudio", "-D", "-n", "--exit-idle-time=-1", "--disallow-exit",
                        "--load=module-native-protocol-unix",
                        "--load=module-null-sink sink_name=cap"], env=self.env, check=True,
                       capture_output=True, timeout=30)
        subprocess.run(["pactl", "set-default-sink", "cap"], env=self.env, check=True,
                       capture_output=True, timeout=10)
        self.pid_file = runtime / "pulse" / "pid"
        self.loud_at: list[float] = []
        self.reader = subprocess.Popen(
            ["parec", "--latency-msec=20", "-d", "cap.monitor", "--raw", "--format=s16le",
             f"--rate={RATE}", "--channels=1"], env=self.env, stdout=subprocess.PIPE)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        block = int(RATE * 0.01) * 2
        assert self.reader.stdout is not None
        while chunk := self.reader.stdout.read(block):
            samples = np.frombuffer(chunk[:len(chunk) // 2 * 2], dtype="<i2").astype(float)
            if samples.size and np.sqrt(np.mean(samples ** 2)) > THRESHOLD:
                self.loud_at.append(time.monotonic())

    def first_sound_after(self, moment: float) -> float | None:
        return next((t for t in self.loud_at if t > moment), None)

    def close(self) -> None:
        self.reader.terminate()
        try:
            os.kill(int(self.pid_file.read_text().split()[0]), signal.SIGTERM)
        except (OSError, ValueError):
            pass


def one_run(sink: Sink, home: Path, practice: str) -> float:
    env = {**sink.env, "SECUREBASE_HOME": str(home),
           "QT_LOGGING_RULES": "qt.multimedia.*=false;qt.qpa.*=false"}
    run = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1280x800x24 -nolisten tcp",
                          sys.executable, str(DRIVER), practice], env=env, capture_output=True,
                         text=True, timeout=240)
    begin = next((float(line.split()[1]) for line in run.stdout.splitlines()
                  if line.startswith("begin ")), None)
    if run.returncode != 0 or begin is None:
        raise SystemExit(f"the window failed: {run.stdout[-800:]} {run.stderr[-1500:]}")
    time.sleep(0.2)
    ready = next((float(line.split()[1]) for line in run.stdout.splitlines()
                  if line.startswith("ready ")), begin)
    print(f"    (audio ready {ready - begin:.2f} s after Begin)", flush=True)
    heard = sink.first_sound_after(begin)
    if heard is None:
        raise SystemExit("nothing was heard on the sound device")
    return heard - begin


def render_all(sink: Sink, home: Path, practice: str, voice: str) -> None:
    """Between the cold and the warm run: the practice wholly rendered, as after a first use."""
    env = {**sink.env, "SECUREBASE_HOME": str(home)}
    subprocess.run([sys.executable, "-m", "app", "render", "--practice", practice, "grounding",
                    "--voice", voice], env=env, cwd=ROOT, check=True, capture_output=True,
                   timeout=600)


def main() -> int:
    p = parser(__doc__)
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--practice", default="self-energy")
    p.add_argument("--voice", choices=sorted(VOICES), action="append")
    args = p.parse_args()
    goals = []
    with tempfile.TemporaryDirectory(prefix="securebase-first-sound-") as folder:
        sink = Sink(Path(folder))
        try:
            time.sleep(0.5)
            for name in args.voice or ["espeak", "piper"]:
                cold, warm = [], []
                for run in range(args.runs):
                    home = Path(folder) / f"{name}-{run}"
                    home.mkdir()
                    (home / "settings.json").write_text(json.dumps({"voice": VOICES[name]}))
                    cold.append(one_run(sink, home, args.practice))
                    render_all(sink, home, args.practice, VOICES[name])
                    warm.append(one_run(sink, home, args.practice))
                    print(f"  {name:<7} run {run + 1}: cold {cold[-1]:.2f} s, "
                          f"warm {warm[-1]:.2f} s", flush=True)
                for kind, values in (("cold", cold), ("warm", warm)):
                    value, goal = statistics.median(values), GOALS[(name, kind)]
                    goals.append((f"{name} Begin->sound {kind} s", value, f"<= {goal}",
                                  value <= goal))
        finally:
            sink.close()
    return finish(args.check, goals)


if __name__ == "__main__":
    sys.exit(main())
