"""A real AgentOS (gRPC server + Envoy REST gateway) serving the generated static site, for tests
that talk to it over HTTP from synchronous code (a browser, schemathesis).

The server runs on a private event loop in a background thread, so blocking test code (CDP over
a sync websocket, schemathesis's requests) never stalls it. The gateway serves the site that
``write_static_site`` writes (``/openapi.json``, ``/docs``, ``/chat``) as static routes.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from agentos.os import AgentOS, ServerSettings
from agentos.os._openapi import StaticFile, write_static_site
from agentos.os.gateway import GatewayConfig, StaticRoute

FAST_SHUTDOWN = ServerSettings(grace_period=5.0, cancel_grace=1.0)


@dataclass(frozen=True)
class RestSite:
    """The running server: REST base URL, gRPC address and the static files it serves."""

    url: str
    grpc_address: str
    site: dict[str, StaticFile]


@contextlib.contextmanager
def serve_rest_site(agent_os: AgentOS, site_dir: Path) -> Iterator[RestSite]:
    """Serve ``agent_os`` with a REST gateway (free ports on 127.0.0.1) for the block."""
    site = write_static_site(site_dir)
    gateway = GatewayConfig(
        static_routes={path: StaticRoute(f.file, f.content_type) for path, f in site.items()},
        ready_timeout=60.0,
    )
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, name="agentos-rest-test-server", daemon=True)
    thread.start()
    try:
        server = asyncio.run_coroutine_threadsafe(
            agent_os.start("127.0.0.1", 0, rest_port=0, settings=FAST_SHUTDOWN, gateway=gateway), loop
        ).result(timeout=90)
    except BaseException:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=30)
        loop.close()
        raise
    try:
        assert server.rest_url is not None
        yield RestSite(url=server.rest_url, grpc_address=server.address, site=site)
    finally:
        try:
            asyncio.run_coroutine_threadsafe(server.stop(), loop).result(timeout=60)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=60)
            loop.close()
