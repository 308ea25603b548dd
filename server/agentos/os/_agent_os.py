"""``AgentOS``: the composition root that serves agents, teams and workflows over gRPC.

It takes Agno's parameters under Agno's names. Parameters of features that come with later
work (knowledge, interfaces, tracing, FastAPI-only options) are
stored, listed by :attr:`AgentOS.features`, logged at start-up and echoed in ``GetConfig``
(which describes the declared deployment); the services that would use them answer
UNIMPLEMENTED until they exist. Nothing is silently dropped.

Serving: ``serve()`` blocks until SIGTERM/SIGINT; ``aserve()`` is the same inside a running
event loop; ``async with agent_os.running(port=0) as server`` starts and stops a server around
a block (tests, embedding). Each started server gets its own :class:`RuntimeState`.

REST: with ``rest_port`` (or a ``gateway`` configuration) the server also starts the REST/JSON +
SSE gateway (Envoy, see ``agentos.os.gateway``) in front of itself, with
``cors_allowed_origins`` as its CORS list. Start-up returns, and logs that it serves, only once
Envoy serves and has seen this server healthy; shutdown stops Envoy after the gRPC server
drained, so REST streams of runs in flight get their terminal events.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import tempfile
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Literal
from uuid import uuid4

import grpc
from agentos.db import BaseDb, InMemoryDb, PostgresDb, SchemaVersionError, SqliteDb
from agentos.os._config import AgentOSConfig, load_config
from agentos.os._event_loop import event_loop_factory, loop_name
from agentos.os._registry import EntityRegistry
from agentos.os._server import RunningServer, ServerSettings, start_server
from agentos.os._services import ServiceSpec, builtin_services
from agentos.v1 import agent_os_pb2
from agentos.wire._entities import DatabaseDescription, os_config_to_proto

if TYPE_CHECKING:
    from agentos.os.gateway import Gateway, GatewayConfig

logger = logging.getLogger("agentos.os")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 50051

_DEFERRED: dict[str, str] = {
    "knowledge": "the knowledge engine is not implemented yet (KnowledgeService answers UNIMPLEMENTED)",
    "interfaces": "interfaces are not implemented yet",
    "a2a_interface": "the A2A interface is not implemented yet",
    "enable_mcp_server": "the MCP server interface is not implemented yet",
    "tracing": "tracing is not implemented yet (TraceService answers UNIMPLEMENTED)",
    "tracing_db": "tracing is not implemented yet",
    "run_hooks_in_background": "background hooks need the run service, which is not implemented yet",
    "base_app": "there is no FastAPI app in a gRPC server; add gRPC services with services=[...]",
    "lifespan": "there is no FastAPI app in a gRPC server",
    "on_route_conflict": "there are no HTTP routes in a gRPC server",
    "settings": "AgnoAPISettings do not apply; pass server settings as ServerSettings",
}


def _db_type(db: BaseDb) -> str:
    if isinstance(db, SqliteDb):
        return "sqlite"
    if isinstance(db, PostgresDb):
        return "postgres"
    if isinstance(db, InMemoryDb):
        return "in_memory"
    return type(db).__name__


class AgentOS:
    """Serve agents (and later teams, workflows, knowledge) over gRPC.

    ``AgentOS(agents=[...], db=SqliteDb(...)).serve()`` starts a server on 127.0.0.1:50051
    with every service of the contract, gRPC health and server reflection.
    """

    def __init__(
        self,
        *,
        id: str | None = None,
        name: str | None = None,
        description: str | None = None,
        version: str | None = None,
        agents: Sequence[Any] | None = None,
        teams: Sequence[Any] | None = None,
        workflows: Sequence[Any] | None = None,
        knowledge: Sequence[Any] | None = None,
        db: BaseDb | None = None,
        interfaces: Sequence[Any] | None = None,
        a2a_interface: bool = False,
        authorization: bool = False,
        authorization_config: Any = None,
        cors_allowed_origins: Sequence[str] | None = None,
        config: AgentOSConfig | str | None = None,
        settings: ServerSettings | Any = None,
        base_app: Any = None,
        lifespan: Any = None,
        enable_mcp_server: bool = False,
        on_route_conflict: Literal["preserve_agentos", "preserve_base_app", "error"] = "preserve_agentos",
        tracing: bool = False,
        tracing_db: BaseDb | None = None,
        auto_provision_dbs: bool = True,
        run_hooks_in_background: bool = False,
        telemetry: bool = True,
        services: Sequence[ServiceSpec] | None = None,
    ) -> None:
        self.id = id or str(uuid4())
        self.name = name
        self.description = description
        self.version = version
        self.agents = list(agents or ())
        self.teams = list(teams or ())
        self.workflows = list(workflows or ())
        self.knowledge = list(knowledge or ())
        self.db = db
        self.interfaces = list(interfaces or ())
        self.a2a_interface = a2a_interface
        self.authorization = authorization
        self.authorization_config = authorization_config
        self.cors_allowed_origins = list(cors_allowed_origins) if cors_allowed_origins is not None else None
        self.config: AgentOSConfig = load_config(config)
        self.server_settings = settings if isinstance(settings, ServerSettings) else ServerSettings()
        self.settings = settings
        self.base_app = base_app
        self.lifespan = lifespan
        self.enable_mcp_server = enable_mcp_server
        self.on_route_conflict = on_route_conflict
        self.tracing = tracing
        self.tracing_db = tracing_db
        self.auto_provision_dbs = auto_provision_dbs
        self.run_hooks_in_background = run_hooks_in_background
        self.telemetry = telemetry
        self.services = list(services or ())
        self.registry = EntityRegistry.build(
            agents=self.agents, teams=self.teams, workflows=self.workflows, db=db
        )
        self._servers: list[RunningServer] = []
        self._servers_lock = threading.Lock()

    def __repr__(self) -> str:
        return f"AgentOS(id={self.id!r}, name={self.name!r}, agents={list(self.registry.agents)!r})"

    # -- description ---------------------------------------------------------------------------

    @property
    def authorization_enabled(self) -> bool:
        """Agno's rule: ``authorization=True`` or an ``authorization_config`` turns auth on."""
        return bool(self.authorization) or self.authorization_config is not None

    @property
    def features(self) -> dict[str, str]:
        """Parameters that are set, each "active" or "stored, not active yet: <why>"."""
        out: dict[str, str] = {}
        defaults: dict[str, Any] = {"on_route_conflict": "preserve_agentos"}
        for name, reason in _DEFERRED.items():
            value = getattr(self, name)
            if value in (None, False, [], ()) or defaults.get(name, object()) == value:
                continue
            out[name] = f"stored, not active yet: {reason}"
        if self.settings is not None and isinstance(self.settings, ServerSettings):
            out.pop("settings", None)
        if self.authorization_enabled:
            out["authorization"] = "active"
        if self.db is not None:
            out["db"] = "active"
        if self.config != AgentOSConfig():
            out["config"] = "active"
        if self.cors_allowed_origins:
            out["cors_allowed_origins"] = "active"  # applied by the REST gateway (rest_port)
        return out

    def databases(self) -> list[DatabaseDescription]:
        return [
            DatabaseDescription(db_id=db_id, db_type=_db_type(entry.db), domains=entry.domains)
            for db_id, entry in self.registry.databases.items()
        ]

    def describe_config(
        self, visible: Callable[[str, Iterable[str]], list[str]] | None = None
    ) -> agent_os_pb2.OSConfig:
        """The ``GetConfig`` answer: the declared deployment (see the module docstring).

        ``visible(kind, ids)`` filters the agents, teams and workflows listed (the caller's view).
        """
        registry = self.registry

        def shown(kind: str, entities: dict[str, Any]) -> list[Any]:
            ids = visible(kind, entities) if visible is not None else list(entities)
            return [entities[i] for i in ids]

        interfaces = list(self.interfaces)
        if self.a2a_interface:
            interfaces.append(_NamedInterface("a2a"))
        if self.enable_mcp_server:
            interfaces.append(_NamedInterface("mcp"))
        return os_config_to_proto(
            os_id=self.id,
            name=self.name,
            description=self.description,
            version=self.version,
            agents=shown("agents", registry.agents),
            teams=shown("teams", registry.teams),
            workflows=shown("workflows", registry.workflows),
            knowledge=self.knowledge,
            interfaces=interfaces,
            databases=self.databases(),
            config=self.config.model_dump(exclude_none=True),
            authorization_enabled=self.authorization_enabled,
            tracing_enabled=bool(self.tracing),
        )

    # -- serving -------------------------------------------------------------------------------

    def _interceptors(self) -> list[grpc.aio.ServerInterceptor[Any, Any]]:
        """The auth interceptor when authorization is on (its construction checks keys: fails fast)."""
        from agentos.os.auth import build_auth_interceptor

        interceptor = build_auth_interceptor(
            authorization=bool(self.authorization),
            authorization_config=self.authorization_config,
            os_id=self.id,
        )
        return [] if interceptor is None else [interceptor]

    @contextlib.asynccontextmanager
    async def running(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        rest_port: int | None = None,
        settings: ServerSettings | None = None,
        gateway: GatewayConfig | None = None,
    ) -> AsyncIterator[RunningServer]:
        """Start a server for the duration of the block (``port=0`` picks a free port)."""
        server = await self.start(host, port, rest_port=rest_port, settings=settings, gateway=gateway)
        try:
            yield server
        finally:
            await server.stop()

    async def start(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        rest_port: int | None = None,
        settings: ServerSettings | None = None,
        gateway: GatewayConfig | None = None,
    ) -> RunningServer:
        """Start a server on the running event loop and return it (stop it with ``await server.stop()``).

        ``rest_port`` (0: any free port) or ``gateway`` also starts the REST gateway; see the
        module docstring and :meth:`gateway_config`. Raises ``EnvoyNotFoundError`` or
        ``GatewayStartError`` (after stopping the gRPC server) when it cannot start.
        """
        effective = settings or self.server_settings
        if self.auto_provision_dbs:
            await self._provision_databases()
        server = await start_server(
            self,
            host=host,
            port=port,
            settings=effective,
            services=[*builtin_services(), *self.services],
            interceptors=self._interceptors(),
        )
        if rest_port is not None or gateway is not None:
            try:
                await self._start_gateway(server, host, rest_port, gateway)
            except BaseException:
                await server.stop(grace=0)
                raise
        with self._servers_lock:
            self._servers.append(server)
        server.on_stopped(lambda: self._forget(server))
        self._log_start(server)
        return server

    def gateway_config(
        self, server_address: str, host: str, rest_port: int | None, gateway: GatewayConfig | None
    ) -> GatewayConfig:
        """The gateway configuration for a server at ``server_address``.

        Starts from ``gateway`` (default: a ``GatewayConfig`` listening on the gRPC ``host``)
        and fills in what it leaves open: the port from ``rest_port``, the backends with this
        server (dialled on loopback when it listens on a wildcard address), CORS origins from
        ``cors_allowed_origins``.
        """
        from agentos.os.gateway import GatewayConfig

        base = gateway if gateway is not None else GatewayConfig(host=host)
        changes: dict[str, Any] = {}
        if rest_port is not None:
            changes["port"] = rest_port
        if not base.backends:
            changes["backends"] = [_loopback(server_address)]
        if base.cors_allowed_origins is None and self.cors_allowed_origins:
            changes["cors_allowed_origins"] = list(self.cors_allowed_origins)
        return replace(base, **changes) if changes else base

    async def _start_gateway(
        self, server: RunningServer, host: str, rest_port: int | None, gateway: GatewayConfig | None
    ) -> Gateway:
        from agentos.os.gateway import Gateway

        config = self.gateway_config(server.address, host, rest_port, gateway)
        site_dir: str | None = None
        if not config.static_routes:
            site_dir, config = await self._with_static_site(config)
        try:
            started = await Gateway.start(config)
        except BaseException:
            if site_dir is not None:
                await asyncio.to_thread(shutil.rmtree, site_dir, True)
            raise
        server.gateway = started
        server.on_shutdown(started.stop)
        if site_dir is not None:
            directory = site_dir
            server.on_shutdown(lambda: asyncio.to_thread(shutil.rmtree, directory, True))
        return started

    async def _with_static_site(self, config: GatewayConfig) -> tuple[str, GatewayConfig]:
        """Serve ``/openapi.json``, ``/docs`` and ``/chat`` from the gateway: the document and the
        pages are written to a private directory (removed at shutdown) that Envoy reads."""
        from agentos.os._openapi import OpenAPIOptions, write_static_site
        from agentos.os.gateway import StaticRoute

        directory = await asyncio.to_thread(tempfile.mkdtemp, prefix="agentos-site-")
        options = OpenAPIOptions(auth_required=self.authorization_enabled)
        site = await asyncio.to_thread(write_static_site, directory, options)
        routes = {path: StaticRoute(file.file, file.content_type) for path, file in site.items()}
        return directory, replace(config, static_routes=routes)

    async def _provision_databases(self) -> None:
        """Create or upgrade the tables now rather than on the first call (Agno's auto_provision_dbs).

        A database that cannot be reached does not stop the server: it logs a warning, calls that
        need it answer UNAVAILABLE, and the tables are created on first use once it is back. A
        schema newer than this code does stop it (SchemaVersionError).
        """
        entries = list(self.registry.databases.values())
        results = await asyncio.gather(
            *(entry.db.ensure_schema() for entry in entries), return_exceptions=True
        )
        for entry, result in zip(entries, results, strict=True):
            if isinstance(result, SchemaVersionError):
                # A schema newer than this code: serving would risk writing rows it cannot read.
                raise result
            if isinstance(result, Exception):
                logger.warning("AgentOS %s: database %s is not ready: %s", self.id, entry.db.id, result)
            elif isinstance(result, BaseException):
                raise result

    def _forget(self, server: RunningServer) -> None:
        with self._servers_lock:
            if server in self._servers:
                self._servers.remove(server)

    def _log_start(self, server: RunningServer) -> None:
        logger.info(
            "AgentOS %s serving gRPC on %s (agents: %s; database: %s; event loop: %s)",
            self.id,
            server.address,
            ", ".join(self.registry.agents) or "none",
            ", ".join(self.registry.databases) or "none",
            loop_name(asyncio.get_running_loop()),
        )
        if server.rest_url is not None:
            logger.info("AgentOS %s serving REST on %s", self.id, server.rest_url)
        for name, state in self.features.items():
            if state != "active":
                logger.warning("AgentOS %s: %s is %s", self.id, name, state)

    async def aserve(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        rest_port: int | None = None,
        settings: ServerSettings | None = None,
        handle_signals: bool = True,
        gateway: GatewayConfig | None = None,
    ) -> None:
        """Serve until :meth:`stop`, SIGTERM or SIGINT, then shut down gracefully.

        Signal handlers are installed only in the main thread (where Python delivers signals).
        """
        server = await self.start(host, port, rest_port=rest_port, settings=settings, gateway=gateway)
        loop = asyncio.get_running_loop()
        installed: list[signal.Signals] = []
        if handle_signals and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                with contextlib.suppress(NotImplementedError, RuntimeError):
                    loop.add_signal_handler(sig, server.request_stop)
                    installed.append(sig)
        try:
            await server.wait_stopped()
        finally:
            for sig in installed:
                loop.remove_signal_handler(sig)
            if not server.stopped:
                await server.stop()

    def serve(
        self,
        host: str = DEFAULT_HOST,
        port: int = DEFAULT_PORT,
        *,
        rest_port: int | None = None,
        settings: ServerSettings | None = None,
        gateway: GatewayConfig | None = None,
    ) -> None:
        """Serve in the foreground until SIGTERM/SIGINT (blocking). Use ``aserve`` inside a loop.

        ``rest_port`` (e.g. 7777) also serves REST/JSON + SSE through Envoy on that port.
        """
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            pass
        else:
            raise RuntimeError(
                "AgentOS.serve() blocks; inside a running event loop use `await agent_os.aserve()`"
            )
        effective = settings or self.server_settings

        async def main() -> None:
            if effective.worker_threads is not None:
                asyncio.get_running_loop().set_default_executor(
                    ThreadPoolExecutor(
                        max_workers=effective.worker_threads, thread_name_prefix="agentos-worker"
                    )
                )
            await self.aserve(host, port, rest_port=rest_port, settings=effective, gateway=gateway)

        # The loop is chosen before anything runs on it (uvloop when installed, see _event_loop).
        with asyncio.Runner(loop_factory=event_loop_factory(effective.event_loop)) as runner:
            runner.run(main())

    def stop(self) -> None:
        """Begin a graceful shutdown of every server this AgentOS started (thread-safe)."""
        with self._servers_lock:
            servers = list(self._servers)
        for server in servers:
            server.request_stop()


def _loopback(address: str) -> str:
    """``0.0.0.0:50051`` → ``127.0.0.1:50051`` (``[::]`` → ``[::1]``): wildcards cannot be dialled."""
    host, _, port = address.rpartition(":")
    if host in ("0.0.0.0", ""):
        return f"127.0.0.1:{port}"
    if host in ("[::]", "::"):
        return f"[::1]:{port}"
    return address


class _NamedInterface:
    """An interface declared by a flag (``a2a_interface``, ``enable_mcp_server``)."""

    def __init__(self, type: str) -> None:
        self.type = type
