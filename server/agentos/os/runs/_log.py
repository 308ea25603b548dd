"""``EventLog``: the append-only record of one run's events, read by every subscriber.

The run's task is the only writer: it converts each engine event to a ``RunEvent`` once and
appends it. StreamRun, StreamContinueRun and WatchRun handlers are readers: each keeps its own
position, so a slow client never holds back the run or the other readers, and a reader that
re-attaches later replays from any sequence. Appending is a list append plus waking the readers
that wait (no lock: everything runs on the server's event loop).

A log is *open* while a segment of the run executes (start to pause, or continue to the end)
and *closed* once that segment's terminal event is in; ContinueRun reopens it. Readers stop at
the terminal event of their segment (``stop_at_terminal``) or, for WatchRun, when they have
caught up with a closed log.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import AsyncIterator

from agentos.v1 import events_pb2

TERMINAL_CASES = frozenset(
    {
        "run_completed",
        "run_paused",
        "run_cancelled",
        "run_error",
        "team_run_completed",
        "team_run_paused",
        "team_run_cancelled",
        "team_run_error",
        "workflow_completed",
        "workflow_cancelled",
        "workflow_error",
    }
)
"""Payload cases that end a stream (for the run the stream is about)."""

BASIC_CASES = TERMINAL_CASES | {
    "run_content",
    "run_intermediate_content",
    "custom_event",
    "team_run_content",
    "team_run_intermediate_content",
}
"""What a subscriber with ``stream_events=False`` receives: content, custom and terminal events."""


def _sequence(event: events_pb2.RunEvent) -> int:
    return event.sequence


class EventLog:
    """The events of one run, in sequence order, with notification of live readers."""

    __slots__ = ("_closed", "_waiters", "base_sequence", "events", "run_id")

    def __init__(self, run_id: str, *, base_sequence: int = 0) -> None:
        self.run_id = run_id
        # Events up to ``base_sequence`` happened before this process held the run (a run
        # continued from the database): they are only in the run_events table.
        self.base_sequence = base_sequence
        self.events: list[events_pb2.RunEvent] = []
        self._closed = False
        self._waiters: list[asyncio.Future[None]] = []

    def __len__(self) -> int:
        return len(self.events)

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def last_sequence(self) -> int:
        return self.events[-1].sequence if self.events else self.base_sequence

    @property
    def first_sequence(self) -> int:
        """Sequence of the oldest event held or to come (earlier ones are only in the database)."""
        return self.events[0].sequence if self.events else self.base_sequence + 1

    def append(self, event: events_pb2.RunEvent) -> None:
        self.events.append(event)
        if self._waiters:
            self._wake()

    def close(self) -> None:
        """The current segment ended (its terminal event is in)."""
        self._closed = True
        self._wake()

    def reopen(self) -> None:
        """A continued run appends a new segment."""
        self._closed = False

    def _wake(self) -> None:
        waiters = self._waiters
        self._waiters = []
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(None)

    async def wait(self) -> None:
        """Return once something was appended or the log was closed (after this call)."""
        waiter: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        try:
            await waiter
        finally:
            if not waiter.done():
                waiter.cancel()
                if waiter in self._waiters:
                    self._waiters.remove(waiter)

    def index_after(self, sequence: int) -> int:
        """Position of the first event with a sequence larger than ``sequence``."""
        return bisect.bisect_right(self.events, sequence, key=_sequence)

    async def follow(
        self,
        after_sequence: int = 0,
        *,
        basic_only: bool = False,
        stop_at_terminal: bool = True,
    ) -> AsyncIterator[events_pb2.RunEvent]:
        """Events after ``after_sequence``: stored ones first, then live ones.

        ``stop_at_terminal``: end after the first terminal event of this run (a stream of one
        segment); otherwise end once caught up with a closed log (WatchRun).
        """
        events = self.events
        index = self.index_after(after_sequence)
        run_id = self.run_id
        while True:
            while index < len(events):
                event = events[index]
                index += 1
                case = event.WhichOneof("payload")
                if basic_only and case not in BASIC_CASES:
                    continue
                yield event
                if stop_at_terminal and case in TERMINAL_CASES and event.run_id == run_id:
                    return
            if self._closed:
                return
            await self.wait()
