"""A malformed request to every unary RPC of the AgentOS, Session and Memory services is
INVALID_ARGUMENT with a google.rpc.BadRequest naming the field, and the server goes on serving.

(RunService has the same check in test_runs_basic.py; GetConfig takes no input.)
"""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb
from agentos.models.scripted import EchoModel
from agentos.os import AgentOS
from agentos.v1 import agent_os_pb2, memories_pb2, sessions_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status

BAD_REQUESTS: list[tuple[str, str, Any, str]] = [
    ("agent_os", "ListAgents", agent_os_pb2.ListAgentsRequest(page_size=-1), "page_size"),
    ("agent_os", "GetAgent", agent_os_pb2.GetAgentRequest(), "agent_id"),
    ("agent_os", "ListTeams", agent_os_pb2.ListTeamsRequest(page_size=-1), "page_size"),
    ("agent_os", "GetTeam", agent_os_pb2.GetTeamRequest(), "team_id"),
    ("agent_os", "ListWorkflows", agent_os_pb2.ListWorkflowsRequest(page_size=-1), "page_size"),
    ("agent_os", "GetWorkflow", agent_os_pb2.GetWorkflowRequest(), "workflow_id"),
    ("sessions", "CreateSession", sessions_pb2.CreateSessionRequest(), "session"),
    ("sessions", "GetSession", sessions_pb2.GetSessionRequest(), "session_id"),
    ("sessions", "ListSessions", sessions_pb2.ListSessionsRequest(page_size=-1), "page_size"),
    ("sessions", "ListSessions", sessions_pb2.ListSessionsRequest(page_token="not a token"), "page_token"),
    ("sessions", "UpdateSession", sessions_pb2.UpdateSessionRequest(), "session"),
    ("sessions", "DeleteSession", sessions_pb2.DeleteSessionRequest(), "session_id"),
    (
        "sessions",
        "BatchDeleteSessions",
        sessions_pb2.BatchDeleteSessionsRequest(session_ids=["s1", ""]),
        "session_ids[1]",
    ),
    ("memories", "CreateMemory", memories_pb2.CreateMemoryRequest(), "memory"),
    ("memories", "GetMemory", memories_pb2.GetMemoryRequest(), "memory_id"),
    ("memories", "ListMemories", memories_pb2.ListMemoriesRequest(page_size=-1), "page_size"),
    ("memories", "UpdateMemory", memories_pb2.UpdateMemoryRequest(), "memory"),
    ("memories", "DeleteMemory", memories_pb2.DeleteMemoryRequest(), "memory_id"),
    (
        "memories",
        "BatchDeleteMemories",
        memories_pb2.BatchDeleteMemoriesRequest(memory_ids=["", "m2"]),
        "memory_ids[0]",
    ),
    ("memories", "ListMemoryTopics", memories_pb2.ListMemoryTopicsRequest(page_size=-1), "page_size"),
    ("memories", "GetUserMemoryStats", memories_pb2.GetUserMemoryStatsRequest(page_size=-1), "page_size"),
]


def violated_fields(exc: grpc.aio.AioRpcError) -> list[str]:
    status = rpc_status.from_call(exc)
    assert status is not None, "no google.rpc.Status details"
    fields: list[str] = []
    for detail in status.details:
        if detail.Is(error_details_pb2.BadRequest.DESCRIPTOR):
            bad = error_details_pb2.BadRequest()
            detail.Unpack(bad)
            fields.extend(v.field for v in bad.field_violations)
    return fields


def test_every_unary_rpc_of_these_services_is_listed() -> None:
    listed = {(service, method) for service, method, _, _ in BAD_REQUESTS}
    services = {
        "agent_os": agent_os_pb2.DESCRIPTOR.services_by_name["AgentOSService"],
        "sessions": sessions_pb2.DESCRIPTOR.services_by_name["SessionService"],
        "memories": memories_pb2.DESCRIPTOR.services_by_name["MemoryService"],
    }
    expected = {
        (key, method.name)
        for key, service in services.items()
        for method in service.methods
        if method.name != "GetConfig"
    }
    assert listed == expected


@pytest.mark.parametrize(("service", "method", "request_message", "field"), BAD_REQUESTS)
async def test_a_malformed_request_is_invalid_argument_naming_the_field(
    start_os: Any, service: str, method: str, request_message: Any, field: str
) -> None:
    db = InMemoryDb()
    harness = await start_os(AgentOS(agents=[Agent(id="echo", model=EchoModel(), db=db)], db=db))
    call = getattr(getattr(harness.stubs, service), method)
    with pytest.raises(grpc.aio.AioRpcError) as raised:
        await call(request_message)
    assert raised.value.code() == grpc.StatusCode.INVALID_ARGUMENT, raised.value.details()
    assert field in violated_fields(raised.value), raised.value.details()
    # The server goes on serving.
    listed = await harness.stubs.agent_os.ListAgents(agent_os_pb2.ListAgentsRequest())
    assert [agent.agent_id for agent in listed.agents] == ["echo"]
