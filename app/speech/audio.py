"""Post-processing of synthesized speech: trim, join with natural gaps, fade, normalise.

The pipeline's own WAVs (22,050 Hz mono 16-bit) are read and written with `wave`; pydub
converts anything else. The per-sample work is numpy because it runs over every second of
every step and must not be the render bottleneck. Loudness and peaks: app/speech/loudness.py.
"""
from __future__ import annotations

import math
import os
import warnings
import wave
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

from app.speech import loudness
from app.speech.engine import plausible_seconds
from app.speech.loudness import block_energies, integrated_lufs, limit_peaks, placed_lufs
# Part of this module's own vocabulary (callers say audio.SAMPLE_RATE, audio.normalise, ...).
from app.speech.loudness import MAX_TRUE_PEAK_DBFS as MAX_TRUE_PEAK_DBFS
from app.speech.loudness import SAMPLE_RATE as SAMPLE_RATE
from app.speech.loudness import TARGET_LUFS as TARGET_LUFS
from app.speech.loudness import Samples as Samples
from app.speech.loudness import db_to_gain as db_to_gain
from app.speech.loudness import normalise as normalise
from app.storage.privacy import private_folder
from app.speech.text import Chunk, Pause, Speech

with warnings.catch_warnings():
    # pydub warns on import about ffmpeg (unused: WAV only) and audioop; keep terminals clean.
    warnings.simplefilter("ignore")
    from pydub import AudioSegment

# Seconds of quiet after speech. A sentence gap is clearly longer than any pause inside a
# sentence (MAX_INNER_PAUSE), so the listener hears where a thought ends.
GAPS = {"clause": 0.25, "sentence": 0.6, "paragraph": 1.0}
# Pauses the engine makes inside a sentence (Piper's commas: up to 1 s at a calm pace) are
# shortened to this, so "If it feels okay, ..." does not hesitate and then rush.
MAX_INNER_PAUSE = 0.3
_INNER_QUIET_DB = -40.0  # below the sentence's own peak: a pause, not a soft consonant
_SOUND_FLOOR = 0.001     # -60 dBFS: below this a sample counts as silence
CHUNK_FADE_IN = 0.03     # at chunk edges: enough to avoid clicks, short enough to keep onsets
# A sentence end decays over this long rather than stopping hard into silence (espeak often
# ends a word at full level).
CHUNK_FADE_OUT = 0.1
STEP_FADE = 0.3
# The step starts and ends with quiet, so the step fades never touch a word. The lead-in is
# short: it is the wait before the first word after Begin (bench/first_sound.py).
STEP_LEAD_IN = 0.1
STEP_TAIL = 0.5
TRIM_THRESHOLD_DBFS = -50.0
TRIM_KEEP_BEFORE = 0.03  # keep a breath of the engine's own lead-in / decay around speech
TRIM_KEEP_AFTER = 0.06
# Levelled chunks peak lower still: joined into a step they measure ~0.3 LU quieter (gating
# at the gaps), and the step's correction can then boost them without another limiter pass.
_CHUNK_CEILING_DBFS = -2.0
_STEP_BOOST_FREE_DB = MAX_TRUE_PEAK_DBFS - _CHUNK_CEILING_DBFS - 0.2
# --- files --------------------------------------------------------------------------------

def load_wav(path: Path) -> Samples:
    """Any WAV pydub reads, as float mono at SAMPLE_RATE (future engines may differ). The
    pipeline's own format is read directly: pydub's conversions cost more than the file."""
    with wave.open(str(path), "rb") as handle:
        own = (handle.getnchannels(), handle.getsampwidth(), handle.getframerate()) == (
            1, 2, SAMPLE_RATE)
        data = handle.readframes(handle.getnframes()) if own else b""
    if not own:
        segment = AudioSegment.from_wav(str(path))
        data = segment.set_channels(1).set_sample_width(2).set_frame_rate(SAMPLE_RATE).raw_data
    return np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768.0


