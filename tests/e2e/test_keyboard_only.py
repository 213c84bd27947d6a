"""A whole practice with the keyboard only, on the real window (issue 14): library → check-in →
player → body map (mark, undo) → Esc to grounding → listen → return → finish → check-out → back
to the library. Real key presses (xdotool into a virtual X screen), real speech into a private
sound device, the real journal; then the journal holds only the answers that were given."""
from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.records import SELF_ENERGY
from tests.e2e.conftest import need

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
KEYBOARD_DRIVER = Path(__file__).with_name("keyboard_driver.py")


def run_keyboard(env: dict[str, str], results: Path) -> subprocess.CompletedProcess:
    need("xvfb-run")
    need("xdotool")
    command = ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24 -nolisten tcp",
               sys.executable, str(KEYBOARD_DRIVER), str(results),
               str(results.with_name("keyboard-shots"))]     # what each screen looked like
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture
def quick_voice(securebase_home):
    """The standard voice renders in a moment; the natural one would add half a minute."""
    from app.speech.voices import STANDARD_VOICE
    from app.storage.preferences import Preferences, save_preferences
    save_preferences(Preferences(voice=STANDARD_VOICE))


def test_a_practice_by_keyboard_alone(pulse, app_env, securebase_home, tmp_path, quick_voice):
    results_file = tmp_path / "keyboard.json"
    run = run_keyboard(app_env, results_file)
    seen = json.loads(results_file.read_text()) if results_file.exists() else {}
    assert run.returncode == 0, (seen, run.stdout[-3000:] + run.stderr[-3000:])

    # each screen, as the keyboard found it
    assert seen["notices"] == []          # nothing came between the person and the window
    assert seen["screens"] == [["library", "Practices"], ["check-in", "Intensity"],
                               ["player", "Play or pause"], ["body map", "Find a body area"],
                               ["grounding", "Listen to the grounding exercise"],
                               ["player", "Play or pause"], ["check-out", "Intensity"],
                               ["done", "Back to the practices"], ["library", "Practices"]]
    assert seen["check_in"] == {"intensity": 4, "calm": 6, "curiosity": None}
    assert seen["player_index"] == 1
    assert seen["map_voice"] == "paused" and seen["ground_visible"]
    assert seen["chips_at_open"] == []                   # no quality chosen for the person
    assert (seen["strength_at_open"], seen["strength_given"], seen["strength_again"]) == (
        None, 6, None)                                   # nor a strength
    assert seen["map_after_esc"] is False
    assert seen["grounding_played"] == "grounding"       # the grounding's own voice
    assert seen["check_out_start"] is None               # never pre-filled with "before"
    assert seen["shift"] == "4  →  2"

    # the journal: only the answers given, NULL for every scale left alone
    db = sqlite3.connect(securebase_home / "journal.db")
    db.row_factory = sqlite3.Row
    sid = seen["session_id"]
    assert db.execute("SELECT outcome FROM sessions WHERE id = ?", (sid,)).fetchone()[0] == \
        "completed"
    before, after = db.execute("SELECT * FROM checkins WHERE session_id = ? ORDER BY id",
                               (sid,)).fetchall()
    assert (before["phase"], before["intensity"], before["calm"]) == ("before", 4, 6)
    assert all(before[q] is None for q in SELF_ENERGY if q != "calm")
    assert (after["phase"], after["intensity"], after["note"]) == ("after", 2, "lighter")
    assert all(after[q] is None for q in SELF_ENERGY)
    marks = db.execute("SELECT id, region, intensity, qualities, step_id FROM body_marks "
                       "WHERE session_id = ?", (sid,)).fetchall()
    saved, undone = seen["marks"]["saved"], seen["marks"]["undone"]
    assert undone == saved[:1]                           # Ctrl+Z took the first one back
    # the second mark was saved with its place only: no strength, no quality
    assert [tuple(m) for m in marks] == [(saved[1], "throat", None, "", seen["mark_step"])]
    kinds = [k for (k,) in db.execute("SELECT kind FROM step_events WHERE session_id = ? "
                                      "ORDER BY id", (sid,))]
    assert kinds[:2] == ["started", "skipped"] and "grounding" in kinds and "returned" in kinds
