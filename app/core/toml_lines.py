"""Where each table and key of a TOML file starts, for `path:line:` messages.

tomllib parses but forgets positions; this light line scanner remembers them. It only has to be
right for files that tomllib already accepted.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

_KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_\-]+)\s*=\s*(.*)$""")


@dataclass
class TableLines:
    name: str                      # "" for the root, "practice", "step", …
    line: int                      # header line (1 for the root)
    keys: dict[str, int] = field(default_factory=dict)
    # for multi-line strings: the line where the value's first character sits
    value_start: dict[str, int] = field(default_factory=dict)


def scan(text: str) -> list[TableLines]:
    """Tables in file order; array-of-tables entries appear once each, in order."""
    tables = [TableLines("", 1)]
    open_quote: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        if open_quote:
            if raw.count(open_quote) % 2 == 1:
                open_quote = None
            continue
        stripped = raw.strip()
        if stripped.startswith("["):
            name = stripped.strip("[]").split("]")[0].strip()
            tables.append(TableLines(name, number))
            continue
        match = _KEY.match(raw)
        if not match:
            continue
        key = match.group(1).strip("\"'")
        tables[-1].keys.setdefault(key, number)
        value = match.group(2)
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) == 1:
                open_quote = quote
                rest = value[len(quote):]
                # TOML drops a newline right after the opening quotes
                tables[-1].value_start[key] = number if rest.strip() else number + 1
    return tables
