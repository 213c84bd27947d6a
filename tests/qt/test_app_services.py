"""What the window is given from storage: settings saved or a plain sentence why not, one
window at a time, and a data folder that cannot be used said plainly before anything paints."""
from __future__ import annotations

import errno

import pytest

from app.core.preferences import Preferences
from app.qt import app_services
from app.qt.app_services import ALREADY_OPEN, StartupProblem, claim_instance, save_preferences
from app.storage import preferences as stored
from app.storage.instance import COMMAND, InstanceLock


def test_settings_are_saved_and_nothing_is_said(securebase_home):
    assert save_preferences(Preferences(volume=0.4)) is None
    assert stored.load_preferences().volume == 0.4


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT])
def test_a_full_disk_is_called_a_full_disk(securebase_home, monkeypatch, code):
    def full(_prefs):
        raise OSError(code, "No space left on device")
    monkeypatch.setattr(stored, "save_preferences", full)
    assert save_preferences(Preferences()) == (
        "Your settings could not be saved (the disk is full). They apply until Secure Base "
        "closes.")


def test_any_other_failure_is_named_by_the_system_in_lower_case(securebase_home, monkeypatch):
    def refused(_prefs):
        raise PermissionError(errno.EACCES, "Permission denied")
    monkeypatch.setattr(stored, "save_preferences", refused)
    assert save_preferences(Preferences()) == (
        "Your settings could not be saved (permission denied). They apply until Secure Base "
        "closes.")


def test_one_window_at_a_time(securebase_home):
    first = claim_instance()
    try:
        assert first.lock is not None and first.message == "" and first.code == 0
        second = claim_instance()
        assert second.lock is None and (second.message, second.code) == (ALREADY_OPEN, 0)
    finally:
        first.lock.release()
    third = claim_instance()
    assert third.lock is not None
    third.lock.release()


def test_a_command_holding_the_journal_is_named_and_no_window_opens(securebase_home):
    from app.storage.cli import held_by
    command = InstanceLock()
    assert command.acquire(COMMAND)
    try:
        claim = claim_instance()
        assert claim.lock is None and (claim.message, claim.code) == (held_by(COMMAND), 1)
    finally:
        command.release()


def test_a_data_folder_that_is_a_file_stops_the_start_plainly(tmp_path, monkeypatch):
    home = tmp_path / "securebase-data"
    home.write_text("not a folder")
    monkeypatch.setenv("SECUREBASE_HOME", str(home))
    with pytest.raises(StartupProblem) as info:
        app_services.load_preferences()
    assert str(home) in str(info.value) and "Traceback" not in str(info.value)
