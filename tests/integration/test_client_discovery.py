"""Discovery through AgentOSClient and the RemoteAgent configuration cache, against a real server.

Configuration and agent details come back as typed dataclasses (tools as dicts, schemas as
dicts). RemoteAgent's properties read a configuration cached for ``config_ttl`` seconds: fetched
on demand from sync code, never blocking inside an event loop.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.client import (
    AgentOSClient,
    AgentResponse,
    ConfigResponse,
    ModelInfo,
    NotFoundError,
    RemoteAgent,
    RemoteServerUnavailableError,
    RemoteTeam,
    RemoteWorkflow,
)
from agentos.db import InMemoryDb
from agentos.models.scripted import ScriptedModel
from agentos.os import AgentOS, AgentOSConfig, ChatConfig
from agentos.tools import tool
from agentos_server import OSHarness, ThreadedOS, serve_os_in_thread
from pydantic import BaseModel


class Answer(BaseModel):
    answer: str


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file.

    Args:
        path: Path of the file to delete.
    """
    return f"deleted {path}"


def make_agents() -> list[Agent]:
    return [
        Agent(
            id="researcher",
            name="Researcher",
            description="Finds things out",
            role="research",
            model=ScriptedModel(steps=["ok"]),
            tools=[delete_file],
            instructions=["Be thorough", "Cite sources"],
            output_schema=Answer,
            stream_events=True,
            metadata={"tier": "gold"},
            db=InMemoryDb(),
        ),
        Agent(id="writer", name="Writer", model=ScriptedModel(steps=["ok"])),
    ]


def make_os(agents: list[Agent] | None = None) -> AgentOS:
    return AgentOS(
        id="discovery-os",
        name="Discovery",
        description="For the client tests",
        version="1.2.3",
        agents=agents or make_agents(),
        config=AgentOSConfig(chat=ChatConfig(quick_prompts={"researcher": ["What is new?"]})),
    )


def check_config(config: ConfigResponse) -> None:
    assert config.os_id == "discovery-os"
    assert (config.name, config.description, config.version) == ("Discovery", "For the client tests", "1.2.3")
    assert [a.id for a in config.agents] == ["researcher", "writer"]
    assert config.agents[0].name == "Researcher" and config.agents[0].description == "Finds things out"
    assert not config.agents[0].is_remote
    assert config.teams == [] and config.workflows == []
    assert config.quick_prompts == {"researcher": ["What is new?"]}
    assert [d.db_id for d in config.databases] == [config.agents[0].db_id]
    assert config.raw is not None and config.raw.os_id == "discovery-os"
    assert not config.authorization_enabled


def check_researcher(agent: AgentResponse) -> None:
    assert agent.id == agent.agent_id == "researcher"
    assert (agent.name, agent.description, agent.role) == ("Researcher", "Finds things out", "research")
    assert agent.model == ModelInfo(id="scripted", provider="Scripted", name="ScriptedModel")
    assert agent.instructions == ["Be thorough", "Cite sources"]
    assert agent.metadata == {"tier": "gold"}
    assert agent.features["stream_events"] is True
    assert agent.output_schema is not None and agent.output_schema["title"] == "Answer"
    assert agent.input_schema is None
    (tool_info,) = agent.tools
    assert tool_info["name"] == "delete_file"
    assert tool_info["requires_confirmation"] is True and tool_info["external_execution"] is False
    assert tool_info["parameters"]["properties"]["path"]["type"] == "string"
    assert tool_info["description"].startswith("Delete a file")


@pytest.fixture
async def served(start_os: Any) -> OSHarness:
    harness: OSHarness = await start_os(make_os())
    return harness


async def test_async_discovery(served: OSHarness) -> None:
    async with AgentOSClient(served.address) as client:
        check_config(await client.aget_config())
        agents = await client.list_agents()
        assert [a.id for a in agents] == ["researcher", "writer"]
        check_researcher(agents[0])
        check_researcher(await client.aget_agent("researcher"))
        assert await client.list_teams() == []
        assert await client.list_workflows() == []
        with pytest.raises(NotFoundError) as team:
            await client.aget_team("t1")
        assert team.value.reason == "TEAM_NOT_FOUND"
        with pytest.raises(NotFoundError) as workflow:
            await client.aget_workflow("w1")
        assert workflow.value.reason == "WORKFLOW_NOT_FOUND"


async def test_listing_walks_every_page(start_os: Any) -> None:
    many = [Agent(id=f"agent-{i:04d}", model=ScriptedModel(steps=["ok"])) for i in range(1203)]
    harness: OSHarness = await start_os(AgentOS(agents=many))
    async with AgentOSClient(harness.address) as client:
        listed = await client.list_agents()
    assert [a.id for a in listed] == [a.id for a in many]


