"""``agentos.v1.AgentOSService``: discovery of what this AgentOS serves, from its registry.

Listings show only the entities the caller's scopes let it read (all of them without
authorization); an entity the caller may not see is NOT_FOUND, like one that does not exist.
Listings are paged from the registry's insertion order with opaque offset tokens (the registry
does not change while a server runs, so offsets are stable). Teams and workflows are listed
from the registry too; while their engines do not exist, the registry holds none and the
listings are honestly empty. Remote agents (gateway federation) are described from their
remote configuration (``_federation``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import grpc
from agentos.os._caller import can_see, visible_ids
from agentos.os._errors import Reason, internal, not_found, rpc_method
from agentos.os._federation import describe_agent, is_remote, refresh_remote_configs, require_remote_config
from agentos.os._runtime import RuntimeState
from agentos.os._services import ServiceRegistrar
from agentos.os._validation import decode_offset_token, encode_offset_token, page_size, require_id
from agentos.v1 import agent_os_pb2, agent_os_pb2_grpc
from agentos.wire._entities import team_to_proto, workflow_to_proto

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

T = TypeVar("T")
M = TypeVar("M")


def _page(
    items: Sequence[T], request_page_size: int, token: str, query: str, convert: Callable[[T], M]
) -> tuple[list[M], str, int]:
    size = page_size(request_page_size, default=DEFAULT_PAGE_SIZE, maximum=MAX_PAGE_SIZE)
    offset = decode_offset_token(token, query)
    chunk = items[offset : offset + size]
    end = offset + len(chunk)
    next_token = encode_offset_token(end, query) if end < len(items) else ""
    return [convert(item) for item in chunk], next_token, len(items)


def _describe(kind: str, entity_id: str, convert: Callable[[Any], M], entity: Any) -> M:
    """Convert an entity; a misconfigured one (e.g. two tools with one name) is INTERNAL, not bad input."""
    try:
        return convert(entity)
    except (ValueError, TypeError) as exc:
        raise internal(
            f"{kind} {entity_id!r} cannot be described: {exc}", **{f"{kind}_id": entity_id}
        ) from exc


class AgentOSService(agent_os_pb2_grpc.AgentOSServiceServicer):
    """Configuration and entity discovery."""

    def __init__(self, runtime: RuntimeState) -> None:
        self._runtime = runtime

    @rpc_method
    async def GetConfig(
        self, request: agent_os_pb2.GetConfigRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> agent_os_pb2.GetConfigResponse:
        await refresh_remote_configs(self._runtime.registry.agents.values())
        return agent_os_pb2.GetConfigResponse(
            config=self._runtime.agent_os.describe_config(visible=visible_ids)
        )

    @rpc_method
    async def ListAgents(
        self, request: agent_os_pb2.ListAgentsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> agent_os_pb2.ListAgentsResponse:
        registry = self._runtime.registry.agents
        agents = [registry[i] for i in visible_ids("agents", registry)]
        await refresh_remote_configs(agents)
        page, token, total = _page(
            agents,
            request.page_size,
            request.page_token,
            "ListAgents",
            lambda agent: _describe("agent", agent.id, describe_agent, agent),
        )
        return agent_os_pb2.ListAgentsResponse(agents=page, next_page_token=token, total_size=total)

    @rpc_method
    async def GetAgent(
        self, request: agent_os_pb2.GetAgentRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> agent_os_pb2.GetAgentResponse:
        agent_id = require_id(request.agent_id, "agent_id")
        agent = self._runtime.registry.agents.get(agent_id)
        if agent is None or not can_see("agents", agent_id):
            raise not_found("agent", agent_id, reason=Reason.ERROR_REASON_AGENT_NOT_FOUND)
        if is_remote(agent):
            await require_remote_config(agent)
        return agent_os_pb2.GetAgentResponse(agent=_describe("agent", agent_id, describe_agent, agent))

    @rpc_method
    async def ListTeams(
        self, request: agent_os_pb2.ListTeamsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> agent_os_pb2.ListTeamsResponse:
        registry = self._runtime.registry.teams
        teams = [registry[i] for i in visible_ids("teams", registry)]
        page, token, total = _page(
            teams,
            request.page_size,
            request.page_token,
            "ListTeams",
            lambda team: _describe("team", str(team.id), team_to_proto, team),
        )
        return agent_os_pb2.ListTeamsResponse(teams=page, next_page_token=token, total_size=total)

    @rpc_method
    async def GetTeam(
        self, request: agent_os_pb2.GetTeamRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> agent_os_pb2.GetTeamResponse:
        team_id = require_id(request.team_id, "team_id")
        team = self._runtime.registry.teams.get(team_id)
        if team is None or not can_see("teams", team_id):
            raise not_found("team", team_id, reason=Reason.ERROR_REASON_TEAM_NOT_FOUND)
        return agent_os_pb2.GetTeamResponse(team=_describe("team", team_id, team_to_proto, team))

    @rpc_method
    async def ListWorkflows(
        self, request: agent_os_pb2.ListWorkflowsRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> agent_os_pb2.ListWorkflowsResponse:
        registry = self._runtime.registry.workflows
        workflows = [registry[i] for i in visible_ids("workflows", registry)]
        page, token, total = _page(
            workflows,
            request.page_size,
            request.page_token,
            "ListWorkflows",
            lambda workflow: _describe("workflow", str(workflow.id), workflow_to_proto, workflow),
        )
        return agent_os_pb2.ListWorkflowsResponse(workflows=page, next_page_token=token, total_size=total)

    @rpc_method
    async def GetWorkflow(
        self, request: agent_os_pb2.GetWorkflowRequest, context: grpc.aio.ServicerContext[Any, Any]
    ) -> agent_os_pb2.GetWorkflowResponse:
        workflow_id = require_id(request.workflow_id, "workflow_id")
        workflow = self._runtime.registry.workflows.get(workflow_id)
        if workflow is None or not can_see("workflows", workflow_id):
            raise not_found("workflow", workflow_id, reason=Reason.ERROR_REASON_WORKFLOW_NOT_FOUND)
        return agent_os_pb2.GetWorkflowResponse(
            workflow=_describe("workflow", workflow_id, workflow_to_proto, workflow)
        )


def register_agent_os_service(server: ServiceRegistrar, runtime: RuntimeState) -> None:
    agent_os_pb2_grpc.add_AgentOSServiceServicer_to_server(AgentOSService(runtime), server)  # type: ignore[no-untyped-call]
