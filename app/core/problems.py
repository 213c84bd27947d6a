"""ScriptProblem and BrokenScript: what is wrong with a practice script, and a script that failed
its checks (listed, greyed, in the library).

Apart from app.core.practice because the window's first frame, with the library read from its
cache, has no broken script to show: Python 3.11 makes each @dataclass's methods with `exec`,
~5 million instructions a class (bench/startup.py). They come with the checks and whenever the
library holds a broken script.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ScriptProblem:
    """One thing wrong with a practice script, reported as `path:line: message`."""
    path: Path
    line: int
    message: str
    warning: bool = False         # worth a look (pacing, length), but the script still works

    def __str__(self) -> str:
        kind = "warning: " if self.warning else ""
        return f"{self.path}:{self.line}: {kind}{self.message}"


@dataclass(frozen=True)
class BrokenScript:
    """A script that failed validation: listed (greyed) in the library with its problems."""
    path: Path
    problems: tuple[ScriptProblem, ...] = field(default_factory=tuple)
