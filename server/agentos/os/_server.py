"""The gRPC server: services, health, reflection, transport limits and graceful shutdown.

Shutdown order (``RunningServer.stop``), chosen so that nothing in flight is lost or torn:

1. refuse new runs (``RuntimeState.begin_shutdown``) and mark every health status NOT_SERVING
   (watching load balancers stop routing here);
2. optionally stay reachable for ``shutdown_delay`` seconds (lame duck), so balancers that poll
   health see NOT_SERVING before connections are refused;
3. stop accepting RPCs; let RPCs and runs in flight finish within ``grace_period``;
4. cancel the runs still going (they end with an in-band cancelled event) and give them
   ``cancel_grace`` to finish writing it;
5. cancel whatever is left (health watches, reflection streams) and close;
6. run the shutdown hooks (``on_shutdown``), e.g. stop the REST gateway: it goes last because
   the REST streams of the runs that just drained passed through it.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import math
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import grpc
from agentos.os._event_loop import EVENT_LOOPS
from agentos.os._method_table import MethodTable
from agentos.os._runtime import RuntimeState
from agentos.os._services import ServiceSpec
from grpc_health.v1 import health_pb2, health_pb2_grpc
from grpc_health.v1._async import HealthServicer

if TYPE_CHECKING:
    from agentos.os._agent_os import AgentOS
    from agentos.os.gateway import Gateway

logger = logging.getLogger("agentos.os")

HEALTH_SERVICE = "grpc.health.v1.Health"
REFLECTION_SERVICES = ("grpc.reflection.v1alpha.ServerReflection",)  # what grpcio-reflection serves
MiB = 1024 * 1024


@dataclass(frozen=True, slots=True, kw_only=True)
class ServerSettings:
    """Transport and lifecycle settings of the gRPC server (all times in seconds).

    - ``max_message_bytes``: largest message received or sent (run inputs carry media).
    - ``keepalive_time`` / ``keepalive_timeout``: the server pings idle connections this often and
      drops them when a ping is not answered in time (dead peers behind NATs).
    - ``permit_keepalive_time``: the most frequent client pings accepted (clients that ping
      faster are disconnected with ENHANCE_YOUR_CALM, as gRPC's defaults do).
    - ``max_connection_idle``: close connections without calls for this long (None: never).
    - ``max_connection_age`` / ``max_connection_age_grace``: recycle connections so that load
      spreads over new replicas (None: never).
    - ``maximum_concurrent_rpcs``: RPCs beyond this are refused with RESOURCE_EXHAUSTED (None:
      unbounded; everything runs on one event loop, so this caps memory, not threads).
    - ``accept_timeout``: how long a new call may wait for the server to take it. grpc.aio
      takes one new call per turn of the event loop, and a loop busy with many runs streaming
      at full speed turns slowly; gRPC's own limit (30 s) then cancelled new calls with a bare
      CANCELLED before they reached a handler (1000 concurrent streams of 1000 events each lost
      ~15% that way). Whole seconds.
    - ``grace_period``: how long shutdown waits for RPCs and runs in flight.
    - ``cancel_grace``: after cancelling runs, how long they get to end their streams.
    - ``shutdown_delay``: time between NOT_SERVING and refusing connections (lame duck).
    - ``idempotency_max_entries`` / ``idempotency_ttl``: the request_id cache.
    - ``worker_threads``: size of the thread pool for sync tools and other blocking work
      (asyncio's default executor) when ``serve()`` owns the event loop; None keeps asyncio's
      default (min(32, CPUs + 4)).
    - ``gc_freeze`` / ``gc_young_threshold``: process-wide garbage collector tuning applied when
      a server starts (see ``_tune_gc``): freeze what start-up built (once per process), and
      collect the young generation every this many net allocations instead of CPython's 700
      (None leaves the threshold alone). Both exist because collector pauses were the p99 of
      concurrent runs; turn them off when embedding the server in an application that tunes
      its own collector.
    - ``event_loop``: the loop ``AgentOS.serve()`` creates: ``auto`` (uvloop when installed,
      else asyncio's), ``asyncio`` or ``uvloop`` (see ``_event_loop``). ``aserve``/``start``
      run on the caller's loop, whatever it is.
    """

    max_message_bytes: int = 32 * MiB
    keepalive_time: float = 60.0
    keepalive_timeout: float = 20.0
    permit_keepalive_time: float = 10.0
    max_connection_idle: float | None = None
    max_connection_age: float | None = None
    max_connection_age_grace: float | None = None
    maximum_concurrent_rpcs: int | None = None
    accept_timeout: float = 300.0
    grace_period: float = 30.0
    cancel_grace: float = 5.0
    shutdown_delay: float = 0.0
    idempotency_max_entries: int = 10_000
    idempotency_ttl: float = 24 * 3600.0
    worker_threads: int | None = None
    gc_freeze: bool = True
    gc_young_threshold: int | None = 10_000
    event_loop: str = "auto"

    def __post_init__(self) -> None:
        if self.max_message_bytes < 1024:
            raise ValueError("max_message_bytes must be at least 1024")
        for name in ("keepalive_time", "keepalive_timeout", "permit_keepalive_time", "accept_timeout"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive")
        for name in ("grace_period", "cancel_grace", "shutdown_delay", "idempotency_ttl"):
            value = getattr(self, name)
            if not (value >= 0 and math.isfinite(value)):
                raise ValueError(f"{name} must be a finite number >= 0")
        for name in ("max_connection_idle", "max_connection_age", "max_connection_age_grace"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be positive or None")
        if self.maximum_concurrent_rpcs is not None and self.maximum_concurrent_rpcs < 1:
            raise ValueError("maximum_concurrent_rpcs must be at least 1 or None")
        if self.worker_threads is not None and self.worker_threads < 1:
            raise ValueError("worker_threads must be at least 1 or None")
        if self.gc_young_threshold is not None and self.gc_young_threshold < 1:
            raise ValueError("gc_young_threshold must be at least 1 or None")
        if self.idempotency_max_entries < 1:
            raise ValueError("idempotency_max_entries must be at least 1")
        if self.event_loop not in EVENT_LOOPS:
            raise ValueError(f"event_loop must be one of {', '.join(EVENT_LOOPS)}, not {self.event_loop!r}")

    def channel_options(self) -> list[tuple[str, int]]:
        """The grpc core channel arguments these settings stand for."""

        def ms(seconds: float) -> int:
            return max(1, int(seconds * 1000))

        options = [
            ("grpc.max_receive_message_length", self.max_message_bytes),
            ("grpc.max_send_message_length", self.max_message_bytes),
            ("grpc.keepalive_time_ms", ms(self.keepalive_time)),
            ("grpc.keepalive_timeout_ms", ms(self.keepalive_timeout)),
            ("grpc.keepalive_permit_without_calls", 1),
            ("grpc.http2.min_recv_ping_interval_without_data_ms", ms(self.permit_keepalive_time)),
            ("grpc.http2.min_ping_interval_without_data_ms", ms(self.permit_keepalive_time)),
            ("grpc.http2.max_ping_strikes", 2),
            # One port, one server: never share a port silently with another process.
            ("grpc.so_reuseport", 0),
            ("grpc.server_max_unrequested_time_in_server", max(1, math.ceil(self.accept_timeout))),
        ]
        if self.max_connection_idle is not None:
            options.append(("grpc.max_connection_idle_ms", ms(self.max_connection_idle)))
        if self.max_connection_age is not None:
            options.append(("grpc.max_connection_age_ms", ms(self.max_connection_age)))
        if self.max_connection_age_grace is not None:
            options.append(("grpc.max_connection_age_grace_ms", ms(self.max_connection_age_grace)))
        return options


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


class RunningServer:
    """A started server: its address, shared state, and ``stop``."""

    def __init__(
        self,
        *,
        server: grpc.aio.Server,
        runtime: RuntimeState,
        health: HealthServicer,
        host: str,
        port: int,
        settings: ServerSettings,
        serving: Sequence[str],
    ) -> None:
        self.server = server
        self.runtime = runtime
        self.health = health
        self.host = host
        self.port = port
        self.settings = settings
        self.serving_services = tuple(serving)
        self._stop_task: asyncio.Task[None] | None = None
        self._stopped = asyncio.Event()
        self._loop = asyncio.get_running_loop()
        self._stop_callbacks: list[Callable[[], None]] = []
        self._shutdown_hooks: list[Callable[[], Awaitable[None]]] = []
        self.gateway: Gateway | None = None
        """The REST gateway started with this server (``rest_port``), if any."""

    @property
    def address(self) -> str:
        """``host:port`` to dial (``[::1]:port`` for IPv6 hosts)."""
        return _bind_address(self.host, self.port)

    async def stop(self, grace: float | None = None) -> None:
        """Shut down gracefully (see the module docstring); concurrent calls share one shutdown.

        ``grace`` overrides ``settings.grace_period``; 0 cancels runs at once.
        """
        if self._stop_task is None:
            self._stop_task = asyncio.ensure_future(
                self._shutdown(self.settings.grace_period if grace is None else grace)
            )
        await asyncio.shield(self._stop_task)

    def request_stop(self) -> None:
        """Start a graceful shutdown from any thread (e.g. a signal handler); returns at once."""

        def start() -> None:
            if self._stop_task is None:
                self._stop_task = asyncio.ensure_future(self._shutdown(self.settings.grace_period))

        self._loop.call_soon_threadsafe(start)

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def on_stopped(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (on the server's loop) once the server has shut down."""
        self._stop_callbacks.append(callback)

    @property
    def rest_url(self) -> str | None:
        """Base URL of the REST gateway (``http://host:port``), None without one."""
        return self.gateway.url if self.gateway is not None else None

    def on_shutdown(self, hook: Callable[[], Awaitable[None]]) -> None:
        """Await ``hook`` once the gRPC server has stopped, before ``stop()`` returns."""
        self._shutdown_hooks.append(hook)

    async def wait_stopped(self) -> None:
        """Return once the server has shut down."""
        await self._stopped.wait()

    async def _shutdown(self, grace: float) -> None:
        runtime = self.runtime
        try:
            runtime.begin_shutdown()
            await self.health.enter_graceful_shutdown()
            logger.info("AgentOS %s: shutting down (grace %.1fs)", runtime.os_id, grace)
            if self.settings.shutdown_delay > 0:
                await asyncio.sleep(self.settings.shutdown_delay)
            # Stops accepting RPCs now; the deadline given here is only a backstop.
            stopping = asyncio.ensure_future(self.server.stop(grace + self.settings.cancel_grace + 1.0))
            if not await runtime.inflight.drain(grace):
                cancelled = await runtime.inflight.cancel_all()
                if cancelled:
                    logger.warning(
                        "AgentOS %s: cancelled %d run(s) still going after the grace period",
                        runtime.os_id,
                        cancelled,
                    )
                await runtime.inflight.drain(self.settings.cancel_grace)
            # Whatever is left (health watches, reflection, handlers ignoring cancellation) ends now.
            await self.server.stop(None)
            with contextlib.suppress(asyncio.CancelledError):
                await stopping
            logger.info("AgentOS %s: stopped", runtime.os_id)
        finally:
            # The services' hooks first; the server's own (the REST gateway) last.
            for hook in [*runtime.shutdown_hooks, *self._shutdown_hooks]:
                try:
                    await hook()
                except Exception:
                    logger.exception("AgentOS %s: shutdown hook failed", runtime.os_id)
            self._stopped.set()
            for callback in self._stop_callbacks:
                try:
                    callback()
                except Exception:
                    logger.exception("AgentOS %s: stop callback failed", runtime.os_id)


async def start_server(
    agent_os: AgentOS,
    *,
    host: str,
    port: int,
    settings: ServerSettings,
    services: Sequence[ServiceSpec],
    interceptors: Sequence[grpc.aio.ServerInterceptor[Any, Any]] = (),
) -> RunningServer:
    """Build, bind and start a server for ``agent_os``; raises OSError when the port is taken."""
    from agentos.os._idempotency import IdempotencyCache

    runtime = RuntimeState(
        agent_os=agent_os,
        registry=agent_os.registry,
        idempotency=IdempotencyCache(
            max_entries=settings.idempotency_max_entries, ttl_seconds=settings.idempotency_ttl
        ),
    )
    server = grpc.aio.server(
        interceptors=list(interceptors) or None,
        options=settings.channel_options(),
        maximum_concurrent_rpcs=settings.maximum_concurrent_rpcs,
    )
    # Every service goes into one table, the server's only handler (why: _method_table).
    table = MethodTable(server, runtime.inflight)
    specs = list(services)
    names: list[str] = []
    for spec in specs:
        if spec.name in names:
            raise ValueError(f"service {spec.name} is registered twice")
        spec.register(table, runtime)
        names.append(spec.name)

    health = HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health, table)
    _enable_reflection(table, [*names, HEALTH_SERVICE])
    server.add_generic_rpc_handlers((table,))

    address = _bind_address(host, port)
    try:
        bound = server.add_insecure_port(address)
    except RuntimeError as exc:
        raise OSError(f"cannot listen on {address}: {exc}") from None
    if bound == 0:
        raise OSError(f"cannot listen on {address}: the address is in use or not available")
    await server.start()
    _tune_gc(settings)

    serving = [spec.name for spec in specs if spec.implemented]
    for name in ("", *serving):
        await health.set(name, health_pb2.HealthCheckResponse.SERVING)
    return RunningServer(
        server=server,
        runtime=runtime,
        health=health,
        host=host,
        port=bound,
        settings=settings,
        serving=serving,
    )


_gc_frozen = False


def _tune_gc(settings: ServerSettings) -> None:
    """Keep the cyclic garbage collector's pauses out of the serving path's tail latency.

    Measured with 64 concurrent runs (``benchmarks/bench_served.py``): with CPython's defaults,
    collections took ~11% of the server's time and full (gen2) collections paused the loop for
    up to ~160 ms, the whole p99. Two measures: ``gc.freeze()`` once per process, after
    start-up, moves everything imported and built so far (modules, classes, protobuf
    descriptors: most of the heap) out of the collector's sight, so full collections only
    walk objects created while serving; and a larger young-generation threshold, so that
    the short-lived objects of a run mostly die before a collection looks at them.
    """
    global _gc_frozen
    if settings.gc_freeze and not _gc_frozen:
        _gc_frozen = True
        gc.freeze()
    if settings.gc_young_threshold is not None:
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(settings.gc_young_threshold, older, oldest)


def _enable_reflection(table: MethodTable, service_names: Sequence[str]) -> None:
    # What reflection.enable_server_reflection() does for a grpc.aio.Server, into the table.
    from grpc_reflection.v1alpha import reflection, reflection_pb2_grpc

    names: list[Any] = [*service_names, *REFLECTION_SERVICES]
    servicer = reflection.aio.ReflectionServicer(names)  # type: ignore[attr-defined]
    reflection_pb2_grpc.add_ServerReflectionServicer_to_server(servicer, table)
