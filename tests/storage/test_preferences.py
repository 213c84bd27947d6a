from __future__ import annotations

import os
import stat

from app.storage.preferences import Preferences, load_preferences, save_preferences


def test_round_trip_is_private(tmp_path):
    path = tmp_path / "settings.json"
    save_preferences(Preferences(rate=130, theme="dark", volume=0.5), path)
    assert load_preferences(path) == Preferences(rate=130, theme="dark", volume=0.5)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_damaged_or_odd_files_fall_back_gently(tmp_path):
    path = tmp_path / "settings.json"
    assert load_preferences(path) == Preferences()
    path.write_text("{not json")
    assert load_preferences(path) == Preferences()
    path.write_text('{"rate": 9999, "theme": "neon", "unknown": 1, "volume": -3}')
    prefs = load_preferences(path)
    assert (prefs.rate, prefs.theme, prefs.volume) == (220, "light", 0.0)
    path.write_text('{"rate": "fast"}')
    assert load_preferences(path) == Preferences()
