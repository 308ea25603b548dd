"""Latency the REST gateway (Envoy transcoding) adds to a run, compared with direct gRPC.

Two processes: the AgentOS under test with its gateway (this file with ``--serve``: the server
process plus the Envoy child it supervises), and the load generator (this file). The agent uses
a scripted model and no database, so the figures are the serving path alone: what a client
waits for beyond the run itself, and what the gateway costs.

Ways of calling, each at concurrency 1 and 64 (``--levels``):

* ``gRPC direct``: unary CreateRun on the server's port (4 grpc.aio channels);
* ``gRPC via Envoy``: the same stub against the gateway's port (Envoy as a gRPC proxy);
* ``REST via Envoy``: ``POST /v1/agents/bench/runs`` with a JSON body, over persistent
  HTTP/1.1 connections (one per worker) written with asyncio streams, so the figure is the
  gateway's and not a Python HTTP client's (httpx costs several ms of CPU per request at 64
  connections on this machine, which would drown what is measured).

Plus a streamed run at concurrency 1 (StreamRun with every event: gRPC stream vs SSE): time to
the first event and to the terminal one. CPU per run of the server and of Envoy comes from
``/proc/<pid>/stat``.

    .venv/bin/python benchmarks/bench_rest.py [--runs 2000] [--levels 1 64]

Recorded (2 cores, busy shared machine, medians of 3 runs; full table in RESULTS.md): at one
client CreateRun p50 is 0.69 ms direct, 1.00 ms gRPC via Envoy, 1.17 ms REST via Envoy (the
gateway adds ~0.5 ms; Envoy spends ~0.37 ms CPU per REST run); at 64 clients p50 is ~45 ms
both direct and over REST (server-bound), with Envoy at ~0.2 ms CPU per run. A streamed run's
first event: 0.82 ms over gRPC, 1.35 ms as SSE.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import grpc
from agentos.v1 import run_service_pb2, run_service_pb2_grpc

ROOT = Path(__file__).resolve().parents[1]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
ANSWER = "The weather is sunny today."


# -- the server process ------------------------------------------------------------------------


def serve(envoy_concurrency: int) -> None:
    """``--serve``: AgentOS + gateway; prints ``READY grpc_address rest_url envoy_pid``."""
    from agentos.agent import Agent
    from agentos.models.scripted import ScriptedModel, chunks
    from agentos.os import AgentOS, ServerSettings
    from agentos.os.gateway import GatewayConfig

    agents = [
        Agent(id="bench", model=ScriptedModel(steps=[ANSWER])),
        Agent(id="stream", model=ScriptedModel(steps=[chunks("The weather ", "is sunny ", "today.")])),
    ]
    agent_os = AgentOS(id="bench-rest", agents=agents)

    async def main() -> None:
        server = await agent_os.start(
            "127.0.0.1",
            0,
            rest_port=0,
            settings=ServerSettings(grace_period=1.0, cancel_grace=1.0),
            gateway=GatewayConfig(concurrency=envoy_concurrency, log_level="error"),
        )
        assert server.gateway is not None
        print(f"READY {server.address} {server.gateway.url} {server.gateway.pid}", flush=True)
        await server.wait_stopped()

    asyncio.run(main())


# -- a minimal HTTP/1.1 client -------------------------------------------------------------------


class Http1:
    """One persistent HTTP/1.1 connection: requests written by hand, responses parsed by hand."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def _ensure(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        if self.reader is None or self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        return self.reader, self.writer

    async def post(self, path: str, body: bytes, on_chunk: Callable[[bytes], None] | None = None) -> int:
        reader, writer = await self._ensure()
        writer.write(
            f"POST {path} HTTP/1.1\r\nhost: {self.host}\r\ncontent-type: application/json\r\n"
            f"content-length: {len(body)}\r\n\r\n".encode()
            + body
        )
        status = int((await reader.readline()).split()[1])
        length = None
        chunked = False
        close = False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            key = name.strip().lower()
            if key == "content-length":
                length = int(value)
            elif key == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif key == "connection" and "close" in value.lower():
                close = True
        if chunked:
            while (size := int((await reader.readline()).strip() or b"0", 16)) > 0:
                chunk = await reader.readexactly(size)
                await reader.readline()
                if on_chunk is not None:
                    on_chunk(chunk)
            await reader.readline()
        elif length:
            data = await reader.readexactly(length)
            if on_chunk is not None:
                on_chunk(data)
        if close:
            writer.close()
            self.reader = self.writer = None
        return status

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()


