"""Agno-style ``"METHOD /path"`` keys resolved to gRPC methods through ``google.api.http``.

Agno users write scope mappings against REST routes (``"POST /agents/*/runs"``). Every RPC of
this server has HTTP bindings in its descriptor, so such a key can be matched against them:
the key names an RPC, and where its path has a concrete id instead of a variable
(``/v1/agents/web-agent/runs``), a condition on the request field the variable binds
(``agent_id == "web-agent"``). Reading the bindings from the descriptor pool, rather than
keeping a second copy of the routes here, keeps the keys in step with the protos.

A key may leave out the ``/v1`` version prefix (Agno's routes have none), use ``*`` or
``{name}`` for a variable segment, and end with the custom verb (``/v1/runs/*:cancel``).
Multi-segment variables (``{name=a/*/b}``) match one segment only; no RPC here uses them.
"""

from __future__ import annotations

from dataclasses import dataclass

from google.api import annotations_pb2, http_pb2  # type: ignore[import-untyped, unused-ignore]
from google.protobuf import descriptor_pool
from google.protobuf.descriptor import MethodDescriptor

_HTTP_METHODS = ("GET", "PUT", "POST", "DELETE", "PATCH")
_VERSION_PREFIX = "/v1"


@dataclass(frozen=True, slots=True)
class Binding:
    """One HTTP binding of an RPC: ``POST /v1/agents/{agent_id}/runs:stream``."""

    http_method: str
    segments: tuple[str, ...]  # literal text, or "{field}" for a variable
    verb: str

    @staticmethod
    def variable(segment: str) -> str | None:
        """The field a ``{field}`` / ``{field=...}`` segment binds, else ``None``."""
        if segment.startswith("{") and segment.endswith("}"):
            return segment[1:-1].split("=", 1)[0]
        return None


@dataclass(frozen=True, slots=True)
class RouteKey:
    """A parsed ``"METHOD /path"`` key; ``*`` and ``{...}`` segments match any value."""

    raw: str
    http_method: str
    segments: tuple[str, ...]
    verb: str

    @staticmethod
    def is_route_key(key: str) -> bool:
        return " " in key.strip()


Condition = tuple[str, str | None]
"""A request field and the value it must have (``None``: any non-empty value)."""


def _split_path(path: str) -> tuple[tuple[str, ...], str]:
    """``/v1/runs/{run_id}:cancel`` → (("v1", "runs", "{run_id}"), "cancel")."""
    if not path.startswith("/"):
        raise ValueError(f"path {path!r} must start with '/'")
    segments = path[1:].split("/") if path != "/" else [""]
    last = segments[-1]
    depth, verb_at = 0, -1
    for i, ch in enumerate(last):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == ":" and depth == 0:
            verb_at = i
    verb = ""
    if verb_at >= 0:
        segments[-1], verb = last[:verb_at], last[verb_at + 1 :]
    return tuple(segments), verb


def parse_route_key(key: str) -> RouteKey:
    """Parse ``"GET /v1/agents/*"``; raises ``ValueError`` naming what is wrong."""
    method, _, path = key.strip().partition(" ")
    method = method.upper()
    path = path.strip()
    if method not in _HTTP_METHODS:
        raise ValueError(f"route key {key!r}: HTTP method must be one of {', '.join(_HTTP_METHODS)}")
    if not path.startswith("/"):
        raise ValueError(f"route key {key!r}: the path must start with '/'")
    segments, verb = _split_path(path.rstrip("/") or "/")
    return RouteKey(key, method, segments, verb)


def _binding_of(rule: http_pb2.HttpRule) -> Binding | None:
    pattern = rule.WhichOneof("pattern")
    if pattern is None:
        return None
    if pattern == "custom":
        method, path = rule.custom.kind.upper(), rule.custom.path
    else:
        method, path = pattern.upper(), getattr(rule, pattern)
    segments, verb = _split_path(path)
    return Binding(method, segments, verb)


def method_descriptor(full_method: str) -> MethodDescriptor | None:
    """``/agentos.v1.RunService/CreateRun`` → its descriptor in the default pool, if registered."""
    service, _, name = full_method.lstrip("/").partition("/")
    if not service or not name:
        return None
    try:
        return descriptor_pool.Default().FindMethodByName(f"{service}.{name}")
    except KeyError:
        return None


def bindings_of(full_method: str) -> tuple[Binding, ...]:
    """The HTTP bindings of an RPC (main binding first), empty when it has none."""
    descriptor = method_descriptor(full_method)
    if descriptor is None:
        return ()
    options = descriptor.GetOptions()
    if not options.HasExtension(annotations_pb2.http):
        return ()
    rule = options.Extensions[annotations_pb2.http]
    found = [_binding_of(rule), *(_binding_of(extra) for extra in rule.additional_bindings)]
    return tuple(b for b in found if b is not None)


def _match_segments(key: RouteKey, segments: tuple[str, ...], binding: Binding) -> list[Condition] | None:
    if key.http_method != binding.http_method or key.verb != binding.verb:
        return None
    if len(segments) != len(binding.segments):
        return None
    conditions: list[Condition] = []
    for want, have in zip(segments, binding.segments, strict=True):
        field = Binding.variable(have)
        any_value = want == "*" or Binding.variable(want) is not None
        if field is not None:
            conditions.append((field, None if any_value else want))
        elif not any_value and want != have:
            return None
    return conditions


def match(key: RouteKey, binding: Binding) -> tuple[Condition, ...] | None:
    """The conditions under which ``key`` names a call through ``binding``, or ``None``.

    Every variable of the binding contributes a condition: with ``*`` the field must be set
    (so ``POST /v1/agents/*/runs`` names agent runs, not team runs of the same RPC), with a
    concrete value it must equal it.
    """
    found = _match_segments(key, key.segments, binding)
    if found is None and key.segments[:1] != (_VERSION_PREFIX[1:],):
        found = _match_segments(key, (_VERSION_PREFIX[1:], *key.segments), binding)
    return None if found is None else tuple(found)
