"""Streams that lose their connection mid-run: transparent re-attach with WatchRun.

The client talks to the server through a TCP proxy on 127.0.0.1 that the test can cut (every
open connection is closed at once, new ones are still accepted). The agent waits inside a tool
on a gate the test opens after the cut, so the run is mid-flight when the connection dies.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.client import AgentOSClient, RemoteAgent, RemoteServerUnavailableError
from agentos.db import InMemoryDb
from agentos.models.scripted import ScriptedModel, chunks, tool_call, tool_calls
from agentos.os import AgentOS
from agentos.run import (
    BaseRunEvent,
    RunCancelledEvent,
    RunCompletedEvent,
    RunContentEvent,
    RunContinuedEvent,
    RunPausedEvent,
    RunStatus,
    ToolCallStartedEvent,
)
from agentos.tools import tool
from agentos_server import OSHarness


class CuttableProxy:
    """Forwards TCP connections to ``target``; ``cut()`` closes every open one."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.writers: set[asyncio.StreamWriter] = set()
        self.tasks: set[asyncio.Task[None]] = set()
        self.server: asyncio.Server | None = None
        self.connections = 0

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._accept, "127.0.0.1", 0)
        port = self.server.sockets[0].getsockname()[1]
        return f"127.0.0.1:{port}"

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        up_reader, up_writer = await asyncio.open_connection(*self.target)
        self.writers.update((writer, up_writer))
        pumps = [
            asyncio.ensure_future(self._pump(reader, up_writer)),
            asyncio.ensure_future(self._pump(up_reader, writer)),
        ]
        self.tasks.update(pumps)
        await asyncio.gather(*pumps, return_exceptions=True)
        self.tasks.difference_update(pumps)

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            self.writers.discard(writer)
            writer.close()

    def cut(self) -> None:
        for writer in list(self.writers):
            transport = writer.transport
            transport.abort()
        self.writers.clear()

    async def close(self) -> None:
        self.cut()
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
        for task in list(self.tasks):
            task.cancel()
        await asyncio.gather(*self.tasks, return_exceptions=True)


class Gate:
    """A tool that waits until the test opens the gate."""

    def __init__(self) -> None:
        self.opened = asyncio.Event()
        self.entered = asyncio.Event()

        @tool
        async def wait_gate() -> str:
            """Wait for the gate."""
            self.entered.set()
            await self.opened.wait()
            return "opened"

        self.tool = wait_gate


def gated_agent(gate: Gate, agent_id: str = "gated") -> Agent:
    return Agent(
        id=agent_id,
        model=ScriptedModel(
            steps=[
                tool_calls(tool_call("wait_gate"), content="before the gate "),
                chunks("after ", "the ", "gate"),
            ]
        ),
        tools=[gate.tool],
        db=None,
    )


@pytest.fixture
async def setup(start_os: Any) -> AsyncIterator[tuple[OSHarness, CuttableProxy, Gate]]:
    gate = Gate()
    db = InMemoryDb()
    silent = Agent(
        id="silent-gated",
        model=ScriptedModel(steps=[tool_call("wait_gate"), chunks("after ", "the ", "gate")]),
        tools=[gate.tool],
    )
    harness: OSHarness = await start_os(AgentOS(id="flaky-net", agents=[gated_agent(gate), silent], db=db))
    host, port = harness.address.rsplit(":", 1)
    proxy = CuttableProxy(host, int(port))
    await proxy.start()
    try:
        yield harness, proxy, gate
    finally:
        gate.opened.set()
        await proxy.close()


async def proxy_address(proxy: CuttableProxy) -> str:
    assert proxy.server is not None
    return f"127.0.0.1:{proxy.server.sockets[0].getsockname()[1]}"


def key(event: BaseRunEvent) -> tuple[str, int, Any]:
    return (type(event).__name__, event.sequence, getattr(event, "content", None))


async def test_stream_reattaches_after_the_connection_drops(
    setup: tuple[OSHarness, CuttableProxy, Gate],
) -> None:
    harness, proxy, gate = setup
    received: list[BaseRunEvent] = []
    async with AgentOSClient(await proxy_address(proxy), timeout=20) as client:
        stream = client.run_agent_stream("gated", "go", stream_events=True, resume_on_disconnect=True)
        async for event in stream:
            received.append(event)
            if isinstance(event, ToolCallStartedEvent):
                await gate.entered.wait()
                connections_before = proxy.connections
                proxy.cut()
                # Let the server see the disconnect before the run goes on.
                await asyncio.sleep(0.05)
                gate.opened.set()
    assert proxy.connections > connections_before  # it reconnected
    assert (
        isinstance(received[-1], RunCompletedEvent)
        and received[-1].content == "before the gate after the gate"
    )
    run_id = received[0].run_id or ""
    async with AgentOSClient(harness.address) as direct:
        logged = [e async for e in direct.watch_run(run_id)]
        stored = await direct.get_run(run_id)
    # No gaps and no duplicates: exactly the run's event log, in order.
    assert [key(e) for e in received] == [key(e) for e in logged]
    assert stored.status == RunStatus.completed


