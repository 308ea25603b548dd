"""AgentOSService over a real server: configuration, agents, teams, workflows, paging, errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import grpc
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb
from agentos.models.scripted import ScriptedModel
from agentos.os import AgentOS, AgentOSConfig, ChatConfig
from agentos.tools import tool
from agentos.tools.calculator import CalculatorTools
from agentos.v1 import agent_os_pb2
from google.rpc import error_details_pb2
from grpc_status import rpc_status
from pydantic import BaseModel


class Question(BaseModel):
    text: str


class Answer(BaseModel):
    answer: str
    confidence: float


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file.

    Args:
        path: Path of the file to delete.
    """
    return f"deleted {path}"


def details(error: grpc.aio.AioRpcError) -> dict[str, Any]:
    """The google.rpc.Status details of an error, by kind."""
    status = rpc_status.from_call(error)
    assert status is not None, "the error carries no google.rpc.Status"
    out: dict[str, Any] = {}
    for detail in status.details:
        for name, cls in (
            ("info", error_details_pb2.ErrorInfo),
            ("bad_request", error_details_pb2.BadRequest),
            ("resource", error_details_pb2.ResourceInfo),
        ):
            if detail.Is(cls.DESCRIPTOR):
                message = cls()
                detail.Unpack(message)
                out[name] = message
    return out


def make_os(**kwargs: Any) -> AgentOS:
    calc = Agent(
        id="calc",
        name="Calculator",
        description="does maths",
        role="mathematician",
        model=ScriptedModel(steps=["ok"]),
        tools=[CalculatorTools(), delete_file],
        instructions=["Be exact.", "Show your work."],
        markdown=True,
        input_schema=Question,
        output_schema=Answer,
        metadata={"team": "math", "level": 3},
        add_history_to_context=True,
        num_history_runs=4,
        retries=2,
    )
    plain = Agent(id="plain", name="Plain", model="openai:gpt-4o-mini", instructions=lambda: "dynamic")
    return AgentOS(
        id="os-test", name="Test OS", description="for tests", version="1.2.3", agents=[calc, plain], **kwargs
    )


async def test_get_config_describes_the_deployment(start_os: Any) -> None:
    db = InMemoryDb(id="main-db")
    config = AgentOSConfig(
        available_models=["openai:gpt-4o"],
        chat=ChatConfig(quick_prompts={"calc": ["What is 2+2?"]}),
        session={"display_name": "Conversations"},  # type: ignore[arg-type]
    )
    harness = await start_os(make_os(db=db, config=config))
    response = await harness.stubs.agent_os.GetConfig(agent_os_pb2.GetConfigRequest())
    cfg = response.config
    assert (cfg.os_id, cfg.name, cfg.description, cfg.version) == ("os-test", "Test OS", "for tests", "1.2.3")
    assert [a.id for a in cfg.agents] == ["calc", "plain"]
    assert cfg.agents[0].name == "Calculator" and cfg.agents[0].description == "does maths"
    assert [(d.db_id, d.db_type, list(d.domains)) for d in cfg.databases] == [
        ("main-db", "in_memory", ["session", "memory"])
    ]
    assert cfg.session.display_name == "Conversations" and list(cfg.session.db_ids) == ["main-db"]
    assert list(cfg.memory.db_ids) == ["main-db"]
    assert [(m.provider, m.model_id, m.name) for m in cfg.available_models] == [
        ("openai", "gpt-4o", "OpenAIChat")
    ]
    assert list(cfg.chat.quick_prompts["calc"].prompts) == ["What is 2+2?"]
    assert not cfg.authorization_enabled and not cfg.tracing_enabled
    assert list(cfg.teams) == [] and list(cfg.workflows) == []


async def test_config_from_yaml_file(start_os: Any, tmp_path: Path) -> None:
    path = tmp_path / "os.yaml"
    path.write_text(
        "available_models:\n  - anthropic:claude-sonnet-4-5\n"
        "chat:\n  quick_prompts:\n    calc:\n      - one\n      - two\n"
        "memory:\n  display_name: Facts\n  dbs:\n    - db_id: other-db\n      domain_config:\n"
        "        display_name: Other\n"
        "evals:\n  available_models: [openai:gpt-4o-mini]\n  dbs: [eval-db]\n"
    )
    harness = await start_os(make_os(config=str(path)))
    cfg = (await harness.stubs.agent_os.GetConfig(agent_os_pb2.GetConfigRequest())).config
    assert [m.provider for m in cfg.available_models] == ["anthropic"]
    assert list(cfg.chat.quick_prompts["calc"].prompts) == ["one", "two"]
    assert cfg.memory.display_name == "Facts" and list(cfg.memory.db_ids) == ["other-db"]
    assert list(cfg.evals.db_ids) == ["eval-db"]
    assert [m.model_id for m in cfg.evals.available_models] == ["gpt-4o-mini"]


