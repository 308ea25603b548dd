"""REST/JSON + SSE through the real Envoy gateway in front of a real AgentOS, called with httpx.

One server with its gateway serves the whole module (Envoy takes about a second to start); it
runs on a background thread's event loop, so tests use plain httpx clients. Covered: every
``google.api.http`` binding reaches the server; each implemented service used over REST; runs
created, streamed as server-sent events, watched from a sequence, cancelled and continued;
errors as JSON ``google.rpc.Status`` with the matching HTTP status; strict request checks;
CORS; static routes; HTTP/2 and gRPC on the gateway's port.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import threading
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import grpc
import httpx
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb
from agentos.models.scripted import EchoModel, ScriptedModel, chunks, fail, hang, tool_call
from agentos.os import AgentOS, RunningServer, ServerSettings
from agentos.os.gateway import GatewayConfig, StaticRoute
from agentos.tools import tool
from agentos.v1 import (
    agent_os_pb2,
    agent_os_pb2_grpc,
    evals_pb2,
    knowledge_pb2,
    memories_pb2,
    metrics_pb2,
    run_service_pb2,
    sessions_pb2,
    traces_pb2,
)
from google.api import annotations_pb2
from grpc_health.v1 import health_pb2, health_pb2_grpc

T = TypeVar("T")
FAST = ServerSettings(grace_period=2.0, cancel_grace=1.0)
ORIGIN = "https://app.example"
TERMINAL = {"RunCompleted", "RunPaused", "RunCancelled", "RunError"}
SERVICE_MODULES = (
    agent_os_pb2,
    run_service_pb2,
    sessions_pb2,
    memories_pb2,
    knowledge_pb2,
    traces_pb2,
    metrics_pb2,
    evals_pb2,
)


@tool(requires_confirmation=True)
def delete_file(path: str) -> str:
    """Delete a file."""
    return f"deleted {path}"


@dataclass
class Served:
    """A server with its gateway, running on a private loop in a background thread."""

    server: RunningServer
    loop: asyncio.AbstractEventLoop

    @property
    def url(self) -> str:
        assert self.server.rest_url is not None
        return self.server.rest_url

    def call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout=30)


@contextlib.contextmanager
def serve_rest_in_thread(agent_os: AgentOS, gateway: GatewayConfig) -> Iterator[Served]:
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="rest-test-server", daemon=True)
    thread.start()
    try:
        server = asyncio.run_coroutine_threadsafe(
            agent_os.start("127.0.0.1", 0, rest_port=0, settings=FAST, gateway=gateway), loop
        ).result(timeout=60)
        try:
            yield Served(server=server, loop=loop)
        finally:
            asyncio.run_coroutine_threadsafe(server.stop(), loop).result(timeout=60)
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()


def demo_os() -> AgentOS:
    db = InMemoryDb()
    return AgentOS(
        id="rest-os",
        agents=[
            Agent(id="echo", name="Echo", model=EchoModel(prefix="echo: "), db=db),
            Agent(id="chunky", model=ScriptedModel(steps=[chunks("a", "b", "c")])),
            Agent(id="slow", model=ScriptedModel(steps=[hang()])),
            Agent(
                id="confirm",
                model=ScriptedModel(steps=[tool_call("delete_file", path="/tmp/x"), "all done"]),
                tools=[delete_file],
            ),
            Agent(
                id="down",
                model=ScriptedModel(steps=[fail("overloaded", status_code=503, retryable=True)]),
            ),
        ],
        db=db,
        cors_allowed_origins=[ORIGIN],
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    docs = folder / "docs.html"
    docs.write_text("<!doctype html><title>AgentOS API</title>", encoding="utf-8")
    spec = folder / "openapi.json"
    spec.write_text(json.dumps({"openapi": "3.1.0", "paths": {f"/p{i}": {} for i in range(2000)}}))
    return {"/docs": docs, "/openapi.json": spec}


@pytest.fixture(scope="module")
def rest(pages: dict[str, Path]) -> Iterator[Served]:
    gateway = GatewayConfig(
        health_check_interval=0.5,
        static_routes={
            "/docs": StaticRoute(pages["/docs"], "text/html; charset=utf-8"),
            "/openapi.json": StaticRoute(pages["/openapi.json"], "application/json"),
        },
    )
    with serve_rest_in_thread(demo_os(), gateway) as served:
        yield served


@pytest.fixture
def client(rest: Served) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=rest.url, timeout=30) as http:
        yield http


def sse_events(lines: Iterator[str]) -> Iterator[dict[str, Any]]:
    """Parse ``data:`` frames (one JSON RunEvent each, blank line between frames)."""
    data: list[str] = []
    for line in lines:
        if line.startswith("data:"):
            data.append(line[5:].strip())
        elif not line and data:
            yield json.loads("\n".join(data))
            data = []
    if data:
        yield json.loads("\n".join(data))


def stream(client: httpx.Client, method: str, path: str, **kwargs: Any) -> list[dict[str, Any]]:
    with client.stream(method, path, **kwargs) as response:
        assert response.status_code == 200, response.read()
        assert response.headers["content-type"].startswith("text/event-stream")
        return list(sse_events(response.iter_lines()))


def status_of(response: httpx.Response) -> dict[str, Any]:
    """The JSON google.rpc.Status of an error response."""
    assert response.headers["content-type"].startswith("application/json"), response.text
    body: dict[str, Any] = response.json()
    assert set(body) >= {"code", "message"}, body
    return body


def detail(status: dict[str, Any], kind: str) -> dict[str, Any]:
    for item in status.get("details", []):
        if item["@type"] == f"type.googleapis.com/google.rpc.{kind}":
            return dict(item)
    raise AssertionError(f"no {kind} in {status}")


def check_sequence(events: list[dict[str, Any]]) -> None:
    sequences = [int(e["sequence"]) for e in events]
    assert sequences == sorted(set(sequences)), sequences
    assert events[-1]["event"] in TERMINAL
    assert not any(e["event"] in TERMINAL for e in events[:-1])


# -- every binding -------------------------------------------------------------------------------


def http_bindings() -> list[tuple[str, str, str, Any]]:
    """(full method name, HTTP verb, path template, JSON body) for every binding of the contract.

    The body is ``{}`` for bindings with a body, ``[{}]`` (a stream of one message) for
    client-streaming RPCs, None for bindings without one.
    """
    out = []
    for module in SERVICE_MODULES:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                rule = method.GetOptions().Extensions[annotations_pb2.http]
                rules = [rule, *rule.additional_bindings]
                assert rule.WhichOneof("pattern"), f"{method.full_name} has no google.api.http binding"
                for binding in rules:
                    verb = binding.WhichOneof("pattern")
                    body: Any = None
                    if binding.body:
                        body = [{}] if method.client_streaming else {}
                    out.append((method.full_name, verb.upper(), getattr(binding, verb), body))
    return out


def test_every_binding_of_every_rpc_reaches_the_server(client: httpx.Client) -> None:
    bindings = http_bindings()
    methods = {name for name, *_ in bindings}
    assert len(bindings) > len(methods) >= 46  # every RPC, plus the additional bindings
    for name, verb, template, body in bindings:
        # Placeholder ids: nothing is run, the point is that the call arrives.
        path = re.sub(r"\{[^}]+\}", "missing-id", template)
        response = client.request(verb, path, json=body)
        # The binding was transcoded and routed, whatever the server then answered: a success,
        # or an error only the server writes (Envoy's own replies carry no ErrorInfo).
        if response.status_code == 200:
            assert "x-envoy-upstream-service-time" in response.headers, (name, response.text)
        else:
            status = status_of(response)
            assert detail(status, "ErrorInfo")["domain"] == "agentos.dev", (name, verb, path, status)


def test_services_the_server_does_not_implement_answer_501(rest: Served, client: httpx.Client) -> None:
    async def unimplemented() -> list[str]:
        async with grpc.aio.insecure_channel(rest.server.address) as channel:
            health = health_pb2_grpc.HealthStub(channel)
            names = []
            for module in SERVICE_MODULES:
                for service in module.DESCRIPTOR.services_by_name.values():
                    try:
                        await health.Check(health_pb2.HealthCheckRequest(service=service.full_name))
                    except grpc.aio.AioRpcError as exc:
                        assert exc.code() == grpc.StatusCode.NOT_FOUND
                        names.append(service.full_name)
            return names

    missing = rest.call(unimplemented())
    checked = 0
    for name, verb, template, body in http_bindings():
        service, _, method = name.rpartition(".")
        if service not in missing:
            continue
        response = client.request(verb, re.sub(r"\{[^}]+\}", "x", template), json=body)
        assert response.status_code == 501, (name, response.text)
        status = status_of(response)
        assert status["code"] == grpc.StatusCode.UNIMPLEMENTED.value[0]
        assert f"{service.rsplit('.', 1)[1]}.{method}" in status["message"]
        checked += 1
    if missing:
        assert checked > 0


# -- services ------------------------------------------------------------------------------------


def test_discovery_over_rest(client: httpx.Client) -> None:
    config = client.get("/v1/config").json()["config"]
    assert config["osId"] == "rest-os"
    assert config["authorizationEnabled"] is False  # primitives are always printed
    agents = client.get("/v1/agents").json()
    assert [a["agentId"] for a in agents["agents"]] == ["echo", "chunky", "slow", "confirm", "down"]
    assert agents["totalSize"] == 5
    assert client.get("/v1/agents/echo").json()["agent"]["name"] == "Echo"
    assert client.get("/v1/teams").json()["teams"] == []
    assert client.get("/v1/workflows").json()["workflows"] == []
    for path in ("/v1/agents/nope", "/v1/teams/nope", "/v1/workflows/nope"):
        response = client.get(path)
        assert response.status_code == 404
        assert detail(status_of(response), "ErrorInfo")["reason"].endswith("_NOT_FOUND")


def test_sessions_over_rest(client: httpx.Client) -> None:
    created = client.post(
        "/v1/sessions", json={"session": {"agentId": "echo", "userId": "rest-u1", "sessionName": "chat"}}
    )
    assert created.status_code == 200, created.text
    session = created.json()["session"]
    sid = session["sessionId"]
    assert session["sessionType"] == "SESSION_TYPE_AGENT"
    assert client.get(f"/v1/sessions/{sid}").json()["session"]["sessionName"] == "chat"
    listed = client.get("/v1/sessions", params={"userId": "rest-u1", "pageSize": 10}).json()
    assert [s["sessionId"] for s in listed["sessions"]] == [sid]
    # snake_case query parameters work too, and FieldMask paths are camelCase in JSON.
    renamed = client.patch(
        f"/v1/sessions/{sid}", params={"update_mask": "sessionName"}, json={"sessionName": "renamed"}
    )
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["session"]["sessionName"] == "renamed"
    assert client.delete(f"/v1/sessions/{sid}").status_code == 200
    assert client.get(f"/v1/sessions/{sid}").status_code == 404
    other = client.post("/v1/sessions", json={"session": {"agentId": "echo", "userId": "rest-u1"}}).json()
    batch = client.post("/v1/sessions:batchDelete", json={"sessionIds": [other["session"]["sessionId"]]})
    assert batch.json() == {"deletedCount": 1}


def test_memories_over_rest(client: httpx.Client) -> None:
    created = client.post(
        "/v1/memories", json={"memory": {"memory": "likes tea", "topics": ["food"], "userId": "rest-m1"}}
    )
    assert created.status_code == 200, created.text
    memory_id = created.json()["memory"]["memoryId"]
    assert client.get(f"/v1/memories/{memory_id}").json()["memory"]["memory"] == "likes tea"
    listed = client.get("/v1/memories", params={"userId": "rest-m1"}).json()
    assert [m["memoryId"] for m in listed["memories"]] == [memory_id]
    updated = client.patch(
        f"/v1/memories/{memory_id}", params={"updateMask": "memory"}, json={"memory": "likes green tea"}
    )
    assert updated.json()["memory"]["memory"] == "likes green tea", updated.text
    topics = client.get("/v1/memoryTopics", params={"userId": "rest-m1"}).json()
    assert topics["topics"] == ["food"]
    stats = client.get("/v1/memories:userStats", params={"userId": "rest-m1"}).json()
    assert stats["stats"][0]["totalMemories"] == 1
    assert client.delete(f"/v1/memories/{memory_id}").status_code == 200
    second = client.post("/v1/memories", json={"memory": {"memory": "x", "userId": "rest-m1"}}).json()
    batch = client.post(
        "/v1/memories:batchDelete", json={"memoryIds": [second["memory"]["memoryId"]], "userId": "rest-m1"}
    )
    assert batch.json() == {"deletedCount": 1}


# -- runs ----------------------------------------------------------------------------------------


def test_create_get_and_list_runs(client: httpx.Client) -> None:
    created = client.post("/v1/agents/echo/runs", json={"message": "hi", "userId": "rest-r1"})
    assert created.status_code == 200, created.text
    run = created.json()["run"]
    assert run["state"] == "RUN_STATE_COMPLETED"
    assert run["content"] == "echo: hi"  # a google.protobuf.Value is plain JSON
    got = client.get(f"/v1/runs/{run['runId']}", params={"view": "run_view_full"})  # enums in any case
    assert got.status_code == 200, got.text
    assert got.json()["run"]["messages"], "the FULL view has the messages"
    by_session = client.get(f"/v1/sessions/{run['sessionId']}/runs").json()
    assert [r["runId"] for r in by_session["runs"]] == [run["runId"]]
    by_agent = client.get("/v1/runs", params={"agentId": "echo", "userId": "rest-r1"}).json()
    assert run["runId"] in [r["runId"] for r in by_agent["runs"]]


def test_a_streamed_run_arrives_as_server_sent_events_in_order(client: httpx.Client) -> None:
    body = {"message": "x", "streamEvents": True}
    events = stream(client, "POST", "/v1/agents/chunky/runs:stream", json=body)
    check_sequence(events)
    assert [int(e["sequence"]) for e in events] == list(range(1, len(events) + 1))
    assert events[0]["event"] == "RunStarted" and events[-1]["event"] == "RunCompleted"
    text = "".join(e["runContent"]["content"] for e in events if e["event"] == "RunContent")
    assert text == "abc"
    assert events[-1]["runCompleted"]["content"] == "abc"
    assert len({e["runId"] for e in events}) == 1


def test_watch_resumes_after_a_sequence(client: httpx.Client) -> None:
    body = {"message": "x", "streamEvents": True}
    events = stream(client, "POST", "/v1/agents/chunky/runs:stream", json=body)
    run_id = events[0]["runId"]
    watched = stream(client, "GET", f"/v1/runs/{run_id}:watch", params={"afterSequence": 2})
    assert watched[0]["event"] == "RunSnapshot"
    assert watched[0]["runSnapshot"]["run"]["state"] == "RUN_STATE_COMPLETED"
    assert [e["sequence"] for e in watched[1:]] == [e["sequence"] for e in events[2:]]
    assert watched[-1]["event"] == "RunCompleted"
    snake = stream(client, "GET", f"/v1/runs/{run_id}:watch", params={"after_sequence": len(events) - 1})
    assert [e["event"] for e in snake] == ["RunSnapshot", "RunCompleted"]


def test_watch_a_live_run_then_cancel_it(client: httpx.Client) -> None:
    created = client.post(
        "/v1/agents/slow/runs", json={"message": "wait", "background": True, "streamEvents": True}
    )
    assert created.status_code == 200, created.text
    run_id = created.json()["run"]["runId"]
    with client.stream("GET", f"/v1/runs/{run_id}:watch") as response:
        assert response.status_code == 200
        frames = sse_events(response.iter_lines())
        snapshot = next(frames)
        assert snapshot["event"] == "RunSnapshot"
        cancelled = client.post(f"/v1/runs/{run_id}:cancel", json={"reason": "enough"})
        assert cancelled.status_code == 200, cancelled.text
        rest = list(frames)
    assert rest[-1]["event"] == "RunCancelled"
    check_sequence(rest)
    final = client.get(f"/v1/runs/{run_id}").json()["run"]
    assert final["state"] == "RUN_STATE_CANCELLED" and final["cancellationReason"] == "enough"


def test_a_client_leaving_an_sse_stream_cancels_its_run(client: httpx.Client) -> None:
    body = {"message": "wait", "streamEvents": True, "runId": "rest-left"}
    with client.stream("POST", "/v1/agents/slow/runs:stream", json=body) as response:
        first = next(sse_events(response.iter_lines()))
        assert first["event"] == "RunStarted"
    # Envoy resets the gRPC stream when the HTTP client goes: the server cancels the run, as it
    # does for a gRPC client that disconnects (background runs go on instead).
    deadline = time.monotonic() + 20
    while (state := client.get("/v1/runs/rest-left").json()["run"]["state"]) != "RUN_STATE_CANCELLED":
        assert time.monotonic() < deadline, state
        time.sleep(0.05)


def test_paused_runs_are_continued_over_rest(client: httpx.Client) -> None:
    paused = client.post("/v1/agents/confirm/runs", json={"message": "go"}).json()["run"]
    assert paused["state"] == "RUN_STATE_PAUSED"
    requirement = paused["requirements"][0]
    assert requirement["kind"] == "REQUIREMENT_KIND_CONFIRMATION"
    decision = {"requirementId": requirement["requirementId"], "confirmed": True}
    done = client.post(f"/v1/runs/{paused['runId']}:continue", json={"requirements": [decision]})
    assert done.status_code == 200, done.text
    assert done.json()["run"]["state"] == "RUN_STATE_COMPLETED"
    assert done.json()["run"]["content"] == "all done"
    # Continuing a finished run: FAILED_PRECONDITION, which HTTP maps to 400.
    again = client.post(f"/v1/runs/{paused['runId']}:continue", json={"requirements": [decision]})
    assert again.status_code == 400
    status = status_of(again)
    assert status["code"] == grpc.StatusCode.FAILED_PRECONDITION.value[0]
    assert detail(status, "ErrorInfo")["reason"] == "RUN_ALREADY_TERMINAL"

    body = {"message": "go", "streamEvents": True}
    second = client.post("/v1/agents/confirm/runs", json=body).json()["run"]
    decision = {"requirementId": second["requirements"][0]["requirementId"], "confirmed": True}
    events = stream(
        client,
        "POST",
        f"/v1/runs/{second['runId']}:streamContinue",
        json={"requirements": [decision], "streamEvents": True},
    )
    assert events[0]["event"] == "RunContinued" and events[-1]["event"] == "RunCompleted"
    assert int(events[0]["sequence"]) == int(second["lastSequence"]) + 1
    check_sequence(events)


# -- errors --------------------------------------------------------------------------------------


def test_errors_map_to_http_statuses_with_json_status(client: httpx.Client) -> None:
    # 400 INVALID_ARGUMENT with the offending field named in BadRequest.
    bad = client.get("/v1/sessions", params={"pageToken": "not-a-token"})
    assert bad.status_code == 400
    status = status_of(bad)
    assert status["code"] == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    violations = detail(status, "BadRequest")["fieldViolations"]
    assert violations[0]["field"] == "page_token"
    # 404 NOT_FOUND with the resource named.
    missing = client.get("/v1/runs/no-such-run")
    assert missing.status_code == 404
    assert detail(status_of(missing), "ResourceInfo")["resourceName"] == "no-such-run"
    # 409 ALREADY_EXISTS: a client-chosen run id used twice.
    assert client.post("/v1/agents/echo/runs", json={"message": "a", "runId": "rest-dup"}).status_code == 200
    duplicate = client.post("/v1/agents/echo/runs", json={"message": "b", "runId": "rest-dup"})
    assert duplicate.status_code == 409
    assert detail(status_of(duplicate), "ErrorInfo")["reason"] == "RUN_ALREADY_EXISTS"
    # 503 UNAVAILABLE: the model provider is down.
    outage = client.post("/v1/agents/down/runs", json={"message": "hi"})
    assert outage.status_code == 503
    assert detail(status_of(outage), "ErrorInfo")["reason"] == "MODEL_PROVIDER_UNAVAILABLE"
    # A stream that fails before its first event is an HTTP error too (trailers-only gRPC reply).
    unknown_agent = client.post("/v1/agents/nope/runs:stream", json={"message": "hi"})
    assert unknown_agent.status_code == 404
    assert detail(status_of(unknown_agent), "ErrorInfo")["reason"] == "AGENT_NOT_FOUND"


def test_bad_requests_are_rejected_by_the_gateway_as_json(client: httpx.Client) -> None:
    unknown_path = client.get("/v1/nothing-here")
    assert unknown_path.status_code == 404
    assert status_of(unknown_path)["code"] == grpc.StatusCode.NOT_FOUND.value[0]
    wrong_verb = client.delete("/v1/agents")
    assert wrong_verb.status_code == 404
    unknown_param = client.get("/v1/agents", params={"colour": "red"})
    assert unknown_param.status_code == 400
    assert "colour" in status_of(unknown_param)["message"]
    json_type = {"content-type": "application/json"}
    bad_json = client.post("/v1/agents/echo/runs", content=b"{not json", headers=json_type)
    assert bad_json.status_code == 400
    assert status_of(bad_json)["code"] == grpc.StatusCode.INVALID_ARGUMENT.value[0]
    collision = client.post("/v1/agents/echo/runs", json={"message": "x", "agentId": "chunky"})
    assert collision.status_code == 400
    for response in (unknown_path, wrong_verb, unknown_param, bad_json, collision):
        assert "x-envoy-upstream-service-time" not in response.headers  # never reached the server


# -- transport -----------------------------------------------------------------------------------


def test_cors_preflight_for_configured_origins_only(client: httpx.Client) -> None:
    preflight = {"access-control-request-method": "POST", "access-control-request-headers": "authorization"}
    allowed = client.options("/v1/agents/echo/runs", headers={"origin": ORIGIN, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ORIGIN
    assert "authorization" in allowed.headers["access-control-allow-headers"]
    assert "POST" in allowed.headers["access-control-allow-methods"]
    other = client.options("/v1/agents/echo/runs", headers={"origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers
    simple = client.get("/v1/agents", headers={"origin": ORIGIN})
    assert simple.headers["access-control-allow-origin"] == ORIGIN


def test_static_routes_are_served_by_envoy(client: httpx.Client, pages: dict[str, Path]) -> None:
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert docs.headers["content-type"] == "text/html; charset=utf-8"
    assert docs.text == pages["/docs"].read_text()
    spec = client.get("/openapi.json")
    assert spec.status_code == 200 and spec.headers["content-type"] == "application/json"
    assert spec.content == pages["/openapi.json"].read_bytes()  # larger than Envoy's 4 KiB default
    assert len(spec.content) > 4096
    assert client.head("/docs").status_code == 200
    assert client.post("/docs").status_code == 404  # only GET/HEAD; the rest is the API's 404


async def test_http2_and_grpc_clients_share_the_port(rest: Served) -> None:
    async with httpx.AsyncClient(base_url=rest.url, http1=False, http2=True) as h2:
        response = await h2.get("/v1/agents")
    assert response.status_code == 200 and response.http_version == "HTTP/2"
    target = rest.url.removeprefix("http://")
    async with grpc.aio.insecure_channel(target) as channel:
        listed = await agent_os_pb2_grpc.AgentOSServiceStub(channel).ListAgents(
            agent_os_pb2.ListAgentsRequest(), timeout=10
        )
        assert listed.total_size == 5
        with pytest.raises(grpc.aio.AioRpcError) as error:
            await agent_os_pb2_grpc.AgentOSServiceStub(channel).GetAgent(
                agent_os_pb2.GetAgentRequest(agent_id="nope"), timeout=10
            )
        assert error.value.code() == grpc.StatusCode.NOT_FOUND  # gRPC errors stay gRPC
