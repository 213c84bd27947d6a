"""Owner-only everywhere: SQLite's temporary files stay in memory, every folder is 0700 and
every file 0600, an open data folder is made private (and the person told once), and the
forkserver's folders never land in the shared temp folder."""
from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest

from app import paths
from app.storage import privacy
from app.storage.journal import Journal
from app.storage.queries import ReadOnlyJournal
from app.storage.recovery import prepare_journal

ROOT = paths.PROJECT_ROOT


def loose_entries(root: Path) -> list[str]:
    """Everything under `root` (itself included) that group or others could open."""
    found = []
    for path in (root, *root.rglob("*")):
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            continue
        wanted = 0o700 if stat.S_ISDIR(info.st_mode) else 0o600
        if stat.S_IMODE(info.st_mode) != wanted:
            found.append(f"{oct(stat.S_IMODE(info.st_mode))} {path.relative_to(root)}")
    return found


def temp_store(conn) -> int:
    return conn.execute("PRAGMA temp_store").fetchone()[0]


def test_every_connection_keeps_temporary_files_in_memory(journal_path):
    journal = Journal(journal_path)
    journal.start_session("x", "X")
    assert temp_store(journal.db) == 2                       # 2 = MEMORY
    assert temp_store(Journal.snapshot(journal_path).db) == 2
    with ReadOnlyJournal(journal_path) as snap:
        assert temp_store(snap.db) == 2
    journal.close()


def test_an_open_data_folder_is_made_private_and_said_once(securebase_home):
    os.chmod(securebase_home, 0o755)
    cache = securebase_home / "cache" / "chunks" / "ab"
    cache.mkdir(parents=True, mode=0o755)
    for folder in (securebase_home / "cache", securebase_home / "cache" / "chunks", cache):
        os.chmod(folder, 0o755)
    wav = cache / "ab12.wav"
    wav.write_bytes(b"RIFF")
    os.chmod(wav, 0o644)
    notices = prepare_journal(paths.journal_file())
    assert loose_entries(securebase_home) == []
    assert len(notices) == 1 and "could be opened by other people" in notices[0]
    assert str(securebase_home) in notices[0] and "4 files" in notices[0]
    assert prepare_journal(paths.journal_file()) == []       # once


def test_new_folders_are_private_at_every_level(securebase_home):
    made = privacy.private_folder(securebase_home / "a" / "b" / "c")
    assert made.is_dir() and loose_entries(securebase_home) == []
    assert loose_entries(paths.chunk_cache_dir().parent) == []


RENDER_AND_KILL = """
import sys
from app.__main__ import main
sys.exit(main(["render", "--practice", "grounding", "--jobs", "2"]))
"""


@pytest.fixture
def short_home(monkeypatch):
    """A data folder with a short path: pytest's own are too long for the forkserver's socket
    inside them (107 bytes), where the app falls back to the system's temp folder."""
    home = Path(tempfile.mkdtemp(prefix="sb-"))
    monkeypatch.setenv("SECUREBASE_HOME", str(home))
    yield home
    shutil.rmtree(home, ignore_errors=True)


def test_a_killed_render_leaves_no_pymp_folder_in_the_shared_temp(short_home, tmp_path):
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    env = {**os.environ, "TMPDIR": str(shared), "PYTHONPATH": str(ROOT)}
    render = subprocess.Popen([sys.executable, "-c", RENDER_AND_KILL], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    ours = short_home / "tmp" / str(render.pid)
    deadline = time.monotonic() + 60
    while not list(ours.glob("pymp-*")) and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        assert list(ours.glob("pymp-*")), "the render never started its workers"
    finally:
        kill_with_children(render)
    assert list(shared.iterdir()) == []                      # no pymp-*, no .ses, nothing
    privacy.private_temp_dir(short_home)                     # the next start tidies up
    assert not ours.exists()
    assert loose_entries(short_home) == []


def test_the_command_keeps_library_temp_files_in_the_data_folder(securebase_home, tmp_path):
    """onnxruntime (the natural voice's) writes $TMPDIR/.ses when imported; `securebase
    voices` imports it. Through the real command, nothing lands in the shared temp folder."""
    shared = tmp_path / "shared-tmp"
    shared.mkdir()
    command = Path(sys.executable).with_name("securebase")
    done = subprocess.run([str(command), "voices"], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "TMPDIR": str(shared)})
    assert done.returncode == 0, done.stderr
    assert list(shared.iterdir()) == []
    assert loose_entries(securebase_home) == []


def kill_with_children(process: subprocess.Popen) -> None:
    """SIGKILL the render; then end the forkserver and workers it leaves behind (they would
    otherwise idle on), by their own pids."""
    # psutil, not pgrep: a minimal Debian (CI) has no procps
    descendants = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signal.SIGKILL)
    process.wait(10)
    for child in descendants:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


@pytest.mark.parametrize("fmt,name", [("json", "out.json"), ("csv", "out.zip"),
                                      ("csv", "out-folder"), ("pdf", "out.pdf")])
def test_every_export_and_the_journal_files_are_owner_only(securebase_home, fmt, name,
                                                           monkeypatch):
    from app.__main__ import main
    monkeypatch.setattr(os, "umask", os.umask)             # main() sets it for this process
    previous = os.umask(0o022)
    try:
        assert main(["demo-data", "--years", "0.05"]) == 0
        out = securebase_home / "exports" / name
        assert main(["export", "--format", fmt, "--out", str(out)]) == 0
    finally:
        os.umask(previous)
    assert loose_entries(securebase_home) == []


def test_the_journal_runs_no_sqlite_utils_plugin(journal_path):
    """An installed package's sqlite_utils plugin never touches the journal's connection (on
    main every Database ran them: third-party code on private records, and every installed
    package's metadata read at each start to find them)."""
    from sqlite_utils import hookimpl
    from sqlite_utils.plugins import pm

    touched = []

    class Plugin:
        @hookimpl
        def prepare_connection(self, conn):
            touched.append(conn)

    plugin = Plugin()
    pm.register(plugin, name="test-plugin")
    try:
        journal = Journal(journal_path)
        journal.start_session("x", "X")
        journal.close()
        Journal.snapshot(journal_path).close()
        Journal(":memory:").close()
    finally:
        pm.unregister(plugin)
    assert touched == []
