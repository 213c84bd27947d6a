"""Fuzzing the script loader: whatever the file holds, only clean `path:line:` problems."""
from __future__ import annotations

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from app.core.scripts import ScriptError
from app.storage.script_files import load_practice

from tests.core.test_scripts import GOOD

PROBLEM = re.compile(r"^.+\.toml:\d+: \S.*$", re.DOTALL)
FUZZ = settings(max_examples=1000, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])


def check(path: Path) -> None:
    try:
        load_practice(path)
    except ScriptError as exc:
        assert exc.problems
        for problem in exc.problems:
            assert PROBLEM.match(str(problem)), str(problem)
            assert problem.line >= 1


@FUZZ
@given(st.binary(max_size=400))
def test_any_bytes(tmp_path, data):
    path = tmp_path / "fuzz.toml"
    path.write_bytes(data)
    check(path)


line_edits = st.lists(st.tuples(st.integers(0, 40), st.sampled_from([
    "", "[[step]]", "[practice]", "id = 3", 'say = """', '"""', "minutes = -1", "x = [",
    "ask_body = 2", "[pause]", "say = '[pause 0]'", "tags = [1, 2]", "é ü — “ ”", "\t",
    'title = ""', "silence_after = 1e9", "[[practice]]", "id = \"fuzz\"",
])), max_size=6)


@FUZZ
@given(line_edits)
def test_mutated_valid_script(tmp_path, edits):
    lines = GOOD.format(id="fuzz").splitlines()
    for index, replacement in edits:
        if index < len(lines):
            lines[index] = replacement
        else:
            lines.append(replacement)
    path = tmp_path / "fuzz.toml"
    path.write_text("\n".join(lines), encoding="utf-8")
    check(path)
