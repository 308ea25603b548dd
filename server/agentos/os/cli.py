"""The ``agentos`` command: ``agentos serve MODULE:ATTR [--host] [--port] [--rest-port [PORT]]``.

REST is opt-in, as gRPC is the product: ``--rest-port`` alone serves REST/JSON + SSE on 7777,
``--rest-port N`` on port N (0: any free port), and without the flag only gRPC is served
(``make serve`` passes it). ``agentos gateway --backend HOST:PORT ...`` runs the REST gateway
alone in front of one or more running servers (a scaled-out deployment).

Exit codes: 0 after a clean shutdown (SIGTERM/SIGINT), 2 for bad arguments or an app that
cannot be loaded, 1 when the server cannot start (e.g. the port is taken). Errors are one line
on stderr that says what to fix, never a traceback (``--log-level debug`` shows causes).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from dataclasses import replace

from agentos.os._agent_os import DEFAULT_HOST, DEFAULT_PORT
from agentos.os._event_loop import EVENT_LOOPS, EventLoopUnavailableError
from agentos.os._loader import AppLoadError, load_agent_os
from agentos.os.gateway import DEFAULT_REST_PORT

logger = logging.getLogger("agentos.os")


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be between 0 and 65535, got {port}")
    return port


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {value!r}") from None
    if not seconds >= 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return seconds


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agentos", description="AgentOS: agents served over gRPC.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    serve = commands.add_parser(
        "serve", help="serve an AgentOS over gRPC", description="Serve an AgentOS over gRPC."
    )
    serve.add_argument(
        "app", metavar="MODULE:ATTR", help="the AgentOS (or a zero-argument factory), e.g. app:agent_os"
    )
    serve.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    serve.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"gRPC port (default {DEFAULT_PORT}; 0: any)"
    )
    serve.add_argument(
        "--rest-port",
        type=_port,
        nargs="?",
        const=DEFAULT_REST_PORT,
        default=None,
        metavar="PORT",
        help=f"also serve REST/JSON + SSE through Envoy on PORT (default {DEFAULT_REST_PORT} when "
        "the flag is given without a value; 0: any free port); without the flag, gRPC only",
    )
    serve.add_argument(
        "--grace-period",
        type=_seconds,
        default=None,
        help="seconds in-flight runs get at shutdown (default 30)",
    )
    serve.add_argument(
        "--event-loop",
        choices=list(EVENT_LOOPS),
        default=None,
        help="the server's event loop (default auto: uvloop when installed, else asyncio's)",
    )
    serve.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="log level (default info)",
    )
    gateway = commands.add_parser(
        "gateway",
        help="serve REST/JSON + SSE in front of running AgentOS servers",
        description="Run the REST gateway (Envoy) alone, balancing over one or more AgentOS gRPC servers.",
    )
    gateway.add_argument(
        "--backend",
        action="append",
        required=True,
        metavar="HOST:PORT",
        help="an AgentOS gRPC server (repeat for replicas)",
    )
    gateway.add_argument(
        "--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})"
    )
    gateway.add_argument(
        "--port", type=_port, default=DEFAULT_REST_PORT, help=f"REST port (default {DEFAULT_REST_PORT})"
    )
    gateway.add_argument(
        "--cors-origin",
        action="append",
        default=None,
        metavar="ORIGIN",
        help="a browser origin allowed to call (repeat; '*' for any)",
    )
    gateway.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="log level (default info)",
    )
    return parser


def _fail(code: int, message: str) -> int:
    print(f"agentos: error: {message}", file=sys.stderr)
    return code


def _configure_logging(level: str) -> None:
    logging.basicConfig(
        level=getattr(logging, level.upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )


def serve_command(args: argparse.Namespace) -> int:
    from agentos.os.gateway import EnvoyNotFoundError, GatewayStartError

    _configure_logging(str(args.log_level))
    try:
        agent_os = load_agent_os(args.app)
    except AppLoadError as exc:
        logger.debug("loading %s failed", args.app, exc_info=exc.__cause__)
        return _fail(2, str(exc))
    settings = agent_os.server_settings
    if args.grace_period is not None:
        settings = replace(settings, grace_period=args.grace_period)
    if args.event_loop is not None:
        settings = replace(settings, event_loop=args.event_loop)
    try:
        agent_os.serve(args.host, args.port, rest_port=args.rest_port, settings=settings)
    except EnvoyNotFoundError as exc:
        return _fail(2, str(exc))
    except (OSError, GatewayStartError) as exc:
        return _fail(1, str(exc))
    except NotImplementedError as exc:
        return _fail(2, str(exc))
    except EventLoopUnavailableError as exc:  # --event-loop uvloop without uvloop installed
        return _fail(2, str(exc))
    except KeyboardInterrupt:
        pass
    return 0


def gateway_command(args: argparse.Namespace) -> int:
    """Run a standalone gateway until SIGTERM/SIGINT (it does not wait for healthy backends)."""
    import asyncio
    import signal

    from agentos.os.gateway import EnvoyNotFoundError, Gateway, GatewayConfig, GatewayStartError

    _configure_logging(str(args.log_level))
    try:
        config = GatewayConfig(
            backends=list(args.backend),
            host=args.host,
            port=args.port,
            cors_allowed_origins=args.cors_origin,
        )
    except ValueError as exc:
        return _fail(2, str(exc))

    async def run() -> None:
        gateway = await Gateway.start(config, wait_for_backend=False)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            await gateway.stop()

    try:
        asyncio.run(run())
    except (EnvoyNotFoundError, FileNotFoundError) as exc:
        return _fail(2, str(exc))
    except (OSError, GatewayStartError) as exc:
        return _fail(1, str(exc))
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``agentos`` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve_command(args)
    if args.command == "gateway":
        return gateway_command(args)
    return _fail(2, f"unknown command {args.command!r}")  # pragma: no cover - argparse rejects it first


if __name__ == "__main__":
    sys.exit(main())
