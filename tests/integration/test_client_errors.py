"""Typed client errors, transport failures and per-call metadata.

- Every gRPC status code becomes its error class with the ``google.rpc.Status`` details parsed
  (a small test server on 127.0.0.1 aborts with whatever code the call asks for).
- A real AgentOS: NOT_FOUND with ResourceInfo, INVALID_ARGUMENT with field violations,
  UNAUTHENTICATED / PERMISSION_DENIED with auth on, and tokens/headers sent per call or per client.
- RemoteServerUnavailableError for a closed port and for a peer that never speaks gRPC.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import time
from collections.abc import AsyncIterator, Iterator
from typing import Any

import grpc
import jwt
import pytest
from agentos.agent import Agent
from agentos.client import (
    AbortedError,
    AgentOSClient,
    AgentOSClientError,
    AlreadyExistsError,
    DataLossError,
    DeadlineExceededError,
    FailedPreconditionError,
    InternalError,
    InvalidArgumentError,
    NotFoundError,
    OutOfRangeError,
    PermissionDeniedError,
    RemoteAgent,
    RemoteServerUnavailableError,
    RequestCancelledError,
    ResourceExhaustedError,
    UnauthenticatedError,
    UnavailableError,
    UnimplementedError,
    UnknownError,
    error_class_for,
)
from agentos.db import InMemoryDb
from agentos.models.scripted import EchoModel
from agentos.os import AgentOS
from agentos.os.auth import JWTMiddlewareConfig
from agentos.v1 import agent_os_pb2, agent_os_pb2_grpc
from agentos_server import OSHarness
from google.rpc import error_details_pb2, status_pb2
from grpc_status import rpc_status

SECRET = "client-tests-secret-that-is-long-enough-for-hs256"


def token(*scopes: str, sub: str = "u1", ttl: float = 300) -> str:
    now = int(time.time())
    return jwt.encode(
        {"sub": sub, "scopes": list(scopes), "iat": now, "exp": now + int(ttl)}, SECRET, algorithm="HS256"
    )


# A test server that fails on demand ----------------------------------------------------------


class FailingAgentOS(agent_os_pb2_grpc.AgentOSServiceServicer):
    """GetConfig aborts with the code named in the ``x-fail-with`` metadata, with details;
    GetAgent answers with the call's metadata (so tests see exactly what the client sent)."""

    async def GetConfig(self, request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        metadata = dict(context.invocation_metadata() or ())
        code = grpc.StatusCode[str(metadata["x-fail-with"])]
        status = status_pb2.Status(code=code.value[0], message=f"failed with {code.name}")
        if metadata.get("x-details", "yes") == "yes":
            info = error_details_pb2.ErrorInfo(
                reason=str(metadata.get("x-reason", "SOMETHING")), domain="agentos.dev", metadata={"k": "v"}
            )
            status.details.add().Pack(info)
            bad = error_details_pb2.BadRequest(
                field_violations=[error_details_pb2.BadRequest.FieldViolation(field="a.b", description="bad")]
            )
            status.details.add().Pack(bad)
            status.details.add().Pack(
                error_details_pb2.ResourceInfo(resource_type="agentos.v1.Thing", resource_name="t-1")
            )
            status.details.add().Pack(error_details_pb2.RetryInfo())
        await context.abort_with_status(rpc_status.to_status(status))

    async def GetAgent(self, request: Any, context: grpc.aio.ServicerContext[Any, Any]) -> Any:
        metadata = sorted(
            f"{key}={value}"
            for key, value in (context.invocation_metadata() or ())
            if key.startswith("x-") or key == "authorization"
        )
        return agent_os_pb2.GetAgentResponse(
            agent=agent_os_pb2.Agent(agent_id=request.agent_id, instructions=metadata)
        )


@pytest.fixture
async def failing_server() -> AsyncIterator[str]:
    server = grpc.aio.server()
    agent_os_pb2_grpc.add_AgentOSServiceServicer_to_server(FailingAgentOS(), server)  # type: ignore[no-untyped-call]
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        await server.stop(None)


EXPECTED: dict[str, type[AgentOSClientError]] = {
    "CANCELLED": RequestCancelledError,
    "UNKNOWN": UnknownError,
    "INVALID_ARGUMENT": InvalidArgumentError,
    "DEADLINE_EXCEEDED": DeadlineExceededError,
    "NOT_FOUND": NotFoundError,
    "ALREADY_EXISTS": AlreadyExistsError,
    "PERMISSION_DENIED": PermissionDeniedError,
    "RESOURCE_EXHAUSTED": ResourceExhaustedError,
    "FAILED_PRECONDITION": FailedPreconditionError,
    "ABORTED": AbortedError,
    "OUT_OF_RANGE": OutOfRangeError,
    "UNIMPLEMENTED": UnimplementedError,
    "INTERNAL": InternalError,
    "UNAVAILABLE": UnavailableError,
    "DATA_LOSS": DataLossError,
    "UNAUTHENTICATED": UnauthenticatedError,
}


@pytest.mark.parametrize("code_name", sorted(EXPECTED))
async def test_every_status_code_has_its_error_class(failing_server: str, code_name: str) -> None:
    async with AgentOSClient(failing_server) as client:
        with pytest.raises(AgentOSClientError) as excinfo:
            await client.aget_config(headers={"X-Fail-With": code_name})
    error = excinfo.value
    assert type(error) is EXPECTED[code_name]
    assert error_class_for(grpc.StatusCode[code_name]) is EXPECTED[code_name]
    assert error.code == grpc.StatusCode[code_name]
    assert error.message == f"failed with {code_name}"
    assert error.reason == "SOMETHING" and error.metadata == {"k": "v"}
    assert [(v.field, v.description) for v in error.field_violations] == [("a.b", "bad")]
    assert error.resource is not None and error.resource.resource_name == "t-1"
    assert [type(d).__name__ for d in error.details] == [
        "ErrorInfo",
        "BadRequest",
        "ResourceInfo",
        "RetryInfo",
    ]
    assert error.base_url == failing_server
    assert code_name in str(error) and "SOMETHING" in str(error)


async def test_unavailable_without_details_means_the_server_is_unreachable(failing_server: str) -> None:
    """A bare UNAVAILABLE (no ErrorInfo: a proxy or the transport) and SERVER_SHUTTING_DOWN are
    the server's own unavailability; a reason about something behind the server is not."""
    async with AgentOSClient(failing_server) as client:
        with pytest.raises(RemoteServerUnavailableError) as bare:
            await client.aget_config(headers={"x-fail-with": "UNAVAILABLE", "x-details": "no"})
        assert bare.value.base_url == failing_server and bare.value.reason == ""
        with pytest.raises(RemoteServerUnavailableError) as draining:
            await client.aget_config(
                headers={"x-fail-with": "UNAVAILABLE", "x-reason": "SERVER_SHUTTING_DOWN"}
            )
        assert draining.value.reason == "SERVER_SHUTTING_DOWN"
        with pytest.raises(UnavailableError) as provider:
            await client.aget_config(
                headers={"x-fail-with": "UNAVAILABLE", "x-reason": "MODEL_PROVIDER_UNAVAILABLE"}
            )
        assert not isinstance(provider.value, RemoteServerUnavailableError)
        assert provider.value.reason == "MODEL_PROVIDER_UNAVAILABLE"


async def test_headers_and_tokens_per_client_and_per_call(failing_server: str) -> None:
    async with AgentOSClient(
        failing_server, auth_token="client-token", headers={"X-Tenant": "acme", "x-trace": "t1"}
    ) as client:
        defaults = await client.aget_agent("a")
        assert defaults.instructions == ["authorization=Bearer client-token", "x-tenant=acme", "x-trace=t1"]
        per_call = await client.aget_agent("a", headers={"X-Trace": "t2"}, auth_token="call-token")
        assert per_call.instructions == ["authorization=Bearer call-token", "x-tenant=acme", "x-trace=t2"]
        agno_style = await client.aget_agent("a", headers={"Authorization": "Bearer from-header"})
        assert "authorization=Bearer from-header" in agno_style.instructions


# Transport failures ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_closed_port_is_remote_server_unavailable() -> None:
    base_url = f"grpc://127.0.0.1:{free_port()}"
    async with AgentOSClient(base_url, timeout=5) as client:
        with pytest.raises(RemoteServerUnavailableError) as excinfo:
            await client.aget_config()
    assert excinfo.value.base_url == base_url
    assert excinfo.value.code == grpc.StatusCode.UNAVAILABLE
    assert base_url in excinfo.value.message
    remote = RemoteAgent(base_url, "agent-x", timeout=5)
    with pytest.raises(RemoteServerUnavailableError):
        await remote.arun("hello")
    with pytest.raises(RemoteServerUnavailableError):
        async for _ in remote.arun("hello", stream=True, stream_events=True):
            pass


def test_closed_port_from_sync_code() -> None:
    client = AgentOSClient(f"127.0.0.1:{free_port()}", timeout=5)
    try:
        with pytest.raises(RemoteServerUnavailableError):
            client.get_config()
        with pytest.raises(RemoteServerUnavailableError):
            list(client.sync.run_agent_stream("a", "hi"))
    finally:
        client.close()


@contextlib.contextmanager
def silent_listener() -> Iterator[int]:
    """A TCP port that accepts connections and never answers (no HTTP/2 handshake)."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    try:
        yield int(sock.getsockname()[1])
    finally:
        sock.close()


async def test_deadline_before_a_connection_is_remote_server_unavailable() -> None:
    with silent_listener() as port:
        async with AgentOSClient(f"127.0.0.1:{port}", timeout=0.5) as client:
            with pytest.raises(RemoteServerUnavailableError) as excinfo:
                await client.aget_config()
    assert excinfo.value.code == grpc.StatusCode.DEADLINE_EXCEEDED
    assert "could not connect" in excinfo.value.message


def test_base_url_forms() -> None:
    for url in ("localhost:50051", "grpc://localhost:50051", "http://localhost:50051/", "https://h.example"):
        assert AgentOSClient(url).base_url == url
    for bad in ("", "ftp://host:1", "grpc://:1"):
        with pytest.raises(ValueError):
            AgentOSClient(bad)
    with pytest.raises(ValueError, match="timeout"):
        AgentOSClient("localhost:1", timeout=0)


# Errors from a real AgentOS --------------------------------------------------------------------


def secured_os() -> AgentOS:
    return AgentOS(
        id="secure-os",
        agents=[Agent(id="a1", name="One", model=EchoModel()), Agent(id="a2", name="Two", model=EchoModel())],
        db=InMemoryDb(),
        authorization_config=JWTMiddlewareConfig(
            verification_keys=[SECRET], algorithm="HS256", authorization=True
        ),
    )


async def test_not_found_and_invalid_argument_from_the_server(start_os: Any) -> None:
    harness: OSHarness = await start_os(AgentOS(agents=[Agent(id="a1", model=EchoModel())], db=InMemoryDb()))
    async with AgentOSClient(harness.address) as client:
        with pytest.raises(NotFoundError) as missing:
            await client.aget_agent("ghost")
        assert missing.value.reason == "AGENT_NOT_FOUND"
        assert missing.value.metadata == {"agent_id": "ghost"}
        assert missing.value.resource is not None
        assert (missing.value.resource.resource_type, missing.value.resource.resource_name) == (
            "agentos.v1.Agent",
            "ghost",
        )
        with pytest.raises(InvalidArgumentError) as invalid:
            await client.aget_agent("")
        assert [v.field for v in invalid.value.field_violations] == ["agent_id"]
        with pytest.raises(InvalidArgumentError) as several:
            await client.create_session(session_type="agent", agent_id="a1", session_id=" padded ")
        assert several.value.field_violations[0].field == "session.session_id"


async def test_auth_token_per_client_and_per_call(start_os: Any) -> None:
    harness: OSHarness = await start_os(secured_os())
    reader = token("agents:read", "config:read")
    async with AgentOSClient(harness.address) as anonymous:
        with pytest.raises(UnauthenticatedError) as no_token:
            await anonymous.list_agents()
        assert no_token.value.reason == "TOKEN_MISSING"
        assert [a.id for a in await anonymous.list_agents(auth_token=reader)] == ["a1", "a2"]
        assert (
            await anonymous.aget_config(headers={"authorization": f"Bearer {reader}"})
        ).os_id == "secure-os"
        with pytest.raises(UnauthenticatedError) as expired:
            await anonymous.list_agents(auth_token=token("agents:read", ttl=-60))
        assert expired.value.reason == "TOKEN_EXPIRED"
        with pytest.raises(UnauthenticatedError):
            await anonymous.list_agents(auth_token="not-a-jwt")

    only_a1 = token("agents:a1:read")
    async with AgentOSClient(harness.address, auth_token=only_a1) as scoped:
        assert [a.id for a in await scoped.list_agents()] == ["a1"]
        with pytest.raises(PermissionDeniedError) as denied:
            await scoped.aget_agent("a2")
        assert denied.value.reason == "PERMISSION_DENIED"
        assert "agents:a2:read" in denied.value.message
        with pytest.raises(PermissionDeniedError):
            await scoped.create_memory("x", user_id="u1")
        # A per-call token replaces the client's.
        assert (await scoped.aget_agent("a2", auth_token=token("agent_os:admin"))).name == "Two"


async def test_remote_agent_forwards_its_token(start_os: Any) -> None:
    harness: OSHarness = await start_os(secured_os())
    with pytest.raises(UnauthenticatedError):
        await RemoteAgent(harness.address, "a1").get_agent_config()
    remote = RemoteAgent(harness.address, "a1", auth_token=token("agents:read"))
    assert (await remote.get_agent_config()).name == "One"
    stranger = RemoteAgent(harness.address, "a1")
    assert (await stranger.get_agent_config(auth_token=token("agents:a1:read"))).name == "One"


async def test_errors_keep_the_grpc_error_as_cause(start_os: Any) -> None:
    harness: OSHarness = await start_os(AgentOS(agents=[Agent(id="a1", model=EchoModel())]))
    async with AgentOSClient(harness.address) as client:
        with pytest.raises(NotFoundError) as excinfo:
            await client.aget_agent("nope")
    assert isinstance(excinfo.value.__cause__, grpc.aio.AioRpcError)
    await asyncio.sleep(0)
