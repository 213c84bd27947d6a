"""Writing a WAV file without `wave`'s half-made writer.

`wave.open(name, "wb")` opens the file inside `Wave_write.__init__`. When that open fails (the
folder was removed meanwhile, a full or read-only disk), the OSError is raised and handled as
it should be, but the half-made writer is still destroyed later, and its `__del__` fails with
"AttributeError: 'Wave_write' object has no attribute '_file'", printed as "Exception ignored"
— in a render worker, or at exit, long after the real error (Python 3.11). A render worker
whose cache folder was cleared under it printed it at the end of bench/session_memory.py.
Opening the file first means a failed open raises only its own OSError, and no writer exists.

No imports beyond the standard library: it stays small (the espeak zygote once used it; its child
now appends raw samples to a file the zygote opened, and the zygote writes the header).
"""
from __future__ import annotations

import contextlib
import wave
from collections.abc import Iterator
from os import PathLike


@contextlib.contextmanager
def wav_writer(path: str | PathLike[str]) -> Iterator[wave.Wave_write]:
    """`wave.open(path, "wb")`, closed (header, then file) when the block ends."""
    with open(path, "wb") as file, wave.open(file, "wb") as wav:
        yield wav
