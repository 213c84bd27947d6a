"""Exports never write over devices, pipes, folders, backups or the journal, never follow a
planted link, and clean up the partial files a killed export left behind (issue 15, 7–8)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from app.storage import files
from app.storage.backup import daily_backup
from app.storage.errors import JournalError
from app.storage.export import export_csv, export_json, guard_output
from app.storage.files import NotARegularFile, write_private

ROOT = os.geteuid() == 0


def dead_pid() -> int:
    """The pid of a process that has ended (waited for, so not a zombie)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def make_fifo(path: Path) -> Path:
    os.mkfifo(path, 0o600)
    return path


def make_null_device(path: Path) -> Path:
    """A character device like /dev/null, but in a scratch folder: if the guard were missing,
    only this copy would be replaced."""
    os.mknod(path, 0o600 | stat.S_IFCHR, os.makedev(1, 3))
    return path


# -- item 7: only regular files are ever written over ----------------------------------------

@pytest.mark.parametrize("device", ["/dev/null", "/dev/full", "/dev/stdout", "/dev/zero"])
def test_devices_are_refused_before_any_work(journal, device):
    with pytest.raises(JournalError, match="not a regular file"):
        guard_output(journal.path, Path(device), folder_ok=False)
    with pytest.raises(JournalError, match="not a regular file"):
        guard_output(journal.path, Path(device), folder_ok=True)


def special_targets(tmp_path: Path) -> list[Path]:
    fifo = make_fifo(tmp_path / "pipe.json")
    targets = [fifo]
    link = tmp_path / "link-to-pipe.json"
    link.symlink_to(fifo)
    targets.append(link)
    if ROOT:
        targets.append(make_null_device(tmp_path / "null.json"))
    return targets


def test_json_and_zip_export_refuse_pipes_devices_and_links_to_them(journal, tmp_path):
    for target in special_targets(tmp_path):
        before = os.lstat(target)
        for export, name in ((export_json, target), (export_csv, target)):
            with pytest.raises(JournalError, match="not a regular file"):
                export(journal, name)
        after = os.lstat(target)
        assert (after.st_ino, after.st_mode) == (before.st_ino, before.st_mode), target


def test_csv_folder_export_refuses_a_pipe_inside_the_folder(journal, tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    make_fifo(folder / "sessions.csv")
    with pytest.raises(JournalError, match="not a regular file"):
        export_csv(journal, folder)
    assert stat.S_ISFIFO(os.lstat(folder / "sessions.csv").st_mode)
    assert sorted(p.name for p in folder.iterdir()) == ["sessions.csv"]   # nothing else written


def test_export_never_overwrites_a_backup_or_another_journal(demo_journal, tmp_path):
    backup = daily_backup(demo_journal.path, today=date(2026, 3, 4))
    assert backup is not None
    kept = backup.read_bytes()
    for export in (export_json, export_csv):
        with pytest.raises(JournalError, match="holds a journal"):
            export(demo_journal, backup)
    assert backup.read_bytes() == kept
    link = tmp_path / "innocent.json"
    link.symlink_to(backup)
    with pytest.raises(JournalError, match="holds a journal"):
        export_json(demo_journal, link)
    with pytest.raises(JournalError, match="journal itself"):
        export_json(demo_journal, Path(str(demo_journal.path) + "-wal"))


def test_write_private_refuses_special_files_itself(tmp_path):
    """The last line of defence, for every writer (preferences, cache, manifests)."""
    for target in special_targets(tmp_path) + [tmp_path]:
        with pytest.raises(NotARegularFile):
            write_private(target, b"data")
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_cli_export_to_a_pipe_is_one_plain_line(journal, tmp_path, capsys):
    from app.__main__ import main
    fifo = make_fifo(tmp_path / "out.json")
    assert main(["export", "--format", "json", "--out", str(fifo)]) == 1
    out, err = capsys.readouterr()
    assert "not a regular file" in err and "Nothing was written" in err
    assert "Traceback" not in out + err and stat.S_ISFIFO(os.lstat(fifo).st_mode)


# -- item 8: temporary files are exclusive, unguessable and never followed --------------------

def test_a_link_planted_at_the_old_partial_name_is_not_followed(journal, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    out = tmp_path / "out.json"
    (tmp_path / f".out.json.{os.getpid()}.partial").symlink_to(victim)
    export_json(journal, out)
    assert victim.read_text() == "precious"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600 and not out.is_symlink()


def test_a_link_planted_at_the_next_partial_name_is_not_followed(tmp_path, monkeypatch):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    target = tmp_path / "out.json"
    tokens = iter(["aaaa", "bbbb"])
    monkeypatch.setattr(files, "_unguessable", lambda: next(tokens))
    (tmp_path / f".out.json.{os.getpid()}.aaaa.partial").symlink_to(victim)
    write_private(target, b"new")
    assert victim.read_text() == "precious" and target.read_bytes() == b"new"
    assert (tmp_path / f".out.json.{os.getpid()}.aaaa.partial").is_symlink()   # not ours


def test_the_target_link_is_replaced_never_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("untouched")
    target = tmp_path / "settings.json"
    target.symlink_to(elsewhere)
    write_private(target, b"{}")
    assert elsewhere.read_text() == "untouched"
    assert not target.is_symlink() and stat.S_IMODE(target.stat().st_mode) == 0o600


def test_only_our_own_stale_partials_are_removed(tmp_path):
    target = tmp_path / "out.json"
    gone = dead_pid()
    ours = [tmp_path / f".out.json.{gone}.partial", tmp_path / f".out.json.{gone}.abcd12.partial"]
    for path in ours:
        path.write_bytes(b"x" * 1000)
    alive = tmp_path / f".out.json.{os.getppid()}.abcd12.partial"        # a running writer
    other_target = tmp_path / f".other.json.{gone}.partial"
    not_a_file = tmp_path / f".out.json.{gone}.ffff.partial"
    not_a_file.symlink_to(other_target)
    for path in (alive, other_target):
        path.write_bytes(b"keep")
    write_private(target, b"done")
    assert [p.exists() for p in ours] == [False, False]
    assert alive.exists() and other_target.exists() and not_a_file.is_symlink()


KILLED_EXPORT = """
import os, sys
from pathlib import Path
from app.storage import files
from app.storage.export import export_json
from app.storage.journal import Journal
files.os.replace = lambda *a: os._exit(9)       # killed between writing and renaming
export_json(Journal(Path(sys.argv[1])), Path(sys.argv[2]))
"""


def test_a_killed_export_leaves_a_partial_that_the_next_export_removes(journal, tmp_path):
    out = tmp_path / "out.json"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-c", KILLED_EXPORT, str(journal.path), str(out)],
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 9, done.stderr
    left = [p for p in tmp_path.iterdir() if p.name.endswith(".partial")]
    assert len(left) == 1 and stat.S_IMODE(left[0].stat().st_mode) == 0o600
    export_json(journal, out)
    assert [p for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []
    assert out.exists()


def test_the_speech_manifest_is_written_privately_and_never_through_a_link(tmp_path):
    from app.core.practice import Practice, Step
    from app.speech.plan import MANIFEST, Manifest, RenderSettings

    calm = Practice("calm", "Calm", "s", 1, (Step("arrive", "Arrive", "Settle."),))
    folder = tmp_path / "calm"
    folder.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    (folder / f".{MANIFEST}.part").symlink_to(victim)          # the name used before
    Manifest(calm, folder, RenderSettings(), {})._write()
    assert victim.read_text() == "precious"
    assert stat.S_IMODE((folder / MANIFEST).stat().st_mode) == 0o600
