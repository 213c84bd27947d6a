"""Mending pyttsx3's ctypes binding of libespeak-ng before it is used (pyttsx3 2.99 is pinned).

pyttsx3's `_espeak.Synth` tells `espeak_Synth` the text is ten times its real length
(`len(text) * 10`). In its asynchronous (retrieval) mode espeak-ng copies exactly that many
bytes into its queue (`memcpy(a_text, text, size)` in `create_espeak_text`), so every sentence
made espeak read nine times its length past the end of a Python bytes object. Usually that is
other heap memory and nothing shows; when the sentence sits near the end of a mapping, the
process dies in libc's memcpy (seen once in bench/render.py: "segfault at 7f3e79c00000 … in
libc.so.6", a read at a 1 MiB boundary). The size only has to cover the text and its NUL, which
every bytes object has; `tests/speech/test_espeak_binding.py` puts a sentence right before an
unreadable page to prove it.
"""
from __future__ import annotations

from typing import Any


def mend_synth(binding: Any) -> bool:
    """Replace `binding.Synth` with one that gives espeak the text's true size. Returns whether
    the binding was mended (False: not pyttsx3's binding as we know it; left untouched)."""
    if not hasattr(binding, "cSynth") or not hasattr(binding, "Synth"):
        return False
    if getattr(binding.Synth, "__wrapped_by_securebase__", False):
        return True

    def synth(text: Any, position: int = 0, position_type: int = binding.POS_CHARACTER,
              end_position: int = 0, flags: int = 0, user_data: Any = None) -> int:
        if isinstance(text, str):
            text = text.encode("utf-8")
        # + 1: the terminating NUL, which a bytes object always carries; never more.
        return int(binding.cSynth(text, len(text) + 1, position, position_type, end_position, flags,
                                  None, user_data))

    synth.__wrapped_by_securebase__ = True  # type: ignore[attr-defined]
    synth.__doc__ = "espeak_Synth with the text's true size (see app/speech/espeak_binding.py)."
    binding.Synth = synth
    return True