def to_pcm(samples: Samples, gain: float = 1.0) -> bytes:
    """16-bit PCM of `samples * gain`, in one scratch array (a step is megabytes)."""
    scaled = samples * (32767.0 * gain)
    np.round(scaled, out=scaled)
    np.clip(scaled, -32768, 32767, out=scaled)
    return scaled.astype("<i2").tobytes()


def to_segment(samples: Samples) -> AudioSegment:
    return AudioSegment(data=to_pcm(samples), sample_width=2, frame_rate=SAMPLE_RATE,
                        channels=1)


def save_wav(samples: Samples, path: Path) -> int:
    """Write 22,050 Hz mono 16-bit atomically (readers never see half a file); bytes written."""
    def write(temp: Path) -> None:
        with wave.open(str(temp), "wb") as handle:
            handle.setnchannels(1)
            handle.setsampwidth(2)
            handle.setframerate(SAMPLE_RATE)
            handle.writeframes(to_pcm(samples))

    return _write_atomic(path, write)


def _write_atomic(path: Path, write: Callable[[Path], object]) -> int:
    temp = path.with_name(f".{path.name}.{os.getpid()}.part")
    write(temp)
    os.chmod(temp, 0o600)           # speech of the person's practices: owner-only
    os.replace(temp, path)
    return path.stat().st_size


def energies_path(chunk_wav: Path) -> Path:
    """Beside each cached sentence, its K-weighted block energies (loudness.block_energies)."""
    return chunk_wav.with_suffix(".kw.npy")


def save_energies(energies: np.ndarray, samples: int, chunk_wav: Path) -> None:
    """Written before the sentence's WAV, whose existence is what says "cached"."""
    data = np.concatenate([[float(samples)], energies])
    _write_atomic(energies_path(chunk_wav), lambda temp: temp.write_bytes(data.tobytes()))


def chunk_energies(chunk_wav: Path, samples: Samples) -> np.ndarray:
    """The sentence's cached block energies, measured again when they are missing, damaged or
    not of these samples (a cache from before they were kept)."""
    try:
        data = np.frombuffer(energies_path(chunk_wav).read_bytes(), dtype=np.float64)
    except OSError:
        data = np.zeros(0)
    fits = len(data) == loudness.energy_blocks(len(samples)) + 1 and data[0] == len(samples)
    if fits and np.isfinite(data).all():
        return data[1:]
    return block_energies(samples)


# --- chunks -------------------------------------------------------------------------------

def trim_silence(samples: Samples) -> Samples:
    """Cut the engine's edge silence (espeak adds ~0.45 s after each sentence), keeping a
    few ms around the speech so soft onsets and decays are not clipped."""
    block = int(SAMPLE_RATE * 0.005)
    padded = np.pad(np.abs(samples), (0, -len(samples) % block))
    loud = np.flatnonzero(padded.reshape(-1, block).max(axis=1) > db_to_gain(TRIM_THRESHOLD_DBFS))
    if loud.size == 0:
        return samples[:0]
    start = max(0, loud[0] * block - int(TRIM_KEEP_BEFORE * SAMPLE_RATE))
    end = min(len(samples), (loud[-1] + 1) * block + int(TRIM_KEEP_AFTER * SAMPLE_RATE))
    return samples[start:end]


def fade_out_sound(samples: Samples, seconds: float) -> Samples:
    """A raised-cosine fade ending where the sound ends (its last sample above -60 dBFS), not
    where the file ends: espeak stops words at full level and pads with exact zeros, so a fade
    over the padding would leave the hard stop in place."""
    audible = np.flatnonzero(np.abs(samples) > _SOUND_FLOOR)
    if not audible.size:
        return samples
    end = int(audible[-1]) + 1
    n = min(end, int(seconds * SAMPLE_RATE))
    out = samples.copy()
    out[end - n:end] *= np.cos(np.linspace(0.0, np.pi / 2, n)) ** 2
    out[end:] = 0.0
    return out


