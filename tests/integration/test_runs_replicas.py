"""Run control across replicas: two real AgentOS servers sharing one database (an InMemoryDb
object, one SQLite file in WAL mode, one PostgreSQL schema), each with its own Agent and
database objects as separate processes would have. Cancel a run executing on the other
replica, cancel-before-start recorded on one and honoured by the other, request_id retries
and concurrent attempts on both serving one run, expiry of cancel requests."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import grpc
import pytest
from agentos.agent import Agent
from agentos.db import BaseDb, InMemoryDb, PostgresDb, SqliteDb
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, hang, tool_call
from agentos.os import AgentOS
from agentos.os.runs import RunSettings, run_manager
from agentos.run.cancellation import InProcessCancellationRegistry, get_cancellation_registry
from agentos.tools import tool
from agentos.v1 import common_pb2, events_pb2, run_service_pb2, runs_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from postgres import postgres_server, postgres_url

__all__ = ["postgres_server", "postgres_url"]

Harness = Any
StartOS = Callable[..., Awaitable[Harness]]


@pytest.fixture(
    params=[
        pytest.param("memory", id="memory"),
        pytest.param("sqlite", id="sqlite"),
        pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
    ]
)
async def shared_store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Callable[[], BaseDb]]:
    """Opens one database object per replica, all on one store."""
    backend: str = request.param
    url = request.getfixturevalue("postgres_url") if backend == "postgres" else None
    schema = f"r_{uuid.uuid4().hex[:12]}"
    memory = InMemoryDb()
    opened: list[BaseDb] = []

    def open_db() -> BaseDb:
        if backend == "memory":
            return memory
        db: BaseDb = (
            SqliteDb(db_file=tmp_path / "shared.db")
            if backend == "sqlite"
            else PostgresDb(url, db_schema=schema)
        )
        opened.append(db)
        return db

    yield open_db
    for db in opened:
        await db.close()


async def eventually(condition: Callable[[], Awaitable[bool]], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not await condition():
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.02)


def reason_of(exc: grpc.aio.AioRpcError) -> str:
    status = rpc_status.from_call(exc)
    assert status is not None
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return str(info.reason)
    raise AssertionError("no ErrorInfo")


async def replicas(
    start_os: StartOS, open_db: Callable[[], BaseDb], make_agent: Callable[[BaseDb], Agent]
) -> tuple[Harness, Harness, BaseDb]:
    """Two servers, each with its own agent and database object on the shared store."""
    dbs = [open_db(), open_db()]
    first = await start_os(AgentOS(agents=[make_agent(dbs[0])], db=dbs[0]))
    second = await start_os(AgentOS(agents=[make_agent(dbs[1])], db=dbs[1]))
    return first, second, dbs[1]


def hanging(db: BaseDb) -> Agent:
    return Agent(id="worker", model=ScriptedModel(steps=[hang(chunks=["thinking"], after_chunks=1)]), db=db)


async def visible_on(harness: Harness, run_id: str) -> bool:
    try:
        await harness.stubs.runs.GetRun(run_service_pb2.GetRunRequest(run_id=run_id))
    except grpc.aio.AioRpcError:
        return False
    return True


# -- cancel -------------------------------------------------------------------------------------


async def test_a_run_executing_on_one_replica_is_cancelled_through_the_other(
    start_os: StartOS, shared_store: Callable[[], BaseDb]
) -> None:
    owner, other, db = await replicas(start_os, shared_store, hanging)
    stream = owner.stubs.runs.StreamRun(
        run_service_pb2.StreamRunRequest(agent_id="worker", message="x", stream_events=True)
    )
    first = await stream.read()
    run_id = first.run_id
    await eventually(lambda: visible_on(other, run_id))

    cancelled = await other.stubs.runs.CancelRun(
        run_service_pb2.CancelRunRequest(run_id=run_id, reason="stop from B")
    )
    assert cancelled.run.state == runs_pb2.RUN_STATE_CANCELLED
    assert cancelled.run.cancellation_reason == "stop from B"
    rest: list[events_pb2.RunEvent] = []
    while (event := await stream.read()) is not grpc.aio.EOF:
        rest.append(event)
    assert rest[-1].event == "RunCancelled" and rest[-1].run_cancelled.reason == "stop from B"
    stored = await db.get_run(run_id)
    assert stored is not None and stored.status == "CANCELLED"
    assert await db.get_cancel_requests([run_id]) == {}  # consumed by the owner
    # Cancelling again from either side reports the cancelled run.
    again = await other.stubs.runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=run_id))
    assert again.run.state == runs_pb2.RUN_STATE_CANCELLED


async def test_a_cancel_the_owner_does_not_confirm_in_time_is_reported_as_requested(
    start_os: StartOS, shared_store: Callable[[], BaseDb]
) -> None:
    owner, other, db = await replicas(start_os, shared_store, hanging)
    run_manager(owner.server.server).settings = RunSettings(control_poll_interval=3600.0)
    run_manager(other.server.server).settings = RunSettings(cancel_wait=0.2)
    created = await owner.stubs.runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="worker", message="x", background=True)
    )
    run_id = created.run.run_id
    await eventually(lambda: visible_on(other, run_id))
    answer = await other.stubs.runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=run_id, reason="later"))
    assert answer.run.state == runs_pb2.RUN_STATE_RUNNING
    assert answer.run.cancellation_reason == "later"
    assert set(await db.get_cancel_requests([run_id])) == {run_id}  # pending for the owner
    # The owner itself still cancels it at once (and the server stops without waiting for it).
    local = await owner.stubs.runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=run_id))
    assert local.run.state == runs_pb2.RUN_STATE_CANCELLED


async def test_cancel_before_start_on_one_replica_cancels_the_run_started_on_the_other(
    start_os: StartOS, shared_store: Callable[[], BaseDb]
) -> None:
    calls: list[str] = []

    def answer(messages: list[Any], info: ModelCallInfo) -> Any:
        calls.append("called")
        return "should not run"

    owner, other, db = await replicas(
        start_os, shared_store, lambda db: Agent(id="worker", model=FunctionModel(fn=answer), db=db)
    )
    registry = get_cancellation_registry()
    assert isinstance(registry, InProcessCancellationRegistry)
    pending_before = registry.pending_count()
    early = await other.stubs.runs.CancelRun(
        run_service_pb2.CancelRunRequest(run_id="chosen-id", allow_missing=True, reason="changed my mind")
    )
    assert early.cancelled_before_start
    # Recorded in the shared database, not in this process: the other replica must read it there.
    assert set(await db.get_cancel_requests(["chosen-id"])) == {"chosen-id"}
    assert registry.pending_count() == pending_before

    created = await owner.stubs.runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="worker", message="x", run_id="chosen-id")
    )
    assert created.run.state == runs_pb2.RUN_STATE_CANCELLED
    assert created.run.cancellation_reason == "changed my mind"
    assert calls == []
    # Runs with generated ids are never held back by it.
    normal = await owner.stubs.runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="worker", message="y")
    )
    assert normal.run.state == runs_pb2.RUN_STATE_COMPLETED


async def test_an_expired_cancel_before_start_no_longer_applies(
    start_os: StartOS, shared_store: Callable[[], BaseDb]
) -> None:
    owner, other, db = await replicas(
        start_os, shared_store, lambda db: Agent(id="worker", model=ScriptedModel(steps=["done"]), db=db)
    )
    run_manager(other.server.server).settings = RunSettings(cancel_request_ttl=0.2)
    await other.stubs.runs.CancelRun(
        run_service_pb2.CancelRunRequest(run_id="late-id", allow_missing=True, reason="too early")
    )

    async def expired() -> bool:
        return await db.get_cancel_requests(["late-id"]) == {}

    await eventually(expired)
    created = await owner.stubs.runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="worker", message="x", run_id="late-id")
    )
    assert created.run.state == runs_pb2.RUN_STATE_COMPLETED
    assert await db.delete_expired_controls() == 1  # the cleanup removes the expired row


# -- request_id ---------------------------------------------------------------------------------


def counting(calls: list[str], gate: asyncio.Event | None = None) -> Callable[[BaseDb], Agent]:
    @tool
    async def wait_for_gate() -> str:
        """Wait until the test opens the gate."""
        if gate is not None:
            await gate.wait()
        return "opened"

    def answer(messages: list[Any], info: ModelCallInfo) -> Any:
        calls.append("called")
        if not any(message.role == "tool" for message in messages):
            return tool_call("wait_for_gate")
        return "the answer"

    return lambda db: Agent(id="worker", model=FunctionModel(fn=answer), tools=[wait_for_gate], db=db)


async def test_a_request_id_retried_on_the_other_replica_returns_the_first_run(
    start_os: StartOS, shared_store: Callable[[], BaseDb]
) -> None:
    calls: list[str] = []
    first, second, _ = await replicas(start_os, shared_store, counting(calls))
    request = run_service_pb2.CreateRunRequest(agent_id="worker", message="x", request_id="req-1")
    original = await first.stubs.runs.CreateRun(request)
    retried = await second.stubs.runs.CreateRun(request)
    assert original.run.state == retried.run.state == runs_pb2.RUN_STATE_COMPLETED
    assert retried.run.run_id == original.run.run_id and retried.run.content == original.run.content
    assert len(calls) == 2  # one run: two model calls (tool call, answer)

    changed = run_service_pb2.CreateRunRequest(agent_id="worker", message="other", request_id="req-1")
    with pytest.raises(grpc.aio.AioRpcError) as info:
        await second.stubs.runs.CreateRun(changed)
    assert info.value.code() == grpc.StatusCode.ALREADY_EXISTS
    assert reason_of(info.value) == "REQUEST_ID_REUSED"

    # A streamed retry re-attaches to the events the first replica stored.
    stream_request = run_service_pb2.StreamRunRequest(
        agent_id="worker", message="x", request_id="req-2", stream_events=True
    )
    streamed = [event async for event in first.stubs.runs.StreamRun(stream_request)]
    again = [event async for event in second.stubs.runs.StreamRun(stream_request)]
    assert again == streamed and streamed[-1].event == "RunCompleted"
    assert len(calls) == 4


async def test_concurrent_attempts_with_one_request_id_on_both_replicas_start_one_run(
    start_os: StartOS, shared_store: Callable[[], BaseDb]
) -> None:
    calls: list[str] = []
    gate = asyncio.Event()
    first, second, _ = await replicas(start_os, shared_store, counting(calls, gate))
    request = run_service_pb2.CreateRunRequest(agent_id="worker", message="x", request_id="together")
    attempts = [
        asyncio.ensure_future(first.stubs.runs.CreateRun(request)),
        asyncio.ensure_future(second.stubs.runs.CreateRun(request)),
    ]

    async def one_run_waiting() -> bool:
        return len(calls) >= 1

    await eventually(one_run_waiting)
    gate.set()
    answers = await asyncio.gather(*attempts)
    assert answers[0].run.run_id == answers[1].run.run_id
    assert {a.run.state for a in answers} == {runs_pb2.RUN_STATE_COMPLETED}
    assert len(calls) == 2  # one run only


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file."""
    return f"deleted {path}"


async def test_a_continue_retried_on_the_other_replica_returns_the_first_result(
    start_os: StartOS, shared_store: Callable[[], BaseDb]
) -> None:
    def confirming(db: BaseDb) -> Agent:
        steps = [tool_call("delete_file", path="/tmp/x"), "all done"]
        return Agent(id="worker", model=ScriptedModel(steps=steps), tools=[delete_file], db=db)

    first, second, _ = await replicas(start_os, shared_store, confirming)
    paused = (
        await first.stubs.runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="worker", message="go"))
    ).run
    assert paused.state == runs_pb2.RUN_STATE_PAUSED
    decision = common_pb2.RunRequirement(requirement_id=paused.requirements[0].requirement_id, confirmed=True)
    request = run_service_pb2.ContinueRunRequest(
        run_id=paused.run_id, requirements=[decision], request_id="go-on"
    )
    continued = await first.stubs.runs.ContinueRun(request)
    retried = await second.stubs.runs.ContinueRun(request)
    assert continued.run.state == retried.run.state == runs_pb2.RUN_STATE_COMPLETED
    assert retried.run.content.string_value == continued.run.content.string_value == "all done"
