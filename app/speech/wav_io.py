"""The pipeline's WAV files: 22,050 Hz mono 16-bit, read and written with `wave` (pydub
converts anything else), always atomically and owner-only; beside each cached sentence its
K-weighted block energies; and the checks a written WAV must pass."""
from __future__ import annotations

import os
import struct
import warnings
import wave
from collections.abc import Iterable
from pathlib import Path

import numpy as np

from app.speech import loudness
from app.speech.loudness import SAMPLE_RATE, Samples, block_energies

with warnings.catch_warnings():
    # pydub warns on import about ffmpeg (unused: WAV only) and audioop; keep terminals clean.
    warnings.simplefilter("ignore")
    from pydub import AudioSegment


def load_wav(path: Path) -> Samples:
    """Any WAV pydub reads, as float mono at SAMPLE_RATE (future engines may differ)."""
    return to_float(load_pcm(path))


def load_pcm(path: Path) -> np.ndarray:
    """The WAV's 16-bit samples, mono at SAMPLE_RATE. The pipeline's own format is read
    directly: pydub's conversions cost more than the file. A whole file in exactly that
    format (the header wav_header writes, for the frames its size holds: the engines' WAVs
    and the pipeline's own) is read in one go, without the wave module's reader."""
    data = path.read_bytes()
    if not len(data) % 2 and data[:_HEADER_BYTES] == wav_header((len(data) - _HEADER_BYTES) // 2):
        return np.frombuffer(data, dtype="<i2", offset=_HEADER_BYTES)
    with wave.open(str(path), "rb") as handle:
        own = (handle.getnchannels(), handle.getsampwidth(), handle.getframerate()) == (
            1, 2, SAMPLE_RATE)
        data = handle.readframes(handle.getnframes()) if own else b""
    if not own:
        segment = AudioSegment.from_wav(str(path))
        data = segment.set_channels(1).set_sample_width(2).set_frame_rate(SAMPLE_RATE).raw_data
    return np.frombuffer(data, dtype="<i2")


def to_float(pcm: np.ndarray, dtype: type[np.floating] = np.float64) -> Samples:
    """16-bit samples as floats in [-1, 1): one array (the scale is a power of two, so the
    product is exactly the quotient x / 32768, in single precision too: 16 bits fit in its
    24). dtype: np.float32 for a sentence's post-processing (prepare_chunk): half the memory
    each of its stages reads and writes."""
    samples = pcm.astype(dtype)
    samples *= 1.0 / 32768.0
    return samples


def to_pcm(samples: Samples, gain: float = 1.0, *, in_place: bool = False) -> np.ndarray:
    """16-bit PCM of `samples * gain`, in one scratch array (a step is megabytes); with
    in_place, `samples` itself is the scratch (for a caller done with them)."""
    scale = 32767.0 * gain
    scaled: np.ndarray = np.multiply(samples, scale, out=samples if in_place else None)
    np.round(scaled, out=scaled)
    np.clip(scaled, -32768, 32767, out=scaled)
    return scaled.astype("<i2")


def to_segment(samples: Samples) -> AudioSegment:
    return AudioSegment(data=to_pcm(samples).tobytes(), sample_width=2, frame_rate=SAMPLE_RATE,
                        channels=1)


def save_wav(samples: Samples, path: Path, *, in_place: bool = False) -> int:
    """Write 22,050 Hz mono 16-bit atomically (readers never see half a file); bytes written.
    in_place: `samples` may be overwritten (the caller is done with them)."""
    pcm = to_pcm(samples, in_place=in_place)
    return write_atomic(path, (wav_header(len(pcm)), pcm.data))


_HEADER_BYTES = 44


def wav_header(frames: int) -> bytes:
    """The 44 bytes the wave module writes before `frames` of 22,050 Hz mono 16-bit PCM (its
    RIFF, fmt and data headers): the pipeline's files are what that module wrote, without
    its writer object, which cost more than the rest of writing a sentence."""
    size = 2 * frames
    return struct.pack("<4sI4s4sIHHIIHH4sI", b"RIFF", 36 + size, b"WAVE", b"fmt ", 16, 1, 1,
                       SAMPLE_RATE, 2 * SAMPLE_RATE, 2, 16, b"data", size)


# A new file, owner-only from its creation (the speech of the person's practices), never one
# already there under the temporary name, nor through a link planted there.
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)


