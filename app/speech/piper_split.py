"""Piper's voice model in two parts, so its decoder can run a window at a time.

A Piper (VITS) voice turns phonemes into a latent sequence (~86 frames a second: text encoder,
duration predictor, flow), then its decoder (HiFi-GAN) turns those frames into samples, 256 per
frame. The decoder's intermediate tensors are per sample: run on a whole sentence it needs
~33 MB of memory for each second of speech (a 15 s sentence: +300 MB, measured with
/proc/self/status VmHWM). It is a stack of convolutions, so each sample depends only on frames
nearby: decoding the latent in windows with a margin of MARGIN frames each side, and keeping each
window's middle, gives the same samples (bit-identical in the tests, noise off) for a bounded,
length-independent peak (~35 MB) - and no slower (smaller tensors stay in cache).

onnxruntime runs only whole graphs, so the model is split here into an encoder graph (model
inputs -> the decoder's input) and a decoder graph (that tensor -> the model's output), by
rewriting the model file's protobuf directly: nodes and weights are copied byte for byte, only
the graph's inputs and outputs are new. No `onnx` package is needed, and nothing is copied
that the graph does not use. A model this code does not recognise is left whole (split() raises
NotSplittable and the caller uses the model as it is).
"""
from __future__ import annotations

import hashlib
import json
import mmap
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from app.storage.files import write_private
from app.storage.privacy import private_folder

# Piper's exporter (VITS) names the decoder's first layer so; its first input is the latent.
DECODER_FIRST_NODE = "/dec/conv_pre/Conv"
HOP = 256          # samples per latent frame (the decoder's upsampling: 8 * 8 * 4)
WINDOW = 64        # frames decoded per run (~0.74 s of speech; ~35 MB peak with the margin)
MARGIN = 16        # frames of context each side: beyond the decoder's reach (8 already differs
                   # by 1e-3; 16 by < 1e-6), and cheap at 64-frame windows

_VARINT, _I64, _LEN, _I32 = 0, 1, 2, 5
# Field numbers from onnx.proto (stable since IR version 3).
_MODEL_GRAPH = 7
_GRAPH_NODE, _GRAPH_NAME, _GRAPH_INITIALIZER = 1, 2, 5
_GRAPH_INPUT, _GRAPH_OUTPUT, _GRAPH_SPARSE_INITIALIZER = 11, 12, 15
_NODE_INPUT, _NODE_OUTPUT, _NODE_NAME, _NODE_ATTRIBUTE = 1, 2, 3, 5
_ATTRIBUTE_GRAPH, _ATTRIBUTE_GRAPHS = 6, 11
_TENSOR_NAME = 8
_VALUE_INFO_NAME = 1
_FLOAT = 1
SPLIT_VERSION = 1  # bump when the split files would come out different

Piece = bytes | memoryview


class NotSplittable(ValueError):
    """The model is not a Piper voice this module knows how to split."""


@dataclass(frozen=True)
class _Field:
    number: int
    wire: int
    start: int     # the field's first byte (its key)
    end: int       # one past its last byte
    value: int     # a varint's value, or where a length-delimited payload starts


def _varint(data: memoryview, at: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if at >= len(data):
            raise NotSplittable("the model file ends inside a number")
        byte = data[at]
        result |= (byte & 0x7F) << shift
        at += 1
        if not byte & 0x80:
            return result, at
        shift += 7


def _fields(data: memoryview, start: int = 0, end: int | None = None) -> Iterator[_Field]:
    at, end = start, len(data) if end is None else end
    while at < end:
        key, after_key = _varint(data, at)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            value, after = _varint(data, after_key)
        elif wire == _LEN:
            length, value = _varint(data, after_key)
            after = value + length
        elif wire in (_I64, _I32):
            value, after = after_key, after_key + (8 if wire == _I64 else 4)
        else:
            raise NotSplittable(f"unexpected protobuf wire type {wire}")
        if after > end:
            raise NotSplittable("the model file ends inside a field")
        yield _Field(number, wire, at, after, value)
        at = after


def _text(data: memoryview, field: _Field) -> str:
    return bytes(data[field.value:field.end]).decode("utf-8")


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def _len_field(number: int, payload: bytes) -> bytes:
    return _encode_varint(number << 3 | _LEN) + _encode_varint(len(payload)) + payload


def _float_value_info(name: str) -> bytes:
    """A ValueInfoProto: a float tensor of rank 3 with named (free) dimensions."""
    dims = b"".join(_len_field(1, _len_field(2, axis.encode())) for axis in ("n", "c", "t"))
    tensor_type = _encode_varint(1 << 3 | _VARINT) + _encode_varint(_FLOAT) + _len_field(2, dims)
    return _len_field(1, name.encode()) + _len_field(2, _len_field(1, tensor_type))


@dataclass(frozen=True)
class _Node:
    span: _Field
    name: str
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]


