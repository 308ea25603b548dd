"""What handlers see: the AuthContext in unary and streaming handlers, claims, per-user isolation."""

from __future__ import annotations

import asyncio

import grpc
import pytest
from agentos.os.auth import (
    AuthContext,
    PermissionDeniedError,
    Target,
    current_auth,
    effective_user_id,
    reset_current_auth,
    set_current_auth,
)
from agentos.v1 import agent_os_pb2, knowledge_pb2, run_service_pb2
from auth_harness import ServerFactory, bearer, call_error, hs_token

CONFIG = agent_os_pb2.GetConfigRequest()


def auth(*scopes: str, sub: str | None = "u1", **claims: object) -> tuple[tuple[str, str], ...]:
    return bearer(hs_token(scopes=list(scopes), sub=sub, **claims))


async def test_unary_handler_sees_the_callers_context(start_server: ServerFactory) -> None:
    server = await start_server(dependencies_claims=["email", "roles"], session_state_claims=["preferences"])
    metadata = auth(
        "config:read",
        "agents:a1:run",
        session_id="s-9",
        email="u1@example.com",
        roles=["dev"],
        preferences={"theme": "dark"},
        unrelated="x",
    )
    await server.agent_os.GetConfig(CONFIG, metadata=metadata)
    seen = server.last
    assert seen.authenticated and seen.authorization_enabled and not seen.is_admin
    assert (seen.user_id, seen.session_id) == ("u1", "s-9")
    assert seen.scopes == ("config:read", "agents:a1:run")
    assert dict(seen.dependencies) == {"email": "u1@example.com", "roles": ["dev"]}
    assert dict(seen.session_state) == {"preferences": {"theme": "dark"}}
    assert seen.claims["unrelated"] == "x"
    assert seen.token is not None and seen.method == "/agentos.v1.AgentOSService/GetConfig"
    assert seen.can("agents:a1:run") and not seen.can("agents:a2:run")
    assert seen.accessible_resource_ids("agents") == frozenset({"a1"})


async def test_missing_claims_are_left_out(start_server: ServerFactory) -> None:
    server = await start_server(dependencies_claims=["email"], session_state_claims=["preferences"])
    await server.agent_os.GetConfig(CONFIG, metadata=auth("config:read"))
    assert dict(server.last.dependencies) == {} and dict(server.last.session_state) == {}
    assert server.last.session_id is None


async def test_streaming_handlers_keep_their_own_context(start_server: ServerFactory) -> None:
    """Two users watch at once; every event reports the user its own handler saw."""
    server = await start_server()
    watch = run_service_pb2.WatchRunRequest(run_id="run-1")  # owned by u1
    admin = auth("agent_os:admin", sub="ops")
    owner = auth("agents:a1:run", sub="u1")

    async def collect(metadata: tuple[tuple[str, str], ...]) -> list[str]:
        return [event.user_id async for event in server.runs.WatchRun(watch, metadata=metadata)]

    results = await asyncio.gather(*(collect(m) for m in (admin, owner, admin, owner)))
    assert results == [["ops"] * 3, ["u1"] * 3, ["ops"] * 3, ["u1"] * 3]


async def test_handler_writing_through_the_context_sees_it(start_server: ServerFactory) -> None:
    server = await start_server()
    request = run_service_pb2.StreamRunRequest(agent_id="a2", message="hi")
    events = [e async for e in server.runs.StreamRun(request, metadata=auth("agents:a2:run", sub="u8"))]
    assert [(e.sequence, e.user_id) for e in events] == [(1, "u8"), (2, "u8")]
    assert server.last.target == Target("agents", "a2")


async def test_client_streaming_handler_sees_the_context(start_server: ServerFactory) -> None:
    server = await start_server()
    parts = [
        knowledge_pb2.UploadContentRequest(header=knowledge_pb2.UploadContentHeader(name="doc")),
        knowledge_pb2.UploadContentRequest(chunk=b"12345"),
        knowledge_pb2.UploadContentRequest(chunk=b"678"),
    ]
    response = await server.knowledge.UploadContent(iter(parts), metadata=auth("knowledge:write", sub="u5"))
    assert response.content.content_id == "u5:8"
    error = await call_error(server.knowledge.UploadContent(iter(parts), metadata=auth("knowledge:read")))
    assert error.metadata["required_scopes"] == "knowledge:write"


async def test_bidirectional_handler_sees_the_context(start_server: ServerFactory) -> None:
    server = await start_server(scope_mappings={"/test.Echo/Chat": []})
    replies = [r async for r in server.echo()(iter([b"a", b"b"]), metadata=auth(sub="u7"))]
    assert replies == [b"a|u7", b"b|u7"]


async def test_context_does_not_leak_out_of_a_call(start_server: ServerFactory) -> None:
    server = await start_server()
    await server.agent_os.GetConfig(CONFIG, metadata=auth("config:read"))
    assert server.last.authenticated
    outside = current_auth()
    assert not outside.authenticated and outside.is_admin and not outside.authorization_enabled


# -- per-user isolation through the server ----------------------------------------------------------


async def test_non_admin_runs_as_the_token_user(start_server: ServerFactory) -> None:
    server = await start_server()
    request = run_service_pb2.CreateRunRequest(agent_id="a1", message="hi")
    response = await server.runs.CreateRun(request, metadata=auth("agents:a1:run", sub="u1"))
    assert response.run.user_id == "u1"
    request.user_id = "u1"
    response = await server.runs.CreateRun(request, metadata=auth("agents:a1:run", sub="u1"))
    assert response.run.user_id == "u1"

    request.user_id = "someone-else"
    error = await call_error(server.runs.CreateRun(request, metadata=auth("agents:a1:run", sub="u1")))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED
    assert "someone-else" in error.message


