"""CPU cost per model request of the HTTP client, under concurrency, against the fake OpenAI server.

Why: DESIGN §3 reports that one httpx.AsyncClient driving 64 busy connections cost ~8 ms of CPU
per request (0.6 ms with 8); the model client's pooling is chosen by this measurement.

The fake server runs in a separate process (so its CPU is not counted) and answers instantly;
the client process's CPU time (``time.process_time``) is divided by the number of requests.
Each configuration runs in a fresh event loop after a warm-up round that opens the connections.

    .venv/bin/python benchmarks/bench_model_client.py [--requests 2048] [--concurrency 1 8 64]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

from agentos.models import Message, _http  # noqa: E402
from agentos.models.openai import OpenAIChat  # noqa: E402

BODY = {"model": "gpt-4o", "messages": [{"role": "user", "content": "hi"}]}
MESSAGES = [Message(role="user", content="hi")]


def _serve(queue: Any) -> None:
    from fake_openai import FakeOpenAI, Turn

    server = FakeOpenAI(default=Turn("ok", chunk_size=16)).start()
    queue.put(server.base_url)
    threading.Event().wait()


Request = Callable[[], Awaitable[None]]


def _raw_httpx(base_url: str, limits: httpx.Limits) -> tuple[Request, Callable[[], Awaitable[None]]]:
    client = httpx.AsyncClient(limits=limits)

    async def one() -> None:
        response = await client.post(
            f"{base_url}/chat/completions", json=BODY, headers={"authorization": "Bearer k"}
        )
        response.raise_for_status()
        response.json()

    return one, client.aclose


def _agentos(
    base_url: str, per_shard: int, max_shards: int, stream: bool
) -> tuple[Request, Callable[[], Awaitable[None]]]:
    _http.CONNECTIONS_PER_SHARD = per_shard
    _http.MAX_SHARDS = max_shards
    model = OpenAIChat(base_url=base_url, api_key="k")

    async def one() -> None:
        if stream:
            async for _ in model.astream(MESSAGES):
                pass
        else:
            await model.ainvoke(MESSAGES)

    async def close() -> None:
        return None  # the pool closes with the loop

    return one, close


async def _measure(
    make: Callable[[], tuple[Request, Callable[[], Awaitable[None]]]], concurrency: int, n: int
) -> dict[str, float]:
    one, close = make()
    await asyncio.gather(*(one() for _ in range(concurrency)))  # warm-up: open the connections

    async def worker(count: int) -> None:
        for _ in range(count):
            await one()

    per_worker = max(n // concurrency, 1)
    total = per_worker * concurrency
    cpu0, wall0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker(per_worker) for _ in range(concurrency)))
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    await close()
    return {"cpu_ms_per_request": cpu / total * 1000, "requests_per_s": total / wall}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2048)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 64])
    parser.add_argument("--json", action="store_true", help="print the results as JSON")
    args = parser.parse_args()

    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    server = ctx.Process(target=_serve, args=(queue,), daemon=True)
    server.start()
    base_url = queue.get(timeout=30)

    def limits(n: int) -> httpx.Limits:
        return httpx.Limits(max_connections=n, max_keepalive_connections=n)

    configs: dict[str, Callable[[], tuple[Request, Callable[[], Awaitable[None]]]]] = {
        "httpx one client, default limits (100)": lambda: _raw_httpx(base_url, httpx.Limits()),
        "httpx one client, max 8 connections": lambda: _raw_httpx(base_url, limits(8)),
        "httpx one client, max 64 connections": lambda: _raw_httpx(base_url, limits(64)),
        "agentos ainvoke, one client x 64": lambda: _agentos(base_url, 64, 1, stream=False),
        "agentos ainvoke, shards of 4": lambda: _agentos(base_url, 4, 64, stream=False),
        "agentos ainvoke, shards of 8 (chosen)": lambda: _agentos(base_url, 8, 64, stream=False),
        "agentos ainvoke, shards of 16": lambda: _agentos(base_url, 16, 64, stream=False),
        "agentos astream, shards of 8 (chosen)": lambda: _agentos(base_url, 8, 64, stream=True),
    }
    results: list[dict[str, Any]] = []
    try:
        for name, make in configs.items():
            for concurrency in args.concurrency:
                n = args.requests if concurrency > 1 else max(args.requests // 4, 100)
                row = asyncio.run(_measure(make, concurrency, n))
                results.append({"config": name, "concurrency": concurrency, **row})
                if not args.json:
                    print(
                        f"{name:42s} c={concurrency:<3d} {row['cpu_ms_per_request']:6.3f} ms CPU/request"
                        f"  {row['requests_per_s']:7.0f} req/s",
                        flush=True,
                    )
    finally:
        server.terminate()
    if args.json:
        print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
