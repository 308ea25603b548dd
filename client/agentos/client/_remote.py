"""What RemoteAgent, RemoteTeam and RemoteWorkflow share: the client and the cached configuration.

The entity's description (name, role, tools...) is read from the server and cached for
``config_ttl`` seconds. The properties that expose it are synchronous (they are used where a
local Agent's attributes are, e.g. by a team building its members' descriptions), so:

* outside an event loop, a stale or missing configuration is fetched on the spot (blocking, on
  the thread's private loop), as Agno's properties do;
* inside a running event loop a property never blocks: it returns the cached configuration,
  even if stale, and starts one background refresh; with nothing cached yet it returns the
  empty value (``None`` / ``[]``) until the refresh lands. Async code that needs the
  configuration now awaits ``get_*_config()`` (always fresh) or ``aconfig()`` (cached).

A failed refresh keeps the stale configuration (a server blip must not blank out a gateway's
listing); with nothing cached, the sync path raises the error.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from agentos.client._client import AgentOSClient
from agentos.client._errors import AgentOSClientError, FailedPreconditionError, NotFoundError
from agentos.client._sync import run_sync
from agentos.client._transport import Headers

logger = logging.getLogger("agentos.client")

C = TypeVar("C")


@dataclass(frozen=True, slots=True)
class RemoteDb:
    """The database a remote entity uses, by id (its data is reached through the remote AgentOS)."""

    id: str


@dataclass(frozen=True, slots=True)
class RemoteKnowledge:
    """The knowledge base a remote entity uses, by id."""

    id: str


class RemoteEntity(Generic[C]):
    """Base of the Remote* classes: identity, client, and the TTL-cached configuration."""

    kind: str = "entity"
    is_remote: bool = True

    def __init__(
        self,
        base_url: str,
        entity_id: str,
        *,
        timeout: float | None,
        config_ttl: float,
        auth_token: str | None,
        headers: Headers | None,
        client: AgentOSClient | None,
    ) -> None:
        if not entity_id:
            raise ValueError(f"{self.kind}_id is required")
        if config_ttl < 0:
            raise ValueError("config_ttl must be >= 0 seconds")
        self.base_url = base_url
        self.config_ttl = config_ttl
        self._id = entity_id
        self.client = client or AgentOSClient(base_url, timeout, auth_token=auth_token, headers=headers)
        self._config: C | None = None
        self._fetched_at = 0.0
        self._lock = threading.Lock()
        self._refresh_tasks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Task[Any]] = (
            weakref.WeakKeyDictionary()
        )

    @property
    def id(self) -> str:
        return self._id

    @property
    def timeout(self) -> float | None:
        return self.client.timeout

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, {self.kind}_id={self._id!r})"

    # -- configuration cache ---------------------------------------------------------------------------

    async def _fetch_config(self, auth_token: str | None = None) -> C:
        raise NotImplementedError

    def _store(self, config: C) -> C:
        with self._lock:
            self._config = config
            self._fetched_at = time.monotonic()
        return config

    def _fresh(self) -> bool:
        return self._config is not None and time.monotonic() - self._fetched_at < self.config_ttl

    async def _afresh_config(self, auth_token: str | None = None) -> C:
        return self._store(await self._fetch_config(auth_token))

    async def aconfig(self) -> C:
        """The configuration: the cached one while fresh, else fetched now."""
        config = self._config
        if config is not None and self._fresh():
            return config
        return await self._afresh_config()

    def refresh_config(self) -> C:
        """Fetch the configuration now (blocking) and cache it."""
        return run_sync(self._afresh_config(), f"{type(self).__name__}.refresh_config()")

    async def arefresh_config(self) -> C:
        """Fetch the configuration now and cache it."""
        return await self._afresh_config()

    def cached_config(self) -> C | None:
        """The configuration for a synchronous property (see the module docstring)."""
        config = self._config
        if config is not None and self._fresh():
            return config
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            try:
                return self.refresh_config()
            except AgentOSClientError:
                if config is not None:
                    logger.warning("%r: configuration refresh failed; using the cached one", self)
                    return config
                raise
        self._refresh_in_background(loop)
        return config

    def _refresh_in_background(self, loop: asyncio.AbstractEventLoop) -> None:
        task = self._refresh_tasks.get(loop)
        if task is not None and not task.done():
            return
        task = loop.create_task(self._afresh_config())
        self._refresh_tasks[loop] = task

        def done(finished: asyncio.Task[Any]) -> None:
            if self._refresh_tasks.get(loop) is finished:
                del self._refresh_tasks[loop]
            if not finished.cancelled() and finished.exception() is not None:
                logger.warning("%r: background configuration refresh failed: %s", self, finished.exception())

        task.add_done_callback(done)

    # -- shared operations ---------------------------------------------------------------------------

    async def cancel_run(
        self, run_id: str, auth_token: str | None = None, *, headers: Headers | None = None
    ) -> bool:
        """Cancel a run of this entity: True if it is now cancelled, False if it had already
        ended or is unknown. Other failures (unreachable server, auth) raise."""
        try:
            return await self.client.cancel_run(run_id, headers=headers, auth_token=auth_token)
        except (FailedPreconditionError, NotFoundError):
            return False
