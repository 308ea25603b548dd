"""``agentos.v1.RunService``: runs started, streamed, continued, cancelled, read and re-attached.

The handlers are thin: they validate (``agentos.wire`` for run/continue requests), check who
may touch the run, and hand the work to the :class:`RunManager`; streams read the run's
``EventLog``. Where a run is found, in order: this server's memory (live, paused or recently
finished runs), the runs table (finished or paused runs of any replica), the run_events table
(a run executing on another replica, followed by polling).

Isolation: a non-admin caller only ever sees its own runs; any other run is NOT_FOUND, as if it
did not exist. Scopes (``agents:<id>:run``...) are checked by the auth interceptor for
CreateRun/StreamRun and here, once the run's target is known, for the others.

Client disconnects: a StreamRun or StreamContinueRun (and a waiting CreateRun/ContinueRun)
whose caller goes away cancels its run, unless ``background`` was set.

Several replicas on one database (``_control``): CancelRun of a run executing on another
replica records a cancel request, waits up to ``RunSettings.cancel_wait`` for the run to end
as the database shows it, and answers with the run: CANCELLED once its owner stored it so;
still RUNNING with ``cancellation_reason`` set when the owner did not confirm in time (the
request stays pending until it expires). request_id retries that reach another replica
re-attach to the first attempt's run; a re-attached caller going away does not cancel it.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from typing import Any, cast

import grpc
from agentos._ids import new_id
from agentos.db import BaseDb, RunRecord
from agentos.os._caller import acting_user, caller_key
from agentos.os._errors import (
    Reason,
    RpcError,
    failed_precondition,
    internal,
    invalid_argument,
    not_found,
    rpc_method,
)
from agentos.os._idempotency import IdempotencyKey
from agentos.os._runtime import RuntimeState
from agentos.os._validation import (
    bad_page_token,
    decode_offset_token,
    encode_offset_token,
    unwrap_page_token,
    wrap_page_token,
)
from agentos.os.auth import current_auth
from agentos.os.runs._control import RunControl
from agentos.os.runs._log import BASIC_CASES, TERMINAL_CASES
from agentos.os.runs._manager import RunEntry, RunManager, state_of_events
from agentos.os.runs._remote import RemoteRunner, is_remote
from agentos.os.runs._requests import ListQuery, check_run_id, full_view, list_query
from agentos.os.runs._runner import AgentRunner, Runner
from agentos.os.runs._snapshot import fold_events
from agentos.os.runs._store import read_events
from agentos.run import RunOutput, RunStatus
from agentos.v1 import common_pb2, events_pb2, run_service_pb2, run_service_pb2_grpc, runs_pb2
from agentos.wire import (
    ContinueArguments,
    RunArguments,
    continue_arguments_from_request,
    run_arguments_from_request,
    run_to_proto,
)

DISCONNECT_REASON = "the client disconnected"
DEFAULT_CANCEL_REASON = "cancelled by request"
_STORED_SEQUENCE_KEY = "_sequence"  # where the engine keeps a stored run's last event sequence

_CODES = {code.value[0]: code for code in grpc.StatusCode}
_NOT_FOUND_REASON = {
    "agent": Reason.ERROR_REASON_AGENT_NOT_FOUND,
    "team": Reason.ERROR_REASON_TEAM_NOT_FOUND,
    "workflow": Reason.ERROR_REASON_WORKFLOW_NOT_FOUND,
}

Context = grpc.aio.ServicerContext[Any, Any]
Outgoing = events_pb2.RunEvent | bytes
"""What the stream methods yield: a RunEvent, or one already serialized (the run's log holds
events as bytes; the service is registered with a serializer that passes bytes through)."""


@dataclass(frozen=True, slots=True)
class StoredRun:
    """A run found in the runs table (finished or paused, by any replica)."""

    db: BaseDb
    record: RunRecord
    output: RunOutput

    @property
    def last_sequence(self) -> int:
        value = self.record.run_data.get(_STORED_SEQUENCE_KEY)
        return value if isinstance(value, int) else 0


@dataclass(frozen=True, slots=True)
class RemoteRun:
    """A run known only by its stored events: executing on another replica (or not stored)."""

    db: BaseDb
    run_id: str
    first: events_pb2.RunEvent

    def base_run(self) -> runs_pb2.Run:
        first = self.first
        run = runs_pb2.Run(run_id=self.run_id, session_id=first.session_id, user_id=first.user_id)
        for kind in ("agent", "team", "workflow"):
            value = getattr(first, f"{kind}_id")
            if value:
                setattr(run, f"{kind}_id", value)
                setattr(run, f"{kind}_name", getattr(first, f"{kind}_name"))
                break
        run.created_at.CopyFrom(first.created_at)
        return run


Found = RunEntry | StoredRun | RemoteRun


def _owner_and_target(found: Found) -> tuple[str | None, dict[str, str | None]]:
    if isinstance(found, RunEntry):
        return found.user_id, found.target_ids()
    if isinstance(found, StoredRun):
        record = found.record
        return record.user_id, {
            "agent_id": record.agent_id,
            "team_id": record.team_id,
            "workflow_id": record.workflow_id,
        }
    first = found.first
    return first.user_id or None, {
        "agent_id": first.agent_id or None,
        "team_id": first.team_id or None,
        "workflow_id": first.workflow_id or None,
    }


def _run_not_found(run_id: str) -> RpcError:
    return not_found("run", run_id, reason=Reason.ERROR_REASON_RUN_NOT_FOUND)


def snapshot_event(run: runs_pb2.Run) -> events_pb2.RunEvent:
    """WatchRun's first message (sequence 0: it is not part of the run's event log)."""
    event = events_pb2.RunEvent(
        run_id=run.run_id, session_id=run.session_id, user_id=run.user_id, event="RunSnapshot"
    )
    target = run.WhichOneof("target")
    if target is not None:
        setattr(event, target, getattr(run, target))
        name_field = target.replace("_id", "_name")
        setattr(event, name_field, getattr(run, name_field))
    event.created_at.GetCurrentTime()
    event.run_snapshot.run.CopyFrom(run)
    return event


def run_failure(entry: RunEntry) -> RpcError:
    """The status a failed run is reported with (CreateRun/ContinueRun), from its RunError."""
    return failure_of(entry.run_id, entry.error)


def failure_of(run_id: str, detail: common_pb2.ErrorDetail | None) -> RpcError:
    """``run_failure`` for a run known by its id and error (e.g. read from the database)."""
    if detail is None:
        return internal(f"run {run_id} failed", run_id=run_id)
    metadata = {str(k): str(v) for k, v in detail.metadata.items()}
    metadata["run_id"] = run_id
    if metadata.get("error_type") == "SessionError":
        return RpcError(
            grpc.StatusCode.FAILED_PRECONDITION,
            Reason.ERROR_REASON_SESSION_MISMATCH,
            detail.message,
            metadata,
        )
    code = _CODES.get(detail.code, grpc.StatusCode.INTERNAL)
    if code == grpc.StatusCode.OK:
        code = grpc.StatusCode.INTERNAL
    reason = detail.reason or Reason.ERROR_REASON_INTERNAL
    return RpcError(code, reason, detail.message or f"run {run_id} failed", metadata)


def _requester() -> str | None:
    """Who records a cancel request: None for admins (their cancels apply to every user's run)."""
    return None if current_auth().is_admin else (caller_key() or None)


class DisconnectGuard:
    """Reacts to an RPC that ends before its handler finished (the client went away).

    grpc.aio reports the end of an RPC through the context's done callback, but does not always
    cancel a handler that is waiting for something else (here: the next event of a run), so the
    guard does both: it cancels the run (unless ``background``) and the handler's task, which
    frees the server's resources for the call at once.

    ``done()`` when the handler finished: it also drops the guard's reference to the handler's
    task, since the context (which holds the guard) is reachable from that task; the cycle
    would keep every finished call's state alive until a full garbage collection.
    """

    __slots__ = ("background", "finished", "manager", "run_id", "task")

    def __init__(self, context: Context, manager: RunManager, run_id: str, background: bool) -> None:
        self.finished = False
        self.manager = manager
        self.run_id = run_id
        self.background = background
        self.task = asyncio.current_task()
        context.add_done_callback(cast(Any, self))

    def done(self) -> None:
        self.finished = True
        self.task = None

    def __call__(self, _context: Any) -> None:
        if self.finished:
            return
        if not self.background:
            self.manager.request_cancel(self.run_id, DISCONNECT_REASON)
        task = self.task
        if task is not None and not task.done():
            task.cancel()


class RunService(run_service_pb2_grpc.RunServiceServicer):
    """The RunService of one running server."""

    def __init__(self, runtime: RuntimeState, manager: RunManager) -> None:
        self._runtime = runtime
        self._manager = manager
        self._runners: dict[tuple[str, str], Runner] = {}
        self._control = RunControl(manager, claim_ttl=runtime.idempotency.ttl_seconds)
        runtime.shutdown_hooks.append(self._control.close)

    # -- targets and access ---------------------------------------------------------------------

    def _runner(self, kind: str, target_id: str) -> Runner:
        key = (kind, target_id)
        runner = self._runners.get(key)
        if runner is not None:
            return runner
        registry = self._runtime.registry
        if kind == "agent" and target_id in registry.agents:
            agent = registry.agents[target_id]
            # A RemoteAgent (gateway federation) runs on its own AgentOS: see runs/_remote.py.
            runner = self._runners[key] = RemoteRunner(agent) if is_remote(agent) else AgentRunner(agent)
            return runner
        if kind in ("team", "workflow") and target_id in getattr(registry, f"{kind}s"):
            raise NotImplementedError(f"running {kind}s is not supported by the run service yet")
        raise not_found(kind, target_id, reason=_NOT_FOUND_REASON[kind])

    def _stored_runner(self, stored: StoredRun) -> Runner:
        record = stored.record
        for kind in ("agent", "team", "workflow"):
            target_id = getattr(record, f"{kind}_id")
            if target_id:
                return self._runner(kind, target_id)
        raise failed_precondition(
            Reason.ERROR_REASON_UNSPECIFIED,
            f"run {record.run_id} has no agent, team or workflow to resume it",
        )

    @staticmethod
    def _creating_user(requested: str | None) -> str | None:
        """Admins (and servers without auth) run for the user they name; others for themselves."""
        auth = current_auth()
        if auth.is_admin:
            return requested or auth.user_id
        return auth.user_id

    @staticmethod
    def _check_access(found: Found, run_id: str) -> None:
        owner, targets = _owner_and_target(found)
        auth = current_auth()
        if not auth.owns(owner):
            raise _run_not_found(run_id)
        auth.authorize_run(
            agent_id=targets["agent_id"],
            team_id=targets["team_id"],
            workflow_id=targets["workflow_id"],
            user_id=owner,
            check_owner=False,
        )

    async def _locate(self, run_id: str) -> Found | None:
        manager = self._manager
        entry = manager.get(run_id)
        if entry is not None:
            return entry
        for db in manager.databases():
            record = await db.get_run(run_id)
            if record is not None:
                return StoredRun(db, record, RunOutput.from_dict(record.run_data))
        for db in manager.databases():
            first = await read_events(db, run_id, 0, 1)
            if first:
                return RemoteRun(db, run_id, first[0])
        return None

    async def _find(self, run_id: str) -> Found:
        found = await self._locate(run_id)
        if found is None:
            raise _run_not_found(run_id)
        self._check_access(found, run_id)
        return found

    # -- starting -------------------------------------------------------------------------------

    async def _start(self, args: RunArguments, *, run_id: str | None = None) -> RunEntry:
        """Start a run (``run_id``: the id claimed for a request_id when the client chose none)."""
        self._runtime.check_accepting()
        runner = self._runner(args.target_kind, args.target_id)
        user_id = self._creating_user(args.user_id)
        if args.run_id:  # a client-chosen id may have been cancelled before start on any replica
            pending = await self._control.cancel_before_start(args.run_id, caller_key())
            if pending is not None:
                self._manager.cancel_before_start(args.run_id, pending.reason or DEFAULT_CANCEL_REASON)
        elif run_id:
            args = replace(args, run_id=run_id)
        entry = await self._manager.start(runner, args, user_id=user_id, background=args.background)
        self._control.track(entry)
        return entry

    async def _await_result(self, entry: RunEntry, background: bool, context: Context) -> runs_pb2.Run:
        """Wait for the segment to settle (cancelling the run if the caller goes away first)."""
        if not background:
            guard = DisconnectGuard(context, self._manager, entry.run_id, background)
            try:
                await entry.wait_settled()
            except asyncio.CancelledError:
                self._manager.request_cancel(entry.run_id, DISCONNECT_REASON)
                raise
            finally:
                guard.done()
        if entry.state == runs_pb2.RUN_STATE_FAILED:
            raise run_failure(entry)
        return entry.snapshot(full=False)

    async def _create(self, args: RunArguments, context: Context) -> run_service_pb2.CreateRunResponse:
        entry = await self._start(args)
        return run_service_pb2.CreateRunResponse(
            run=await self._await_result(entry, args.background, context)
        )

    @rpc_method
    async def CreateRun(
        self, request: run_service_pb2.CreateRunRequest, context: Context
    ) -> run_service_pb2.CreateRunResponse:
        args = run_arguments_from_request(request)
        if not args.request_id:
            return await self._create(args, context)
        key = ("CreateRun", caller_key(), args.request_id)
        return await self._runtime.idempotency.run(
            key, request, lambda: self._create_once(key, request, args, context)
        )

    async def _create_once(
        self, key: IdempotencyKey, request: Any, args: RunArguments, context: Context
    ) -> run_service_pb2.CreateRunResponse:
        """The first attempt on this replica: claim the request_id across replicas, or re-attach."""
        claim = await self._control.claim(key, request, args.run_id or new_id())
        if claim is None:
            return await self._create(args, context)
        if not claim.claimed:
            run = await self._reattached(claim.run_id, claim.sequence or 0, args.background)
            return run_service_pb2.CreateRunResponse(run=run)
        try:
            entry = await self._start(args, run_id=claim.run_id)
            await self._control.started(key, entry.run_id, 0)
            run = await self._await_result(entry, args.background, context)
        except BaseException:
            await self._control.release(key, claim.run_id)
            raise
        return run_service_pb2.CreateRunResponse(run=run)

    async def _start_streamed(self, args: RunArguments) -> runs_pb2.Run:
        entry = await self._start(args)
        return runs_pb2.Run(run_id=entry.run_id)

    async def _start_streamed_once(
        self, key: IdempotencyKey, request: Any, args: RunArguments
    ) -> runs_pb2.Run:
        claim = await self._control.claim(key, request, args.run_id or new_id())
        if claim is None:
            return await self._start_streamed(args)
        if not claim.claimed:
            return runs_pb2.Run(run_id=claim.run_id, last_sequence=claim.sequence or 0)
        try:
            entry = await self._start(args, run_id=claim.run_id)
            await self._control.started(key, entry.run_id, 0)
        except BaseException:
            await self._control.release(key, claim.run_id)
            raise
        return runs_pb2.Run(run_id=entry.run_id)

    async def _follow_elsewhere(
        self, started: runs_pb2.Run, stream_events: bool
    ) -> AsyncIterator[events_pb2.RunEvent]:
        """A re-attached stream: the segment's events as another replica stores them."""
        db = self._control.db
        if db is None:
            raise _run_not_found(started.run_id)
        try:
            async for event in self._manager.source.follow(db, started.run_id, started.last_sequence):
                if stream_events or event.WhichOneof("payload") in BASIC_CASES:
                    yield event
        except TimeoutError as exc:
            raise RpcError(
                grpc.StatusCode.UNAVAILABLE,
                Reason.ERROR_REASON_UNSPECIFIED,
                str(exc),
                {"run_id": started.run_id},
            ) from None

    async def _reattached(self, run_id: str, after: int, background: bool) -> runs_pb2.Run:
        """The result a request_id retry gets from the first attempt's run (maybe elsewhere)."""
        entry = self._manager.get(run_id)
        if entry is not None:
            if not background:
                await asyncio.shield(entry.wait_settled())
            if entry.state == runs_pb2.RUN_STATE_FAILED:
                raise run_failure(entry)
            return entry.snapshot(full=False)
        if not background:
            started = runs_pb2.Run(run_id=run_id, last_sequence=after)
            async for _ in self._follow_elsewhere(started, stream_events=False):
                pass
        manager = self._manager
        deadline = asyncio.get_running_loop().time() + manager.settings.reattach_wait
        while (found := await self._locate(run_id)) is None:
            # Started, but its first events are not stored yet (written every ~50 ms).
            if asyncio.get_running_loop().time() > deadline:
                raise _run_not_found(run_id)
            await asyncio.sleep(manager.settings.remote_poll_interval)
        run = await self._current_view(found)
        if run.state == runs_pb2.RUN_STATE_FAILED:
            raise failure_of(run_id, run.error if run.HasField("error") else None)
        return run

    async def _continued_elsewhere(self, db: BaseDb | None, run_id: str, paused_at: int) -> bool:
        """Whether a run paused at ``paused_at`` has events after it: another replica continued it."""
        return db is not None and bool(await read_events(db, run_id, paused_at, 1))

    async def _current_view(self, found: Found) -> runs_pb2.Run:
        if isinstance(found, RunEntry):
            return found.snapshot(full=False)
        if isinstance(found, StoredRun):
            if found.output.status != RunStatus.paused or not await self._continued_elsewhere(
                found.db, found.record.run_id, found.last_sequence
            ):
                return await self._stored_view(found, False)
            first = await read_events(found.db, found.record.run_id, 0, 1)
            found = RemoteRun(found.db, found.record.run_id, first[0])
        run, _ = await self._remote_view(found)
        return run

    @rpc_method
    async def StreamRun(self, request: run_service_pb2.StreamRunRequest, context: Context) -> None:
        # The stream methods write through ``context.write`` instead of being async generators:
        # each event then reaches grpc without resuming a chain of generators (this method,
        # the error and in-flight wrappers around it), and an open stream holds none of them.
        args = run_arguments_from_request(request)
        if args.request_id:
            key = ("StreamRun", caller_key(), args.request_id)
            started = await self._runtime.idempotency.run(
                key, request, lambda: self._start_streamed_once(key, request, args)
            )
            entry = self._manager.get(started.run_id)
            if entry is None:  # the first attempt runs on another replica
                async for event in self._follow_elsewhere(started, args.stream_events):
                    await context.write(event)
                return
        else:
            entry = await self._start(args)
        await self._stream(entry, 0, args.stream_events, args.background, context)

    async def _stream(
        self, entry: RunEntry, after_sequence: int, stream_events: bool, background: bool, context: Context
    ) -> None:
        """Write one segment of the run's events; a disconnect cancels the run unless ``background``."""
        guard = DisconnectGuard(context, self._manager, entry.run_id, background)
        delivered = False
        try:
            await entry.log.send(
                context.write, after_sequence, basic_only=not stream_events, stop_at_terminal=True
            )
            delivered = True
        finally:
            guard.done()
            if not delivered and not background:
                # Ended before the terminal event: the call was cancelled (client gone) or failed.
                self._manager.request_cancel(entry.run_id, DISCONNECT_REASON)

    # -- continuing -----------------------------------------------------------------------------

    async def _paused_entry(self, args: ContinueArguments) -> RunEntry:
        found = await self._find(args.run_id)
        if isinstance(found, RemoteRun):
            raise failed_precondition(
                Reason.ERROR_REASON_RUN_NOT_PAUSED, f"run {args.run_id} is not paused", run_id=args.run_id
            )
        if isinstance(found, StoredRun):
            if found.output.status == RunStatus.paused and await self._continued_elsewhere(
                found.db, args.run_id, found.last_sequence
            ):
                raise failed_precondition(
                    Reason.ERROR_REASON_RUN_NOT_PAUSED,
                    f"run {args.run_id} is not paused (another replica continued it)",
                    run_id=args.run_id,
                )
            runner = self._stored_runner(found)
            entry = self._manager.adopt(runner, found.record, found.output, found.last_sequence)
        else:
            entry = found
            if entry.state == runs_pb2.RUN_STATE_PAUSED and entry.runner.db is not None:
                # Another replica may have cancelled (or continued) it since: the database decides.
                record = await entry.runner.db.get_run(entry.run_id)
                if record is not None and record.status != RunStatus.paused.value:
                    output = RunOutput.from_dict(record.run_data)
                    raise self._not_paused(entry.run_id, output.status)
        if args.session_id and args.session_id != entry.session_id:
            raise failed_precondition(
                Reason.ERROR_REASON_SESSION_MISMATCH,
                f"run {entry.run_id} belongs to another session than {args.session_id!r}",
                run_id=entry.run_id,
            )
        if args.user_id and args.user_id != (entry.user_id or ""):
            raise _run_not_found(entry.run_id)
        self._match_decisions(entry, args)
        return entry

    @staticmethod
    def _not_paused(run_id: str, status: RunStatus) -> RpcError:
        if status.is_terminal:
            return failed_precondition(
                Reason.ERROR_REASON_RUN_ALREADY_TERMINAL,
                f"run {run_id} already ended ({status.value}); it cannot be continued",
                run_id=run_id,
            )
        return failed_precondition(
            Reason.ERROR_REASON_RUN_NOT_PAUSED, f"run {run_id} is not paused ({status.value})", run_id=run_id
        )

    @staticmethod
    def _check_paused(entry: RunEntry) -> None:
        if entry.state == runs_pb2.RUN_STATE_PAUSED:
            return
        if entry.active:
            raise failed_precondition(
                Reason.ERROR_REASON_RUN_NOT_PAUSED,
                f"run {entry.run_id} is running, not paused",
                run_id=entry.run_id,
            )
        raise failed_precondition(
            Reason.ERROR_REASON_RUN_ALREADY_TERMINAL,
            f"run {entry.run_id} already ended; it cannot be continued",
            run_id=entry.run_id,
        )

    @staticmethod
    def _match_decisions(entry: RunEntry, args: ContinueArguments) -> None:
        """Tie the client's decisions to the paused calls (requirements by id, tools by call id)."""
        RunService._check_paused(entry)
        output = entry.output
        tools = {t.tool_call_id: t for t in (output.tools or ()) if t.tool_call_id} if output else {}
        requirements = {r.id: r for r in (output.requirements or ())} if output else {}
        for index, update in enumerate(args.updated_tools or ()):
            if update.tool_call_id not in tools:
                raise invalid_argument(f"tools[{index}].tool_call_id", "is not a tool call of this run")
            if not update.tool_name:
                update.tool_name = tools[update.tool_call_id].tool_name
        for index, requirement in enumerate(args.requirements or ()):
            paused = requirements.get(requirement.id)
            call_id = requirement.tool_execution.tool_call_id
            if paused is None and call_id in tools:
                continue
            if paused is None:
                raise RpcError(
                    grpc.StatusCode.NOT_FOUND,
                    Reason.ERROR_REASON_REQUIREMENT_NOT_FOUND,
                    f"requirements[{index}].requirement_id: run {entry.run_id} has no requirement "
                    f"{requirement.id!r}",
                    metadata={"requirement_id": requirement.id, "run_id": entry.run_id},
                )
            if not call_id:
                requirement.tool_execution.tool_call_id = paused.tool_execution.tool_call_id
                requirement.tool_execution.tool_name = paused.tool_execution.tool_name
                requirement.tool_execution.requires_confirmation = paused.tool_execution.requires_confirmation
                requirement.tool_execution.requires_user_input = paused.tool_execution.requires_user_input
                requirement.tool_execution.external_execution_required = (
                    paused.tool_execution.external_execution_required
                )
                if requirement.tool_execution.user_input_schema:
                    requirement.tool_execution.answered = True

    async def _resume(self, args: ContinueArguments) -> tuple[RunEntry, int]:
        self._runtime.check_accepting()
        entry = await self._paused_entry(args)
        self._check_paused(entry)  # again: no await between this check and the state change
        try:
            start = await self._manager.resume(entry, args, background=args.background)
        except ValueError as exc:
            raise failed_precondition(
                Reason.ERROR_REASON_RUN_NOT_PAUSED, str(exc), run_id=entry.run_id
            ) from None
        self._control.track(entry)
        return entry, start

    async def _continue(
        self, args: ContinueArguments, context: Context
    ) -> run_service_pb2.ContinueRunResponse:
        entry, _ = await self._resume(args)
        return run_service_pb2.ContinueRunResponse(
            run=await self._await_result(entry, args.background, context)
        )

    @rpc_method
    async def ContinueRun(
        self, request: run_service_pb2.ContinueRunRequest, context: Context
    ) -> run_service_pb2.ContinueRunResponse:
        args = continue_arguments_from_request(request)
        if not args.request_id:
            return await self._continue(args, context)
        key = ("ContinueRun", caller_key(), args.request_id)
        return await self._runtime.idempotency.run(
            key, request, lambda: self._continue_once(key, request, args, context)
        )

    async def _continue_once(
        self, key: IdempotencyKey, request: Any, args: ContinueArguments, context: Context
    ) -> run_service_pb2.ContinueRunResponse:
        claim = await self._control.claim(key, request, args.run_id)
        if claim is None:
            return await self._continue(args, context)
        if not claim.claimed:
            run = await self._reattached(claim.run_id, claim.sequence or 0, args.background)
            return run_service_pb2.ContinueRunResponse(run=run)
        try:
            entry, start = await self._resume(args)
            await self._control.started(key, entry.run_id, start)
            run = await self._await_result(entry, args.background, context)
        except BaseException:
            await self._control.release(key, claim.run_id)
            raise
        return run_service_pb2.ContinueRunResponse(run=run)

    async def _continue_streamed(self, args: ContinueArguments) -> runs_pb2.Run:
        entry, start = await self._resume(args)
        return runs_pb2.Run(run_id=entry.run_id, last_sequence=start)

    async def _continue_streamed_once(
        self, key: IdempotencyKey, request: Any, args: ContinueArguments
    ) -> runs_pb2.Run:
        claim = await self._control.claim(key, request, args.run_id)
        if claim is None:
            return await self._continue_streamed(args)
        if not claim.claimed:
            return runs_pb2.Run(run_id=claim.run_id, last_sequence=claim.sequence or 0)
        try:
            entry, start = await self._resume(args)
            await self._control.started(key, entry.run_id, start)
        except BaseException:
            await self._control.release(key, claim.run_id)
            raise
        return runs_pb2.Run(run_id=entry.run_id, last_sequence=start)

    @rpc_method
    async def StreamContinueRun(
        self, request: run_service_pb2.StreamContinueRunRequest, context: Context
    ) -> None:
        args = continue_arguments_from_request(request)
        if args.request_id:
            key = ("StreamContinueRun", caller_key(), args.request_id)
            started = await self._runtime.idempotency.run(
                key, request, lambda: self._continue_streamed_once(key, request, args)
            )
            entry = self._manager.get(started.run_id)
            if entry is None or entry.log.last_sequence < started.last_sequence:
                # The first attempt continues the run on another replica.
                async for event in self._follow_elsewhere(started, args.stream_events):
                    await context.write(event)
                return
            start = started.last_sequence
        else:
            entry, start = await self._resume(args)
        await self._stream(entry, start, args.stream_events, args.background, context)

    # -- cancelling -----------------------------------------------------------------------------

    async def _cancel(self, request: run_service_pb2.CancelRunRequest) -> run_service_pb2.CancelRunResponse:
        run_id = request.run_id
        reason = request.reason or DEFAULT_CANCEL_REASON
        manager = self._manager
        found = await self._locate(run_id)
        if found is None:
            if not request.allow_missing:
                raise _run_not_found(run_id)
            # Recorded in the database when there is one: the run may start on any replica (or
            # be starting elsewhere already, its first events not stored yet).
            if not await self._control.record_cancel(run_id, reason, _requester()):
                manager.cancel_before_start(run_id, reason)
            return run_service_pb2.CancelRunResponse(cancelled_before_start=True)
        self._check_access(found, run_id)
        if isinstance(found, RemoteRun):
            return await self._cancel_elsewhere(found.db, run_id, reason, after=0)
        if isinstance(found, StoredRun):
            if found.output.status == RunStatus.cancelled:
                return run_service_pb2.CancelRunResponse(run=run_to_proto(found.output, full=False))
            if found.output.status != RunStatus.paused:
                raise self._already_terminal(run_id)
            if await self._continued_elsewhere(found.db, run_id, found.last_sequence):
                return await self._cancel_elsewhere(found.db, run_id, reason, after=found.last_sequence)
            entry = manager.adopt(self._stored_runner(found), found.record, found.output, found.last_sequence)
        else:
            entry = found
            paused_at = entry.log.last_sequence
            if entry.state == runs_pb2.RUN_STATE_PAUSED and await self._continued_elsewhere(
                entry.db, run_id, paused_at
            ):
                return await self._cancel_elsewhere(entry.db, run_id, reason, after=paused_at)
        if entry.active:
            manager.request_cancel(run_id, reason)
            await manager.wait_settled(entry, manager.settings.cancel_wait)
        if entry.state == runs_pb2.RUN_STATE_PAUSED:
            await manager.cancel_paused(entry, reason, discard=_discard_paused)
        elif entry.state in (runs_pb2.RUN_STATE_COMPLETED, runs_pb2.RUN_STATE_FAILED):
            raise self._already_terminal(run_id)
        return run_service_pb2.CancelRunResponse(run=entry.snapshot(full=False))

    async def _cancel_elsewhere(
        self, db: BaseDb | None, run_id: str, reason: str, *, after: int
    ) -> run_service_pb2.CancelRunResponse:
        """Cancel a run another replica executes: record the request, wait for the outcome."""
        if db is None or not await self._control.record_cancel(run_id, reason, _requester()):
            raise failed_precondition(
                Reason.ERROR_REASON_UNSPECIFIED,
                f"run {run_id} is executing on another replica that shares no database with this one",
                run_id=run_id,
            )
        manager = self._manager
        terminal: events_pb2.RunEvent | None = None
        events = manager.source.follow(db, run_id, after)
        try:
            async with asyncio.timeout(manager.settings.cancel_wait):
                async for event in events:
                    if event.run_id == run_id and event.WhichOneof("payload") in TERMINAL_CASES:
                        terminal = event
                        break
        except TimeoutError:
            pass  # not confirmed in time: answered below with the run as it is
        finally:
            aclose = getattr(events, "aclose", None)
            if aclose is not None:
                await aclose()
        found = await self._locate(run_id)
        if found is None:
            raise _run_not_found(run_id)
        if (
            isinstance(found, StoredRun)
            and found.output.status == RunStatus.paused
            and not await self._continued_elsewhere(found.db, run_id, found.last_sequence)
        ):
            # It paused before its owner saw the request: end it here, as a local cancel does.
            await self._control.withdraw_cancel(run_id)
            entry = manager.adopt(self._stored_runner(found), found.record, found.output, found.last_sequence)
            await manager.cancel_paused(entry, reason, discard=_discard_paused)
            return run_service_pb2.CancelRunResponse(run=entry.snapshot(full=False))
        run = await self._current_view(found)
        if run.state in (runs_pb2.RUN_STATE_COMPLETED, runs_pb2.RUN_STATE_FAILED):
            await self._control.withdraw_cancel(run_id)
            raise self._already_terminal(run_id)
        if run.state != runs_pb2.RUN_STATE_CANCELLED:
            run.cancellation_reason = reason  # requested; the owner has not confirmed it yet
        elif not run.cancellation_reason and terminal is not None and terminal.HasField("run_cancelled"):
            run.cancellation_reason = terminal.run_cancelled.reason
        return run_service_pb2.CancelRunResponse(run=run)

    @staticmethod
    def _already_terminal(run_id: str) -> RpcError:
        return failed_precondition(
            Reason.ERROR_REASON_RUN_ALREADY_TERMINAL,
            f"run {run_id} already ended; only running, pending or paused runs can be cancelled",
            run_id=run_id,
        )

    @rpc_method
    async def CancelRun(
        self, request: run_service_pb2.CancelRunRequest, context: Context
    ) -> run_service_pb2.CancelRunResponse:
        check_run_id(request)
        if not request.request_id:
            return await self._cancel(request)
        key = ("CancelRun", caller_key(), request.request_id)
        return await self._runtime.idempotency.run(key, request, lambda: self._cancel_once(key, request))

    async def _cancel_once(
        self, key: IdempotencyKey, request: run_service_pb2.CancelRunRequest
    ) -> run_service_pb2.CancelRunResponse:
        """Cancelling twice ends the same way, so a retry elsewhere cancels again; the claim
        makes a reused request_id with another payload an error on every replica."""
        claim = await self._control.claim(key, request, request.run_id)
        if claim is None or not claim.claimed:
            return await self._cancel(request)
        try:
            await self._control.started(key, request.run_id, 0)
            return await self._cancel(request)
        except BaseException:
            await self._control.release(key, request.run_id)
            raise

    # -- reading --------------------------------------------------------------------------------

    async def _stored_view(self, stored: StoredRun, full: bool) -> runs_pb2.Run:
        output = stored.output
        sequence = stored.last_sequence
        error = None
        if output.status == RunStatus.error and sequence:
            last = await read_events(stored.db, output.run_id or "", sequence - 1, 1)
            if last and last[0].WhichOneof("payload") == "run_error":
                error = last[0].run_error.error
        run = run_to_proto(
            output,
            full=full,
            error=error,
            event_count=sequence or None,
            last_sequence=sequence or None,
            updated_at=stored.record.updated_at,
        )
        return run

    @staticmethod
    async def _remote_view(remote: RemoteRun) -> tuple[runs_pb2.Run, list[events_pb2.RunEvent]]:
        events = await read_events(remote.db, remote.run_id)
        base = remote.base_run()
        base.state = state_of_events(events, remote.run_id)
        return fold_events(base, events), events

    @rpc_method
    async def GetRun(
        self, request: run_service_pb2.GetRunRequest, context: Context
    ) -> run_service_pb2.GetRunResponse:
        check_run_id(request, view=True)
        found = await self._find(request.run_id)
        full = full_view(request.view)
        if isinstance(found, RunEntry):
            run = found.snapshot(full=full)
        elif isinstance(found, StoredRun):
            run = await self._stored_view(found, full)
        else:
            run, _ = await self._remote_view(found)
        return run_service_pb2.GetRunResponse(run=run)

    @rpc_method
    async def WatchRun(
        self, request: run_service_pb2.WatchRunRequest, context: Context
    ) -> AsyncIterator[Outgoing]:
        check_run_id(request, view=True)
        found = await self._find(request.run_id)
        full = full_view(request.view)
        after = request.after_sequence
        if isinstance(found, RunEntry):
            log = found.log
            yield snapshot_event(found.snapshot(full=full))
            if found.db is not None and after + 1 < log.first_sequence:
                # Events from before this server held the run (continued from the database).
                for event in await read_events(found.db, found.run_id, after):
                    if event.sequence >= log.first_sequence:
                        break
                    yield event
                    after = event.sequence
            async for data in log.follow_encoded(after, stop_at_terminal=False):
                yield data
            return
        if isinstance(found, StoredRun):
            # Stored rows are written when a run pauses or ends: replay what was recorded.
            yield snapshot_event(await self._stored_view(found, full))
            for event in await read_events(found.db, request.run_id, after):
                yield event
            return
        run, events = await self._remote_view(found)
        yield snapshot_event(run)
        if run.state != runs_pb2.RUN_STATE_RUNNING:
            for event in events:
                if event.sequence > after:
                    yield event
            return
        try:
            async for event in self._manager.source.follow(found.db, request.run_id, after):
                yield event
        except TimeoutError as exc:
            raise RpcError(
                grpc.StatusCode.UNAVAILABLE,
                Reason.ERROR_REASON_UNSPECIFIED,
                str(exc),
                {"run_id": request.run_id},
            ) from None

    # -- listing --------------------------------------------------------------------------------

    @rpc_method
    async def ListRuns(
        self, request: run_service_pb2.ListRunsRequest, context: Context
    ) -> run_service_pb2.ListRunsResponse:
        query = list_query(request)
        user_id = acting_user(query.user_id or "")
        db = self._runtime.registry.default_db()
        if db is None and self._runtime.registry.databases:
            db = self._runtime.require_db()  # several databases and none chosen: say so
        if db is None:
            return self._list_in_memory(query, user_id)
        key = _query_key(query, user_id)
        inner = unwrap_page_token(query.page_token or "", key)
        try:
            page = await db.list_runs(
                session_id=query.session_id,
                user_id=user_id,
                agent_id=query.agent_id,
                team_id=query.team_id,
                workflow_id=query.workflow_id,
                statuses=query.statuses,
                root_only=not query.include_member_runs,
                descending=query.descending,
                limit=query.page_size,
                page_token=inner,
            )
        except ValueError as exc:
            raise bad_page_token(str(exc)) from None
        response = run_service_pb2.ListRunsResponse(total_size=page.total)
        for record in page.items:
            output = RunOutput.from_dict(record.run_data)
            sequence = record.run_data.get(_STORED_SEQUENCE_KEY)
            last = sequence if isinstance(sequence, int) and sequence else None
            response.runs.append(
                run_to_proto(
                    output,
                    full=query.full,
                    event_count=last,
                    last_sequence=last,
                    updated_at=record.updated_at,
                )
            )
        if page.next_page_token:
            response.next_page_token = wrap_page_token(page.next_page_token, key)
        return response

    def _list_in_memory(self, query: ListQuery, user_id: str | None) -> run_service_pb2.ListRunsResponse:
        """Without a database: the runs this server still holds (bounded by its retention)."""
        statuses = set(query.statuses or ())
        matches: list[RunEntry] = []
        for entry in self._manager.entries():
            kind, target_id = entry.target
            if user_id is not None and entry.user_id != user_id:
                continue
            if query.session_id and entry.session_id != query.session_id:
                continue
            wanted = {"agent": query.agent_id, "team": query.team_id, "workflow": query.workflow_id}
            if any(value and (k != kind or value != target_id) for k, value in wanted.items()):
                continue
            if statuses:
                snapshot_state = _STATUS_OF_STATE.get(entry.state)
                if snapshot_state not in statuses:
                    continue
            matches.append(entry)
        if not query.descending:
            matches.reverse()
        key = _query_key(query, user_id)
        offset = decode_offset_token(query.page_token or "", key)
        page = matches[offset : offset + query.page_size]
        response = run_service_pb2.ListRunsResponse(total_size=len(matches))
        response.runs.extend(entry.snapshot(full=query.full) for entry in page)
        if offset + query.page_size < len(matches):
            response.next_page_token = encode_offset_token(offset + query.page_size, key)
        return response


_STATUS_OF_STATE = {
    runs_pb2.RUN_STATE_PENDING: RunStatus.pending.value,
    runs_pb2.RUN_STATE_RUNNING: RunStatus.running.value,
    runs_pb2.RUN_STATE_PAUSED: RunStatus.paused.value,
    runs_pb2.RUN_STATE_COMPLETED: RunStatus.completed.value,
    runs_pb2.RUN_STATE_CANCELLED: RunStatus.cancelled.value,
    runs_pb2.RUN_STATE_FAILED: RunStatus.error.value,
}


def _query_key(query: ListQuery, user_id: str | None) -> str:
    """What a page token is bound to: the filters and order (not the page size or view)."""
    return json.dumps(
        [
            "runs",
            query.session_id,
            user_id,
            query.agent_id,
            query.team_id,
            query.workflow_id,
            query.statuses,
            query.include_member_runs,
            query.descending,
        ]
    )


def _discard_paused(run_id: str) -> object:
    from agentos.agent import Agent

    return Agent.cancel_run(run_id)
