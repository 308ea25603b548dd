"""Who is calling, and which users' data and which entities a call may touch.

With authorization on, the auth interceptor (``agentos.os.auth``) verifies the bearer token and
publishes the caller in a context variable for the duration of the call; without it the caller
is the *disabled* context, which may do everything (as in Agno). Services ask this module:

* :func:`acting_user` for per-user isolation: a non-admin caller always acts for the user of its
  token (naming another user is PERMISSION_DENIED), so one user can never read or change
  another's sessions or memories; admins act for the user the request names, or for every
  user when it names none;
* :func:`visible_ids` to filter listings of agents, teams and workflows to those the caller's
  scopes let it read or run.
"""

from __future__ import annotations

from collections.abc import Iterable

from agentos.os.auth import current_auth, effective_user_id

WILDCARD = "*"


def caller_key() -> str:
    """A stable key of the caller's identity (for idempotency caches): "" without a user."""
    auth = current_auth()
    return f"user:{auth.user_id}" if auth.user_id else ""


def acting_user(requested: str, *, for_creation: bool = False) -> str | None:
    """The user a call acts for (None: every user, for an admin listing or reading by id).

    ``for_creation``: an admin that names no user creates the resource for itself (its token's
    user), as Agno does; otherwise naming none means "not restricted to one user".
    """
    return effective_user_id(requested or None, default_to_caller=for_creation)


def visible_ids(kind: str, ids: Iterable[str]) -> list[str]:
    """The ids of ``kind`` (``agents``, ``teams``, ``workflows``) the caller may read, in order."""
    accessible = current_auth().accessible_resource_ids(kind)
    if WILDCARD in accessible:
        return list(ids)
    return [entity_id for entity_id in ids if entity_id in accessible]


def can_see(kind: str, entity_id: str) -> bool:
    """Whether the caller may read one agent, team or workflow."""
    return current_auth().can_access(kind, entity_id)
