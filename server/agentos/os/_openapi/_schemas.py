"""JSON Schemas (OpenAPI 3.1 dialect) for protobuf messages under the proto3 JSON mapping.

The schemas describe what the gRPC-JSON transcoder actually reads and writes: lowerCamelCase
names (the field's ``json_name``), 64-bit integers as decimal strings, enums by name, bytes
as base64, and the well-known types in their special JSON forms (Timestamp as RFC 3339,
Duration as ``"1.5s"``, Struct as an object, Value as any JSON, FieldMask as a comma-separated
path list). Messages are closed (``additionalProperties: false``): the transcoder rejects
unknown fields, so a response property outside the schema is a real contract violation that
schema-based testing should catch.

Messages become components named by their full name without the ``agentos.v1.`` package;
well-known types are inlined where used, since their JSON forms are scalars or free objects.
"""

from __future__ import annotations

from typing import Any

from agentos.os._openapi._descriptors import EnumInfo, MessageInfo, ProtoIndex
from google.protobuf import descriptor_pb2

JSONDict = dict[str, Any]
FieldProto = descriptor_pb2.FieldDescriptorProto

OWN_PACKAGE = "agentos.v1."
COMPONENT_PREFIX = "#/components/schemas/"

_INT64_PATTERN = r"^-?[0-9]+$"
_UINT64_PATTERN = r"^[0-9]+$"
_DURATION_PATTERN = r"^-?[0-9]+(\.[0-9]{1,9})?s$"


def _int32() -> JSONDict:
    return {"type": "integer", "format": "int32", "minimum": -(2**31), "maximum": 2**31 - 1}


def _uint32() -> JSONDict:
    return {"type": "integer", "format": "uint32", "minimum": 0, "maximum": 2**32 - 1}


def _int64() -> JSONDict:
    return {
        "type": "string",
        "format": "int64",
        "pattern": _INT64_PATTERN,
        "description": "A 64-bit integer as a decimal string (proto3 JSON mapping).",
    }


def _uint64() -> JSONDict:
    return {
        "type": "string",
        "format": "uint64",
        "pattern": _UINT64_PATTERN,
        "description": "An unsigned 64-bit integer as a decimal string (proto3 JSON mapping).",
    }


def _bytes() -> JSONDict:
    return {"type": "string", "format": "byte", "contentEncoding": "base64"}


_SCALARS: dict[int, Any] = {
    FieldProto.TYPE_STRING: lambda: {"type": "string"},
    FieldProto.TYPE_BOOL: lambda: {"type": "boolean"},
    FieldProto.TYPE_DOUBLE: lambda: {"type": "number", "format": "double"},
    FieldProto.TYPE_FLOAT: lambda: {"type": "number", "format": "float"},
    FieldProto.TYPE_INT32: _int32,
    FieldProto.TYPE_SINT32: _int32,
    FieldProto.TYPE_SFIXED32: _int32,
    FieldProto.TYPE_UINT32: _uint32,
    FieldProto.TYPE_FIXED32: _uint32,
    FieldProto.TYPE_INT64: _int64,
    FieldProto.TYPE_SINT64: _int64,
    FieldProto.TYPE_SFIXED64: _int64,
    FieldProto.TYPE_UINT64: _uint64,
    FieldProto.TYPE_FIXED64: _uint64,
    FieldProto.TYPE_BYTES: _bytes,
}

# JSON forms of the well-known types (https://protobuf.dev/programming-guides/json/).
_WELL_KNOWN: dict[str, Any] = {
    "google.protobuf.Timestamp": lambda: {
        "type": "string",
        "format": "date-time",
        "description": "An RFC 3339 timestamp in UTC, e.g. 2024-05-01T12:00:00Z.",
    },
    "google.protobuf.Duration": lambda: {
        "type": "string",
        "pattern": _DURATION_PATTERN,
        "description": 'A duration in seconds with an "s" suffix, e.g. "1.5s".',
    },
    "google.protobuf.Struct": lambda: {
        "type": "object",
        "additionalProperties": True,
        "description": "A JSON object.",
    },
    "google.protobuf.Value": lambda: {"description": "Any JSON value."},
    "google.protobuf.ListValue": lambda: {"type": "array", "items": {}, "description": "A JSON array."},
    "google.protobuf.FieldMask": lambda: {
        "type": "string",
        "description": 'Comma-separated field paths in lowerCamelCase, e.g. "sessionName,metadata".',
    },
    "google.protobuf.Any": lambda: {
        "type": "object",
        "properties": {"@type": {"type": "string", "description": "Type URL of the embedded message."}},
        "required": ["@type"],
        "additionalProperties": True,
    },
    "google.protobuf.Empty": lambda: {"type": "object", "additionalProperties": False},
    "google.protobuf.DoubleValue": lambda: {"type": "number", "format": "double"},
    "google.protobuf.FloatValue": lambda: {"type": "number", "format": "float"},
    "google.protobuf.Int64Value": _int64,
    "google.protobuf.UInt64Value": _uint64,
    "google.protobuf.Int32Value": _int32,
    "google.protobuf.UInt32Value": _uint32,
    "google.protobuf.BoolValue": lambda: {"type": "boolean"},
    "google.protobuf.StringValue": lambda: {"type": "string"},
    "google.protobuf.BytesValue": _bytes,
}

