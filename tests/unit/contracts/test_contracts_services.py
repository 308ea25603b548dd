"""The service surface of agentos.v1: every RPC exists with the right streaming kind and REST binding.

The tables below are the public interface (DESIGN.md §4). Changing them is an API change, so
the test pins them: adding an RPC means adding it here too.
"""

from __future__ import annotations

import re

import pytest
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
from google.api import annotations_pb2, http_pb2
from google.protobuf import descriptor

UNARY = "unary"
SERVER_STREAM = "server_streaming"
CLIENT_STREAM = "client_streaming"

# service -> rpc -> (streaming kind, primary HTTP verb, primary path, extra bindings)
SERVICES: dict[str, dict[str, tuple[str, str, str, tuple[tuple[str, str], ...]]]] = {
    "AgentOSService": {
        "GetConfig": (UNARY, "get", "/v1/config", ()),
        "ListAgents": (UNARY, "get", "/v1/agents", ()),
        "GetAgent": (UNARY, "get", "/v1/agents/{agent_id}", ()),
        "ListTeams": (UNARY, "get", "/v1/teams", ()),
        "GetTeam": (UNARY, "get", "/v1/teams/{team_id}", ()),
        "ListWorkflows": (UNARY, "get", "/v1/workflows", ()),
        "GetWorkflow": (UNARY, "get", "/v1/workflows/{workflow_id}", ()),
    },
    "RunService": {
        "CreateRun": (
            UNARY,
            "post",
            "/v1/agents/{agent_id}/runs",
            (("post", "/v1/teams/{team_id}/runs"), ("post", "/v1/workflows/{workflow_id}/runs")),
        ),
        "StreamRun": (
            SERVER_STREAM,
            "post",
            "/v1/agents/{agent_id}/runs:stream",
            (
                ("post", "/v1/teams/{team_id}/runs:stream"),
                ("post", "/v1/workflows/{workflow_id}/runs:stream"),
            ),
        ),
        "ContinueRun": (UNARY, "post", "/v1/runs/{run_id}:continue", ()),
        "StreamContinueRun": (SERVER_STREAM, "post", "/v1/runs/{run_id}:streamContinue", ()),
        "CancelRun": (UNARY, "post", "/v1/runs/{run_id}:cancel", ()),
        "GetRun": (UNARY, "get", "/v1/runs/{run_id}", ()),
        "ListRuns": (UNARY, "get", "/v1/runs", (("get", "/v1/sessions/{session_id}/runs"),)),
        "WatchRun": (SERVER_STREAM, "get", "/v1/runs/{run_id}:watch", ()),
    },
    "SessionService": {
        "CreateSession": (UNARY, "post", "/v1/sessions", ()),
        "GetSession": (UNARY, "get", "/v1/sessions/{session_id}", ()),
        "ListSessions": (UNARY, "get", "/v1/sessions", ()),
        "UpdateSession": (UNARY, "patch", "/v1/sessions/{session.session_id}", ()),
        "DeleteSession": (UNARY, "delete", "/v1/sessions/{session_id}", ()),
        "BatchDeleteSessions": (UNARY, "post", "/v1/sessions:batchDelete", ()),
    },
    "MemoryService": {
        "CreateMemory": (UNARY, "post", "/v1/memories", ()),
        "GetMemory": (UNARY, "get", "/v1/memories/{memory_id}", ()),
        "ListMemories": (UNARY, "get", "/v1/memories", ()),
        "UpdateMemory": (UNARY, "patch", "/v1/memories/{memory.memory_id}", ()),
        "DeleteMemory": (UNARY, "delete", "/v1/memories/{memory_id}", ()),
        "BatchDeleteMemories": (UNARY, "post", "/v1/memories:batchDelete", ()),
        "ListMemoryTopics": (UNARY, "get", "/v1/memoryTopics", ()),
        "GetUserMemoryStats": (UNARY, "get", "/v1/memories:userStats", ()),
    },
    "KnowledgeService": {
        "CreateContent": (UNARY, "post", "/v1/knowledge/contents", ()),
        "UploadContent": (CLIENT_STREAM, "post", "/v1/knowledge/contents:upload", ()),
        "GetContent": (UNARY, "get", "/v1/knowledge/contents/{content_id}", ()),
        "ListContents": (UNARY, "get", "/v1/knowledge/contents", ()),
        "UpdateContent": (UNARY, "patch", "/v1/knowledge/contents/{content.content_id}", ()),
        "DeleteContent": (UNARY, "delete", "/v1/knowledge/contents/{content_id}", ()),
        "SearchKnowledge": (UNARY, "post", "/v1/knowledge:search", ()),
        "GetKnowledgeConfig": (UNARY, "get", "/v1/knowledge/config", ()),
    },
    "TraceService": {
        "ListTraces": (UNARY, "get", "/v1/traces", ()),
        "GetTrace": (UNARY, "get", "/v1/traces/{trace_id}", ()),
    },
    "MetricsService": {
        "GetMetrics": (UNARY, "get", "/v1/metrics", ()),
        "RefreshMetrics": (UNARY, "post", "/v1/metrics:refresh", ()),
    },
    "EvalService": {
        "CreateEvalRun": (UNARY, "post", "/v1/evalRuns", ()),
        "GetEvalRun": (UNARY, "get", "/v1/evalRuns/{eval_run_id}", ()),
        "ListEvalRuns": (UNARY, "get", "/v1/evalRuns", ()),
        "UpdateEvalRun": (UNARY, "patch", "/v1/evalRuns/{eval_run.eval_run_id}", ()),
        "DeleteEvalRuns": (UNARY, "post", "/v1/evalRuns:batchDelete", ()),
    },
}

