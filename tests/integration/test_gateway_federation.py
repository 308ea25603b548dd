"""Gateway federation: an AgentOS serving RemoteAgents of another AgentOS.

Two real servers on 127.0.0.1: a backend with scripted-model agents, and a gateway whose agents
are ``RemoteAgent``s pointing at the backend. Clients talk to the gateway only; the gateway
lists the remote agents with their remote configuration and proxies their runs (unary,
streamed, continued, cancelled, watched). Run ids are preserved: the backend knows each run by
the id the gateway reports.
"""

from __future__ import annotations

import asyncio
import copy
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import jwt
import pytest
from agentos.agent import Agent
from agentos.client import AgentOSClient, NotFoundError, RemoteAgent, RemoteServerUnavailableError
from agentos.db import InMemoryDb
from agentos.models.scripted import ScriptedModel, chunks, fail, hang, tool_call
from agentos.os import AgentOS
from agentos.os.auth import JWTMiddlewareConfig
from agentos.run import (
    BaseRunEvent,
    RunCancelledEvent,
    RunCompletedEvent,
    RunContentEvent,
    RunContinuedEvent,
    RunErrorEvent,
    RunPausedEvent,
    RunStatus,
    ToolCallCompletedEvent,
)
from agentos.tools import tool
from agentos_server import OSHarness

SECRET = "gateway-tests-secret-that-is-long-enough-for-hs256"


