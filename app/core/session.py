"""SessionRunner: the state machine of one sitting, with every transition journalled at once.

check-in → steps → check-out, with grounding reachable from anywhere and resume after a crash.
A step is one or more segments of speech (cut at `[listen N]` marks), each followed by a
silence: listening time after a segment, then the step's own quiet after the last; a step
marked `wait` ends by waiting for the person instead. Pure Python: the Qt controller drives it
with events (audio finished, silence over, buttons) and renders whatever state it reports.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Protocol
from collections.abc import Callable

from app.core.practice import Practice, Step
from app.core.records import CheckIn, SessionRecord, StepEvent


class State(enum.Enum):
    CHECK_IN = "check-in"
    PLAYING = "playing"        # the voice is speaking the current step
    PAUSED = "paused"
    SILENCE = "silence"        # timed quiet after a segment: listening time, or the step's end
    WAITING = "waiting"        # the step is over; the voice waits until the person goes on
    GROUNDING = "grounding"
    CHECK_OUT = "check-out"
    ENDED = "ended"


# States from which the person can move between steps.
MOVABLE = (State.PLAYING, State.PAUSED, State.SILENCE, State.WAITING)


class JournalLike(Protocol):
    """Where the runner writes. Each call must record its event at once (the window's
    implementation queues it, in order, on the journal thread; app.qt.session_journal). The
    session id returned by start_session is used for every later call."""
    def start_session(self, practice_id: str, practice_title: str,
                      part_id: int | None = None) -> int: ...
    def log_step(self, session_id: int, step_id: str | None, kind: StepEvent) -> object: ...
    def add_checkin(self, checkin: CheckIn) -> object: ...
    def end_session(self, session_id: int, outcome: str, note: str | None = None) -> None: ...


@dataclass(frozen=True)
class Snapshot:
    """Everything a view needs to draw the session, in one value."""
    state: State
    index: int
    step: Step
    before: CheckIn | None
    after: CheckIn | None
    segment: int = 0          # which stretch of the step's speech (see Step.segments)

    @property
    def last_segment(self) -> bool:
        return self.segment >= len(self.step.segments) - 1


class InvalidTransition(Exception):
    pass


class SessionNotStarted(InvalidTransition):
    """Something was to be written to the journal before the check-in started a session. A
    real check, not an `assert`: `python -O` strips those, and a step event or check-out would
    then be stored under no session."""


class SessionRunner:
    def __init__(self, practice: Practice, journal: JournalLike):
        if not practice.steps:
            raise ValueError("a practice needs at least one step")
        self.practice = practice
        self.journal = journal
        self.session_id: int | None = None
        self.state = State.CHECK_IN
        self.index = 0
        self.segment = 0
        self.before: CheckIn | None = None
        self.after: CheckIn | None = None
        self.outcome: str | None = None           # set when the session ends
        self._before_grounding = State.PAUSED
        self._listeners: list[Callable[[Snapshot], None]] = []

    # -- observers --------------------------------------------------------------------------

    def subscribe(self, listener: Callable[[Snapshot], None]) -> None:
        self._listeners.append(listener)

    @property
    def step(self) -> Step:
        return self.practice.steps[self.index]

    @property
    def is_last_step(self) -> bool:
        return self.index == len(self.practice.steps) - 1

    def snapshot(self) -> Snapshot:
        return Snapshot(self.state, self.index, self.step, self.before, self.after,
                        self.segment)

    def _set(self, state: State) -> None:
        self.state = state
        for listener in list(self._listeners):
            listener(self.snapshot())

    def _require(self, *states: State) -> None:
        if self.state not in states:
            raise InvalidTransition(f"not possible while {self.state.value}")

    def _started(self) -> int:
        if self.session_id is None:
            raise SessionNotStarted("no session has started: check in first")
        return self.session_id

    def _log(self, kind: StepEvent, step_id: str | None = None) -> None:
        self.journal.log_step(self._started(), step_id or self.step.id, kind)

    # -- the flow ---------------------------------------------------------------------------

    def check_in(self, intensity: int | None, self_energy: dict[str, int] | None = None,
                 part_id: int | None = None, note: str | None = None) -> None:
        """Store the check-in and start the first step."""
        self._require(State.CHECK_IN)
        self.session_id = self.journal.start_session(self.practice.id, self.practice.title,
                                                     part_id)
        self.before = CheckIn("before", intensity, dict(self_energy or {}), note,
                              self.session_id)
        self._record(self.before)
        self._start_step(0)

    def _record(self, checkin: CheckIn) -> None:
        """Store a check-in the person gave something in; an untouched one is no answer."""
        if checkin.intensity is not None or checkin.self_energy or checkin.note:
            self.journal.add_checkin(checkin)

    @classmethod
    def resume(cls, practice: Practice, journal: JournalLike, record: SessionRecord,
               before: CheckIn | None = None) -> "SessionRunner":
        """Continue an interrupted session at the step it was on, paused."""
        runner = cls(practice, journal)
        runner.session_id = record.id
        runner.before = before
        ids = [s.id for s in practice.steps]
        runner.index = ids.index(record.current_step) if record.current_step in ids else 0
        runner._log(StepEvent.RESUMED)
        runner._set(State.PAUSED)
        return runner

    def _start_step(self, index: int, kind: StepEvent = StepEvent.STARTED) -> None:
        self.index = index
        self.segment = 0
        self._log(kind)
        self._set(State.PLAYING)

    @property
    def in_last_segment(self) -> bool:
        return self.segment >= len(self.step.segments) - 1

    def audio_finished(self) -> None:
        """The voice has finished a segment: now the quiet to listen or feel, or, at the end
        of a step that waits, the wait for the person."""
        self._require(State.PLAYING)
        self._set(State.WAITING if self.in_last_segment and self.step.wait else State.SILENCE)

    def silence_finished(self) -> None:
        """Quiet time over: the next segment speaks; after the last, the step is done."""
        self._require(State.SILENCE)
        if not self.in_last_segment:
            self.segment += 1
            self._set(State.PLAYING)
            return
        self._finish_step()

    def continue_on(self) -> None:
        """The person goes on from a quiet: at once from a silence, or out of a wait."""
        self._require(State.SILENCE, State.WAITING)
        if self.state is State.SILENCE:
            self.silence_finished()
        else:
            self._finish_step()

    def _finish_step(self) -> None:
        self._log(StepEvent.FINISHED)
        if self.is_last_step:
            self._set(State.CHECK_OUT)
        else:
            self._start_step(self.index + 1)

    def pause(self) -> None:
        self._require(State.PLAYING, State.SILENCE)
        self._log(StepEvent.PAUSED)
        self._set(State.PAUSED)

    def play(self) -> None:
        """Resume from pause: the current step's voice starts again from where it was."""
        self._require(State.PAUSED)
        self._log(StepEvent.RESUMED)
        self._set(State.PLAYING)

    def next_step(self) -> None:
        self._require(*MOVABLE)
        self._log(StepEvent.SKIPPED)
        if self.is_last_step:
            self._set(State.CHECK_OUT)
        else:
            self._start_step(self.index + 1)

    def previous_step(self) -> None:
        self._require(*MOVABLE)
        self._start_step(max(0, self.index - 1))

    def replay(self) -> None:
        self._require(*MOVABLE)
        self._start_step(self.index, kind=StepEvent.REPLAYED)

    def go_to(self, index: int) -> None:
        self._require(*MOVABLE)
        if not 0 <= index < len(self.practice.steps):
            raise IndexError(index)
        self._start_step(index)

    def ground(self) -> None:
        """Stop everything and offer grounding; allowed at any moment of the session."""
        if self.state in (State.GROUNDING, State.ENDED):
            return
        self._before_grounding = self.state
        if self.session_id is not None:
            self._log(StepEvent.GROUNDING)
        self._set(State.GROUNDING)

    def return_from_grounding(self) -> None:
        """Back to the practice where it was, paused, so the person chooses when to go on."""
        self._require(State.GROUNDING)
        if self.session_id is None:
            self._set(State.CHECK_IN)
            return
        self._log(StepEvent.RETURNED)
        back = self._before_grounding
        # A wait stays a wait (the person decides when to go on anyway); the rest is paused.
        keep = (State.CHECK_OUT, State.CHECK_IN, State.WAITING)
        self._set(back if back in keep else State.PAUSED)

    def end_by_grounding(self) -> None:
        self._require(State.GROUNDING)
        self._end("grounded")

    def stop_early(self) -> None:
        if self.state is State.ENDED:
            return
        self._end("stopped_early")

    def check_out(self, intensity: int | None, self_energy: dict[str, int] | None = None,
                  note: str | None = None) -> None:
        self._require(State.CHECK_OUT)
        self.after = CheckIn("after", intensity, dict(self_energy or {}), note, self._started())
        self._record(self.after)
        self._end("completed", note)

    def _end(self, outcome: str, note: str | None = None) -> None:
        self.outcome = outcome
        if self.session_id is not None:
            self.journal.end_session(self.session_id, outcome, note)
        self._set(State.ENDED)

    @property
    def shift(self) -> tuple[int, int] | None:
        """(before, after) intensity, when both were given."""
        if self.before and self.after and None not in (self.before.intensity,
                                                       self.after.intensity):
            return (self.before.intensity, self.after.intensity)  # type: ignore[return-value]
        return None
