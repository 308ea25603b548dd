"""``AgentOSClient``: every operation of an AgentOS over gRPC, with Agno's method names.

Methods are async (``await client.run_agent(...)``; streams are ``async for``); Agno's sync
names exist where Agno has them (``get_config``, ``get_agent``, ``get_team``,
``get_workflow``), and ``client.sync`` offers a blocking twin of every method under the same
name (``client.sync.run_agent(...)``), driven on a private per-thread loop.

Runs come back as the domain objects local runs produce (``RunOutput`` and the event classes,
via ``agentos.wire``); sessions and memories as ``AgentSession``/``UserMemory``; discovery as
the dataclasses of ``_types``. Knowledge, traces, metrics and evals return the contract's
messages (their domain classes do not exist yet). Every method takes ``headers=`` (extra
per-call metadata) and ``auth_token=`` (sent as ``authorization: Bearer <token>``); failures
raise the typed errors of ``_errors``.

Each area of the contract is a mixin in its own module, all built on ``_client_core``:
``_client_discovery``, ``_client_runs`` (starting, continuing, cancelling), ``_client_run_history``
(reading and watching runs), ``_client_memories``, ``_client_sessions``, ``_client_knowledge``
and ``_client_observability`` (traces, metrics, evals). This module composes them and owns the
client's lifecycle (channels, ``sync``, context managers).

Heavy modules (grpc, the generated stubs, ``agentos.wire`` and the engine's classes) are
imported on first use, so ``import agentos.client`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from agentos.client._client_discovery import DiscoveryMethods
from agentos.client._client_knowledge import KnowledgeMethods
from agentos.client._client_memories import MemoryMethods
from agentos.client._client_observability import ObservabilityMethods
from agentos.client._client_runs import RunMethods
from agentos.client._client_sessions import SessionMethods
from agentos.client._transport import Headers, Transport

if TYPE_CHECKING:
    import grpc
    from agentos.client._sync_client import SyncAgentOSClient


class AgentOSClient(
    DiscoveryMethods,
    RunMethods,
    MemoryMethods,
    SessionMethods,
    KnowledgeMethods,
    ObservabilityMethods,
):
    """A client of one AgentOS (see the module docstring).

    ``base_url``: ``"localhost:50051"``, ``"grpc://host:port"``, ``"grpcs://host"`` (TLS), or
    Agno-style ``http(s)://host:port``. ``timeout``: seconds per call (None: no deadline); for
    streams, the longest wait for the next event. ``auth_token`` / ``headers``: sent with every
    call (per-call values win). ``channel_options``: extra gRPC channel arguments.
    ``tls``: True/False to force TLS on or off, or ``grpc.ChannelCredentials`` (client
    certificates, private CAs).

    One channel is opened per event loop that uses the client, lazily; close them with
    ``await client.aclose()`` (or ``async with AgentOSClient(...) as client``).
    """

    def __init__(
        self,
        base_url: str,
        timeout: float | None = 60.0,
        *,
        auth_token: str | None = None,
        headers: Headers | None = None,
        channel_options: Sequence[tuple[str, Any]] | None = None,
        tls: bool | grpc.ChannelCredentials | None = None,
    ) -> None:
        self._transport = Transport(
            base_url,
            timeout,
            auth_token=auth_token,
            headers=headers,
            channel_options=channel_options,
            tls=tls,
        )
        self._sync: SyncAgentOSClient | None = None

    @property
    def sync(self) -> SyncAgentOSClient:
        """Blocking twins of every method, same names (``client.sync.run_agent(...)``)."""
        if self._sync is None:
            from agentos.client._sync_client import SyncAgentOSClient

            self._sync = SyncAgentOSClient(self)
        return self._sync

    def __repr__(self) -> str:
        return f"AgentOSClient(base_url={self.base_url!r}, timeout={self.timeout!r})"

    async def aclose(self) -> None:
        """Close this event loop's channel (a later call opens a new one)."""
        await self._transport.pool.aclose()

    def close(self) -> None:
        """Close the channel of this thread's sync loop (the one ``client.sync`` uses)."""
        from agentos.client._sync import run_sync

        run_sync(self._transport.pool.aclose(), "AgentOSClient.close()")

    async def __aenter__(self) -> AgentOSClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def __enter__(self) -> AgentOSClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
