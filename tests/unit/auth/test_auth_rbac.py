"""RBAC over a real gRPC server: the default scope map, wildcards, admin, overrides, exclusions."""

from __future__ import annotations

import grpc
import pytest
from agentos.os.auth import DEFAULT_SCOPE_MAP, AuthInterceptor, JWTMiddlewareConfig, build_auth_interceptor
from agentos.v1 import (
    agent_os_pb2,
    evals_pb2,
    knowledge_pb2,
    memories_pb2,
    metrics_pb2,
    run_service_pb2,
    sessions_pb2,
    traces_pb2,
)
from auth_harness import HS_SECRET, OS_ID, Keys, ServerFactory, bearer, call_error, hs_token, stream_error
from grpc_health.v1 import health_pb2
from grpc_reflection.v1alpha import reflection_pb2, reflection_pb2_grpc

LIST = agent_os_pb2.ListAgentsRequest()
CONFIG = agent_os_pb2.GetConfigRequest()


def auth(*scopes: str, sub: str = "u1") -> tuple[tuple[str, str], ...]:
    return bearer(hs_token(scopes=list(scopes), sub=sub))


def agent_run(agent_id: str, **fields: str) -> run_service_pb2.CreateRunRequest:
    return run_service_pb2.CreateRunRequest(agent_id=agent_id, message="hi", **fields)


def test_default_map_covers_every_rpc_of_the_contract() -> None:
    """No RPC of the contract may fall through to "admin only" by omission."""
    modules = (agent_os_pb2, run_service_pb2, sessions_pb2, memories_pb2, knowledge_pb2, traces_pb2)
    modules += (metrics_pb2, evals_pb2)
    methods = {
        f"/{service.full_name}/{method.name}"
        for module in modules
        for service in module.DESCRIPTOR.services_by_name.values()
        for method in service.methods
    }
    assert methods == set(DEFAULT_SCOPE_MAP)


async def test_no_scope_is_denied_with_the_scope_named(start_server: ServerFactory) -> None:
    server = await start_server()
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=auth()))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED
    assert error.reason == "PERMISSION_DENIED"
    assert error.metadata["required_scopes"] == "agents:read"
    assert "agents:read" in error.message
    assert server.recorder.seen == []


@pytest.mark.parametrize(
    ("scopes", "listed"),
    [
        (("agents:read",), ["a1", "a2", "a3"]),
        (("agents:*:read",), ["a1", "a2", "a3"]),
        (("agents:*:run",), ["a1", "a2", "a3"]),
        (("agents:a2:read",), ["a2"]),
        (("agents:a1:run", "agents:a3:read", "teams:read"), ["a1", "a3"]),
        (("agent_os:admin",), ["a1", "a2", "a3"]),
    ],
)
async def test_lists_show_only_accessible_agents(
    start_server: ServerFactory, scopes: tuple[str, ...], listed: list[str]
) -> None:
    server = await start_server()
    response = await server.agent_os.ListAgents(LIST, metadata=auth(*scopes))
    assert [a.agent_id for a in response.agents] == listed


async def test_config_needs_config_read_and_lists_accessible_agents(start_server: ServerFactory) -> None:
    server = await start_server()
    error = await call_error(server.agent_os.GetConfig(CONFIG, metadata=auth("agents:read")))
    assert error.metadata["required_scopes"] == "config:read"
    response = await server.agent_os.GetConfig(CONFIG, metadata=auth("config:read", "agents:a3:run"))
    assert [a.id for a in response.config.agents] == ["a3"]


async def test_get_agent_needs_read_or_run_on_that_agent(start_server: ServerFactory) -> None:
    server = await start_server()
    request = agent_os_pb2.GetAgentRequest(agent_id="a2")
    error = await call_error(server.agent_os.GetAgent(request, metadata=auth("agents:a1:read")))
    assert error.metadata["required_scopes"] == "agents:a2:read"
    for scopes in (("agents:a2:read",), ("agents:a2:run",), ("agents:read",), ("agents:*:read",)):
        await server.agent_os.GetAgent(request, metadata=auth(*scopes))
    assert server.last.target is not None and server.last.target.id == "a2"


