"""Run events in the database: batched writes, and reads for replicas that do not own the run.

Why batched: a streamed answer is hundreds of small events; one transaction each would make
the database the bottleneck of streaming. ``DbEventWriter`` queues events and writes each run's
queue in one ``append_run_events`` call every ``flush_interval`` (about 50 ms), and at once
when a segment ends (terminal or paused), so a finished run's events are complete in the
database shortly after its terminal event reached the client.

Events are stored as their serialized ``RunEvent`` (base64 in the JSON column) next to the
event name: exact round trip, no JSON conversion on the hot path, readable by any replica. The
writer takes the bytes the run's ``EventLog`` already holds, so an event is serialized once
for the log, every stream and the database.

Readers: ``read_events`` replays what is stored; ``follow_stored`` polls for new events of a
run that another replica executes, until a terminal event arrives (``EventSource`` is the
pluggable seam: a PostgreSQL LISTEN/NOTIFY implementation can replace the polling).
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import logging
from binascii import b2a_base64
from collections.abc import AsyncIterator, Mapping
from typing import Any, Protocol

from agentos.db import BaseDb
from agentos.os.runs._log import TERMINAL_CASES
from agentos.v1 import events_pb2

logger = logging.getLogger("agentos.os.runs")

PB_KEY = "pb"
EVENT_KEY = "event"


def event_record(event: events_pb2.RunEvent) -> dict[str, Any]:
    """The JSON record of one event (see the module docstring)."""
    return encoded_record(event.event, event.SerializeToString())


def encoded_record(name: str, data: bytes) -> dict[str, Any]:
    """The JSON record of one event given its name and serialized ``RunEvent``."""
    return {EVENT_KEY: name, PB_KEY: base64.b64encode(data).decode("ascii")}


def encoded_record_json(name: str, data: bytes) -> str:
    """``encoded_record`` as JSON text, built directly: base64 needs no escaping and the name's
    encoding is cached. What the writer stores (``append_run_events_json``): about a quarter of
    the CPU of building the mapping and running the JSON encoder over it, per event of every
    streamed answer, on the loop that streams it."""
    return (
        f'{{"{EVENT_KEY}":{_name_json(name)},"{PB_KEY}":"{b2a_base64(data, newline=False).decode("ascii")}"}}'
    )


def _name_json(name: str) -> str:
    text = _NAME_JSON.get(name)
    if text is None:
        text = json.dumps(name, ensure_ascii=False)
        if len(_NAME_JSON) < 4096:  # not an unbounded cache, whatever names custom events have
            _NAME_JSON[name] = text
    return text


_NAME_JSON: dict[str, str] = {}
"""Event names as JSON strings (a few dozen in practice)."""


def event_from_record(record: Mapping[str, Any]) -> events_pb2.RunEvent | None:
    """The RunEvent of a stored record; None for records this server did not write."""
    data = record.get(PB_KEY)
    if not isinstance(data, str):
        return None
    try:
        return events_pb2.RunEvent.FromString(base64.b64decode(data))
    except Exception:  # a corrupt row must not break a replay: it is skipped
        logger.warning("skipping an unreadable stored run event")
        return None


async def read_events(
    db: BaseDb, run_id: str, after_sequence: int = 0, limit: int | None = None
) -> list[events_pb2.RunEvent]:
    records = await db.get_run_events(run_id, after_sequence=after_sequence, limit=limit)
    out: list[events_pb2.RunEvent] = []
    for record in records:
        event = event_from_record(record.event)
        if event is not None:
            out.append(event)
    return out


class EventSource(Protocol):
    """Where a replica reads the events of a run it does not execute."""

    def follow(self, db: BaseDb, run_id: str, after_sequence: int) -> AsyncIterator[events_pb2.RunEvent]:
        """Stored events after ``after_sequence``, then new ones until the run's terminal event."""
        ...