async def test_admin_may_act_for_any_user(start_server: ServerFactory) -> None:
    server = await start_server()
    request = run_service_pb2.CreateRunRequest(agent_id="a1", message="hi", user_id="customer-4")
    response = await server.runs.CreateRun(request, metadata=auth("agent_os:admin", sub="ops"))
    assert response.run.user_id == "customer-4"


async def test_without_rbac_isolation_still_applies(start_server: ServerFactory) -> None:
    """RBAC off means any valid token may call any RPC, not that it may act for anyone."""
    server = await start_server(authorization=False)
    request = run_service_pb2.CreateRunRequest(agent_id="a1", message="hi", user_id="u2")
    error = await call_error(server.runs.CreateRun(request, metadata=auth(sub="u1")))
    assert error.code == grpc.StatusCode.PERMISSION_DENIED


# -- AuthContext rules ------------------------------------------------------------------------------


def user(*scopes: str, user_id: str | None = "u1", rbac: bool = True) -> AuthContext:
    return AuthContext(
        authenticated=True,
        authorization_enabled=rbac,
        is_admin="agent_os:admin" in scopes,
        user_id=user_id,
        scopes=scopes,
    )


def test_effective_user_id_for_a_non_admin() -> None:
    caller = user("sessions:read")
    assert caller.effective_user_id(None) == "u1"
    assert caller.effective_user_id("") == "u1"
    assert caller.effective_user_id("u1") == "u1"
    assert caller.effective_user_id(None, default_to_caller=False) == "u1"
    with pytest.raises(PermissionDeniedError) as denied:
        caller.effective_user_id("u2")
    assert denied.value.code == grpc.StatusCode.PERMISSION_DENIED
    assert denied.value.metadata["user_id"] == "u2"


def test_effective_user_id_for_a_token_without_a_user() -> None:
    anonymous = user("sessions:read", user_id=None)
    assert anonymous.effective_user_id(None) is None
    with pytest.raises(PermissionDeniedError):
        anonymous.effective_user_id("u1")


def test_effective_user_id_for_an_admin() -> None:
    admin = user("agent_os:admin", user_id="ops")
    assert admin.effective_user_id("u2") == "u2"
    assert admin.effective_user_id(None) == "ops"
    assert admin.effective_user_id("", default_to_caller=False) is None


def test_effective_user_id_without_auth_uses_the_request() -> None:
    disabled = AuthContext.disabled()
    assert disabled.effective_user_id("u2") == "u2"
    assert disabled.effective_user_id(None) is None
    assert effective_user_id("u3") == "u3"  # no call in progress: the disabled context


def test_the_module_level_helpers_follow_the_current_context() -> None:
    token = set_current_auth(user("sessions:read"))
    try:
        assert current_auth().user_id == "u1"
        with pytest.raises(PermissionDeniedError):
            effective_user_id("u2")
    finally:
        reset_current_auth(token)
    assert current_auth().is_admin


def test_can_resolves_scopes_against_a_target() -> None:
    caller = user("agents:run", "sessions:write", "custom:thing")
    assert caller.can("agents:run", Target("agents", "a9"))
    assert caller.can("agents:a9:run") and caller.can("agents:*:run")
    assert caller.can("custom:thing") and not caller.can("custom:other")
    assert not caller.can("sessions:read")  # write does not imply read
    one = user("agents:a1:run")
    assert one.can("agents:read", Target("agents", "a1"))  # run implies read
    assert not one.can("agents:read", Target("agents", "a2"))
    assert not one.can("agents:read")  # not every agent
    with pytest.raises(PermissionDeniedError) as denied:
        one.require("agents:run", Target("agents", "a2"))
    assert denied.value.required_scopes == ("agents:a2:run",)


def test_accessible_resource_ids() -> None:
    assert user("agents:a1:read", "agents:a2:run").accessible_resource_ids("agents") == {"a1", "a2"}
    assert user("agents:a1:read").accessible_resource_ids("agents", "run") == frozenset()
    assert user("teams:*:run").accessible_resource_ids("teams") == {"*"}
    assert user("agent_os:admin").accessible_resource_ids("workflows") == {"*"}
    assert user(rbac=False).accessible_resource_ids("agents") == {"*"}
    assert user("teams:read").accessible_resource_ids("agents") == frozenset()


def test_authorize_run_rules() -> None:
    runner = user("agents:a1:run")
    runner.authorize_run(agent_id="a1", user_id="u1", action="run")
    with pytest.raises(PermissionDeniedError, match="agents:a2:run"):
        runner.authorize_run(agent_id="a2", user_id="u1", action="run")
    with pytest.raises(PermissionDeniedError, match="another user"):
        runner.authorize_run(agent_id="a1", user_id="u2", action="run")
    runner.authorize_run(agent_id="a1", user_id="u2", action="run", check_owner=False)
    reader = user("sessions:read")
    reader.authorize_run(team_id="t1", user_id="u1", action="read")
    with pytest.raises(PermissionDeniedError, match="teams:t1:run"):
        reader.authorize_run(team_id="t1", user_id="u1", action="run")
    user("agent_os:admin", user_id="ops").authorize_run(workflow_id="w1", user_id="u5", action="run")
