"""``buf curl`` (a generic, non-Python gRPC client) against a real server.

buf curl learns the schema from the server's reflection service, or from the .proto sources,
and speaks proto3 JSON: these tests show that a client with no generated code can discover
the services, stream a run to its in-band terminal event, read the session back, and get
canonical error codes with ``google.rpc.Status`` details. (tests/integration/test_os_cli.py
already calls ListAgents on the CLI-served demo; here the calls go further.)
"""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from agentos.agent import Agent
from agentos.db import SqliteDb
from agentos.models.scripted import ScriptedModel, chunks, tool_call
from agentos.os import AgentOS
from agentos.tools import tool
from agentos_server import OSHarness
from google.rpc import error_details_pb2

REPO = Path(__file__).resolve().parents[2]
BUF = Path(sys.executable).parent / "buf"
AGENT_ID = "curl-calculator"
CHUNKS = ("Two ", "plus three ", "is five.")
CONTRACT_SERVICES = {
    f"agentos.v1.{name}"
    for name in (
        "AgentOSService",
        "RunService",
        "SessionService",
        "MemoryService",
        "KnowledgeService",
        "TraceService",
        "MetricsService",
        "EvalService",
    )
}


@tool
def add(a: int, b: int) -> int:
    """Add two integers."""
    return a + b


@pytest.fixture
async def served(start_os: Callable[..., Awaitable[OSHarness]], tmp_path: Path) -> OSHarness:
    if not BUF.exists():
        pytest.fail(f"buf is missing at {BUF}: `make install` installs it (the buf-bin dev dependency)")
    db = SqliteDb(db_file=tmp_path / "curl.db", id="curl-db")
    agent = Agent(
        id=AGENT_ID,
        name="Curl calculator",
        model=ScriptedModel(steps=[tool_call("add", a=2, b=3), chunks(*CHUNKS)]),
        tools=[add],
        db=db,
    )
    return await start_os(AgentOS(id="curl-os", agents=[agent], db=db))


