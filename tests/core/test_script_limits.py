"""Hostile practice scripts are refused before parsing, quickly and in little memory, with a
plain `file:line: message`, and never stop the app or `check` (issue 15, item 12)."""
from __future__ import annotations

import os
import threading
import tracemalloc
from pathlib import Path

import pytest

from app import paths
from app.__main__ import main
from app.core import script_limits, scripts
from app.core.script_limits import MAX_DEPTH, MAX_KEY_PARTS, MAX_KEYS, check_limits
from app.core.scripts import ScriptError
from app.storage.script_files import load_all, load_practice
from tests.core.test_scripts import GOOD, problems_of, write

HOSTILE = {
    "arrays-500-deep": ("x = " + "[" * 500 + "]" * 500 + "\n", "nested more than"),
    "inline-tables-5000-deep": ("x = " + "{a=" * 5000 + "1" + "}" * 5000 + "\n",
                                "nested more than"),
    "dotted-key-50000-parts": (".".join(["a"] * 50_000) + " = 1\n", "dotted parts"),
    "header-50000-parts": ("[" + ".".join(["a"] * 50_000) + "]\n", "dotted parts"),
    "inline-dotted-key": ("x = {" + ".".join(["b"] * 50_000) + " = 1}\n", "dotted parts"),
    "too-many-keys": ("".join(f"k{i} = 1\n" for i in range(MAX_KEYS + 1)), "keys"),
    "deep-inside-a-table": (GOOD.format(id="gentle").replace(
        'tags = ["gentle"]', "tags = " + "[" * 400 + "]" * 400), "nested more than"),
}


@pytest.fixture
def no_parsing(monkeypatch):
    """tomllib is what is slow (minutes) or crashes (RecursionError) on these scripts: being
    refused before it runs is what makes a refusal quick, whatever the machine's load (a
    wall-clock limit here failed at load 10 while the code was right)."""
    def parse(text, *args, **kwargs):
        raise AssertionError("a hostile script reached the TOML parser")
    monkeypatch.setattr(scripts.tomllib, "loads", parse)


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_scripts_are_refused_before_parsing_and_small(tmp_path, name, no_parsing):
    text, words = HOSTILE[name]
    path = write(tmp_path, text, name="hostile")
    tracemalloc.start()
    with pytest.raises(ScriptError) as info:
        load_practice(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    [problem] = info.value.problems
    assert words in problem.message and str(problem).startswith(f"{path}:")
    assert peak < 20 * len(text) + 2_000_000, f"{name}: {peak:,} bytes"


@pytest.mark.parametrize("name", ["arrays-500-deep", "inline-tables-5000-deep",
                                  "dotted-key-50000-parts"])
def test_check_reports_them_without_a_traceback(tmp_path, capsys, name, no_parsing):
    path = write(tmp_path, HOSTILE[name][0], name="hostile")
    assert main(["check", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{path}:1: ") and "Traceback" not in out + err
    assert "1 problem" in err


def test_the_line_of_the_problem_is_given(tmp_path):
    text = GOOD.format(id="gentle") + "\n[extra]\nx = " + "[" * 20 + "]" * 20 + "\n"
    path = write(tmp_path, text)
    [problem] = problems_of(path)
    assert problem.startswith(f"{path}:{text.count(chr(10))}: lists or tables are nested")


def test_brackets_dots_and_equals_inside_text_and_comments_do_not_count(tmp_path):
    noise = ("[[[[[[[[[[ {{{{{{{{{{ a.b.c.d.e.f.g.h.i.j.k = = ]]]]]]]]]] ''' \\\" "
             + "x." * 40)
    text = GOOD.format(id="gentle").replace(
        "the café noise.", f"the café noise. {noise}").replace(
        'silence_after = 10', f'silence_after = 10 # {noise}').replace(
        'title = "Close"', f"title = 'Close' # {noise}")
    text += f"# {noise}\n"
    path = write(tmp_path, text)
    assert check_limits(text) is None
    assert load_practice(path).id == "gentle"


def test_the_limits_leave_room_for_real_scripts():
    for path in sorted(paths.BUNDLED_SCRIPTS_DIR.glob("*.toml")):
        assert check_limits(path.read_text(encoding="utf-8")) is None, path
    assert check_limits("x = " + "[" * MAX_DEPTH + "]" * MAX_DEPTH) is None
    assert check_limits(".".join(["a"] * MAX_KEY_PARTS) + " = 1") is None
    assert check_limits('a."b.c.d.e.f.g.h.i.j".k = 1') is None     # dots inside quotes


def test_the_scan_is_linear(monkeypatch):
    """A whole megabyte of spoken text costs the scan one step of Python per line, not per
    character: plain words are skipped by the regex engine. Counted, not timed, so a busy
    machine cannot fail it (a wall-clock limit here failed at load 10 with the code right)."""
    say = ("Let yourself settle, just as you are. " * 25 + "\n") * 1000
    text = GOOD.format(id="gentle").replace('say = "Thank you', f'say = """{say}"""\nx = "')
    assert len(text) > 900_000
    steps = 0

    class Counted:
        def __init__(self, pattern):
            self.pattern = pattern

        def search(self, *args):
            nonlocal steps
            steps += 1
            return self.pattern.search(*args)
    for name in ("_SPECIAL", "_BASIC_STOPS", "_LITERAL_STOPS"):
        monkeypatch.setattr(script_limits, name, Counted(getattr(script_limits, name)))
    assert check_limits(text) is None
    assert text.count("\n") < steps < text.count("\n") + 150, steps


def test_a_huge_file_is_refused_without_reading_it_whole(tmp_path):
    path = tmp_path / "huge.toml"
    with open(path, "wb") as handle:
        handle.truncate(2 * 1024 ** 3)                   # 2 GB, sparse
    tracemalloc.start()
    [problem] = problems_of(path)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "too large" in problem and peak < 100_000          # judged by its size, unread


def test_a_pipe_named_like_a_script_does_not_hang_the_library(tmp_path):
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir(), user.mkdir()
    write(user, GOOD.format(id="gentle"))
    os.mkfifo(user / "pipe.toml")
    result: list = []
    worker = threading.Thread(target=lambda: result.append(load_all(bundled, user)),
                              daemon=True)
    worker.start()
    worker.join(10)
    assert result, "loading the library hung on a pipe"
    practices, broken = result[0]
    assert [p.id for p in practices] == ["gentle"]
    assert [b.path.name for b in broken] == ["pipe.toml"]
    assert "not a regular file" in broken[0].problems[0].message


def test_hostile_user_scripts_are_listed_as_broken_and_the_rest_load(tmp_path):
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir(), user.mkdir()
    write(bundled, GOOD.format(id="gentle"))
    for name, (text, _) in HOSTILE.items():
        write(user, text, name=name)
    practices, broken = load_all(bundled, user)
    assert [p.id for p in practices] == ["gentle"]
    assert sorted(b.path.stem for b in broken) == sorted(HOSTILE)
    assert all(len(b.problems) == 1 and b.problems[0].line >= 1 for b in broken)


def test_nesting_the_limits_missed_is_still_a_plain_problem(monkeypatch):
    """Belt and braces: should the pre-parse scan ever let a deep script through, the parser's
    RecursionError becomes a plain problem at the top of the file, not a traceback."""
    monkeypatch.setattr(scripts, "within_limits", lambda text, problem: True)
    with pytest.raises(ScriptError) as info:
        scripts.parse_practice("x = " + "[" * 5000 + "]" * 5000, Path("deep.toml"))
    [problem] = info.value.problems
    assert (problem.line, problem.message) == (1, "lists or tables are nested too deeply to read")