def test_invalid_yaml_config_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("chat:\n  quick_promts: {}\n")
    with pytest.raises(ValueError, match=r"bad\.yaml.*quick_promts"):
        make_os(config=str(path))
    with pytest.raises(ValueError, match="cannot read AgentOS config"):
        make_os(config=str(tmp_path / "missing.yaml"))


async def test_list_and_get_agents(start_os: Any) -> None:
    harness = await start_os(make_os())
    listed = await harness.stubs.agent_os.ListAgents(agent_os_pb2.ListAgentsRequest())
    assert [a.agent_id for a in listed.agents] == ["calc", "plain"]
    assert listed.total_size == 2 and listed.next_page_token == ""

    agent = (await harness.stubs.agent_os.GetAgent(agent_os_pb2.GetAgentRequest(agent_id="calc"))).agent
    assert (agent.name, agent.description, agent.role) == ("Calculator", "does maths", "mathematician")
    assert agent.model.name == "ScriptedModel"
    tools = {t.name: t for t in agent.tools}
    assert {"add", "divide", "delete_file"} <= set(tools)
    assert tools["add"].toolkit == "calculator"
    assert tools["delete_file"].toolkit == "" and tools["delete_file"].requires_confirmation
    schema = json.loads(tools["delete_file"].parameters_json_schema)
    assert schema["properties"]["path"]["type"] == "string" and schema["required"] == ["path"]
    assert list(agent.instructions) == ["Be exact.", "Show your work."]
    assert json.loads(agent.input_schema)["properties"]["text"]["type"] == "string"
    assert set(json.loads(agent.output_schema)["properties"]) == {"answer", "confidence"}
    features = agent.features
    assert features.markdown and features.add_history_to_context and features.num_history_runs == 4
    assert features.retries == 2 and not features.reasoning
    assert dict(agent.metadata) == {"team": "math", "level": 3}

    plain = (await harness.stubs.agent_os.GetAgent(agent_os_pb2.GetAgentRequest(agent_id="plain"))).agent
    # A model given as a string is described without contacting the provider; callable
    # instructions are computed per run and therefore not listed.
    assert (plain.model.provider, plain.model.model_id) == ("openai", "gpt-4o-mini")
    assert list(plain.instructions) == [] and list(plain.tools) == []


async def test_agent_listing_pages(start_os: Any) -> None:
    agents = [Agent(id=f"a{i:02d}", model=ScriptedModel(steps=["x"])) for i in range(5)]
    harness = await start_os(AgentOS(agents=agents))
    seen: list[str] = []
    token = ""
    pages = 0
    while True:
        page = await harness.stubs.agent_os.ListAgents(
            agent_os_pb2.ListAgentsRequest(page_size=2, page_token=token)
        )
        assert page.total_size == 5
        seen.extend(a.agent_id for a in page.agents)
        pages += 1
        token = page.next_page_token
        if not token:
            break
    assert seen == [f"a{i:02d}" for i in range(5)] and pages == 3

    with pytest.raises(grpc.aio.AioRpcError) as negative:
        await harness.stubs.agent_os.ListAgents(agent_os_pb2.ListAgentsRequest(page_size=-1))
    assert negative.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert [v.field for v in details(negative.value)["bad_request"].field_violations] == ["page_size"]

    with pytest.raises(grpc.aio.AioRpcError) as bad_token:
        await harness.stubs.agent_os.ListAgents(agent_os_pb2.ListAgentsRequest(page_token="not-a-token"))
    assert bad_token.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    info = details(bad_token.value)
    assert info["info"].reason == "INVALID_PAGE_TOKEN"
    assert [v.field for v in info["bad_request"].field_violations] == ["page_token"]

    # A token of one listing is refused by another.
    first = await harness.stubs.agent_os.ListAgents(agent_os_pb2.ListAgentsRequest(page_size=1))
    with pytest.raises(grpc.aio.AioRpcError) as foreign:
        await harness.stubs.agent_os.ListTeams(
            agent_os_pb2.ListTeamsRequest(page_token=first.next_page_token)
        )
    assert details(foreign.value)["info"].reason == "INVALID_PAGE_TOKEN"


