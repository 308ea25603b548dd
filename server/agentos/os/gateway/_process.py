"""One Envoy child process: spawn it, learn its addresses, wait until it serves, stop it.

Envoy is started with ``--disable-hot-restart`` (no shared-memory region, so several gateways
and test runs on one machine never collide on a base id) and with its admin interface on
127.0.0.1 at a port the OS picks, which Envoy writes to ``--admin-address-path``. Readiness is
asked from the admin interface: ``/ready`` says the server is live (listeners bound, clusters
initialised), ``/listeners`` gives the port actually bound (the listener may ask for port 0),
and the cluster's ``membership_healthy`` gauge says a backend has passed its health check.

Envoy's log lines (stderr) are forwarded to the ``agentos.os.gateway`` logger at their own
level, and the last ones are kept so that a crash can be reported with its cause. On Linux the
child gets a parent-death signal (through ``setpriv``, when present): if the Python process is
killed outright, Envoy goes with it instead of holding the REST port as an orphan.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import shutil
import signal
import sys
from collections import deque
from pathlib import Path
from typing import Any

import httpx

logger = logging.getLogger("agentos.os.gateway")

_LOG_FORMAT = "%l|%n|%v"
_LEVELS = {
    "trace": logging.DEBUG,
    "debug": logging.DEBUG,
    "info": logging.INFO,
    "warning": logging.WARNING,
    "error": logging.ERROR,
    "critical": logging.CRITICAL,
}
_ENVOY_LEVELS = {"warning": "warn"}  # Envoy's spelling of our level names
_TAIL_LINES = 40


class GatewayStartError(RuntimeError):
    """Envoy did not start serving; the message includes its last log lines."""


def _death_signal_prefix() -> list[str]:
    if not sys.platform.startswith("linux"):
        return []
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "KILL", "--"] if setpriv else []


class EnvoyProcess:
    """A started Envoy; create with :meth:`spawn`, then :meth:`wait_ready`, finally :meth:`stop`."""

    def __init__(self, process: asyncio.subprocess.Process, admin_path: Path) -> None:
        self._process = process
        self._admin_path = admin_path
        self._admin_url: str | None = None
        self.tail: deque[str] = deque(maxlen=_TAIL_LINES)
        self._reader = asyncio.ensure_future(self._forward_logs())
        self._http = httpx.AsyncClient(timeout=2.0, trust_env=False)
        self._stopping = False
        self.started_at = asyncio.get_running_loop().time()

    @classmethod
    async def spawn(
        cls,
        binary: Path,
        *,
        config_path: Path,
        admin_path: Path,
        concurrency: int,
        log_level: str,
    ) -> EnvoyProcess:
        await asyncio.to_thread(admin_path.unlink, missing_ok=True)
        argv = [
            *_death_signal_prefix(),
            str(binary),
            "-c",
            str(config_path),
            "--disable-hot-restart",
            "--admin-address-path",
            str(admin_path),
            "--concurrency",
            str(concurrency),
            "--log-level",
            _ENVOY_LEVELS.get(log_level, log_level),
            "--log-format",
            _LOG_FORMAT,
        ]
        process = await asyncio.create_subprocess_exec(
            *argv,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE,
            # Its own session: a Ctrl-C (SIGINT to the terminal's process group) must reach only
            # the server, which stops Envoy itself after draining the runs whose REST streams
            # pass through it.
            start_new_session=True,
        )
        return cls(process, admin_path)

    @property
    def pid(self) -> int:
        return self._process.pid

    @property
    def returncode(self) -> int | None:
        return self._process.returncode

    @property
    def admin_url(self) -> str:
        if self._admin_url is None:
            raise RuntimeError("Envoy's admin address is not known before wait_ready()")
        return self._admin_url

    def last_output(self) -> str:
        return "\n".join(self.tail) or "(no output)"

    async def wait(self) -> int:
        """Wait for the process to exit (its log forwarding drained) and return its exit code."""
        code = await self._process.wait()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        return code

    async def _forward_logs(self) -> None:
        stream = self._process.stderr
        assert stream is not None
        while True:
            raw = await stream.readline()
            if not raw:
                return
            line = raw.decode("utf-8", "replace").rstrip()
            if not line:
                continue
            self.tail.append(line)
            level_name, _, rest = line.partition("|")
            level = _LEVELS.get(level_name.strip().lower())
            if level is None:  # a continuation line or output before logging is configured
                logger.info("envoy[%d]: %s", self.pid, line)
                continue
            source, _, message = rest.partition("|")
            if self._stopping:  # Envoy warns that it caught the SIGTERM we sent: expected
                level = min(level, logging.INFO)
            logger.log(level, "envoy[%d] %s: %s", self.pid, source, message)

    async def _get(self, path: str) -> httpx.Response:
        return await self._http.get(f"{self.admin_url}{path}")

    async def wait_ready(self, within: float, *, listener: str, cluster: str | None) -> int:
        """Wait until Envoy serves (at most ``within`` seconds); return the listener's bound port.

        With ``cluster`` set, also wait until one of its backends is healthy, so that the first
        REST call after start-up does not meet "no healthy upstream".
        """
        loop = asyncio.get_running_loop()
        deadline = loop.time() + within
        step = "start"
        try:
            async with asyncio.timeout(within):
                step = "admin address"
                while self._admin_url is None:
                    self._check_alive()
                    text = await asyncio.to_thread(_read_or_empty, self._admin_path)
                    if text:
                        self._admin_url = f"http://{text}"
                    else:
                        await asyncio.sleep(0.02)
                step = "ready"
                await self._poll(lambda r: r.status_code == 200 and r.text.strip() == "LIVE", "/ready")
                step = "listener"
                port = await self._listener_port(listener)
                if cluster is not None:
                    step = f"a healthy backend in cluster {cluster}"
                    stat = f"cluster.{cluster}.membership_healthy"
                    await self._poll(
                        lambda r: _stat_value(r, stat) > 0, f"/stats?format=json&filter=^{re.escape(stat)}$"
                    )
                return port
        except TimeoutError:
            waited = within - max(0.0, deadline - loop.time())
            raise GatewayStartError(
                f"Envoy (pid {self.pid}) was not ready after {waited:.1f}s (waiting for {step}); "
                f"its last output:\n{self.last_output()}"
            ) from None

    def _check_alive(self) -> None:
        if self._process.returncode is not None:
            raise GatewayStartError(
                f"Envoy exited with code {self._process.returncode} while starting; "
                f"its last output:\n{self.last_output()}"
            )

    async def _poll(self, ok: Any, path: str) -> None:
        while True:
            self._check_alive()
            with contextlib.suppress(httpx.HTTPError):
                if ok(await self._get(path)):
                    return
            await asyncio.sleep(0.02)

    async def _listener_port(self, listener: str) -> int:
        while True:
            self._check_alive()
            with contextlib.suppress(httpx.HTTPError, ValueError, KeyError, TypeError):
                body = (await self._get("/listeners?format=json")).json()
                for status in body.get("listener_statuses", []):
                    if status.get("name") == listener:
                        return int(status["local_address"]["socket_address"]["port_value"])
            await asyncio.sleep(0.02)

    async def stats(self, prefix: str) -> dict[str, int]:
        """Counters and gauges whose names start with ``prefix`` (from the admin interface)."""
        response = await self._get(f"/stats?format=json&filter=^{re.escape(prefix)}")
        return {
            entry["name"]: int(entry["value"])
            for entry in response.json().get("stats", [])
            if "value" in entry and isinstance(entry["value"], int | float)
        }

    async def stop(self, kill_after: float = 5.0) -> None:
        """SIGTERM, then SIGKILL after ``kill_after`` seconds; also closes the admin client."""
        try:
            self._stopping = True
            if self._process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    self._process.send_signal(signal.SIGTERM)
                try:
                    await asyncio.wait_for(self._process.wait(), kill_after)
                except TimeoutError:
                    logger.warning("envoy[%d] did not stop after SIGTERM; killing it", self.pid)
                    with contextlib.suppress(ProcessLookupError):
                        self._process.kill()
                    await self._process.wait()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        finally:
            await self._http.aclose()
            await asyncio.to_thread(_unlink_quietly, self._admin_path)


def _read_or_empty(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return ""


def _unlink_quietly(path: Path) -> None:
    with contextlib.suppress(OSError):
        os.unlink(path)


def _stat_value(response: httpx.Response, name: str) -> int:
    if response.status_code != 200:
        return 0
    for entry in response.json().get("stats", []):
        if entry.get("name") == name:
            return int(entry.get("value", 0))
    return 0
