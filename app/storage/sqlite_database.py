"""sqlite_utils' `Database`, imported without numpy.

sqlite_utils imports numpy (and tries pandas) as it is imported, only so that numpy values can
be stored; the journal never stores any. In the window that import was ~15 MB (numpy and its
BLAS) held from the moment the journal opened to the end of the run (bench/session_memory.py).
Where numpy is imported already (the command line, a render worker, tests), sqlite_utils uses
it as before: only a module not yet imported can be refused.

dateutil's parser, which sqlite_utils imports for its date recipes only (the journal calls
none), is imported lazily: the real module, run the first time one of its names is used.
In the window that was ~2 MB held for the whole run (bench/session_memory.py).
"""
from __future__ import annotations

import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec, PathFinder
from importlib.util import LazyLoader
from types import ModuleType
from typing import TYPE_CHECKING

_REFUSED = ("numpy", "pandas")
_IMPORTER = "sqlite_utils.db"
_DEFERRED = "dateutil.parser"
_DEFERRED_BY = "sqlite_utils.recipes"


class _RefusedToSqliteUtils(MetaPathFinder):
    """Refuses numpy and pandas to sqlite_utils.db's own imports, and defers dateutil's parser
    for sqlite_utils.recipes, told by the importing frame: another thread importing numpy or
    dateutil meanwhile is not affected."""

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname in _REFUSED and _imported_by(_IMPORTER):
            # sqlite_utils catches ImportError: to it, numpy is simply not installed
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        if fullname == _DEFERRED and _imported_by(_DEFERRED_BY):
            return _lazy_spec(fullname, path)
        return None


def _lazy_spec(fullname: str, path: Sequence[str] | None) -> ModuleSpec | None:
    """The module's own spec, whose code runs at the first use of one of its names (the
    standard library's LazyLoader); None leaves the import to the usual finders."""
    spec = PathFinder.find_spec(fullname, path)
    if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
        return None
    spec.loader = LazyLoader(spec.loader)
    return spec


def _imported_by(module: str) -> bool:
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_globals.get("__name__") == module:
            return True
        frame = frame.f_back  # type: ignore[assignment]
    return False


def _import_database() -> type:
    finder = _RefusedToSqliteUtils()
    sys.meta_path.insert(0, finder)
    try:
        from sqlite_utils import Database as database
    finally:
        sys.meta_path.remove(finder)
    return database


if TYPE_CHECKING:
    from sqlite_utils import Database as Database
else:
    Database = _import_database()
