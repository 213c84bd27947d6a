"""Plain words for the TOML slips a person makes when writing their own practice script.

tomllib names a slip in a parser's terms ("Illegal character '\\n'", "Invalid value"), which
tells someone who is not a programmer nothing about what to change. The common slips (a
missing closing quote, curly quotes pasted from a word processor, a word where a number goes,
a missing '=') get a sentence saying what to do; anything else keeps tomllib's own words.
"""
from __future__ import annotations

import re

_POSITION = re.compile(r"\s*\(at (line (\d+), column \d+|end of document)\)")
_TRIPLE = ('"""', "'''")

# (the start of tomllib's message, what to tell the person)
_PLAIN = (
    ("Illegal character '\\n'",
     'a text in quotes is not closed on this line (the closing " is missing)'),
    ("Unterminated string",
     'a text that opens with """ is never closed (put """ on its own line after the words)'),
    ("Expected '=' after a key",
     'a setting needs = between its name and its value, like title = "My practice"'),
    ("Cannot overwrite a value",
     "a setting is given twice in the same part of the script"),
    ("Cannot declare",
     "a section is declared twice (only [[step]] can appear more than once)"),
    ("Invalid value",
     'a value cannot be read: words go in straight double quotes, like "Arrive" (curly '
     "quotes from a word processor do not work), numbers in digits, and true or false in "
     "small letters"),
    ("Expected newline or end of document after a statement",
     "there is more on this line after its value (a quote closed too early? Words with an "
     "apostrophe need double quotes)"),
    ("Expected ']' at the end of a table declaration",
     "a section name needs its closing ], like [practice]"),
    ("Expected ']]' at the end of an array declaration",
     "a step needs its closing ]], like [[step]]"),
)


def toml_problem(message: str, text: str) -> tuple[int, str]:
    """(line, plain words) for a tomllib error message about `text`."""
    match = _POSITION.search(message)
    line = int(match.group(2)) if match and match.group(2) else 1
    bare = _POSITION.sub("", message)
    if bare.startswith("Unterminated string") and not (match and match.group(2)):
        line = _last_opening(text) or line     # "end of document": point at the opening
    for start, words in _PLAIN:
        if bare.startswith(start):
            return line, words
    return line, bare


def _last_opening(text: str) -> int | None:
    """The line of the last triple quote, the one left open."""
    found = [n for n, row in enumerate(text.splitlines(), 1) if any(q in row for q in _TRIPLE)]
    return found[-1] if found else None