async def test_create_run_needs_run_on_the_target(start_server: ServerFactory) -> None:
    server = await start_server()
    error = await call_error(server.runs.CreateRun(agent_run("a2"), metadata=auth("agents:a1:run")))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED
    assert error.metadata["required_scopes"] == "agents:a2:run"
    assert "agents:a2:run" in error.message

    for scopes in (("agents:a2:run",), ("agents:*:run",), ("agents:run",), ("agent_os:admin",)):
        response = await server.runs.CreateRun(agent_run("a2"), metadata=auth(*scopes))
        assert response.run.agent_id == "a2"

    team = run_service_pb2.CreateRunRequest(team_id="t1", message="hi")
    error = await call_error(server.runs.CreateRun(team, metadata=auth("agents:*:run")))
    assert error.metadata["required_scopes"] == "teams:t1:run"
    await server.runs.CreateRun(team, metadata=auth("teams:t1:run"))

    flow = run_service_pb2.CreateRunRequest(workflow_id="w1", message="hi")
    await server.runs.CreateRun(flow, metadata=auth("workflows:*:run"))


async def test_create_run_without_a_target_is_invalid(start_server: ServerFactory) -> None:
    server = await start_server()
    request = run_service_pb2.CreateRunRequest(message="hi")
    error = await call_error(server.runs.CreateRun(request, metadata=auth("agents:*:run")))
    assert error.code == grpc.StatusCode.INVALID_ARGUMENT
    assert error.reason == "INVALID_INPUT"
    assert error.field_violations == ["target"]


async def test_run_by_id_is_checked_against_the_loaded_run(start_server: ServerFactory) -> None:
    """CancelRun names only a run id; the handler checks the run's agent with authorize_run."""
    server = await start_server()
    cancel = run_service_pb2.CancelRunRequest(run_id="run-1")  # agent a1, user u1
    await server.runs.CancelRun(cancel, metadata=auth("agents:a1:run"))
    await server.runs.CancelRun(cancel, metadata=auth("agents:*:run"))

    error = await call_error(server.runs.CancelRun(cancel, metadata=auth("agents:a2:run")))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED
    assert error.metadata["required_scopes"] == "agents:a1:run"
    # Reading sessions is not enough to cancel.
    error = await call_error(server.runs.CancelRun(cancel, metadata=auth("sessions:read")))
    assert error.metadata["required_scopes"] == "agents:a1:run"


async def test_watching_a_run_accepts_run_scope_or_sessions_read(start_server: ServerFactory) -> None:
    server = await start_server()
    watch = run_service_pb2.WatchRunRequest(run_id="run-1")
    for scopes in (("agents:a1:run",), ("sessions:read",)):
        events = [e async for e in server.runs.WatchRun(watch, metadata=auth(*scopes))]
        assert [e.sequence for e in events] == [1, 2, 3]
    error = await stream_error(server.runs.WatchRun(watch, metadata=auth("agents:a2:run")))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED
    assert error.metadata["required_scopes"] == "agents:a1:run sessions:read"


async def test_runs_of_other_users_are_off_limits_to_non_admins(start_server: ServerFactory) -> None:
    server = await start_server()
    cancel = run_service_pb2.CancelRunRequest(run_id="run-1")  # owned by u1
    error = await call_error(server.runs.CancelRun(cancel, metadata=auth("agents:a1:run", sub="u2")))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED
    assert "another user" in error.message
    await server.runs.CancelRun(cancel, metadata=auth("agent_os:admin", sub="u2"))


async def test_admin_scope_grants_everything_including_unmapped_methods(start_server: ServerFactory) -> None:
    server = await start_server()
    chat = server.echo()
    error = await stream_error(chat(iter([b"x"]), metadata=auth("agents:read")))
    assert error.metadata["required_scopes"] == "agent_os:admin"
    replies = [r async for r in chat(iter([b"x", b"y"]), metadata=auth("agent_os:admin"))]
    assert replies == [b"x|u1", b"y|u1"]


async def test_custom_admin_scope(start_server: ServerFactory) -> None:
    server = await start_server(admin_scope="root")
    await server.agent_os.GetConfig(CONFIG, metadata=auth("root"))
    assert server.last.is_admin
    error = await call_error(server.agent_os.GetConfig(CONFIG, metadata=auth("agent_os:admin")))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED


