"""``EventLog``: the append-only record of one run's events, read by every subscriber.

The run's task is the only writer: it converts each engine event to a ``RunEvent`` once and
appends it. StreamRun, StreamContinueRun and WatchRun handlers are readers: each keeps its own
position, so a slow client never holds back the run or the other readers, and a reader that
re-attaches later replays from any sequence. Appending is a list append plus waking the readers
that wait (no lock: everything runs on the server's event loop).

Events are held serialized (``RunEvent`` wire bytes), with the few facts readers filter on
(sequence, payload case, whether it ends the segment) beside them. Why: a RunEvent message
held in memory costs ~1.6 KB (its upb arena) against ~0.2 KB as bytes, and a finished run's log
stays in memory while the run is retained for GetRun/WatchRun, so holding messages made the
log the largest part of a streamed run's footprint; and the bytes are what every consumer
needs anyway: gRPC sends them as they are (the RunService's stream methods pass bytes through,
see ``_register``), the database writer stores them, and each event is serialized once however
many readers it has. The rare readers that need messages (a live run's snapshot, the terminal
event's details) decode them on demand.

A log is *open* while a segment of the run executes (start to pause, or continue to the end)
and *closed* once that segment's terminal event is in; ContinueRun reopens it. Readers stop at
the terminal event of their segment (``stop_at_terminal``) or, for WatchRun, when they have
caught up with a closed log.
"""

from __future__ import annotations

import asyncio
import bisect
from collections.abc import AsyncIterator, Awaitable, Callable

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


_CASES: dict[str, str] = {}
"""One string object per payload case name, shared by every log (``WhichOneof`` returns a new
string on each call: ~60 bytes per held event otherwise)."""


class EventLog:
    """The events of one run, in sequence order, with notification of live readers.

    Held as parallel lists (sequences, payload cases, serialized events) plus the positions of
    this run's terminal events: a tuple per event would cost another ~64 bytes each.
    """

    __slots__ = (
        "_cases",
        "_closed",
        "_data",
        "_ends",
        "_sequences",
        "_waiters",
        "base_sequence",
        "readers",
        "run_id",
    )

    def __init__(self, run_id: str, *, base_sequence: int = 0) -> None:
        self.run_id = run_id
        # Events up to ``base_sequence`` happened before this process held the run (a run
        # continued from the database): they are only in the run_events table.
        self.base_sequence = base_sequence
        self._sequences: list[int] = []
        self._cases: list[str] = []
        self._data: list[bytes] = []
        self._ends: list[int] = []
        """Positions of this run's terminal events (one per segment: a list is the smaller)."""
        self._closed = False
        self._waiters: list[asyncio.Future[None]] = []
        self.readers = 0
        """Readers following the log now (the run's task schedules itself around them)."""

    def __len__(self) -> int:
        return len(self._data)

    @property
    def closed(self) -> bool:
        return self._closed

    @property
    def events(self) -> list[events_pb2.RunEvent]:
        """Every event held, decoded (for the rare readers that need messages, e.g. snapshots)."""
        decode = events_pb2.RunEvent.FromString
        return [decode(data) for data in self._data]

    @property
    def last_sequence(self) -> int:
        return self._sequences[-1] if self._sequences else self.base_sequence

    @property
    def first_sequence(self) -> int:
        """Sequence of the oldest event held or to come (earlier ones are only in the database)."""
        return self._sequences[0] if self._sequences else self.base_sequence + 1

    @property
    def last_case(self) -> str | None:
        """The payload case of the newest event held (None without events)."""
        return self._cases[-1] if self._cases else None

    def last_event(self) -> events_pb2.RunEvent | None:
        """The newest event held, decoded."""
        return events_pb2.RunEvent.FromString(self._data[-1]) if self._data else None

    def append(self, event: events_pb2.RunEvent) -> bytes:
        """Record ``event``; returns its serialized form (what the database writer stores)."""
        data = event.SerializeToString()
        case = event.WhichOneof("payload") or ""
        case = _CASES.get(case) or _CASES.setdefault(case, case)
        if case in TERMINAL_CASES and event.run_id == self.run_id:
            self._ends.append(len(self._data))
        self._sequences.append(event.sequence)
        self._cases.append(case)
        self._data.append(data)
        if self._waiters:
            self._wake()
        return data

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
        return bisect.bisect_right(self._sequences, sequence)

    async def follow_encoded(
        self,
        after_sequence: int = 0,
        *,
        basic_only: bool = False,
        stop_at_terminal: bool = True,
    ) -> AsyncIterator[bytes]:
        """Serialized events after ``after_sequence``: stored ones first, then live ones.

        ``stop_at_terminal``: end after the first terminal event of this run (a stream of one
        segment); otherwise end once caught up with a closed log (WatchRun).
        """
        cases, items, ends = self._cases, self._data, self._ends
        index = self.index_after(after_sequence)
        self.readers += 1
        try:
            while True:
                while index < len(items):
                    position = index
                    index += 1
                    if basic_only and cases[position] not in BASIC_CASES:
                        continue
                    yield items[position]
                    if stop_at_terminal and position in ends:
                        return
                if self._closed:
                    return
                await self.wait()
        finally:
            self.readers -= 1

    async def send(
        self,
        write: Callable[[bytes], Awaitable[None]],
        after_sequence: int = 0,
        *,
        basic_only: bool = False,
        stop_at_terminal: bool = True,
    ) -> None:
        """``follow_encoded`` as one coroutine that awaits ``write`` for each event.

        This is the streaming handlers' path (``write`` is the call's ``context.write``): no
        async generator between the log and grpc, so an event costs no generator resumptions
        on its way out and an open stream holds no generator frames.
        """
        cases, items, ends = self._cases, self._data, self._ends
        index = self.index_after(after_sequence)
        self.readers += 1
        try:
            while True:
                while index < len(items):
                    position = index
                    index += 1
                    if basic_only and cases[position] not in BASIC_CASES:
                        continue
                    await write(items[position])
                    if stop_at_terminal and position in ends:
                        return
                if self._closed:
                    return
                await self.wait()
        finally:
            self.readers -= 1

    async def follow(
        self,
        after_sequence: int = 0,
        *,
        basic_only: bool = False,
        stop_at_terminal: bool = True,
    ) -> AsyncIterator[events_pb2.RunEvent]:
        """``follow_encoded``, decoded (for in-process readers that need messages)."""
        decode = events_pb2.RunEvent.FromString
        async for data in self.follow_encoded(
            after_sequence, basic_only=basic_only, stop_at_terminal=stop_at_terminal
        ):
            yield decode(data)
