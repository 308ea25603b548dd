"""A real AgentOS with authorization on: per-user isolation of sessions and memories, and
listings filtered by the caller's scopes."""

from __future__ import annotations

import time
from typing import Any

import grpc
import jwt
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb
from agentos.models.scripted import ScriptedModel
from agentos.os import AgentOS
from agentos.os.auth import AuthorizationConfig
from agentos.v1 import agent_os_pb2, memories_pb2, sessions_pb2
from grpc_health.v1 import health_pb2

SECRET = "integration-test-secret-of-sufficient-length"
USER_SCOPES = [
    "sessions:read",
    "sessions:write",
    "sessions:delete",
    "memories:read",
    "memories:write",
    "memories:delete",
    "config:read",
]


def token(sub: str | None, scopes: list[str]) -> tuple[tuple[str, str], ...]:
    claims: dict[str, Any] = {"scopes": scopes, "exp": int(time.time()) + 300}
    if sub is not None:
        claims["sub"] = sub
    return (("authorization", f"Bearer {jwt.encode(claims, SECRET, algorithm='HS256')}"),)


U1 = token("u1", [*USER_SCOPES, "agents:a1:read"])
U2 = token("u2", USER_SCOPES)
ADMIN = token("root", ["agent_os:admin"])


@pytest.fixture
async def secured(start_os: Any) -> Any:
    agents = [Agent(id=agent_id, model=ScriptedModel(steps=["x"])) for agent_id in ("a1", "a2")]
    agent_os = AgentOS(
        id="secure-os",
        agents=agents,
        db=InMemoryDb(),
        authorization=True,
        authorization_config=AuthorizationConfig(verification_keys=[SECRET], algorithm="HS256"),
    )
    return await start_os(agent_os)


async def test_calls_need_a_token_but_health_does_not(secured: Any) -> None:
    with pytest.raises(grpc.aio.AioRpcError) as error:
        await secured.stubs.sessions.ListSessions(sessions_pb2.ListSessionsRequest())
    assert error.value.code() == grpc.StatusCode.UNAUTHENTICATED
    reply = await secured.stubs.health.Check(health_pb2.HealthCheckRequest())
    assert reply.status == health_pb2.HealthCheckResponse.SERVING
    config = await secured.stubs.agent_os.GetConfig(agent_os_pb2.GetConfigRequest(), metadata=ADMIN)
    assert config.config.authorization_enabled


async def test_sessions_are_isolated_per_user(secured: Any) -> None:
    stub = secured.stubs.sessions
    mine = (
        await stub.CreateSession(
            sessions_pb2.CreateSessionRequest(
                session=sessions_pb2.Session(agent_id="a1", session_name="u1 chat")
            ),
            metadata=U1,
        )
    ).session
    assert mine.user_id == "u1"  # taken from the token
    theirs = (
        await stub.CreateSession(
            sessions_pb2.CreateSessionRequest(session=sessions_pb2.Session(agent_id="a1", user_id="u2")),
            metadata=U2,
        )
    ).session

    with pytest.raises(grpc.aio.AioRpcError) as foreign:
        await stub.GetSession(sessions_pb2.GetSessionRequest(session_id=mine.session_id), metadata=U2)
    assert foreign.value.code() == grpc.StatusCode.NOT_FOUND  # not PERMISSION_DENIED: existence does not leak
    with pytest.raises(grpc.aio.AioRpcError) as delete:
        await stub.DeleteSession(sessions_pb2.DeleteSessionRequest(session_id=mine.session_id), metadata=U2)
    assert delete.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as update:
        await stub.UpdateSession(
            sessions_pb2.UpdateSessionRequest(
                session=sessions_pb2.Session(session_id=mine.session_id, session_name="x")
            ),
            metadata=U2,
        )
    assert update.value.code() == grpc.StatusCode.NOT_FOUND
    batch = await stub.BatchDeleteSessions(
        sessions_pb2.BatchDeleteSessionsRequest(session_ids=[mine.session_id]), metadata=U2
    )
    assert batch.deleted_count == 0

    listed = await stub.ListSessions(sessions_pb2.ListSessionsRequest(), metadata=U2)
    assert [s.session_id for s in listed.sessions] == [theirs.session_id]
    with pytest.raises(grpc.aio.AioRpcError) as other_user:
        await stub.ListSessions(sessions_pb2.ListSessionsRequest(user_id="u1"), metadata=U2)
    assert other_user.value.code() == grpc.StatusCode.PERMISSION_DENIED
    with pytest.raises(grpc.aio.AioRpcError) as create_for_other:
        await stub.CreateSession(
            sessions_pb2.CreateSessionRequest(session=sessions_pb2.Session(agent_id="a1", user_id="u1")),
            metadata=U2,
        )
    assert create_for_other.value.code() == grpc.StatusCode.PERMISSION_DENIED

    everyone = await stub.ListSessions(sessions_pb2.ListSessionsRequest(), metadata=ADMIN)
    assert everyone.total_size == 2
    only_u1 = await stub.ListSessions(sessions_pb2.ListSessionsRequest(user_id="u1"), metadata=ADMIN)
    assert [s.session_id for s in only_u1.sessions] == [mine.session_id]
    got = await stub.GetSession(sessions_pb2.GetSessionRequest(session_id=mine.session_id), metadata=ADMIN)
    assert got.session.user_id == "u1"


