"""ruff and mypy (configured in pyproject.toml) find nothing: run here too, so every landing
checks what CI checks (tools/bootstrap.sh test runs them before pytest as well). Skipped only
in a venv set up before they joined the test extra: `pip install -e .[test]` adds them."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOLS = Path(sys.executable).parent


def run(tool: str, *args: str) -> subprocess.CompletedProcess[str]:
    if not (TOOLS / tool).exists():
        pytest.skip(f"{tool} is not installed in this venv (pip install -e .[test])")
    return subprocess.run([str(TOOLS / tool), *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=600, check=False)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "--quiet", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_nothing():
    result = run("mypy")
    assert result.returncode == 0, result.stdout + result.stderr
