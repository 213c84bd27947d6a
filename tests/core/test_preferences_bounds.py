"""The settings a person (or a hand-edited settings file) can ask for are held to what the
Settings page offers: a quiet 0.25× to 3×, a voice 80 to 220 words a minute, volume 0 to 1."""
from __future__ import annotations

import pytest

from app.core.preferences import MAX_GEOMETRY, Preferences


@pytest.mark.parametrize(("asked", "kept"), [
    (10.0, 3.0), (3.0, 3.0), (3.5, 3.0), (2.75, 2.75),
    (0.0, 0.25), (0.25, 0.25), (0.1, 0.25), (-2, 0.25), ("1.5", 1.5)])
def test_the_quiet_after_each_step_stays_between_a_quarter_and_three_times(asked, kept):
    assert Preferences(silence_multiplier=asked).validated().silence_multiplier == kept


@pytest.mark.parametrize(("asked", "kept"), [
    (79, 80), (80, 80), (81, 81), (219, 219), (220, 220), (221, 220), (9999, 220), ("150", 150)])
def test_the_voice_speed_stays_between_80_and_220_words_a_minute(asked, kept):
    assert Preferences(rate=asked).validated().rate == kept


@pytest.mark.parametrize(("asked", "kept"), [(-0.5, 0.0), (0.0, 0.0), (0.4, 0.4), (1.0, 1.0),
                                             (1.01, 1.0), (7, 1.0)])
def test_the_volume_stays_between_silent_and_full(asked, kept):
    assert Preferences(volume=asked).validated().volume == kept


def test_an_unknown_theme_falls_back_to_light_and_a_known_one_is_kept():
    assert Preferences(theme="neon").validated().theme == "light"
    assert Preferences(theme="dark").validated().theme == "dark"


def test_switches_read_from_a_file_become_plain_yes_or_no():
    prefs = Preferences(show_streaks=1, voice_during_body_map="")  # type: ignore[arg-type]
    kept = prefs.validated()
    assert kept.show_streaks is True and kept.voice_during_body_map is False


@pytest.mark.parametrize(("geometry", "kept"), [
    ("AdnQywADAAA=", "AdnQywADAAA="), ("A" * MAX_GEOMETRY, "A" * MAX_GEOMETRY),
    ("A" * (MAX_GEOMETRY + 1), ""), ("<script>", ""), (42, "")])
def test_only_a_short_base64_window_place_is_kept(geometry, kept):
    assert Preferences(window_geometry=geometry).validated().window_geometry == kept


@pytest.mark.parametrize("geometry", [
    "", "=", "==", "===", "A=", "A==", "A===", "=A", "A=A", "ab+/09", "ab-_", "é", "A\n",
    "AdnQywADAAA=\n", " AdnQ", "AdnQ ", "A" * 20 + "=="])
def test_a_window_place_is_kept_exactly_as_base64s_pattern_would_keep_it(geometry):
    """The check of its letters keeps what [A-Za-z0-9+/]*={0,2} matched whole, nothing else."""
    import re
    kept = geometry if re.fullmatch(r"[A-Za-z0-9+/]*={0,2}", geometry) else ""
    assert Preferences(window_geometry=geometry).validated().window_geometry == kept


def test_a_first_start_is_calm_full_volume_and_without_streaks():
    """What someone who never opened Settings gets: a slow voice (140 words a minute), full
    volume (the audio is levelled for it), the quiet as written, streaks hidden (many people
    find them stressful) and the voice pausing while the body map is open."""
    first = Preferences()
    assert (first.rate, first.volume, first.silence_multiplier) == (140, 1.0, 1.0)
    assert first.show_streaks is False and first.voice_during_body_map is False
    assert first.voice is None and first.theme == "light" and first.window_geometry == ""