def write_atomic(path: Path, pieces: Iterable[bytes | memoryview]) -> int:
    """Write `pieces` in order to a temporary name, then rename it into place: no reader ever
    sees half a file while the machine runs. Returns the bytes written. `pieces` may be a
    generator, so a long file never needs to be whole in memory.
    The temporary file is made 0600 as it is created (no chmod after), and written with
    plain os.write (no file object): a sentence's two files cost ~0.3 ms of CPU less.
    No fsync, by decision: everything written here can be rebuilt, and
    what a power cut may leave (an empty or cut-short file under its real name) is caught
    before use -- a cached sentence by chunk_cache.usable, a step by its size in the manifest,
    energies by chunk_energies -- and made again. fsync did not change a cold render's time
    here (672 sentences, 2 workers, load 10: ratio 0.97, inside the noise), but it is the
    disk's slowest call (26 ms each on a loaded disk, render._Run.execute) and on ext4 it can
    flush other files' pending data with it: its cost is kept for the journal, which cannot
    be rebuilt."""
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        fd = os.open(temp, _CREATE, 0o600)
    except FileExistsError:  # left by a write of this process id that failed or was ended
        temp.unlink()
        fd = os.open(temp, _CREATE, 0o600)
    size = 0
    try:
        for piece in pieces:
            view = memoryview(piece).cast("B")
            size += len(view)
            while view:
                view = view[os.write(fd, view):]
    finally:
        os.close(fd)
    os.replace(temp, path)
    return size


def energies_path(chunk_wav: Path) -> Path:
    """Beside each cached sentence, its K-weighted block energies (loudness.block_energies)."""
    return chunk_wav.with_suffix(".kw.npy")


def save_energies(energies: np.ndarray, samples: int, chunk_wav: Path) -> None:
    """Written before the sentence's WAV, whose existence is what says "cached"."""
    write_atomic(energies_path(chunk_wav), (np.float64(samples).tobytes(),
                                            np.ascontiguousarray(energies, np.float64).data))


def chunk_energies(chunk_wav: Path, samples: np.ndarray) -> np.ndarray:
    """The sentence's cached block energies, measured again when they are missing, damaged or
    not of these samples (a cache from before they were kept). samples: floats, or the 16-bit
    samples they come from."""
    try:
        data = np.frombuffer(energies_path(chunk_wav).read_bytes(), dtype=np.float64)
    except OSError:
        data = np.zeros(0)
    fits = len(data) == loudness.energy_blocks(len(samples)) + 1 and data[0] == len(samples)
    if fits and np.isfinite(data).all():
        return data[1:]
    return block_energies(to_float(samples) if samples.dtype.kind == "i" else samples)


def check_wav_file(path: Path, min_seconds: float, max_seconds: float, *, sound: bool) -> None:
    """ValueError saying what is wrong unless `path` is a complete 22,050 Hz mono 16-bit WAV
    of plausible length (and not silent when it should hold speech)."""
    with wave.open(str(path), "rb") as wav:
        shape = (wav.getframerate(), wav.getnchannels(), wav.getsampwidth())
        frames = wav.getnframes()
        data = wav.readframes(frames)
    seconds = frames / SAMPLE_RATE
    if shape != (SAMPLE_RATE, 1, 2):
        raise ValueError("it is not 22,050 Hz mono 16-bit")
    if len(data) != 2 * frames:
        raise ValueError("it is incomplete")
    if sound and not np.frombuffer(data, dtype=np.uint8).any():
        raise ValueError("it is silent")
    if not min_seconds <= seconds <= max_seconds:
        raise ValueError(f"{seconds:.1f} s is outside the plausible "
                         f"{min_seconds:.1f}-{max_seconds:.1f} s")


def true_peak_dbfs(source: Path | str | Samples) -> float:
    samples = load_wav(Path(source)) if isinstance(source, (str, Path)) else source
    return loudness.true_peak_dbfs(samples)


def measure_lufs(source: Path | str | AudioSegment | Samples, rate: int = SAMPLE_RATE) -> float:
    """Integrated loudness of a WAV file, a pydub segment or float samples (at `rate`)."""
    if isinstance(source, (str, Path)):
        source = AudioSegment.from_wav(str(source))
    if isinstance(source, AudioSegment):
        scale = float(1 << (8 * source.sample_width - 1))
        channels = [np.array(mono.get_array_of_samples(), dtype=np.float64) / scale
                    for mono in source.split_to_mono()]
        return loudness.gated_loudness(channels, source.frame_rate)
    return loudness.gated_loudness([np.asarray(source, dtype=np.float64)], rate)
