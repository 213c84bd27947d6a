"""Writing the person's files: whole or not at all, and readable by them only."""
from __future__ import annotations

import os
from pathlib import Path


def write_private(target: Path, data: bytes) -> None:
    """Write `data` to a 0600 temporary file beside `target`, flush it to disk, then rename
    it over `target`, so a crash leaves the old file or the new one, never half of one.
    Raises OSError (after removing the temporary file) when the write fails."""
    partial = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except OSError:
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
        raise