def _node(data: memoryview, span: _Field) -> _Node:
    name, inputs, outputs = "", [], []
    for field in _fields(data, span.value, span.end):
        if field.number == _NODE_INPUT:
            inputs.append(_text(data, field))
        elif field.number == _NODE_OUTPUT:
            outputs.append(_text(data, field))
        elif field.number == _NODE_NAME:
            name = _text(data, field)
        elif field.number == _NODE_ATTRIBUTE and any(
                inner.number in (_ATTRIBUTE_GRAPH, _ATTRIBUTE_GRAPHS)
                for inner in _fields(data, field.value, field.end)):
            raise NotSplittable("the model has control flow (subgraphs)")
    return _Node(span, name, tuple(inputs), tuple(outputs))


def _named(data: memoryview, span: _Field, name_field: int) -> str:
    return next((_text(data, f) for f in _fields(data, span.value, span.end)
                 if f.number == name_field), "")


class _Graph:
    def __init__(self, data: memoryview) -> None:
        self.data = data
        model = list(_fields(data))
        graphs = [f for f in model if f.number == _MODEL_GRAPH and f.wire == _LEN]
        if len(graphs) != 1:
            raise NotSplittable("the model has no single graph")
        self.model_rest = [f for f in model if f is not graphs[0]]
        self.nodes: list[_Node] = []
        self.initializers: dict[str, _Field] = {}
        self.inputs: list[tuple[str, _Field]] = []
        self.outputs: list[tuple[str, _Field]] = []
        for field in _fields(data, graphs[0].value, graphs[0].end):
            if field.number == _GRAPH_NODE:
                self.nodes.append(_node(data, field))
            elif field.number == _GRAPH_INITIALIZER:
                self.initializers[_named(data, field, _TENSOR_NAME)] = field
            elif field.number == _GRAPH_INPUT:
                self.inputs.append((_named(data, field, _VALUE_INFO_NAME), field))
            elif field.number == _GRAPH_OUTPUT:
                self.outputs.append((_named(data, field, _VALUE_INFO_NAME), field))
            elif field.number == _GRAPH_SPARSE_INITIALIZER:
                raise NotSplittable("the model has sparse weights")
        self.producer = {out: node for node in self.nodes for out in node.outputs}

    def closure(self, targets: Sequence[str], stops: set[str]) -> tuple[list[_Node], set[str]]:
        """The nodes that compute `targets` from `stops` (and weights), in the model's order,
        and the weights they use. A path to any other graph input means no clean cut."""
        graph_inputs = {name for name, _ in self.inputs}
        wanted: set[int] = set()
        weights: set[str] = set()
        pending, seen = list(targets), set()
        while pending:
            name = pending.pop()
            if not name or name in seen or name in stops:
                continue
            seen.add(name)
            if name in self.initializers:
                weights.add(name)
            elif name in graph_inputs:
                raise NotSplittable(f"{name!r} is needed beyond the cut")
            elif name in self.producer:
                node = self.producer[name]
                wanted.add(id(node))
                pending.extend(node.inputs)
            else:
                raise NotSplittable(f"nothing in the model makes {name!r}")
        return [node for node in self.nodes if id(node) in wanted], weights

    def write(self, name: str, nodes: list[_Node], weights: set[str], inputs: list[Piece],
              outputs: list[Piece]) -> list[Piece]:
        """The pieces of a model file with these nodes, weights, inputs and outputs: slices
        of the original (nothing copied) and a few new headers."""
        data = self.data
        graph: list[Piece] = [data[n.span.start:n.span.end] for n in nodes]
        graph.append(_len_field(_GRAPH_NAME, name.encode()))
        graph += [data[f.start:f.end] for key, f in self.initializers.items() if key in weights]
        graph += [_len_field(_GRAPH_INPUT, bytes(info)) for info in inputs]
        graph += [_len_field(_GRAPH_OUTPUT, bytes(info)) for info in outputs]
        size = sum(len(piece) for piece in graph)
        header = _encode_varint(_MODEL_GRAPH << 3 | _LEN) + _encode_varint(size)
        return [*(data[f.start:f.end] for f in self.model_rest), header, *graph]

    def payload(self, field: _Field) -> Piece:
        return self.data[field.value:field.end]


