"""``RuntimeState``: what the services of one running server share.

One object per running server (not per AgentOS: the same AgentOS can be served twice, e.g. in
tests, and each server drains and caches on its own). Services receive it when they are
registered and keep no other mutable state, so all per-server state is in one place.

Hook points for the run service:

* ``runtime.check_accepting()`` at the start of every RPC that starts or continues a run:
  once shutdown began it raises UNAVAILABLE (``SERVER_SHUTTING_DOWN``), so load balancers and
  clients retry on another replica;
* ``with runtime.inflight.track_run(run_id, cancel=...)`` around the whole life of a run
  (streamed, unary or background): shutdown waits for it during the grace period, then calls
  ``cancel`` so the run ends with an in-band ``RunCancelled`` event;
* ``await runtime.idempotency.run((method, caller.key, request_id), request, create)`` for
  ``request_id`` handling;
* ``runtime.registry`` for the served entities and ``runtime.require_db()`` for storage.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from agentos.db import BaseDb
from agentos.os._errors import Reason, failed_precondition, unavailable
from agentos.os._idempotency import IdempotencyCache
from agentos.os._inflight import InflightWork
from agentos.os._registry import EntityRegistry

if TYPE_CHECKING:
    from agentos.os._agent_os import AgentOS


@dataclass(slots=True)
class RuntimeState:
    """State shared by the services of one running server."""

    agent_os: AgentOS
    registry: EntityRegistry
    inflight: InflightWork = field(default_factory=InflightWork)
    idempotency: IdempotencyCache = field(default_factory=IdempotencyCache)
    accepting: bool = True
    shutdown_hooks: list[Callable[[], Awaitable[None]]] = field(default_factory=list)
    """Awaited once the gRPC server has stopped (e.g. the run service writes its queued events);
    services add theirs when they are registered."""

    @property
    def os_id(self) -> str:
        return self.agent_os.id

    def begin_shutdown(self) -> None:
        """Refuse new runs from now on (existing ones go on until drained or cancelled)."""
        self.accepting = False

    def check_accepting(self) -> None:
        """UNAVAILABLE (SERVER_SHUTTING_DOWN) once shutdown began: call before starting new work."""
        if not self.accepting:
            raise unavailable(
                Reason.ERROR_REASON_SERVER_SHUTTING_DOWN,
                "the server is shutting down and accepts no new runs; retry on another replica",
            )

    def require_db(self) -> BaseDb:
        """The database of the Session/Memory services, or FAILED_PRECONDITION saying what to set."""
        db = self.registry.default_db()
        if db is None:
            raise failed_precondition(
                Reason.ERROR_REASON_DATABASE_NOT_CONFIGURED, self.registry.default_db_problem()
            )
        return db
