"""The pipeline's own writes (wav_io.write_atomic): a sentence's WAV is byte for byte what the
wave module wrote, its energies are the file they always were, and the temporary file is new
and owner-only from its creation, never a file or link already under its name."""
from __future__ import annotations

import io
import os
import stat
import wave
from pathlib import Path

import numpy as np
import pytest

from app.speech import wav_io


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A folder of its own (tmp_path holds the test's data folder too)."""
    (tmp_path / "out").mkdir()
    return tmp_path / "out"


def _as_the_wave_module_writes(pcm: np.ndarray) -> bytes:
    written = io.BytesIO()
    with wave.open(written, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(wav_io.SAMPLE_RATE)
        wav.setnframes(len(pcm))
        wav.writeframes(pcm.tobytes())
    return written.getvalue()


@pytest.mark.parametrize("frames", [0, 1, 3, 2205, 100_001])
def test_a_wav_is_what_the_wave_module_writes(tmp_path: Path, frames: int) -> None:
    samples = np.random.default_rng(frames).uniform(-1.0, 1.0, frames)
    path = tmp_path / "sentence.wav"
    size = wav_io.save_wav(samples.copy(), path)
    assert path.read_bytes() == _as_the_wave_module_writes(wav_io.to_pcm(samples))
    assert size == path.stat().st_size == 44 + 2 * frames


def test_energies_are_the_file_they_always_were(tmp_path: Path) -> None:
    """Cached sentences keep their energies: the format is the count, then the energies."""
    energies = np.random.default_rng(1).uniform(0.0, 1.0, 950)
    chunk = tmp_path / "sentence.wav"
    wav_io.save_energies(energies, 99_000, chunk)
    assert wav_io.energies_path(chunk).read_bytes() == np.concatenate(
        [[99_000.0], energies]).tobytes()


def test_a_link_planted_under_the_temporary_name_is_never_written_through(
        folder: Path) -> None:
    """Before: the temporary file was opened for writing whatever was there, so a link
    under its name had the sentence written into the file it pointed at, chmodded, and the
    link itself renamed into the cache."""
    victim = folder / "someone-elses.txt"
    victim.write_bytes(b"theirs")
    victim.chmod(0o644)
    path = folder / "sentence.wav"
    (folder / f".{path.name}.{os.getpid()}.part").symlink_to(victim)
    wav_io.save_wav(np.zeros(10), path)
    assert victim.read_bytes() == b"theirs" and stat.S_IMODE(victim.stat().st_mode) == 0o644
    assert not path.is_symlink() and path.read_bytes() == _as_the_wave_module_writes(
        np.zeros(10, dtype="<i2"))
    assert sorted(folder.iterdir()) == sorted([victim, path])


def test_what_is_written_is_owner_only_whatever_the_umask(folder: Path) -> None:
    left = folder / f".sentence.wav.{os.getpid()}.part"
    left.write_bytes(b"a write that failed")
    left.chmod(0o644)
    old = os.umask(0o022)
    try:
        wav_io.save_wav(np.zeros(10), folder / "sentence.wav")
        wav_io.save_energies(np.zeros(3), 10, folder / "sentence.wav")
    finally:
        os.umask(old)
    for path in folder.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    assert sorted(p.name for p in folder.iterdir()) == ["sentence.kw.npy", "sentence.wav"]


def test_what_is_read_back_is_what_the_wave_module_reads(folder: Path) -> None:
    """The pipeline's own files are read in one go; a cut-short file, or one with chunks of
    its own (another program's WAV), through the wave module as before."""
    pcm = (np.random.default_rng(2).uniform(-1.0, 1.0, 5000) * 30000).astype("<i2")
    own = folder / "own.wav"
    own.write_bytes(_as_the_wave_module_writes(pcm))
    cut = folder / "cut.wav"
    cut.write_bytes(own.read_bytes()[:-1000])
    listed = folder / "listed.wav"
    whole = own.read_bytes()
    tag = b"INFO" + b"ISFT" + (4).to_bytes(4, "little") + b"me\0\0"
    info = b"LIST" + len(tag).to_bytes(4, "little") + tag
    listed.write_bytes(whole[:4] + (len(whole) - 8 + len(info)).to_bytes(4, "little")
                       + whole[8:36] + info + whole[36:])
    for path in (own, cut, listed):
        with wave.open(str(path), "rb") as handle:
            expected = np.frombuffer(handle.readframes(handle.getnframes()), dtype="<i2")
        assert np.array_equal(wav_io.load_pcm(path), expected), path.name
    assert np.array_equal(wav_io.load_pcm(own), pcm) and len(wav_io.load_pcm(cut)) < len(pcm)