async def test_without_rbac_a_valid_token_is_enough(start_server: ServerFactory) -> None:
    server = await start_server(authorization=False)
    response = await server.agent_os.ListAgents(LIST, metadata=auth())
    assert len(response.agents) == 3
    await server.runs.CreateRun(agent_run("a2"), metadata=auth())
    assert not server.last.authorization_enabled and server.last.can("anything:at:all")
    error = await call_error(server.agent_os.ListAgents(LIST))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED


async def test_rbac_defaults_on_with_scope_mappings_as_in_agno(start_server: ServerFactory) -> None:
    server = await start_server(authorization=None)
    await server.agent_os.ListAgents(LIST, metadata=auth())
    assert not server.last.authorization_enabled
    mapped = await start_server(authorization=None, scope_mappings={"/test.Echo/Chat": ["echo:use"]})
    error = await call_error(mapped.agent_os.ListAgents(LIST, metadata=auth()))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED


async def test_scope_mapping_overrides_a_default_by_route_key(start_server: ServerFactory) -> None:
    """Agno's own example: ``"GET /agents": ["custom:agents:list"]`` (no /v1 prefix)."""
    server = await start_server(scope_mappings={"GET /agents": ["custom:agents:list"]})
    error = await call_error(server.agent_os.ListAgents(LIST, metadata=auth("agents:read")))
    assert error.metadata["required_scopes"] == "custom:agents:list"
    await server.agent_os.ListAgents(LIST, metadata=auth("custom:agents:list"))
    # GetAgent (GET /v1/agents/{agent_id}) keeps its default.
    error = await call_error(
        server.agent_os.GetAgent(
            agent_os_pb2.GetAgentRequest(agent_id="a1"), metadata=auth("custom:agents:list")
        )
    )
    assert error.metadata["required_scopes"] == "agents:a1:read"


async def test_empty_mapping_needs_no_scope_but_still_a_token(start_server: ServerFactory) -> None:
    server = await start_server(scope_mappings={"GET /v1/config": []})
    await server.agent_os.GetConfig(CONFIG, metadata=auth())
    assert server.last.authenticated
    error = await call_error(server.agent_os.GetConfig(CONFIG))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED


async def test_route_mapping_with_wildcard_applies_to_its_binding_only(start_server: ServerFactory) -> None:
    """``POST /v1/agents/*/runs`` is one binding of CreateRun; team runs keep the default."""
    server = await start_server(scope_mappings={"POST /v1/agents/*/runs": ["app:run"]})
    error = await call_error(server.runs.CreateRun(agent_run("a1"), metadata=auth("agents:*:run")))
    assert error.metadata["required_scopes"] == "app:run"
    await server.runs.CreateRun(agent_run("a1"), metadata=auth("app:run"))
    team = run_service_pb2.CreateRunRequest(team_id="t1", message="hi")
    error = await call_error(server.runs.CreateRun(team, metadata=auth("app:run")))
    assert error.metadata["required_scopes"] == "teams:t1:run"


async def test_route_mapping_with_a_concrete_id_is_the_most_specific(start_server: ServerFactory) -> None:
    mappings = {"POST /v1/agents/a3/runs": ["vip:run"], "POST /agents/*/runs": []}
    server = await start_server(scope_mappings=mappings)
    await server.runs.CreateRun(agent_run("a1"), metadata=auth())
    error = await call_error(server.runs.CreateRun(agent_run("a3"), metadata=auth("agents:*:run")))
    assert error.metadata["required_scopes"] == "vip:run"
    await server.runs.CreateRun(agent_run("a3"), metadata=auth("vip:run"))


async def test_resource_scopes_in_mappings_resolve_against_the_target(start_server: ServerFactory) -> None:
    """A mapping's ``agents:run`` means ``agents:<id>:run`` for the agent the call names."""
    server = await start_server(
        scope_mappings={"/agentos.v1.RunService/CreateRun": ["agents:run", "runs:create"]}
    )
    error = await call_error(server.runs.CreateRun(agent_run("a1"), metadata=auth("agents:a1:run")))
    assert error.metadata["required_scopes"] == "runs:create"
    await server.runs.CreateRun(agent_run("a1"), metadata=auth("agents:a1:run", "runs:create"))
    error = await call_error(
        server.runs.CreateRun(agent_run("a2"), metadata=auth("agents:a1:run", "runs:create"))
    )
    assert error.metadata["required_scopes"] == "agents:a2:run"


