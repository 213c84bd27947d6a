"""The espeak-ng engine (a forked child of its zygote per sentence): real synthesis, checks,
retry, failures."""
from __future__ import annotations

import sys
import wave
from pathlib import Path
from typing import Any

import pytest

from app.speech import engine as engines
from app.speech import espeak_engine, espeak_zygote
from app.speech.engine import (EngineUnavailable, EspeakEngine, SynthesisError, UnknownVoice,
                               apply_hints, check_wav, get_engine, plausible_seconds)

SENTENCE = "Take a moment to settle, and let your breath find its own rhythm."


@pytest.fixture(scope="module")
def espeak() -> EspeakEngine:
    engine = get_engine("espeak")
    assert isinstance(engine, EspeakEngine)
    return engine


def wav_seconds(path: Path) -> float:
    with wave.open(str(path)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (22050, 1, 2)
        return wav.getnframes() / wav.getframerate()


def test_synthesizes_a_plausible_wav_quietly(espeak: EspeakEngine, tmp_path: Path,
                                             capfd: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "s.wav"
    espeak.synthesize(SENTENCE, out, voice=None, rate=140)
    low, high = plausible_seconds(12, 140)
    assert low <= wav_seconds(out) <= high
    assert "Audio saved" not in capfd.readouterr().out
    assert not list(tmp_path.glob(".*part"))  # no attempt files left behind


def test_rate_changes_duration(espeak: EspeakEngine, tmp_path: Path) -> None:
    espeak.synthesize(SENTENCE, tmp_path / "slow.wav", voice=None, rate=120)
    espeak.synthesize(SENTENCE, tmp_path / "fast.wav", voice=None, rate=240)
    assert wav_seconds(tmp_path / "slow.wav") > 1.5 * wav_seconds(tmp_path / "fast.wav")


def test_voices_are_listed_with_licence(espeak: EspeakEngine, tmp_path: Path) -> None:
    voices = espeak.voices()
    english = [v for v in voices if v.language.startswith("en")]
    assert english and all(v.engine == "espeak" and "GPL" in v.licence for v in voices)
    espeak.synthesize("Hello there.", tmp_path / "v.wav", voice=english[0].id, rate=140)
    espeak.synthesize("Hello there.", tmp_path / "v.wav", voice="en-us", rate=140)  # by language
    with pytest.raises(UnknownVoice, match="klingon"):
        espeak.synthesize("Hello.", tmp_path / "v.wav", voice="klingon", rate=140)


def test_empty_text_is_refused(espeak: EspeakEngine, tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        espeak.synthesize(" — ", tmp_path / "e.wav", voice=None, rate=140)


def test_audio_that_lands_elsewhere_is_retried_once(espeak: EspeakEngine, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    real_speak = EspeakEngine._speak_to_file
    calls: list[Path] = []

    def first_call_goes_astray(self: EspeakEngine, text: str, path: Path, *rest: Any) -> None:
        calls.append(path)
        real_speak(self, text, tmp_path / "astray.wav" if len(calls) == 1 else path, *rest)

    monkeypatch.setattr(EspeakEngine, "_speak_to_file", first_call_goes_astray)
    espeak.synthesize(SENTENCE, tmp_path / "r.wav", voice=None, rate=140)
    assert len(calls) == 2 and wav_seconds(tmp_path / "r.wav") > 2


def test_persistent_failure_raises_synthesis_error(espeak: EspeakEngine, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real_speak = EspeakEngine._speak_to_file
    monkeypatch.setattr(EspeakEngine, "_speak_to_file",
                        lambda self, text, path, *rest: real_speak(self, text,
                                                                   tmp_path / "x.wav", *rest))
    with pytest.raises(SynthesisError, match="no audio was written"):
        espeak.synthesize(SENTENCE, tmp_path / "f.wav", voice=None, rate=140)
    assert not (tmp_path / "f.wav").exists()


@pytest.mark.timeout(90)
def test_a_file_that_cannot_be_written_ends_in_an_error_not_a_hang(
        espeak: EspeakEngine, tmp_path: Path) -> None:
    # pyttsx3 wrote the WAV inside espeak's callback, where a failed write (a full disk, a
    # folder removed) was swallowed and runAndWait never returned; the child says so instead.
    with pytest.raises(SynthesisError, match="could not write its audio file"):
        espeak.synthesize(SENTENCE, tmp_path / "removed" / "s.wav", voice=None, rate=140)
    espeak.synthesize(SENTENCE, tmp_path / "after.wav", voice=None, rate=140)  # it recovers
    assert wav_seconds(tmp_path / "after.wav") > 2


@pytest.mark.timeout(90)
def test_a_sentence_not_finished_in_time_is_given_up_not_waited_for(
        espeak: EspeakEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(espeak_engine, "_SPEAK_LIMIT_SECONDS", 0.0)  # no time at all
    monkeypatch.setattr(espeak_engine, "_SECONDS_A_CHARACTER", 0.0)
    with pytest.raises(SynthesisError, match="never finished"):
        espeak.synthesize(SENTENCE, tmp_path / "s.wav", voice=None, rate=140)
    monkeypatch.undo()
    espeak.synthesize(SENTENCE, tmp_path / "after.wav", voice=None, rate=140)  # it recovers
    assert wav_seconds(tmp_path / "after.wav") > 2


def test_a_full_disk_is_named_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from app.storage import errors

    usage = errors.shutil.disk_usage(tmp_path)
    monkeypatch.setattr(errors.shutil, "disk_usage",
                        lambda path: usage._replace(free=1024 * 1024))
    assert espeak_engine._unwritten_reason(tmp_path / "s.wav") == "the disk is full"


def test_check_wav_rejects_truncated_and_silent_audio(espeak: EspeakEngine,
                                                      tmp_path: Path) -> None:
    good = tmp_path / "good.wav"
    espeak.synthesize(SENTENCE, good, voice=None, rate=140)
    assert check_wav(good, 12, 140) > 2
    with pytest.raises(SynthesisError, match="expected"):  # audio of 12 words for 60 words
        check_wav(good, 60, 140)
    silent = tmp_path / "silent.wav"
    with wave.open(str(silent), "wb") as wav:
        wav.setnchannels(1), wav.setsampwidth(2), wav.setframerate(22050)
        wav.writeframes(b"\0" * 22050 * 2 * 4)
    with pytest.raises(SynthesisError, match="silent"):
        check_wav(silent, 10, 140)
    with pytest.raises(SynthesisError, match="no audio"):
        check_wav(tmp_path / "missing.wav", 10, 140)


def test_missing_espeak_is_engine_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    # The zygote says so when libespeak-ng (or pyttsx3's binding) cannot be loaded
    refusal = 'print(\'{"unavailable": "libespeak-ng.so.1: cannot open shared object file"}\')'
    monkeypatch.setattr(espeak_engine, "_zygote_command",
                        lambda: [sys.executable, "-c", refusal])
    with pytest.raises(EngineUnavailable) as caught:
        EspeakEngine()
    message = str(caught.value)
    assert "libespeak-ng1" in message and "\n" not in message and message.endswith(".")
    monkeypatch.setattr(espeak_engine, "_zygote_command",  # or cannot start at all
                        lambda: [sys.executable, "-c", "raise SystemExit(1)"])
    with pytest.raises(EngineUnavailable):
        EspeakEngine()


def test_the_zygote_reports_a_missing_library(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    def no_library() -> None:
        raise OSError("libespeak-ng.so.1: cannot open shared object file")

    monkeypatch.setattr(espeak_zygote, "start", no_library)
    replies = io.StringIO()
    espeak_zygote.serve(io.StringIO(""), replies)
    assert "cannot open shared object" in replies.getvalue()
    assert '"unavailable"' in replies.getvalue()


def test_unknown_engine_names_the_choices() -> None:
    with pytest.raises(EngineUnavailable, match="espeak"):
        get_engine("festival")


def test_pronunciation_hints() -> None:
    assert apply_hints("Notice Self-energy and self-compassion.") == (
        "Notice Self energy and self compassion.")
    assert apply_hints("In IFS, the 8 Cs.") == "In I F S, the 8 C's."
    assert apply_hints("itself-ish SHIFTS") == "itself-ish SHIFTS"
    assert len(engines.PRONUNCIATION_DIGEST) == 12


def test_the_pace_asked_is_mapped_onto_espeaks_own_scale() -> None:
    from app.speech.engine import espeak_rate, espeak_word_gap
    assert espeak_rate(140) == 127            # espeak's own scale, with one unit of word gap
    assert espeak_rate(80) == 80 and espeak_word_gap(80) > espeak_word_gap(100) > 0
    assert espeak_word_gap(140) == 1


def test_a_prepared_sentence_keeps_espeaks_last_consonant(espeak: EspeakEngine,
                                                          tmp_path: Path) -> None:
    """espeak ends "breathe" on its "th" at full level; the chunk's end fade must soften the
    stop, not the consonant (a 0.1 s fade took ~10 dB off its last 40 ms, and a recogniser
    then heard "simply read")."""
    import numpy as np

    from app.speech import audio

    raw, chunk = tmp_path / "raw.wav", tmp_path / "chunk.wav"
    espeak.synthesize("If it is not willing, simply breathe.", raw, voice=None, rate=140)
    audio.prepare_chunk(raw, chunk)
    before, after = audio.trim_silence(audio.load_wav(raw)), audio.load_wav(chunk)
    assert len(before) == len(after)  # nothing cut from inside: the same samples, levelled
    body = slice(0, len(before) - int(0.2 * audio.SAMPLE_RATE))
    gain_db = 10 * np.log10(np.mean(after[body] ** 2) / np.mean(before[body] ** 2))
    end = audio._sound_end(before)
    last = slice(end - int(0.04 * audio.SAMPLE_RATE), end)
    kept_db = 10 * np.log10(np.mean(after[last] ** 2) / np.mean(before[last] ** 2)) - gain_db
    assert kept_db > -3.0


def test_the_zygote_ends_quietly_when_its_engine_is_gone() -> None:
    """Found by a helper: `kill <pid>` of the window while espeak spoke printed a
    BrokenPipeError traceback from espeak_zygote.py on stderr (the answer to the last request
    had no one to go to). Before: that traceback, and exit status 1."""
    import subprocess
    process = subprocess.Popen(espeak_engine._zygote_command(), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdin is not None and process.stdout is not None
    assert "ready" in process.stdout.readline()
    process.stdout.close()                       # the engine's process is gone mid-request
    process.stdin.write('{"op": "voices"}\n')
    process.stdin.close()
    assert process.stderr is not None
    err = process.stderr.read()                  # until it ends
    assert (process.wait(timeout=30), err) == (0, "")


def test_ctrl_c_in_the_terminal_leaves_the_zygote_to_its_engine() -> None:
    """Ctrl+C in a terminal reaches the whole process group, the zygote too: it printed a
    KeyboardInterrupt traceback and died under the app, which decides itself how to end. Now
    it goes on answering, and ends quietly when its engine's process lets go of it."""
    import signal
    import subprocess
    process = subprocess.Popen(espeak_engine._zygote_command(), stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert process.stdin is not None and process.stdout is not None
    assert "ready" in process.stdout.readline()
    process.send_signal(signal.SIGINT)
    process.stdin.write('{"op": "voices"}\n')
    process.stdin.flush()
    assert "voices" in process.stdout.readline()
    process.stdin.close()
    assert process.stderr is not None
    assert (process.wait(timeout=30), process.stderr.read()) == (0, "")