# -- measurement ---------------------------------------------------------------------------------


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def load(
    make: Callable[[int], Callable[[], Awaitable[None]]], runs: int, concurrency: int
) -> tuple[float, list[float]]:
    """``runs`` calls by ``concurrency`` workers (worker i calls ``make(i)()``)."""
    latencies: list[float] = []
    remaining = runs

    async def worker(index: int) -> None:
        nonlocal remaining
        one = make(index)
        while remaining > 0:
            remaining -= 1
            start = time.perf_counter()
            await one()
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(concurrency)))
    return time.perf_counter() - start, latencies


async def measure(
    grpc_address: str, rest_url: str, pids: dict[str, int], runs: int, levels: list[int]
) -> list[dict[str, Any]]:
    rest_host, rest_port = rest_url.removeprefix("http://").rsplit(":", 1)
    channel_sets = {
        "gRPC direct": [grpc.aio.insecure_channel(grpc_address) for _ in range(4)],
        "gRPC via Envoy": [grpc.aio.insecure_channel(f"{rest_host}:{rest_port}") for _ in range(4)],
    }
    request = run_service_pb2.CreateRunRequest(agent_id="bench", message="hi")
    body = json.dumps({"message": "hi"}).encode()
    rows: list[dict[str, Any]] = []

    def grpc_way(channels: list[grpc.aio.Channel]) -> Callable[[int], Callable[[], Awaitable[None]]]:
        stubs = [run_service_pb2_grpc.RunServiceStub(c) for c in channels]

        def make(index: int) -> Callable[[], Awaitable[None]]:
            stub = stubs[index % len(stubs)]

            async def one() -> None:
                response = await stub.CreateRun(request)
                assert response.run.content.string_value == ANSWER

            return one

        return make

    connections: list[Http1] = []

    def rest_way(index: int) -> Callable[[], Awaitable[None]]:
        connection = Http1(rest_host, int(rest_port))
        connections.append(connection)

        async def one() -> None:
            status = await connection.post("/v1/agents/bench/runs", body)
            assert status == 200, status

        return one

    ways = [
        ("gRPC direct", grpc_way(channel_sets["gRPC direct"])),
        ("gRPC via Envoy", grpc_way(channel_sets["gRPC via Envoy"])),
        ("REST via Envoy", rest_way),
    ]
    for concurrency in levels:
        for name, make in ways:
            await load(make, min(200, runs), concurrency)  # warm-up: connections, caches
            before = {role: cpu_seconds(pid) for role, pid in pids.items()}
            wall, latencies = await load(make, runs, concurrency)
            after = {role: cpu_seconds(pid) for role, pid in pids.items()}
            rows.append(
                {
                    "way": name,
                    "concurrency": concurrency,
                    "runs_per_s": runs / wall,
                    "p50_ms": statistics.median(latencies) * 1000,
                    "p99_ms": percentile(latencies, 0.99) * 1000,
                    **{f"{role}_cpu_us": (after[role] - before[role]) / runs * 1e6 for role in pids},
                }
            )
            print(format_row(rows[-1]), flush=True)
    for connection in connections:
        connection.close()
    rows.extend(await stream_times(channel_sets["gRPC direct"][0], rest_host, int(rest_port), runs))
    for channels in channel_sets.values():
        for channel in channels:
            await channel.close()
    return rows


