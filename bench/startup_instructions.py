"""Instructions to the first complete frame, under callgrind: startup.py's launches (the
`securebase` command and the empty QMainWindow, the same probe, the same environment), each
counted from its first instruction to the end of the paint pass that completes its frame.

    .venv/bin/python bench/startup_instructions.py [--runs N] [--keep DIR]

Wall and CPU time move with the machine's load (on 2 shared cores one pair's wall ratio ranges
1.05-2.4); the number of instructions a launch executes moves by about 0.1 % whatever the load,
so it shows what a change to start-up is worth while other work runs. It is not the goal
(startup.py's wall ratio is): it leaves out waiting for the disk and the scheduler, and a cache
miss counts as one instruction. With --keep, the callgrind files stay in DIR for
`callgrind_annotate --inclusive=yes DIR/ours.1.out` (where the instructions go).
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from _common import ROOT, median, parser
from startup import EMPTY, PASSES, SECURE_BASE, complete_after, launch_env, session_bus

# The timed probe, ended at the end of pass STOP_AFTER_PASS (the pass after which every visible
# widget had painted, found by startup.complete_after) instead of after a quiet spell.
STOPPING = PASSES + r"""
_pass_ended = Passes.pass_ended
def _stop_at_frame(self):
    _pass_ended(self)
    if len(self.ends) >= int(os.environ["STOP_AFTER_PASS"]):
        os._exit(0)
Passes.pass_ended = _stop_at_frame
"""


def instructions(code: str, env: dict[str, str], passes: int, out: Path) -> int:
    """Instructions (all threads) the launch executed up to the end of paint pass `passes`."""
    run_env = {**env, "STOP_AFTER_PASS": str(passes)}
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--collect-atstart=yes", f"--callgrind-out-file={out}",
         sys.executable, "-c", STOPPING + code],
        cwd=ROOT, env=run_env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0 or not out.exists():
        raise SystemExit(f"callgrind run failed ({done.returncode}): {done.stderr[-2000:]}")
    for line in out.read_text(errors="replace").splitlines():
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    raise SystemExit(f"no totals in {out}")


def main() -> int:
    p = parser(__doc__)
    p.add_argument("--runs", type=int, default=1, help="launches of each (default 1)")
    p.add_argument("--keep", type=Path, help="keep the callgrind files in this folder")
    args = p.parse_args()
    if shutil.which("valgrind") is None:
        print("valgrind is not installed (apt-get install valgrind)", file=sys.stderr)
        return 1
    load_before = os.getloadavg()[0]
    counts: dict[str, list[int]] = {"empty": [], "ours": []}
    with tempfile.TemporaryDirectory() as scratch:
        keep = args.keep or Path(scratch) / "callgrind"
        keep.mkdir(parents=True, exist_ok=True)
        env = launch_env(scratch)
        with session_bus(env):
            # also warms the file cache, makes the data folder and compiles the bytecode
            passes = {"empty": max(complete_after("empty window", EMPTY, env) for _ in range(2)),
                      "ours": max(complete_after("Secure Base", SECURE_BASE, env)
                                  for _ in range(2))}
            for run in range(1, args.runs + 1):
                for kind, code in (("empty", EMPTY), ("ours", SECURE_BASE)):
                    counts[kind].append(instructions(code, env, passes[kind],
                                                     keep / f"{kind}.{run}.out"))
    empty, ours = median(counts["empty"]), median(counts["ours"])
    print("each run (empty / Secure Base, millions): " + ", ".join(
        f"{e / 1e6:.1f}/{o / 1e6:.1f}" for e, o in zip(counts["empty"], counts["ours"])))
    print(f"instructions to the first complete frame under callgrind, median of {args.runs} "
          f"(load {load_before:.1f}): empty QMainWindow {empty / 1e6:.1f} M (pass "
          f"{passes['empty']}), Secure Base {ours / 1e6:.1f} M (pass {passes['ours']}); "
          f"ratio {ours / empty:.3f}")
    if args.keep:
        print(f"callgrind files: {keep} (callgrind_annotate --inclusive=yes FILE)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
