"""The person's own help card: who to reach when it is too much (no Qt, no storage).

They fill it in themselves; nothing is suggested or looked up. It lives in the journal's
settings table (key HELP_CARD_KEY), so it is exported with the journal and removed by "delete
all my data", and never leaves the computer otherwise.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields

HELP_CARD_KEY = "help_card"
FIELD_MAX = 200                     # a name and a number or two; plain text

LABELS = {
    "therapist": "My therapist",
    "trusted": "Someone I trust",
    "crisis_line": "My local crisis line",
}
PLACEHOLDERS = {
    "therapist": "Name and how to reach them",
    "trusted": "A friend, a relative, a neighbour…",
    "crisis_line": "Its name and number where you live",
}


@dataclass(frozen=True)
class HelpCard:
    therapist: str = ""
    trusted: str = ""
    crisis_line: str = ""

    @classmethod
    def from_value(cls, raw: object) -> "HelpCard":
        """From what the settings table held; anything odd becomes an empty field."""
        if not isinstance(raw, dict):
            return cls()
        return cls(**{f.name: _clean(raw.get(f.name)) for f in fields(cls)})

    def as_value(self) -> dict[str, str]:
        return asdict(self)

    def cleaned(self) -> "HelpCard":
        return HelpCard(**{k: _clean(v) for k, v in asdict(self).items()})

    @property
    def is_empty(self) -> bool:
        return not any(asdict(self).values())

    def lines(self) -> list[tuple[str, str]]:
        """(label, what they wrote) for each field filled in, in the card's order."""
        return [(LABELS[k], v) for k, v in asdict(self).items() if v]

    def text(self) -> str:
        """The card as the person reads it (and as it is copied)."""
        return "\n".join(f"{name}: {value}" for name, value in self.lines())


def _clean(value: object) -> str:
    """One line of plain text, trimmed and within FIELD_MAX."""
    if not isinstance(value, str):
        return ""
    return " ".join(value.split())[:FIELD_MAX]