# Well-known types the transcoder can read from a query-string value (their JSON form is a string
# or a scalar). Struct, Value, ListValue and Any have no query-string form.
QUERY_SCALAR_WELL_KNOWN = frozenset(
    {
        "google.protobuf.Timestamp",
        "google.protobuf.Duration",
        "google.protobuf.FieldMask",
        "google.protobuf.DoubleValue",
        "google.protobuf.FloatValue",
        "google.protobuf.Int64Value",
        "google.protobuf.UInt64Value",
        "google.protobuf.Int32Value",
        "google.protobuf.UInt32Value",
        "google.protobuf.BoolValue",
        "google.protobuf.StringValue",
        "google.protobuf.BytesValue",
    }
)

# google.rpc.Status, the body of every error response. It is not in the contract's descriptor
# set (the services return it in trailers), so its schema is written here.
STATUS_COMPONENT = "google.rpc.Status"
STATUS_SCHEMA: JSONDict = {
    "type": "object",
    "description": (
        "The error model of gRPC (google.rpc.Status): a canonical status code, a developer-facing "
        "message and typed details (google.rpc.ErrorInfo with the reason, google.rpc.BadRequest "
        "with the offending fields, ...)."
    ),
    "properties": {
        "code": {**_int32(), "description": "The canonical gRPC status code (google.rpc.Code)."},
        "message": {"type": "string", "description": "A developer-facing error message."},
        "details": {
            "type": "array",
            "items": _WELL_KNOWN["google.protobuf.Any"](),
            "description": "Typed error details, each with its @type URL.",
        },
    },
}


def _at_most_one(members: list[str]) -> JSONDict:
    """JSON Schema for "at most one of these properties is present" (a oneof), linear in size:
    none of them, or exactly one of them."""
    present = [{"required": [m]} for m in members]
    return {"anyOf": [{"not": {"anyOf": present}}, {"oneOf": present}]}


def strip_package(full_name: str) -> str:
    full_name = full_name.lstrip(".")
    return full_name[len(OWN_PACKAGE) :] if full_name.startswith(OWN_PACKAGE) else full_name


def lower_camel(name: str) -> str:
    """protoc's json_name rule: drop underscores and capitalise the letter after each."""
    parts = name.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def is_repeated(field: FieldProto) -> bool:
    return field.label == FieldProto.LABEL_REPEATED


def with_description(schema: JSONDict, description: str) -> JSONDict:
    """Adds a description; a schema that already has one (a well-known type's) keeps it after."""
    if not description:
        return schema
    own = schema.get("description")
    return {**schema, "description": f"{description}\n\n{own}" if own else description}


