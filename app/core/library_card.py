"""What the library's card shows of one practice, without the practice's records.

The first frame is the library. Its cards need a few words of each practice; the records
themselves (Practice and its Steps, dataclasses whose methods Python 3.11 compiles one by one
with exec) cost the first frame ~16 million instructions under callgrind to make and decode,
so a cached library shows its cards first and makes the records right after
(app.storage.library_cache.LazyLibrary).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from app.core.practice import Practice


# A NamedTuple, not a dataclass: compared as a plain tuple (a library read from the cache is
# checked against its records), and made with one generated method instead of four.
class LibraryCard(NamedTuple):
    """One practice as the library lists it."""
    id: str
    title: str
    summary: str
    minutes: float
    steps: int                    # how many
    bundled: bool                 # False: the person's own
    tags: tuple[str, ...]


def card_of(practice: Practice) -> LibraryCard:
    return LibraryCard(practice.id, practice.title, practice.summary, practice.minutes,
                       len(practice.steps), practice.bundled, practice.tags)


def card_line(card: LibraryCard) -> str:
    """The card's second line: length, steps, whose, tags."""
    origin = "" if card.bundled else "  ·  your own"
    tags = "  ·  " + ", ".join(card.tags) if card.tags else ""
    return f"{card.minutes:g} min  ·  {card.steps} steps{origin}{tags}"
