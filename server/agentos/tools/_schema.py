"""JSON schemas and argument validation derived from a function's signature.

One pydantic model per tool, built once from the signature, serves two purposes: its JSON
schema is what the model sees, and validating the model's arguments against it coerces them
("3" -> 3) and names bad or unknown fields. Keeping both on the same model means the schema
the model was shown is exactly the contract the arguments are checked against.
"""

from __future__ import annotations

import copy
import inspect
import json
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from agentos.tools._docstring import parse_docstring
from pydantic import BaseModel, ConfigDict, Field, ValidationError, create_model
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaValue
from pydantic_core import CoreSchema, PydanticOmit, core_schema

# Parameters filled by the engine at call time, never shown to the model.
INJECTED_PARAMETERS = frozenset(
    {"run_context", "agent", "team", "session_state", "dependencies", "images", "videos", "audio", "files"}
)


class _LenientJsonSchema(GenerateJsonSchema):
    """Schema generator that turns types pydantic cannot describe into "any value".

    A tool may take an arbitrary Python object (validated by isinstance); the model cannot
    produce one, but failing the whole tool would be worse than an unconstrained property.
    """

    def handle_invalid_for_json_schema(self, schema: CoreSchema, error_info: str) -> JsonSchemaValue:
        return {}

    def callable_schema(self, schema: core_schema.CallableSchema) -> JsonSchemaValue:
        raise PydanticOmit


@dataclass(slots=True)
class SignatureInfo:
    """Everything derived once from a tool's signature."""

    description: str | None
    parameters: dict[str, Any]
    args_model: type[BaseModel]
    # Parameter names (as the model sees them) in signature order.
    param_names: list[str]
    required: list[str]
    # Python annotations and docstring descriptions per model-visible parameter.
    annotations: dict[str, Any]
    param_descriptions: dict[str, str]
    # Injected parameters the callable accepts.
    injected: frozenset[str]
    # Defaulted parameters whose type does not admit None: a null from the model means "default".
    null_means_default: frozenset[str]
    accepts_var_kwargs: bool
    field_aliases: dict[str, str] = field(default_factory=dict)
    # The first parameter (``self``) was left out: the callable is a method still to be bound.
    skipped_self: bool = False


