"""The pipeline's cheaper ways give the same audio: a step written a sentence at a time, 16-bit
trimming, the limiter's peaks, and a worker that keeps a little freed memory between tasks."""
from __future__ import annotations

import os
import subprocess
import sys
import tracemalloc
import wave
from pathlib import Path

import numpy as np
import pytest

from app.speech import audio, loudness, render_worker, wav_io
from app.speech.text import Chunk, Pause, Speech
from tests.speech.test_audio import speechlike
from tests.speech.test_worker_processes import ROOT

RATE = audio.SAMPLE_RATE


def _chunks(tmp_path: Path, seconds: list[float], level: float = 1.0) -> list[Path]:
    files = []
    for index, length in enumerate(seconds):
        raw = tmp_path / f"raw{index}.wav"
        audio.save_wav(np.concatenate([np.zeros(RATE // 4), level * speechlike(length, index),
                                       np.zeros(RATE // 3)]), raw)
        files.append(tmp_path / f"chunk{index}.wav")
        audio.prepare_chunk(raw, files[-1])
    return files


def _as_finish_step_writes_it(chunks: list[Chunk], files: list[Path], out: Path) -> bytes:
    """The step the one-array way: every sentence as floats, joined, levelled, written."""
    sentences = [audio.load_wav(path) for path in files]
    energy_of = {id(s): audio.chunk_energies(path, s) for path, s in zip(files, sentences)}
    loaded = iter(sentences)
    parts = audio.layout(chunks, lambda _speech: next(loaded))
    audio.save_wav(audio.finish_step(parts, energies=[energy_of.get(id(p)) for p in parts]), out)
    return out.read_bytes()


@pytest.mark.parametrize("pause", [2.0, 0.0])  # [pause 0]: the step is measured as a whole
def test_a_step_written_a_sentence_at_a_time_is_the_step_finish_step_makes(
        tmp_path: Path, pause: float) -> None:
    files = _chunks(tmp_path, [1.3, 0.8, 2.1, 1.1])
    chunks: list[Chunk] = [Speech("Breathe in and notice.", "clause"), Speech("Rest now."),
                           Pause(pause), Speech("And again, slowly.", "paragraph"),
                           Speech("There.")]
    out = tmp_path / "step.wav"
    seconds, size = audio.render_step(chunks, files, out, words=11, rate=140)
    written = out.read_bytes()
    assert written == _as_finish_step_writes_it(chunks, files, tmp_path / "whole.wav")
    assert size == len(written) and seconds == pytest.approx((len(written) - 44) / 2 / RATE)
    assert audio.measure_lufs(out) == pytest.approx(audio.TARGET_LUFS, abs=0.1)
    assert audio.true_peak_dbfs(out) <= audio.MAX_TRUE_PEAK_DBFS


def test_a_step_that_needs_the_limiter_is_still_under_the_peak_cap(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _chunks(tmp_path, [1.5, 1.2])
    # sentences cached far quieter than the target: the step's boost passes the free margin
    for path in files:
        audio.save_wav(audio.load_wav(path) * 0.2, path)
        audio.energies_path(path).unlink()
    chunks: list[Chunk] = [Speech("Breathe in and notice."), Speech("Rest now, slowly.")]
    out = tmp_path / "step.wav"
    audio.render_step(chunks, files, out, words=7, rate=140)
    assert out.read_bytes() == _as_finish_step_writes_it(chunks, files, tmp_path / "whole.wav")
    assert audio.measure_lufs(out) == pytest.approx(audio.TARGET_LUFS, abs=0.5)
    assert audio.true_peak_dbfs(out) <= audio.MAX_TRUE_PEAK_DBFS


def test_a_step_is_assembled_without_a_step_long_array_of_floats(tmp_path: Path) -> None:
    """8 bytes a sample for a whole step, several times over (joining, levelling, converting)
    was most of a step's work and of a worker's memory. Now: its sentences as 16-bit, and one
    sentence as floats at a time: less than one float array of the step."""
    files = _chunks(tmp_path, [2.5] * 8)
    chunks: list[Chunk] = [Speech(f"Sentence {n} is here.") for n in range(8)]
    out = tmp_path / "step.wav"
    tracemalloc.start()
    try:
        audio.render_step(chunks, files, out, words=32, rate=140)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    with wave.open(str(out)) as wav:
        step_samples = wav.getnframes()
    assert peak < 6 * step_samples, f"{peak / step_samples:.1f} bytes a sample of the step"


def test_trimming_16_bit_samples_cuts_where_trimming_their_floats_does() -> None:
    rng = np.random.default_rng(3)
    threshold = audio.db_to_gain(audio.TRIM_THRESHOLD_DBFS)
    for _ in range(300):
        n = int(rng.integers(0, 4000))
        pcm = (rng.standard_normal(n) * rng.choice([30, 100, 104, 200, 3000])).astype("<i2")
        pcm[:int(rng.integers(0, n + 1))] //= 64  # a quiet lead-in, exactly at the edge or not
        if n and rng.random() < 0.2:
            pcm[int(rng.integers(0, n))] = -32768
        floats = pcm / 32768.0
        assert (audio._speech_span(pcm, threshold * 32768.0)
                == audio._speech_span(floats, threshold))
        assert np.array_equal(audio.trim_silence(floats),
                              audio.to_float(pcm[audio._speech_span(pcm, threshold * 32768.0)]))


def test_16_bit_samples_become_the_floats_they_always_were() -> None:
    pcm = np.arange(-32768, 32768, dtype=np.int64).astype("<i2")
    assert np.array_equal(audio.to_float(pcm), pcm.astype(np.float64) / 32768.0)


def test_16_bit_samples_become_the_same_floats_in_single_precision() -> None:
    pcm = np.arange(-32768, 32768, dtype=np.int64).astype("<i2")
    single = audio.to_float(pcm, np.float32)
    assert single.dtype == np.float32
    assert np.array_equal(single.astype(np.float64), pcm.astype(np.float64) / 32768.0)


def test_a_sentence_is_post_processed_in_single_precision_within_one_lsb(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every stage after the 16-bit trim (pauses capped, fades, K-weighting, peaks, limiter)
    reads and writes float32, half the memory of double: the sentence is the one double
    precision made, every sample within 1 LSB, as long, as loud and under the same ceiling."""
    raw = tmp_path / "raw.wav"
    # a long pause inside (capped, crossfaded) and peaks the limiter must hold
    audio.save_wav(np.concatenate([np.zeros(RATE // 4), speechlike(1.5, 3), np.zeros(RATE),
                                   0.9 * speechlike(1.2, 4), np.zeros(RATE // 3)]), raw)
    seen: list[np.dtype] = []
    levelled = loudness.normalise_measured

    def watched(samples: np.ndarray, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        seen.append(samples.dtype)
        return levelled(samples, *args, **kwargs)

    monkeypatch.setattr(loudness, "normalise_measured", watched)
    audio.prepare_chunk(raw, tmp_path / "single.wav")
    assert seen == [np.float32]
    single = audio.load_pcm(tmp_path / "single.wav")
    monkeypatch.setattr(audio, "to_float", lambda pcm, _dtype=None: wav_io.to_float(pcm))
    audio.prepare_chunk(raw, tmp_path / "double.wav")
    assert seen == [np.float32, np.float64]
    double = audio.load_pcm(tmp_path / "double.wav")
    assert len(single) == len(double)
    assert np.abs(single.astype(int) - double.astype(int)).max() <= 1
    assert audio.measure_lufs(tmp_path / "single.wav") == pytest.approx(
        audio.measure_lufs(tmp_path / "double.wav"), abs=0.001)
    assert audio.true_peak_dbfs(tmp_path / "single.wav") <= audio._CHUNK_CEILING_DBFS + 0.01


def test_a_sentences_fade_out_ends_where_its_sound_does() -> None:
    rng = np.random.default_rng(8)
    for _ in range(200):
        n = int(rng.integers(0, 20_000))
        x = rng.standard_normal(n) * 0.3
        x[int(rng.integers(0, n + 1)):] *= rng.choice([0.0, 1e-4, 0.002])  # a quiet end
        audible = np.flatnonzero(np.abs(x) > audio._SOUND_FLOOR)
        assert audio._sound_end(x, look=int(rng.integers(1, 5000))) == (
            int(audible[-1]) + 1 if audible.size else 0)
    quiet = np.full(500, 1e-4)
    assert np.array_equal(audio.fade_out_sound(quiet, 0.1), quiet)  # nothing audible: as is


def test_block_peaks_near_the_ends_see_zeros_beyond_them() -> None:
    """The between-sample estimate at the first and last blocks pads with quiet, as
    oversampled_peaks does, whatever the length."""
    rng = np.random.default_rng(9)
    for n in [1, 5, 104, 105, 106, 211, 1000, 1049]:
        x = rng.standard_normal(n) * 0.5
        expected = loudness._blocks(loudness.oversampled_peaks(x), np.max)
        np.testing.assert_allclose(loudness.BlockPeaks(x).above(0.0), expected, rtol=1e-12)


class _Libc:
    def __init__(self) -> None:
        self.trims = 0

    def malloc_trim(self, _pad: int) -> int:
        self.trims += 1
        return 1


def test_a_worker_gives_memory_back_once_it_has_grown_by_more_than_it_may_keep(
        monkeypatch: pytest.MonkeyPatch) -> None:
    libc = _Libc()
    # MB resident at each reading: before a trim is decided, and after one
    resident = iter([100, 100, 110, 120, 104, 200, 150, 160])
    monkeypatch.setattr(render_worker, "_libc", lambda: libc)
    monkeypatch.setattr(render_worker, "_resident_bytes", lambda: next(resident) << 20)
    monkeypatch.setattr(render_worker, "_resident_after_trim", None)
    keep = 16 << 20
    render_worker.give_back_memory(keep)  # the first time: given back (100 after it)
    assert libc.trims == 1
    render_worker.give_back_memory(keep)  # 110: grown by 10 MB, kept
    assert libc.trims == 1
    render_worker.give_back_memory(keep)  # 120: by 20 MB, given back (104 after it)
    assert libc.trims == 2
    render_worker.give_back_memory(keep)  # 200: given back (150 after it)
    assert libc.trims == 3
    render_worker.give_back_memory(keep)  # 160: 10 MB more than after the last, kept
    assert libc.trims == 3


def test_a_worker_without_glibc_does_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(render_worker, "_libc", lambda: None)
    render_worker.give_back_memory()  # no error


def test_a_workers_resident_size_is_read() -> None:
    resident = render_worker._resident_bytes()
    assert resident is not None and 10 << 20 < resident < 4 << 30


FAULTS = """
import resource, sys, wave
from pathlib import Path
import numpy as np
from concurrent.futures import ThreadPoolExecutor
from app.speech import audio, render_worker

class Quiet:  # no engine is needed: the sentence is made here
    pass

render_worker.init_worker(sys.argv[2], lambda name: Quiet(), True)
folder = Path(sys.argv[1])
t = np.arange(3 * audio.SAMPLE_RATE) / audio.SAMPLE_RATE
speech = (0.3 * np.sin(2 * np.pi * 220 * t) * (np.sin(2 * np.pi * 1.5 * t) > 0))
with wave.open(str(folder / "raw.wav"), "wb") as raw:
    raw.setnchannels(1); raw.setsampwidth(2); raw.setframerate(audio.SAMPLE_RATE)
    raw.writeframes((speech * 32767).astype("<i2").tobytes())
helper = ThreadPoolExecutor(1)  # where a worker post-processes (synthesize_chunks)

def sentences(count):
    for n in range(count):
        audio.prepare_chunk(folder / "raw.wav", folder / f"{n}.wav")

helper.submit(sentences, 3).result()
before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
helper.submit(sentences, 20).result()
print((resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before) / 20)
"""


def _faults_a_sentence(folder: Path, engine: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SECUREBASE_HOME": str(folder)}
    out = subprocess.run([sys.executable, "-c", FAULTS, str(folder), engine], cwd=ROOT,
                         capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    return float(out.stdout.split()[-1])


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_an_espeak_worker_keeps_a_sentences_memory_for_the_next_one(tmp_path: Path) -> None:
    """A sentence's arrays (~0.5 MB each) were handed back to the system as they were freed and
    faulted in again by the next sentence: ~500 page faults a sentence (3 s of speech here),
    a third of a sentence's post-processing CPU. Piper's workers keep their own settings."""
    kept = _faults_a_sentence(tmp_path, "espeak")
    assert kept < 50