@tool
def add(a: int, b: int) -> int:
    """Add two numbers."""
    return a + b


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file."""
    return f"deleted {path}"


def backend_agents(db: Any) -> list[Agent]:
    return [
        Agent(
            id="calc",
            name="Calculator",
            description="Adds numbers",
            model=ScriptedModel(steps=[tool_call("add", a=2, b=3), chunks("The ", "answer ", "is 5.")]),
            tools=[add],
            db=db,
        ),
        Agent(
            id="confirm",
            model=ScriptedModel(steps=[tool_call("delete_file", path="/tmp/x"), "done"]),
            tools=[delete_file],
            db=db,
        ),
        Agent(
            id="hangs", model=ScriptedModel(steps=[hang(after_chunks=1, chunks=["partial ", "never"])]), db=db
        ),
        Agent(id="broken", model=ScriptedModel(steps=[fail("provider down", status_code=503)]), db=db),
    ]


@dataclass
class Federation:
    backend: OSHarness
    gateway: OSHarness
    gateway_client: AgentOSClient
    backend_client: AgentOSClient


def gateway_os(backend_address: str, **remote_kwargs: Any) -> AgentOS:
    return AgentOS(
        id="gateway",
        agents=[
            RemoteAgent(backend_address, agent_id, timeout=20, **remote_kwargs)
            for agent_id in ("calc", "confirm", "hangs", "broken")
        ],
        db=InMemoryDb(),
    )


@pytest.fixture
async def federation(start_os: Any) -> AsyncIterator[Federation]:
    db = InMemoryDb()
    backend: OSHarness = await start_os(AgentOS(id="backend", agents=backend_agents(db), db=db))
    gateway: OSHarness = await start_os(gateway_os(backend.address))
    async with (
        AgentOSClient(gateway.address, timeout=20) as gc,
        AgentOSClient(backend.address, timeout=20) as bc,
    ):
        yield Federation(backend, gateway, gc, bc)


def comparable(event: BaseRunEvent) -> tuple[str, Any, Any]:
    tool_info = getattr(event, "tool", None)
    return (
        type(event).__name__,
        getattr(event, "content", None),
        (tool_info.tool_name, tool_info.tool_args, tool_info.result) if tool_info is not None else None,
    )


# Discovery ---------------------------------------------------------------------------------------


async def test_gateway_lists_remote_agents_with_their_remote_config(federation: Federation) -> None:
    config = await federation.gateway_client.aget_config()
    assert config.os_id == "gateway"
    assert [a.id for a in config.agents] == ["calc", "confirm", "hangs", "broken"]
    calc = config.agents[0]
    assert calc.is_remote and calc.name == "Calculator" and calc.description == "Adds numbers"

    listed = await federation.gateway_client.list_agents()
    assert all(a.is_remote and a.remote_url == federation.backend.address for a in listed)
    remote = await federation.gateway_client.aget_agent("calc")
    direct = await federation.backend_client.aget_agent("calc")
    assert remote.is_remote and not direct.is_remote
    assert (remote.name, remote.tools, remote.model, remote.features) == (
        direct.name,
        direct.tools,
        direct.model,
        direct.features,
    )
    with pytest.raises(NotFoundError):
        await federation.gateway_client.aget_agent("not-federated")


# Runs ------------------------------------------------------------------------------------------------


async def test_unary_run_through_the_gateway_keeps_the_run_id(federation: Federation) -> None:
    output = await federation.gateway_client.run_agent("calc", "add 2 and 3", user_id="u1", session_id="s1")
    assert output.status == RunStatus.completed and output.content == "The answer is 5."
    assert [t.result for t in output.tools or []] == ["5"]
    on_backend = await federation.backend_client.get_run(output.run_id or "")
    assert (
        on_backend.content == output.content and on_backend.session_id == "s1" and on_backend.user_id == "u1"
    )
    via_gateway = await federation.gateway_client.get_run(output.run_id or "")
    assert via_gateway.content == "The answer is 5." and via_gateway.status == RunStatus.completed


async def test_streamed_run_through_the_gateway_matches_the_backend_and_a_local_run(
    federation: Federation,
) -> None:
    through = [e async for e in federation.gateway_client.run_agent_stream("calc", "add", stream_events=True)]
    direct = [e async for e in federation.backend_client.run_agent_stream("calc", "add", stream_events=True)]
    local_agent = backend_agents(InMemoryDb())[0]
    local = [copy.deepcopy(e) async for e in local_agent.arun("add", stream=True, stream_events=True)]
    assert (
        [comparable(e) for e in through] == [comparable(e) for e in direct] == [comparable(e) for e in local]
    )
    assert isinstance(through[-1], RunCompletedEvent)
    run_id = through[-1].run_id or ""
    # The gateway's log of the run is the backend's: same events, same sequence numbers.
    backend_log = [e async for e in federation.backend_client.watch_run(run_id)]
    gateway_log = [e async for e in federation.gateway_client.watch_run(run_id)]
    assert [(type(e), e.sequence) for e in gateway_log] == [(type(e), e.sequence) for e in backend_log]
    assert [(type(e), e.sequence) for e in through] == [(type(e), e.sequence) for e in backend_log]
    only_content = [
        e async for e in federation.gateway_client.run_agent_stream("calc", "add", stream_events=False)
    ]
    assert [type(e) for e in only_content] == [RunContentEvent] * 3 + [RunCompletedEvent]


async def test_a_gateway_remote_agent_works_as_a_remote_agent_again(federation: Federation) -> None:
    """Two hops: a RemoteAgent pointing at the gateway, which proxies to the backend."""
    two_hops = RemoteAgent(federation.gateway.address, "calc")
    assert (await two_hops.arun("add")).content == "The answer is 5."
    events = [e async for e in two_hops.arun("add", stream=True, stream_events=True)]
    assert any(isinstance(e, ToolCallCompletedEvent) for e in events)


async def test_continue_through_the_gateway(federation: Federation) -> None:
    paused = await federation.gateway_client.run_agent("confirm", "delete it")
    assert paused.is_paused and paused.requirements
    for requirement in paused.requirements:
        requirement.confirm()
    done = await federation.gateway_client.continue_agent_run(
        "confirm", paused.run_id or "", requirements=paused.requirements
    )
    assert done.status == RunStatus.completed and done.content == "done"
    assert (await federation.backend_client.get_run(paused.run_id or "")).status == RunStatus.completed

    # Streamed, with the RemoteAgent API against the gateway.
    remote = RemoteAgent(federation.gateway.address, "confirm")
    first = [e async for e in remote.arun("delete it", stream=True, stream_events=True)]
    assert isinstance(first[-1], RunPausedEvent)
    again = await federation.gateway_client.get_run(first[-1].run_id or "")
    for requirement in again.requirements or []:
        requirement.reject("no")
    continued = [e async for e in remote.acontinue_run(again, stream=True, stream_events=True)]
    assert isinstance(continued[0], RunContinuedEvent) and isinstance(continued[-1], RunCompletedEvent)
    assert continued[0].sequence == first[-1].sequence + 1


async def test_cancel_through_the_gateway_reaches_the_backend(federation: Federation) -> None:
    events: list[BaseRunEvent] = []
    async for event in federation.gateway_client.run_agent_stream("hangs", "go", run_id="gw-cancel"):
        events.append(event)
        if isinstance(event, RunContentEvent):
            assert await federation.gateway_client.cancel_run("gw-cancel", reason="stop it")
    assert isinstance(events[-1], RunCancelledEvent) and events[-1].reason == "stop it"
    assert (await federation.backend_client.get_run("gw-cancel")).status == RunStatus.cancelled

    # Cancel before start: recorded by the gateway, sent along when the run starts.
    assert await federation.gateway_client.cancel_run("gw-early", allow_missing=True)
    early = await federation.gateway_client.run_agent("calc", "add", run_id="gw-early")
    assert early.status == RunStatus.cancelled
    assert (await federation.backend_client.get_run("gw-early")).status == RunStatus.cancelled

    # A paused run cancelled through the gateway cannot be continued on the backend either.
    paused = await federation.gateway_client.run_agent("confirm", "delete it")
    assert await federation.gateway_client.cancel_run(paused.run_id or "")
    assert (await federation.backend_client.get_run(paused.run_id or "")).status == RunStatus.cancelled


async def test_background_run_and_watch_through_the_gateway(federation: Federation) -> None:
    started = await federation.gateway_client.run_agent("hangs", "go", background=True, stream_events=True)
    watcher = federation.gateway_client.watch_run(started.run_id or "")
    first = await anext(watcher)
    assert isinstance(first, BaseRunEvent)
    assert await federation.gateway_client.cancel_agent_run("hangs", started.run_id or "")
    rest = [e async for e in watcher]
    assert isinstance(rest[-1], RunCancelledEvent)


async def test_failures_through_the_gateway(federation: Federation) -> None:
    failed = await RemoteAgent(federation.gateway.address, "broken").arun("hi")
    assert failed.status == RunStatus.error and "provider down" in (failed.error or "")
    streamed = [e async for e in federation.gateway_client.run_agent_stream("broken", "hi")]
    assert isinstance(streamed[-1], RunErrorEvent)


async def test_backend_down(start_os: Any) -> None:
    db = InMemoryDb()
    backend: OSHarness = await start_os(AgentOS(id="backend", agents=backend_agents(db), db=db))
    gateway: OSHarness = await start_os(gateway_os(backend.address))
    async with AgentOSClient(gateway.address, timeout=20) as client:
        assert (await client.aget_agent("calc")).name == "Calculator"  # configuration cached
        paused = await client.run_agent("confirm", "delete it")
        paused_events = [e async for e in client.watch_run(paused.run_id or "")]
        await backend.server.stop()
        # A continuation that cannot reach the backend ends the run in-band, after its last event.
        for requirement in paused.requirements or []:
            requirement.confirm()
        with pytest.raises(RemoteServerUnavailableError):
            await client.continue_agent_run("confirm", paused.run_id or "", requirements=paused.requirements)
        logged = [e async for e in client.watch_run(paused.run_id or "")]
        assert [type(e) for e in logged[len(paused_events) :]] == [RunContinuedEvent, RunErrorEvent]
        assert [e.sequence for e in logged] == list(range(1, len(logged) + 1))
        assert logged[-1].error_type == "RemoteServerUnavailableError"  # type: ignore[attr-defined]
        # Discovery serves the last known configuration; runs fail with the remote's unavailability.
        assert (await client.aget_config()).agents[0].name == "Calculator"
        with pytest.raises(RemoteServerUnavailableError) as excinfo:
            await client.run_agent("calc", "add")
        assert excinfo.value.reason == "REMOTE_SERVER_UNAVAILABLE"
        events = [e async for e in client.run_agent_stream("calc", "add")]
        assert isinstance(events[-1], RunErrorEvent)
        assert events[-1].error_type == "RemoteServerUnavailableError"


async def test_gateway_with_never_reachable_backend(start_os: Any) -> None:
    gateway: OSHarness = await start_os(gateway_os("127.0.0.1:9"))  # discard port: nothing listens
    async with AgentOSClient(gateway.address, timeout=20) as client:
        config = await client.aget_config()
        assert [a.id for a in config.agents] == ["calc", "confirm", "hangs", "broken"]
        assert all(a.is_remote and a.name == "" for a in config.agents)
        with pytest.raises(RemoteServerUnavailableError) as excinfo:
            await client.aget_agent("calc")
        assert excinfo.value.reason == "REMOTE_SERVER_UNAVAILABLE"


async def test_gateway_uses_its_token_for_a_secured_backend(start_os: Any) -> None:
    db = InMemoryDb()
    backend: OSHarness = await start_os(
        AgentOS(
            id="secured-backend",
            agents=backend_agents(db),
            db=db,
            authorization_config=JWTMiddlewareConfig(verification_keys=[SECRET], algorithm="HS256"),
        )
    )
    now = int(time.time())
    service_token = jwt.encode(
        {"sub": "gateway", "scopes": ["agent_os:admin"], "iat": now, "exp": now + 300},
        SECRET,
        algorithm="HS256",
    )
    gateway: OSHarness = await start_os(gateway_os(backend.address, auth_token=service_token))
    async with AgentOSClient(gateway.address) as client:
        output = await client.run_agent("calc", "add", user_id="end-user")
        assert output.content == "The answer is 5."
    async with AgentOSClient(backend.address, auth_token=service_token) as admin:
        assert (await admin.get_run(output.run_id or "")).user_id == "end-user"
    await asyncio.sleep(0)
