"""Where and how the client connects: base URLs, channel options, one channel per event loop.

A ``grpc.aio`` channel belongs to the event loop it was created on, while one client object is
used from several loops (``asyncio.run`` per call in scripts, the private loop of the sync
twins, a server's loop when the client is a gateway's RemoteAgent). So the pool keeps one
channel per loop, created lazily on first use and dropped with its loop (weak keys): a channel
is never shared between loops, and a loop never waits for another.

``grpc`` is imported on first use, not when ``agentos.client`` is imported.
"""

from __future__ import annotations

import asyncio
import threading
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

if TYPE_CHECKING:
    import grpc

DEFAULT_INSECURE_PORT = 50051
DEFAULT_SECURE_PORT = 443
MiB = 1024 * 1024

DEFAULT_CHANNEL_OPTIONS: tuple[tuple[str, int | str], ...] = (
    # Run inputs and outputs carry media; the server's default limit is 32 MiB both ways.
    ("grpc.max_receive_message_length", 32 * MiB),
    ("grpc.max_send_message_length", 32 * MiB),
    # Ping while calls are open, so that a dead server under a long, quiet stream is noticed.
    # 30 s respects the server's minimum ping interval (10 s) with room to spare.
    ("grpc.keepalive_time_ms", 30_000),
    ("grpc.keepalive_timeout_ms", 10_000),
    ("grpc.keepalive_permit_without_calls", 0),
    ("grpc.http2.max_pings_without_data", 0),
    ("grpc.primary_user_agent", "agentos-python-client"),
)

_SECURE_SCHEMES = {"grpcs": True, "https": True, "grpc": False, "http": False}


@dataclass(frozen=True, slots=True)
class Endpoint:
    """A parsed base URL: the gRPC target (``host:port``, or a ``unix:``/``dns:`` target) and TLS."""

    target: str
    secure: bool


def parse_base_url(base_url: str) -> Endpoint:
    """The gRPC target of ``localhost:50051``, ``grpc://h:p``, ``grpcs://h[:p]``, ``unix:/path`` or
    Agno-style ``http(s)://h[:p]``.

    A missing port is 50051 for plain text and 443 for TLS. Paths are ignored (gRPC has none).
    """
    text = base_url.strip()
    if not text:
        raise ValueError("base_url is empty; pass e.g. 'localhost:50051' or 'grpcs://agents.example.com'")
    if text.startswith(("unix:", "unix-abstract:", "dns:", "ipv4:", "ipv6:")):
        return Endpoint(text, False)
    scheme, sep, _ = text.partition("://")
    if not sep:
        text = f"grpc://{text}"
        scheme = "grpc"
    scheme = scheme.lower()
    if scheme not in _SECURE_SCHEMES:
        raise ValueError(
            f"base_url {base_url!r}: unsupported scheme {scheme!r} (use grpc://, grpcs://, http:// or https://)"
        )
    secure = _SECURE_SCHEMES[scheme]
    parts = urlsplit(text)
    host = parts.hostname
    if not host:
        raise ValueError(f"base_url {base_url!r} has no host")
    try:
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"base_url {base_url!r}: {exc}") from None
    if port is None:
        port = DEFAULT_SECURE_PORT if secure else DEFAULT_INSECURE_PORT
    host_text = f"[{host}]" if ":" in host else host
    return Endpoint(f"{host_text}:{port}", secure)


def call_metadata(
    defaults: Sequence[tuple[str, str | bytes]],
    headers: Mapping[str, str | bytes] | None,
    auth_token: str | None,
) -> tuple[tuple[str, str | bytes], ...]:
    """Invocation metadata: the client's headers, then the call's (replacing same-named ones).

    gRPC metadata keys are lowercase, so ``{"Authorization": ...}`` (Agno style) is accepted and
    sent as ``authorization``. A per-call ``auth_token`` wins over any authorization header.
    """
    merged: dict[str, str | bytes] = dict(defaults)
    for key, value in (headers or {}).items():
        merged[key.lower()] = value
    if auth_token:
        merged["authorization"] = f"Bearer {auth_token}"
    return tuple(merged.items())


def default_metadata(
    headers: Mapping[str, str | bytes] | None, auth_token: str | None
) -> tuple[tuple[str, str | bytes], ...]:
    return call_metadata((), headers, auth_token)


S = TypeVar("S")


@dataclass(slots=True)
class _LoopChannel:
    channel: grpc.aio.Channel
    stubs: dict[type[Any], Any] = field(default_factory=dict)
    ever_ready: bool = False


class ChannelPool:
    """One ``grpc.aio`` channel per event loop to one endpoint, with cached stubs."""

    def __init__(
        self,
        endpoint: Endpoint,
        *,
        options: Sequence[tuple[str, Any]] | None = None,
        credentials: grpc.ChannelCredentials | None = None,
    ) -> None:
        self.endpoint = endpoint
        merged: dict[str, Any] = dict(DEFAULT_CHANNEL_OPTIONS)
        merged.update(dict(options or ()))
        self._options = tuple(merged.items())
        self._credentials = credentials
        self._lock = threading.Lock()
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _LoopChannel] = (
            weakref.WeakKeyDictionary()
        )

    def _entry(self) -> _LoopChannel:
        loop = asyncio.get_running_loop()
        entry = self._by_loop.get(loop)
        if entry is None:
            with self._lock:
                entry = self._by_loop.get(loop)
                if entry is None:
                    entry = _LoopChannel(self._open())
                    self._by_loop[loop] = entry
        return entry

    def _open(self) -> grpc.aio.Channel:
        import grpc

        if self.endpoint.secure or self._credentials is not None:
            credentials = self._credentials or grpc.ssl_channel_credentials()
            return grpc.aio.secure_channel(self.endpoint.target, credentials, options=self._options)
        return grpc.aio.insecure_channel(self.endpoint.target, options=self._options)

    def channel(self) -> grpc.aio.Channel:
        """The channel of the running loop (created on first use)."""
        return self._entry().channel

    def stub(self, stub_class: type[S]) -> S:
        """A stub of ``stub_class`` on the running loop's channel (one per class and loop)."""
        entry = self._entry()
        stub = entry.stubs.get(stub_class)
        if stub is None:
            stub = stub_class(entry.channel)  # type: ignore[call-arg]
            entry.stubs[stub_class] = stub
        return stub

    def connected(self) -> bool:
        """Whether the running loop's channel has been READY at some point (or is now)."""
        import grpc

        loop = asyncio.get_running_loop()
        entry = self._by_loop.get(loop)
        if entry is None:
            return False
        if entry.ever_ready:
            return True
        if entry.channel.get_state(try_to_connect=False) == grpc.ChannelConnectivity.READY:
            entry.ever_ready = True
        return entry.ever_ready

    def mark_ready(self) -> None:
        """Record that a call on the running loop's channel got an answer (so it did connect)."""
        loop = asyncio.get_running_loop()
        entry = self._by_loop.get(loop)
        if entry is not None:
            entry.ever_ready = True

    async def aclose(self) -> None:
        """Close the running loop's channel (other loops' channels close when they are collected)."""
        loop = asyncio.get_running_loop()
        with self._lock:
            entry = self._by_loop.pop(loop, None)
        if entry is not None:
            await entry.channel.close(grace=None)
