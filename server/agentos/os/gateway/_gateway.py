"""``Gateway``: a supervised Envoy serving REST/JSON + SSE in front of gRPC backends.

Lifecycle: :meth:`Gateway.start` writes the Envoy configuration to a private temporary
directory, starts Envoy and returns once it serves (and, unless told otherwise, once a backend
passed its health check). A supervisor task then watches the process: if Envoy exits on its
own, the gateway logs it as an error with Envoy's last output and starts it again, waiting
``restart_backoff`` seconds, doubled after each failure up to ``max_restart_backoff`` and reset
once a restarted Envoy stayed up for a minute. A listener asked on port 0 keeps the port it got
the first time, so clients can reconnect to the same address after a restart. :meth:`stop`
stops the supervisor first (so the exit it causes is not mistaken for a crash), then Envoy.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import shutil
import tempfile
from pathlib import Path

from agentos.os.gateway._binary import find_envoy
from agentos.os.gateway._descriptor import DescriptorSet
from agentos.os.gateway._envoy_config import CLUSTER, LISTENER, build_envoy_config
from agentos.os.gateway._process import EnvoyProcess, GatewayStartError
from agentos.os.gateway._settings import GatewayConfig

logger = logging.getLogger("agentos.os.gateway")

_STABLE_AFTER = 60.0  # seconds up after which a crash no longer counts as a crash loop


class Gateway:
    """A running REST gateway; create it with ``await Gateway.start(config)``."""

    def __init__(self, config: GatewayConfig) -> None:
        self.config = config
        self._binary = find_envoy(config.envoy_path)
        descriptors = DescriptorSet.load(config.descriptor_set)
        self.services = descriptors.select(tuple(config.services) if config.services is not None else None)
        self._workdir = Path(tempfile.mkdtemp(prefix="agentos-gateway-"))
        self._descriptor = descriptors.write_for_envoy(self._workdir / "descriptors.binpb")
        self._process: EnvoyProcess | None = None
        self._supervisor: asyncio.Task[None] | None = None
        self._stopping = False
        self._ready = asyncio.Event()
        self._port: int | None = None
        self.restarts = 0

    @classmethod
    async def start(cls, config: GatewayConfig, *, wait_for_backend: bool = True) -> Gateway:
        """Start Envoy and return once it serves; :class:`GatewayStartError` if it does not.

        ``wait_for_backend`` also waits for one backend to pass its first health check (on by
        default; turn it off for a gateway started before its backends).
        """
        # The constructor reads the descriptor set and makes a directory: off the event loop.
        gateway = await asyncio.to_thread(cls, config)
        try:
            await gateway._launch(wait_for_backend=wait_for_backend)
        except BaseException:
            await gateway._discard()
            raise
        gateway._supervisor = asyncio.ensure_future(gateway._supervise())
        logger.info(
            "REST gateway (Envoy %s, pid %d) serving on %s for %s",
            gateway._binary,
            gateway.pid,
            gateway.url,
            ", ".join(b.address for b in config.backend_list),
        )
        return gateway

    # -- addresses -----------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("the gateway has not started")
        return self._port

    @property
    def host(self) -> str:
        return self.config.host

    @property
    def url(self) -> str:
        """Base URL for REST clients, e.g. ``http://127.0.0.1:7777``."""
        host = self.host
        if host in ("0.0.0.0", "::"):
            host = "127.0.0.1" if host == "0.0.0.0" else "::1"
        return f"http://[{host}]:{self.port}" if ":" in host else f"http://{host}:{self.port}"

    @property
    def admin_url(self) -> str:
        """Envoy's admin interface (127.0.0.1 only) of the current process."""
        if self._process is None:
            raise RuntimeError("Envoy is not running")
        return self._process.admin_url

    @property
    def pid(self) -> int:
        """Process id of the current Envoy."""
        if self._process is None:
            raise RuntimeError("Envoy is not running")
        return self._process.pid

    @property
    def ready(self) -> bool:
        """True while an Envoy serves (False between a crash and the restart)."""
        return self._ready.is_set()

    async def wait_ready(self) -> None:
        """Return once an Envoy serves (e.g. after a restart); bound it with ``asyncio.timeout``."""
        await self._ready.wait()

    async def stats(self, prefix: str = f"cluster.{CLUSTER}.") -> dict[str, int]:
        """Envoy's counters and gauges under ``prefix`` (default: the backend cluster's)."""
        if self._process is None:
            raise RuntimeError("Envoy is not running")
        return await self._process.stats(prefix)

    # -- lifecycle -----------------------------------------------------------------------------

    def _write_config(self) -> Path:
        bootstrap = build_envoy_config(
            self.config, descriptor=self._descriptor, services=self.services, port=self._port
        )
        path = self._workdir / "envoy.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(bootstrap, indent=1), encoding="utf-8")
        tmp.replace(path)
        return path

    async def _launch(self, *, wait_for_backend: bool) -> None:
        config_path = await asyncio.to_thread(self._write_config)
        process = await EnvoyProcess.spawn(
            self._binary,
            config_path=config_path,
            admin_path=self._workdir / "admin-address",
            concurrency=self.config.concurrency,
            log_level=self.config.log_level,
        )
        try:
            port = await process.wait_ready(
                self.config.ready_timeout,
                listener=LISTENER,
                cluster=CLUSTER if wait_for_backend else None,
            )
        except BaseException:
            await process.stop()
            raise
        self._process = process
        self._port = port
        self._ready.set()

    async def _supervise(self) -> None:
        backoff = self.config.restart_backoff
        while not self._stopping:
            process = self._process
            if process is not None:
                code = await process.wait()
                if self._stopping:
                    return
                self._ready.clear()
                uptime = asyncio.get_running_loop().time() - process.started_at
                if uptime >= _STABLE_AFTER:
                    backoff = self.config.restart_backoff
                logger.error(
                    "REST gateway: Envoy (pid %d) exited with code %s after %.1fs; restarting in "
                    "%.1fs. Its last output:\n%s",
                    process.pid,
                    code,
                    uptime,
                    backoff,
                    process.last_output(),
                )
                await process.stop()
                self._process = None
            await asyncio.sleep(backoff)
            backoff = min(backoff * 2, self.config.max_restart_backoff)
            if self._stopping:
                return
            try:
                # A restart does not wait for healthy backends: they may be what is down.
                await self._launch(wait_for_backend=False)
            except GatewayStartError as exc:
                logger.error("REST gateway: restarting Envoy failed: %s", exc)
                continue
            self.restarts += 1
            logger.warning(
                "REST gateway: Envoy restarted (pid %d, restart %d), serving on %s again",
                self.pid,
                self.restarts,
                self.url,
            )

    async def stop(self) -> None:
        """Stop supervising and stop Envoy (idempotent)."""
        self._stopping = True
        if self._supervisor is not None:
            self._supervisor.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._supervisor
            self._supervisor = None
        await self._discard()
        logger.info("REST gateway on port %s stopped", self._port)

    async def _discard(self) -> None:
        self._ready.clear()
        process, self._process = self._process, None
        try:
            if process is not None:
                await process.stop()
        finally:
            await asyncio.to_thread(shutil.rmtree, self._workdir, ignore_errors=True)
