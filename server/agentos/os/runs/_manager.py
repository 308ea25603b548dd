"""``RunManager``: every run of one server, each executing in its own task.

A run is started as an asyncio task decoupled from the RPC that asked for it, so CreateRun,
StreamRun, background runs, WatchRun and CancelRun all see the same thing: a ``RunEntry`` with
an ``EventLog`` that the run's task appends to. The task always runs the target with every
event (``stream_events``) and converts each event to a ``RunEvent`` exactly once; subscribers
filter. A run's task is registered with the server's in-flight tracker, so graceful shutdown
waits for it and then cancels it through the engine (it ends with an in-band RunCancelled).

Finished (and paused) entries stay in memory for ``RunSettings.retain_seconds`` /
``retain_finished`` so that GetRun and WatchRun are served from memory; after that they come
from the database (runs table, run_events table) when there is one.

Cancellation goes through the engine's cancellation registry
(``agentos.run.cancellation``): a cancel for a run whose engine has not registered yet is
remembered there and ends the run as soon as it starts (cancel-before-start).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

from agentos._ids import new_id
from agentos.db import BaseDb, RunRecord
from agentos.os._errors import Reason, already_exists, to_rpc_error
from agentos.os._runtime import RuntimeState
from agentos.os.runs._log import TERMINAL_CASES, EventLog
from agentos.os.runs._runner import Runner, RunStream
from agentos.os.runs._snapshot import fold_events
from agentos.os.runs._store import DbEventWriter, PollingEventSource
from agentos.run import RunCancelledEvent, RunInput, RunOutput, RunStatus
from agentos.run.cancellation import get_cancellation_registry
from agentos.v1 import common_pb2, events_pb2, runs_pb2
from agentos.wire import ContinueArguments, RunArguments, event_to_proto, run_input_to_proto, run_to_proto

logger = logging.getLogger("agentos.os.runs")

ACTIVE_STATES = frozenset({runs_pb2.RUN_STATE_PENDING, runs_pb2.RUN_STATE_RUNNING})
TERMINAL_STATES = frozenset(
    {runs_pb2.RUN_STATE_COMPLETED, runs_pb2.RUN_STATE_CANCELLED, runs_pb2.RUN_STATE_FAILED}
)
SHUTDOWN_REASON = "the server is shutting down"
YIELD_EVERY = 4
"""A run's task that produces events without suspending yields to the loop after its first
event and every this many (``_drive``), so that its streams send what is logged meanwhile.

Measured on one stream whose model delivers 1000 chunks at once (``bench_served.py``,
chunky-http): every 4 events ~13k events/s, every 32 ~11.6k/s, every event ~12.5k/s; with 8
concurrent streams the aggregate rate is the same within noise.
"""
LONE_RUN_YIELD = True
"""A run streamed while no other run executes on the server yields after *every* event, and
behind the I/O callbacks due meanwhile (``yield_after_io``).