SERVICE_MODULES = {
    "AgentOSService": agent_os_pb2,
    "RunService": run_service_pb2,
    "SessionService": sessions_pb2,
    "MemoryService": memories_pb2,
    "KnowledgeService": knowledge_pb2,
    "TraceService": traces_pb2,
    "MetricsService": metrics_pb2,
    "EvalService": evals_pb2,
}

# The streaming run RPCs send RunEvent itself, so every SSE message over REST is one event.
STREAMS_RUN_EVENT = {"StreamRun", "StreamContinueRun", "WatchRun"}

ALL_RPCS = [(service, rpc) for service, rpcs in SERVICES.items() for rpc in rpcs]


def _is_repeated(field: descriptor.FieldDescriptor) -> bool:
    # FieldDescriptor.label is gone in protobuf 7; is_repeated is missing from older releases.
    if hasattr(field, "is_repeated"):
        return bool(field.is_repeated)
    return bool(field.label == field.LABEL_REPEATED)


def _service(name: str) -> descriptor.ServiceDescriptor:
    return SERVICE_MODULES[name].DESCRIPTOR.services_by_name[name]


def _method(service: str, rpc: str) -> descriptor.MethodDescriptor:
    return _service(service).methods_by_name[rpc]


def _http_rule(method: descriptor.MethodDescriptor) -> http_pb2.HttpRule:
    options = method.GetOptions()
    assert options.HasExtension(annotations_pb2.http), f"{method.full_name} has no google.api.http"
    return options.Extensions[annotations_pb2.http]


def _bindings(rule: http_pb2.HttpRule) -> list[tuple[str, str, str]]:
    """(verb, path, body) of the rule and its additional bindings."""
    out = []
    for r in [rule, *rule.additional_bindings]:
        verb = r.WhichOneof("pattern")
        assert verb is not None and verb != "custom", r
        out.append((verb, getattr(r, verb), r.body))
    return out


def test_services_have_exactly_the_listed_rpcs() -> None:
    for service, rpcs in SERVICES.items():
        desc = _service(service)
        assert desc.full_name == f"agentos.v1.{service}"
        assert set(desc.methods_by_name) == set(rpcs), service


@pytest.mark.parametrize(("service", "rpc"), ALL_RPCS)
def test_rpc_streaming_kind(service: str, rpc: str) -> None:
    kind = SERVICES[service][rpc][0]
    method = _method(service, rpc)
    assert method.client_streaming == (kind == CLIENT_STREAM)
    assert method.server_streaming == (kind == SERVER_STREAM)


@pytest.mark.parametrize(("service", "rpc"), ALL_RPCS)
def test_rpc_message_names(service: str, rpc: str) -> None:
    method = _method(service, rpc)
    assert method.input_type.full_name == f"agentos.v1.{rpc}Request"
    if rpc in STREAMS_RUN_EVENT:
        assert method.output_type.full_name == "agentos.v1.RunEvent"
    else:
        assert method.output_type.full_name == f"agentos.v1.{rpc}Response"


@pytest.mark.parametrize(("service", "rpc"), ALL_RPCS)
def test_rpc_http_binding(service: str, rpc: str) -> None:
    _, verb, path, extra = SERVICES[service][rpc]
    bindings = _bindings(_http_rule(_method(service, rpc)))
    assert [(v, p) for v, p, _ in bindings] == [(verb, path), *extra]


def _resolve(message: descriptor.Descriptor, dotted: str) -> descriptor.FieldDescriptor:
    field = None
    for part in dotted.split("."):
        assert message is not None, dotted
        field = message.fields_by_name.get(part)
        assert field is not None, f"{message.full_name} has no field {part!r}"
        message = field.message_type
    assert field is not None
    return field


@pytest.mark.parametrize(("service", "rpc"), ALL_RPCS)
def test_http_binding_fields_exist(service: str, rpc: str) -> None:
    method = _method(service, rpc)
    for verb, path, body in _bindings(_http_rule(method)):
        for var in re.findall(r"{([^}=]+)(?:=[^}]*)?}", path):
            field = _resolve(method.input_type, var)
            assert field.type == descriptor.FieldDescriptor.TYPE_STRING, var
            assert not _is_repeated(field), var
        if verb in ("get", "delete"):
            assert body == "", f"{rpc}: {verb} must not have a body"
        else:
            assert body == "*" or body in method.input_type.fields_by_name, body


def test_http_bindings_are_unique() -> None:
    seen: dict[tuple[str, str], str] = {}
    for service, rpc in ALL_RPCS:
        for verb, path, _ in _bindings(_http_rule(_method(service, rpc))):
            template = re.sub(r"{[^}]+}", "{}", path)
            key = (verb, template)
            assert key not in seen, f"{rpc} and {seen[key]} both bind {verb.upper()} {path}"
            seen[key] = rpc
