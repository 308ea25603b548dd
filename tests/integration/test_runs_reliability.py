"""RunService reliability over a real server: re-attaching after a dropped connection, clients
killed mid-stream, 200 concurrent streams, per-user isolation with tokens, graceful shutdown,
events persisted to the database and followed from another server."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

import grpc
import jwt
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb
from agentos.models.scripted import ScriptedModel, chunks, hang, tool_call
from agentos.os import AgentOS
from agentos.os.auth import AuthorizationConfig
from agentos.os.runs import RunSettings, run_manager
from agentos.tools import tool
from agentos.v1 import common_pb2, events_pb2, run_service_pb2, run_service_pb2_grpc, runs_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status

TERMINAL = {"run_completed", "run_paused", "run_cancelled", "run_error"}


async def collect(stream: Any) -> list[events_pb2.RunEvent]:
    return [event async for event in stream]


async def eventually(condition: Callable[[], Awaitable[bool] | bool], within: float = 5.0) -> None:
    """Poll ``condition`` until it holds (fails the test after ``within`` seconds)."""
    deadline = time.monotonic() + within
    while True:
        result = condition()
        if not isinstance(result, bool):
            result = await result
        if result:
            return
        if time.monotonic() > deadline:
            raise AssertionError("condition not met in time")
        await asyncio.sleep(0.01)


def gated_agent(gate: asyncio.Event, agent_id: str = "gated", db: Any = None) -> Agent:
    @tool
    async def wait_for_gate() -> str:
        """Wait until the test opens the gate."""
        await gate.wait()
        return "opened"

    model = ScriptedModel(steps=[tool_call("wait_for_gate"), chunks("after ", "the ", "gate")])
    return Agent(id=agent_id, model=model, tools=[wait_for_gate], db=db)


async def test_watch_run_after_a_dropped_connection_resumes_without_gap_or_duplicate(start_os: Any) -> None:
    gate = asyncio.Event()
    harness = await start_os(AgentOS(agents=[gated_agent(gate)]))
    seen: list[events_pb2.RunEvent] = []
    channel = harness.new_channel()
    stream = run_service_pb2_grpc.RunServiceStub(channel).StreamRun(
        run_service_pb2.StreamRunRequest(agent_id="gated", message="x", stream_events=True, background=True)
    )
    while not seen or seen[-1].event != "ToolCallStarted":
        seen.append(await stream.read())
    await channel.close()  # the client vanishes mid-stream
    gate.set()
    run_id = seen[0].run_id
    watched = await collect(
        harness.stubs.runs.WatchRun(
            run_service_pb2.WatchRunRequest(run_id=run_id, after_sequence=seen[-1].sequence)
        )
    )
    assert watched[0].event == "RunSnapshot"
    resumed = watched[1:]
    sequences = [e.sequence for e in [*seen, *resumed]]
    assert sequences == list(range(1, len(sequences) + 1))
    assert resumed[-1].event == "RunCompleted"
    text = "".join(e.run_content.content.string_value for e in resumed if e.event == "RunContent")
    assert text == "after the gate"


async def test_a_client_killed_mid_stream_cancels_its_run_and_frees_the_server(start_os: Any) -> None:
    started = asyncio.Event()
    agent = Agent(
        id="hangs", model=ScriptedModel(steps=[hang(after_chunks=1, chunks=["a", "b"], started=started)])
    )
    harness = await start_os(AgentOS(agents=[agent]))
    manager = run_manager(harness.server.server)
    channel = harness.new_channel()
    stream = run_service_pb2_grpc.RunServiceStub(channel).StreamRun(
        run_service_pb2.StreamRunRequest(agent_id="hangs", message="x")
    )
    first = await stream.read()
    assert first.event == "RunContent"
    assert manager.active_count == 1
    await channel.close()
    await eventually(lambda: manager.active_count == 0 and not harness.server.runtime.inflight.run_ids)
    got = await harness.stubs.runs.GetRun(run_service_pb2.GetRunRequest(run_id=first.run_id))
    assert got.run.state == runs_pb2.RUN_STATE_CANCELLED
    assert got.run.cancellation_reason == "the client disconnected"
    assert got.run.content.string_value == "a"


async def test_200_concurrent_streams_each_get_every_event_once_in_order(start_os: Any) -> None:
    def add(a: int, b: int) -> int:
        """Add."""
        return a + b

    parts = [f"p{i} " for i in range(10)]
    agent = Agent(
        id="busy", model=ScriptedModel(steps=[tool_call("add", a=1, b=1), chunks(*parts)]), tools=[add]
    )
    harness = await start_os(AgentOS(agents=[agent]))

    async def one(index: int) -> list[events_pb2.RunEvent]:
        request = run_service_pb2.StreamRunRequest(agent_id="busy", message=f"m{index}", stream_events=True)
        return await collect(harness.stubs.runs.StreamRun(request))

    results = await asyncio.gather(*(one(i) for i in range(200)))
    run_ids = {events[0].run_id for events in results}
    assert len(run_ids) == 200
    lengths = {len(events) for events in results}
    assert len(lengths) == 1
    for events in results:
        assert [e.sequence for e in events] == list(range(1, len(events) + 1))
        assert {e.run_id for e in events} == {events[0].run_id}
        assert events[-1].event == "RunCompleted"
        assert sum(1 for e in events if e.WhichOneof("payload") in TERMINAL) == 1
        assert "".join(
            e.run_content.content.string_value for e in events if e.event == "RunContent"
        ) == "".join(parts)
    assert run_manager(harness.server.server).active_count == 0


async def test_graceful_shutdown_cancels_runs_in_flight_with_an_in_band_event(start_os: Any) -> None:
    agent = Agent(id="hangs", model=ScriptedModel(steps=[hang(after_chunks=1, chunks=["a", "b"])]))
    harness = await start_os(AgentOS(agents=[agent]))
    stream = harness.stubs.runs.StreamRun(run_service_pb2.StreamRunRequest(agent_id="hangs", message="x"))
    first = await stream.read()
    stopping = asyncio.ensure_future(harness.server.stop(grace=0))
    rest: list[events_pb2.RunEvent] = []
    while (event := await stream.read()) is not grpc.aio.EOF:
        rest.append(event)
    await stopping
    assert first.event == "RunContent"
    assert rest[-1].event == "RunCancelled"
    assert rest[-1].run_cancelled.reason == "the server is shutting down"


async def test_new_runs_are_refused_once_shutdown_began(start_os: Any) -> None:
    agent = Agent(id="hangs", model=ScriptedModel(steps=[hang()]))
    harness = await start_os(AgentOS(agents=[agent]))
    harness.server.runtime.begin_shutdown()
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await harness.stubs.runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="hangs", message="x"))
    assert raised.value.code() == grpc.StatusCode.UNAVAILABLE


async def test_events_are_persisted_and_replayed_after_memory_retention(start_os: Any) -> None:
    db = InMemoryDb()
    agent = Agent(id="calc", model=ScriptedModel(steps=[chunks("one ", "two")]), db=db)
    harness = await start_os(AgentOS(agents=[agent], db=db))
    manager = run_manager(harness.server.server)
    manager.settings = RunSettings(retain_finished=0)
    streamed = await collect(
        harness.stubs.runs.StreamRun(
            run_service_pb2.StreamRunRequest(agent_id="calc", message="x", stream_events=True)
        )
    )
    run_id = streamed[0].run_id
    await eventually(lambda: manager.get(run_id) is None)

    async def stored_complete() -> bool:
        return len(await db.get_run_events(run_id)) == len(streamed)

    await eventually(stored_complete)
    watched = await collect(harness.stubs.runs.WatchRun(run_service_pb2.WatchRunRequest(run_id=run_id)))
    assert watched[0].event == "RunSnapshot"
    assert watched[0].run_snapshot.run.state == runs_pb2.RUN_STATE_COMPLETED
    assert watched[1:] == streamed
    tail = await collect(
        harness.stubs.runs.WatchRun(
            run_service_pb2.WatchRunRequest(run_id=run_id, after_sequence=len(streamed) - 1)
        )
    )
    assert [e.event for e in tail] == ["RunSnapshot", "RunCompleted"]


async def test_a_run_live_on_another_server_is_watched_and_read_from_the_database(start_os: Any) -> None:
    db = InMemoryDb()
    gate = asyncio.Event()
    owner = await start_os(AgentOS(agents=[gated_agent(gate, db=db)], db=db))
    other = await start_os(AgentOS(agents=[gated_agent(gate, db=db)], db=db))
    created = await owner.stubs.runs.CreateRun(
        run_service_pb2.CreateRunRequest(agent_id="gated", message="x", background=True, user_id="ann")
    )
    run_id = created.run.run_id

    async def visible_elsewhere() -> bool:
        try:
            got = await other.stubs.runs.GetRun(run_service_pb2.GetRunRequest(run_id=run_id))
        except grpc.aio.AioRpcError:
            return False
        return len(got.run.tools) == 1

    await eventually(visible_elsewhere)
    live = (await other.stubs.runs.GetRun(run_service_pb2.GetRunRequest(run_id=run_id))).run
    assert live.state == runs_pb2.RUN_STATE_RUNNING and live.user_id == "ann" and live.agent_id == "gated"
    watch = other.stubs.runs.WatchRun(run_service_pb2.WatchRunRequest(run_id=run_id))
    snapshot = await watch.read()
    assert snapshot.run_snapshot.run.state == runs_pb2.RUN_STATE_RUNNING
    gate.set()
    rest: list[events_pb2.RunEvent] = []
    while (event := await watch.read()) is not grpc.aio.EOF:
        rest.append(event)
    assert [e.sequence for e in rest] == list(range(1, len(rest) + 1))
    assert rest[-1].event == "RunCompleted"


# -- per-user isolation with tokens --------------------------------------------------------------

SECRET = "runs-integration-secret-of-sufficient-length"


def token(sub: str, scopes: list[str]) -> tuple[tuple[str, str], ...]:
    claims = {"sub": sub, "scopes": scopes, "exp": int(time.time()) + 300}
    return (("authorization", f"Bearer {jwt.encode(claims, SECRET, algorithm='HS256')}"),)


U1 = token("u1", ["agents:confirm:run", "sessions:read"])
U2 = token("u2", ["agents:confirm:run", "sessions:read"])
READER = token("u3", ["sessions:read"])
ADMIN = token("root", ["agent_os:admin"])


def reason_of(exc: grpc.aio.AioRpcError) -> str:
    status = rpc_status.from_call(exc)
    assert status is not None
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            info = error_details_pb2.ErrorInfo()
            detail.Unpack(info)
            return str(info.reason)
    raise AssertionError("no ErrorInfo")


async def test_users_can_only_touch_their_own_runs(start_os: Any) -> None:
    @tool(requires_confirmation=True)
    def delete_file(path: str) -> str:
        """Delete a file."""
        return f"deleted {path}"

    db = InMemoryDb()
    agent = Agent(
        id="confirm",
        model=ScriptedModel(steps=[tool_call("delete_file", path="/x"), "done"]),
        tools=[delete_file],
        db=db,
    )
    harness = await start_os(
        AgentOS(
            id="secure-runs",
            agents=[agent],
            db=db,
            authorization=True,
            authorization_config=AuthorizationConfig(verification_keys=[SECRET], algorithm="HS256"),
        )
    )
    runs = harness.stubs.runs
    # A non-admin's user_id comes from the token, whatever the request says.
    paused = (
        await runs.CreateRun(
            run_service_pb2.CreateRunRequest(agent_id="confirm", message="x", user_id="u2"), metadata=U1
        )
    ).run
    assert paused.user_id == "u1" and paused.state == runs_pb2.RUN_STATE_PAUSED
    run_id = paused.run_id
    decision = common_pb2.RunRequirement(requirement_id=paused.requirements[0].requirement_id, confirmed=True)
    foreign_calls: list[Any] = [
        runs.GetRun(run_service_pb2.GetRunRequest(run_id=run_id), metadata=U2),
        collect(runs.WatchRun(run_service_pb2.WatchRunRequest(run_id=run_id), metadata=U2)),
        runs.CancelRun(run_service_pb2.CancelRunRequest(run_id=run_id), metadata=U2),
        runs.ContinueRun(
            run_service_pb2.ContinueRunRequest(run_id=run_id, requirements=[decision]), metadata=U2
        ),
        collect(
            runs.StreamContinueRun(
                run_service_pb2.StreamContinueRunRequest(run_id=run_id, requirements=[decision]), metadata=U2
            )
        ),
    ]
    for call in foreign_calls:
        with pytest.raises(grpc.aio.AioRpcError) as raised:
            await call
        assert raised.value.code() == grpc.StatusCode.NOT_FOUND, raised.value.details()
        assert reason_of(raised.value) == "RUN_NOT_FOUND"
    listed = await runs.ListRuns(run_service_pb2.ListRunsRequest(), metadata=U2)
    assert run_id not in {r.run_id for r in listed.runs}
    with pytest.raises(grpc.aio.AioRpcError) as other_user:
        await runs.ListRuns(run_service_pb2.ListRunsRequest(user_id="u1"), metadata=U2)
    assert other_user.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # Without the agent's run scope, no new runs (the stream too).
    for call in (
        runs.CreateRun(run_service_pb2.CreateRunRequest(agent_id="confirm", message="x"), metadata=READER),
        collect(
            runs.StreamRun(run_service_pb2.StreamRunRequest(agent_id="confirm", message="x"), metadata=READER)
        ),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as denied:
            await call
        assert denied.value.code() == grpc.StatusCode.PERMISSION_DENIED
    # The owner sees and continues its run; an admin sees every run.
    mine = await runs.ListRuns(run_service_pb2.ListRunsRequest(), metadata=U1)
    assert run_id in {r.run_id for r in mine.runs}
    assert (
        await runs.GetRun(run_service_pb2.GetRunRequest(run_id=run_id), metadata=ADMIN)
    ).run.user_id == "u1"
    done = await runs.ContinueRun(
        run_service_pb2.ContinueRunRequest(run_id=run_id, requirements=[decision]), metadata=U1
    )
    assert done.run.state == runs_pb2.RUN_STATE_COMPLETED
    watched = await collect(runs.WatchRun(run_service_pb2.WatchRunRequest(run_id=run_id), metadata=U1))
    assert watched[-1].event == "RunCompleted"
    with pytest.raises(grpc.aio.AioRpcError) as unauthenticated:
        await runs.GetRun(run_service_pb2.GetRunRequest(run_id=run_id))
    assert unauthenticated.value.code() == grpc.StatusCode.UNAUTHENTICATED