Why: grpc sends one message of a stream at a time, and the handler can send the next only
once the loop has processed grpc's report that the previous one left; a run task that keeps
the loop meanwhile delays every message by the rest of its slice. Measured (suite workload 5,
one stream, 1000 buffered chunks, alternated runs on a loaded machine): 12.5-13.7k events/s
against 10.6-11.5k with ``sleep(0)`` every 4 events, for ~3-5 us more server CPU per event (a
timer and a loop turn per event). Under concurrency other runs fill those gaps and the extra
turns only cost (8 streams: ~17-18k aggregate events/s against 20-22k), hence lone runs only.
"""


def _resume(waiter: asyncio.Future[None]) -> None:
    if not waiter.done():
        waiter.set_result(None)


async def yield_after_io() -> None:
    """Let the loop run what is ready *and* the I/O callbacks due meanwhile before going on.

    ``asyncio.sleep(0)`` puts the caller back in the ready queue at once, ahead of the I/O
    callbacks that the next turn of the loop collects, so a run producing events without
    suspending runs before the stream handler every time grpc reports a message sent. A
    zero-delay timer is taken after the I/O callbacks of the same turn, so the handler (woken
    by them) goes first and grpc's one in-flight message is replaced sooner.
    """
    loop = asyncio.get_running_loop()
    waiter = loop.create_future()
    loop.call_later(0, _resume, waiter)
    await waiter


_STATE_OF_CASE = {
    "run_completed": runs_pb2.RUN_STATE_COMPLETED,
    "run_paused": runs_pb2.RUN_STATE_PAUSED,
    "run_cancelled": runs_pb2.RUN_STATE_CANCELLED,
    "run_error": runs_pb2.RUN_STATE_FAILED,
    "team_run_completed": runs_pb2.RUN_STATE_COMPLETED,
    "team_run_paused": runs_pb2.RUN_STATE_PAUSED,
    "team_run_cancelled": runs_pb2.RUN_STATE_CANCELLED,
    "team_run_error": runs_pb2.RUN_STATE_FAILED,
    "workflow_completed": runs_pb2.RUN_STATE_COMPLETED,
    "workflow_cancelled": runs_pb2.RUN_STATE_CANCELLED,
    "workflow_error": runs_pb2.RUN_STATE_FAILED,
}
_STATE_OF_STATUS = {
    RunStatus.pending: runs_pb2.RUN_STATE_PENDING,
    RunStatus.running: runs_pb2.RUN_STATE_RUNNING,
    RunStatus.paused: runs_pb2.RUN_STATE_PAUSED,
    RunStatus.completed: runs_pb2.RUN_STATE_COMPLETED,
    RunStatus.cancelled: runs_pb2.RUN_STATE_CANCELLED,
    RunStatus.error: runs_pb2.RUN_STATE_FAILED,
}


@dataclass(frozen=True, slots=True)
class RunSettings:
    """Tunables of the run service (times in seconds).

    - ``retain_finished`` / ``retain_seconds``: how many finished or paused runs stay in
      memory, and for how long, for GetRun/WatchRun without a database round trip.
    - ``cancel_wait``: how long CancelRun waits for a running run to end before answering.
    - ``persist_events`` / ``event_flush_interval``: write run events to the database (when
      there is one), batched at this interval.
    - ``remote_poll_interval`` / ``remote_idle_timeout``: WatchRun of a run executing on
      another replica polls the database this often, and gives up after this long without
      a new event.
    - ``control_poll_interval``: how often a replica executing runs looks for cancel requests
      recorded by other replicas (one query for all its runs; see ``_control``).
    - ``cancel_request_ttl``: how long a recorded cancel waits for its run to start or be seen.
    - ``reattach_wait``: how long a request_id retry waits for the first attempt, on another
      replica, to start its run before answering UNAVAILABLE.
    """

    retain_finished: int = 1000
    retain_seconds: float = 600.0
    cancel_wait: float = 10.0
    persist_events: bool = True
    event_flush_interval: float = 0.05
    remote_poll_interval: float = 0.1
    remote_idle_timeout: float = 300.0
    control_poll_interval: float = 0.1
    cancel_request_ttl: float = 600.0
    reattach_wait: float = 30.0


def state_of_status(status: RunStatus) -> runs_pb2.RunState:
    return _STATE_OF_STATUS[status]


def state_of_events(events: list[events_pb2.RunEvent], run_id: str) -> runs_pb2.RunState:
    """RUNNING, or the state the run's last terminal event put it in (for runs known by events)."""
    for event in reversed(events):
        if event.run_id and event.run_id != run_id:
            continue
        state = _STATE_OF_CASE.get(event.WhichOneof("payload") or "")
        if state is not None:
            return state
        if event.WhichOneof("payload") == "run_continued":
            return runs_pb2.RUN_STATE_RUNNING
    return runs_pb2.RUN_STATE_RUNNING


