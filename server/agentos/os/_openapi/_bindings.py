"""HTTP bindings of RPCs: the ``google.api.http`` rules flattened, and their path templates parsed.

A rule and each of its ``additional_bindings`` become one :class:`HttpBinding` (one REST
operation). Path templates follow google/api/http.proto: ``/v1/{name=projects/*}/books:verb``;
OpenAPI can only say ``{name}``, so a variable's pattern is kept for the parameter's description
and the custom verb (AIP-136) stays a literal suffix of the last segment.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agentos.os._openapi._descriptors import MethodInfo

_VERBS = ("get", "put", "post", "delete", "patch")
_VARIABLE = re.compile(r"\{([^}=]+)(?:=([^}]*))?\}")


@dataclass(frozen=True)
class PathVariable:
    """A ``{field.path=pattern}`` variable of a path template."""

    field_path: str
    pattern: str

    @property
    def multi_segment(self) -> bool:
        """True when the variable can span slashes (``**`` or several segments)."""
        return "/" in self.pattern or "**" in self.pattern


@dataclass(frozen=True)
class HttpBinding:
    """One REST route of an RPC."""

    method: MethodInfo
    http_method: str
    template: str
    body: str
    response_body: str
    index: int  # 0 for the rule itself, 1.. for its additional bindings

    @property
    def openapi_path(self) -> str:
        """The template with every ``{field.path=pattern}`` reduced to ``{name}`` (see
        :meth:`parameter_names`)."""
        names = self.parameter_names
        return _VARIABLE.sub(lambda m: "{" + names[m.group(1)] + "}", self.template)

    @property
    def parameter_names(self) -> dict[str, str]:
        """Field path -> OpenAPI path parameter name.

        A nested field path (``session.session_id``) is named by its last part (``session_id``):
        many OpenAPI tools treat a dot in a path template as attribute access. Two variables with
        the same last part keep their whole path, with underscores for dots.
        """
        paths = [v.field_path for v in self.variables]
        leaves = [p.rsplit(".", 1)[-1] for p in paths]
        return {
            path: leaf if leaves.count(leaf) == 1 else path.replace(".", "_")
            for path, leaf in zip(paths, leaves, strict=True)
        }

    @property
    def variables(self) -> list[PathVariable]:
        return [PathVariable(m.group(1), m.group(2) or "*") for m in _VARIABLE.finditer(self.template)]

    @property
    def custom_verb(self) -> str:
        """The AIP-136 custom verb (``cancel`` in ``/v1/runs/{run_id}:cancel``), or ``""``."""
        last = _VARIABLE.sub("", self.template).rsplit("/", 1)[-1]
        return last.split(":", 1)[1] if ":" in last else ""

    @property
    def operation_id(self) -> str:
        base = f"{self.method.service_short_name}_{self.method.name}"
        return base if self.index == 0 else f"{base}_{self.index + 1}"

    @property
    def grpc_path(self) -> str:
        return f"/{self.method.service}/{self.method.name}"


def bindings_of(method: MethodInfo) -> list[HttpBinding]:
    """Every HTTP binding of an RPC (none when it has no ``google.api.http`` option)."""
    from google.api import annotations_pb2

    options = method.proto.options
    if not options.HasExtension(annotations_pb2.http):
        return []
    rule = options.Extensions[annotations_pb2.http]
    rules = [rule, *rule.additional_bindings]
    return [_binding(method, r, i) for i, r in enumerate(rules)]


def _binding(method: MethodInfo, rule: Any, index: int) -> HttpBinding:
    pattern = rule.WhichOneof("pattern")
    if pattern is None:
        raise ValueError(f"{method.service}.{method.name}: an HTTP rule without a method and path")
    if pattern == "custom":
        http_method, template = rule.custom.kind.lower(), rule.custom.path
    elif pattern in _VERBS:
        http_method, template = pattern, getattr(rule, pattern)
    else:
        raise ValueError(f"{method.service}.{method.name}: unknown HTTP rule pattern {pattern!r}")
    return HttpBinding(
        method=method,
        http_method=http_method,
        template=template,
        body=rule.body,
        response_body=rule.response_body,
        index=index,
    )
