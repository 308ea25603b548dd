"""Test harness for the auth tests: keys, tokens, a real grpc.aio server, error decoding.

Fixtures built on it are in this directory's conftest. The server runs the
``AuthInterceptor`` in front of small servicers defined here (the real
services live elsewhere): they answer from fixed data and record the ``AuthContext`` each
call saw, so tests can check both what the client got and what the handler was told.
"""

from __future__ import annotations

import asyncio
import base64
import time
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from typing import Any

import grpc
import jwt
import pytest
from agentos.os.auth import AuthContext, AuthInterceptor, JWTMiddlewareConfig, current_auth, effective_user_id
from agentos.v1 import (
    agent_os_pb2,
    agent_os_pb2_grpc,
    events_pb2,
    knowledge_pb2,
    knowledge_pb2_grpc,
    run_service_pb2,
    run_service_pb2_grpc,
    runs_pb2,
    sessions_pb2,
    sessions_pb2_grpc,
)
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from google.rpc import error_details_pb2, status_pb2
from grpc_health.v1 import health, health_pb2_grpc
from grpc_reflection.v1alpha import reflection

OS_ID = "test-os"
HS_SECRET = "a-test-secret-that-is-long-enough-for-hs256!"
AGENTS = ("a1", "a2", "a3")
ECHO_METHOD = "/test.Echo/Chat"

# run_id -> (agent_id, user_id): what the test RunService "loads" for run-by-id calls.
STORED_RUNS = {"run-1": ("a1", "u1"), "run-2": ("a2", "u2")}


def _pem_private(key: Any) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def _pem_public(key: Any) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class Keys:
    """Signing material: RSA and EC pairs (PEM), a second RSA pair, and an HMAC secret."""

    rsa_private: bytes
    rsa_public: str
    rsa2_private: bytes
    rsa2_public: str
    rsa2_numbers: tuple[int, int]
    rsa_numbers: tuple[int, int]
    ec_private: bytes
    ec_public: str
    hs_secret: str = HS_SECRET

    def jwks(self) -> dict[str, Any]:
        """A JWKS holding both RSA public keys, with kids ``k1`` and ``k2``."""
        return {
            "keys": [
                {"kty": "RSA", "kid": kid, "use": "sig", "alg": "RS256", "n": _b64(n), "e": _b64(e)}
                for kid, (n, e) in (("k1", self.rsa_numbers), ("k2", self.rsa2_numbers))
            ]
        }


def generate_keys() -> Keys:
    rsa1 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa2 = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec1 = ec.generate_private_key(ec.SECP256R1())
    numbers = rsa1.public_key().public_numbers()
    numbers2 = rsa2.public_key().public_numbers()
    return Keys(
        rsa_private=_pem_private(rsa1),
        rsa_public=_pem_public(rsa1),
        rsa2_private=_pem_private(rsa2),
        rsa2_public=_pem_public(rsa2),
        rsa_numbers=(numbers.n, numbers.e),
        rsa2_numbers=(numbers2.n, numbers2.e),
        ec_private=_pem_private(ec1),
        ec_public=_pem_public(ec1),
    )


def make_token(
    key: str | bytes,
    algorithm: str = "HS256",
    *,
    sub: str | None = "u1",
    scopes: list[str] | str | None = None,
    expires_in: float | None = 300,
    headers: dict[str, Any] | None = None,
    **claims: Any,
) -> str:
    """A signed token; ``expires_in=None`` leaves ``exp`` out, a negative value makes it expired."""
    payload: dict[str, Any] = dict(claims)
    if sub is not None:
        payload["sub"] = sub
    if scopes is not None:
        payload["scopes"] = scopes
    if expires_in is not None:
        payload["exp"] = int(time.time() + expires_in)
    return jwt.encode(payload, key, algorithm=algorithm, headers=headers)


def bearer(token: str) -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {token}"),)


def hs_token(**kwargs: Any) -> str:
    return make_token(HS_SECRET, "HS256", **kwargs)


# -- the test servicers -------------------------------------------------------------------------


@dataclass
class Recorder:
    """The AuthContexts handlers saw, in call order."""

    seen: list[AuthContext] = field(default_factory=list)

    def record(self) -> AuthContext:
        auth = current_auth()
        self.seen.append(auth)
        return auth


