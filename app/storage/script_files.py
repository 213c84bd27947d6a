"""Practice script files: read each one (bounded, never blocking on a pipe or device) and hand
its bytes to app.core.scripts to check; the library is the bundled scripts and the person's
own, in one list, plus the broken ones with their problems.
"""
from __future__ import annotations

from pathlib import Path

from app import paths
from app.core.practice import Practice
from app.core.problems import BrokenScript, ScriptProblem
from app.core.scripts import (
    MAX_FILE_BYTES, ScriptError, decode_script, library_order, parse_practice,
    too_large_message,
)
from app.storage.files import FileTooLarge, read_limited


def load_practice(path: Path, *, bundled: bool = False) -> Practice:
    """Read and validate one script; raises ScriptError listing every problem."""
    path = Path(path)
    problems: list[ScriptProblem] = []

    def problem(line: int, message: str) -> None:
        problems.append(ScriptProblem(path, line, message))

    try:
        raw = read_limited(path, MAX_FILE_BYTES)     # a pipe or a huge file is never read whole
    except FileTooLarge as exc:
        problem(1, too_large_message(exc.size))
        raise ScriptError(path, problems) from None
    except OSError as exc:
        problem(1, f"cannot read this file ({exc.strerror or exc})")
        raise ScriptError(path, problems) from None
    text = decode_script(raw, problem)
    if text is None:
        raise ScriptError(path, problems)
    return parse_practice(text, path, bundled=bundled)


def load_all(bundled_dir: Path | None = None, user_dir: Path | None = None
             ) -> tuple[list[Practice], list[BrokenScript]]:
    """Bundled and user practices (bundled first, in a gentle order), plus the broken ones."""
    bundled_dir = bundled_dir or paths.BUNDLED_SCRIPTS_DIR
    user_dir = user_dir or paths.user_scripts_dir()
    practices: list[Practice] = []
    broken: list[BrokenScript] = []
    seen: set[str] = set()
    for folder, is_bundled in ((bundled_dir, True), (user_dir, False)):
        for file in sorted(folder.glob("*.toml")):
            try:
                practice = load_practice(file, bundled=is_bundled)
            except ScriptError as exc:
                broken.append(BrokenScript(file, exc.problems))
                continue
            if practice.id in seen:
                broken.append(BrokenScript(file, (ScriptProblem(
                    file, 1, f"a practice with id '{practice.id}' already exists"),)))
                continue
            seen.add(practice.id)
            practices.append(practice)
    practices.sort(key=library_order)
    return practices, broken
