"""``AuthContext``: who is calling and what they may do, available to every service handler.

The interceptor builds one per call and puts it in a context variable inside the handler's
own task, so handlers call :func:`current_auth` instead of threading an argument through every
layer, and concurrent calls never see each other's identity. The fields follow what Agno's
``JWTMiddleware`` stores on ``request.state`` (authenticated, user_id, session_id, scopes,
audience, token, authorization_enabled, dependencies, session_state, accessible resource ids).

Without auth (no interceptor, or a method excluded from auth) :func:`current_auth` returns the
*disabled* context: admin-equivalent, with the user id taken from the request. That keeps
handlers free of "is auth on?" branches: they always ask the context.
"""

from __future__ import annotations

import contextvars
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from agentos.os.auth._config import ADMIN_SCOPE
from agentos.os.auth._errors import PermissionDeniedError
from agentos.os.auth._scope_map import RunAccess
from agentos.os.auth._scopes import WILDCARD, ScopeSet, Target

_EMPTY: Mapping[str, Any] = MappingProxyType({})
_RUN_KINDS = ("agents", "teams", "workflows")


def _blank_to_none(value: str | None) -> str | None:
    return value or None


@dataclass(frozen=True, slots=True, kw_only=True)
class AuthContext:
    """The caller of the current RPC.

    - ``authenticated``: a verified token was presented.
    - ``authorization_enabled``: scopes are enforced (RBAC on); when off, :meth:`can` is
      always true.
    - ``user_id`` / ``session_id``: from the token's claims; ``scopes`` as granted.
    - ``is_admin``: holds the admin scope (or auth is off): may act for any user.
    - ``dependencies`` / ``session_state``: the configured claims, to merge into runs.
    - ``claims`` / ``token`` / ``audience``: the raw material, e.g. to forward the token to a
      remote AgentOS.
    - ``method``: the full gRPC method name of the call.
    - ``target``: the resource the call acts on when the request names it (``agents``/``a1``).
    """

    authenticated: bool
    authorization_enabled: bool
    is_admin: bool
    user_id: str | None = None
    session_id: str | None = None
    scopes: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    token: str | None = None
    claims: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    dependencies: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    session_state: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    method: str = ""
    target: Target | None = None
    admin_scope: str = ADMIN_SCOPE
    _scope_set: ScopeSet | None = field(default=None, repr=False, compare=False)
    _run_access: RunAccess | None = field(default=None, repr=False, compare=False)

    @classmethod
    def disabled(cls, method: str = "") -> AuthContext:
        """The context of a call that no auth applies to: everything allowed, no identity."""
        return cls(authenticated=False, authorization_enabled=False, is_admin=True, method=method)

    def _granted(self) -> ScopeSet:
        if self._scope_set is None:
            object.__setattr__(self, "_scope_set", ScopeSet(self.scopes, self.admin_scope))
        assert self._scope_set is not None
        return self._scope_set

    # -- scopes ---------------------------------------------------------------------------------

    def can(self, scope: str, target: Target | None = None) -> bool:
        """Whether ``scope`` is granted (resolved against ``target`` like the scope map does)."""
        if not self.authorization_enabled:
            return True
        return self._granted().satisfies(scope, target)

    def require(self, scope: str, target: Target | None = None) -> None:
        """Raise ``PermissionDeniedError`` naming ``scope`` unless :meth:`can` allows it."""
        if not self.can(scope, target):
            named = self._granted().resolve(scope, target)
            raise PermissionDeniedError(f"{self.method or 'this call'} needs scope {named}", (named,))

    def accessible_resource_ids(self, kind: str, action: str | None = None) -> frozenset[str]:
        """Ids of ``kind`` (``agents``, ``teams``, ``workflows``) the caller may read or run.

        ``{"*"}`` means all. List handlers (ListAgents, GetConfig) filter with it.
        """
        if not self.authorization_enabled:
            return frozenset({WILDCARD})
        return self._granted().accessible_ids(kind, action)

    def can_access(self, kind: str, resource_id: str, action: str | None = None) -> bool:
        """Whether one resource is among :meth:`accessible_resource_ids`."""
        ids = self.accessible_resource_ids(kind, action)
        return WILDCARD in ids or resource_id in ids

    # -- per-user isolation ---------------------------------------------------------------------

    def effective_user_id(self, requested: str | None, *, default_to_caller: bool = True) -> str | None:
        """The user a call acts for.

        A non-admin caller always acts as the token's user: naming another user is refused
        (PERMISSION_DENIED), naming none means themselves. An admin (or a call without auth) acts
        for the requested user; with none requested, for itself when ``default_to_caller``
        (creating a run or a memory) or for nobody in particular (``None``: listing across
        users) otherwise.
        """
        requested = _blank_to_none(requested)
        if self.is_admin:
            if requested is not None or not default_to_caller:
                return requested
            return self.user_id
        if requested is not None and requested != self.user_id:
            raise PermissionDeniedError(
                f"user_id {requested!r} is not the caller's; only {self.admin_scope} may act for other users",
                (self.admin_scope,),
                user_id=requested,
            )
        return self.user_id

    def owns(self, owner_user_id: str | None) -> bool:
        """Whether the caller may touch a resource owned by ``owner_user_id``.

        Services that answer NOT_FOUND for other users' resources (so their existence does not
        leak) test this; :meth:`require_owner` raises PERMISSION_DENIED instead.
        """
        return self.is_admin or _blank_to_none(owner_user_id) == self.user_id

    def require_owner(self, owner_user_id: str | None, resource: str = "resource") -> None:
        if not self.owns(owner_user_id):
            raise PermissionDeniedError(f"this {resource} belongs to another user", (self.admin_scope,))

    def authorize_run(
        self,
        *,
        agent_id: str | None = None,
        team_id: str | None = None,
        workflow_id: str | None = None,
        user_id: str | None = None,
        action: RunAccess | None = None,
        check_owner: bool = True,
    ) -> None:
        """Check a call on a stored run once the handler has loaded it.

        ContinueRun, StreamContinueRun and CancelRun need ``<kind>:<id>:run`` on the run's
        target; GetRun and WatchRun accept that or ``sessions:read``. ``action`` defaults to
        what the scope map says for the current method (nothing to check when a
        ``scope_mappings`` entry already decided the call). With ``check_owner``, a non-admin
        may only touch its own runs (``user_id`` is the run's owner).
        """
        if check_owner:
            self.require_owner(user_id, "run")
        if not self.authorization_enabled or self.is_admin:
            return
        action = action or self._run_access
        if action is None:
            return
        ids = (agent_id, team_id, workflow_id)
        target = next((Target(k, v) for k, v in zip(_RUN_KINDS, ids, strict=True) if v), None)
        granted = self._granted()
        if action == "read" and granted.grants("sessions", "read"):
            return
        if target is not None and granted.grants(target.kind, "run", target.id):
            return
        needed = [f"{target.kind}:{target.id}:run"] if target is not None else [self.admin_scope]
        if action == "read":
            needed.append("sessions:read")
        raise PermissionDeniedError(
            f"{self.method or 'this call'} needs scope {' or '.join(needed)}", needed, method=self.method
        )


_DISABLED = AuthContext.disabled()
_CURRENT: contextvars.ContextVar[AuthContext] = contextvars.ContextVar("agentos_auth_context")


def current_auth() -> AuthContext:
    """The caller of the RPC being handled (the disabled context when no auth applies)."""
    return _CURRENT.get(_DISABLED)


def effective_user_id(requested_user_id: str | None, *, default_to_caller: bool = True) -> str | None:
    """:meth:`AuthContext.effective_user_id` of the current call."""
    return current_auth().effective_user_id(requested_user_id, default_to_caller=default_to_caller)


def set_current_auth(context: AuthContext) -> contextvars.Token[AuthContext]:
    """Make ``context`` current (the interceptor does this; tests of handlers may too)."""
    return _CURRENT.set(context)


def reset_current_auth(token: contextvars.Token[AuthContext]) -> None:
    _CURRENT.reset(token)
