"""The pacing lint: warnings with `path:line:` that never make `check` fail; errors still do."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.pacing import lint, questions
from app.storage.script_files import load_practice

ROOT = Path(__file__).resolve().parents[2]

CALM = '''[practice]
id = "calm"
title = "Calm"
summary = "A short test practice."
minutes = 2
tags = ["gentle"]

[[step]]
id = "ask"
title = "Ask"
say = """
Settle for a moment. [pause 3]
What would you like me to know? [listen 30]
Thank it for whatever came.
"""
ask_body = true

[[step]]
id = "rest"
title = "Rest"
say = "Rest here. [pause 4] When you are ready, press Continue."
wait = true
'''


def write(tmp_path: Path, text: str, name: str = "calm") -> Path:
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def warnings_of(path: Path) -> list[str]:
    return [str(w) for w in lint(load_practice(path))]


def test_a_well_paced_script_has_no_warnings(tmp_path):
    assert warnings_of(write(tmp_path, CALM)) == []


@pytest.mark.parametrize("edit, line, fragment", [
    # a question with too little quiet after it, inside a step and at its end
    (lambda t: t.replace("[listen 30]", "[pause 8]"), 13, "followed by 8 s of quiet"),
    (lambda t: t.replace("Thank it for whatever came.\n", "").replace("[listen 30]", ""), 13,
     "followed by 6 s of quiet"),
    (lambda t: t.replace("[listen 30]", "Is it near?"), 13, "followed by 0 s"),
    # a long talk with no real pause
    (lambda t: t.replace("Settle for a moment. [pause 3]",
                         "Settle for a moment, " + "and breathe gently " * 70 + "."), 12,
     "of speech with no pause"),
    # a pause that should be listening time
    (lambda t: t.replace("[pause 3]", "[pause 25]"), 12, "use [listen 25]"),
    (lambda t: t.replace("ask_body = true", ""), 1, "no step offers the body map"),
    (lambda t: t.replace("minutes = 2", "minutes = 30"), 5, "comes to about"),
])
def test_each_warning_names_its_line(tmp_path, edit, line, fragment):
    path = write(tmp_path, edit(CALM))
    found = warnings_of(path)
    assert any(w.startswith(f"{path}:{line}: warning: ") and fragment in w for w in found), found


def test_a_pause_after_the_last_words_is_quiet_the_player_times_so_no_warning(tmp_path):
    # (it used to be baked into the audio, where "Stay with this step" could not hold it)
    path = write(tmp_path, CALM.replace("whatever came.", "whatever came. [pause 4]")
                 .replace("know? [listen 30]", "know? [pause 2] [listen 30]"))
    assert warnings_of(path) == []


def test_a_question_at_a_step_that_waits_has_all_the_time_it_needs(tmp_path):
    path = write(tmp_path, CALM.replace("When you are ready, press Continue.",
                                        "What is here now?"))
    rest = load_practice(path).steps[1]
    assert [q.quiet for q in questions(rest)] == [float("inf")]
    assert warnings_of(path) == []


def test_a_safety_practice_need_not_offer_the_body_map(tmp_path):
    text = CALM.replace("ask_body = true", "").replace('tags = ["gentle"]', 'tags = ["safety"]')
    assert warnings_of(write(tmp_path, text)) == []


def test_underscores_are_accepted_in_ids(tmp_path):
    text = CALM.replace('id = "calm"', 'id = "my_calm"').replace('id = "ask"', 'id = "ask_1"')
    practice = load_practice(write(tmp_path, text, name="my_calm"))
    assert practice.id == "my_calm" and practice.steps[0].id == "ask_1"


def run_check(*files: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "app", "check", *map(str, files)],
                          capture_output=True, text=True, timeout=60)


def test_warnings_never_fail_check_but_errors_do(tmp_path):
    rushed = write(tmp_path, CALM.replace("[listen 30]", "[pause 2]"))
    result = run_check(rushed)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{rushed}:13: warning: " in result.stdout and "1 pacing warning" in result.stdout
    broken = write(tmp_path, CALM.replace('id = "calm"', 'id = "other"'), name="broken")
    result = run_check(rushed, broken)
    assert result.returncode == 1
    assert f"{broken}:2: id 'other' should match the file name" in result.stdout
    assert "1 problem and 1 warning in 2 scripts" in result.stderr


def readme_scripts() -> list[str]:
    return re.findall(r"```toml\n(.*?)```", (ROOT / "README.md").read_text("utf-8"), re.S)


def test_every_script_in_the_readme_passes_check_without_warnings(tmp_path):
    blocks = readme_scripts()
    assert blocks, "the README shows how a practice script looks"
    for number, block in enumerate(blocks):
        practice_id = re.search(r'^id = "([^"]+)"', block, re.M).group(1)
        folder = tmp_path / str(number)
        folder.mkdir()
        result = run_check(write(folder, block, name=practice_id))
        assert result.returncode == 0 and "warning" not in result.stdout, result.stdout


def test_a_pause_of_exactly_the_long_limit_is_still_a_pause(tmp_path):
    at_limit = CALM.replace("[pause 3]", "[pause 20]")
    assert not any("use [listen" in w for w in warnings_of(write(tmp_path, at_limit)))
    over = CALM.replace("[pause 3]", "[pause 21]")
    (tmp_path / "over").mkdir()
    assert any("use [listen 21]" in w for w in warnings_of(write(tmp_path / "over", over)))


def test_the_length_warning_names_the_estimated_length(tmp_path):
    from app.core.scripts import estimate_seconds
    path = write(tmp_path, CALM.replace("minutes = 2", "minutes = 30"))
    estimate = estimate_seconds(load_practice(path).steps) / 60
    assert 1.0 < estimate < 2.5
    [warning] = warnings_of(path)
    assert warning.endswith(f"minutes = 30, but the guidance with its pauses and silences comes "
                            f"to about {estimate:.1f} minutes")


def test_speech_from_the_very_first_letter_counts_as_one_run_across_short_pauses(tmp_path):
    talk = "Breathe in gently and let the breath go. " * 12           # about 41 s each
    say = f'say = "{talk}[pause 2] {talk}[pause 2] {talk}"\n'        # no pause of 5 s or more
    text = CALM.replace('say = "Rest here. [pause 4] When you are ready, press Continue."\n',
                        say)
    path = write(tmp_path, text)
    found = [w for w in warnings_of(path) if "of speech with no pause" in w]
    assert len(found) == 1 and f"{path}:21: " in found[0], found


def test_a_run_of_speech_of_exactly_the_limit_is_still_fine(tmp_path):
    """MAX_SPEECH_RUN seconds of speech may be said before a real pause; one word more is
    a warning."""
    from app.core.pacing import MAX_SPEECH_RUN
    from app.core.scripts import SPEECH_WPM
    limit = round(MAX_SPEECH_RUN / 60 * SPEECH_WPM)                 # words in that time
    rest = 'say = "Rest here. [pause 4] When you are ready, press Continue."\n'
    found = {}
    for words in (limit, limit + 1):
        (tmp_path / str(words)).mkdir()
        text = CALM.replace(rest, f'say = "{" ".join(["breathe"] * words)}"\n')
        found[words] = [w for w in warnings_of(write(tmp_path / str(words), text))
                        if "of speech with no pause" in w]
    assert found[limit] == [] and len(found[limit + 1]) == 1


def test_a_long_talk_after_a_real_pause_is_still_measured(tmp_path):
    """A real pause starts a new run of speech: a lecture after it is warned about too."""
    talk = "Breathe in gently and let the breath go. " * 30                 # about 100 s
    rest = 'say = "Rest here. [pause 4] When you are ready, press Continue."\n'
    text = CALM.replace(rest, f'say = """\nRest here. [pause 6]\n{talk}\n"""\n')
    path = write(tmp_path, text)
    found = [w for w in warnings_of(path) if "of speech with no pause" in w]
    assert len(found) == 1 and f"{path}:23: " in found[0], found


def test_the_warning_quotes_the_question_itself_and_nothing_before_it():
    from app.core.practice import Step
    step = Step("ask", "Ask", "Breathe out. Is it near? [listen 30] And now, what is here?")
    assert [q.text for q in questions(step)] == ["Is it near?", "And now, what is here?"]