def cap_pauses(samples: Samples, longest: float = MAX_INNER_PAUSE) -> Samples:
    """Shorten every quiet stretch inside the speech to `longest` seconds, cutting from its
    middle (the engine's own decay and the next onset stay) with a 2 ms crossfade."""
    block = int(SAMPLE_RATE * 0.005)
    usable = len(samples) // block * block
    if not usable:
        return samples
    peak = float(np.abs(samples).max())
    rms = np.sqrt((samples[:usable].reshape(-1, block) ** 2).mean(axis=1))
    quiet = rms < peak * db_to_gain(_INNER_QUIET_DB)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], quiet.astype(np.int8), [0]])))
    keep_each = int(longest * SAMPLE_RATE) // 2
    pieces, position = [], 0
    for start, end in zip(edges[::2] * block, edges[1::2] * block):
        if end - start <= 2 * keep_each or start == 0 or end >= usable:
            continue  # short enough, or the edge silence (trim_silence's business)
        pieces.append(samples[position:start + keep_each])
        position = end - keep_each
    if not pieces:
        return samples
    pieces.append(samples[position:])
    return _crossfade_join(pieces, int(SAMPLE_RATE * 0.002))


def _crossfade_join(pieces: list[Samples], overlap: int) -> Samples:
    """Pieces joined end to start, each seam a linear crossfade over `overlap` samples (where
    the output so far or the piece is shorter, simply appended). One final concatenation:
    re-joining the whole output at every seam cost more than the rest of a sentence's work."""
    ramp = np.linspace(0.0, 1.0, overlap, endpoint=False)
    done: list[Samples] = []    # output settled before `tail`, which the next seam may mix
    tail = pieces[0]
    for piece in pieces[1:]:
        while len(tail) < overlap and done:
            tail = np.concatenate([done.pop(), tail])
        if len(tail) < overlap or len(piece) < overlap:
            done.append(tail)
            tail = piece
            continue
        done += [tail[:-overlap], tail[-overlap:] * (1 - ramp) + piece[:overlap] * ramp]
        tail = piece[overlap:]
    return np.concatenate([*done, tail])


def fade(samples: Samples, fade_in: float, fade_out: float) -> Samples:
    """Fades from and to exact zero, so no click. The fade-in is a quarter sine: espeak often
    starts a vowel at full level on sample 0, and this shape lets it through sooner (-6 dB
    after a third of the fade) than a raised cosine would. The fade-out is a raised cosine."""
    return _fade_in_place(samples.copy(), fade_in, fade_out)


def _fade_in_place(out: Samples, fade_in: float, fade_out: float) -> Samples:
    for seconds, power, edge in ((fade_in, 1, slice(None)), (fade_out, 2, slice(None, None, -1))):
        n = min(len(out), int(seconds * SAMPLE_RATE))
        if n > 0:
            view = out[edge]
            view[:n] *= np.sin(np.linspace(0.0, np.pi / 2, n, endpoint=False)) ** power
    return out


def prepare_chunk(raw_wav: Path, out_wav: Path) -> float:
    """Engine output -> cached chunk: trimmed, faded at both edges, and already at the target
    loudness under the peak ceiling. Levelling here (in the workers, once per sentence, on
    speech only) leaves each step a cheap final correction. Returns seconds."""
    samples = fade_out_sound(fade(cap_pauses(trim_silence(load_wav(raw_wav))), CHUNK_FADE_IN, 0.0),
                             CHUNK_FADE_OUT)
    if not len(samples):
        raise ValueError(f"the audio never rises above {TRIM_THRESHOLD_DBFS:g} dBFS")
    samples, energies = loudness.normalise_measured(samples, ceiling_dbfs=_CHUNK_CEILING_DBFS)
    save_energies(energies, len(samples), out_wav)
    save_wav(samples, out_wav)
    return len(samples) / SAMPLE_RATE


