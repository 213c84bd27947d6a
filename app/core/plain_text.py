"""Words in a shared practice are plain words: no markup, no invisible control characters.

Every screen shows script text as plain text, so markup could not run, and a person's own
script may hold a "<" or two. But a practice that arrives from someone else with a title
reading `<b>Calm</b>` or `<img src=…>` was made to probe the app, not to guide anyone, and
text-direction overrides can make a title read differently from what it says. Import refuses
such a file with a plain message (app.storage.practice_share).
"""
from __future__ import annotations

import re

# A tag or comment as HTML would read it: <b>, </i>, <img src=x>, <!-- … -->. A lone "<" (as in
# "< 5 minutes") is fine.
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!][^<>\n]*>")
# C0/C1 controls except tab and newline, and the bidirectional overrides and isolates.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def plain_text_problem(text: str) -> str | None:
    """Why `text` is not plain text (a short phrase), or None when it is."""
    markup = _MARKUP.search(text)
    if markup:
        shown = markup.group(0) if len(markup.group(0)) <= 24 else markup.group(0)[:23] + "…"
        return f"has markup in it ({shown}); write it as plain words"
    control = _CONTROL.search(text)
    if control:
        return (f"has an invisible control character (U+{ord(control.group(0)):04X}) in it; "
                "write it as plain words")
    return None