@pytest.fixture
def threaded() -> Iterator[tuple[ThreadedOS, list[Agent]]]:
    agents = make_agents()
    with serve_os_in_thread(make_os(agents)) as server:
        yield server, agents


def test_sync_discovery(threaded: tuple[ThreadedOS, list[Agent]]) -> None:
    server, _ = threaded
    with AgentOSClient(server.address) as client:
        check_config(client.get_config())
        check_researcher(client.get_agent("researcher"))
        assert [a.id for a in client.sync.list_agents()] == ["researcher", "writer"]
        assert client.sync.list_teams() == [] and client.sync.list_workflows() == []
        check_config(client.sync.get_config())
        with pytest.raises(NotFoundError):
            client.get_team("t1")
        with pytest.raises(NotFoundError):
            client.get_workflow("w1")


def test_remote_agent_properties_and_config_ttl(threaded: tuple[ThreadedOS, list[Agent]]) -> None:
    server, agents = threaded
    researcher = agents[0]
    remote = RemoteAgent(server.address, "researcher", config_ttl=300.0)
    assert remote.id == remote.agent_id == "researcher" and remote.is_remote
    assert remote.name == "Researcher" and remote.role == "research"
    assert remote.description == "Finds things out"
    assert [t["name"] for t in remote.tools] == ["delete_file"]
    assert remote.model is not None and remote.model.id == "scripted"
    assert remote.instructions == ["Be thorough", "Cite sources"]
    assert remote.db is not None and remote.db.id == researcher.db.id  # type: ignore[union-attr]
    assert remote.knowledge is None

    # The server's agent changes: the cached configuration is used until it expires or is refreshed.
    researcher.description = "Finds things out, v2"
    assert remote.description == "Finds things out"
    assert remote.refresh_config().description == "Finds things out, v2"
    assert remote.description == "Finds things out, v2"

    always_fresh = RemoteAgent(server.address, "researcher", config_ttl=0.0)
    assert always_fresh.description == "Finds things out, v2"
    researcher.description = "Finds things out, v3"
    assert always_fresh.description == "Finds things out, v3"
    assert remote.description == "Finds things out, v2"


def test_remote_config_of_unknown_agent_raises(threaded: tuple[ThreadedOS, list[Agent]]) -> None:
    server, _ = threaded
    with pytest.raises(NotFoundError):
        _ = RemoteAgent(server.address, "ghost").name
    with pytest.raises(NotFoundError):
        RemoteTeam(server.address, "ghost-team").refresh_config()
    with pytest.raises(NotFoundError):
        _ = RemoteWorkflow(server.address, "ghost-flow").steps


async def test_remote_agent_properties_never_block_a_running_loop(start_os: Any) -> None:
    agents = make_agents()
    harness: OSHarness = await start_os(make_os(agents))
    remote = RemoteAgent(harness.address, "researcher", config_ttl=0.0)
    # Nothing cached: empty values now, a background refresh fills the cache.
    assert remote.name is None and remote.tools == [] and remote.db is None
    for _ in range(200):
        await asyncio.sleep(0.01)
        if remote.name is not None:
            break
    assert remote.name == "Researcher"
    # Stale (ttl 0): the cached value is returned at once and refreshed behind the scenes.
    agents[0].name = "Researcher II"
    assert remote.name == "Researcher"
    for _ in range(200):
        await asyncio.sleep(0.01)
        if remote.name == "Researcher II":
            break
    assert remote.name == "Researcher II"
    fresh = await remote.get_agent_config()
    assert fresh.name == "Researcher II"


async def test_remote_agent_keeps_stale_config_when_the_server_goes_away(start_os: Any) -> None:
    harness: OSHarness = await start_os(make_os())
    remote = RemoteAgent(harness.address, "researcher", config_ttl=0.0)
    assert (await remote.get_agent_config()).name == "Researcher"
    await harness.server.stop()
    with pytest.raises(RemoteServerUnavailableError):
        await remote.get_agent_config()
    assert remote.name == "Researcher"  # stale, and the failed background refresh keeps it
    await asyncio.sleep(0.05)
    assert remote.name == "Researcher"


def test_remote_team_and_workflow_basics() -> None:
    team = RemoteTeam("localhost:1", "research-team")
    workflow = RemoteWorkflow("localhost:1", "qa-flow")
    assert (team.id, team.team_id, team.timeout, team.config_ttl) == (
        "research-team",
        "research-team",
        300.0,
        300.0,
    )
    assert (workflow.id, workflow.workflow_id, workflow.timeout) == ("qa-flow", "qa-flow", 300.0)
    assert team.is_remote and workflow.is_remote
    assert RemoteAgent("localhost:1", "a").timeout == 60.0
    assert "research-team" in repr(team)
    with pytest.raises(ValueError):
        RemoteAgent("localhost:1", "")
    with pytest.raises(ValueError):
        RemoteAgent("localhost:1", "a", config_ttl=-1)
