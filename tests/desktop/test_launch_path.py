"""`securebase` with no arguments opens the window at once: it does not build the parser of
every command, which imports the speech pipeline, the reports and the practice tools."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app import paths

WINDOW_LAUNCH = """
import json, sys
import app.__main__ as command
seen = {}
def window(args):
    seen["modules"] = sorted(sys.modules)
    return 0
command.cmd_window = window
code = command.main([])
print(json.dumps({"code": code, "modules": seen.get("modules")}))
"""
COMMAND_MODULES = ("app.speech.cli", "app.speech.render", "app.speech.engine",
                   "app.storage.cli", "app.storage.practice_cli", "app.ui.report.cli",
                   "tomlkit")


def test_the_window_launch_builds_no_command_parsers(tmp_path: Path) -> None:
    env = {**os.environ, "SECUREBASE_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", WINDOW_LAUNCH], capture_output=True,
                            text=True, timeout=60, env=env, cwd=paths.PROJECT_ROOT)
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found["code"] == 0 and found["modules"] is not None
    early = [name for name in COMMAND_MODULES if name in found["modules"]]
    assert early == [], f"imported before the window: {early}"


def test_the_window_arguments_are_what_the_parser_gives_for_none() -> None:
    import app.__main__ as command
    assert vars(command.window_args()) == vars(command.build_parser().parse_args([]))