async def test_unknown_and_missing_ids(start_os: Any) -> None:
    harness = await start_os(make_os())
    with pytest.raises(grpc.aio.AioRpcError) as unknown:
        await harness.stubs.agent_os.GetAgent(agent_os_pb2.GetAgentRequest(agent_id="nope"))
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND
    got = details(unknown.value)
    assert got["info"].reason == "AGENT_NOT_FOUND" and got["info"].domain == "agentos.dev"
    assert dict(got["info"].metadata) == {"agent_id": "nope"}
    assert (got["resource"].resource_type, got["resource"].resource_name) == ("agentos.v1.Agent", "nope")

    with pytest.raises(grpc.aio.AioRpcError) as empty:
        await harness.stubs.agent_os.GetAgent(agent_os_pb2.GetAgentRequest())
    assert empty.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    got = details(empty.value)
    assert got["info"].reason == "INVALID_INPUT"
    assert [(v.field, v.description) for v in got["bad_request"].field_violations] == [
        ("agent_id", "is required")
    ]


async def test_teams_and_workflows_are_empty_until_their_engines_exist(start_os: Any) -> None:
    harness = await start_os(make_os())
    stub = harness.stubs.agent_os
    teams = await stub.ListTeams(agent_os_pb2.ListTeamsRequest())
    workflows = await stub.ListWorkflows(agent_os_pb2.ListWorkflowsRequest())
    assert (list(teams.teams), teams.total_size) == ([], 0)
    assert (list(workflows.workflows), workflows.total_size) == ([], 0)
    for call, request, reason in (
        (stub.GetTeam, agent_os_pb2.GetTeamRequest(team_id="t1"), "TEAM_NOT_FOUND"),
        (stub.GetWorkflow, agent_os_pb2.GetWorkflowRequest(workflow_id="w1"), "WORKFLOW_NOT_FOUND"),
    ):
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await call(request)
        assert error.value.code() == grpc.StatusCode.NOT_FOUND
        assert details(error.value)["info"].reason == reason


def test_registry_refuses_duplicate_ids_and_foreign_objects() -> None:
    with pytest.raises(ValueError, match=r"duplicate agent ids: 'x'.*agents\[0\].*agents\[2\]"):
        AgentOS(agents=[Agent(id="x", name="one"), Agent(id="y"), Agent(id="x", name="two")])
    with pytest.raises(TypeError, match=r"agents\[0\] is a str"):
        AgentOS(agents=["not an agent"])
    with pytest.raises(NotImplementedError, match="teams are not supported by this server yet"):
        AgentOS(teams=[object()])
    auto = Agent(name="no id")
    assert list(AgentOS(agents=[auto]).registry.agents) == [auto.id]


def test_default_database_rules() -> None:
    shared = InMemoryDb(id="shared")
    one = AgentOS(agents=[Agent(id="a", db=shared), Agent(id="b", db=shared)])
    assert one.registry.default_db() is shared
    other = InMemoryDb(id="other")
    two = AgentOS(agents=[Agent(id="a", db=shared), Agent(id="b", db=other)])
    assert two.registry.default_db() is None
    assert (
        "shared" in two.registry.default_db_problem()
        and "AgentOS(db=...)" in two.registry.default_db_problem()
    )
    chosen = AgentOS(agents=[Agent(id="a", db=shared), Agent(id="b", db=other)], db=other)
    assert chosen.registry.default_db() is other
    assert sorted(chosen.registry.databases) == ["other", "shared"]


def test_deferred_parameters_are_kept_and_reported() -> None:
    agent_os = AgentOS(tracing=True, cors_allowed_origins=["https://x"], a2a_interface=True)
    assert agent_os.cors_allowed_origins == ["https://x"]
    assert agent_os.features["tracing"].startswith("stored, not active yet")
    assert agent_os.features["a2a_interface"].startswith("stored, not active yet")
    described = agent_os.describe_config()
    assert described.tracing_enabled and [i.type for i in described.interfaces] == ["a2a"]
