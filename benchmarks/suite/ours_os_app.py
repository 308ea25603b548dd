"""Our AgentOS for the served workloads; runs in the project's .venv, in its own process.

The mirror of ``agno_os_app.py``: one agent ("bench") on our OpenAIChat pointed at the same fake
model server, SQLite storage, one server process. Prints ``READY <host:port>`` when it serves.
Written against the runtime as DESIGN §5 documents it (``AgentOS(agents=..., db=...)``,
``serve(host, port)``); until that runtime exists it prints ``NOT_RUN <reason>`` and exits 3,
which the suite reports as "not run yet".

    .venv/bin/python benchmarks/suite/ours_os_app.py --model-url URL --db FILE
"""

from __future__ import annotations

import argparse
import importlib
import socket
import sys
from typing import Any

from agentos.agent import Agent
from agentos.db import SqliteDb
from agentos.models.openai import OpenAIChat


def _agent_os_class() -> Any:
    try:
        module = importlib.import_module("agentos.os")
        return module.AgentOS
    except (ImportError, AttributeError) as exc:
        print(f"NOT_RUN runtime pending: agentos.os.AgentOS is not available ({exc})", flush=True)
        sys.exit(3)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    agent_os_class = _agent_os_class()
    agent = Agent(
        id="bench",
        name="bench",
        model=OpenAIChat(id="gpt-4o", base_url=args.model_url, api_key="bench-key"),
        db=SqliteDb(db_file=args.db),
        instructions="Answer briefly.",
        telemetry=False,
    )
    agent_os = agent_os_class(agents=[agent], db=SqliteDb(db_file=args.db))
    port = args.port or _free_port()
    print(f"READY 127.0.0.1:{port}", flush=True)
    # serve() blocks until the process is terminated; READY is printed first because the suite
    # also waits for the port to accept connections before it starts measuring.
    agent_os.serve(host="127.0.0.1", port=port)


if __name__ == "__main__":
    main()
