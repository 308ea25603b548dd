"""Per-RPC authorization: the default scope map, the user's overrides and the exclusions.

The policy is computed once per method (the first call of each method resolves which defaults,
overrides and exclusions apply and caches the answer); a call then costs a dictionary look-up
plus a few set look-ups in the caller's scopes. Route-style keys (``"POST /v1/agents/*/runs"``)
are checked against the AgentOS contract when the policy is built, so a key that names no RPC,
or an exclusion that would open more than it says, is reported at start-up.
"""

from __future__ import annotations

import fnmatch
import logging
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from agentos.os.auth._errors import PermissionDeniedError, UnauthorizableRequestError
from agentos.os.auth._routes import Condition, RouteKey, bindings_of, match, parse_route_key
from agentos.os.auth._scope_map import ALWAYS_EXCLUDED, DEFAULT_SCOPE_MAP, MethodRule, RunAccess
from agentos.os.auth._scopes import ScopeSet, Target

# Imported so that every AgentOS service is in the default descriptor pool before route keys
# are resolved against its HTTP bindings.
from agentos.v1 import (  # noqa: F401
    agent_os_pb2,
    evals_pb2,
    knowledge_pb2,
    memories_pb2,
    metrics_pb2,
    run_service_pb2,
    sessions_pb2,
    traces_pb2,
)

logger = logging.getLogger("agentos.os.auth")