class PollingEventSource:
    """Polls the run_events table every ``interval`` seconds (works on every backend).

    ``idle_timeout``: give up when no new event arrived for that long (the replica that ran the
    run may have died without writing a terminal event); the caller reports it.

    ``gap_wait``: a run's sequences are consecutive, but the owner's batches commit on separate
    connections, so a later batch (e.g. the one written when the run ends) can become visible
    before an earlier one. A reader that sees a gap waits up to this long for it to fill before
    going on without the missing events (they may have been dropped by a writer that could not
    keep up), so it neither skips events nor stops early at a terminal event seen too soon.
    """

    def __init__(
        self, *, interval: float = 0.1, idle_timeout: float = 300.0, batch: int = 500, gap_wait: float = 2.0
    ) -> None:
        self.interval = interval
        self.idle_timeout = idle_timeout
        self.batch = batch
        self.gap_wait = gap_wait

    async def follow(
        self, db: BaseDb, run_id: str, after_sequence: int
    ) -> AsyncIterator[events_pb2.RunEvent]:
        loop = asyncio.get_running_loop()
        last_progress = loop.time()
        gap_since: float | None = None
        position = after_sequence
        while True:
            events = await read_events(db, run_id, position, self.batch)
            if events and events[0].sequence != position + 1:
                gap_since = loop.time() if gap_since is None else gap_since
                if loop.time() - gap_since < self.gap_wait:
                    await asyncio.sleep(self.interval)
                    continue
            gap_since = None
            for index, event in enumerate(events):
                if index and event.sequence != position + 1:
                    break  # a gap further on: read again from here
                position = event.sequence
                yield event
                if event.WhichOneof("payload") in TERMINAL_CASES and event.run_id == run_id:
                    return
            if events:
                last_progress = loop.time()
                if len(events) == self.batch:
                    continue
            elif loop.time() - last_progress > self.idle_timeout:
                raise TimeoutError(f"run {run_id!r} produced no event for {self.idle_timeout:g}s")
            await asyncio.sleep(self.interval)


class DbEventWriter:
    """Queues events per run and writes them in batches (see the module docstring)."""

    def __init__(self, db: BaseDb, *, flush_interval: float = 0.05, max_pending: int = 100_000) -> None:
        self.db = db
        self.flush_interval = flush_interval
        self.max_pending = max_pending
        # Per run: (sequence, event name, serialized RunEvent), in order.
        self._pending: dict[str, list[tuple[int, str, bytes]]] = {}
        self._count = 0
        self._task: asyncio.Task[None] | None = None
        self._wakeup: asyncio.Event | None = None
        self._closed = False

    def add(self, run_id: str, event: events_pb2.RunEvent, data: bytes | None = None) -> None:
        """Queue one event (no I/O here: the flusher writes it within ``flush_interval``).

        ``data``: the event already serialized (as the run's log holds it), not serialized again.
        """
        queue = self._pending.get(run_id)
        if queue is None:
            queue = self._pending[run_id] = []
            if self._task is None:
                self._start()
        queue.append((event.sequence, event.event, event.SerializeToString() if data is None else data))
        self._count += 1
        if self._count > self.max_pending:
            self._drop_oldest()

    def _start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._flush_loop(), name="agentos-run-events")

    def _drop_oldest(self) -> None:
        # The database is not keeping up (or is down): bound memory, keep the newest events.
        run_id, queue = next(iter(self._pending.items()))
        dropped = len(queue)
        del self._pending[run_id]
        self._count -= dropped
        logger.warning(
            "run events: dropped %d unsaved event(s) of run %s (database too slow)", dropped, run_id
        )

    async def _flush_loop(self) -> None:
        try:
            while not self._closed:
                await asyncio.sleep(self.flush_interval)
                await self.flush_all()
                if not self._pending:
                    # Idle: stop until the next event starts the loop again.
                    break
        finally:
            self._task = None

    async def flush_all(self) -> None:
        # All runs' batches at once: the database gets them together (SqliteDb commits them
        # as one group) instead of one round trip after another, which fell behind with
        # hundreds of runs streaming at once and dropped events.
        await asyncio.gather(*(self.flush(run_id) for run_id in list(self._pending)))

    async def flush(self, run_id: str) -> None:
        """Write the queued events of one run now (called when a segment ends)."""
        queue = self._pending.pop(run_id, None)
        if not queue:
            return
        self._count -= len(queue)
        try:
            await self.db.append_run_events_json(
                run_id, [(sequence, encoded_record_json(name, data)) for sequence, name, data in queue]
            )
        except Exception as exc:  # storage trouble must not end the run or its stream
            logger.warning("run events of %s could not be saved (will retry): %s", run_id, exc)
            retry = self._pending.setdefault(run_id, [])
            retry[:0] = queue
            self._count += len(queue)

    async def close(self) -> None:
        """Write what is queued and stop the flusher."""
        self._closed = True
        task = self._task
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.flush_all()
