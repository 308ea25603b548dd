"""The generated OpenAPI document of the REST API: valid OpenAPI 3.1, every HTTP binding of the
contract present with the transcoder's parameter and body rules, proto3 JSON schemas, comments
as descriptions, and the static site written for the gateway."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from agentos.os._openapi import (
    CHAT_PATH,
    DOCS_PATH,
    OPENAPI_PATH,
    OpenAPIOptions,
    ProtoIndex,
    build_openapi,
    openapi_json,
    page,
    write_static_site,
)
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
from google.api import annotations_pb2
from openapi_spec_validator import validate

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
VERBS = ("get", "put", "post", "delete", "patch")


@pytest.fixture(scope="module")
def doc() -> dict[str, Any]:
    return build_openapi()


def operation(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    op: dict[str, Any] = doc["paths"][path][method]
    return op


def body_schema(op: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = op["requestBody"]["content"]["application/json"]["schema"]
    return schema


def params(op: dict[str, Any], where: str) -> dict[str, dict[str, Any]]:
    return {p["name"]: p for p in op.get("parameters", []) if p["in"] == where}


def component(doc: dict[str, Any], name: str) -> dict[str, Any]:
    schema: dict[str, Any] = doc["components"]["schemas"][name]
    return schema


def walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def grpc_bindings() -> list[tuple[str, str, str]]:
    """(grpc path, HTTP method, path template) of every binding, read from the generated stubs:
    an independent view of the contract (the runtime descriptors, not the descriptor set)."""
    out = []
    for module in SERVICE_MODULES:
        for service in module.DESCRIPTOR.services_by_name.values():
            for method in service.methods:
                rule = method.GetOptions().Extensions[annotations_pb2.http]
                for r in [rule, *rule.additional_bindings]:
                    verb = r.WhichOneof("pattern")
                    assert verb in VERBS, f"{service.name}.{method.name} has no HTTP binding"
                    out.append((f"/{service.full_name}/{method.name}", verb, getattr(r, verb)))
    return out


def test_document_is_valid_openapi_3_1(doc: dict[str, Any]) -> None:
    assert doc["openapi"] == "3.1.0"
    validate(doc)  # raises OpenAPIValidationError with the offending location


def test_every_rpc_binding_is_an_operation(doc: dict[str, Any]) -> None:
    bindings = grpc_bindings()
    assert len(bindings) > 40
    seen = set()
    for grpc_path, verb, template in bindings:
        # {session.session_id} is documented as {session_id} (dots confuse OpenAPI tools).
        openapi_path = re.sub(r"\{(?:[^}=]*\.)?([^}.=]+)(=[^}]*)?\}", r"{\1}", template)
        op = doc["paths"].get(openapi_path, {}).get(verb)
        assert op is not None, f"{verb.upper()} {template} ({grpc_path}) is missing"
        assert op["x-grpc-method"] == grpc_path
        seen.add((verb, openapi_path))
    documented = {(verb, path) for path, item in doc["paths"].items() for verb in item if verb in VERBS}
    assert documented == seen, "operations without a binding in the contract"
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_every_rpc_of_the_design_is_bound(doc: dict[str, Any]) -> None:
    methods = {op["x-grpc-method"] for item in doc["paths"].values() for op in item.values()}
    expected = {
        "RunService": {"CreateRun", "StreamRun", "ContinueRun", "StreamContinueRun", "CancelRun", "GetRun"}
        | {"ListRuns", "WatchRun"},
        "AgentOSService": {"GetConfig", "ListAgents", "GetAgent", "ListTeams", "GetTeam", "ListWorkflows"}
        | {"GetWorkflow"},
        "SessionService": {"CreateSession", "GetSession", "ListSessions", "UpdateSession", "DeleteSession"}
        | {"BatchDeleteSessions"},
    }
    for service, names in expected.items():
        for name in names:
            assert f"/agentos.v1.{service}/{name}" in methods


def test_every_reference_resolves_and_every_component_is_used(doc: dict[str, Any]) -> None:
    refs = {node["$ref"] for node in walk(doc) if isinstance(node, dict) and "$ref" in node}
    names = set(doc["components"]["schemas"])
    for ref in refs:
        assert ref.startswith("#/components/schemas/"), ref
        assert ref.removeprefix("#/components/schemas/") in names, f"dangling {ref}"
    used = {ref.removeprefix("#/components/schemas/") for ref in refs}
    assert names == used, f"unused components: {sorted(names - used)}"


def test_custom_verbs_and_additional_bindings(doc: dict[str, Any]) -> None:
    cancel = operation(doc, "post", "/v1/runs/{run_id}:cancel")
    assert cancel["x-grpc-method"] == "/agentos.v1.RunService/CancelRun"
    assert set(params(cancel, "path")) == {"run_id"}
    assert "runId" not in body_schema(cancel)["properties"]
    assert "reason" in body_schema(cancel)["properties"]
    ids = {
        operation(doc, "post", f"/v1/{kind}/{{{kind[:-1]}_id}}/runs")["operationId"]
        for kind in ("agents", "teams", "workflows")
    }
    assert ids == {"RunService_CreateRun", "RunService_CreateRun_2", "RunService_CreateRun_3"}
    by_session = operation(doc, "get", "/v1/sessions/{session_id}/runs")
    assert by_session["x-grpc-method"] == "/agentos.v1.RunService/ListRuns"
    assert "sessionId" not in params(by_session, "query")


def test_body_star_leaves_out_path_fields_and_their_oneof(doc: dict[str, Any]) -> None:
    op = operation(doc, "post", "/v1/agents/{agent_id}/runs")
    assert params(op, "path")["agent_id"]["required"] is True
    assert not params(op, "query"), "body '*' leaves nothing for the query string"
    props = body_schema(op)["properties"]
    # agent_id is in the path; team_id and workflow_id share its oneof, so they cannot be sent.
    assert {"agentId", "teamId", "workflowId"}.isdisjoint(props)
    assert {"message", "sessionId", "userId", "sessionState", "streamEvents", "background"} <= set(props)
    assert body_schema(op)["additionalProperties"] is False


def test_body_field_binding_and_update_mask_query(doc: dict[str, Any]) -> None:
    op = operation(doc, "patch", "/v1/sessions/{session_id}")
    assert set(params(op, "path")) == {"session_id"}
    assert params(op, "path")["session_id"]["x-field-path"] == "session.session_id"
    assert set(params(op, "query")) == {"updateMask"}
    assert params(op, "query")["updateMask"]["schema"]["type"] == "string"  # FieldMask
    schema = body_schema(op)
    assert "sessionId" not in schema["properties"], "the path carries the session id"
    assert "sessionName" in schema["properties"]


def test_get_query_parameters_follow_the_transcoder(doc: dict[str, Any]) -> None:
    op = operation(doc, "get", "/v1/runs")
    query = params(op, "query")
    assert {"pageSize", "pageToken", "orderBy", "view", "sessionId", "states", "createdAfter"} <= set(query)
    states = query["states"]
    assert states["schema"]["type"] == "array"
    assert states["explode"] is True and states["style"] == "form"
    assert states["schema"]["items"] == {"$ref": "#/components/schemas/RunState"}
    assert query["createdAfter"]["schema"]["format"] == "date-time"
    assert query["pageSize"]["schema"]["type"] == "integer"
    watch = operation(doc, "get", "/v1/runs/{run_id}:watch")
    assert query_type(watch, "afterSequence") == ("string", "uint64")
    assert "requestBody" not in watch


def query_type(op: dict[str, Any], name: str) -> tuple[str, str]:
    schema = params(op, "query")[name]["schema"]
    return schema["type"], schema["format"]


def test_streaming_rpcs_are_server_sent_events_of_run_events(doc: dict[str, Any]) -> None:
    for method, path in [
        ("post", "/v1/agents/{agent_id}/runs:stream"),
        ("post", "/v1/teams/{team_id}/runs:stream"),
        ("post", "/v1/runs/{run_id}:streamContinue"),
        ("get", "/v1/runs/{run_id}:watch"),
    ]:
        ok = operation(doc, method, path)["responses"]["200"]
        assert list(ok["content"]) == ["text/event-stream"], path
        event = ok["content"]["text/event-stream"]["schema"]
        assert event["required"] == ["data"]
        data = event["properties"]["data"]
        assert data["contentMediaType"] == "application/json"
        assert data["contentSchema"] == {"$ref": "#/components/schemas/RunEvent"}
        assert operation(doc, method, path)["x-grpc-streaming"] == {"client": False, "server": True}
    unary = operation(doc, "post", "/v1/agents/{agent_id}/runs")["responses"]["200"]
    assert unary["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CreateRunResponse"
    }


def test_client_streaming_upload_takes_an_array(doc: dict[str, Any]) -> None:
    op = operation(doc, "post", "/v1/knowledge/contents:upload")
    assert op["x-grpc-streaming"] == {"client": True, "server": False}
    schema = body_schema(op)
    assert schema["type"] == "array"
    assert "chunk" in schema["items"]["properties"]


def test_errors_are_google_rpc_status(doc: dict[str, Any]) -> None:
    status = component(doc, "google.rpc.Status")
    assert set(status["properties"]) == {"code", "message", "details"}
    assert status["properties"]["details"]["items"]["required"] == ["@type"]
    for item in doc["paths"].values():
        for op in item.values():
            error = op["responses"]["default"]["content"]["application/json"]["schema"]
            assert error == {"$ref": "#/components/schemas/google.rpc.Status"}


def test_proto3_json_mapping(doc: dict[str, Any]) -> None:
    metrics = component(doc, "Metrics")["properties"]
    assert metrics["inputTokens"]["type"] == "string" and metrics["inputTokens"]["format"] == "int64"
    event = component(doc, "RunEvent")
    props = event["properties"]
    assert props["sequence"]["format"] == "uint64"
    assert props["createdAt"]["format"] == "date-time"
    assert props["stepIndexPath"] == {**props["stepIndexPath"], "type": "array"}
    assert "runContent" in props and "run_content" not in props, "lowerCamelCase JSON names"
    assert "payload" in event["x-oneofs"] and "runCompleted" in event["x-oneofs"]["payload"]
    state = component(doc, "RunState")
    assert state["type"] == "string" and "RUN_STATE_COMPLETED" in state["enum"]
    run_content = component(doc, "RunContent")["properties"]
    assert "type" not in run_content["content"], "google.protobuf.Value is any JSON"
    assert run_content["modelProviderData"]["type"] == "object"
    image = component(doc, "Image")
    assert image["properties"]["content"]["contentEncoding"] == "base64"
    assert set(image["x-oneofs"]["source"]) >= {"url", "content"}
    detail = component(doc, "ErrorDetail")["properties"]
    assert detail["metadata"] == {**detail["metadata"], "type": "object"}
    assert detail["metadata"]["additionalProperties"] == {"type": "string"}
    # proto3 optional fields are not oneofs.
    tool = component(doc, "ToolExecution")
    assert "x-oneofs" not in tool and "confirmed" in tool["properties"]


def test_well_known_types_are_inlined(doc: dict[str, Any]) -> None:
    assert not [name for name in doc["components"]["schemas"] if name.startswith("google.protobuf.")]
    durations = [
        node
        for node in walk(doc)
        if isinstance(node, dict) and node.get("pattern") == r"^-?[0-9]+(\.[0-9]{1,9})?s$"
    ]
    assert durations, "Duration fields are strings like '1.5s'"


def test_comments_become_descriptions_without_lint_directives(doc: dict[str, Any]) -> None:
    text = json.dumps(doc)
    assert "buf:lint" not in text
    stream = operation(doc, "post", "/v1/agents/{agent_id}/runs:stream")
    assert stream["summary"].startswith("Starts a run and streams its events")
    assert "WatchRun" in stream["description"]
    tags = {t["name"]: t["description"] for t in doc["tags"]}
    assert tags["RunService"].startswith("Runs of agents, teams and workflows")
    message = component(doc, "CreateRunResponse")
    assert message["description"] == "Response of RunService.CreateRun."
    assert (
        "Id of the run" in params(operation(doc, "get", "/v1/runs/{run_id}"), "path")["run_id"]["description"]
    )
    state = component(doc, "RunState")["description"]
    assert "`RUN_STATE_PAUSED`" in state


def test_bearer_jwt_security(doc: dict[str, Any]) -> None:
    scheme = doc["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    assert doc["security"] == [{"bearerAuth": []}, {}], "optional unless authorization is on"
    strict = build_openapi(OpenAPIOptions(auth_required=True))
    assert strict["security"] == [{"bearerAuth": []}]


def test_proto_field_names_option() -> None:
    doc = build_openapi(OpenAPIOptions(json_names=False, query_json_names=False))
    validate(doc)
    assert "run_content" in component(doc, "RunEvent")["properties"]
    assert "page_size" in params(operation(doc, "get", "/v1/runs"), "query")


def test_json_text_is_reproducible() -> None:
    first = openapi_json()
    assert first == openapi_json()
    assert json.loads(first) == build_openapi()
    assert json.loads(openapi_json(indent=2)) == build_openapi()


def test_index_reads_an_explicit_descriptor_set(tmp_path: Path) -> None:
    from agentos.os._openapi import default_descriptor_set_path

    copy = tmp_path / "set.binpb"
    copy.write_bytes(default_descriptor_set_path().read_bytes())
    assert build_openapi(descriptor_set=copy) == build_openapi(index=ProtoIndex.from_file(copy))


def test_static_site_is_written_for_the_gateway(tmp_path: Path) -> None:
    site = write_static_site(tmp_path / "site")
    assert set(site) == {OPENAPI_PATH, DOCS_PATH, CHAT_PATH}
    assert site[OPENAPI_PATH].content_type == "application/json"
    assert json.loads(site[OPENAPI_PATH].file.read_text()) == build_openapi()
    for path in (DOCS_PATH, CHAT_PATH):
        assert site[path].content_type.startswith("text/html")
        assert site[path].file.read_text().startswith("<!doctype html>")


@pytest.mark.parametrize("name", ["docs.html", "chat.html"])
def test_pages_are_self_contained(name: str) -> None:
    html = page(name)
    # Nothing is loaded from elsewhere: no external scripts, styles, fonts or images.
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)=", html, re.I)
    assert not re.search(r"@import|url\(", html)
    assert not re.search(r"https?://", html.split("<script>", 1)[1]), "no absolute URLs in the code"
