"""Agno's AgentOS for the served workloads; runs ONLY in benchmarks/.venv-agno, in its own process.

One agent ("bench") on Agno's OpenAIChat pointed at our fake model server, SQLite storage,
served by uvicorn with one worker (one server process, as ours) and no access log. Prints
``READY <url>`` when it answers requests.

    benchmarks/.venv-agno/bin/python benchmarks/suite/agno_os_app.py --model-url URL --db FILE --port 0
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket

os.environ.setdefault("AGNO_TELEMETRY", "false")

import uvicorn
from agno.agent import Agent
from agno.db.sqlite import SqliteDb
from agno.models.openai import OpenAIChat
from agno.os import AgentOS


def build_app(model_url: str, db_file: str):  # type: ignore[no-untyped-def]
    agent = Agent(
        id="bench",
        name="bench",
        model=OpenAIChat(id="gpt-4o", base_url=model_url, api_key="bench-key"),
        db=SqliteDb(db_file=db_file),
        instructions="Answer briefly.",
        telemetry=False,
    )
    return AgentOS(agents=[agent], telemetry=False).get_app()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    app = build_app(args.model_url, args.db)
    # proto must say TCP: asyncio sets TCP_NODELAY on accepted connections only when the
    # listening socket's proto is IPPROTO_TCP; with proto 0 every keep-alive response waits
    # ~40 ms for a delayed ACK (Nagle), which would charge Agno for our harness.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", args.port))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", access_log=False, backlog=4096, timeout_keep_alive=60)
    server = uvicorn.Server(config)

    async def serve() -> None:
        task = asyncio.create_task(server.serve(sockets=[sock]))
        while not server.started:  # noqa: ASYNC110 - uvicorn exposes a flag, not an event
            await asyncio.sleep(0.05)
        print(f"READY http://127.0.0.1:{port}", flush=True)
        await task

    # uvicorn.run() picks uvloop when it is installed (loop="auto"); serving through
    # Server.serve() skips that choice, so it is made here: both sides run on uvloop.
    try:
        import uvloop

        factory = uvloop.new_event_loop
    except ImportError:
        factory = asyncio.new_event_loop
    with asyncio.Runner(loop_factory=factory) as runner:
        runner.run(serve())


if __name__ == "__main__":
    main()
