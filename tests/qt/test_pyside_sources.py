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


class Unlooked:
    """A name PySide6's question must not look at: any look fails the test."""

    def __getattribute__(self, name: str):
        raise AssertionError(f"looked at its {name}")


def test_standard_library_and_our_own_modules_are_told_by_where_they_come_from() -> None:
    """PySide6 asks about ~70 modules as the first frame imports (os, typing, inspect... as
    each of our modules first names them): looking through every name of each cost the first
    frame 6 million instructions under callgrind. A standard-library module never refers to
    PySide6; ours are answered by name (True: none selects a feature, so each sees PySide6's
    plain names). On main both looked at every name (the Unlooked one failed them)."""
    import json
    import os
    import types

    from app.qt.pyside_sources import uses_pyside

    stdlib = types.ModuleType("json_like")
    stdlib.__spec__ = types.SimpleNamespace(origin=json.__file__)
    builtin = types.ModuleType("builtin_like")
    builtin.__spec__ = types.SimpleNamespace(origin="built-in")
    ours = types.ModuleType("app.plain_helper")
    for module in (stdlib, builtin, ours):
        module.unlooked = Unlooked()
    assert [uses_pyside(m) for m in (stdlib, builtin, ours)] == [False, False, True]
    # a real one of each kind, as PySide6 meets them
    import app.ui.main_window
    assert [uses_pyside(m) for m in (json, os, sys, app.ui.main_window)] == [
        False, False, False, True]


def test_other_packages_are_still_looked_at_by_their_names(tmp_path: Path) -> None:
    """A package from outside the standard library (or kept inside its folder, as a Python
    without a virtual environment keeps site-packages) is answered from its names."""
    import types

    from PySide6.QtCore import QObject

    from app.qt.pyside_sources import uses_pyside

    inside = types.ModuleType("third_party")
    inside.__spec__ = types.SimpleNamespace(
        origin=str(Path(linecache.__file__).parent / "site-packages" / "third_party.py"))
    elsewhere = types.ModuleType("other_party")
    elsewhere.__spec__ = types.SimpleNamespace(origin=str(tmp_path / "other_party.py"))
    plain = types.ModuleType("plain_party")
    plain.__spec__ = types.SimpleNamespace(origin=str(tmp_path / "plain_party.py"))
    inside.QObject = elsewhere.QObject = QObject
    assert [uses_pyside(m) for m in (inside, elsewhere, plain)] == [True, True, False]