class RunEntry:
    """One run known to this server: identity, owner, event log, state and final output."""

    __slots__ = (
        "_settled_event",
        "args",
        "background",
        "cancellation_reason",
        "created_at",
        "db",
        "error",
        "finished_at",
        "log",
        "output",
        "run_id",
        "runner",
        "session_id",
        "settled",
        "state",
        "task",
        "user_id",
        "writer",
    )

    def __init__(
        self,
        *,
        runner: Runner,
        run_id: str,
        session_id: str,
        user_id: str | None,
        db: BaseDb | None,
        writer: DbEventWriter | None,
        args: RunArguments | None = None,
        log: EventLog | None = None,
    ) -> None:
        self.runner = runner
        self.run_id = run_id
        self.session_id = session_id
        self.user_id = user_id
        self.db = db
        self.writer = writer
        self.args = args
        self.log = log if log is not None else EventLog(run_id)
        self.state: runs_pb2.RunState = runs_pb2.RUN_STATE_PENDING
        self.output: RunOutput | None = None
        self.error: common_pb2.ErrorDetail | None = None
        self.cancellation_reason: str | None = None
        self.settled = False
        """Whether the current segment ended (see ``wait_settled``)."""
        # Created only when someone waits (CreateRun, CancelRun): most streamed runs never are
        # waited on, and an asyncio.Event with its deque of waiters is ~0.6 KB per entry.
        self._settled_event: asyncio.Event | None = None
        self.task: asyncio.Task[None] | None = None
        self.finished_at: float | None = None
        self.created_at = time.time()
        self.background = False

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES

    @property
    def target(self) -> tuple[str, str]:
        """``(kind, id)`` of what runs, e.g. ``("agent", "a1")``."""
        return self.runner.kind, self.runner.target_id

    def target_ids(self) -> dict[str, str | None]:
        kind, target_id = self.target
        return {f"{k}_id": (target_id if k == kind else None) for k in ("agent", "team", "workflow")}

    def base_run(self) -> runs_pb2.Run:
        """What is known before any event: identity, input, state, creation time."""
        run = runs_pb2.Run(run_id=self.run_id, session_id=self.session_id, state=self.state)
        kind, target_id = self.target
        setattr(run, f"{kind}_id", target_id)
        if self.runner.name:
            setattr(run, f"{kind}_name", self.runner.name)
        if self.user_id:
            run.user_id = self.user_id
        args = self.args
        if args is not None:
            run.input.CopyFrom(
                run_input_to_proto(
                    RunInput(
                        input_content=args.input,
                        images=args.images,
                        videos=args.videos,
                        audio=args.audio,
                        files=args.files,
                    )
                )
            )
        run.created_at.FromNanoseconds(int(self.created_at * 1e9))
        return run

    def snapshot(self, *, full: bool) -> runs_pb2.Run:
        """The Run as it is now: the final output's conversion once settled, else folded events."""
        log = self.log
        if self.output is not None and not self.active:
            run = run_to_proto(
                self.output,
                full=full,
                error=self.error,
                cancellation_reason=self.cancellation_reason,
                event_count=log.last_sequence or None,
                last_sequence=log.last_sequence or None,
            )
            run.state = self.state
            return run
        return fold_events(self.base_run(), log.events)

    def finish(self, output: RunOutput | None) -> None:
        """Record how the segment ended (from the output, or from the terminal event)."""
        if output is not None:
            self.output = output
        case = self.log.last_case
        if output is not None:
            self.state = state_of_status(output.status)
        elif case in _STATE_OF_CASE:
            self.state = _STATE_OF_CASE[case or ""]
        else:
            self.state = runs_pb2.RUN_STATE_FAILED
        if case in ("run_error", "run_cancelled"):
            last = self.log.last_event()
            if last is not None and case == "run_error":
                self.error = last.run_error.error
            if last is not None and case == "run_cancelled":
                self.cancellation_reason = last.run_cancelled.reason or None
        self.mark_settled()

    def mark_settled(self) -> None:
        """The segment ended: release whoever waits for it."""
        self.settled = True
        event = self._settled_event
        if event is not None:
            event.set()

    def unsettle(self) -> None:
        """A new segment starts (the run is continued)."""
        self.settled = False
        self._settled_event = None

    async def wait_settled(self) -> None:
        """Return once the current segment has ended."""
        if self.settled:
            return
        event = self._settled_event
        if event is None:
            event = self._settled_event = asyncio.Event()
        await event.wait()


