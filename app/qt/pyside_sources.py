"""PySide6 reads the whole source of every module imported after it, and Python keeps it.

After each import, PySide6's `__feature__` support (shibokensupport/feature.py,
`_mod_uses_pyside`) calls `inspect.getsource` on the new module to search its text for
"PySide6"; `linecache` then keeps every line of every such file for the life of the process:
~5-7 MB of strings in a session's window (170 files, measured with tracemalloc), and a file
read for each import at start-up. The answer only matters to modules that select a feature
with `from __feature__ import ...`, which nothing here does, so it is taken from the
module's names instead of its text, or, for the standard library's modules and our own,
from where they come: the first frame imports ~70 of them after PySide6 (the standard
library's os, typing, inspect... as each of our modules first names them), and looking
through all their names cost it 6 million instructions under callgrind.
"""
from __future__ import annotations

import linecache
import os
import sys
from types import ModuleType

import PySide6.QtCore  # noqa: F401 - installs the hook this module replaces


def read_no_sources() -> None:
    """Replace PySide6's source search (where this PySide6 has one) and drop what it read."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    linecache.clearcache()   # a traceback reads the lines it shows again


# The standard library's folder (linecache's), and where a Python without a virtual
# environment keeps other packages inside it: those are looked at by their names.
_STDLIB = os.path.dirname(linecache.__file__) + os.sep
_NOT_STDLIB = ("/site-packages/", "/dist-packages/")


def uses_pyside(module: ModuleType) -> bool:
    """Whether a module refers to PySide6 by a name of its own (an imported module, class or
    function), as the source search would find for every module here that uses it. The
    standard library never does. Our own modules are told by their name: none selects a
    feature, so each that touches PySide6 must see its plain names, which True gives (and
    True changes nothing for one that does not touch it)."""
    name = ModuleType.__getattribute__(module, "__name__")
    if name == "app" or name.startswith("app."):
        return True
    if _in_stdlib(module):
        return False
    for value in list(vars(module).values()):
        # a module's name by ModuleType's own look-up: a module imported lazily (LazyLoader,
        # as app.storage.sqlite_database does with dateutil's parser) runs at any other look
        owner = ModuleType.__getattribute__(value, "__name__") if isinstance(
            value, ModuleType) else getattr(value, "__module__", None)
        if isinstance(owner, str) and owner.startswith(("PySide6", "shiboken6")):
            return True
    return False


def _in_stdlib(module: ModuleType) -> bool:
    try:        # ModuleType's own look-up again: it leaves a lazily imported module unloaded
        origin = getattr(ModuleType.__getattribute__(module, "__spec__"), "origin", None)
    except AttributeError:
        return False
    if origin in ("built-in", "frozen"):
        return True
    return (isinstance(origin, str) and origin.startswith(_STDLIB)
            and not any(part in origin for part in _NOT_STDLIB))
