"""The ``agentos`` command: ``agentos serve MODULE:ATTR [--host] [--port] [--rest-port]``.

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

from agentos.os._agent_os import DEFAULT_HOST, DEFAULT_PORT, REST_GATEWAY_MISSING
from agentos.os._loader import AppLoadError, load_agent_os

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
        "--rest-port", type=_port, default=None, help="REST/JSON gateway port (not available yet)"
    )
    serve.add_argument(
        "--grace-period",
        type=_seconds,
        default=None,
        help="seconds in-flight runs get at shutdown (default 30)",
    )
    serve.add_argument(
        "--log-level",
        default="info",
        choices=["debug", "info", "warning", "error"],
        help="log level (default info)",
    )
    return parser


def _fail(code: int, message: str) -> int:
    print(f"agentos: error: {message}", file=sys.stderr)
    return code


def serve_command(args: argparse.Namespace) -> int:
    logging.basicConfig(
        level=getattr(logging, str(args.log_level).upper()),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.rest_port is not None:
        return _fail(2, REST_GATEWAY_MISSING)
    try:
        agent_os = load_agent_os(args.app)
    except AppLoadError as exc:
        logger.debug("loading %s failed", args.app, exc_info=exc.__cause__)
        return _fail(2, str(exc))
    settings = agent_os.server_settings
    if args.grace_period is not None:
        settings = replace(settings, grace_period=args.grace_period)
    try:
        agent_os.serve(args.host, args.port, settings=settings)
    except OSError as exc:
        return _fail(1, str(exc))
    except NotImplementedError as exc:
        return _fail(2, str(exc))
    except KeyboardInterrupt:
        pass
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``agentos`` console script."""
    args = build_parser().parse_args(argv)
    if args.command == "serve":
        return serve_command(args)
    return _fail(2, f"unknown command {args.command!r}")  # pragma: no cover - argparse rejects it first


if __name__ == "__main__":
    sys.exit(main())
