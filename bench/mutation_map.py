"""Which tests can notice a mutant, for bench/mutation.py.

One traced run of the quick tests (bench/mutation_plugin.py, split over the workers) records
which test runs which lines of the mutated modules. A mutant inside a function is then run
against exactly the tests that run its statement — from any test folder, widget tests too —
fastest first; one that no test runs cannot be noticed by any and survives without a run.
A mutant at module level (a constant, a class attribute) runs at import, before any test, so it
gets the test files that import its module, as before this map existed.

The map is kept in bench/.mutation_map.json (git-ignored), each test file's trace under a hash
of that file and of everything else it depends on (app/, the test set-up, the tracer): a run
on unchanged code traces nothing, and a new or changed test file alone is traced again.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from mutants import Mutant

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".mutation_map.json"
# Not traced: tools run over the whole tree (ruff, mypy, the wheel build), the end-to-end tests
# that launch the app in another process, and the speech tests (the voice runs in worker
# processes, and app/speech is not mutated).
SKIP_FOLDERS = {"e2e", "speech"}
SKIP = {"tests/test_static_checks.py", "tests/test_packaging.py"}
MARKS = "not e2e and not slow"
MAX_FILES = 6          # module-level mutants: its own test files first, then those naming it most
MAX_SECONDS = 20.0     # a mutant runs its covering tests up to this much (traced) test time
EXTRA_TESTS = {"app/storage/journal.py": ["tests/storage/test_wal.py"]}


@dataclass
class TestMap:
    seconds: dict[str, float]            # node id → seconds, tests that passed when traced
    lines: dict[str, dict[str, list[str]]]   # module → line → node ids that ran it
    failing: list[str]                   # tests that failed unmutated (never used to kill)
    why: dict[str, str] = field(default_factory=dict)   # failing test → its last error line

    def tests_for(self, mutant: Mutant) -> list[str]:
        """Node ids of the passing tests that run the mutant's statement, fastest first, up
        to MAX_SECONDS of test time."""
        by_line = self.lines.get(mutant.module, {})
        first, last = mutant.lines
        found = {t for n in range(first, last + 1) for t in by_line.get(str(n), [])
                 if t in self.seconds}
        chosen: list[str] = []
        spent = 0.0
        for test in sorted(found, key=lambda t: (self.seconds[t], t)):
            if chosen and spent + self.seconds[test] > MAX_SECONDS:
                break
            chosen.append(test)
            spent += self.seconds[test]
        return chosen


def test_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests").rglob("test_*.py")
                  if not SKIP_FOLDERS & set(p.parts) and str(p.relative_to(ROOT)) not in SKIP)


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    return digest.hexdigest()


def _base_key() -> str:
    """Everything a test file's trace depends on besides the file itself: the app, the test
    set-up (conftest, tests/support), the tracer and the project settings."""
    paths = [p for folder in ("app", "tests") for p in sorted((ROOT / folder).rglob("*"))
             if p.is_file() and "__pycache__" not in p.parts and not p.name.startswith("test_")]
    return _digest(paths + [ROOT / "bench" / "mutation_plugin.py", ROOT / "pyproject.toml"])


def _load() -> dict:
    try:
        cached = json.loads(CACHE.read_text())
    except (OSError, ValueError):
        return {"base": "", "files": {}}
    return cached if "files" in cached else {"base": "", "files": {}}


def _shards(files: list[str], count: int, known: dict) -> list[list[str]]:
    """Files split so each worker gets about the same time: each file's seconds in the last
    map (even one of older code), else its size as a guess (1 kB ~ 1 s)."""
    cost = {f: sum(t.get("seconds", 0.0) for t in known[f]["tests"].values()) if f in known
            else (ROOT / f).stat().st_size / 1000 for f in files}
    shards: list[list[str]] = [[] for _ in range(count)]
    spent = [0.0] * count
    for name in sorted(files, key=lambda f: -cost[f]):
        i = spent.index(min(spent))
        shards[i].append(name)
        spent[i] += cost[name]
    return [shard for shard in shards if shard]


def build(copies: list[Path], pytest_args: list[str],
          reuse: bool = False) -> tuple[TestMap, float, int]:
    """The map, the minutes tracing took and how many test files were traced. Each test
    file's trace is kept under its own hash: while the app and the test set-up are unchanged,
    only new or changed test files are traced again (`reuse`: none at all)."""
    cached, base, files = _load(), _base_key(), test_files()
    hashes = {f: _digest([ROOT / f]) for f in files}
    known = cached["files"] if cached["base"] == base or reuse else {}
    todo = [f for f in files if not reuse and known.get(f, {}).get("hash") != hashes[f]]
    started = time.perf_counter()
    traced = _trace(copies, _shards(todo, len(copies), cached["files"]), pytest_args)
    kept = {f: known[f] for f in files if f in known and f not in todo}
    for name in todo:
        part = {"tests": {}, "lines": {}}
        for test, info in traced["tests"].items():
            if test.split("::")[0] == name:
                part["tests"][test] = info
                part["lines"][test] = traced["lines"].get(test, {})
        kept[name] = {"hash": hashes[name], **part}
    if todo:
        CACHE.write_text(json.dumps({"base": base, "files": kept}))
    return _merge(list(kept.values())), (time.perf_counter() - started) / 60, len(todo)


def _trace(copies: list[Path], shards: list[list[str]], pytest_args: list[str]) -> dict:
    """Run each shard of test files traced, one per copy at once; their traces together."""
    procs = []
    for where, shard in zip(copies, shards):
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "QT_QPA_PLATFORM": "offscreen",
               "MUTATION_TRACE_OUT": str(where / "map.json"),
               "PYTHONPATH": str(where / "bench")}
        (where / "map.json").unlink(missing_ok=True)
        procs.append(subprocess.Popen(
            [sys.executable, "-m", "pytest", *pytest_args, "--timeout", "300", "-p",
             "mutation_plugin", *shard],
            cwd=where, env=env, stdout=(where / "map.log").open("wb"),
            stderr=subprocess.STDOUT))
    merged: dict = {"tests": {}, "lines": {}}
    for proc, where in zip(procs, copies):
        proc.wait()
        if not (where / "map.json").exists():
            tail = (where / "map.log").read_text(errors="replace")[-3000:]
            raise SystemExit(f"the traced test run stopped before its end:\n{tail}")
        part = json.loads((where / "map.json").read_text())
        merged["tests"].update(part["tests"])
        merged["lines"].update(part["lines"])
    return merged


def _merge(parts: list[dict]) -> TestMap:
    seconds: dict[str, float] = {}
    failing: list[str] = []
    why: dict[str, str] = {}
    lines: dict[str, dict[str, list[str]]] = {}
    for part in parts:
        for test, info in part["tests"].items():
            if info["passed"]:
                seconds[test] = info.get("seconds", 0.0)
            else:
                failing.append(test)
                why[test] = info.get("why", "")
        for context, files in part["lines"].items():
            if context.startswith("<"):
                continue
            for module, numbers in files.items():
                for n in numbers:
                    lines.setdefault(module, {}).setdefault(str(n), []).append(context)
    return TestMap(seconds, lines, sorted(failing), why)


# -- module-level mutants: the test files that import the module ------------------------------

def _importers(module: str) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py")
            if _imports(p.read_text(), module)]


def _imports(text: str, module: str) -> bool:
    dotted = module.removesuffix(".py").replace("/", ".")
    package, _, name = dotted.rpartition(".")
    return re.search(rf"\b{re.escape(dotted)}\b|from {re.escape(package)} import [^\n]*\b"
                     rf"{re.escape(name)}\b", text) is not None


def files_for(module: str) -> list[str]:
    """Test files importing the module (or, failing that, its importers), widget tests only
    if nothing else; its own test files first, then those that name it most."""
    files = [ROOT / f for f in test_files()]
    texts = {p: p.read_text() for p in files}
    found: list[Path] = []
    for target in [module], _importers(module):
        found = [p for p in files if any(_imports(texts[p], t) for t in target)]
        if found:
            break
    quick = [p for p in found if "ui" not in p.relative_to(ROOT).parts]
    stem = Path(module).stem
    word = re.compile(rf"\b{re.escape(stem)}\b", re.IGNORECASE)
    ranked = sorted(quick or found, key=lambda p: (stem not in p.stem,
                                                   -len(word.findall(texts[p])), p.name))
    return [str(p.relative_to(ROOT)) for p in ranked[:MAX_FILES]] + EXTRA_TESTS.get(module, [])
