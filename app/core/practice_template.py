"""The commented starting point `securebase new-practice NAME` writes.

It teaches the format by example (every key, both marks, a question with time to listen, the
body map, a step that waits) and passes `securebase check` with no warning: its `minutes` is
worked out from the same estimate the check uses.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import tomlkit

from app.core.practice_check import check_text, minutes_for
from app.core.scripts import KNOWN_TAGS

_TEMPLATE = '''\
# A practice of your own for Secure Base.
# Everything after a # is a note for you; the app does not read it.
# Check it at any time with:  securebase check {file}

[practice]
id = {id}  # the file name without .toml
title = {title}
summary = "A few quiet minutes to arrive, notice the body, and rest."
minutes = {minutes}  # about how long it takes, with pauses and listening time
{tags}
tags = ["gentle", "body"]
pacing = "Go gently. You can stop at any moment, and come back another day."

# Each [[step]] is spoken in turn, and each line of `say` is shown as its own paragraph.
#   [pause 3]    three seconds of quiet inside the speech (0.5 to 60)
#   [listen 30]  thirty seconds to listen inside, after a question (5 to 300)

[[step]]
id = "arrive"
title = "Arrive"
say = """
Let yourself settle wherever you are. [pause 3]
Let your breath be just as it is.
"""
silence_after = 8  # seconds of quiet after the voice (6 when left out)

[[step]]
id = "notice"
title = "Notice"
say = """
You might notice where in your body you feel most at ease. [pause 4]
If you would like to mark where it is, press B, or the button under these words. [listen 30]
Now ask inside, gently.
What would help me rest a little more today? [listen 40]
"""
ask_body = true  # offers the body map at this step

[[step]]
id = "rest"
title = "Rest"
say = """
Stay here for as long as you like.
When you are ready to finish, press Space, or Continue.
"""
wait = true  # the voice waits here until you go on
'''


def template_text(practice_id: str, title: str, file_name: str | None = None) -> str:
    """The template for `practice_id`, with `minutes` matching its own estimate."""
    fields = {"id": tomlkit.string(practice_id).as_string(),
              "title": tomlkit.string(title).as_string(),
              "file": file_name or f"{practice_id}.toml",
              "tags": "\n".join(textwrap.wrap("tags, from: " + ", ".join(sorted(KNOWN_TAGS)),
                                               width=92, initial_indent="# ",
                                               subsequent_indent="#   "))}
    draft = _TEMPLATE.format(minutes=1, **fields)
    seconds = check_text(draft, Path(f"{practice_id}.toml")).estimate_seconds or 60.0
    minutes = minutes_for(seconds)
    return _TEMPLATE.format(minutes=f"{minutes:g}", **fields)


def title_from_name(name: str) -> str:
    """"evening-rest" → "Evening rest"; a title given as such stays."""
    words = name.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or "My practice"
    return text[:1].upper() + text[1:]
