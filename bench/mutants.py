"""The mutants of a module for bench/mutation.py: small mistakes, one at a time.

A `<` for a `<=`, `and` for `or`, a number off by one, a statement that does nothing, a value
never returned, a multiplier ignored. Never mutated: docstrings, annotations, decorators,
typing-only blocks, imports, log lines.

Each mutant knows where it sits in a way that survives code moving up or down the file: the
function or class it is in (`scope`), the code of its line and its column. bench/mutation.py
matches judged-equivalent mutants on those, not on the line number.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass

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
    col: int = 0         # column of the mutated node on its line
    scope: str = ""      # "Class.method" it sits in; "" at module level
    lines: tuple[int, int] = (0, 0)  # first line of its statement .. last line of the node
    runtime: bool = True  # inside a function: only runs when a test calls it (else at import)


@dataclass(frozen=True)
class _Point:
    line: int
    change: str
    col: int
    scope: str
    lines: tuple[int, int]
    runtime: bool


# -- finding and making mutants ---------------------------------------------------------------

class _Walker(ast.NodeTransformer):
    """Walks a module in a fixed order; lists mutation points, or applies the `target`-th."""

    def __init__(self, target: int = -1):
        self.target = target
        self.points: list[_Point] = []
        self.applied = False
        self._scope: list[str] = []
        self._statements: list[ast.stmt] = []
        self._functions = 0            # how many function bodies (or lambdas) we are inside

    def visit(self, node):
        if not isinstance(node, ast.stmt):
            return super().visit(node)
        self._statements.append(node)
        try:
            return super().visit(node)
        finally:
            self._statements.pop()

    def _point(self, node: ast.AST, change: str) -> bool:
        line = getattr(node, "lineno", 0)
        first = self._statements[-1].lineno if self._statements else line
        self.points.append(_Point(line, change, getattr(node, "col_offset", 0),
                                  ".".join(self._scope), (first, node.end_lineno or line),
                                  self._functions > 0))
        hit = len(self.points) - 1 == self.target
        self.applied |= hit
        return hit

    def _inside(self, node, function: bool):
        self._scope.append(node.name)
        self._functions += function
        try:
            node.body = self._body(node.body)
        finally:
            self._scope.pop()
            self._functions -= function
        return node

    def visit_FunctionDef(self, node):
        return self._inside(node, function=True)

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_ClassDef(self, node):
        return self._inside(node, function=False)

    def visit_Lambda(self, node):
        self._functions += 1
        try:
            return self.generic_visit(node)
        finally:
            self._functions -= 1

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
    return [Mutant(module, i, p.line, p.change, p.col, p.scope, p.lines, p.runtime)
            for i, p in enumerate(walker.points)]


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
