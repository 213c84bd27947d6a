"""A crash leaves a note; the next start finds it, keeps it aside and says so once."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

from app.storage.crash_note import NOTE_NAME, PREVIOUS_NAME

ROOT = Path(__file__).resolve().parents[2]


def start(folder: Path, then: str = "") -> subprocess.CompletedProcess:
    """A process that arms the note in `folder`, prints whether the last run crashed, then
    runs `then` (a real crash, or nothing: a clean exit)."""
    code = textwrap.dedent(f"""
        from pathlib import Path
        from app.storage.crash_note import arm
        print("crashed before:", arm(Path({str(folder)!r})), flush=True)
    """) + then
    # cwd: a crash's core file, where the system keeps one, lands in the test's folder
    return subprocess.run([sys.executable, "-c", code], cwd=folder, capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


def test_a_segfault_is_told_at_the_next_start_and_only_then(tmp_path: Path) -> None:
    first = start(tmp_path, "import ctypes; ctypes.string_at(1)\n")   # a real invalid read
    assert first.returncode == -11 and "crashed before: False" in first.stdout
    note = tmp_path / NOTE_NAME
    assert "Segmentation fault" in note.read_text()
    assert stat.S_IMODE(note.stat().st_mode) == 0o600

    second = start(tmp_path)
    assert second.returncode == 0 and "crashed before: True" in second.stdout
    assert "Segmentation fault" in (tmp_path / PREVIOUS_NAME).read_text()  # kept for a helper
    assert note.read_text() == ""                                          # armed again
    third = start(tmp_path)
    assert "crashed before: False" in third.stdout                        # told once


def test_an_abort_in_native_code_is_noted_too(tmp_path: Path) -> None:
    start(tmp_path, "import os; os.abort()\n")
    assert "crashed before: True" in start(tmp_path).stdout


def test_a_folder_that_cannot_hold_the_note_never_stops_the_start(tmp_path: Path) -> None:
    (tmp_path / NOTE_NAME).mkdir()          # something in the way: the note cannot be opened
    run = start(tmp_path)
    assert run.returncode == 0 and "crashed before: False" in run.stdout, run.stderr
