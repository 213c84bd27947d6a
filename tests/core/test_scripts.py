"""The practice-script validator: every kind of mistake is reported with file and line."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.core.scripts import ScriptError, estimate_seconds
from app.storage.script_files import load_all, load_practice

GOOD = '''[practice]
id = "{id}"
title = "A gentle pause"
summary = "A short test practice."
minutes = 1
tags = ["gentle"]

[[step]]
id = "arrive"
title = "Arrive"
say = """
Let yourself settle — just as you are. [pause 3]
You might notice the breath, the “weight” of your body, the café noise.
"""
silence_after = 20
ask_body = true

[[step]]
id = "close"
title = "Close"
say = "Thank you for being here. [pause 2] When you are ready, open your eyes."
silence_after = 10
'''


def write(tmp_path: Path, text: str, name: str = "gentle") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(ScriptError) as info:
        load_practice(path)
    return [str(p) for p in info.value.problems]


def test_good_script_loads_with_unicode(tmp_path):
    practice = load_practice(write(tmp_path, GOOD.format(id="gentle")))
    assert practice.id == "gentle"
    assert [s.id for s in practice.steps] == ["arrive", "close"]
    assert practice.steps[0].ask_body and not practice.steps[1].ask_body
    assert practice.steps[0].pause_seconds == 3
    assert "“weight”" in practice.steps[0].display_text
    assert "[pause" not in practice.steps[0].display_text


@pytest.mark.parametrize("edit, line, fragment", [
    (lambda t: t.replace('id = "gentle"', 'id = "other"'), 2, "should match the file name"),
    (lambda t: "step = 3\n" + t.split("[[step]]")[0], 2, "no steps: add at least one"),
    (lambda t: t.replace('id = "gentle"', 'id = "Gentle pause"'), 2,
     "id 'Gentle pause' should be lowercase letters, digits, hyphens and underscores"),
    (lambda t: t.replace('minutes = 1\n', ''), 1, "missing 'minutes'"),
    (lambda t: t.replace('tags = ["gentle"]', 'tags = ["gentle"]\ncolour = "blue"'), 7,
     "unknown key 'colour'"),
    (lambda t: t.replace('tags = ["gentle"]', 'tags = ["sparkly"]'), 6, "unknown tag"),
    (lambda t: t.replace('id = "close"', 'id = "arrive"'), 19, "duplicate step id 'arrive'"),
    (lambda t: t.replace('[pause 3]', '[pause three]'), 12, "needs a number of seconds"),
    (lambda t: t.replace('[pause 3]', '[pause 400]'), 12, "between 0.5 and 60"),
    (lambda t: t.replace('[pause 3]', '[pause 3'), 12, "should look like [pause 3]"),
    (lambda t: t.replace('[pause 3]', '[listen 2]'), 12, "between 5 and 300"),
    (lambda t: t.replace('[pause 3]', '[listen soon]'), 12, "like [listen 30]"),
    (lambda t: t.replace('[pause 3]', '[listen 30'), 12, "should look like [listen 30]"),
    (lambda t: t.replace('ask_body = true', 'wait = "yes"'), 16, "true or false"),
    (lambda t: t.replace('id = "arrive"', 'id = "Arrive.1"'), 9, "hyphens and underscores"),
    (lambda t: t.replace('silence_after = 20', 'silence_after = 999'), 15, "silence_after"),
    (lambda t: t.replace('ask_body = true', 'ask_body = "yes"'), 16, "true or false"),
    (lambda t: t.replace('say = "Thank you for being here. [pause 2] When you are ready, open '
                         'your eyes."', 'say = " [pause 2] "'), 21, "nothing to say"),
    (lambda t: t.replace('title = "Close"\n', ''), 18, "missing 'title'"),
    (lambda t: t.replace('[practice]', '[practise]'), 1, "missing the [practice] table"),
    (lambda t: t.split("[[step]]")[0], 1, "no steps"),
    (lambda t: t + '\n[notes]\ntext = "mine"\n', 24, "unknown section or key 'notes'"),
    (lambda t: t + '\n[notes.private]\ntext = "mine"\n', 24, "unknown section or key 'notes'"),
    (lambda t: 'notes.private = "mine"\n' + t, 1, "unknown section or key 'notes'"),
    (lambda t: t.replace('title = "A gentle pause"', 'title = "A gentle pause'), 3,
     "not valid TOML"),
])
def test_each_error_kind_names_its_line(tmp_path, edit, line, fragment):
    path = write(tmp_path, edit(GOOD.format(id="gentle")))
    problems = problems_of(path)
    assert any(p.startswith(f"{path}:{line}: ") and fragment in p for p in problems), problems


def test_every_problem_is_reported_at_once(tmp_path):
    text = GOOD.format(id="gentle").replace('tags = ["gentle"]', 'tags = ["x"]').replace(
        "[pause 3]", "[pause 0]").replace('id = "close"', 'id = "arrive"')
    assert len(problems_of(write(tmp_path, text))) == 3


@pytest.mark.parametrize("content, fragment", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "binary"),
    (b'[practice]\ntitle = "caf\xe9"\n', "not valid UTF-8"),
], ids=["empty", "blank", "binary", "latin-1"])  # raw bytes made ids a command line mangles
def test_unreadable_files_get_a_sentence_not_a_traceback(tmp_path, content, fragment):
    path = tmp_path / "odd.toml"
    path.write_bytes(content)
    problems = problems_of(path)
    assert len(problems) == 1 and fragment in problems[0] and problems[0].startswith(f"{path}:")


def test_invalid_utf8_points_at_its_line(tmp_path):
    path = tmp_path / "odd.toml"
    path.write_bytes(b'[practice]\nid = "odd"\ntitle = "caf\xe9"\n')
    assert problems_of(path)[0].startswith(f"{path}:3:")


def test_load_all_lists_broken_user_scripts_beside_good_ones(tmp_path):
    bundled, user = tmp_path / "bundled", tmp_path / "user"
    bundled.mkdir(), user.mkdir()
    write(bundled, GOOD.format(id="gentle"))
    write(user, GOOD.format(id="mine"), name="mine")
    write(user, "nonsense = ", name="broken")
    write(user, GOOD.format(id="gentle"))          # same id as a bundled practice
    practices, broken = load_all(bundled, user)
    assert [(p.id, p.bundled) for p in practices] == [("gentle", True), ("mine", False)]
    assert sorted(b.path.name for b in broken) == ["broken.toml", "gentle.toml"]


def test_estimate_counts_words_pauses_and_silence(tmp_path):
    practice = load_practice(write(tmp_path, GOOD.format(id="gentle")))
    words = sum(s.word_count for s in practice.steps)
    expected = words / 140 * 60 + 5 + 30
    assert expected < estimate_seconds(practice.steps) < expected + 4


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", *args], capture_output=True, text=True,
                          timeout=60)


def test_check_cli_exit_codes(tmp_path):
    good = write(tmp_path, GOOD.format(id="gentle"))
    bad = write(tmp_path, GOOD.format(id="wrong"), name="bad")
    ok = run_cli("check", str(good))
    assert ok.returncode == 0 and "looks good" in ok.stdout
    failed = run_cli("check", str(good), str(bad))
    assert failed.returncode == 1
    assert f"{bad}:2: id 'wrong' should match the file name 'bad'" in failed.stdout
    assert "Traceback" not in failed.stdout + failed.stderr


def test_bundled_practices_all_pass():
    result = run_cli("check")
    assert result.returncode == 0, result.stdout


def test_nine_bundled_practices_in_a_gentle_order():
    """Lengths and pacing of the bundled practices: tests/core/test_bundled_guidance.py."""
    practices, broken = load_all()
    assert broken == []
    assert [p.id for p in practices if p.bundled] == [
        "self-energy", "unblending", "open-path", "disorganised-attachment",
        "appreciating-a-protector", "inner-critic", "polarised-pair", "witnessing-an-exile",
        "grounding"]
    by_id = {p.id: p for p in practices}
    assert len(by_id["disorganised-attachment"].steps) == 10
    for practice in practices:
        if practice.id != "grounding":
            assert any(step.ask_body for step in practice.steps), practice.id


def test_half_a_minute_is_the_shortest_practice_allowed(tmp_path):
    assert load_practice(write(tmp_path, GOOD.format(id="gentle").replace(
        "minutes = 1", "minutes = 0.5"))).minutes == 0.5
    assert any("minutes" in p for p in problems_of(write(tmp_path, GOOD.format(
        id="gentle").replace("minutes = 1", "minutes = 0.4"))))


@pytest.mark.parametrize("steps", ["step = []", 'step = "walk"', "step = 3"])
def test_a_script_without_a_list_of_steps_is_refused_plainly(tmp_path, steps):
    text = GOOD.format(id="gentle")
    head = text[:text.index("[[step]]")] + steps + "\n"
    assert any("step" in p for p in problems_of(write(tmp_path, head)))


def test_no_steps_is_said_at_the_practice_table_not_the_top_of_the_file(tmp_path):
    text = GOOD.format(id="gentle")
    path = write(tmp_path, "# my practice\n\n" + text[:text.index("[[step]]")])
    assert problems_of(path) == [f"{path}:3: no steps: add at least one [[step]] with id, title "
                                 "and say"]


def test_a_script_with_no_tables_at_all_is_said_at_its_first_line(tmp_path):
    """Only comments and blank lines: there is no [practice] table to point at, so line 1."""
    path = write(tmp_path, "# a practice I mean to write\n\n# later\n")
    problems = problems_of(path)
    assert problems and all(p.startswith(f"{path}:1: ") for p in problems), problems


def test_a_script_of_exactly_the_largest_size_is_read_and_one_byte_more_is_not():
    from app.core.scripts import MAX_FILE_BYTES, decode_script
    said: list[tuple[int, str]] = []
    largest = b"# " + b"x" * (MAX_FILE_BYTES - 3) + b"\n"
    assert MAX_FILE_BYTES == 1_000_000 and len(largest) == MAX_FILE_BYTES
    assert decode_script(largest, lambda *p: said.append(p)) is not None and said == []
    assert decode_script(largest + b"\n", lambda *p: said.append(p)) is None
    assert said == [(1, "the file is too large for a practice script (1,000,001 bytes)")]


def test_a_step_that_waits_counts_as_three_quarters_of_a_minute_in_the_estimate():
    from app.core.practice import Step
    talk = "Rest here. Breathe."
    waits = estimate_seconds([Step("w", "W", talk, wait=True)])
    quiet = estimate_seconds([Step("w", "W", talk, silence_after=0)])
    assert waits - quiet == pytest.approx(45.0)
    assert quiet == pytest.approx(3 / 140 * 60 + 2 * 0.4)       # 3 words, 2 sentences


@pytest.mark.parametrize("edit, line, plain", [
    # review8: a person writing their own practice met tomllib's own words ("Illegal character
    # '\n'", "Invalid value"); each common slip now says what to change, in plain words
    (lambda t: t.replace('title = "A gentle pause"', 'title = "A gentle pause'), 3,
     "the closing \" is missing"),
    (lambda t: t.replace('title = "A gentle pause"', 'title = “A gentle pause”'), 3,
     "straight double quotes"),
    (lambda t: t.replace('minutes = 1', 'minutes = one'), 5, "in digits"),
    (lambda t: t.replace('title = "A gentle pause"', 'title "A gentle pause"'), 3,
     "needs = between"),
    (lambda t: t.replace('minutes = 1', 'minutes = 1\nminutes = 2'), 6, "given twice"),
    (lambda t: t.replace('title = "A gentle pause"', "title = 'A gentle's pause'"), 3,
     "more on this line"),
    (lambda t: t.replace('[practice]', '[practice'), 1, "closing ]"),
    (lambda t: t.replace('café noise.\n"""', 'café noise.'), 11, "never closed"),
])
def test_toml_slips_are_explained_in_plain_words(tmp_path, edit, line, plain):
    path = write(tmp_path, edit(GOOD.format(id="gentle")))
    problems = problems_of(path)
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"{path}:{line}: ") and plain in problems[0], problems
    assert "Illegal character" not in problems[0] and "Invalid value" not in problems[0]


def test_text_too_large_to_be_a_script_is_refused_unparsed():
    """The editor and import check text, not a file: a huge paste is refused by its size."""
    from app.core.scripts import MAX_FILE_BYTES, parse_practice
    with pytest.raises(ScriptError) as info:
        parse_practice("#" * (MAX_FILE_BYTES + 1), Path("huge.toml"))
    assert [(p.line, p.message) for p in info.value.problems] == [
        (1, "the text is too large for a practice script")]