async def stream_times(channel: grpc.aio.Channel, host: str, port: int, runs: int) -> list[dict[str, Any]]:
    """Streamed runs at concurrency 1: time to the first and to the last event."""
    stub = run_service_pb2_grpc.RunServiceStub(channel)
    request = run_service_pb2.StreamRunRequest(agent_id="stream", message="hi", stream_events=True)
    count = max(50, runs // 4)
    out = []

    grpc_first: list[float] = []
    grpc_last: list[float] = []
    for _ in range(count):
        start = time.perf_counter()
        first = None
        async for _event in stub.StreamRun(request):
            first = first or time.perf_counter() - start
        grpc_first.append(first or 0.0)
        grpc_last.append(time.perf_counter() - start)
    out.append(stream_row("gRPC stream", grpc_first, grpc_last))

    connection = Http1(host, port)
    body = json.dumps({"message": "hi", "streamEvents": True}).encode()
    sse_first: list[float] = []
    sse_last: list[float] = []
    for _ in range(count):
        start = time.perf_counter()
        seen: list[float] = []

        def on_chunk(data: bytes, seen: list[float] = seen, start: float = start) -> None:
            if b"data:" in data and not seen:
                seen.append(time.perf_counter() - start)

        status = await connection.post("/v1/agents/stream/runs:stream", body, on_chunk)
        assert status == 200
        sse_first.append(seen[0])
        sse_last.append(time.perf_counter() - start)
    connection.close()
    out.append(stream_row("REST SSE via Envoy", sse_first, sse_last))
    print(f"\nstreamed runs (c=1, {count} each, 6 events per run)")
    print("| way                | first p50 | first p99 | last p50 | last p99 |  (ms)")
    print("|---|---:|---:|---:|---:|")
    for row in out:
        print(format_stream_row(row), flush=True)
    return out


def stream_row(way: str, first: list[float], last: list[float]) -> dict[str, Any]:
    return {
        "way": way,
        "first_p50_ms": statistics.median(first) * 1000,
        "first_p99_ms": percentile(first, 0.99) * 1000,
        "last_p50_ms": statistics.median(last) * 1000,
        "last_p99_ms": percentile(last, 0.99) * 1000,
    }


def format_row(row: dict[str, Any]) -> str:
    return (
        f"| {row['way']:<15} | {row['concurrency']:>3} | {row['runs_per_s']:>7.0f} | "
        f"{row['p50_ms']:>7.2f} | {row['p99_ms']:>7.2f} | {row['server_cpu_us']:>7.0f} | "
        f"{row['envoy_cpu_us']:>6.0f} |"
    )


def format_stream_row(row: dict[str, Any]) -> str:
    return (
        f"| {row['way']:<18} | {row['first_p50_ms']:>6.2f} | {row['first_p99_ms']:>6.2f} | "
        f"{row['last_p50_ms']:>6.2f} | {row['last_p99_ms']:>6.2f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--runs", type=int, default=2000, help="runs per measurement (default 2000)")
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 64], help="concurrency levels")
    parser.add_argument("--envoy-concurrency", type=int, default=2, help="Envoy worker threads (default 2)")
    parser.add_argument("--json", type=Path, help="also write the rows to this file")
    opts = parser.parse_args()
    if opts.serve:
        serve(opts.envoy_concurrency)
        return

    server = subprocess.Popen(
        [sys.executable, __file__, "--serve", "--envoy-concurrency", str(opts.envoy_concurrency)],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        line = server.stdout.readline().strip()
        if not line.startswith("READY "):
            raise RuntimeError(f"server did not start: {line!r}")
        _, grpc_address, rest_url, envoy_pid = line.split()
        pids = {"server": server.pid, "envoy": int(envoy_pid)}
        print(f"cores: {os.cpu_count()}; runs per row: {opts.runs}; Envoy workers: {opts.envoy_concurrency}")
        print("| way             |   c |  runs/s | p50 ms  | p99 ms  | srv µs/run | envoy µs/run |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        rows = asyncio.run(measure(grpc_address, rest_url, pids, opts.runs, opts.levels))
        if opts.json is not None:
            opts.json.write_text(json.dumps(rows, indent=1))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
