"""The ceiling for served runs: a no-op grpc.aio unary RPC and a bare server stream.

Whatever our RunService does per run comes on top of what grpc.aio itself costs; this measures
that floor on this machine (DESIGN §3: ~4.4k no-op calls/s at 64 clients, ~16k streamed
messages/s). The server runs in its own process (``serve``), like a real one; the client
(``measure``) drives it with N concurrent callers on one channel.

    .venv/bin/python benchmarks/suite/grpc_ceiling.py measure --concurrency 64 --calls 6000
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
from collections.abc import AsyncIterator
from typing import Any

import grpc

_SERVICE = "bench.Ceiling"
_PAYLOAD = b"x" * 64


def _handlers() -> grpc.GenericRpcHandler:
    async def noop(request: bytes, context: grpc.aio.ServicerContext[bytes, bytes]) -> bytes:
        return request

    async def stream(request: bytes, context: grpc.aio.ServicerContext[bytes, bytes]) -> AsyncIterator[bytes]:
        for _ in range(int(request.decode())):
            yield _PAYLOAD

    return grpc.method_handlers_generic_handler(
        _SERVICE,
        {
            "Noop": grpc.unary_unary_rpc_method_handler(noop),
            "Stream": grpc.unary_stream_rpc_method_handler(stream),
        },
    )


async def _serve() -> None:
    server = grpc.aio.server()
    server.add_generic_rpc_handlers((_handlers(),))
    port = server.add_insecure_port("127.0.0.1:0")
    await server.start()
    print(f"READY 127.0.0.1:{port}", flush=True)
    await server.wait_for_termination()


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def _unary(target: str, concurrency: int, calls: int) -> dict[str, float]:
    async with grpc.aio.insecure_channel(target) as channel:
        noop = channel.unary_unary(f"/{_SERVICE}/Noop")
        for _ in range(200):  # warm-up: connection, HTTP/2 windows
            await noop(_PAYLOAD)
        latencies: list[float] = []
        per_worker = calls // concurrency

        async def worker() -> None:
            for _ in range(per_worker):
                start = time.perf_counter()
                await noop(_PAYLOAD)
                latencies.append(time.perf_counter() - start)

        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - start
    latencies.sort()
    return {
        "calls_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1e3,
        "p99_ms": latencies[int(0.99 * (len(latencies) - 1))] * 1e3,
    }


async def _stream(target: str, messages: int) -> float:
    async with grpc.aio.insecure_channel(target) as channel:
        stream = channel.unary_stream(f"/{_SERVICE}/Stream")
        async for _ in stream(b"10"):
            pass
        rates = []
        for _ in range(3):
            count, start = 0, time.perf_counter()
            async for _ in stream(str(messages).encode()):
                count += 1
            rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


async def _first_message(target: str, streams: int) -> float:
    """Median time from calling a one-message bare stream to receiving its message, in ms: the
    floor under workload 4's "time to first streamed event" (same client, same way of timing)."""
    async with grpc.aio.insecure_channel(target) as channel:
        stream = channel.unary_stream(f"/{_SERVICE}/Stream")
        for _ in range(20):  # warm-up: connection, HTTP/2 windows
            async for _ in stream(b"1"):
                pass
        times = []
        for _ in range(streams):
            start, first = time.perf_counter(), 0.0
            async for _ in stream(b"1"):
                first = first or time.perf_counter()
            times.append(first - start)
    return statistics.median(times) * 1e3


async def _streams(target: str, streams: int, messages: int, pid: int) -> dict[str, float]:
    """``streams`` bare streams at once: messages/s out of one server process, CPU per message."""
    async with grpc.aio.insecure_channel(target) as channel:
        stream = channel.unary_stream(f"/{_SERVICE}/Stream")

        async def one(count: int) -> int:
            received = 0
            async for _ in stream(str(count).encode()):
                received += 1
            return received

        await asyncio.gather(*(one(10) for _ in range(streams)))
        rates, cpus = [], []
        for _ in range(3):
            cpu0, start = _cpu_seconds(pid), time.perf_counter()
            total = sum(await asyncio.gather(*(one(messages) for _ in range(streams))))
            rates.append(total / (time.perf_counter() - start))
            cpus.append((_cpu_seconds(pid) - cpu0) / total * 1e6)
    return {"msgs_per_s": statistics.median(rates), "server_cpu_us_per_msg": statistics.median(cpus)}


def measure(concurrency: list[int], calls: int, stream_messages: int) -> dict[str, Any]:
    """Start a ceiling server in a child process and measure it from this one."""
    proc = subprocess.Popen([sys.executable, __file__, "serve"], stdout=subprocess.PIPE, text=True, bufsize=1)
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        if not line.startswith("READY"):
            raise RuntimeError(f"ceiling server did not start: {line!r}")
        target = line.split()[1]
        result: dict[str, Any] = {}
        for n in concurrency:
            cpu0 = _cpu_seconds(proc.pid)
            unary = asyncio.run(_unary(target, n, max(calls, n * 20)))
            unary["server_cpu_ms_per_call"] = (
                (_cpu_seconds(proc.pid) - cpu0) / (max(calls, n * 20) // n * n + 200) * 1e3
            )
            result[f"unary_c{n}"] = unary
        result["first_message_ms"] = asyncio.run(_first_message(target, 50))
        result["stream_msgs_per_s"] = asyncio.run(_stream(target, stream_messages))
        result["streams_c8"] = asyncio.run(_streams(target, 8, stream_messages // 4, proc.pid))
        return result
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["serve", "measure"])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--calls", type=int, default=4000)
    parser.add_argument("--stream-messages", type=int, default=20000)
    args = parser.parse_args()
    if args.mode == "serve":
        asyncio.run(_serve())
    else:
        print(json.dumps(measure(args.concurrency, args.calls, args.stream_messages), indent=2))


if __name__ == "__main__":
    main()
