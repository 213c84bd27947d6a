"""What the journal's sqlite_utils brings into the window (app/storage/sqlite_database.py)."""
from __future__ import annotations

import json
import subprocess
import sys

OPEN_A_JOURNAL = """
import json, sys
import app.qt  # the window's import hook (pyside_sources) looks at every imported module
from app.storage.sqlite_database import Database
db = Database(memory=True, execute_plugins=False)
db["notes"].insert({"text": "hello"})
before = sorted(name for name in sys.modules if name.startswith("dateutil"))
from sqlite_utils.recipes import parsedate
print(json.dumps({"before": before, "rows": db.execute("select count(*) from notes").fetchone()[0],
                  "parsed": parsedate("5 March 2024"),
                  "dayfirst": parsedate("5/3/2024", dayfirst=True)}))
"""


def test_dateutils_parser_runs_only_when_a_date_recipe_is_used() -> None:
    """Opening and writing a journal leaves dateutil's parser unrun (~2 MB of the window for a
    date recipe the journal never calls), also where the window's import hook looks at every
    module's names; the recipe, when used, still parses with the real module. A fresh
    process: in this one another test may have imported dateutil already."""
    done = subprocess.run([sys.executable, "-c", OPEN_A_JOURNAL], capture_output=True,
                          text=True, timeout=60, check=True)
    found = json.loads(done.stdout)
    assert "dateutil.parser._parser" not in found["before"]
    assert found["rows"] == 1
    assert (found["parsed"], found["dayfirst"]) == ("2024-03-05", "2024-03-05")
