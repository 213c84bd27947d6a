"""PySide6 reads no module's source once the window's packages are imported
(app/qt/pyside_sources.py)."""
from __future__ import annotations

import linecache
import sys
from pathlib import Path

import pytest


def test_a_module_imported_later_leaves_no_source_in_memory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PySide6 looks at every module imported after it; left to itself it read each one's
    whole file, and linecache kept it for the life of the process (5-7 MB in a session's
    window). Looked at by its names instead, the module is imported and no line is kept."""
    from app.qt.pyside_sources import read_no_sources

    read_no_sources()           # as importing app.qt or app.ui does; once more changes nothing
    name = f"imported_later_{tmp_path.name}".replace("-", "_")
    source = tmp_path / f"{name}.py"
    source.write_text('"""A module imported once the window is up."""\nLATER = 1\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        assert __import__(name).LATER == 1       # an import statement, as PySide6 sees them
    finally:
        sys.modules.pop(name, None)
    assert [f for f in linecache.cache if Path(f).name == source.name] == []