def _admits_none(annotation: Any) -> bool:
    if annotation is inspect.Parameter.empty or annotation is Any or annotation is None:
        return True
    if annotation is type(None) or annotation is object:
        return True
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _admits_none(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        return any(_admits_none(arg) for arg in typing.get_args(annotation))
    return False


def _resolve_hints(fn: Callable[..., Any]) -> dict[str, Any]:
    """Type hints with string annotations resolved; falls back to raw annotations on failure."""
    target = fn
    if not (inspect.isfunction(fn) or inspect.ismethod(fn)):
        call = getattr(fn, "__call__", None)  # noqa: B004 - callable objects
        if call is not None and (inspect.isfunction(call) or inspect.ismethod(call)):
            target = call
    try:
        return typing.get_type_hints(target, include_extras=True)
    except Exception:
        pass
    # Some annotation does not resolve (e.g. a class local to a function under
    # ``from __future__ import annotations``): resolve the others one by one; an unresolvable
    # one means "any value" rather than an unusable tool.
    namespace = dict(getattr(inspect.unwrap(target), "__globals__", {}))
    hints: dict[str, Any] = {}
    for name, annotation in (getattr(target, "__annotations__", {}) or {}).items():
        if isinstance(annotation, str):
            try:
                annotation = eval(annotation, namespace)
            except Exception:
                annotation = Any
        hints[name] = annotation
    return hints


def analyse_signature(fn: Callable[..., Any], *, skip_first: bool = False) -> SignatureInfo:
    """Build the argument model and JSON schema for ``fn``.

    ``skip_first`` drops the first parameter (``self`` of a function decorated inside a class
    body, which is bound later when the tool is accessed through an instance).
    """
    signature = inspect.signature(fn)
    hints = _resolve_hints(fn)
    doc = parse_docstring(inspect.getdoc(fn))
    fields: dict[str, Any] = {}
    aliases: dict[str, str] = {}
    annotations: dict[str, Any] = {}
    param_names: list[str] = []
    required: list[str] = []
    injected: set[str] = set()
    null_means_default: set[str] = set()
    accepts_var_kwargs = False
    params = list(signature.parameters.values())
    if skip_first and params:
        params = params[1:]
    for index, param in enumerate(params):
        if param.kind is inspect.Parameter.VAR_KEYWORD:
            accepts_var_kwargs = True
            continue
        if param.kind is inspect.Parameter.VAR_POSITIONAL:
            continue
        if param.name in INJECTED_PARAMETERS:
            injected.add(param.name)
            continue
        annotation = hints.get(param.name, param.annotation)
        if annotation is inspect.Parameter.empty:
            annotation = Any
        description = doc.params.get(param.name)
        # Internal field names avoid clashes with BaseModel attributes ("json", "model_x", "_x");
        # the real name is the alias, used for both validation and the schema.
        internal = f"p{index}"
        aliases[internal] = param.name
        # No description=None: it would override one given in Annotated[..., Field(description=)].
        extra: dict[str, Any] = {"description": description} if description else {}
        if param.default is inspect.Parameter.empty:
            required.append(param.name)
            fields[internal] = (annotation, Field(..., alias=param.name, **extra))
        else:
            fields[internal] = (annotation, Field(param.default, alias=param.name, **extra))
            if not _admits_none(annotation):
                null_means_default.add(param.name)
        annotations[param.name] = annotation
        param_names.append(param.name)
    model_name = f"{getattr(fn, '__name__', type(fn).__name__)}_arguments"
    # Always "forbid": the setting also reaches nested TypedDicts, whose schemas should be closed.
    # Extra arguments for a **kwargs tool are split off before validation instead.
    config = ConfigDict(extra="forbid", arbitrary_types_allowed=True, populate_by_name=False)
    args_model: type[BaseModel] = create_model(model_name, __config__=config, **fields)
    schema = args_model.model_json_schema(by_alias=True, schema_generator=_LenientJsonSchema)
    schema = _clean_schema(schema)
    # The model is shown the declared parameters only, also for a **kwargs tool.
    schema.pop("additionalProperties", None)
    schema = {
        "type": "object",
        "properties": schema.pop("properties", {}),
        **({"required": schema.pop("required")} if "required" in schema else {}),
        **({"additionalProperties": False} if not accepts_var_kwargs else {}),
        **{k: v for k, v in schema.items() if k != "type"},
    }
    return SignatureInfo(
        description=doc.description,
        parameters=schema,
        args_model=args_model,
        param_names=param_names,
        required=required,
        annotations=annotations,
        param_descriptions={k: v for k, v in doc.params.items() if k in annotations},
        injected=frozenset(injected),
        null_means_default=frozenset(null_means_default),
        accepts_var_kwargs=accepts_var_kwargs,
        field_aliases=aliases,
        skipped_self=skip_first,
    )


def _clean_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """Drop pydantic's generated titles: noise in every prompt, and not part of the contract."""
    schema = dict(schema)
    schema.pop("title", None)
    out = _strip_titles(schema)
    assert isinstance(out, dict)
    if "required" in out and not out["required"]:
        del out["required"]
    return out


def _strip_titles(node: Any) -> Any:
    if isinstance(node, list):
        return [_strip_titles(item) for item in node]
    if not isinstance(node, dict):
        return node
    out: dict[str, Any] = {}
    for key, value in node.items():
        if key == "title" and isinstance(value, str):
            continue
        if key in ("properties", "$defs", "definitions", "patternProperties") and isinstance(value, dict):
            out[key] = {name: _strip_titles(sub) for name, sub in value.items()}
        elif key == "default":
            out[key] = value
        else:
            out[key] = _strip_titles(value)
    return out


# --------------------------------------------------------------------------- strict mode


class StrictSchemaError(ValueError):
    """The signature uses a type that OpenAI strict mode cannot express."""


def make_strict(schema: Mapping[str, Any]) -> dict[str, Any]:
    """Rewrite a schema so OpenAI strict mode accepts it.

    Strict mode requires every object to list all its properties as required and to forbid
    additional properties; optional parameters therefore become required-but-nullable (the
    engine maps a null back to the parameter's default). Defaults are not allowed, so they
    move into the description. ``$ref`` with sibling keywords is inlined.
    """
    root = copy.deepcopy(dict(schema))
    defs = root.get("$defs", {})
    out = _strict_node(root, defs, path="")
    assert isinstance(out, dict)
    return out


def _nullable(node: dict[str, Any]) -> dict[str, Any]:
    if node.get("type") == "null":
        return node
    any_of = node.get("anyOf")
    if isinstance(any_of, list):
        if not any(isinstance(opt, dict) and opt.get("type") == "null" for opt in any_of):
            node = dict(node)
            node["anyOf"] = [*any_of, {"type": "null"}]
        return node
    node_type = node.get("type")
    if isinstance(node_type, str) and "enum" not in node and "$ref" not in node:
        node = dict(node)
        node["type"] = [node_type, "null"]
        return node
    if isinstance(node_type, list):
        if "null" not in node_type:
            node = dict(node)
            node["type"] = [*node_type, "null"]
            if "enum" in node and None not in node["enum"]:
                node["enum"] = [*node["enum"], None]
        return node
    wrapper: dict[str, Any] = {}
    if "description" in node:
        node = dict(node)
        wrapper["description"] = node.pop("description")
    wrapper["anyOf"] = [node, {"type": "null"}]
    return wrapper


def _strict_node(node: Any, defs: Mapping[str, Any], path: str) -> Any:
    if isinstance(node, list):
        return [_strict_node(item, defs, path) for item in node]
    if not isinstance(node, dict):
        return node
    node = dict(node)
    ref = node.get("$ref")
    if isinstance(ref, str) and len(node) > 1:
        # Strict mode rejects keywords next to $ref: inline the definition.
        target = _resolve_ref(ref, defs)
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        node = {**copy.deepcopy(target), **siblings}
    if "default" in node:
        default = node.pop("default")
        if default is not None:
            note = f"(default: {json.dumps(default, default=str)})"
            node["description"] = f"{node['description']} {note}" if node.get("description") else note
    for key in ("anyOf", "allOf", "oneOf", "prefixItems"):
        if key in node:
            node[key] = _strict_node(node[key], defs, path)
    if "items" in node:
        node["items"] = _strict_node(node["items"], defs, f"{path}[]")
    if "$defs" in node:
        node["$defs"] = {name: _strict_node(sub, defs, name) for name, sub in node["$defs"].items()}
    is_object = node.get("type") == "object" or "properties" in node
    if is_object:
        extra = node.get("additionalProperties")
        if isinstance(extra, dict) or (extra is True):
            raise StrictSchemaError(
                f"strict mode cannot express the free-form mapping at '{path or 'parameters'}'; "
                "use a pydantic model or TypedDict, or set strict=False"
            )
        properties = node.get("properties", {})
        required = set(node.get("required", []))
        new_props: dict[str, Any] = {}
        for name, sub in properties.items():
            converted = _strict_node(sub, defs, f"{path}.{name}" if path else name)
            new_props[name] = converted if name in required else _nullable(converted)
        node["properties"] = new_props
        node["required"] = list(new_props)
        node["additionalProperties"] = False
    return node


def _resolve_ref(ref: str, defs: Mapping[str, Any]) -> dict[str, Any]:
    prefix = "#/$defs/"
    if not ref.startswith(prefix) or ref[len(prefix) :] not in defs:
        raise StrictSchemaError(f"cannot resolve schema reference {ref!r}")
    target = defs[ref[len(prefix) :]]
    assert isinstance(target, dict)
    return target


# --------------------------------------------------------------------------- validation


class ArgumentError(ValueError):
    """The model's arguments do not match the tool's parameters; the message names the fields."""


def validate_arguments(info: SignatureInfo, arguments: Mapping[str, Any]) -> dict[str, Any]:
    """Validate and coerce ``arguments``; return the keyword arguments to call the tool with.

    Only the parameters the model supplied are returned, so Python defaults apply to the rest.
    """
    args = {k: v for k, v in arguments.items() if not (v is None and k in info.null_means_default)}
    injected_given = sorted(k for k in args if k in INJECTED_PARAMETERS and k in info.injected)
    if injected_given:
        raise ArgumentError(
            f"parameter(s) {', '.join(injected_given)} are supplied by the engine, not the model"
        )
    extra: dict[str, Any] = {}
    if info.accepts_var_kwargs:
        known = set(info.param_names)
        extra = {k: v for k, v in args.items() if k not in known}
        args = {k: v for k, v in args.items() if k in known}
    try:
        validated = info.args_model.model_validate(args)
    except ValidationError as exc:
        raise ArgumentError(_describe_errors(exc)) from None
    out: dict[str, Any] = {}
    for internal in validated.model_fields_set:
        alias = info.field_aliases.get(internal)
        if alias is not None:
            out[alias] = getattr(validated, internal)
    out.update(extra)
    return out


def _describe_errors(exc: ValidationError) -> str:
    unknown: list[str] = []
    missing: list[str] = []
    other: list[str] = []
    for error in exc.errors(include_url=False):
        loc = ".".join(str(part) for part in error["loc"]) or "arguments"
        if error["type"] == "extra_forbidden":
            unknown.append(loc)
        elif error["type"] == "missing" and len(error["loc"]) == 1:
            missing.append(loc)
        else:
            other.append(f"{loc}: {error['msg']}")
    parts: list[str] = []
    if missing:
        parts.append(f"missing required parameter(s): {', '.join(missing)}")
    if unknown:
        parts.append(f"unknown parameter(s): {', '.join(unknown)}")
    parts.extend(other)
    return "; ".join(parts)


def python_type_for_field(annotation: Any) -> type:
    """A plain ``type`` for a parameter annotation, as ``UserInputField.field_type`` expects."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return python_type_for_field(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        options = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return python_type_for_field(options[0]) if len(options) == 1 else str
    if origin is typing.Literal:
        values = typing.get_args(annotation)
        return type(values[0]) if values else str
    if origin is not None:
        return origin if isinstance(origin, type) else str
    if isinstance(annotation, type):
        if issubclass(annotation, Enum):
            return annotation
        return annotation
    return str
