"""The OpenAPI 3.1 document of the REST API, generated from the contract's descriptor set.

The document is derived, never written by hand: the protos (their ``google.api.http`` bindings
and comments) are the single source of truth, so the REST description cannot drift from what
the gRPC-JSON transcoder serves.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from agentos.os._openapi._bindings import HttpBinding, bindings_of
from agentos.os._openapi._descriptors import ProtoIndex
from agentos.os._openapi._operations import OperationBuilder
from agentos.os._openapi._schemas import STATUS_COMPONENT, STATUS_SCHEMA, JSONDict, SchemaBuilder

OPENAPI_VERSION = "3.1.0"
BEARER_SCHEME = "bearerAuth"
OPENAPI_METHODS = frozenset({"get", "put", "post", "delete", "options", "head", "patch", "trace"})
# How the services are listed (discovery and runs first); others follow in descriptor order.
SERVICE_ORDER = (
    "AgentOSService",
    "RunService",
    "SessionService",
    "MemoryService",
    "KnowledgeService",
    "TraceService",
    "MetricsService",
    "EvalService",
)

_DESCRIPTION = """\
The REST face of AgentOS: every RPC of the gRPC API, transcoded to JSON by the gateway \
(proto3 JSON mapping: lowerCamelCase field names, 64-bit integers as strings, enums by name, \
well-known types in their JSON forms).

Streaming RPCs (`runs:stream`, `:streamContinue`, `:watch`) answer with Server-Sent Events: \
one `data:` line per event, in the same JSON. Read them with `fetch` and a stream reader \
(`EventSource` cannot POST).

Errors are `google.rpc.Status` objects with the HTTP status that matches the gRPC code.
"""


@dataclass(frozen=True)
class OpenAPIOptions:
    """What the generated document says about the deployment it describes.

    ``json_names`` must match the gateway's printing (the transcoder's
    ``preserve_proto_field_names`` off means lowerCamelCase). ``auth_required`` says whether a
    bearer token is mandatory (AgentOS with ``authorization=True``) or may be sent.
    """

    title: str = "AgentOS REST API"
    version: str = "v1"
    description: str = _DESCRIPTION
    server_url: str = "/"
    json_names: bool = True
    query_json_names: bool = True
    auth_required: bool = False
    service_order: tuple[str, ...] = SERVICE_ORDER


def http_bindings(index: ProtoIndex) -> list[HttpBinding]:
    """Every HTTP binding of every RPC in the index, in declaration order."""
    return [binding for method in index.methods() for binding in bindings_of(method)]


def _ordered(bindings: list[HttpBinding], service_order: tuple[str, ...]) -> list[HttpBinding]:
    rank = {name: i for i, name in enumerate(service_order)}
    return sorted(bindings, key=lambda b: rank.get(b.method.service_short_name, len(rank)))


def build_openapi(
    options: OpenAPIOptions | None = None,
    *,
    index: ProtoIndex | None = None,
    descriptor_set: Path | None = None,
) -> JSONDict:
    """Builds the document (a JSON-ready dict) from a descriptor set (by default the generated one)."""
    options = options or OpenAPIOptions()
    if index is None:
        index = ProtoIndex.from_file(descriptor_set)
    schemas = SchemaBuilder(index, json_names=options.json_names)
    operations = OperationBuilder(schemas, query_json_names=options.query_json_names)

    paths: dict[str, JSONDict] = {}
    used_services: list[str] = []
    for binding in _ordered(http_bindings(index), options.service_order):
        item = paths.setdefault(binding.openapi_path, {})
        # OpenAPI has a fixed set of methods; a custom HTTP method (HttpRule.custom) is kept
        # under an extension so that it is still documented.
        slot = item if binding.http_method in OPENAPI_METHODS else item.setdefault("x-custom-methods", {})
        key = binding.http_method if slot is item else binding.http_method.upper()
        if key in slot:
            other = slot[key]["x-grpc-method"]
            raise ValueError(
                f"{binding.http_method.upper()} {binding.openapi_path} is bound twice: "
                f"by {other} and by {binding.grpc_path}"
            )
        slot[key] = operations.build(binding)
        if binding.method.service_short_name not in used_services:
            used_services.append(binding.method.service_short_name)

    services = {s.name: s for s in index.services}
    tags = [{"name": name, "description": services[name].comment} for name in used_services]
    components_schemas = {STATUS_COMPONENT: STATUS_SCHEMA, **dict(sorted(schemas.components.items()))}
    # An empty requirement makes the token optional (AgentOS without authorization ignores it).
    security: list[dict[str, list[str]]] = [{BEARER_SCHEME: []}]
    if not options.auth_required:
        security.append({})
    return {
        "openapi": OPENAPI_VERSION,
        "info": {"title": options.title, "version": options.version, "description": options.description},
        "servers": [{"url": options.server_url}],
        "tags": tags,
        "security": security,
        "paths": paths,
        "components": {
            "schemas": components_schemas,
            "securitySchemes": {
                BEARER_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "bearerFormat": "JWT",
                    "description": "A JWT signed with the AgentOS key; its scopes decide what it may do.",
                }
            },
        },
    }


def openapi_json(
    options: OpenAPIOptions | None = None, *, descriptor_set: Path | None = None, indent: int | None = None
) -> str:
    """The document as JSON text (compact unless ``indent``); the same descriptor set always
    gives the same bytes, so the served file can be cached and diffed."""
    document = build_openapi(options, descriptor_set=descriptor_set)
    if indent is None:
        return json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n"
    return json.dumps(document, indent=indent, ensure_ascii=False) + "\n"
