""""Delete all my data" removes every personal file in the data folder and nothing else."""
from __future__ import annotations

from datetime import date

from app import paths
from app.storage.preferences import Preferences, save_preferences
from app.storage import backup as backups
from app.storage.recovery import open_journal
from app.storage.wipe import delete_everything


def populate(home):
    journal, _ = open_journal(paths.journal_file())
    journal.start_session("x", "X")
    backups.daily_backup(paths.journal_file(), today=date(2026, 3, 3))
    save_preferences(Preferences(rate=120))
    (paths.chunk_cache_dir() / "abc.wav").write_bytes(b"RIFF")
    (paths.audio_dir() / "unblending").mkdir(parents=True)
    (paths.audio_dir() / "unblending" / "arrive.wav").write_bytes(b"RIFF")
    (home / "journal.db.damaged-20260101-101010").write_bytes(b"old damaged copy")
    (paths.user_scripts_dir() / "mine.toml").write_text("[practice]\n")
    (paths.recordings_dir() / "mine").mkdir()           # a step in their own voice
    (paths.recordings_dir() / "mine" / "arrive.wav").write_bytes(b"RIFF")
    (paths.trash_dir() / "old.0a1b").mkdir()            # a deleted practice, still undoable
    (paths.trash_dir() / "old.0a1b" / "old.toml").write_text("[practice]\n")
    (home / "logs").mkdir(exist_ok=True)                # what happened, and when
    (home / "logs" / "securebase.log.1").write_text("2026-03-03 INFO started\n")
    return journal


def test_everything_personal_goes_and_the_app_starts_as_new(securebase_home):
    journal = populate(securebase_home)
    report = delete_everything(journal)                 # closes the open journal first
    left = sorted(p.relative_to(securebase_home).as_posix()
                  for p in securebase_home.rglob("*"))
    assert left == ["scripts", "scripts/mine.toml"]     # their own writing stays unless asked
    assert paths.journal_file() in report.removed
    fresh, notices = open_journal(paths.journal_file())
    assert fresh.counts()["sessions"] == 0 and notices == []
    fresh.close()


def test_scripts_too_when_asked(securebase_home):
    delete_everything(populate(securebase_home), include_scripts=True)
    assert list(securebase_home.rglob("*")) == []


def test_never_touches_anything_outside_the_data_folder(securebase_home, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("not Secure Base's")
    (securebase_home / "cache").symlink_to(outside, target_is_directory=True)
    (securebase_home / "settings.json").symlink_to(outside / "precious.txt")
    report = delete_everything()
    assert (outside / "precious.txt").read_text() == "not Secure Base's"
    assert not (securebase_home / "cache").exists() and not (securebase_home / "cache").is_symlink()
    assert report.skipped == []


def test_the_lock_file_stays_while_the_window_holds_it(securebase_home):
    from app.storage.instance import InstanceLock
    lock = InstanceLock()
    assert lock.acquire()
    delete_everything()
    assert paths.instance_lock_file().exists() and not InstanceLock().acquire()
    lock.release()


def test_the_log_goes_too_and_logging_goes_on_in_a_fresh_file(securebase_home):
    from app import log
    assert log.setup_logging() is not None
    try:
        log.logger.info("before the wipe")
        delete_everything(populate(securebase_home))
        assert not (securebase_home / "logs" / "securebase.log.1").exists()
        log.logger.info("after the wipe")
        text = log.log_file().read_text()
        assert "after the wipe" in text and "before the wipe" not in text
        assert log.log_file().stat().st_mode & 0o777 == 0o600
    finally:
        log.stop_logging()
