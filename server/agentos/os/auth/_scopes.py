"""The scope grammar (Agno's) and the question "do these granted scopes allow that?".

Scopes have three forms:

- ``resource:action``: the action on every resource of that kind (``agents:run``,
  ``sessions:read``);
- ``resource:<id>:action``: the action on one resource (``agents:web-agent:run``);
- ``resource:*:action``: the same as the global form, spelled as a wildcard (``agents:*:run``).

The admin scope (``agent_os:admin`` unless configured otherwise) grants everything. Any other
shape only matches itself exactly, which keeps custom scopes such as ``custom:agents:list:x``
usable in ``scope_mappings``.

A required ``resource:action`` becomes ``resource:<id>:action`` when the call acts on a
resource of that kind (``CreateRun`` on agent ``a1`` needs ``agents:a1:run``, which
``agents:run``, ``agents:*:run`` and ``agents:a1:run`` all grant): Agno's resolution, so one
mapping serves every id.

One deliberate addition: for agents, teams and workflows, ``run`` implies ``read`` of the same
resource. Whoever may run an agent needs its definition (``RemoteAgent`` fetches it before the
first run), and a list that shows an agent the caller cannot open would be odd.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

WILDCARD = "*"
ENTITY_KINDS = ("agents", "teams", "workflows")
"""Resource kinds addressed by id in scopes; ``run`` implies ``read`` for them."""

_ALL: frozenset[str] = frozenset({WILDCARD})


@dataclass(frozen=True, slots=True)
class Target:
    """The resource a call acts on: its kind (``agents``) and id."""

    kind: str
    id: str


@dataclass(frozen=True, slots=True)
class ParsedScope:
    resource: str
    resource_id: str | None  # None: global form; "*": wildcard; else one id
    action: str


def parse_scope(scope: str) -> ParsedScope | None:
    """``agents:a1:run`` → ParsedScope; ``None`` for shapes that only match exactly."""
    parts = scope.split(":")
    if len(parts) == 2 and all(parts):
        return ParsedScope(parts[0], None, parts[1])
    if len(parts) == 3 and all(parts):
        return ParsedScope(parts[0], parts[1], parts[2])
    return None


class ScopeSet:
    """The scopes a token grants, indexed once so each check is a few set look-ups."""

    __slots__ = ("_global", "_ids", "admin_scope", "is_admin", "raw")

    def __init__(self, scopes: Iterable[str], admin_scope: str) -> None:
        self.raw: tuple[str, ...] = tuple(dict.fromkeys(scopes))
        self.admin_scope = admin_scope
        self.is_admin = admin_scope in self.raw
        # (resource, action) granted for every id; (resource, action) -> ids granted one by one.
        self._global: set[tuple[str, str]] = set()
        self._ids: dict[tuple[str, str], set[str]] = {}
        for scope in self.raw:
            parsed = parse_scope(scope)
            if parsed is None:
                continue
            key = (parsed.resource, parsed.action)
            if parsed.resource_id in (None, WILDCARD):
                self._global.add(key)
            else:
                self._ids.setdefault(key, set()).add(parsed.resource_id)

    def _actions(self, resource: str, action: str) -> tuple[str, ...]:
        if action == "read" and resource in ENTITY_KINDS:
            return ("read", "run")
        return (action,)

    def grants(self, resource: str, action: str, resource_id: str | None = None) -> bool:
        """Whether ``resource:action`` (on ``resource_id`` when given) is granted."""
        if self.is_admin:
            return True
        for act in self._actions(resource, action):
            key = (resource, act)
            if key in self._global:
                return True
            if resource_id is not None and resource_id in self._ids.get(key, ()):
                return True
        return False

    def satisfies(self, required: str, target: Target | None = None) -> bool:
        """Whether the required scope is granted, resolved against the call's target."""
        if self.is_admin or required in self.raw:
            return True
        parsed = parse_scope(required)
        if parsed is None:
            return False
        if parsed.resource_id is None:
            if target is not None and target.kind == parsed.resource:
                return self.grants(parsed.resource, parsed.action, target.id)
            return self.grants(parsed.resource, parsed.action)
        if parsed.resource_id == WILDCARD:
            return self.grants(parsed.resource, parsed.action)
        return self.grants(parsed.resource, parsed.action, parsed.resource_id)

    def accessible_ids(self, kind: str, action: str | None = None) -> frozenset[str]:
        """Ids of ``kind`` the scopes reach with ``action`` (read or run when ``None``).

        ``{"*"}`` means all of them. Used to filter list results.
        """
        if self.is_admin:
            return _ALL
        actions: tuple[str, ...] = self._actions(kind, action) if action else ("read", "run")
        ids: set[str] = set()
        for act in actions:
            if (kind, act) in self._global:
                return _ALL
            ids.update(self._ids.get((kind, act), ()))
        return frozenset(ids)

    def resolve(self, required: str, target: Target | None) -> str:
        """The concrete scope to name in a denial (``agents:run`` on a1 → ``agents:a1:run``)."""
        parsed = parse_scope(required)
        if (
            parsed is not None
            and parsed.resource_id is None
            and target is not None
            and target.kind == parsed.resource
        ):
            return f"{parsed.resource}:{target.id}:{parsed.action}"
        return required
