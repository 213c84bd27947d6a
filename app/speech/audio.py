"""Post-processing of synthesized speech: trim, join with natural gaps, fade, normalise.

The per-sample work is numpy because it runs over every second of every step and must not be
the render bottleneck. Loudness and peaks: app/speech/loudness.py; files: app/speech/wav_io.py
(re-exported here).
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import numpy as np

from app.speech import loudness
from app.speech.engine import check_seconds, check_written, plausible_seconds
from app.speech.loudness import integrated_lufs, limit_peaks, placed_lufs
# Part of this module's own vocabulary (callers say audio.SAMPLE_RATE, audio.normalise, ...).
from app.speech.loudness import MAX_TRUE_PEAK_DBFS as MAX_TRUE_PEAK_DBFS
from app.speech.loudness import SAMPLE_RATE as SAMPLE_RATE
from app.speech.loudness import TARGET_LUFS as TARGET_LUFS
from app.speech.loudness import Samples as Samples
from app.speech.loudness import db_to_gain as db_to_gain
from app.speech.loudness import normalise as normalise
from app.storage.privacy import private_folder
from app.speech.text import Chunk, Pause, Speech
# Files (app/speech/wav_io.py), also said as audio.load_wav, audio.save_wav, ...
from app.speech.wav_io import check_wav_file as check_wav_file
from app.speech.wav_io import chunk_energies as chunk_energies
from app.speech.wav_io import energies_path as energies_path
from app.speech.wav_io import load_pcm as load_pcm
from app.speech.wav_io import load_wav as load_wav
from app.speech.wav_io import measure_lufs as measure_lufs
from app.speech.wav_io import save_energies as save_energies
from app.speech.wav_io import save_wav as save_wav
from app.speech.wav_io import to_float as to_float
from app.speech.wav_io import to_pcm as to_pcm
from app.speech.wav_io import to_segment as to_segment
from app.speech.wav_io import true_peak_dbfs as true_peak_dbfs
from app.speech.wav_io import wav_header, write_atomic

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
# ends a word at full level), after the sound, not over it (fade_out_sound): a 0.1 s fade laid
# over the last consonant made a recogniser hear espeak's "and simply breathe." as "...simply
# read." (in 0 of 3 cuts; 3 of 3 right unfaded) and "your lower back" as "lower mag". The
# trim keeps ~0.06 s of espeak's zeros after the sound: room for the whole decay, which ends
# even a full-level vowel ("Thank you.") below -41 dBFS (0.03 s: -27; bench/delivery.py).
CHUNK_FADE_OUT = 0.05
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
# --- chunks -------------------------------------------------------------------------------

def trim_silence(samples: Samples) -> Samples:
    """Cut the engine's edge silence (espeak adds ~0.45 s after each sentence), keeping a
    few ms around the speech so soft onsets and decays are not clipped."""
    return samples[_speech_span(samples, db_to_gain(TRIM_THRESHOLD_DBFS))]


def _speech_span(values: np.ndarray, threshold: float) -> slice:
    """trim_silence's cut, for floats or (threshold scaled by 32768) the 16-bit samples they
    come from: |x| / 32768 > t exactly when |x| > t * 32768 (powers of two scale exactly)."""
    block = int(SAMPLE_RATE * 0.005)
    whole = len(values) // block * block
    rows = [values[:whole].reshape(-1, block)]
    if whole < len(values):
        rows.append(np.pad(values[whole:], (0, block - len(values) + whole))[None, :])
    peaks = [np.maximum(r.max(axis=1).astype(np.float64), -r.min(axis=1).astype(np.float64))
             for r in rows]
    loud = np.flatnonzero(np.concatenate(peaks) > threshold)
    if loud.size == 0:
        return slice(0, 0)
    start = max(0, loud[0] * block - int(TRIM_KEEP_BEFORE * SAMPLE_RATE))
    end = min(len(values), (loud[-1] + 1) * block + int(TRIM_KEEP_AFTER * SAMPLE_RATE))
    return slice(start, end)


def fade_out_sound(samples: Samples, seconds: float) -> Samples:
    """A raised-cosine decay from where the sound ends (its last sample above -60 dBFS), not
    where the file ends: espeak stops words at full level and pads with exact zeros, so a fade
    over the padding would leave the hard stop in place. The decay goes into that padding, a
    mirror image of the sound's last samples fading to zero, so the word keeps every sample:
    a fade laid over its end took ~10 dB off the last consonant ("simply breathe" was heard
    "simply read"). Where the padding is shorter, the rest of the fade lies on the sound."""
    return _fade_out_sound_in_place(samples.copy(), seconds)


def _fade_out_sound_in_place(out: Samples, seconds: float) -> Samples:
    end = _sound_end(out)
    if not end:  # nothing audible: left as it is
        return out
    n = min(end, int(seconds * SAMPLE_RATE))
    ramp = np.cos(np.linspace(0.0, np.pi / 2, n)) ** 2   # 1 down to exactly 0
    after = min(n, len(out) - end)                        # room in the padding
    inside = n - after
    out[end - inside:end] *= ramp[:inside]
    # mirrored, the decay starts from the very sample the sound stops on: no step, no click
    out[end:end + after] = out[end - after:end][::-1] * ramp[inside:]
    out[end + after:] = 0.0
    return out


def _sound_end(samples: Samples, look: int = 4096) -> int:
    """One past the last sample above _SOUND_FLOOR (0 if none), looked for from the end a
    stretch at a time: it is a few ms from the end of a trimmed sentence."""
    for stop in range(len(samples), 0, -look):
        start = max(0, stop - look)
        audible = np.flatnonzero(np.abs(samples[start:stop]) > _SOUND_FLOOR)
        if audible.size:
            return start + int(audible[-1]) + 1
    return 0


def cap_pauses(samples: Samples, longest: float = MAX_INNER_PAUSE) -> Samples:
    """Shorten every quiet stretch inside the speech to `longest` seconds, cutting from its
    middle (the engine's own decay and the next onset stay) with a 2 ms crossfade."""
    block = int(SAMPLE_RATE * 0.005)
    usable = len(samples) // block * block
    if not usable:
        return samples
    peak = float(max(samples.max(), -samples.min()))
    # Each block's mean square, its sum taken by einsum (no array of squares): for samples
    # of 16-bit audio every square and partial sum is exact, so it is the sum mean() takes.
    rows = samples[:usable].reshape(-1, block)
    rms = np.sqrt(np.einsum("ij,ij->i", rows, rows) / block)
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
    # in the pieces' precision: a double ramp would make the joined sentence double
    ramp = np.linspace(0.0, 1.0, overlap, endpoint=False).astype(pieces[0].dtype)
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


def prepare_chunk(raw_wav: Path, out_wav: Path, words: int | None = None, rate: int = 0
                  ) -> float:
    """Engine output -> cached chunk: trimmed, faded at both edges, and already at the target
    loudness under the peak ceiling. Levelling here (in the workers, once per sentence, on
    speech only) leaves each step a cheap final correction. Returns seconds.
    words, rate: the engine's audio is checked to be as long as they imply (SynthesisError),
    on the samples read here: the pipeline trusts no engine's word that its file is complete,
    and reading the file again only to check it was 0.3 ms of a sentence's ~10 ms of CPU.
    Silence is refused below either way."""
    if words is not None:
        check_written(raw_wav)
    pcm = load_pcm(raw_wav)
    if words is not None:
        check_seconds(len(pcm) / SAMPLE_RATE, words, rate)
    # trimmed before it becomes floats (espeak's trailing silence is a tenth of the file),
    # and every stage after that works on arrays of its own: in place, no copies. Single
    # precision (a 16-bit sample's 1 LSB is 3e-5; float32 resolves 6e-8 of full scale):
    # half the memory each stage reads and writes (a sentence is ~100,000 samples).
    speech = to_float(pcm[_speech_span(pcm, db_to_gain(TRIM_THRESHOLD_DBFS) * 32768.0)],
                      np.float32)
    if not len(speech):
        raise ValueError(f"the audio never rises above {TRIM_THRESHOLD_DBFS:g} dBFS")
    samples = _fade_out_sound_in_place(
        _fade_in_place(cap_pauses(speech), CHUNK_FADE_IN, 0.0), CHUNK_FADE_OUT)
    samples, energies = loudness.normalise_measured(samples, ceiling_dbfs=_CHUNK_CEILING_DBFS,
                                                    in_place=True)
    save_energies(energies, len(samples), out_wav)
    save_wav(samples, out_wav, in_place=True)
    return len(samples) / SAMPLE_RATE


# --- steps --------------------------------------------------------------------------------

def layout(chunks: Sequence[Chunk], audio_for: Callable[[Speech], Samples],
           quiet: Callable[[float], Samples] | None = None) -> list[Samples]:
    """Speech audio and silences in order. Between two pieces of speech a natural gap; a pause
    mark replaces the gap (its seconds are the whole quiet between the words).
    quiet: makes the silences (default: `silence`)."""
    quiet = quiet or silence
    parts: list[Samples] = []
    for index, chunk in enumerate(chunks):
        if isinstance(chunk, Pause):
            parts.append(quiet(chunk.seconds))
            continue
        parts.append(audio_for(chunk))
        following = chunks[index + 1] if index + 1 < len(chunks) else None
        if isinstance(following, Speech):
            parts.append(quiet(GAPS[chunk.end]))
    return parts


def silence(seconds: float) -> Samples:
    return np.zeros(int(round(seconds * SAMPLE_RATE)))


def _no_sound(seconds: float) -> Samples:
    """`silence` as a read-only view of one zero: its length, no memory."""
    return np.broadcast_to(np.zeros(1), (int(round(seconds * SAMPLE_RATE)),))


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
    return _corrected(faded, level)


def _corrected(faded: Samples, level: float | None) -> Samples:
    """The step at TARGET_LUFS from its `level` (measured here when None), in place."""
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
    # Sentences stay 16-bit until written: a step's speech is megabytes as floats.
    sentences = [load_pcm(path) for path in chunk_files]
    energy_of = {id(s): chunk_energies(path, s) for path, s in zip(chunk_files, sentences)}
    loaded = iter(sentences)
    parts = layout(chunks, lambda _speech: next(loaded), _no_sound)
    # layout hands the very arrays back: each part is a sentence (by identity) or quiet
    energies = [energy_of.get(id(part)) for part in parts]
    private_folder(out_wav.parent)
    length = len(silence(STEP_LEAD_IN)) + sum(map(len, parts)) + len(silence(STEP_TAIL))
    gain = _plain_gain(parts, energies, length)
    if gain is not None:  # written a sentence at a time: no step-long arrays
        size = _save_parts(parts, energies, gain, length, out_wav)
    else:
        floats = [to_float(part) if energy is not None else part
                  for part, energy in zip(parts, energies, strict=True)]
        size = save_wav(finish_step(floats, energies=energies), out_wav, in_place=True)
    quiet = sum(c.seconds for c in chunks if isinstance(c, Pause)) + STEP_LEAD_IN + STEP_TAIL
    speaking = len(chunk_files) > 0
    low, high = plausible_seconds(words, rate) if speaking else (0.0, 0.0)
    slack = 0.01  # each silence is rounded to whole samples
    check_wav_file(out_wav, quiet + low - slack,
                   quiet + high + GAPS["paragraph"] * len(chunk_files) + slack, sound=speaking)
    return length / SAMPLE_RATE, size


def _plain_gain(parts: Sequence[Samples], energies: Sequence[np.ndarray | None],
                length: int) -> float | None:
    """The gain finish_step gives a step whose loudness is summed from its sentences, when
    that gain is all it does to them: no limiter, and the step fades lying on the quiet
    lead-in and tail, whose samples they leave zero. Else None (finish_step it is)."""
    fades_on_quiet = (len(silence(STEP_LEAD_IN)) >= int(STEP_LEAD_IN * SAMPLE_RATE)
                      and len(silence(STEP_TAIL)) >= int(STEP_FADE * SAMPLE_RATE))
    level = _summed_lufs(parts, energies, length) if fades_on_quiet else None
    if level is None or not math.isfinite(level) or TARGET_LUFS - level > _STEP_BOOST_FREE_DB:
        return None
    return db_to_gain(TARGET_LUFS - level)


def _save_parts(parts: Sequence[Samples], energies: Sequence[np.ndarray | None], gain: float,
                length: int, path: Path) -> int:
    """The step's WAV as finish_step and save_wav write it (the same samples: each sentence
    times `gain`, then as PCM), a sentence at a time between runs of zeros."""
    def pieces() -> Iterator[bytes | memoryview]:
        yield wav_header(length)
        quiet, written = len(silence(STEP_LEAD_IN)), 0   # frames of quiet due, frames out
        for part, energy in zip(parts, energies, strict=True):
            if energy is None:  # quiet (_summed_lufs saw to it)
                quiet += len(part)
                continue
            yield bytes(2 * quiet)
            written += quiet + len(part)
            quiet = 0
            sentence = to_float(part)
            sentence *= gain
            yield to_pcm(sentence, in_place=True).data
        yield bytes(2 * (length - written))

    return write_atomic(path, pieces())
