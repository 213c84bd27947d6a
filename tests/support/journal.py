"""Test helpers for the JournalService: wait for a read, or for everything asked so far."""
from __future__ import annotations

from typing import Any
from collections.abc import Callable


def read_now(qtbot: Any, service: Any, fn: Callable[[Any], Any], timeout: int = 5000) -> Any:
    """Run `fn(journal)` through the service and wait for its answer. It is queued behind
    everything asked before it, so it also waits for those writes."""
    got: list[Any] = []
    service.read(fn, on_done=got.append)
    qtbot.waitUntil(lambda: bool(got), timeout=timeout)
    return got[0]


def settle(qtbot: Any, service: Any, rounds: int = 1) -> None:
    """Wait until everything asked of the service so far has reported back. Each round also
    covers what those answers asked for in turn (a save, then the refresh it starts, then the
    page that refresh shows: three rounds)."""
    for _ in range(rounds):
        read_now(qtbot, service, lambda _journal: True)


class OnJournalThread:
    """The service's own Journal, called as if it were here: each call runs on the journal
    thread and waits for its answer (tests only; views never wait on the journal)."""

    def __init__(self, qtbot: Any, service: Any):
        self._qtbot, self._service = qtbot, service

    def __getattr__(self, name: str) -> Callable[..., Any]:
        return lambda *args, **kwargs: read_now(
            self._qtbot, self._service, lambda j: getattr(j, name)(*args, **kwargs))


def close_context(context: Any) -> None:
    """Close what an AppContext opened in a test: the journal service's thread and file."""
    if context._journal is not None:
        context._journal.close()
