"""Post-processing: loudness (BS.1770), true peak, trimming, fades, joining."""
from __future__ import annotations

import math
import wave
from pathlib import Path

import numpy as np
import pytest

from app.speech import audio, loudness
from app.speech.text import Pause, Speech

RATE = audio.SAMPLE_RATE


def tone(seconds: float, amplitude: float = 0.5, freq: float = 1000.0, rate: int = RATE
         ) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    return amplitude * np.sin(2 * np.pi * freq * t)


def speechlike(seconds: float, seed: int = 0) -> np.ndarray:
    """Bursts of harmonic sound with silences, roughly as peaky as speech."""
    rng = np.random.default_rng(seed)
    t = np.arange(int(seconds * RATE)) / RATE
    voice = sum(np.sin(2 * np.pi * 140 * k * t + rng.random() * 6) / k for k in range(1, 12))
    envelope = np.repeat(rng.random(int(seconds * 10) + 1) > 0.3, RATE // 10)[:len(t)]
    return 0.2 * voice * envelope


def test_k_weighting_matches_the_bs1770_coefficients_at_48k() -> None:
    (b1, a1), (b2, a2) = loudness.k_weighting(48_000)
    np.testing.assert_allclose(b1, [1.53512485958697, -2.69169618940638, 1.19839281085285],
                               atol=1e-8)
    np.testing.assert_allclose(a1, [1.0, -1.69065929318241, 0.73248077421585], atol=1e-8)
    np.testing.assert_allclose(b2, [1.0, -2.0, 1.0])
    np.testing.assert_allclose(a2, [1.0, -1.99004745483398, 0.99007225036621], atol=1e-8)


def test_full_scale_sine_reads_minus_3_lufs() -> None:
    # BS.1770: a 0 dBFS 997 Hz sine in one channel reads -3.01 LKFS.
    assert audio.measure_lufs(tone(5, 1.0, 997, 48_000), 48_000) == pytest.approx(-3.01, abs=0.02)
    assert audio.measure_lufs(tone(5, 1.0, 997)) == pytest.approx(-3.01, abs=0.1)
    assert audio.measure_lufs(tone(5, 0.1, 997)) == pytest.approx(-23.01, abs=0.1)


def test_gating_ignores_silence() -> None:
    speech = tone(12, 0.1)
    padded = np.concatenate([np.zeros(10 * RATE), speech, np.zeros(10 * RATE)])
    # Only the few blocks straddling the edges pass the gates partly silent.
    assert audio.measure_lufs(padded) == pytest.approx(audio.measure_lufs(speech), abs=0.2)
    assert audio.measure_lufs(np.zeros(3 * RATE)) == -math.inf
    assert audio.measure_lufs(tone(0.2)) == -math.inf  # shorter than one 400 ms block


def test_measure_lufs_reads_files_and_segments(tmp_path: Path) -> None:
    path = tmp_path / "tone.wav"
    audio.save_wav(tone(3, 0.25), path)
    from_file = audio.measure_lufs(path)
    assert from_file == pytest.approx(audio.measure_lufs(tone(3, 0.25)), abs=0.01)
    segment = audio.to_segment(tone(3, 0.25))
    stereo = segment.set_channels(2)  # two equal channels: 3 dB louder than one
    assert audio.measure_lufs(stereo) == pytest.approx(from_file + 3.01, abs=0.05)


def test_true_peak_sees_between_samples() -> None:
    # fs/4 at 45 degrees: every sample is at 0.707, the wave itself peaks at 1.0.
    t = np.arange(RATE) / RATE
    wave_ = np.sin(2 * np.pi * RATE / 4 * t + np.pi / 4)
    assert 20 * math.log10(np.abs(wave_).max()) == pytest.approx(-3.01, abs=0.01)
    assert audio.true_peak_dbfs(wave_) == pytest.approx(0.0, abs=0.2)


def test_normalise_reaches_target_under_the_peak_cap() -> None:
    for seed, gain in ((1, 0.1), (2, 1.5)):  # quiet and too loud
        out = loudness.normalise(speechlike(20, seed) * gain)
        assert audio.measure_lufs(out) == pytest.approx(audio.TARGET_LUFS, abs=0.3)
        assert audio.true_peak_dbfs(out) < audio.MAX_TRUE_PEAK_DBFS


def test_limiter_only_touches_loud_passages() -> None:
    quiet, loud = tone(1, 0.1), tone(0.5, 1.2)
    out = loudness.limit_peaks(np.concatenate([quiet, loud, quiet]))
    assert audio.true_peak_dbfs(out) < -1.0
    np.testing.assert_allclose(out[:RATE // 2], quiet[:RATE // 2])  # far from the peak: as is


def test_trim_keeps_a_little_air_around_speech() -> None:
    core = tone(1.0, 0.3)
    raw = np.concatenate([np.zeros(RATE // 2), core, np.zeros(RATE)])
    trimmed = audio.trim_silence(raw)
    expected = len(core) + (audio.TRIM_KEEP_BEFORE + audio.TRIM_KEEP_AFTER) * RATE
    assert len(trimmed) == pytest.approx(expected, abs=0.011 * RATE)
    assert len(audio.trim_silence(np.zeros(RATE))) == 0


def test_fades_start_and_end_at_zero_without_clicks() -> None:
    faded = audio.fade(np.full(RATE, 0.5), audio.CHUNK_FADE_IN, audio.CHUNK_FADE_OUT)
    assert faded[0] == 0 and abs(faded[-1]) < 1e-3
    steepest = 0.5 * math.pi / (2 * audio.CHUNK_FADE_IN * RATE)  # of 0.5 * sin^2 over the fade
    assert np.abs(np.diff(faded)).max() < 1.01 * steepest
    assert faded[RATE // 2] == 0.5


def test_layout_gaps_and_pauses() -> None:
    one = np.ones(RATE)
    parts = audio.layout([Speech("A.", "clause"), Speech("B."), Speech("C.", "paragraph"),
                          Speech("D."), Pause(2.0), Speech("E.")], lambda _s: one)
    lengths = [len(p) / RATE for p in parts]
    assert lengths == pytest.approx([1, audio.GAPS["clause"], 1, audio.GAPS["sentence"], 1,
                                     audio.GAPS["paragraph"], 1, 2.0, 1], abs=1 / RATE)


def test_render_step_writes_a_checked_quiet_led_wav(tmp_path: Path) -> None:
    chunk_files = []
    for index, seconds in enumerate((1.2, 0.8)):
        raw = tmp_path / f"raw{index}.wav"
        audio.save_wav(np.concatenate([np.zeros(RATE // 4), speechlike(seconds, index)]), raw)
        chunk_files.append(tmp_path / f"chunk{index}.wav")
        audio.prepare_chunk(raw, chunk_files[-1])
    out = tmp_path / "step.wav"
    chunks = [Speech("Breathe in and notice."), Pause(1.0), Speech("Rest now.")]
    seconds, size = audio.render_step(chunks, chunk_files, out, words=6, rate=140)
    with wave.open(str(out)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (RATE, 1, 2)
        assert wav.getnframes() / RATE == pytest.approx(seconds)
    assert size == out.stat().st_size
    samples = audio.load_wav(out)
    lead = int(audio.STEP_LEAD_IN * RATE)
    assert np.abs(samples[:lead]).max() < 1e-3  # the step fade lies on quiet, not on a word
    assert audio.measure_lufs(out) == pytest.approx(audio.TARGET_LUFS, abs=0.5)
    with pytest.raises(ValueError, match="plausible"):  # 6 s of words cannot fit in 3.6 s
        audio.render_step(chunks, chunk_files, out, words=60, rate=140)


def _tone(seconds: float, level: float = 0.3) -> np.ndarray:
    t = np.arange(int(seconds * audio.SAMPLE_RATE)) / audio.SAMPLE_RATE
    return level * np.sin(2 * np.pi * 220 * t)


def test_long_pauses_inside_a_sentence_are_shortened_and_short_ones_kept() -> None:
    gap = np.zeros(int(1.0 * audio.SAMPLE_RATE))
    short = np.zeros(int(0.15 * audio.SAMPLE_RATE))
    sentence = np.concatenate([_tone(0.5), gap, _tone(0.4), short, _tone(0.3)])
    capped = audio.cap_pauses(sentence)
    removed = (len(sentence) - len(capped)) / audio.SAMPLE_RATE
    assert removed == pytest.approx(1.0 - audio.MAX_INNER_PAUSE, abs=0.02)
    assert audio.MAX_INNER_PAUSE < audio.GAPS["sentence"] * 0.6
    assert np.array_equal(audio.cap_pauses(_tone(1.0)), _tone(1.0))


def test_a_word_that_stops_hard_fades_out_before_the_silence() -> None:
    hard = np.concatenate([_tone(0.5, 0.5), np.zeros(int(0.06 * audio.SAMPLE_RATE))])
    faded = audio.fade_out_sound(hard, audio.CHUNK_FADE_OUT)
    end = int(np.flatnonzero(np.abs(faded) > 0.001)[-1]) + 1  # where the sound now ends
    last_5ms = faded[end - int(0.005 * audio.SAMPLE_RATE):end]
    assert 20 * np.log10(np.sqrt(np.mean(last_5ms ** 2))) < -35
    stop = int(0.5 * audio.SAMPLE_RATE)
    assert 20 * np.log10(np.sqrt(np.mean(hard[stop - 110:stop] ** 2))) > -10  # it was hard
    assert len(faded) == len(hard) and end > stop  # the decay went into the padding
    # no click where the decay begins: no step bigger than the tone's own
    assert np.abs(np.diff(faded)).max() <= np.abs(np.diff(hard[:stop])).max() + 1e-9


def test_with_no_padding_the_fade_lies_on_the_sound() -> None:
    flush = _tone(0.5, 0.5)[:-int(0.0005 * audio.SAMPLE_RATE)]  # stops mid-wave, no room
    faded = audio.fade_out_sound(flush, audio.CHUNK_FADE_OUT)
    assert abs(faded[-1]) < 1e-6 and len(faded) == len(flush)
    tail = faded[-int(0.005 * audio.SAMPLE_RATE):]
    assert 20 * np.log10(np.sqrt(np.mean(tail ** 2))) < -35


def _level_db(samples: np.ndarray) -> float:
    return 10 * float(np.log10(np.mean(samples ** 2)))


def test_the_sentence_end_fade_leaves_the_last_consonant_audible() -> None:
    """A vowel, then a soft final consonant (a 60 ms hiss, as the "th" of "breathe") that
    stops hard: the fade takes the click, not the consonant (0.1 s took 9 dB off it, and a
    recogniser heard espeak's "simply breathe" as "simply read")."""
    rng = np.random.default_rng(3)
    consonant = 0.05 * rng.standard_normal(int(0.06 * RATE))
    word = np.concatenate([_tone(0.3, 0.5), consonant, np.zeros(int(0.05 * RATE))])
    faded = audio.fade_out_sound(word, audio.CHUNK_FADE_OUT)
    where = slice(int(0.3 * RATE), int(0.36 * RATE))
    assert _level_db(faded[where]) > _level_db(word[where]) - 3.0
    assert np.array_equal(faded[:where.start], word[:where.start])  # the vowel untouched


def test_block_peaks_are_the_oversampled_peaks_wherever_a_level_could_be_reached() -> None:
    """The limiter's peaks skip the interpolation only where it cannot matter."""
    rng = np.random.default_rng(5)
    for _ in range(40):
        n = int(rng.integers(1, 30_000))
        x = rng.standard_normal(n) * rng.uniform(0.01, 0.6) * np.sin(
            np.linspace(0, rng.uniform(1, 40), n)) ** 2
        full = loudness._blocks(loudness.oversampled_peaks(x), np.max)
        assert np.allclose(loudness.BlockPeaks(x).above(0.0), full)
        level = float(rng.uniform(0.05, 0.7))
        some = loudness.BlockPeaks(x).above(level)
        assert np.allclose(loudness._limiter_gains(some, level),
                           loudness._limiter_gains(full, level))


def test_crossfade_join_is_seam_by_seam_mixing() -> None:
    def one_seam_at_a_time(pieces: list[np.ndarray], overlap: int) -> np.ndarray:
        out, ramp = pieces[0], np.linspace(0.0, 1.0, overlap, endpoint=False)
        for piece in pieces[1:]:
            if len(out) < overlap or len(piece) < overlap:
                out = np.concatenate([out, piece])
            else:
                out = np.concatenate([out[:-overlap], out[-overlap:] * (1 - ramp)
                                      + piece[:overlap] * ramp, piece[overlap:]])
        return out

    rng = np.random.default_rng(6)
    for _ in range(500):
        pieces = [rng.standard_normal(int(rng.integers(0, 120)))
                  for _ in range(int(rng.integers(1, 7)))]
        assert np.allclose(audio._crossfade_join(pieces, 44), one_seam_at_a_time(pieces, 44))


def test_wavs_are_written_as_pydub_wrote_them_and_read_back(tmp_path) -> None:
    samples = np.sin(np.arange(5000) / 7.0) * 0.5
    ours = tmp_path / "ours.wav"
    audio.save_wav(samples, ours)
    theirs = tmp_path / "theirs.wav"
    audio.to_segment(samples).export(str(theirs), format="wav")
    assert ours.read_bytes() == theirs.read_bytes()
    assert np.abs(audio.load_wav(ours) - samples).max() < 1 / 32768
    stereo = tmp_path / "stereo.wav"       # another engine's format: converted by pydub
    audio.to_segment(samples).set_channels(2).set_frame_rate(44_100).export(str(stereo),
                                                                           format="wav")
    assert abs(len(audio.load_wav(stereo)) - len(samples)) <= 1


def _placed_step(seed: int, gaps: list[int]) -> tuple[list[np.ndarray], list[np.ndarray | None]]:
    """Levelled sentences of odd lengths with quiet between them, and their energies."""
    parts: list[np.ndarray] = []
    energies: list[np.ndarray | None] = []
    rng = np.random.default_rng(seed)
    for index, gap in enumerate(gaps):
        sentence, energy = loudness.normalise_measured(
            speechlike(float(rng.uniform(0.3, 3.0)), seed * 10 + index) * rng.uniform(0.2, 2.0),
            ceiling_dbfs=-2.0)
        parts += [sentence, np.zeros(gap)]
        energies += [energy, None]
    return parts, energies


def test_a_steps_loudness_summed_from_its_sentences_is_its_measured_loudness() -> None:
    """The step's K-weighting is not done again: its sentences' cached block energies, placed
    at their offsets (any sample, not only block edges), give the same integrated loudness."""
    for seed in range(12):
        rng = np.random.default_rng(100 + seed)
        gaps = [int(rng.integers(2100, 30_000)) for _ in range(int(rng.integers(1, 7)))]
        parts, energies = _placed_step(seed, gaps)
        joined = np.concatenate([audio.silence(audio.STEP_LEAD_IN), *parts,
                                 audio.silence(audio.STEP_TAIL)])
        summed = audio._summed_lufs(parts, energies, len(joined))
        assert summed is not None
        assert summed == pytest.approx(loudness.integrated_lufs(joined), abs=0.03)
        np.testing.assert_allclose(audio.finish_step(parts, energies=energies),
                                   audio.finish_step(parts), atol=2e-4)


def test_sentences_without_quiet_between_them_are_measured_as_a_whole() -> None:
    parts, energies = _placed_step(3, [50, 5000])  # 50 samples: the filters' responses overlap
    joined = np.concatenate([audio.silence(audio.STEP_LEAD_IN), *parts,
                             audio.silence(audio.STEP_TAIL)])
    assert audio._summed_lufs(parts, energies, len(joined)) is None
    assert audio._summed_lufs([np.ones(10)], [None], len(joined)) is None  # sound, no energies
    out = audio.finish_step(parts, energies=energies)
    assert loudness.integrated_lufs(out) == pytest.approx(audio.TARGET_LUFS, abs=0.05)


def test_cached_sentences_keep_their_energies_and_damaged_ones_are_measured_again(
        tmp_path: Path) -> None:
    raw, chunk = tmp_path / "raw.wav", tmp_path / "chunk.wav"
    audio.save_wav(np.concatenate([np.zeros(RATE // 4), speechlike(1.7, 4)]), raw)
    audio.prepare_chunk(raw, chunk)
    samples = audio.load_wav(chunk)
    kept = audio.energies_path(chunk)
    assert kept.stat().st_mode & 0o777 == 0o600
    measured = loudness.block_energies(samples)
    cached = audio.chunk_energies(chunk, samples)
    # Kept from before the 16-bit rounding, with the limiter's gain per block: the same
    # energies within a few per cent where there is sound, and the same loudness.
    assert len(cached) == len(measured)
    np.testing.assert_allclose(cached, measured, rtol=0.05, atol=1e-4 * measured.max())
    assert loudness._block_loudness(cached) == pytest.approx(
        loudness._block_loudness(measured), abs=0.02)
    kept.write_bytes(kept.read_bytes()[:-8])  # cut short
    np.testing.assert_array_equal(audio.chunk_energies(chunk, samples), measured)
    kept.unlink()
    np.testing.assert_array_equal(audio.chunk_energies(chunk, samples), measured)


def test_a_step_is_levelled_from_its_sentences_without_k_weighting_it_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    chunk_files = []
    for index, seconds in enumerate((1.4, 0.9, 2.2)):
        raw = tmp_path / f"raw{index}.wav"
        audio.save_wav(np.concatenate([np.zeros(RATE // 4), speechlike(seconds, 7 + index)]), raw)
        chunk_files.append(tmp_path / f"chunk{index}.wav")
        audio.prepare_chunk(raw, chunk_files[-1])
    chunks = [Speech("Breathe in and notice."), Speech("Rest now.", "paragraph"), Pause(2.0),
              Speech("And again, slowly.")]
    sentences = iter([audio.load_wav(path) for path in chunk_files])
    measured = audio.finish_step(audio.layout(chunks, lambda _speech: next(sentences)))

    def not_again(*_args: object) -> float:
        raise AssertionError("the whole step was K-weighted again")

    monkeypatch.setattr(audio, "integrated_lufs", not_again)
    out = tmp_path / "summed.wav"
    audio.render_step(chunks, chunk_files, out, words=9, rate=140)
    summed = audio.load_wav(out)
    assert audio.measure_lufs(summed) == pytest.approx(audio.TARGET_LUFS, abs=0.05)
    assert len(summed) == len(measured)  # the same step, levelled within 0.03 dB of measuring it
    gain_db = 20 * math.log10(np.abs(summed).max() / np.abs(measured).max())
    assert gain_db == pytest.approx(0.0, abs=0.03)


def test_limiter_gains_reach_every_sample_as_a_line_between_block_centres() -> None:
    """Drawn only where a gain is below 1, the same as np.interp over every sample."""
    rng = np.random.default_rng(11)
    block = loudness._BLOCK
    for _ in range(200):
        blocks = int(rng.integers(1, 40))
        gains = np.minimum(1.0, rng.uniform(0.3, 1.6, blocks))
        length = int(rng.integers(max(1, (blocks - 1) * block), blocks * block + 1))
        samples = rng.standard_normal(length)
        centres = np.arange(blocks) * block + block / 2
        expected = samples * 0.7 * np.interp(np.arange(len(samples)), centres, gains)
        np.testing.assert_allclose(loudness._scaled(samples, 0.7, gains), expected, atol=1e-12)
    assert np.array_equal(loudness._scaled(np.ones(5), 2.0, np.ones(1)), np.full(5, 2.0))


def test_a_sentence_is_levelled_in_place_in_its_own_precision() -> None:
    """prepare_chunk is done with its samples: they are levelled where they are (no copy of
    a sentence), single stays single, and the result is the one a copy would get."""
    samples = (speechlike(2.0, 5) * 0.9).astype(np.float32)
    copied, copied_energies = loudness.normalise_measured(samples.copy(), ceiling_dbfs=-2.0)
    levelled, energies = loudness.normalise_measured(samples, ceiling_dbfs=-2.0, in_place=True)
    assert levelled is samples and levelled.dtype == np.float32
    assert np.array_equal(levelled, copied) and np.array_equal(energies, copied_energies)
    assert loudness.true_peak_dbfs(levelled.astype(np.float64)) <= -2.0 + 0.01
