"""Discovery: the AgentOS configuration and its agents, teams and workflows.

Agno's client has sync names for these (``get_config``, ``get_agent``...) next to the async
``aget_*`` ones, so both exist here; the sync ones drive the async ones on the thread's
private loop.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, TypeVar

from agentos.client._client_core import ClientCore
from agentos.client._transport import Headers
from agentos.client._types import AgentResponse, ConfigResponse, TeamResponse, WorkflowResponse

T = TypeVar("T")

_LIST_PAGE_SIZE = 1000  # entity listings: few entities, fetch them in one page when possible


def _blocking(call: Coroutine[Any, Any, T], what: str) -> T:
    from agentos.client._sync import run_sync

    return run_sync(call, what)


class DiscoveryMethods(ClientCore):
    """``get_config``, ``list_*`` and ``get_*`` of agents, teams and workflows."""

    async def aget_config(
        self, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> ConfigResponse:
        """The AgentOS configuration: id, name, agents, teams, workflows, databases, interfaces."""
        from agentos.v1 import agent_os_pb2

        response = await self._call(
            "agent_os", "GetConfig", agent_os_pb2.GetConfigRequest(), headers, auth_token
        )
        return ConfigResponse.from_proto(response.config)

    def get_config(self, *, headers: Headers | None = None, auth_token: str | None = None) -> ConfigResponse:
        """Sync ``aget_config``."""
        return _blocking(
            self.aget_config(headers=headers, auth_token=auth_token), "AgentOSClient.get_config()"
        )

    async def _list_entities(
        self, method: str, request_type: Any, field: str, headers: Headers | None, auth_token: str | None
    ) -> list[Any]:
        def request_for(token: str) -> Any:
            return request_type(page_size=_LIST_PAGE_SIZE, page_token=token)

        def read(response: Any) -> Any:
            return getattr(response, field)

        return await self._every_page("agent_os", method, request_for, read, headers, auth_token)

    async def list_agents(
        self, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> list[AgentResponse]:
        """Every agent the caller may see, with details."""
        from agentos.v1 import agent_os_pb2

        agents = await self._list_entities(
            "ListAgents", agent_os_pb2.ListAgentsRequest, "agents", headers, auth_token
        )
        return [AgentResponse.from_proto(a) for a in agents]

    async def aget_agent(
        self, agent_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> AgentResponse:
        """One agent's details (NotFoundError when it does not exist or is not visible to the caller)."""
        from agentos.v1 import agent_os_pb2

        request = agent_os_pb2.GetAgentRequest(agent_id=agent_id)
        response = await self._call("agent_os", "GetAgent", request, headers, auth_token)
        return AgentResponse.from_proto(response.agent)

    def get_agent(
        self, agent_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> AgentResponse:
        """Sync ``aget_agent``."""
        call = self.aget_agent(agent_id, headers=headers, auth_token=auth_token)
        return _blocking(call, "AgentOSClient.get_agent()")

    async def list_teams(
        self, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> list[TeamResponse]:
        from agentos.v1 import agent_os_pb2

        teams = await self._list_entities(
            "ListTeams", agent_os_pb2.ListTeamsRequest, "teams", headers, auth_token
        )
        return [TeamResponse.from_proto(t) for t in teams]

    async def aget_team(
        self, team_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> TeamResponse:
        from agentos.v1 import agent_os_pb2

        request = agent_os_pb2.GetTeamRequest(team_id=team_id)
        response = await self._call("agent_os", "GetTeam", request, headers, auth_token)
        return TeamResponse.from_proto(response.team)

    def get_team(
        self, team_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> TeamResponse:
        """Sync ``aget_team``."""
        return _blocking(
            self.aget_team(team_id, headers=headers, auth_token=auth_token), "AgentOSClient.get_team()"
        )

    async def list_workflows(
        self, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> list[WorkflowResponse]:
        from agentos.v1 import agent_os_pb2

        workflows = await self._list_entities(
            "ListWorkflows", agent_os_pb2.ListWorkflowsRequest, "workflows", headers, auth_token
        )
        return [WorkflowResponse.from_proto(w) for w in workflows]

    async def aget_workflow(
        self, workflow_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> WorkflowResponse:
        from agentos.v1 import agent_os_pb2

        request = agent_os_pb2.GetWorkflowRequest(workflow_id=workflow_id)
        response = await self._call("agent_os", "GetWorkflow", request, headers, auth_token)
        return WorkflowResponse.from_proto(response.workflow)

    def get_workflow(
        self, workflow_id: str, *, headers: Headers | None = None, auth_token: str | None = None
    ) -> WorkflowResponse:
        """Sync ``aget_workflow``."""
        call = self.aget_workflow(workflow_id, headers=headers, auth_token=auth_token)
        return _blocking(call, "AgentOSClient.get_workflow()")
