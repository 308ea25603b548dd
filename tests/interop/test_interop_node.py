"""A Node.js client (@grpc/grpc-js + @grpc/proto-loader, built from proto/ only) against a real server.

The client (tests/interop/node/client.mjs) lists the agents, streams a run, reads the session
and its runs back, and prints each step as JSON lines; errors come out as one JSON report with
the decoded ``google.rpc.Status`` details. These tests check that what a non-Python client sees
matches the contracts: event order and sequences, the in-band terminal event, content deltas,
stored sessions and canonical error codes with ErrorInfo reasons and field violations.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import jwt
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb, SqliteDb
from agentos.models.scripted import ScriptedModel, chunks, tool_call
from agentos.os import AgentOS
from agentos.os.auth import AuthorizationConfig
from agentos.tools import tool
from agentos_server import OSHarness
from node_setup import NodeResult, NodeSetupError, ensure_node_client, run_node_client

AGENT_ID = "interop-calculator"
SECRET = "interop-test-secret-of-a-sufficient-length"
CHUNKS = ("The sum ", "of 2 and 3 ", "is 5.")


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@pytest.fixture
async def served(start_os: Callable[..., Awaitable[OSHarness]], tmp_path: Path) -> OSHarness:
    db = SqliteDb(db_file=tmp_path / "interop.db", id="interop-db")
    agent = Agent(
        id=AGENT_ID,
        name="Interop calculator",
        description="Adds numbers with a tool, then answers in streamed text.",
        model=ScriptedModel(steps=[tool_call("add", a=2, b=3), chunks(*CHUNKS)]),
        tools=[add],
        db=db,
    )
    return await start_os(AgentOS(id="interop-os", agents=[agent], db=db))


def token(sub: str, scopes: list[str]) -> str:
    return jwt.encode(
        {"sub": sub, "scopes": scopes, "exp": int(time.time()) + 300}, SECRET, algorithm="HS256"
    )


async def client(node: str, harness: OSHarness, *args: str) -> NodeResult:
    return await run_node_client(node, ["--address", harness.address, *args])


async def test_stream_a_run_and_read_the_session_back(node_binary: str, served: OSHarness) -> None:
    result = await client(
        node_binary, served, "--agent", AGENT_ID, "--message", "What is 2 + 3?", "--user-id", "node-user"
    )
    assert result.returncode == 0, result.describe()

    agents = result.one("agents")
    assert [a["agent_id"] for a in agents["agents"]] == [AGENT_ID]
    assert agents["agents"][0]["name"] == "Interop calculator"
    assert [t["name"] for t in agents["agents"][0]["tools"]] == ["add"]

    events = result.of_kind("event")
    assert events, result.describe()
    run_id = events[0]["run_id"]
    session_id = events[0]["session_id"]
    assert run_id and session_id
    assert all(e["run_id"] == run_id and e["session_id"] == session_id for e in events)
    sequences = [e["sequence"] for e in events]
    assert all(a < b for a, b in itertools.pairwise(sequences)), sequences

    payloads = [e["payload"] for e in events]
    assert payloads[0] == "run_started"
    assert payloads[-1] == "run_completed"
    assert payloads.count("run_completed") == 1
    # The tool ran between the start and the answer, and the answer came as the scripted deltas.
    started, completed = payloads.index("tool_call_started"), payloads.index("tool_call_completed")
    first_content = payloads.index("run_content")
    assert 0 < started < completed < first_content
    tool_done = events[completed]["data"]["tool"]
    assert tool_done["tool_name"] == "add" and tool_done["result"] == "5"
    deltas = [e["content"] for e in events if e["payload"] == "run_content"]
    assert "".join(d for d in deltas if isinstance(d, str)) == "".join(CHUNKS)
    # Event names are Agno's, and the envelope names the agent.
    assert events[0]["event"] == "RunStarted" and events[-1]["event"] == "RunCompleted"
    assert {e["agent_id"] for e in events} == {AGENT_ID}

    session = result.one("session")["session"]
    assert session["session_id"] == session_id
    assert session["agent_id"] == AGENT_ID and session["user_id"] == "node-user"
    assert session["session_type"] == "SESSION_TYPE_AGENT"
    assert session["run_count"] == 1

    runs = result.one("runs")
    assert runs["run_id"] == run_id
    assert [r["run_id"] for r in runs["runs"]] == [run_id]
    stored = runs["runs"][0]
    assert stored["state"] == "RUN_STATE_COMPLETED"
    assert stored["agent_id"] == AGENT_ID and stored["session_id"] == session_id
    assert stored["content"] == "".join(CHUNKS)


async def test_a_second_turn_joins_the_same_session(node_binary: str, served: OSHarness) -> None:
    first = await client(node_binary, served, "--agent", AGENT_ID, "--message", "2 + 3?", "--user-id", "u")
    assert first.returncode == 0, first.describe()
    session_id = first.one("session")["session"]["session_id"]

    second = await client(
        node_binary,
        served,
        *("--agent", AGENT_ID, "--message", "again", "--user-id", "u", "--session-id", session_id),
    )
    assert second.returncode == 0, second.describe()
    assert {e["session_id"] for e in second.of_kind("event")} == {session_id}
    assert second.one("session")["session"]["run_count"] == 2
    runs = second.one("runs")["runs"]
    first_run = first.of_kind("event")[0]["run_id"]
    second_run = second.of_kind("event")[0]["run_id"]
    assert first_run != second_run
    assert [r["run_id"] for r in runs] == [first_run, second_run]  # ordered by created_at


async def test_unknown_agent_is_not_found_with_its_reason(node_binary: str, served: OSHarness) -> None:
    result = await client(node_binary, served, "--agent", "no-such-agent", "--message", "hi")
    assert result.returncode == 1, result.describe()
    assert result.one("agents")["agents"]  # discovery worked before the failing call
    assert result.of_kind("event") == []
    error = result.error
    assert error["rpc"] == "StreamRun"
    assert (error["code"], error["code_name"]) == (5, "NOT_FOUND")
    assert error["reason"] == "AGENT_NOT_FOUND" and error["domain"] == "agentos.dev"
    assert "no-such-agent" in error["message"]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("--message", "hi", "--output-schema", "{not json"), "output_schema"),
        (("--message", ""), "message"),
        (("--message", "hi", "--session-id", " padded "), "session_id"),
    ],
)
async def test_malformed_request_names_the_field(
    node_binary: str, served: OSHarness, args: tuple[str, ...], field: str
) -> None:
    result = await client(node_binary, served, "--agent", AGENT_ID, *args)
    assert result.returncode == 1, result.describe()
    error = result.error
    assert (error["code"], error["code_name"]) == (3, "INVALID_ARGUMENT")
    assert error["reason"], error
    assert field in [v["field"] for v in error["field_violations"]], error
    assert all(v["description"] for v in error["field_violations"])
    assert result.of_kind("event") == []


async def test_usage_errors_exit_2(node_binary: str, served: OSHarness) -> None:
    result = await client(node_binary, served, "--message", "hi")
    assert result.returncode == 2
    assert "--agent" in result.stderr


async def test_bearer_token_from_node_identifies_the_user(
    node_binary: str, start_os: Callable[..., Awaitable[OSHarness]]
) -> None:
    agent = Agent(id=AGENT_ID, model=ScriptedModel(steps=[chunks("secured ", "answer")]), db=InMemoryDb())
    harness = await start_os(
        AgentOS(
            id="interop-secure-os",
            agents=[agent],
            db=agent.db,
            authorization=True,
            authorization_config=AuthorizationConfig(verification_keys=[SECRET], algorithm="HS256"),
        )
    )
    run_args = ("--agent", AGENT_ID, "--message", "hi")

    anonymous = await client(node_binary, harness, *run_args)
    assert anonymous.returncode == 1, anonymous.describe()
    assert (anonymous.error["rpc"], anonymous.error["code_name"]) == ("ListAgents", "UNAUTHENTICATED")

    reader = token("reader", ["agents:read"])
    denied = await client(node_binary, harness, *run_args, "--token", reader)
    assert denied.returncode == 1, denied.describe()
    assert (denied.error["rpc"], denied.error["code_name"]) == ("StreamRun", "PERMISSION_DENIED")

    user = token("node-user", ["agents:read", f"agents:{AGENT_ID}:run", "sessions:read"])
    allowed = await client(node_binary, harness, *run_args, "--token", user)
    assert allowed.returncode == 0, allowed.describe()
    assert allowed.of_kind("event")[-1]["payload"] == "run_completed"
    # The user comes from the token, not from the request.
    assert allowed.one("session")["session"]["user_id"] == "node-user"
    assert [r["user_id"] for r in allowed.one("runs")["runs"]] == ["node-user"]


def test_a_machine_without_node_gets_a_clear_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(NodeSetupError, match=r"`node` is not on PATH.*Node\.js >= 18 with npm"):
        ensure_node_client()