_GLOB_CHARS = frozenset("*?[")


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of an allowed call: its target, and the run check left to the handler."""

    target: Target | None
    run_access: RunAccess | None


@dataclass(frozen=True, slots=True)
class _Override:
    key: str
    scopes: tuple[str, ...]
    conditions: tuple[Condition, ...]
    rank: tuple[int, int, int, int]

    def applies(self, request: Any) -> bool:
        if not self.conditions:
            return True
        if request is None:  # a client-streaming call: no request to test the conditions on
            return False
        for field, value in self.conditions:
            actual = field_value(request, field)
            if not actual or (value is not None and actual != value):
                return False
        return True


@dataclass(frozen=True, slots=True)
class _MethodPolicy:
    excluded: bool
    rule: MethodRule | None
    overrides: tuple[_Override, ...]  # most specific first


def field_value(request: Any, path: str) -> str:
    """The string value of a (dotted) request field; ``""`` when unset or absent."""
    value: Any = request
    for part in path.split("."):
        value = getattr(value, part, None)
        if value is None:
            return ""
    return value if isinstance(value, str) else str(value)


def _method_key_matches(key: str, method: str) -> tuple[bool, bool]:
    """(matches, exact) for a gRPC method key, which may be a glob."""
    if _GLOB_CHARS.isdisjoint(key):
        return key == method, True
    return fnmatch.fnmatchcase(method, key), False


def _check_key(key: str, where: str) -> RouteKey | None:
    if RouteKey.is_route_key(key):
        return parse_route_key(key)
    if not key.startswith("/") or key.count("/") != 2:
        raise ValueError(
            f"{where} key {key!r} is neither a gRPC method ('/package.Service/Method') "
            "nor a route ('METHOD /path')"
        )
    return None


class ScopePolicy:
    """Which scopes each call needs, given the defaults, ``scope_mappings`` and exclusions."""

    def __init__(
        self,
        scope_mappings: Mapping[str, Sequence[str]] | None,
        excluded_methods: Iterable[str],
        *,
        defaults: Mapping[str, MethodRule] = DEFAULT_SCOPE_MAP,
    ) -> None:
        self._defaults = dict(defaults)
        self._mappings: list[tuple[str, RouteKey | None, tuple[str, ...]]] = [
            (key, _check_key(key, "scope_mappings"), tuple(scopes))
            for key, scopes in (scope_mappings or {}).items()
        ]
        self._exclusions: list[tuple[str, RouteKey | None]] = [
            (key, _check_key(key, "excluded_methods")) for key in (*ALWAYS_EXCLUDED, *excluded_methods)
        ]
        self._cache: dict[str, _MethodPolicy] = {}
        for method in self._defaults:  # resolve the contract's RPCs now: errors surface at start-up
            self._policy(method)
        self._warn_unmatched()

    def _warn_unmatched(self) -> None:
        routes = [(key, route) for key, route, _ in self._mappings if route is not None]
        routes += [(key, route) for key, route in self._exclusions if route is not None]
        for key, route in routes:
            if not any(match(route, b) is not None for m in self._defaults for b in bindings_of(m)):
                logger.warning("auth key %r matches no RPC of the AgentOS contract", key)

    # -- resolution, once per method ---------------------------------------------------------------

    def _excluded(self, method: str, bindings: Sequence[Any]) -> bool:
        for key, route in self._exclusions:
            if route is None:
                if _method_key_matches(key, method)[0]:
                    return True
                continue
            for binding in bindings:
                conditions = match(route, binding)
                if conditions is None:
                    continue
                if any(value is not None for _, value in conditions):
                    raise ValueError(
                        f"excluded_methods key {key!r} names a concrete id; exclusions apply to whole "
                        "RPCs, so use '*' or name the gRPC method"
                    )
                if conditions and len(bindings) > 1:
                    raise ValueError(
                        f"excluded_methods key {key!r} names one of several routes of {method}; "
                        "excluding it would exclude all of them, so name the gRPC method instead"
                    )
                return True
        return False

    def _overrides(self, method: str, bindings: Sequence[Any]) -> tuple[_Override, ...]:
        found: list[_Override] = []
        for index, (key, route, scopes) in enumerate(self._mappings):
            if route is None:
                matches, exact = _method_key_matches(key, method)
                if matches:
                    found.append(_Override(key, scopes, (), (0, 0, int(exact), index)))
                continue
            for binding in bindings:
                conditions = match(route, binding)
                if conditions is None:
                    continue
                values = sum(1 for _, value in conditions if value is not None)
                rank = (values, len(conditions) - values, 1, index)
                found.append(_Override(key, scopes, conditions, rank))
        found.sort(key=lambda o: o.rank, reverse=True)
        return tuple(found)

    def _policy(self, method: str) -> _MethodPolicy:
        policy = self._cache.get(method)
        if policy is None:
            bindings = bindings_of(method)
            policy = _MethodPolicy(
                excluded=self._excluded(method, bindings),
                rule=self._defaults.get(method),
                overrides=self._overrides(method, bindings),
            )
            self._cache[method] = policy
        return policy

    # -- per call ----------------------------------------------------------------------------------

    def is_excluded(self, method: str) -> bool:
        return self._policy(method).excluded

    def rule(self, method: str) -> MethodRule | None:
        return self._policy(method).rule

    @staticmethod
    def target_of(rule: MethodRule | None, request: Any) -> Target | None:
        if rule is None or request is None:
            return None
        for field, kind in rule.target_fields:
            value = field_value(request, field)
            if value:
                return Target(kind, value)
        return None

    def authorize(self, method: str, request: Any, scopes: ScopeSet) -> Decision:
        """Allow the call or raise ``PermissionDeniedError`` naming the missing scopes.

        ``request`` is ``None`` for client-streaming calls, which are decided on the method alone.
        """
        policy = self._policy(method)
        rule = policy.rule
        target = self.target_of(rule, request)
        override = next((o for o in policy.overrides if o.applies(request)), None)
        if override is not None:
            self._require(method, override.scopes, scopes, target)
            return Decision(target, None)
        if scopes.is_admin:
            return Decision(target, rule.run_access if rule else None)
        if rule is None:
            raise PermissionDeniedError(
                f"{method} is not in the scope map; only {scopes.admin_scope} may call it",
                (scopes.admin_scope,),
                method=method,
            )
        if rule.target_fields and target is None:
            fields = [f for f, _ in rule.target_fields]
            raise UnauthorizableRequestError(
                fields[0] if len(fields) == 1 else "target",
                f"one of {', '.join(fields)} is required" if len(fields) > 1 else "is required",
            )
        if rule.list_kind is not None and not scopes.accessible_ids(rule.list_kind):
            needed = f"{rule.list_kind}:read"
            raise PermissionDeniedError(
                f"{method} needs scope {needed} (or a read or run scope on one {rule.list_kind[:-1]})",
                (needed,),
                method=method,
            )
        self._require(method, rule.scopes, scopes, target)
        return Decision(target, rule.run_access)

    @staticmethod
    def _require(method: str, required: Sequence[str], scopes: ScopeSet, target: Target | None) -> None:
        missing: list[str] = []
        for scope in required:
            if target is not None:
                scope = scope.replace("{kind}", target.kind)
            if not scopes.satisfies(scope, target):
                missing.append(scopes.resolve(scope, target))
        if missing:
            noun = "scope" if len(missing) == 1 else "scopes"
            raise PermissionDeniedError(f"{method} needs {noun} {' '.join(missing)}", missing, method=method)