class AgentOSServicer(agent_os_pb2_grpc.AgentOSServiceServicer):
    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    def _agents(self) -> list[agent_os_pb2.Agent]:
        auth = current_auth()
        return [agent_os_pb2.Agent(agent_id=a, name=a) for a in AGENTS if auth.can_access("agents", a)]

    async def GetConfig(self, request: Any, context: Any) -> Any:
        self.recorder.record()
        await asyncio.sleep(0)  # the context must survive an await
        agents = [agent_os_pb2.EntitySummary(id=a.agent_id) for a in self._agents()]
        return agent_os_pb2.GetConfigResponse(config=agent_os_pb2.OSConfig(os_id=OS_ID, agents=agents))

    async def ListAgents(self, request: Any, context: Any) -> Any:
        self.recorder.record()
        return agent_os_pb2.ListAgentsResponse(agents=self._agents())

    async def GetAgent(self, request: Any, context: Any) -> Any:
        self.recorder.record()
        return agent_os_pb2.GetAgentResponse(agent=agent_os_pb2.Agent(agent_id=request.agent_id))


class RunServicer(run_service_pb2_grpc.RunServiceServicer):
    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    async def CreateRun(self, request: Any, context: Any) -> Any:
        self.recorder.record()
        user_id = effective_user_id(request.user_id) or ""
        run = runs_pb2.Run(run_id="new-run", user_id=user_id)
        target = request.WhichOneof("target")
        if target:
            setattr(run, target, getattr(request, target))
        return run_service_pb2.CreateRunResponse(run=run)

    async def StreamRun(self, request: Any, context: Any) -> None:
        """Written through ``context.write`` (not a generator), the other style grpc.aio allows."""
        self.recorder.record()
        for sequence in range(1, 3):
            await asyncio.sleep(0)
            user_id = current_auth().user_id or ""
            await context.write(events_pb2.RunEvent(run_id="new-run", sequence=sequence, user_id=user_id))

    async def CancelRun(self, request: Any, context: Any) -> Any:
        auth = self.recorder.record()
        agent_id, owner = STORED_RUNS[request.run_id]
        auth.authorize_run(agent_id=agent_id, user_id=owner)
        return run_service_pb2.CancelRunResponse(run=runs_pb2.Run(run_id=request.run_id, agent_id=agent_id))

    async def WatchRun(self, request: Any, context: Any) -> AsyncIterator[Any]:
        auth = self.recorder.record()
        agent_id, owner = STORED_RUNS[request.run_id]
        auth.authorize_run(agent_id=agent_id, user_id=owner)
        for sequence in range(1, 4):
            await asyncio.sleep(0)
            # Each event reports who the handler believes is calling at that point of the stream.
            seen = current_auth().user_id or ""
            yield events_pb2.RunEvent(run_id=request.run_id, sequence=sequence, user_id=seen)


class SessionServicer(sessions_pb2_grpc.SessionServiceServicer):
    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    async def ListSessions(self, request: Any, context: Any) -> Any:
        auth = self.recorder.record()
        auth.require("sessions:write")  # an extra check inside the handler
        return sessions_pb2.ListSessionsResponse()


class KnowledgeServicer(knowledge_pb2_grpc.KnowledgeServiceServicer):
    def __init__(self, recorder: Recorder) -> None:
        self.recorder = recorder

    async def UploadContent(self, request_iterator: Any, context: Any) -> Any:
        size = 0
        async for part in request_iterator:
            size += len(part.chunk)
        auth = self.recorder.record()
        return knowledge_pb2.UploadContentResponse(
            content=knowledge_pb2.Content(content_id=f"{auth.user_id}:{size}")
        )


def _echo_handler(recorder: Recorder) -> grpc.GenericRpcHandler:
    async def chat(requests: AsyncIterator[bytes], context: Any) -> AsyncIterator[bytes]:
        async for message in requests:
            recorder.record()
            yield message + b"|" + (current_auth().user_id or "").encode()

    handler = grpc.stream_stream_rpc_method_handler(chat)
    return grpc.method_handlers_generic_handler("test.Echo", {"Chat": handler})


