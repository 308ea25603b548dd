"""Start a real AgentOS gRPC server on 127.0.0.1 for tests, and talk to it through stubs.

Two ways, both on a free port (port 0) and torn down after the test:

* ``async with serve_os(agent_os) as harness`` (or the ``start_os`` fixture) runs the server on
  the test's own event loop: no threads, fast, and a failure in a handler shows up in the
  test. Use the ``harness`` stubs (grpc.aio) from the same loop.
* ``with serve_os_in_thread(agent_os) as harness`` runs it on a private loop in a background
  thread, for code under test that is synchronous (sync gRPC stubs, sync clients).

Make the fixtures available in a test directory by importing them into its ``conftest.py``:
``from agentos_server import start_os``.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any

import grpc
import pytest
from agentos.os import AgentOS, RunningServer, ServerSettings
from agentos.v1 import (
    agent_os_pb2_grpc,
    evals_pb2_grpc,
    knowledge_pb2_grpc,
    memories_pb2_grpc,
    metrics_pb2_grpc,
    run_service_pb2_grpc,
    sessions_pb2_grpc,
    traces_pb2_grpc,
)
from grpc_health.v1 import health_pb2_grpc
from grpc_reflection.v1alpha import reflection_pb2_grpc

FAST_SHUTDOWN = ServerSettings(grace_period=5.0, cancel_grace=1.0)
"""Test default: a stuck handler fails the test in seconds instead of holding it for 30 s."""


@dataclass
class Stubs:
    """One stub per service, all on the same channel."""

    agent_os: Any
    runs: Any
    sessions: Any
    memories: Any
    knowledge: Any
    traces: Any
    metrics: Any
    evals: Any
    health: Any
    reflection: Any

    @classmethod
    def on(cls, channel: Any) -> Stubs:
        return cls(
            agent_os=agent_os_pb2_grpc.AgentOSServiceStub(channel),
            runs=run_service_pb2_grpc.RunServiceStub(channel),
            sessions=sessions_pb2_grpc.SessionServiceStub(channel),
            memories=memories_pb2_grpc.MemoryServiceStub(channel),
            knowledge=knowledge_pb2_grpc.KnowledgeServiceStub(channel),
            traces=traces_pb2_grpc.TraceServiceStub(channel),
            metrics=metrics_pb2_grpc.MetricsServiceStub(channel),
            evals=evals_pb2_grpc.EvalServiceStub(channel),
            health=health_pb2_grpc.HealthStub(channel),
            reflection=reflection_pb2_grpc.ServerReflectionStub(channel),
        )


@dataclass
class OSHarness:
    """A running server with a grpc.aio channel and stubs on it."""

    agent_os: AgentOS
    server: RunningServer
    channel: grpc.aio.Channel
    stubs: Stubs

    @property
    def address(self) -> str:
        return self.server.address

    def new_channel(self) -> grpc.aio.Channel:
        """Another channel to the server (close it, e.g. ``async with harness.new_channel() as ch``)."""
        return grpc.aio.insecure_channel(self.address)


@contextlib.asynccontextmanager
async def serve_os(agent_os: AgentOS, *, settings: ServerSettings | None = None) -> AsyncIterator[OSHarness]:
    """Serve ``agent_os`` on 127.0.0.1 (free port) on the current loop for the block."""
    async with (
        agent_os.running("127.0.0.1", 0, settings=settings or FAST_SHUTDOWN) as server,
        grpc.aio.insecure_channel(server.address) as channel,
    ):
        yield OSHarness(agent_os=agent_os, server=server, channel=channel, stubs=Stubs.on(channel))


@pytest.fixture
async def start_os() -> AsyncIterator[Callable[..., Awaitable[OSHarness]]]:
    """Factory fixture: ``harness = await start_os(AgentOS(...))``; every server is stopped after the test."""
    async with contextlib.AsyncExitStack() as stack:

        async def start(agent_os: AgentOS, *, settings: ServerSettings | None = None) -> OSHarness:
            return await stack.enter_async_context(serve_os(agent_os, settings=settings))

        yield start


@dataclass
class ThreadedOS:
    """A server running on a background thread's loop; use sync stubs on ``channel``."""

    agent_os: AgentOS
    address: str
    channel: grpc.Channel
    stubs: Stubs


@contextlib.contextmanager
def serve_os_in_thread(agent_os: AgentOS, *, settings: ServerSettings | None = None) -> Iterator[ThreadedOS]:
    """Serve ``agent_os`` from a background thread for the block (for synchronous callers)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="agentos-test-server", daemon=True)
    thread.start()
    try:
        server = asyncio.run_coroutine_threadsafe(
            agent_os.start("127.0.0.1", 0, settings=settings or FAST_SHUTDOWN), loop
        ).result(timeout=30)
    except BaseException:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()
        raise
    channel = grpc.insecure_channel(server.address)
    try:
        yield ThreadedOS(agent_os=agent_os, address=server.address, channel=channel, stubs=Stubs.on(channel))
    finally:
        channel.close()
        try:
            asyncio.run_coroutine_threadsafe(server.stop(), loop).result(timeout=60)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=60)
            loop.close()
