"""Limits a practice script must keep before it is parsed at all.

tomllib is pure Python and trusts its input: a ~1 KB script of arrays nested 500 deep (or inline
tables 5,000 deep) raised RecursionError and stopped start-up, and one dotted key of 50,000
parts took minutes and gigabytes. So one linear pass over the text measures what parsing would
cost — nesting depth, number of keys, parts of one dotted key — and a script beyond any limit is
reported as a plain `file:line: message` instead of being parsed.

The pass only has to be right about *bounds*: it knows TOML's strings (basic, literal,
multi-line) and comments so that brackets, dots and equals signs inside them are not counted.
Anything it cannot make sense of is left for tomllib to report.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_DEPTH = 8              # arrays and inline tables inside each other (scripts use 1)
MAX_KEYS = 5_000           # keys and table headers in one script (a long practice uses ~600)
MAX_KEY_PARTS = 8          # `a.b.c = 1` has three parts (scripts use 1)
# What the scan stops at; everything else is skipped at C speed.
_SPECIAL = re.compile(r"[\n#\"'\[\]{}=.,]")
_BASIC_STOPS = re.compile(r'[\\"\n]')
_LITERAL_STOPS = re.compile(r"['\n]")


@dataclass(frozen=True)
class LimitProblem:
    line: int
    message: str


class _Scan:
    """A single pass over TOML text: containers, keys and dotted parts, strings skipped."""

    def __init__(self, text: str):
        self.text = text
        self.pos = 0
        self.line = 1
        self.stack: list[str] = []          # "a" array, "t" inline table, "h" table header
        self.key_mode = True                 # reading a key (else a value)
        self.parts = 1                       # parts of the key being read
        self.keys = 0

    def run(self) -> LimitProblem | None:
        while (match := _SPECIAL.search(self.text, self.pos)) is not None:
            self.pos = match.start()             # plain text is skipped by the regex engine
            problem = self._step(self.text[self.pos])
            if problem is not None:
                return problem
        return None

    def _step(self, char: str) -> LimitProblem | None:
        if char == "\n":
            self.line += 1
            if not self.stack or self.stack[-1] == "h":
                self.stack.clear()
                self._new_key()
        elif char == "#":
            end = self.text.find("\n", self.pos)
            self.pos = len(self.text) if end < 0 else end
            return None
        elif char in "\"'":
            self._skip_string(char)
            return None
        elif self.key_mode:
            return self._key_char(char)
        else:
            return self._value_char(char)
        self.pos += 1
        return None

    def _key_char(self, char: str) -> LimitProblem | None:
        self.pos += 1
        if char == ".":
            self.parts += 1
            if self.parts > MAX_KEY_PARTS:
                return LimitProblem(self.line, f"a key has more than {MAX_KEY_PARTS} dotted "
                                    "parts (like a.b.c); a practice script needs only simple "
                                    "keys such as title = \"…\"")
        elif char == "=":
            self.key_mode = False
            return self._count_key()
        elif char == "[" and not self.stack or char == "[" and self.stack[-1] == "h":
            self.stack.append("h")               # [table] or [[array of tables]]
        elif char == "]" and self.stack and self.stack[-1] == "h":
            self.stack.pop()
            if not self.stack or self.stack[-1] != "h":
                self._new_key()
                self.stack.append("h")           # the rest of the header line
                return self._count_key()
        elif char == "}" and self.stack and self.stack[-1] == "t":
            self.stack.pop()                     # an empty inline table: {}
            self.key_mode = False
        return None

    def _value_char(self, char: str) -> LimitProblem | None:
        self.pos += 1
        if char in "[{":
            self.stack.append("a" if char == "[" else "t")
            depth = sum(1 for kind in self.stack if kind != "h")
            if depth > MAX_DEPTH:
                return LimitProblem(self.line, f"lists or tables are nested more than "
                                    f"{MAX_DEPTH} deep; a practice script needs at most one "
                                    "level, like tags = [\"gentle\"]")
            if char == "{":
                self._new_key()
        elif char in "]}" and self.stack and self.stack[-1] != "h":
            self.stack.pop()
        elif char == "," and self.stack and self.stack[-1] == "t":
            self._new_key()
        return None

    def _new_key(self) -> None:
        self.key_mode = True
        self.parts = 1

    def _count_key(self) -> LimitProblem | None:
        self.keys += 1
        if self.keys > MAX_KEYS:
            return LimitProblem(self.line, f"the script has more than {MAX_KEYS:,} keys; "
                                "that is far more than any practice needs")
        return None

    def _skip_string(self, quote: str) -> None:
        text = self.text
        triple = text.startswith(quote * 3, self.pos)
        delimiter = quote * 3 if triple else quote
        self.pos += len(delimiter)
        stops = _BASIC_STOPS if quote == '"' else _LITERAL_STOPS
        while (match := stops.search(text, self.pos)) is not None:
            self.pos = match.start()
            char = text[self.pos]
            if char == "\\":                     # an escape (basic strings only)
                self.pos += 1 if text.startswith("\n", self.pos + 1) else 2
            elif char == "\n":
                if not triple:
                    return                       # unterminated: tomllib will say so
                self.line += 1
                self.pos += 1
            elif text.startswith(delimiter, self.pos):
                self.pos += len(delimiter)
                extra = 0                        # """a"""" ends with up to two more quotes
                while triple and extra < 2 and text.startswith(quote, self.pos):
                    self.pos += 1
                    extra += 1
                return
            else:
                self.pos += 1                    # one or two quotes inside a triple string
        self.pos = len(text)


def check_limits(text: str) -> LimitProblem | None:
    """The first limit the script breaks, or None when it is safe to parse."""
    return _Scan(text).run()


def within_limits(text: str, problem: Callable[[int, str], None]) -> bool:
    """True when `text` is safe to parse; otherwise reports the first limit it breaks."""
    found = check_limits(text)
    if found is not None:
        problem(found.line, found.message)
    return found is None