@dataclass
class Curl:
    returncode: int
    stdout: str
    stderr: str

    @property
    def messages(self) -> list[dict[str, Any]]:
        """The response messages: buf curl prints each one as a (multi-line) JSON object."""
        decoder = json.JSONDecoder()
        text, position, found = self.stdout, 0, []
        while True:
            while position < len(text) and text[position].isspace():
                position += 1
            if position == len(text):
                return found
            message, position = decoder.raw_decode(text, position)
            found.append(message)

    @property
    def grpc_code(self) -> int:
        """buf curl exits with the gRPC code shifted three bits left when the RPC fails."""
        assert self.returncode >= 8 and self.returncode % 8 == 0, self.describe()
        return self.returncode >> 3

    @property
    def status(self) -> dict[str, Any]:
        status: dict[str, Any] = json.loads(self.stderr)
        return status

    def detail(self, message_type: type[Any]) -> Any:
        """The status detail of ``message_type``, decoded from the base64 buf curl prints."""
        name = message_type.DESCRIPTOR.full_name
        for detail in self.status.get("details", []):
            if detail["type"] == name:
                raw = detail["value"].replace("-", "+").replace("_", "/")
                return message_type.FromString(base64.b64decode(raw + "=" * (-len(raw) % 4)))
        raise AssertionError(f"no {name} detail:\n{self.describe()}")

    def describe(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


async def buf_curl(harness: OSHarness, path: str, body: dict[str, Any] | None = None, *flags: str) -> Curl:
    """``buf curl`` over gRPC (HTTP/2 without TLS), without blocking the server's event loop."""
    args = [str(BUF), "curl", "--protocol", "grpc", "--http2-prior-knowledge", *flags]
    args.append(f"http://{harness.address}/{path}")
    if body is not None:
        args += ["-d", json.dumps(body)]
    process = await asyncio.create_subprocess_exec(
        *args, cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode is not None
    return Curl(process.returncode, stdout.decode(), stderr.decode())


async def test_reflection_lists_every_contract_service(served: OSHarness) -> None:
    services = await buf_curl(served, "", None, "--list-services")
    assert services.returncode == 0, services.describe()
    listed = set(services.stdout.split())
    assert listed >= CONTRACT_SERVICES | {"grpc.health.v1.Health"}

    methods = await buf_curl(served, "", None, "--list-methods")
    assert methods.returncode == 0, methods.describe()
    run_methods = {m for m in methods.stdout.split() if m.startswith("agentos.v1.RunService/")}
    assert {m.split("/")[1] for m in run_methods} == {
        "CreateRun",
        "StreamRun",
        "ContinueRun",
        "StreamContinueRun",
        "CancelRun",
        "GetRun",
        "ListRuns",
        "WatchRun",
    }


async def test_list_agents_describes_the_tools(served: OSHarness) -> None:
    result = await buf_curl(served, "agentos.v1.AgentOSService/ListAgents", {})
    assert result.returncode == 0, result.describe()
    [body] = result.messages
    [agent] = body["agents"]
    assert (agent["agentId"], agent["name"]) == (AGENT_ID, "Curl calculator")
    [add_tool] = agent["tools"]
    assert add_tool["name"] == "add"
    assert json.loads(add_tool["parametersJsonSchema"])["required"] == ["a", "b"]


async def test_stream_run_prints_every_event_up_to_the_terminal_one(served: OSHarness) -> None:
    result = await buf_curl(
        served,
        "agentos.v1.RunService/StreamRun",
        {"agentId": AGENT_ID, "message": "2 + 3?", "userId": "curl-user", "streamEvents": True},
    )
    assert result.returncode == 0, result.describe()
    events = result.messages
    assert len(events) >= 6, result.describe()
    run_id, session_id = events[0]["runId"], events[0]["sessionId"]
    assert all(e["runId"] == run_id and e["sessionId"] == session_id for e in events)
    # uint64 travels as a JSON string (proto3 JSON mapping).
    sequences = [int(e["sequence"]) for e in events]
    assert all(a < b for a, b in itertools.pairwise(sequences)), sequences

    names = [e["event"] for e in events]
    assert names[0] == "RunStarted" and names[-1] == "RunCompleted"
    assert names.count("RunCompleted") == 1
    assert names.index("RunStarted") < names.index("ToolCallStarted") < names.index("ToolCallCompleted")
    assert names.index("ToolCallCompleted") < names.index("RunContent")
    # The oneof member is named after the event.
    assert "runStarted" in events[0] and "runCompleted" in events[-1]
    completed_tool = events[names.index("ToolCallCompleted")]["toolCallCompleted"]["tool"]
    assert completed_tool["toolName"] == "add" and completed_tool["toolArgs"] == {"a": 2, "b": 3}
    assert completed_tool["result"] == "5"
    deltas = [e["runContent"]["content"] for e in events if e["event"] == "RunContent"]
    assert deltas == list(CHUNKS)
    assert events[-1]["runCompleted"]["content"] == "".join(CHUNKS)

    # The run and its session are stored: read them back, with the schema from the .proto
    # sources this time (a client that has the contracts needs no reflection).
    from_sources = ("--schema", str(REPO))
    session = await buf_curl(
        served, "agentos.v1.SessionService/GetSession", {"sessionId": session_id}, *from_sources
    )
    assert session.returncode == 0, session.describe()
    [body] = session.messages
    assert body["session"]["sessionId"] == session_id
    assert body["session"]["userId"] == "curl-user" and body["session"]["runCount"] == 1

    runs = await buf_curl(served, "agentos.v1.RunService/ListRuns", {"sessionId": session_id}, *from_sources)
    assert runs.returncode == 0, runs.describe()
    [listed] = runs.messages
    [run] = listed["runs"]
    assert run["runId"] == run_id and run["state"] == "RUN_STATE_COMPLETED"
    assert run["content"] == "".join(CHUNKS)


async def test_unknown_agent_is_not_found_with_error_info(served: OSHarness) -> None:
    result = await buf_curl(
        served, "agentos.v1.RunService/StreamRun", {"agentId": "missing-agent", "message": "hi"}
    )
    assert result.grpc_code == 5
    assert result.stdout.strip() == ""  # no event before the failure
    assert result.status["code"] == "not_found"
    assert "missing-agent" in result.status["message"]
    info = result.detail(error_details_pb2.ErrorInfo)
    assert (info.reason, info.domain) == ("AGENT_NOT_FOUND", "agentos.dev")
    resource = result.detail(error_details_pb2.ResourceInfo)
    assert resource.resource_name == "missing-agent"


async def test_malformed_request_is_invalid_argument_naming_the_field(served: OSHarness) -> None:
    result = await buf_curl(
        served,
        "agentos.v1.RunService/StreamRun",
        {"agentId": AGENT_ID, "message": "hi", "outputSchema": "[1, 2"},
    )
    assert result.grpc_code == 3
    assert result.status["code"] == "invalid_argument"
    assert result.detail(error_details_pb2.ErrorInfo).reason
    violations = result.detail(error_details_pb2.BadRequest).field_violations
    assert [v.field for v in violations] == ["output_schema"]
    assert "JSON" in violations[0].description
