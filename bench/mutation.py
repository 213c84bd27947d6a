"""Mutation testing: do the tests notice when the code is wrong?

    .venv/bin/python bench/mutation.py [--check] [--minutes 14] [--jobs 2] [--seed 18]

Makes small mistakes in app/core, app/qt and the journal (app/storage/journal*.py; see
bench/mutants.py for the kinds), one at a time, and runs the tests that can notice each. A
mutant is *killed* when a test fails (or the run hangs past its time limit); it *survives* when
every test still passes. The score is the killed share.

Which tests: one traced run of the quick tests (bench/mutation_map.py) records which test runs
which line. A mutant is run against the tests that run its statement — from every folder, the
widget tests too — fastest first, stopping at the first failure; a mutant no test runs survives
without a run (no test could notice it). Module-level mutants (constants) run the test files
that import their module. Why our own tool: mutmut 3 and cosmic-ray run one configured test
command per mutant; the whole suite takes minutes, so neither fits 15 minutes on 2 cores.

All mutants in a seeded random order, run until the time is up: those run are a uniform random
sample (same seed, same order); the run stops at the first mutant that no longer fits, so the
sample is never skewed towards quick mutants. Survivors go to bench/mutation_result.json.

Equivalent mutants are not hidden: bench/mutation_equivalent.json names each survivor judged
equivalent, with the reason, matched on its function, the code of its line, its column and the
change — never on the line number, so code moving up or down keeps the judgement, and changed
code drops it (named in the output as stale). The run prints the score both ways. A listed
mutant that a test kills is counted killed and named. `--only GLOB` runs (to work on one
module) write bench/.mutation_only.json and leave the committed result alone.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

from _common import ROOT, finish, parser
from mutants import Mutant, mutants_of, mutated_source
from mutation_map import TestMap, build, files_for

TARGETS = ["app/core/*.py", "app/qt/*.py", "app/storage/journal*.py"]
GOAL = 0.85
RESULT = ROOT / "bench" / "mutation_result.json"
ONLY_RESULT = ROOT / "bench" / ".mutation_only.json"
EQUIVALENT = ROOT / "bench" / "mutation_equivalent.json"
PYTEST = ["-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-m", "not e2e and not slow",
          "--timeout", "60"]
STARTUP = 4.0          # seconds a pytest run takes before its first test (loaded machine)
# pytest exit codes that say nothing about the mutant: bad arguments, no tests collected.
TOOL_ERRORS = {4, 5}


def copy_project(into: Path) -> Path:
    """The project as the tests see it (scripts, resources, README …), without the venv."""
    shutil.copytree(ROOT, into, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.pyc", "*.egg-info", ".hypothesis", "build",
        ".mypy_cache", ".ruff_cache", ".mutation_*.json"))
    return into


def run_tests(where: Path, tests: list[str], limit: float) -> tuple[str, str | None]:
    """("killed", the first test that failed) — or the run went past `limit`: a hang the
    person sees —, ("survived", None), or ("error", None): pytest could not run them at all.
    The node ids go through a file (bench/mutation_plugin.py): some cannot be command-line
    arguments (a parameter with "]" or a non-ASCII character in it)."""
    (where / "select.txt").write_text("\n".join(tests))
    failed = where / "failed.txt"
    failed.unlink(missing_ok=True)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": str(where / "bench"), "MUTATION_SELECT": str(where / "select.txt"),
           "MUTATION_FAILED_OUT": str(failed)}
    files = list(dict.fromkeys(t.split("::")[0] for t in tests))
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", "-x", *PYTEST, "-p",
                               "mutation_plugin", *files], cwd=where, env=env,
                              capture_output=True, timeout=limit)
    except subprocess.TimeoutExpired:
        return "killed", None
    if done.returncode in TOOL_ERRORS:
        return "error", None
    if done.returncode == 0:
        return "survived", None
    return "killed", failed.read_text() if failed.exists() else None


def _verified(where: Path, tests: list[str], failed: str | None, limit: float) -> str:
    """A kill counts only if the test that failed passes on the unmutated code, run again
    just now: on a loaded machine a timing test can fail by itself ("flaky": not a kill)."""
    again, _ = run_tests(where, [failed] if failed else tests, limit)
    return "killed" if again == "survived" else "flaky"


class Selection:
    """The tests each mutant runs (node ids) and what they cost."""

    def __init__(self, tests: TestMap):
        self.map = tests
        self._module_tests: dict[str, list[str]] = {}

    def tests(self, mutant: Mutant) -> list[str]:
        if mutant.runtime:
            return self.map.tests_for(mutant)
        if mutant.module not in self._module_tests:
            files = files_for(mutant.module)
            self._module_tests[mutant.module] = [
                t for t in self.map.seconds if t.split("::")[0] in files]
        return self._module_tests[mutant.module]

    def seconds(self, tests: list[str]) -> float:
        return STARTUP + sum(self.map.seconds[t] for t in tests)


def run_all(order: list[Mutant], selection: Selection, copies: list[Path],
            deadline: float) -> list[str | None]:
    """Each mutant's outcome in `order`, or None for those after the first that no longer fit
    the time (so those run are a prefix of the random order: an unskewed sample)."""
    free = list(copies)
    lock = threading.Lock()
    stopped = threading.Event()

    def one(mutant: Mutant) -> str | None:
        tests = selection.tests(mutant)
        if not tests:
            return "unreached"                  # no test runs this code: none can notice
        cost = selection.seconds(tests)
        # A mutant that starts must also end inside the budget: its tests on a busy machine
        # take longer than the map's quiet timing, and a kill is re-run unmutated (_verified).
        worst = 1.5 * cost + STARTUP
        with lock:
            if stopped.is_set() or time.perf_counter() + worst > deadline:
                stopped.set()
                return None
            where = free.pop()
        target = where / mutant.module
        original = target.read_text()
        try:
            target.write_text(mutated_source(mutant, original))
            outcome, failed = run_tests(where, tests, 3 * cost + 30)
            target.write_text(original)
            if outcome == "killed":
                outcome = _verified(where, tests, failed, 3 * cost + 30)
            return outcome
        finally:
            target.write_text(original)
            with lock:
                free.append(where)

    with ThreadPoolExecutor(len(copies)) as pool:
        outcomes = list(pool.map(one, order))
    first_skipped = next((i for i, o in enumerate(outcomes) if o is None), len(outcomes))
    return outcomes[:first_skipped] + [None] * (len(outcomes) - first_skipped)


def main() -> int:
    p = parser(__doc__)
    p.add_argument("--minutes", type=float, default=14.0, help="time budget (default 14)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--only", nargs="+", help="globs of modules, e.g. app/qt/tasks.py")
    p.add_argument("--reuse-map", action="store_true",
                   help="use the last test map even if the code changed since (quick, while "
                        "writing tests: new tests are not in it); only with --only")
    p.add_argument("--worked", type=int, default=0,
                   help="the first N of the sample were used to write tests: also print the "
                        "score of the rest (fresh mutants) alone")
    args = p.parse_args()
    started = time.perf_counter()
    load = os.getloadavg()[0]
    modules = sorted(str(m.relative_to(ROOT)) for g in (args.only or TARGETS)
                     for m in ROOT.glob(g) if m.name != "__init__.py")
    every = {m: mutants_of(m, (ROOT / m).read_text()) for m in modules}
    work = Path(tempfile.mkdtemp(prefix="securebase-mutation-"))
    try:
        copies = [copy_project(work / f"w{i}") for i in range(args.jobs)]
        tests, map_minutes, traced = build(copies, PYTEST,
                                           reuse=args.reuse_map and bool(args.only))
        order = random.Random(args.seed).sample(
            [mu for m in modules for mu in every[m]], sum(len(every[m]) for m in modules))
        outcomes = run_all(order, Selection(tests), copies, started + args.minutes * 60)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    done = [(mu, o) for mu, o in zip(order, outcomes) if o is not None and o != "error"]
    errors = [mu for mu, o in zip(order, outcomes) if o == "error"]
    return report(args, every, done, errors, tests, (map_minutes, traced),
                  time.perf_counter() - started, (load, os.getloadavg()[0]))


# -- judged equivalent, and the report --------------------------------------------------------

def code_of(mutant: Mutant) -> str:
    return (ROOT / mutant.module).read_text().splitlines()[mutant.line - 1].strip()


def where_of(mutant: Mutant) -> tuple[str, str, str, int, str]:
    """What an equivalence judgement is matched on: stable when code moves up or down."""
    return (mutant.module, mutant.scope, code_of(mutant), mutant.col, mutant.change)


def judged_equivalent() -> dict[tuple[str, str, str, int, str], str]:
    if not EQUIVALENT.exists():
        return {}
    return {(e["module"], e["scope"], e["code"], e["col"], e["change"]): e["why"]
            for e in json.loads(EQUIVALENT.read_text())["equivalent"]}


def report(args: argparse.Namespace, every: dict[str, list[Mutant]],
           done: list[tuple[Mutant, str]], errors: list[Mutant], tests: TestMap,
           map_done: tuple[float, int], seconds: float, load: tuple[float, float]) -> int:
    map_minutes, traced = map_done
    total = sum(len(v) for v in every.values())
    sample = [mu for mu, _ in done]
    killed = [o == "killed" for _, o in done]
    unreached = sum(o == "unreached" for _, o in done)
    flaky = [f"{m.module}:{m.line} {m.change}" for m, o in done if o == "flaky"]
    score = sum(killed) / len(killed) if killed else 0.0
    judged = judged_equivalent()
    why = [judged.get(where_of(m)) for m in sample]
    present = {where_of(m) for ms in every.values() for m in ms}
    stale = [f"{k[0]} {k[1] or '<module>'}: {k[2]} ({k[4]})" for k in judged
             if k not in present and (not args.only or k[0] in every)]
    survivors = [{**asdict(m), "code": code_of(m), "outcome": o,
                  **({"equivalent": w} if w else {})}
                 for (m, o), k, w in zip(done, killed, why) if not k]
    wrongly_judged = [f"{m.module}:{m.line} {m.change}" for m, k, w in zip(sample, killed, why)
                      if k and w]
    equivalent = sum(1 for k, w in zip(killed, why) if w and not k)
    judged_score = sum(killed) / (len(killed) - equivalent) if len(killed) > equivalent else 0.0
    per_module = {m: [sum(k for mu, k in zip(sample, killed) if mu.module == m),
                      sum(mu.module == m for mu in sample)] for m in every}
    fresh = killed[args.worked:] if args.worked else []
    out = ONLY_RESULT if args.only else RESULT
    out.write_text(json.dumps({
        "score": round(score, 4), "killed": sum(killed), "sampled": len(sample),
        "score_without_equivalent": round(judged_score, 4), "equivalent": equivalent,
        "unreached": unreached, "mutants": total, "seed": args.seed, "jobs": args.jobs,
        "minutes": round(seconds / 60, 1), "map_minutes": round(map_minutes, 1),
        "map_files_traced": traced,
        "load_average": [round(x, 1) for x in load], "worked": args.worked,
        "fresh": [sum(fresh), len(fresh)], "when": time.strftime("%Y-%m-%d %H:%M"),
        "tests_failing_unmutated": tests.failing,
        "why_failing_unmutated": {t: tests.why.get(t, "") for t in tests.failing},
        "flaky_kills_not_counted": flaky,
        "errors": [asdict(m) for m in errors],
        "per_module": per_module, "outcomes": "".join("K" if k else "S" for k in killed),
        "killed_though_judged_equivalent": wrongly_judged, "stale_equivalent": stale,
        "survivors": survivors}, indent=1) + "\n")
    for module, (k, n) in per_module.items():
        if n:
            print(f"  {module:<36} {k:>4} of {n:<4} killed")
    print(f"{len(sample)} of {total} mutants sampled (seed {args.seed}), {seconds / 60:.1f} min "
          f"on {args.jobs} workers ({map_minutes:.1f} of them tracing which test runs what in "
          f"{traced} test files), "
          f"load average {load[0]:.1f} → {load[1]:.1f}; survivors in {out.relative_to(ROOT)}")
    print(f"  killed {sum(killed)} of {len(killed)} ({score:.1%}); {unreached} survivors run "
          f"by no test; {len(flaky)} killed only by a test that then failed unmutated too (not "
          f"counted as killed); {equivalent} judged equivalent "
          f"({EQUIVALENT.relative_to(ROOT)}): {judged_score:.1%} of the rest")
    if tests.failing:
        print(f"  {len(tests.failing)} tests failed unmutated and kill nothing:")
        for test in tests.failing[:5]:
            print(f"    {test}: {tests.why.get(test, '')}")
    for mutant in errors:
        print(f"  pytest could not run the tests of {mutant.module}:{mutant.line} (left out)")
    if fresh:
        print(f"  the first {args.worked} of the sample were used to write tests; the "
              f"{len(fresh)} after them: {sum(fresh)} killed ({sum(fresh) / len(fresh):.1%})")
    for name in wrongly_judged:
        print(f"  listed as equivalent but killed (take it off the list): {name}")
    for name in stale:
        print(f"  listed as equivalent, but no such mutant any more (look again): {name}")
    return finish(args.check, [("mutants killed (share)", score, f">= {GOAL}", score >= GOAL)])


if __name__ == "__main__":
    sys.exit(main())
