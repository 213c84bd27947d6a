"""`securebase export | import | demo-data | delete-all`: plain messages and exit codes."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from app import paths
from app.__main__ import main
from app.storage.instance import InstanceLock
from app.storage.journal import Journal


def run(capsys, *argv, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def sessions_in(path) -> int:
    journal = Journal(path)
    try:
        return journal.counts()["sessions"]
    finally:
        journal.close()


def test_demo_export_import_cycle(capsys, tmp_path):
    code, out, _ = run(capsys, "demo-data", "--years", "0.2", "--seed", "4")
    assert code == 0 and "73 sessions" in out
    code, _, err = run(capsys, "demo-data", "--years", "0.2")
    assert code == 1 and "already has 73 sessions" in err and "--force" in err
    assert run(capsys, "demo-data", "--years", "0.1", "--force")[0] == 0
    assert sessions_in(paths.journal_file()) == 73 + 36

    out_json = tmp_path / "all.json"
    code, out, _ = run(capsys, "export", "--format", "json", "--out", str(out_json))
    assert code == 0 and "109 sessions" in out
    code, out, _ = run(capsys, "export", "--format", "csv", "--out", str(tmp_path / "c.zip"),
                       "--from", "2020-01-01", "--to", "2100-12-31")
    assert code == 0 and (tmp_path / "c.zip").exists()

    other = tmp_path / "other.db"
    code, out, _ = run(capsys, "import", str(out_json), "--journal", str(other))
    assert code == 0 and "Imported 109 sessions" in out
    code, _, err = run(capsys, "import", str(out_json), "--journal", str(other))
    assert code == 1 and "already holds records" in err


def test_demo_refuses_the_real_journal_without_a_separate_home(capsys, monkeypatch, tmp_path):
    monkeypatch.delenv("SECUREBASE_HOME")
    monkeypatch.setattr(paths, "data_dir", lambda: pytest.fail("must not touch the real place"))
    code, _, err = run(capsys, "demo-data", "--years", "1")
    assert code == 1 and "SECUREBASE_HOME" in err and "--journal" in err
    code, _, _ = run(capsys, "demo-data", "--years", "0.05", "--journal", str(tmp_path / "d.db"))
    assert code == 0


@pytest.mark.parametrize("argv, words", [
    (["export", "--format", "json", "--out", "x.json"], "no journal"),
    (["demo-data", "--years", "0"], "--years must be"),
    (["import", "missing.json"], "no file"),
])
def test_refusals_are_one_plain_line_and_exit_1(capsys, argv, words, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 1 and words in err and len(err.strip().splitlines()) == 1


def test_export_range_the_wrong_way_round_and_bad_dates(capsys):
    run(capsys, "demo-data", "--years", "0.05")
    code, _, err = run(capsys, "export", "--format", "json", "--out", "x.json",
                       "--from", "2026-03-01", "--to", "2026-02-01")
    assert code == 1 and "--from is after --to" in err
    with pytest.raises(SystemExit) as info:
        main(["export", "--format", "json", "--out", "x.json", "--from", "March"])
    assert info.value.code == 2 and "not a date like" in capsys.readouterr().err


def test_import_bad_file_changes_nothing(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "securebase-journal", "schema_version": 2, "tables": '
                   '{"sessions": [{"id": "one"}]}}')
    code, _, err = run(capsys, "import", str(bad))
    assert code == 1 and "tables.sessions[0].id: should be a whole number" in err
    assert not paths.journal_file().exists()


def test_delete_all_needs_the_typed_word(capsys, monkeypatch):
    run(capsys, "demo-data", "--years", "0.05")
    code, out, _ = run(capsys, "delete-all", stdin="yes\n", monkeypatch=monkeypatch)
    assert code == 1 and "Nothing was deleted" in out and paths.journal_file().exists()
    code, out, _ = run(capsys, "delete-all", stdin="", monkeypatch=monkeypatch)   # no stdin
    assert code == 1 and paths.journal_file().exists()
    code, out, _ = run(capsys, "delete-all", stdin="delete\n", monkeypatch=monkeypatch)
    assert code == 0 and "start as new" in out and not paths.journal_file().exists()
    run(capsys, "demo-data", "--years", "0.05")
    assert run(capsys, "delete-all", "--yes")[0] == 0 and not paths.journal_file().exists()


def test_commands_that_change_the_journal_wait_for_the_window_to_close(capsys, tmp_path):
    run(capsys, "demo-data", "--years", "0.05")
    export = tmp_path / "e.json"
    run(capsys, "export", "--format", "json", "--out", str(export))
    window = InstanceLock()
    assert window.acquire()
    try:
        code, _, err = run(capsys, "delete-all", "--yes")
        assert code == 1 and "open in a window" in err and paths.journal_file().exists()
        assert run(capsys, "demo-data", "--years", "0.05", "--force")[0] == 1
        # reading is fine while the window is open
        assert run(capsys, "export", "--format", "csv", "--out", str(tmp_path / "c"))[0] == 0
    finally:
        window.release()


def test_console_entry_point_never_prints_a_traceback(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_bytes(b"\x00\x01garbage")
    done = subprocess.run([sys.executable, "-m", "app", "import", str(bad)],
                          capture_output=True, text=True, cwd=paths.PROJECT_ROOT, timeout=60,
                          env={**os.environ, "PYTHONPATH": str(paths.PROJECT_ROOT)})
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "not valid JSON" in done.stderr or "not a text file" in done.stderr
    assert json.dumps(done.stderr)                       # one plain line


def test_commands_leave_a_damaged_journal_alone(capsys, tmp_path):
    run(capsys, "demo-data", "--years", "0.05")
    data = paths.journal_file().read_bytes()
    damaged = data[: len(data) // 2]
    paths.journal_file().write_bytes(damaged)
    code, _, err = run(capsys, "export", "--format", "json", "--out", str(tmp_path / "x.json"))
    assert code == 1 and "damaged" in err and "Open Secure Base once" in err
    assert paths.journal_file().read_bytes() == damaged
