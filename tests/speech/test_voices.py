"""Voice ids across engines, per-voice audio folders, and falling back to espeak-ng.

These run with or without the natural-voice extra: where it matters, Piper is made
"not installed" by taking it out of the engine registry.
"""
from __future__ import annotations

import argparse
import sys
import types
from pathlib import Path

import pytest

from app.core.practice import Practice, Step
from app.speech import engine as engines
from app.speech.cli import add_commands
from app.speech.engine import EngineUnavailable, get_engine
from app.speech.render import RenderReport, RenderSettings, chunk_key
from app.speech.voices import (VOICES_DIR, all_voices, audio_dir_for, engine_of, fallback_notice,
                               settings_for, with_fallback)

PIPER_VOICE = "piper:en_US-joe-medium"


@pytest.fixture
def no_piper(monkeypatch: pytest.MonkeyPatch) -> None:
    """As on a machine without the extra (the registry is filled at import)."""
    monkeypatch.delitem(engines.ENGINES, "piper", raising=False)
    monkeypatch.delitem(engines._started, "piper", raising=False)


@pytest.mark.parametrize("voice, engine, stored", [
    (None, "piper", PIPER_VOICE),                   # no choice yet: the natural voice
    ("espeak:", "espeak", None),                    # the standard voice's default
    ("gmw/en-us", "espeak", "gmw/en-us"),           # ids saved before Piper existed
    ("espeak:gmw/en-us", "espeak", "gmw/en-us"),    # one id, one cache, however written
    (PIPER_VOICE, "piper", PIPER_VOICE),
    ("klingon", "espeak", "klingon"),               # espeak then says it has no such voice
])
def test_the_voice_id_names_its_engine(voice: str | None, engine: str,
                                       stored: str | None) -> None:
    assert engine_of(voice) == engine
    assert settings_for(voice, 150) == RenderSettings(engine=engine, voice=stored, rate=150)


def test_each_voice_has_its_own_audio_folder(tmp_path: Path) -> None:
    assert audio_dir_for(tmp_path, RenderSettings()) == tmp_path  # the fallback voice
    assert audio_dir_for(tmp_path, settings_for(PIPER_VOICE, 140)) == (
        tmp_path / VOICES_DIR / "piper-en_US-joe-medium")
    assert audio_dir_for(tmp_path, settings_for("gmw/en-us", 140)) == (
        tmp_path / VOICES_DIR / "espeak-gmw-en-us")
    assert audio_dir_for(tmp_path, RenderSettings(engine="piper")) == (
        tmp_path / VOICES_DIR / "piper-default")


def test_cache_keys_differ_by_engine_and_voice() -> None:
    text = "Notice your breath."
    keys = {chunk_key(settings, text) for settings in (
        RenderSettings(), RenderSettings(voice="gmw/en-us"), settings_for(PIPER_VOICE, 140),
        RenderSettings(engine="piper"))}
    assert len(keys) == 4


def test_an_engine_that_is_not_installed_is_one_plain_sentence(no_piper: None) -> None:
    with pytest.raises(EngineUnavailable) as caught:
        get_engine("piper")
    assert str(caught.value) == "The natural voice is not installed."
    voices, problems = all_voices()
    assert voices and problems == ["The natural voice is not installed."]


def test_fallback_uses_espeak_and_says_so() -> None:
    tried: list[RenderSettings] = []
    notices: list[str] = []

    def attempt(settings: RenderSettings) -> str:
        tried.append(settings)
        if settings.engine == "piper":
            raise EngineUnavailable("The natural voice could not be loaded.")
        return "rendered"

    assert with_fallback(settings_for(PIPER_VOICE, 120), attempt, notices.append) == "rendered"
    assert tried[1] == RenderSettings(engine="espeak", voice=None, rate=120)
    assert notices == ["The natural voice could not be loaded, so the standard voice is used "
                       "instead."]


def test_no_fallback_from_espeak_itself() -> None:
    def attempt(_settings: RenderSettings) -> RenderReport:
        raise EngineUnavailable("The espeak-ng speech engine could not start.")

    with pytest.raises(EngineUnavailable):
        with_fallback(RenderSettings(), attempt, lambda _text: None)
    assert "\n" not in fallback_notice(EngineUnavailable("The natural voice is not installed."))


def cli(monkeypatch: pytest.MonkeyPatch, practices: list[Practice], *argv: str) -> int:
    scripts = types.ModuleType("app.storage.script_files")
    scripts.load_all = lambda: (practices, [])  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "app.storage.script_files", scripts)
    parser = argparse.ArgumentParser(prog="securebase")
    add_commands(parser.add_subparsers(required=True))
    args = parser.parse_args(list(argv))
    return int(args.func(args))


def test_cli_render_falls_back_when_piper_is_missing(
        no_piper: None, monkeypatch: pytest.MonkeyPatch, securebase_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    calm = Practice("calm", "Calm", "", 1.0, (Step("close", "Close", "Rest now."),))
    assert cli(monkeypatch, [calm], "render", "--voice", PIPER_VOICE, "--jobs", "0") == 0
    out, err = capsys.readouterr()
    assert err == ("securebase: The natural voice is not installed, so the standard voice is "
                   "used instead.\n")
    assert (securebase_home / "audio" / "calm" / "close.wav").exists()  # espeak's folder
    assert not (securebase_home / "audio" / VOICES_DIR).exists()


def test_cli_voices_shows_engine_and_licence(monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(monkeypatch, [], "voices", "--language", "en") == 0
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.startswith("gmw/en-us "))
    assert line.split()[:3] == ["gmw/en-us", "en-us", "espeak"]
    assert "from espeak (GPL-3.0-or-later (eSpeak NG))" in out.splitlines()[-1]


def test_no_choice_yet_falls_back_to_the_standard_voice_saying_so(
        no_piper: None, monkeypatch: pytest.MonkeyPatch, securebase_home: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    calm = Practice("calm", "Calm", "", 1.0, (Step("close", "Close", "Rest now."),))
    assert cli(monkeypatch, [calm], "render", "--jobs", "0") == 0
    assert capsys.readouterr().err == ("securebase: The natural voice is not installed, so the "
                                       "standard voice is used instead.\n")
    assert (securebase_home / "audio" / "calm" / "close.wav").exists()


def test_the_standard_voice_speaks_with_the_natural_voice_accent() -> None:
    espeak = get_engine("espeak")
    assert espeak._resolve_voice(None) == "gmw/en-us"  # type: ignore[attr-defined]


def test_voices_piped_into_a_reader_that_stops_early_says_nothing_more(tmp_path: Path) -> None:
    """`securebase voices | head -3` printed "Exception ignored … BrokenPipeError" and its
    traceback after the three lines (found running the README's command on a new machine)."""
    import os
    import subprocess
    import sys
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "SECUREBASE_HOME": str(tmp_path), "PYTHONPATH": str(root)}
    child = subprocess.Popen([sys.executable, "-m", "app", "voices"], cwd=root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stderr is not None
    first = child.stdout.readline()
    child.stdout.close()                     # as head does after its lines
    said = child.stderr.read().decode()
    assert child.wait(timeout=60) in (0, 141)
    assert first.strip() and "Traceback" not in said and "BrokenPipe" not in said, said
