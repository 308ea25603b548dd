"""One OpenAPI operation per HTTP binding, following the transcoder's mapping rules.

- Path variables are path parameters, named after their field (``run_id``; ``session_id`` for
  ``session.session_id``, whose full path is in ``x-field-path``).
- ``body: "*"``: every field not bound by the path is in the JSON body; there are no query
  parameters.
- A field bound by the path that belongs to a oneof takes the oneof: its siblings are left out
  of the body and the query (the transcoder refuses a second member of a set oneof).
- ``body: "field"``: that field is the body; every other field not bound by the path is a query
  parameter.
- no body: every field not bound by the path is a query parameter.
- Query parameters are the leaf fields of the request: nested message fields as dotted names
  (``a.b``), repeated scalars as a repeated parameter (``?states=A&states=B``). Maps, repeated
  messages and JSON-valued well-known types (Struct, Value, Any) cannot be written in a query
  string and are left out.
- Client-streaming RPCs take a JSON array of request messages; server-streaming RPCs answer
  with Server-Sent Events whose ``data`` is one response message in JSON.
"""

from __future__ import annotations

from typing import Any

from agentos.os._openapi._bindings import HttpBinding
from agentos.os._openapi._descriptors import MessageInfo
from agentos.os._openapi._schemas import (
    COMPONENT_PREFIX,
    QUERY_SCALAR_WELL_KNOWN,
    STATUS_COMPONENT,
    FieldProto,
    JSONDict,
    SchemaBuilder,
    is_repeated,
    lower_camel,
)

# How deep nested request messages are flattened into dotted query parameters.
MAX_QUERY_DEPTH = 3

ERROR_DESCRIPTION = (
    "An error, as a google.rpc.Status. The gRPC status code decides the HTTP status: "
    "INVALID_ARGUMENT, FAILED_PRECONDITION and OUT_OF_RANGE are 400, UNAUTHENTICATED 401, "
    "PERMISSION_DENIED 403, NOT_FOUND 404, ALREADY_EXISTS and ABORTED 409, RESOURCE_EXHAUSTED "
    "429, CANCELLED 499, UNIMPLEMENTED 501, UNAVAILABLE 503, DEADLINE_EXCEEDED 504, others 500. "
    "Requests the gateway cannot read (malformed JSON, a value of the wrong type, an unknown query "
    "parameter) are 400 INVALID_ARGUMENT; an unknown path is 404 NOT_FOUND."
)

SSE_DESCRIPTION = (
    "A stream of Server-Sent Events, one per {name}: a `data:` line with the message in JSON, then "
    "a blank line. The stream ends with the run's terminal event (completed, paused, cancelled or "
    "error): HTTP/1.1 clients never see gRPC trailers, so the outcome is always in-band."
)


def sse_event_schema(data: JSONDict, name: str) -> JSONDict:
    """The schema of one server-sent event whose ``data`` field is a JSON message.

    For ``text/event-stream`` before OpenAPI 3.2 (which adds ``itemSchema``), ``schema``
    describes each event of the stream as an object of its fields (``data``, ``event``, ``id``,
    ``retry``); ``contentMediaType`` and ``contentSchema`` say that ``data`` holds JSON and which.
    Tools that read 3.2's ``itemSchema`` read this the same way.
    """
    return {
        "type": "object",
        "description": f"One server-sent event; its `data` is a {name} in JSON.",
        "properties": {
            "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": data},
            "event": {"type": "string"},
            "id": {"type": "string"},
            "retry": {"type": "integer", "minimum": 0},
        },
        "required": ["data"],
    }


