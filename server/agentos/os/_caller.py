"""Who is calling, and which user's data a call may touch.

With authorization on, the auth interceptor (``agentos.os.auth``) verifies the bearer token and
publishes the caller (user id, scopes, admin flag) in a context variable for the duration of
the call. Services ask this module rather than the token: a non-admin caller always acts for
the user of its token (a ``user_id`` in the request is replaced by it, so one user can never
read or change another's sessions or memories), while admins, and every caller of a server
without authorization, act for the user the request names (or for all users when it names
none), as in Agno.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import grpc
from agentos.os._errors import Reason, RpcError


@dataclass(frozen=True, slots=True)
class Caller:
    """The caller of the current RPC. ``user_id`` is None when the call is not authenticated."""

    user_id: str | None
    is_admin: bool
    scopes: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        """A stable key of the caller's identity (for idempotency caches): "" for anonymous/admin."""
        return "" if self.is_admin or self.user_id is None else f"user:{self.user_id}"


ANONYMOUS_ADMIN = Caller(user_id=None, is_admin=True)
"""Every caller of a server without authorization: like Agno, no token means no restriction."""


def _auth_module() -> Any | None:
    try:
        return importlib.import_module("agentos.os.auth")
    except ImportError:
        return None


def current_caller() -> Caller:
    """The caller of the RPC being served (``ANONYMOUS_ADMIN`` when authorization is off)."""
    module = _auth_module()
    current = getattr(module, "current_auth", None) if module is not None else None
    if current is None:
        return ANONYMOUS_ADMIN
    auth = cast(Callable[[], Any], current)()
    if auth is None:
        return ANONYMOUS_ADMIN
    user_id = getattr(auth, "user_id", None)
    return Caller(
        user_id=str(user_id) if user_id else None,
        is_admin=bool(getattr(auth, "is_admin", False)),
        scopes=frozenset(getattr(auth, "scopes", ()) or ()),
    )


def acting_user(requested: str) -> str | None:
    """The user a call acts for: the token's user for non-admins, else ``requested`` ("" → None).

    None means "every user" (list filters) or "no owner" (creation), which only admins and
    servers without authorization can get.
    """
    module = _auth_module()
    effective = getattr(module, "effective_user_id", None) if module is not None else None
    if effective is not None:
        value = cast(Callable[[str | None], str | None], effective)(requested or None)
        return value or None
    caller = current_caller()
    if caller.is_admin:
        return requested or None
    if caller.user_id is None:
        # Never let a non-admin without a user fall through to "every user".
        raise RpcError(
            grpc.StatusCode.PERMISSION_DENIED,
            Reason.ERROR_REASON_PERMISSION_DENIED,
            "the bearer token names no user, so it cannot access user data",
        )
    return caller.user_id
