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

Also shared: the properties every kind exposes (``name``, ``description``, ``db``; and for the
kinds that can be team members, ``role``, ``tools``, ``model``, ``knowledge``), the sync
``run``, relaying a client stream, and ``cancel_run``. Each Remote* class keeps only what
differs: its constructor (Agno's parameter names and defaults), how its configuration is
fetched, its own properties and its ``arun``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
import weakref
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, Protocol, TypeVar, overload

from agentos.client._client import AgentOSClient
from agentos.client._errors import AgentOSClientError, FailedPreconditionError, NotFoundError
from agentos.client._sync import ensure_no_running_loop, iterate_sync, run_sync
from agentos.client._transport import Headers
from agentos.client._types import ModelInfo

if TYPE_CHECKING:
    from agentos.run import RunOutput, RunOutputEvent

logger = logging.getLogger("agentos.client")


class EntityConfig(Protocol):
    """What every kind's configuration (``AgentResponse``, ``TeamResponse``...) has."""

    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str: ...
    @property
    def db_id(self) -> str: ...


class MemberConfig(EntityConfig, Protocol):
    """What the configuration of a kind that can be a team member also has."""

    @property
    def role(self) -> str: ...
    @property
    def tools(self) -> list[dict[str, Any]]: ...
    @property
    def model(self) -> ModelInfo | None: ...
    @property
    def knowledge_id(self) -> str: ...
    @property
    def features(self) -> dict[str, Any]: ...


C = TypeVar("C", bound=EntityConfig)
M = TypeVar("M", bound=MemberConfig)
T = TypeVar("T")

# Arguments of an ``arun`` that it handles itself rather than pass on to the client's run method.
_OWN_ARGUMENTS = frozenset({"self", "input", "stream", "stream_events", "resume_on_disconnect", "ignored"})


def run_options(given: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments an ``arun`` passes on to the client's run method: its arguments
    (``locals()``, taken first thing), but those it handles itself. The names of ``arun``'s
    parameters are those of the client's run methods, so they pass through unchanged."""
    return {name: value for name, value in given.items() if name not in _OWN_ARGUMENTS}


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

    # -- what the configuration says -----------------------------------------------------------------

    def _config_field(self, read: Callable[[C], T], empty: T) -> T:
        """``read`` of the configuration for a synchronous property; ``empty`` without one."""
        config = self.cached_config()
        return read(config) if config is not None else empty

    @property
    def name(self) -> str | None:
        return self._config_field(lambda config: config.name or None, None)

    @property
    def description(self) -> str | None:
        return self._config_field(lambda config: config.description or None, None)

    @property
    def db(self) -> RemoteDb | None:
        return self._config_field(lambda config: RemoteDb(config.db_id) if config.db_id else None, None)

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

    # -- runs ----------------------------------------------------------------------------------------

    async def _default_stream_events(self) -> bool:
        """Whether a stream carries every event when the caller did not say (``stream_events=None``)."""
        raise NotImplementedError

    async def _relay(
        self, start: Callable[[bool], AsyncIterator[RunOutputEvent]], stream_events: bool | None
    ) -> AsyncIterator[RunOutputEvent]:
        """The events of the client stream ``start(stream_events)``, closing it when the consumer
        stops early (which cancels the call); ``stream_events=None`` follows the entity's default."""
        events = stream_events if stream_events is not None else await self._default_stream_events()
        source = start(events)
        async with contextlib.aclosing(source):  # type: ignore[type-var]
            async for event in source:
                yield event

    def _blocking(self, method: str, call: Callable[..., Any], first: Any, stream: bool, kwargs: Any) -> Any:
        """Drive ``call(first, stream=stream, **kwargs)`` (a coroutine, or with ``stream`` an event
        stream) from sync code; must not be called from inside a running event loop."""
        what = f"{type(self).__name__}.{method}()"
        ensure_no_running_loop(what)
        if stream:
            return iterate_sync(call(first, stream=True, **kwargs), what)
        return run_sync(call(first, stream=False, **kwargs), what)

    # ``arun``: each kind's own, with Agno's parameters for that kind.
    arun: Callable[..., Any]

    @overload
    def run(self, input: Any = None, *, stream: Literal[False] = False, **kwargs: Any) -> RunOutput: ...

    @overload
    def run(self, input: Any = None, *, stream: Literal[True], **kwargs: Any) -> Iterator[RunOutputEvent]: ...

    def run(
        self, input: Any = None, *, stream: bool = False, **kwargs: Any
    ) -> RunOutput | Iterator[RunOutputEvent]:
        """Sync ``arun`` (same arguments); must not be called from inside a running event loop."""
        result: RunOutput | Iterator[RunOutputEvent] = self._blocking("run", self.arun, input, stream, kwargs)
        return result

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


class RemoteMember(RemoteEntity[M]):
    """Base of the kinds that can be members of a team (agents, teams): what a team reads of them."""

    @property
    def role(self) -> str | None:
        return self._config_field(lambda config: config.role or None, None)

    @property
    def tools(self) -> list[dict[str, Any]]:
        return self._config_field(lambda config: list(config.tools), [])

    @property
    def model(self) -> ModelInfo | None:
        return self._config_field(lambda config: config.model, None)

    @property
    def knowledge(self) -> RemoteKnowledge | None:
        return self._config_field(
            lambda config: RemoteKnowledge(config.knowledge_id) if config.knowledge_id else None, None
        )

    async def _default_stream_events(self) -> bool:
        """The entity's own ``stream_events`` setting (False when its configuration is unreadable)."""
        try:
            config = await self.aconfig()
        except AgentOSClientError:
            return False
        return bool(config.features.get("stream_events", False))