async def test_reattach_after_a_drop_before_the_first_event(
    setup: tuple[OSHarness, CuttableProxy, Gate],
) -> None:
    """The client chose the run id, so it can re-attach even if it saw nothing before the cut."""
    _, proxy, gate = setup
    async with AgentOSClient(await proxy_address(proxy), timeout=20) as client:
        stream = client.run_agent_stream(
            "silent-gated", "go", stream_events=False, resume_on_disconnect=True, run_id="chosen-id"
        )

        async def cut_when_inside_the_tool() -> None:
            await gate.entered.wait()
            proxy.cut()
            await asyncio.sleep(0.05)
            gate.opened.set()

        cutter = asyncio.ensure_future(cut_when_inside_the_tool())
        events = [e async for e in stream]
        await cutter
    # Only what stream_events=False delivers, even though the replay has every event.
    assert all(isinstance(e, RunContentEvent | RunCompletedEvent) for e in events)
    assert [e.content for e in events if isinstance(e, RunContentEvent)] == ["after ", "the ", "gate"]
    assert events[-1].run_id == "chosen-id"
    sequences = [e.sequence for e in events]
    assert sequences == sorted(set(sequences))


async def test_without_resume_a_drop_raises_and_the_run_is_cancelled(
    setup: tuple[OSHarness, CuttableProxy, Gate],
) -> None:
    harness, proxy, gate = setup
    async with AgentOSClient(await proxy_address(proxy), timeout=20) as client:
        with pytest.raises(RemoteServerUnavailableError):
            async for event in client.run_agent_stream("gated", "go", run_id="fragile"):
                if isinstance(event, RunContentEvent):
                    await gate.entered.wait()
                    proxy.cut()
    async with AgentOSClient(harness.address) as direct:
        for _ in range(100):
            run = await direct.get_run("fragile")
            if run.status != RunStatus.running:
                break
            await asyncio.sleep(0.02)
    assert run.status == RunStatus.cancelled


async def test_remote_agent_stream_and_continue_reattach(start_os: Any) -> None:
    gate = Gate()

    @tool(requires_confirmation=True)
    def approve(item: str) -> str:
        """Approve an item."""
        return f"approved {item}"

    agent = Agent(
        id="gated-hitl",
        model=ScriptedModel(
            steps=[
                tool_call("approve", item="x"),
                tool_calls(tool_call("wait_gate"), content="waiting "),
                chunks("all ", "done"),
            ]
        ),
        tools=[approve, gate.tool],
    )
    harness: OSHarness = await start_os(AgentOS(agents=[agent], db=InMemoryDb()))
    host, port = harness.address.rsplit(":", 1)
    proxy = CuttableProxy(host, int(port))
    address = await proxy.start()
    try:
        remote = RemoteAgent(address, "gated-hitl", timeout=20)
        first = [
            e async for e in remote.arun("go", stream=True, stream_events=True, resume_on_disconnect=True)
        ]
        assert isinstance(first[-1], RunPausedEvent)
        async with AgentOSClient(harness.address) as direct:
            paused = await direct.get_run(first[-1].run_id or "")
        for requirement in paused.requirements or []:
            requirement.confirm()
        continued: list[BaseRunEvent] = []
        async for event in remote.acontinue_run(
            paused, stream=True, stream_events=True, resume_on_disconnect=True
        ):
            continued.append(event)
            if isinstance(event, ToolCallStartedEvent) and event.tool and event.tool.tool_name == "wait_gate":
                await gate.entered.wait()
                proxy.cut()
                await asyncio.sleep(0.05)
                gate.opened.set()
        assert isinstance(continued[0], RunContinuedEvent)
        assert continued[0].sequence == first[-1].sequence + 1
        assert isinstance(continued[-1], RunCompletedEvent) and continued[-1].content == "waiting all done"
        sequences = [e.sequence for e in continued]
        assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
        assert not any(isinstance(e, RunCancelledEvent) for e in continued)
    finally:
        gate.opened.set()
        with contextlib.suppress(Exception):
            await proxy.close()
