"""The README stands on its own in a clone: everything it points at is in the repository.
(Its TOML examples go through `check` in tests/core/test_pacing.py.)"""
from __future__ import annotations

import re

from app import paths

ROOT = paths.PROJECT_ROOT
DOCS = ("README.md", "docs/DESIGN.md")


def test_no_references_outside_the_repository() -> None:
    for name in DOCS:
        text = (ROOT / name).read_text("utf-8")
        assert "../" not in text, name


def test_every_linked_file_exists() -> None:
    for name in DOCS:
        text = (ROOT / name).read_text("utf-8")
        base = (ROOT / name).parent
        for target in re.findall(r"\]\(([^)#\s]+)\)", text):
            if not re.match(r"[a-z]+:", target):
                assert (base / target).exists(), f"{name} links to {target}"