async def test_method_glob_mappings_and_custom_methods(start_server: ServerFactory) -> None:
    server = await start_server(
        scope_mappings={"/agentos.v1.SessionService/*": ["ops:sessions"], "/test.Echo/Chat": ["echo:use"]}
    )
    sessions = sessions_pb2.ListSessionsRequest()
    error = await call_error(server.sessions.ListSessions(sessions, metadata=auth("sessions:read")))
    assert error.metadata["required_scopes"] == "ops:sessions"
    replies = [r async for r in server.echo()(iter([b"hi"]), metadata=auth("echo:use", sub="u9"))]
    assert replies == [b"hi|u9"]


async def test_a_handler_can_require_more_scopes(start_server: ServerFactory) -> None:
    """ListSessions in the test servicer also calls ``current_auth().require("sessions:write")``."""
    server = await start_server()
    request = sessions_pb2.ListSessionsRequest()
    error = await call_error(server.sessions.ListSessions(request, metadata=auth("sessions:read")))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED
    assert error.metadata["required_scopes"] == "sessions:write"
    await server.sessions.ListSessions(request, metadata=auth("sessions:read", "sessions:write"))


async def test_health_and_reflection_need_no_token(start_server: ServerFactory) -> None:
    server = await start_server(verify_audience=True)
    reply = await server.health.Check(health_pb2.HealthCheckRequest(service=""))
    assert reply.status == health_pb2.HealthCheckResponse.SERVING

    stub = reflection_pb2_grpc.ServerReflectionStub(server.channel)
    request = reflection_pb2.ServerReflectionRequest(list_services="")
    responses = [r async for r in stub.ServerReflectionInfo(iter([request]))]
    names = {s.name for s in responses[0].list_services_response.service}
    assert "agentos.v1.AgentOSService" in names


async def test_configured_exclusions_skip_auth(start_server: ServerFactory) -> None:
    server = await start_server(excluded_methods=["GET /v1/config", "/agentos.v1.AgentOSService/GetAgent"])
    response = await server.agent_os.GetConfig(CONFIG)
    assert len(response.config.agents) == 3
    assert not server.last.authenticated
    await server.agent_os.GetAgent(agent_os_pb2.GetAgentRequest(agent_id="a1"))
    error = await call_error(server.agent_os.ListAgents(LIST))
    assert error.code == grpc.StatusCode.UNAUTHENTICATED


@pytest.mark.parametrize(
    ("mappings", "excluded", "message"),
    [
        ({"agents": ["x"]}, (), "neither a gRPC method"),
        ({"FETCH /v1/agents": ["x"]}, (), "HTTP method"),
        ({}, ("GET /v1/agents/a1",), "concrete id"),
        ({}, ("POST /v1/agents/*/runs",), "several routes"),
    ],
)
def test_bad_keys_fail_at_start_up(
    mappings: dict[str, list[str]], excluded: tuple[str, ...], message: str
) -> None:
    config = JWTMiddlewareConfig(
        verification_keys=[HS_SECRET], algorithm="HS256", scope_mappings=mappings, excluded_methods=excluded
    )
    with pytest.raises(ValueError, match=message):
        AuthInterceptor(config, OS_ID)


def test_scope_mapping_values_must_be_lists() -> None:
    with pytest.raises(ValueError, match="list of scopes"):
        JWTMiddlewareConfig(verification_keys=[HS_SECRET], scope_mappings={"GET /v1/agents": "agents:read"})  # type: ignore[dict-item]


def test_build_auth_interceptor_follows_agentos_flags(keys: Keys, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build_auth_interceptor(False, None, OS_ID) is None
    monkeypatch.setenv("JWT_VERIFICATION_KEY", keys.rsa_public)
    from_env = build_auth_interceptor(True, None, OS_ID)
    assert from_env is not None and from_env.config.rbac_enabled
    assert from_env.config.algorithm == "RS256"
    middleware = JWTMiddlewareConfig(verification_keys=[HS_SECRET], algorithm="HS256")
    built = build_auth_interceptor(True, middleware, OS_ID)
    assert built is not None and built.config.rbac_enabled
    built = build_auth_interceptor(False, middleware, OS_ID)
    assert built is not None and not built.config.rbac_enabled
