"""Noticing a computer clock that has jumped, and saying so in plain words.

Entries and safety copies are dated by the clock. Secure Base no longer trusts those dates to
choose or keep copies (see app.storage.content), but a wrong clock still puts wrong dates on new
entries, so the person is told once a day, at the first start of the day, while it looks wrong.
"""
from __future__ import annotations

from datetime import date, timedelta

from app.storage.content import Content

# A clock this far behind a date Secure Base has already seen has been set back (one day of
# slack: time zones, and a laptop carried across them).
BEHIND = timedelta(days=1)
# This far ahead of the newest entry is possible after a long break, but also what a clock
# jumped to 2099 looks like: said gently, with "if that is right, there is nothing to do".
AHEAD = timedelta(days=2 * 365)


def clock_notice(today: date, journal: Content | None,
                 backup_days: list[date]) -> str | None:
    """A plain sentence when `today` looks wrong against the journal and its copies' dates."""
    seen = [day for day in (_day(journal.latest_at if journal else None), *backup_days)
            if day is not None]
    if not seen:
        return None
    latest = max(seen)
    if latest - today > BEHIND:
        return (f"The computer's clock says {words(today)}, but Secure Base was already used "
                f"on {words(latest)}, so the clock may have been changed. Your records are "
                "safe either way, and safety copies are kept by what they hold, not by their "
                "dates. If today's date is wrong, please correct the clock: new entries are "
                "dated by it.")
    newest_entry = _day(journal.latest_at if journal else None)
    if newest_entry is not None and today - newest_entry > AHEAD:
        return (f"The computer's clock says {words(today)}, more than two years after the "
                f"newest entry in your journal ({words(newest_entry)}). If that is right, "
                "welcome back: there is nothing to do. If the date is wrong, please correct "
                "the clock: new entries and safety copies are dated by it.")
    return None


def words(day: date) -> str:
    """e.g. "Tuesday 3 March 2026"."""
    return f"{day:%A} {day.day} {day:%B %Y}"


def _day(iso: str | None) -> date | None:
    try:
        return date.fromisoformat(iso[:10]) if iso else None
    except ValueError:
        return None
