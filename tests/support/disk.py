"""A real, tiny file system that can be filled to the last byte (tests only).

`mount -t tmpfs -o size=…` needs root; where the tests cannot mount, they are skipped with a
reason (CI runs as root). Filling writes one file until the kernel says ENOSPC; `free()`
removes it again, as a person would make room on their disk.
"""
from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest


class TinyDisk:
    def __init__(self, root: Path):
        self.root = root
        self.filler = root / "filler"

    def fill(self) -> None:
        """Write until the file system refuses another byte."""
        fd = os.open(self.filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        try:
            for size in (65536, 4096, 512, 1):
                while True:
                    try:
                        os.write(fd, b"\0" * size)
                    except OSError as exc:
                        if exc.errno != errno.ENOSPC:
                            raise
                        break
        finally:
            os.close(fd)

    def free(self) -> None:
        self.filler.unlink(missing_ok=True)


@pytest.fixture
def tiny_disk(tmp_path: Path):
    root = tmp_path / "tiny-disk"
    root.mkdir(mode=0o700)
    if os.geteuid() != 0:
        pytest.skip("mounting a tiny file system needs root")
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=640k,mode=0700", "tmpfs",
                              str(root)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield TinyDisk(root)
    finally:
        subprocess.run(["umount", "-l", str(root)], check=False)