# --- steps --------------------------------------------------------------------------------

def layout(chunks: Sequence[Chunk], audio_for: Callable[[Speech], Samples]) -> list[Samples]:
    """Speech audio and silences in order. Between two pieces of speech a natural gap; a pause
    mark replaces the gap (its seconds are the whole quiet between the words)."""
    parts: list[Samples] = []
    for index, chunk in enumerate(chunks):
        if isinstance(chunk, Pause):
            parts.append(silence(chunk.seconds))
            continue
        parts.append(audio_for(chunk))
        following = chunks[index + 1] if index + 1 < len(chunks) else None
        if isinstance(following, Speech):
            parts.append(silence(GAPS[chunk.end]))
    return parts


def silence(seconds: float) -> Samples:
    return np.zeros(int(round(seconds * SAMPLE_RATE)))


def finish_step(parts: Sequence[Samples], tail: float = STEP_TAIL,
                energies: Sequence[np.ndarray | None] | None = None) -> Samples:
    """Join, add quiet lead-in and tail with step fades, and correct the (already levelled)
    chunks to TARGET_LUFS for the step as a whole, under the peak cap. With no tail (the head
    of a step, lead.py) there is no closing fade either: the rest of the step follows.
    energies: per part, its block energies (sentences) or None (quiet); the step's loudness
    is then summed from them, not measured again (the fades lie on quiet)."""
    joined = np.concatenate([silence(STEP_LEAD_IN), *parts, silence(tail)])
    faded = _fade_in_place(joined, STEP_LEAD_IN, STEP_FADE if tail else 0.0)  # a fresh array
    level = _summed_lufs(parts, energies, len(joined)) if energies is not None else None
    if level is None:
        level = integrated_lufs(faded)
    if not math.isfinite(level):
        return faded
    gain_db = TARGET_LUFS - level
    corrected = faded
    corrected *= db_to_gain(gain_db)
    # Chunks peak at most at their ceiling: a boost within the margin stays legal.
    return limit_peaks(corrected) if gain_db > _STEP_BOOST_FREE_DB else corrected


def _summed_lufs(parts: Sequence[Samples], energies: Sequence[np.ndarray | None],
                 length: int) -> float | None:
    placed, offset = [], len(silence(STEP_LEAD_IN))
    for part, energy in zip(parts, energies, strict=True):
        if energy is not None:
            placed.append((offset, len(part), energy))
        elif part.any():  # sound without energies: measure the step itself
            return None
        offset += len(part)
    return placed_lufs(placed, length)


def render_step(chunks: Sequence[Chunk], chunk_files: Sequence[Path], out_wav: Path, *,
                words: int, rate: int) -> tuple[float, int]:
    """Assemble a step from its cached chunk WAVs (one per Speech, in order), write it and
    check the file against what its words and quiet imply. Returns (seconds, bytes)."""
    sentences = [load_wav(path) for path in chunk_files]
    energy_of = {id(s): chunk_energies(path, s) for path, s in zip(chunk_files, sentences)}
    loaded = iter(sentences)
    parts = layout(chunks, lambda _speech: next(loaded))
    # layout hands the very arrays back: each part is a sentence (by identity) or quiet
    samples = finish_step(parts, energies=[energy_of.get(id(part)) for part in parts])
    private_folder(out_wav.parent)
    size = save_wav(samples, out_wav)
    quiet = sum(c.seconds for c in chunks if isinstance(c, Pause)) + STEP_LEAD_IN + STEP_TAIL
    speaking = len(chunk_files) > 0
    low, high = plausible_seconds(words, rate) if speaking else (0.0, 0.0)
    slack = 0.01  # each silence is rounded to whole samples
    check_wav_file(out_wav, quiet + low - slack,
                   quiet + high + GAPS["paragraph"] * len(chunk_files) + slack, sound=speaking)
    return len(samples) / SAMPLE_RATE, size


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
    if sound and not data.strip(b"\x00"):
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