@dataclass(frozen=True)
class SplitModel:
    encoder: list[Piece]   # model inputs -> latent frames (the pieces of its file)
    decoder: list[Piece]   # latent frames -> the model's output
    latent: str            # the name of the tensor between them


def split(model: bytes | memoryview | mmap.mmap) -> SplitModel:
    """Split a Piper voice model at its decoder's input (raises NotSplittable). The pieces
    are views into `model`: write them out before it is closed."""
    graph = _Graph(memoryview(model))
    first = next((n for n in graph.nodes if n.name == DECODER_FIRST_NODE), None)
    if first is None or not first.inputs:
        raise NotSplittable(f"the model has no {DECODER_FIRST_NODE}")
    latent = first.inputs[0]
    input_names = {name for name, _ in graph.inputs}
    dec_nodes, dec_weights = graph.closure([name for name, _ in graph.outputs], {latent})
    enc_nodes, enc_weights = graph.closure([latent], input_names)
    encoder = graph.write("encoder", enc_nodes, enc_weights,
                          [graph.payload(f) for _, f in graph.inputs], [_float_value_info(latent)])
    decoder = graph.write("decoder", dec_nodes, dec_weights, [_float_value_info(latent)],
                          [graph.payload(f) for _, f in graph.outputs])
    return SplitModel(encoder, decoder, latent)


@dataclass(frozen=True)
class SplitFiles:
    encoder: Path
    decoder: Path


def cached_split(model: Path, folder: Path) -> SplitFiles:
    """The model's two parts as files under `folder` (made on first use, ~0.3 s, then reused;
    keyed by the model file's path, size and time, so a new voice version is split anew).
    Raises NotSplittable or OSError; the caller then uses the whole model."""
    info = model.stat()
    key = hashlib.sha256(json.dumps([str(model.resolve()), info.st_size, info.st_mtime_ns,
                                     SPLIT_VERSION]).encode()).hexdigest()[:16]
    home = folder / f"{model.name.removesuffix('.onnx')}-{key}"
    files = SplitFiles(home / "encoder.onnx", home / "decoder.onnx")
    if files.encoder.is_file() and files.decoder.is_file():
        return files
    private_folder(home)
    # Mapped, not read: the pieces are slices of the file, so splitting copies nothing.
    with open(model, "rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ
                                                 ) as mapped:
        parts = split(mapped)
        # decoder last: both files exist only once both are whole (each is written atomically)
        write_private(files.encoder, parts.encoder)
        write_private(files.decoder, parts.decoder)
        del parts   # release the views before the map closes
    return files


class WindowedSession:
    """Stands in for the InferenceSession Piper calls (`run(None, inputs)`): the encoder once
    per sentence, then the decoder over windows of the latent frames. `release`: run options
    given to the encoder's run and the decoder's last window, where the sessions' memory
    arenas give back what they grew (between the windows of a sentence it is reused)."""

    def __init__(self, encoder: Any, decoder: Any, latent: str, release: Any = None) -> None:
        self.encoder, self.decoder, self.latent = encoder, decoder, latent
        self.release = release

    def run(self, output_names: Sequence[str] | None, inputs: dict[str, Any]) -> list[Any]:
        frames = self.encoder.run(None, inputs, self.release)[0]
        windows = iter(range(window_count(frames.shape[-1]), 0, -1))   # how many are left

        def decode(part: np.ndarray) -> Any:
            last = next(windows) == 1
            return self.decoder.run(None, {self.latent: part}, self.release if last else None
                                    )[0]
        return [decode_in_windows(decode, frames)]


def window_count(frames: int, window: int = WINDOW) -> int:
    """How many windows decode_in_windows runs over `frames` latent frames."""
    return -(-max(frames, 1) // window)


def decode_in_windows(decode: Any, frames: np.ndarray, window: int = WINDOW,
                      margin: int = MARGIN) -> np.ndarray:
    """decode(frames[..., a:b]) -> samples[..., (b - a) * HOP], window by window with `margin`
    frames of context each side, each window's middle kept: the samples decode(frames) gives."""
    count = frames.shape[-1]
    pieces = []
    for start in range(0, window_count(count, window) * window, window):
        stop = min(count, start + window)
        low, high = max(0, start - margin), min(count, stop + margin)
        samples = decode(np.ascontiguousarray(frames[..., low:high]))
        keep = (start - low) * HOP
        pieces.append(samples[..., keep:keep + (stop - start) * HOP])
    return np.concatenate(pieces, axis=-1)
