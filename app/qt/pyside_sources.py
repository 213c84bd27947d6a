"""PySide6 reads the whole source of every module imported after it, and Python keeps it.

After each import, PySide6's `__feature__` support (shibokensupport/feature.py,
`_mod_uses_pyside`) calls `inspect.getsource` on the new module to search its text for
"PySide6"; `linecache` then keeps every line of every such file for the life of the process:
~5-7 MB of strings in a session's window (170 files, measured with tracemalloc), and a file
read for each import at start-up. The answer only matters to modules that select a feature
with `from __feature__ import ...`, which nothing here does, so it is taken from the
module's names instead of its text.
"""
from __future__ import annotations

import linecache
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


def uses_pyside(module: ModuleType) -> bool:
    """Whether a module refers to PySide6 by a name of its own (an imported module, class or
    function), as the source search would find for every module here that uses it."""
    for value in list(vars(module).values()):
        # a module's name by ModuleType's own look-up: a module imported lazily (LazyLoader,
        # as app.storage.sqlite_database does with dateutil's parser) runs at any other look
        owner = ModuleType.__getattribute__(value, "__name__") if isinstance(
            value, ModuleType) else getattr(value, "__module__", None)
        if isinstance(owner, str) and owner.startswith(("PySide6", "shiboken6")):
            return True
    return False