class OperationBuilder:
    """Turns HTTP bindings into OpenAPI operation objects, adding components as it goes."""

    def __init__(self, schemas: SchemaBuilder, *, query_json_names: bool = True) -> None:
        self.schemas = schemas
        self.query_json_names = query_json_names

    def build(self, binding: HttpBinding) -> JSONDict:
        method = binding.method
        request = self.schemas.index.message(method.proto.input_type)
        bound = self._with_oneof_siblings(request, {v.field_path for v in binding.variables})
        summary, description = _split_comment(method.comment)
        operation: JSONDict = {
            "operationId": binding.operation_id,
            "tags": [method.service_short_name],
            "summary": summary or method.name,
        }
        if description:
            operation["description"] = description
        names = binding.parameter_names
        parameters = [
            self._path_parameter(request, v.field_path, names[v.field_path], v.pattern)
            for v in binding.variables
        ]
        if binding.body != "*":
            skip = bound | ({binding.body} if binding.body else set())
            parameters += self._query_parameters(
                request, skip, prefix="", depth=0, seen=frozenset({request.full_name})
            )
        if parameters:
            operation["parameters"] = parameters
        if binding.body:
            operation["requestBody"] = self._request_body(request, binding, bound)
        operation["responses"] = self._responses(binding)
        operation["x-grpc-method"] = binding.grpc_path
        if method.proto.server_streaming or method.proto.client_streaming:
            operation["x-grpc-streaming"] = {
                "client": method.proto.client_streaming,
                "server": method.proto.server_streaming,
            }
        return operation

    # ----- parameters --------------------------------------------------------------------------

    def _path_parameter(self, request: MessageInfo, field_path: str, name: str, pattern: str) -> JSONDict:
        field, owner = self._resolve(request, field_path)
        schema = self.schemas.single_schema(field)
        description = owner.field_comments.get(field.name, "")
        if field_path != name:
            description = f"{description}\n\nThe request field `{field_path}`.".strip()
        if pattern not in ("*", ""):
            description = f"{description}\n\nPath pattern: `{pattern}`.".strip()
        parameter: JSONDict = {"name": name, "in": "path", "required": True, "schema": schema}
        if description:
            parameter["description"] = description
        parameter["x-field-path"] = field_path
        return parameter

    def _query_parameters(
        self, message: MessageInfo, skip: set[str], *, prefix: str, depth: int, seen: frozenset[str]
    ) -> list[JSONDict]:
        parameters: list[JSONDict] = []
        for field in message.proto.field:
            path = prefix + field.name
            if path in skip:
                continue
            name = self._query_name(prefix, field)
            description = message.field_comments.get(field.name, "")
            if field.type == FieldProto.TYPE_MESSAGE:
                type_name = field.type_name.lstrip(".")
                if self.schemas.map_entry(field) is not None:
                    continue
                if self.schemas.is_well_known(type_name):
                    if type_name not in QUERY_SCALAR_WELL_KNOWN:
                        continue
                    parameters.append(self._query_parameter(name, field, description))
                    continue
                if is_repeated(field) or depth + 1 >= MAX_QUERY_DEPTH or type_name in seen:
                    continue
                nested = self.schemas.index.message(type_name)
                parameters += self._query_parameters(
                    nested, skip, prefix=f"{path}.", depth=depth + 1, seen=seen | {type_name}
                )
                continue
            parameters.append(self._query_parameter(name, field, description))
        return parameters

    def _query_name(self, prefix: str, field: FieldProto) -> str:
        if not self.query_json_names:
            return prefix + field.name
        parts = [lower_camel(p) for p in prefix.split(".") if p]
        return ".".join([*parts, field.json_name or lower_camel(field.name)])

    def _query_parameter(self, name: str, field: FieldProto, description: str) -> JSONDict:
        schema = self.schemas.field_schema(field)
        parameter: JSONDict = {"name": name, "in": "query", "required": False, "schema": schema}
        if is_repeated(field):
            parameter["style"] = "form"
            parameter["explode"] = True
        if description:
            parameter["description"] = description
        return parameter

    def _with_oneof_siblings(self, request: MessageInfo, bound: set[str]) -> set[str]:
        """``bound`` plus the other members of every (real) oneof that a bound field is part of."""
        out = set(bound)
        for path in bound:
            field, owner = self._resolve(request, path)
            if not field.HasField("oneof_index") or field.proto3_optional:
                continue
            prefix = path[: -len(field.name)]
            out.update(
                prefix + f.name
                for f in owner.proto.field
                if f.HasField("oneof_index") and f.oneof_index == field.oneof_index
            )
        return out

    def _resolve(self, request: MessageInfo, field_path: str) -> tuple[FieldProto, MessageInfo]:
        """The field a dotted path names, and the message declaring it."""
        owner = request
        parts = field_path.split(".")
        for i, part in enumerate(parts):
            match = next((f for f in owner.proto.field if f.name == part), None)
            if match is None:
                raise ValueError(f"{request.full_name} has no field {field_path!r} (bound in an HTTP path)")
            if i == len(parts) - 1:
                return match, owner
            owner = self.schemas.index.message(match.type_name)
        raise ValueError(f"empty field path in an HTTP binding of {request.full_name}")

    # ----- bodies ------------------------------------------------------------------------------

    def _request_body(self, request: MessageInfo, binding: HttpBinding, bound: set[str]) -> JSONDict:
        if binding.body == "*":
            top_level = frozenset(p for p in bound if "." not in p)
            schema: JSONDict = self.schemas.message_schema(request, exclude=top_level)
            description = "The request message, less the fields bound to the path."
        else:
            field, _ = self._resolve(request, binding.body)
            prefix = f"{binding.body}."
            nested_bound = frozenset(
                p[len(prefix) :] for p in bound if p.startswith(prefix) and "." not in p[len(prefix) :]
            )
            if field.type == FieldProto.TYPE_MESSAGE and nested_bound and not is_repeated(field):
                schema = self.schemas.message_schema(
                    self.schemas.index.message(field.type_name), exclude=nested_bound
                )
            else:
                schema = self.schemas.field_schema(field)
            description = (
                request.field_comments.get(field.name, "") or f"The `{binding.body}` field of the request."
            )
        if binding.method.proto.client_streaming:
            schema = {"type": "array", "items": schema}
            description = f"A JSON array of request messages, sent to the RPC as a stream. {description}"
        return {
            "required": False,
            "description": description,
            "content": {"application/json": {"schema": schema}},
        }

    def _responses(self, binding: HttpBinding) -> dict[str, Any]:
        method = binding.method
        response = self.schemas.index.message(method.proto.output_type)
        if binding.response_body:
            field, _ = self._resolve(response, binding.response_body)
            schema = self.schemas.field_schema(field)
            description = response.field_comments.get(field.name, "") or "The response."
        else:
            schema = self.schemas.type_schema(method.proto.output_type)
            description = response.comment or "The response."
        if method.proto.server_streaming:
            name = response.full_name.rsplit(".", 1)[-1]
            ok: JSONDict = {
                "description": SSE_DESCRIPTION.format(name=name),
                "content": {"text/event-stream": {"schema": sse_event_schema(schema, name)}},
            }
        else:
            ok = {"description": description, "content": {"application/json": {"schema": schema}}}
        error: JSONDict = {
            "description": ERROR_DESCRIPTION,
            "content": {"application/json": {"schema": {"$ref": COMPONENT_PREFIX + STATUS_COMPONENT}}},
        }
        return {"200": ok, "default": error}


def _split_comment(comment: str) -> tuple[str, str]:
    """A summary (the first sentence) and the full text as the description."""
    if not comment:
        return "", ""
    flat = " ".join(comment.split())
    end = flat.find(". ")
    summary = flat if end < 0 else flat[: end + 1]
    return summary, comment
