"""Mutation testing: do the tests notice when the code is wrong?

    .venv/bin/python bench/mutation.py [--check] [--minutes 14] [--jobs 2] [--seed 18]

Makes small mistakes in app/core, app/qt and the journal (app/storage/journal*.py) — a `<` for
a `<=`, `and` for `or`, a number off by one, a statement that does nothing, a value never
returned, a multiplier ignored — one at a time, and runs the tests that import the mistaken
module. A mutant is *killed* when a test fails (or the run hangs past its time limit); it
*survives* when every test still passes. The score is the killed share.

Why our own mutator: mutmut 3 and cosmic-ray run one whole configured test command per mutant
and pick no tests per module; the whole suite takes minutes, so neither fits 15 minutes on 2
cores. Here each mutant runs only the test files that import its module (not e2e, not slow),
in a private copy of the project, stopping at the first failure.

A seeded random sample of all mutants (same seed, same sample) fits the time budget; the line
printed says how many. Survivors go to bench/mutation_result.json with place and change: each
a mistake no test catches, or an equivalent change (one that does not alter behaviour).

Equivalent mutants are not hidden: bench/mutation_equivalent.json names each survivor judged
equivalent (module, the line's code, the change) with the reason, and the run prints the score
both ways — over every sampled mutant (the figure the goal is checked on) and over those not
judged equivalent. A listed mutant that a test kills is counted killed and named, so the list
cannot keep a wrong judgement. `--only GLOB` runs (to work on one module) write to
bench/.mutation_only.json and leave the committed result alone.
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path

from _common import ROOT, finish, parser

TARGETS = ["app/core/*.py", "app/qt/*.py", "app/storage/journal*.py"]
GOAL = 0.85
MAX_TEST_FILES = 6     # per module: its own test files first, then those naming it most
# Tests that exercise a module without naming it in their file name or often in their text.
EXTRA_TESTS = {"app/storage/journal.py": ["tests/storage/test_wal.py"]}
# Seconds each module's tests took unmutated, by a hash of the module and its tests: a second
# run on the same code skips those baselines (the file is not committed).
CACHE = ROOT / "bench" / ".mutation_baseline.json"
RESULT = ROOT / "bench" / "mutation_result.json"
ONLY_RESULT = ROOT / "bench" / ".mutation_only.json"
EQUIVALENT = ROOT / "bench" / "mutation_equivalent.json"
PYTEST = ["-x", "-q", "-p", "no:randomly", "-p", "no:cacheprovider", "-m", "not e2e and not slow",
          "--timeout", "60"]
SWAPS: dict[type, type] = {
    ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt, ast.Eq: ast.NotEq,
    ast.NotEq: ast.Eq, ast.Is: ast.IsNot, ast.IsNot: ast.Is, ast.In: ast.NotIn,
    ast.NotIn: ast.In, ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.Div, ast.Div: ast.Mult,
    ast.And: ast.Or, ast.Or: ast.And}
LOG_NAMES = {"log", "logger", "logging", "_log"}


@dataclass(frozen=True)
class Mutant:
    module: str          # path relative to the project
    index: int           # the n-th mutation point of the module, in walk order
    line: int
    change: str


# -- finding and making mutants ---------------------------------------------------------------

class _Walker(ast.NodeTransformer):
    """Walks a module in a fixed order; lists mutation points, or applies the `target`-th."""

    def __init__(self, target: int = -1):
        self.target = target
        self.points: list[tuple[int, str]] = []
        self.applied = False

    def _point(self, node: ast.AST, change: str) -> bool:
        self.points.append((getattr(node, "lineno", 0), change))
        hit = len(self.points) - 1 == self.target
        self.applied |= hit
        return hit

    # Never mutated: docstrings, annotations, decorators, typing-only blocks, log lines.
    def visit_FunctionDef(self, node):
        node.body = self._body(node.body)
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        node.body = self._body(node.body)
        return node

    def visit_Module(self, node):
        node.body = self._body(node.body)
        return node

    def _body(self, body: list[ast.stmt]) -> list[ast.stmt]:
        start = 1 if body and _is_docstring(body[0]) else 0
        return body[:start] + [self.visit(stmt) for stmt in body[start:]]

    def visit_If(self, node):
        if isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING":
            return node
        return self.generic_visit(node)

    def visit_AnnAssign(self, node):
        if node.value is not None:
            node.value = self.visit(node.value)
        return node

    def visit_Import(self, node):
        return node

    visit_ImportFrom = visit_Import

    def visit_Expr(self, node):
        if _is_docstring(node) or _is_log_call(node.value):
            return node
        if isinstance(node.value, ast.Call) and self._point(node, "call removed"):
            return ast.Pass()
        return self.generic_visit(node)

    def visit_Assign(self, node):
        if (all(isinstance(t, ast.Attribute) for t in node.targets)
                and self._point(node, "assignment removed")):
            return ast.Pass()
        return self.generic_visit(node)

    def visit_AugAssign(self, node):
        swap = SWAPS.get(type(node.op))
        if swap and self._point(node, f"{_op(node.op)}= -> {_op(swap())}="):
            node.op = swap()
        return self.generic_visit(node)

    def visit_Return(self, node):
        if (node.value is not None and not _is_none(node.value)
                and self._point(node, "returns None")):
            node.value = ast.Constant(None)
            return node
        return self.generic_visit(node)

    def visit_Compare(self, node):
        for i, op in enumerate(node.ops):
            swap = SWAPS.get(type(op))
            if swap and self._point(node, f"{_op(op)} -> {_op(swap())}"):
                node.ops[i] = swap()
        return self.generic_visit(node)

    def visit_BinOp(self, node):
        swap = SWAPS.get(type(node.op))
        if swap and self._point(node, f"{_op(node.op)} -> {_op(swap())}"):
            node.op = swap()
        if isinstance(node.op, ast.Mult) and self._point(node, "* factor ignored"):
            return self.visit(node.left)
        return self.generic_visit(node)

    def visit_BoolOp(self, node):
        swap = SWAPS[type(node.op)]
        if self._point(node, f"{_op(node.op)} -> {_op(swap())}"):
            node.op = swap()
        return self.generic_visit(node)

    def visit_UnaryOp(self, node):
        if isinstance(node.op, ast.Not) and self._point(node, "not removed"):
            return self.visit(node.operand)
        return self.generic_visit(node)

    def visit_Constant(self, node):
        value = node.value
        if isinstance(value, bool):
            if self._point(node, f"{value} -> {not value}"):
                return ast.Constant(not value)
        elif isinstance(value, (int, float)) and self._point(node, f"{value} -> {value + 1}"):
            return ast.Constant(value + 1)
        return node


def _is_docstring(stmt: ast.stmt) -> bool:
    return (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            and isinstance(stmt.value.value, str))


def _is_log_call(expr: ast.expr) -> bool:
    if not isinstance(expr, ast.Call):
        return False
    func = expr.func
    while isinstance(func, ast.Attribute):
        func = func.value
    return isinstance(func, ast.Name) and func.id in LOG_NAMES


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _op(op: ast.AST) -> str:
    return {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
            ast.NotEq: "!=", ast.Is: "is", ast.IsNot: "is not", ast.In: "in",
            ast.NotIn: "not in", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/",
            ast.And: "and", ast.Or: "or"}[type(op)]


def _walk(source: str, target: int = -1) -> tuple[_Walker, ast.Module]:
    tree = ast.parse(source)
    for node in ast.walk(tree):          # decorators are never mutated
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.decorator_list = []
    walker = _Walker(target)
    return walker, walker.visit(tree)


def mutants_of(module: str, source: str) -> list[Mutant]:
    walker, _ = _walk(source)
    return [Mutant(module, i, line, change) for i, (line, change) in enumerate(walker.points)]


def mutated_source(mutant: Mutant, source: str) -> str:
    walker, tree = _walk(source, mutant.index)
    assert walker.applied, mutant
    # Decorators were dropped for the walk: put the module back together with them.
    original = ast.parse(source)
    decorators = {(n.name, n.lineno): n.decorator_list for n in ast.walk(original)
                  if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))}
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            node.decorator_list = decorators.get((node.name, node.lineno), [])
    return ast.unparse(ast.fix_missing_locations(tree))


# -- which tests, and running them -------------------------------------------------------------

def _importers(module: str) -> list[str]:
    return [str(p.relative_to(ROOT)) for p in (ROOT / "app").rglob("*.py")
            if _imports(p.read_text(), module)]


def _imports(text: str, module: str) -> bool:
    dotted = module.removesuffix(".py").replace("/", ".")
    package, _, name = dotted.rpartition(".")
    return re.search(rf"\b{re.escape(dotted)}\b|from {re.escape(package)} import [^\n]*\b"
                     rf"{re.escape(name)}\b", text) is not None


def tests_for(module: str) -> list[str]:
    """Test files importing the module (or, failing that, its importers), widget tests only
    if nothing else; its own test files first, then those that name it most."""
    files = [p for p in (ROOT / "tests").rglob("test_*.py") if "e2e" not in p.parts]
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
    return [str(p.relative_to(ROOT)) for p in ranked[:MAX_TEST_FILES]] + EXTRA_TESTS.get(module, [])


def copy_project(into: Path) -> Path:
    """The project as the tests see it (scripts, resources, README …), without the venv."""
    shutil.copytree(ROOT, into, ignore=shutil.ignore_patterns(
        ".venv", ".git", "__pycache__", "*.pyc", "*.egg-info", ".hypothesis", "build",
        ".mypy_cache", ".ruff_cache"))
    return into


def run_tests(where: Path, tests: list[str], limit: float) -> tuple[bool, float]:
    """(all passed, seconds); a run past `limit` counts as failed (a hang the person sees)."""
    started = time.perf_counter()
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "QT_QPA_PLATFORM": "offscreen"}
    try:
        done = subprocess.run([sys.executable, "-m", "pytest", *PYTEST, *tests], cwd=where,
                              env=env, capture_output=True, timeout=limit)
        passed = done.returncode == 0
    except subprocess.TimeoutExpired:
        passed = False
    return passed, time.perf_counter() - started


def main() -> int:
    p = parser(__doc__)
    p.add_argument("--minutes", type=float, default=14.0, help="time budget (default 14)")
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--seed", type=int, default=18)
    p.add_argument("--only", help="a glob of modules, e.g. app/qt/tasks.py")
    p.add_argument("--worked", type=int, default=0,
                   help="the first N of the sample were used to write tests: also print the "
                        "score of the rest (fresh mutants) alone")
    args = p.parse_args()
    started = time.perf_counter()
    load = os.getloadavg()[0]
    modules = sorted(str(m.relative_to(ROOT)) for g in ([args.only] if args.only else TARGETS)
                     for m in ROOT.glob(g) if m.name != "__init__.py")
    tests = {m: tests_for(m) for m in modules}
    work = Path(tempfile.mkdtemp(prefix="securebase-mutation-"))
    try:
        copies = [copy_project(work / f"w{i}") for i in range(args.jobs)]
        every = {m: mutants_of(m, (copies[0] / m).read_text()) for m in modules}
        cost = baseline([m for m in modules if tests[m]], tests, copies)
        # Tests that fail unmutated (a timing test on a loaded machine, say) would "kill" every
        # mutant of their module: those modules are left out of this run, and said so.
        left_out = [m for m, seconds in cost.items() if seconds < 0]
        for module in left_out:
            print(f"  {module}: its tests fail without any mutation; left out of this run")
            modules.remove(module)
            del every[module]
        # Every mutant in a seeded random order, run until the time is up: the ones run are a
        # uniform random sample of all of them.
        order = random.Random(args.seed).sample(
            [mu for m in modules for mu in every[m]], sum(len(every[m]) for m in modules))
        deadline = started + args.minutes * 60
        outcomes = run_all(order, tests, cost, copies, deadline)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sample = [mu for mu, killed in zip(order, outcomes) if killed is not None]
    return report(args, every, sample, [k for k in outcomes if k is not None],
                  time.perf_counter() - started, left_out, (load, os.getloadavg()[0]))


def _fingerprint(module: str, tests: list[str]) -> str:
    digest = hashlib.sha256()
    for name in [module, *tests]:
        digest.update(name.encode() + (ROOT / name).read_bytes())
    return digest.hexdigest()


def baseline(modules: list[str], tests: dict[str, list[str]],
             copies: list[Path]) -> dict[str, float]:
    """Seconds each module's tests take unmutated (-1: they fail already); known passing
    baselines of unchanged code come from the cache."""
    known = json.loads(CACHE.read_text()) if CACHE.exists() else {}
    prints = {m: _fingerprint(m, tests[m]) for m in modules}
    cost = {m: known[prints[m]] for m in modules if prints[m] in known}
    todo = [m for m in modules if m not in cost]
    free = list(copies)

    def one(module: str) -> float:
        where = free.pop()
        try:
            for _attempt in range(2):                 # once more: a loaded machine is slow
                passed, seconds = run_tests(where, tests[module], 600)
                if passed:
                    return seconds
            return -1.0
        finally:
            free.append(where)

    with ThreadPoolExecutor(len(copies)) as pool:
        cost.update(zip(todo, pool.map(one, todo)))
    known.update({prints[m]: seconds for m, seconds in cost.items() if seconds >= 0})
    CACHE.write_text(json.dumps(known))
    return cost


def run_all(sample: list[Mutant], tests: dict[str, list[str]], cost: dict[str, float],
            copies: list[Path], deadline: float) -> list[bool | None]:
    free = list(copies)

    def one(mutant: Mutant) -> bool | None:
        if time.perf_counter() + cost.get(mutant.module, 0.0) > deadline:
            return None
        if not tests[mutant.module]:
            return False                           # no test imports it: nothing can notice
        where = free.pop()
        target = where / mutant.module
        original = target.read_text()
        try:
            target.write_text(mutated_source(mutant, original))
            passed, _ = run_tests(where, tests[mutant.module], 3 * cost[mutant.module] + 20)
            return not passed
        finally:
            target.write_text(original)
            free.append(where)

    with ThreadPoolExecutor(len(copies)) as pool:
        return list(pool.map(one, sample))


def code_of(mutant: Mutant) -> str:
    return (ROOT / mutant.module).read_text().splitlines()[mutant.line - 1].strip()


def judged_equivalent() -> dict[tuple[str, int, str, str], str]:
    """(module, line, the line's code, change) → why no behaviour can tell the mutant apart.
    An entry whose line no longer holds that code matches nothing (the mutant counts as a
    survivor again until someone looks at it afresh)."""
    if not EQUIVALENT.exists():
        return {}
    return {(e["module"], e["line"], e["code"], e["change"]): e["why"]
            for e in json.loads(EQUIVALENT.read_text())["equivalent"]}


def report(args: argparse.Namespace, every: dict[str, list[Mutant]], sample: list[Mutant],
           killed: list[bool], seconds: float, left_out: list[str],
           load: tuple[float, float]) -> int:
    total = sum(len(v) for v in every.values())
    score = sum(killed) / len(killed) if killed else 0.0
    judged = judged_equivalent()
    why = [judged.get((m.module, m.line, code_of(m), m.change)) for m in sample]
    survivors = [{**asdict(m), "code": code_of(m), **({"equivalent": w} if w else {})}
                 for m, k, w in zip(sample, killed, why) if not k]
    wrongly_judged = [f"{m.module}:{m.line} {m.change}" for m, k, w in zip(sample, killed, why)
                      if k and w]
    equivalent = sum(1 for k, w in zip(killed, why) if w and not k)
    judged_score = sum(killed) / (len(killed) - equivalent) if len(killed) > equivalent else 0.0
    per_module = {m: [sum(k for mu, k in zip(sample, killed) if mu.module == m),
                      sum(mu.module == m for mu in sample)] for m in every}
    fresh = killed[args.worked:] if args.worked else []
    (ONLY_RESULT if args.only else RESULT).write_text(json.dumps({
        "score": round(score, 4), "killed": sum(killed), "sampled": len(sample),
        "score_without_equivalent": round(judged_score, 4), "equivalent": equivalent,
        "mutants": total, "seed": args.seed, "jobs": args.jobs, "minutes": round(seconds / 60, 1),
        "load_average": [round(x, 1) for x in load], "worked": args.worked,
        "fresh": [sum(fresh), len(fresh)],
        "when": time.strftime("%Y-%m-%d %H:%M"), "left_out": left_out, "per_module": per_module,
        "outcomes": "".join("K" if k else "S" for k in killed),
        "killed_though_judged_equivalent": wrongly_judged,
        "survivors": survivors}, indent=1) + "\n")
    for module, (k, n) in per_module.items():
        if n:
            print(f"  {module:<36} {k:>4} of {n:<4} killed")
    print(f"{len(sample)} of {total} mutants sampled (seed {args.seed}), {seconds / 60:.1f} min "
          f"on {args.jobs} workers, load average {load[0]:.1f} → {load[1]:.1f}; survivors in "
          f"{(ONLY_RESULT if args.only else RESULT).relative_to(ROOT)}")
    print(f"  killed {sum(killed)} of {len(killed)} ({score:.1%}); {equivalent} survivors judged "
          f"equivalent ({EQUIVALENT.relative_to(ROOT)}): {judged_score:.1%} of the rest")
    if fresh:
        print(f"  the first {args.worked} of the sample were used to write tests; the "
              f"{len(fresh)} after them: {sum(fresh)} killed ({sum(fresh) / len(fresh):.1%})")
    for name in wrongly_judged:
        print(f"  listed as equivalent but killed (take it off the list): {name}")
    return finish(args.check, [("mutants killed (share)", score, f">= {GOAL}", score >= GOAL)])


if __name__ == "__main__":
    sys.exit(main())