class RunManager:
    """The runs of one running server (see the module docstring)."""

    def __init__(self, runtime: RuntimeState, settings: RunSettings | None = None) -> None:
        self.runtime = runtime
        self.settings = settings or RunSettings()
        self._entries: dict[str, RunEntry] = {}
        self._finished: OrderedDict[str, float] = OrderedDict()
        self._writers: dict[int, DbEventWriter] = {}
        self._running = 0  # run tasks executing now (see LONE_RUN_YIELD)
        self.source = PollingEventSource(
            interval=self.settings.remote_poll_interval, idle_timeout=self.settings.remote_idle_timeout
        )

    # -- lookup ---------------------------------------------------------------------------------

    @property
    def active_count(self) -> int:
        """Runs executing now (pending or running) on this server."""
        return sum(1 for entry in self._entries.values() if entry.active)

    def get(self, run_id: str) -> RunEntry | None:
        self._evict(time.monotonic())
        return self._entries.get(run_id)

    def entries(self) -> list[RunEntry]:
        """Every run held in memory, newest first."""
        return sorted(self._entries.values(), key=lambda e: e.created_at, reverse=True)

    def databases(self) -> list[BaseDb]:
        """The databases runs may be stored in: the default one first, then the entities' own."""
        registry = self.runtime.registry
        found: list[BaseDb] = []
        default = registry.default_db()
        if default is not None:
            found.append(default)
        for entry in registry.databases.values():
            if all(entry.db is not db for db in found):
                found.append(entry.db)
        return found

    def events_db(self, runner: Runner) -> BaseDb | None:
        """Where the events of a runner's runs go: its own db, else the server's default."""
        return runner.db or self.runtime.registry.default_db()

    def _writer(self, db: BaseDb | None) -> DbEventWriter | None:
        if db is None or not self.settings.persist_events:
            return None
        writer = self._writers.get(id(db))
        if writer is None:
            writer = self._writers[id(db)] = DbEventWriter(
                db, flush_interval=self.settings.event_flush_interval
            )
        return writer

    async def stored_run(self, run_id: str) -> tuple[BaseDb, RunRecord] | None:
        for db in self.databases():
            record = await db.get_run(run_id)
            if record is not None:
                return db, record
        return None

    # -- starting -------------------------------------------------------------------------------

    async def start(
        self, runner: Runner, args: RunArguments, *, user_id: str | None, background: bool = False
    ) -> RunEntry:
        """Start a run in its own task; raises before starting for bad ids or a target that cannot run."""
        run_id = args.run_id or new_id()
        if args.run_id:
            if run_id in self._entries or await self.stored_run(run_id) is not None:
                raise already_exists("run", run_id, reason=Reason.ERROR_REASON_RUN_ALREADY_EXISTS)
            if run_id in self._entries:  # started meanwhile by a concurrent request
                raise already_exists("run", run_id, reason=Reason.ERROR_REASON_RUN_ALREADY_EXISTS)
        session_id = args.session_id or runner.default_session_id()
        stream = runner.start(args, run_id=run_id, session_id=session_id, user_id=user_id)
        db = self.events_db(runner)
        entry = RunEntry(
            runner=runner,
            run_id=run_id,
            session_id=session_id,
            user_id=user_id,
            db=db,
            writer=self._writer(db),
            args=args,
        )
        entry.background = background
        self._entries[run_id] = entry
        entry.task = asyncio.get_running_loop().create_task(self._drive(entry, stream), name=f"run-{run_id}")
        return entry

    def adopt(self, runner: Runner, record: RunRecord, output: RunOutput, last_sequence: int) -> RunEntry:
        """An entry for a run known only from the database (paused elsewhere, or evicted here)."""
        existing = self._entries.get(record.run_id)
        if existing is not None:
            return existing
        db = self.events_db(runner)
        entry = RunEntry(
            runner=runner,
            run_id=record.run_id,
            session_id=record.session_id,
            user_id=record.user_id,
            db=db,
            writer=self._writer(db),
            log=EventLog(record.run_id, base_sequence=last_sequence),
        )
        entry.output = output
        entry.state = state_of_status(output.status)
        entry.created_at = float(record.created_at or output.created_at or time.time())
        entry.log.close()
        entry.mark_settled()
        entry.finished_at = time.monotonic()
        self._entries[record.run_id] = entry
        self._retire(entry)
        return entry

    async def resume(self, entry: RunEntry, args: ContinueArguments, *, background: bool = False) -> int:
        """Continue a paused entry in a new task; returns the sequence the new segment follows."""
        stream = entry.runner.resume(args, user_id=entry.user_id)
        start_sequence = entry.log.last_sequence
        entry.state = runs_pb2.RUN_STATE_PENDING
        entry.error = None
        entry.cancellation_reason = None
        entry.finished_at = None
        entry.background = background
        entry.unsettle()
        entry.log.reopen()
        self._finished.pop(entry.run_id, None)
        entry.task = asyncio.get_running_loop().create_task(
            self._drive(entry, stream), name=f"run-{entry.run_id}-continue"
        )
        return start_sequence

    async def _drive(self, entry: RunEntry, stream: RunStream) -> None:
        """The run's task: every event converted once, appended to the log, queued for the db."""
        run_id = entry.run_id
        log = entry.log
        writer = entry.writer
        user_id = entry.user_id or ""
        output: RunOutput | None = None
        with self.runtime.inflight.track_run(
            run_id, cancel=lambda: self.request_cancel(run_id, SHUTDOWN_REASON)
        ):
            entry.state = runs_pb2.RUN_STATE_RUNNING
            self._running += 1
            try:
                try:
                    count = 0
                    async for item in stream:
                        if isinstance(item, RunOutput):
                            output = item
                            continue
                        event = event_to_proto(item, user_id=user_id)
                        data = log.append(event)
                        if writer is not None:
                            writer.add(run_id, event, data)
                        count += 1
                        if log.readers and self._running == 1 and LONE_RUN_YIELD:
                            await yield_after_io()
                        elif count == 1 or count % YIELD_EVERY == 0:
                            # A target that produces events without suspending (a fast provider
                            # delivering many chunks at once) must not hold the loop: readers
                            # get the first event at once, and the rest in batches.
                            await asyncio.sleep(0)
                finally:
                    aclose = getattr(stream, "aclose", None)
                    if aclose is not None:
                        await aclose()
            except asyncio.CancelledError:
                self._end_abnormally(entry, RuntimeError("the run's task was cancelled"), cancelled=True)
                raise
            except Exception as exc:
                self._end_abnormally(entry, exc)
            finally:
                if output is None and not self._ended(entry):
                    self._end_abnormally(entry, RuntimeError("the run ended without a terminal event"))
                self._running -= 1
                entry.finish(output)
                log.close()
                entry.finished_at = time.monotonic()
                self._retire(entry)
            if writer is not None:
                await writer.flush(run_id)
        if entry.task is asyncio.current_task():
            # The task is referenced only while it runs (asyncio keeps weak references): a
            # finished one kept by a retained entry would hold its coroutine and a slot in
            # asyncio's task registry for as long as the entry is retained.
            entry.task = None

    def _ended(self, entry: RunEntry) -> bool:
        return entry.log.last_case in TERMINAL_CASES

    def _end_abnormally(self, entry: RunEntry, exc: BaseException, *, cancelled: bool = False) -> None:
        """Append the terminal event the engine could not emit (the stream must end in-band)."""
        if self._ended(entry):
            return
        if cancelled:
            event = self.cancelled_event(entry, SHUTDOWN_REASON)
        else:
            error = to_rpc_error(exc, method="RunService.run") if isinstance(exc, Exception) else None
            event = self._base_event(entry, "RunError")
            detail = event.run_error.error
            detail.message = error.message if error is not None else str(exc)
            detail.reason = cast(Any, error.reason if error is not None else Reason.ERROR_REASON_INTERNAL)
            detail.code = error.code.value[0] if error is not None else 13
            detail.metadata["error_type"] = type(exc).__name__
        data = entry.log.append(event)
        if entry.writer is not None:
            entry.writer.add(entry.run_id, event, data)

    def _base_event(self, entry: RunEntry, name: str) -> events_pb2.RunEvent:
        event = events_pb2.RunEvent(
            run_id=entry.run_id,
            session_id=entry.session_id,
            user_id=entry.user_id or "",
            sequence=entry.log.last_sequence + 1,
            event=name,
        )
        kind, target_id = entry.target
        setattr(event, f"{kind}_id", target_id)
        if entry.runner.name:
            setattr(event, f"{kind}_name", entry.runner.name)
        event.created_at.GetCurrentTime()
        return event

    def cancelled_event(self, entry: RunEntry, reason: str) -> events_pb2.RunEvent:
        event = event_to_proto(
            RunCancelledEvent(
                reason=reason,
                run_id=entry.run_id,
                session_id=entry.session_id,
                agent_id=entry.runner.target_id if entry.runner.kind == "agent" else "",
                agent_name=entry.runner.name or "",
                sequence=entry.log.last_sequence + 1,
            ),
            user_id=entry.user_id or "",
        )
        return event

    # -- cancelling -----------------------------------------------------------------------------

    def request_cancel(self, run_id: str, reason: str | None = None) -> bool:
        """Ask a pending or running run of this server to stop; False when it is not active here.

        Only active runs are signalled: a cancel recorded for a run that just paused would
        otherwise end its continuation as soon as it starts.
        """
        entry = self._entries.get(run_id)
        if entry is None or not entry.active:
            return False
        cancel = getattr(entry.runner, "cancel", None)
        if cancel is not None:  # a runner whose runs execute elsewhere (runs/_remote.py)
            cancel(run_id, reason)
            return True
        get_cancellation_registry().cancel(run_id, reason)
        return True

    @staticmethod
    def cancel_before_start(run_id: str, reason: str | None) -> None:
        """Record a cancel for a run not started yet: it ends cancelled as soon as it starts."""
        get_cancellation_registry().cancel(run_id, reason)

    async def wait_settled(self, entry: RunEntry, within: float) -> bool:
        try:
            await asyncio.wait_for(entry.wait_settled(), within)
        except TimeoutError:
            return False
        return True

    async def cancel_paused(self, entry: RunEntry, reason: str, discard: Callable[[str], object]) -> None:
        """End a paused run: it can no longer be continued (memory and database agree)."""
        forward = getattr(entry.runner, "cancel_paused", None)
        if forward is not None:  # the run is paused on another server (runs/_remote.py)
            await forward(entry.run_id, reason)
        discard(entry.run_id)
        output = entry.output
        if output is not None:
            output.status = RunStatus.cancelled
            output.requirements = None
        db = entry.runner.db
        if db is not None:
            record = await db.get_run(entry.run_id)
            if record is not None and record.status == RunStatus.paused.value:
                data = dict(record.run_data)
                data["status"] = RunStatus.cancelled.value
                data["requirements"] = None
                session = await db.get_session(record.session_id)
                if session is not None:
                    await db.save_run(session, data)
        event = self.cancelled_event(entry, reason)
        entry.log.reopen()
        encoded = entry.log.append(event)
        entry.log.close()
        entry.state = runs_pb2.RUN_STATE_CANCELLED
        entry.cancellation_reason = reason
        if entry.writer is not None:
            entry.writer.add(entry.run_id, event, encoded)
            await entry.writer.flush(entry.run_id)

    # -- retention ------------------------------------------------------------------------------

    def _retire(self, entry: RunEntry) -> None:
        self._finished[entry.run_id] = time.monotonic()
        self._finished.move_to_end(entry.run_id)
        self._evict(time.monotonic())

    def _evict(self, now: float) -> None:
        finished = self._finished
        settings = self.settings
        while finished:
            run_id, at = next(iter(finished.items()))
            if len(finished) <= settings.retain_finished and now - at <= settings.retain_seconds:
                break
            del finished[run_id]
            entry = self._entries.get(run_id)
            if entry is not None and not entry.active:
                del self._entries[run_id]

    async def close(self) -> None:
        """Write the events still queued (at server shutdown)."""
        for writer in list(self._writers.values()):
            await writer.close()