@dataclass
class AuthServer:
    """A running server and stubs of a channel to it."""

    address: str
    channel: grpc.aio.Channel
    recorder: Recorder
    interceptor: AuthInterceptor

    @property
    def agent_os(self) -> agent_os_pb2_grpc.AgentOSServiceStub:
        return agent_os_pb2_grpc.AgentOSServiceStub(self.channel)

    @property
    def runs(self) -> run_service_pb2_grpc.RunServiceStub:
        return run_service_pb2_grpc.RunServiceStub(self.channel)

    @property
    def sessions(self) -> sessions_pb2_grpc.SessionServiceStub:
        return sessions_pb2_grpc.SessionServiceStub(self.channel)

    @property
    def knowledge(self) -> knowledge_pb2_grpc.KnowledgeServiceStub:
        return knowledge_pb2_grpc.KnowledgeServiceStub(self.channel)

    @property
    def health(self) -> health_pb2_grpc.HealthStub:
        return health_pb2_grpc.HealthStub(self.channel)

    def echo(self) -> Any:
        return self.channel.stream_stream(ECHO_METHOD)

    @property
    def last(self) -> AuthContext:
        return self.recorder.seen[-1]


class ServerFactory:
    """Starts servers on 127.0.0.1 (port 0) with an AuthInterceptor; ``close`` stops them all."""

    def __init__(self) -> None:
        self._servers: list[grpc.aio.Server] = []
        self._channels: list[grpc.aio.Channel] = []

    async def __call__(
        self, config: JWTMiddlewareConfig | None = None, os_id: str = OS_ID, **options: Any
    ) -> AuthServer:
        """Serve with ``config``, or with a JWTMiddlewareConfig of ``options`` (HS256, RBAC on)."""
        if config is None:
            options.setdefault("verification_keys", [HS_SECRET])
            options.setdefault("algorithm", "HS256")
            options.setdefault("authorization", True)
            config = JWTMiddlewareConfig(**options)
        interceptor = AuthInterceptor(config, os_id)
        recorder = Recorder()
        server = grpc.aio.server(interceptors=[interceptor])
        agent_os_pb2_grpc.add_AgentOSServiceServicer_to_server(AgentOSServicer(recorder), server)
        run_service_pb2_grpc.add_RunServiceServicer_to_server(RunServicer(recorder), server)
        sessions_pb2_grpc.add_SessionServiceServicer_to_server(SessionServicer(recorder), server)
        knowledge_pb2_grpc.add_KnowledgeServiceServicer_to_server(KnowledgeServicer(recorder), server)
        server.add_generic_rpc_handlers((_echo_handler(recorder),))
        health_pb2_grpc.add_HealthServicer_to_server(health.aio.HealthServicer(), server)
        reflection.enable_server_reflection(
            ("agentos.v1.AgentOSService", reflection.SERVICE_NAME, "grpc.health.v1.Health"), server
        )
        port = server.add_insecure_port("127.0.0.1:0")
        await server.start()
        self._servers.append(server)
        channel = grpc.aio.insecure_channel(f"127.0.0.1:{port}")
        self._channels.append(channel)
        return AuthServer(f"127.0.0.1:{port}", channel, recorder, interceptor)

    async def close(self) -> None:
        for channel in self._channels:
            await channel.close()
        for server in self._servers:
            await server.stop(None)


# -- reading errors -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ErrorView:
    code: grpc.StatusCode
    message: str
    reason: str
    domain: str
    metadata: dict[str, str]
    field_violations: list[str]


def error_of(exc: grpc.aio.AioRpcError) -> ErrorView:
    """The status code, message and ErrorInfo/BadRequest details of a failed call."""
    raw = dict(exc.trailing_metadata() or ()).get("grpc-status-details-bin")
    assert raw is not None, f"no google.rpc.Status details on {exc.code()}: {exc.details()}"
    status = status_pb2.Status.FromString(raw)
    info = error_details_pb2.ErrorInfo()
    violations: list[str] = []
    for detail in status.details:
        if detail.Is(error_details_pb2.ErrorInfo.DESCRIPTOR):
            detail.Unpack(info)
        elif detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            violations.extend(v.field for v in bad.field_violations)
    assert status.code == exc.code().value[0]
    return ErrorView(
        exc.code(), exc.details() or "", info.reason, info.domain, dict(info.metadata), violations
    )


async def call_error(awaitable: Awaitable[Any]) -> ErrorView:
    """Await a call that must fail and describe its error."""
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        await awaitable
    return error_of(caught.value)


async def stream_error(stream: Any) -> ErrorView:
    with pytest.raises(grpc.aio.AioRpcError) as caught:
        async for _ in stream:
            pass
    return error_of(caught.value)