class SchemaBuilder:
    """Builds component schemas on demand, following references from the messages it is asked for.

    Only the types reachable from the API's requests and responses become components, so the
    document carries no unused definitions (e.g. descriptor.proto's types).
    """

    def __init__(self, index: ProtoIndex, *, json_names: bool = True) -> None:
        self.index = index
        self.json_names = json_names
        self.components: dict[str, JSONDict] = {}

    # ----- names -------------------------------------------------------------------------------

    def property_name(self, field: FieldProto) -> str:
        """The JSON name of a field as the transcoder prints it."""
        if not self.json_names:
            return field.name
        return field.json_name or lower_camel(field.name)

    def ref(self, type_name: str) -> JSONDict:
        """A reference to the component of a message or enum, building it on first use."""
        full_name = type_name.lstrip(".")
        name = strip_package(full_name)
        if name not in self.components:
            self.components[name] = {}  # placeholder: recursive messages refer to themselves
            if full_name in self.index.enums:
                self.components[name] = self._enum_schema(self.index.enum(full_name))
            else:
                self.components[name] = self.message_schema(self.index.message(full_name))
        return {"$ref": COMPONENT_PREFIX + name}

    # ----- messages ----------------------------------------------------------------------------

    def message_schema(self, message: MessageInfo, *, exclude: frozenset[str] = frozenset()) -> JSONDict:
        """An object schema for a message; ``exclude`` drops fields (by proto name), e.g. those
        bound to the URL path of an operation."""
        properties: dict[str, JSONDict] = {}
        real_oneofs = self._real_oneofs(message)
        for field in message.proto.field:
            if field.name in exclude:
                continue
            description = message.field_comments.get(field.name, "")
            if field.HasField("oneof_index") and field.oneof_index in real_oneofs:
                oneof = message.proto.oneof_decl[field.oneof_index].name
                description = (
                    f"{description}\n\nPart of oneof `{oneof}`: set at most one of its fields.".strip()
                )
            properties[self.property_name(field)] = with_description(self.field_schema(field), description)
        schema: JSONDict = {"type": "object"}
        description = message.comment
        oneofs = self._oneof_members(message, exclude)
        if oneofs:
            lines = []
            for name, members in oneofs.items():
                doc = message.oneof_comments.get(name, "")
                listed = ", ".join(f"`{m}`" for m in members)
                lines.append(f"- oneof `{name}` (at most one of {listed}){': ' + doc if doc else ''}")
            description = f"{description}\n\n" + "\n".join(lines) if description else "\n".join(lines)
            schema["x-oneofs"] = oneofs
        if description:
            schema["description"] = description
        schema["properties"] = properties
        schema["additionalProperties"] = False
        constraints = [_at_most_one(members) for members in oneofs.values() if len(members) > 1]
        if constraints:
            schema["allOf"] = constraints
        return schema

    def field_schema(self, field: FieldProto) -> JSONDict:
        """The schema of a field's JSON value (arrays for repeated fields, objects for maps)."""
        if field.type == FieldProto.TYPE_MESSAGE:
            entry = self._map_entry(field)
            if entry is not None:
                key, value = entry
                schema: JSONDict = {"type": "object", "additionalProperties": self.single_schema(value)}
                key_pattern = self._map_key_pattern(key)
                if key_pattern:
                    schema["propertyNames"] = {"pattern": key_pattern}
                return schema
        single = self.single_schema(field)
        if is_repeated(field):
            return {"type": "array", "items": single}
        return single

    def single_schema(self, field: FieldProto) -> JSONDict:
        """The schema of one value of a field, ignoring its repeatedness."""
        if field.type == FieldProto.TYPE_MESSAGE:
            return self.type_schema(field.type_name)
        if field.type == FieldProto.TYPE_ENUM:
            if field.type_name.lstrip(".") == "google.protobuf.NullValue":
                return {"type": "null"}
            return self.ref(field.type_name)
        if field.type == FieldProto.TYPE_GROUP:
            raise NotImplementedError(f"proto2 groups are not supported (field {field.name})")
        scalar: JSONDict = _SCALARS[field.type]()
        return scalar

    def type_schema(self, type_name: str) -> JSONDict:
        """A message type's schema: inlined for a well-known type, else a component reference."""
        name = type_name.lstrip(".")
        if name in _WELL_KNOWN:
            built: JSONDict = _WELL_KNOWN[name]()
            return built
        return self.ref(name)

    def is_well_known(self, type_name: str) -> bool:
        return type_name.lstrip(".") in _WELL_KNOWN

    def map_entry(self, field: FieldProto) -> tuple[FieldProto, FieldProto] | None:
        return self._map_entry(field)

    # ----- internals ---------------------------------------------------------------------------

    def _map_entry(self, field: FieldProto) -> tuple[FieldProto, FieldProto] | None:
        if field.type != FieldProto.TYPE_MESSAGE or not is_repeated(field):
            return None
        entry = self.index.messages.get(field.type_name.lstrip("."))
        if entry is None or not entry.proto.options.map_entry:
            return None
        by_name = {f.name: f for f in entry.proto.field}
        return by_name["key"], by_name["value"]

    @staticmethod
    def _map_key_pattern(key: FieldProto) -> str | None:
        if key.type == FieldProto.TYPE_STRING:
            return None
        if key.type == FieldProto.TYPE_BOOL:
            return "^(true|false)$"
        if key.type in (
            FieldProto.TYPE_UINT32,
            FieldProto.TYPE_FIXED32,
            FieldProto.TYPE_UINT64,
            FieldProto.TYPE_FIXED64,
        ):
            return _UINT64_PATTERN
        return _INT64_PATTERN

    @staticmethod
    def _real_oneofs(message: MessageInfo) -> set[int]:
        """Indexes of the oneofs a user wrote (proto3 ``optional`` makes synthetic ones)."""
        synthetic = {f.oneof_index for f in message.proto.field if f.proto3_optional}
        return {i for i in range(len(message.proto.oneof_decl)) if i not in synthetic}

    def _oneof_members(self, message: MessageInfo, exclude: frozenset[str]) -> dict[str, list[str]]:
        real = self._real_oneofs(message)
        members: dict[str, list[str]] = {}
        for field in message.proto.field:
            if field.HasField("oneof_index") and field.oneof_index in real and field.name not in exclude:
                name = message.proto.oneof_decl[field.oneof_index].name
                members.setdefault(name, []).append(self.property_name(field))
        return members

    def _enum_schema(self, enum: EnumInfo) -> JSONDict:
        names = [v.name for v in enum.proto.value]
        lines = []
        for value in enum.proto.value:
            doc = enum.value_comments.get(value.name, "")
            lines.append(f"- `{value.name}` ({value.number}){': ' + doc if doc else ''}")
        description = "\n".join([enum.comment, "", *lines]).strip() if enum.comment else "\n".join(lines)
        return {"type": "string", "enum": names, "description": description}