async def test_request_ids_do_not_collide_across_users(secured: Any) -> None:
    stub = secured.stubs.sessions
    request = sessions_pb2.CreateSessionRequest(
        session=sessions_pb2.Session(agent_id="a1"), request_id="same"
    )
    first = (await stub.CreateSession(request, metadata=U1)).session
    second = (await stub.CreateSession(request, metadata=U2)).session
    assert first.session_id != second.session_id
    assert (first.user_id, second.user_id) == ("u1", "u2")


async def test_memories_are_isolated_per_user(secured: Any) -> None:
    stub = secured.stubs.memories
    mine = (
        await stub.CreateMemory(
            memories_pb2.CreateMemoryRequest(
                memory=memories_pb2.UserMemory(memory="u1 likes tea", topics=["drinks"])
            ),
            metadata=U1,
        )
    ).memory
    assert mine.user_id == "u1"
    await stub.CreateMemory(
        memories_pb2.CreateMemoryRequest(
            memory=memories_pb2.UserMemory(memory="u2 likes coffee", topics=["coffee"])
        ),
        metadata=U2,
    )
    with pytest.raises(grpc.aio.AioRpcError) as foreign:
        await stub.GetMemory(memories_pb2.GetMemoryRequest(memory_id=mine.memory_id), metadata=U2)
    assert foreign.value.code() == grpc.StatusCode.NOT_FOUND
    with pytest.raises(grpc.aio.AioRpcError) as update:
        await stub.UpdateMemory(
            memories_pb2.UpdateMemoryRequest(
                memory=memories_pb2.UserMemory(memory_id=mine.memory_id, memory="hacked")
            ),
            metadata=U2,
        )
    assert update.value.code() == grpc.StatusCode.NOT_FOUND

    listed = await stub.ListMemories(memories_pb2.ListMemoriesRequest(), metadata=U2)
    assert [m.memory for m in listed.memories] == ["u2 likes coffee"]
    topics = await stub.ListMemoryTopics(memories_pb2.ListMemoryTopicsRequest(), metadata=U2)
    assert list(topics.topics) == ["coffee"]
    stats = await stub.GetUserMemoryStats(memories_pb2.GetUserMemoryStatsRequest(), metadata=U2)
    assert [(s.user_id, s.total_memories) for s in stats.stats] == [("u2", 1)]
    deleted = await stub.BatchDeleteMemories(
        memories_pb2.BatchDeleteMemoriesRequest(memory_ids=[mine.memory_id]), metadata=U2
    )
    assert deleted.deleted_count == 0

    admin_stats = await stub.GetUserMemoryStats(memories_pb2.GetUserMemoryStatsRequest(), metadata=ADMIN)
    assert sorted(s.user_id for s in admin_stats.stats) == ["u1", "u2"]


async def test_listings_show_only_what_the_scopes_allow(secured: Any) -> None:
    stub = secured.stubs.agent_os
    listed = await stub.ListAgents(agent_os_pb2.ListAgentsRequest(), metadata=U1)
    assert [a.agent_id for a in listed.agents] == ["a1"] and listed.total_size == 1
    config = await stub.GetConfig(agent_os_pb2.GetConfigRequest(), metadata=U1)
    assert [a.id for a in config.config.agents] == ["a1"]
    with pytest.raises(grpc.aio.AioRpcError) as hidden:
        await stub.GetAgent(agent_os_pb2.GetAgentRequest(agent_id="a2"), metadata=U1)
    assert hidden.value.code() in (grpc.StatusCode.PERMISSION_DENIED, grpc.StatusCode.NOT_FOUND)
    everything = await stub.ListAgents(agent_os_pb2.ListAgentsRequest(), metadata=ADMIN)
    assert [a.agent_id for a in everything.agents] == ["a1", "a2"]
