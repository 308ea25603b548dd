"""Served runs over gRPC: throughput, latency, time to first event, events/s, CPU and memory.

Three processes, so that no measurement shares a CPU budget with what it measures beyond the
machine's cores: the fake OpenAI-compatible model server (``tests/support/fake_openai.py``), our
AgentOS server (this file with ``--serve``), and the load generator (this file). Server CPU per
run comes from ``/proc/<pid>/stat`` (utime + stime) around each measurement; memory per open
stream from ``/proc/<pid>/status`` (VmRSS).

Workloads:

* unary CreateRun of agent ``bench`` (OpenAIChat against the fake server, SQLite storage unless
  ``--no-db``) at concurrency 1, 16 and 64, through a raw generated stub and through
  ``AgentOSClient``: runs/s, p50/p99 latency, server CPU per run; the same at 64 clients with a
  scripted model (``scripted``: no model HTTP call, so it shows the runtime's own cost);
* a baseline unary round trip (GetRun of an unknown run) to read the others against;
* time to first event at one client: StreamRun with ``stream_events`` (first event: RunStarted,
  i.e. the server's own latency) and without (first event: the model's first content chunk);
* events/s of one stream whose model replies in 1000 chunks (``chunky``: a scripted model, so
  the figure is the server's streaming path alone; ``chunky-http``: the fake server streaming
  1000 SSE fragments through OpenAIChat), and of 4 and 16 such streams at once (per process);
* memory per open stream: N streams held open on a model that never finishes (scripted: no
  model connection), and N streams on the HTTP model answering in 6 chunks 0.5 s apart (the
  suite's workload 6: each holds a model connection; peak RSS growth over their lifetime).

    .venv/bin/python benchmarks/bench_served.py [--runs 2000] [--quick] [--no-db] [--no-events]
        [--only round-trip first-event events throughput memory]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import multiprocessing as mp
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

import grpc  # noqa: E402
from agentos.v1 import run_service_pb2, run_service_pb2_grpc  # noqa: E402

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
CHUNKS = 1000


# -- the processes -----------------------------------------------------------------------------


def _serve_model(queue: Any) -> None:
    from fake_openai import FakeOpenAI, Turn

    def reply(request: Any) -> Any:
        body = request.json() or {}
        text = str(body.get("messages", [{}])[-1].get("content", ""))
        if text.startswith("chunky"):
            return Turn("x" * CHUNKS, chunk_size=1)
        if text.startswith("slow"):
            return Turn("The sky is clear. The sky", chunk_size=4, chunk_delay=0.5)  # ~3 s
        return Turn("The weather is sunny today.", chunk_size=8)

    server = FakeOpenAI(default=reply).start()  # type: ignore[arg-type]
    queue.put(server.base_url)
    threading.Event().wait()


def serve(model_url: str, db_path: str | None, persist_events: bool) -> None:
    """The AgentOS under test (``--serve``): prints ``READY host:port`` once it serves."""
    from agentos.agent import Agent
    from agentos.db import SqliteDb
    from agentos.models.openai import OpenAIChat
    from agentos.models.scripted import ScriptedModel, chunks, hang
    from agentos.os import AgentOS, ServerSettings
    from agentos.os.runs import RunSettings, run_manager

    db = SqliteDb(db_file=db_path) if db_path else None
    model = OpenAIChat(id="gpt-4o", base_url=model_url, api_key="bench")
    agents = [
        Agent(id="bench", model=model, db=db),
        Agent(
            id="scripted", model=ScriptedModel(steps=[chunks("The weather ", "is sunny ", "today.")]), db=db
        ),
        Agent(id="chunky", model=ScriptedModel(steps=[chunks(*(["x"] * CHUNKS))])),
        Agent(id="chunky-http", model=model),
        Agent(id="waiter", model=ScriptedModel(steps=[hang(after_chunks=1, chunks=["a", "b"])])),
    ]
    agent_os = AgentOS(id="bench-os", agents=agents, db=db)

    async def main() -> None:
        server = await agent_os.start(
            "127.0.0.1", 0, settings=ServerSettings(grace_period=1.0, cancel_grace=1.0)
        )
        run_manager(server.server).settings = RunSettings(persist_events=persist_events)
        print(f"READY {server.address}", flush=True)
        await server.wait_stopped()

    asyncio.run(main())


@contextlib.contextmanager
def processes(db: bool, persist_events: bool = True) -> Iterator[tuple[str, int]]:
    """Start the model server and our server; yields (address, server pid)."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    model = ctx.Process(target=_serve_model, args=(queue,), daemon=True)
    model.start()
    model_url = queue.get(timeout=30)
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, __file__, "--serve", "--model-url", model_url]
        if db:
            command += ["--db", str(Path(tmp) / "bench.db")]
        if not persist_events:
            command.append("--no-events")
        server = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=ROOT)
        try:
            assert server.stdout is not None
            line = server.stdout.readline().strip()
            if not line.startswith("READY "):
                raise RuntimeError(f"server did not start: {line!r}")
            yield line.split(" ", 1)[1], server.pid
        finally:
            server.terminate()
            server.wait(timeout=30)
            model.terminate()


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


# -- measurements ------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def latency_text(times: list[float]) -> str:
    return f"p50 {statistics.median(times) * 1000:6.3f} ms  p99 {percentile(times, 0.99) * 1000:6.3f} ms"


async def load(one: Callable[[], Awaitable[None]], runs: int, concurrency: int) -> tuple[float, list[float]]:
    """Run ``one`` ``runs`` times with ``concurrency`` workers; (wall seconds, latencies)."""
    latencies: list[float] = []
    remaining = runs

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            start = time.perf_counter()
            await one()
            latencies.append(time.perf_counter() - start)

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - start, latencies


Row = tuple[str, str]


async def throughput(
    address: str, pid: int, runs: int, levels: list[int], rows: list[Row], agent_id: str, with_client: bool
) -> None:
    from agentos.client import AgentOSClient

    channels = [grpc.aio.insecure_channel(address) for _ in range(4)]
    stubs = [run_service_pb2_grpc.RunServiceStub(c) for c in channels]
    counter = 0

    async def raw() -> None:
        nonlocal counter
        counter += 1
        stub = stubs[counter % len(stubs)]
        response = await stub.CreateRun(run_service_pb2.CreateRunRequest(agent_id=agent_id, message="hi"))
        assert response.run.content.string_value

    client = AgentOSClient(address, timeout=60)

    async def via_client() -> None:
        output = await client.run_agent(agent_id, "hi")
        assert output.content

    ways: list[tuple[str, Callable[[], Awaitable[None]]]] = [("raw stub", raw)]
    if with_client:
        ways.append(("AgentOSClient", via_client))
    for name, one in ways:
        await load(one, 64, 16)  # warm-up: connections, caches
        for concurrency in levels:
            count = max(runs // (4 if concurrency == 1 else 1), 50)
            before = cpu_seconds(pid)
            wall, latencies = await load(one, count, concurrency)
            cpu = cpu_seconds(pid) - before
            rows.append(
                (
                    f"CreateRun {agent_id}, {name}, c={concurrency}",
                    f"{count / wall:8.0f} runs/s  p50 {percentile(latencies, 0.5) * 1000:6.2f} ms  "
                    f"p99 {percentile(latencies, 0.99) * 1000:6.2f} ms  "
                    f"server CPU {cpu / count * 1000:5.2f} ms/run",
                )
            )
            print(rows[-1][0], rows[-1][1], flush=True)
    await client.aclose()
    for channel in channels:
        await channel.close()


async def round_trip(address: str, rows: list[Row], samples: int) -> None:
    """Baseline: a unary call answered at once (GetRun of an unknown run: NOT_FOUND)."""
    async with grpc.aio.insecure_channel(address) as channel:
        stub = run_service_pb2_grpc.RunServiceStub(channel)
        times: list[float] = []
        for _ in range(samples):
            start = time.perf_counter()
            with contextlib.suppress(grpc.aio.AioRpcError):
                await stub.GetRun(run_service_pb2.GetRunRequest(run_id="unknown"))
            times.append(time.perf_counter() - start)
        rows.append(
            (
                "baseline: unary round trip (GetRun NOT_FOUND), 1 client",
                latency_text(times),
            )
        )
        print(rows[-1][0], rows[-1][1], flush=True)


async def first_event(address: str, rows: list[Row], samples: int) -> None:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = run_service_pb2_grpc.RunServiceStub(channel)
        for stream_events, label in ((True, "RunStarted"), (False, "first content chunk")):
            times: list[float] = []
            for index in range(samples + 20):
                request = run_service_pb2.StreamRunRequest(
                    agent_id="bench", message="hi", stream_events=stream_events
                )
                start = time.perf_counter()
                call = stub.StreamRun(request)
                await call.read()
                if index >= 20:  # the first ones warm up connections and pools
                    times.append(time.perf_counter() - start)
                while await call.read() is not grpc.aio.EOF:
                    pass
            rows.append(
                (
                    f"time to first event ({label}), 1 client",
                    latency_text(times),
                )
            )
            print(rows[-1][0], rows[-1][1], flush=True)


async def events_per_second(address: str, pid: int, rows: list[Row], repeats: int) -> None:
    async with grpc.aio.insecure_channel(address) as channel:
        stub = run_service_pb2_grpc.RunServiceStub(channel)
        for agent_id in ("chunky", "chunky-http"):
            rates: list[float] = []
            for _ in range(repeats):
                request = run_service_pb2.StreamRunRequest(agent_id=agent_id, message="chunky please")
                before = cpu_seconds(pid)
                start = time.perf_counter()
                count = 0
                async for _event in stub.StreamRun(request):
                    count += 1
                elapsed = time.perf_counter() - start
                cpu = cpu_seconds(pid) - before
                assert count >= CHUNKS, count
                rates.append(count / elapsed)
            rows.append(
                (
                    f"events/s, one stream ({agent_id}, {CHUNKS} chunks)",
                    f"{statistics.median(rates):8.0f} events/s  server CPU {cpu / count * 1e6:5.1f} us/event",
                )
            )
            print(rows[-1][0], rows[-1][1], flush=True)
        for streams in (4, 16):

            async def drain() -> int:
                request = run_service_pb2.StreamRunRequest(agent_id="chunky", message="chunky please")
                return sum([1 async for _event in stub.StreamRun(request)])

            before = cpu_seconds(pid)
            start = time.perf_counter()
            total = sum(await asyncio.gather(*(drain() for _ in range(streams))))
            elapsed = time.perf_counter() - start
            cpu = cpu_seconds(pid) - before
            rows.append(
                (
                    f"events/s, {streams} concurrent streams (chunky)",
                    f"{total / elapsed:8.0f} events/s  server CPU {cpu / total * 1e6:5.1f} us/event",
                )
            )
            print(rows[-1][0], rows[-1][1], flush=True)


async def memory_per_stream(address: str, pid: int, rows: list[Row], streams: int) -> None:
    channels = [grpc.aio.insecure_channel(address) for _ in range(4)]
    stubs = [run_service_pb2_grpc.RunServiceStub(c) for c in channels]
    # Warm up allocator pools with one batch opened and closed.
    before = rss_kib(pid)
    calls = [
        stubs[i % 4].StreamRun(run_service_pb2.StreamRunRequest(agent_id="waiter", message="x"))
        for i in range(streams)
    ]
    await asyncio.gather(*(call.read() for call in calls))
    after = rss_kib(pid)
    rows.append((f"memory per open stream ({streams} streams)", f"{(after - before) / streams:6.1f} KiB"))
    print(rows[-1][0], rows[-1][1], flush=True)
    for call in calls:
        call.cancel()
    for channel in channels:
        await channel.close()


async def memory_per_http_stream(address: str, pid: int, rows: list[Row], streams: int) -> None:
    """Like the suite's workload 6: streams on the HTTP model answering slowly, peak RSS growth.

    Unlike ``memory_per_stream`` (a scripted model that hangs: no model connection), every
    stream here holds a connection to the model server and runs to completion; the peak is
    taken over the whole lifetime of the streams.
    """
    channels = [grpc.aio.insecure_channel(address) for _ in range(4)]
    stubs = [run_service_pb2_grpc.RunServiceStub(c) for c in channels]

    async def one(index: int) -> str:
        last = ""
        request = run_service_pb2.StreamRunRequest(agent_id="bench", message="slow please")
        async for event in stubs[index % 4].StreamRun(request):
            last = event.event
        return last

    await one(0)
    before = peak = rss_kib(pid)
    tasks = [asyncio.ensure_future(one(i)) for i in range(streams)]
    while not all(task.done() for task in tasks):
        peak = max(peak, rss_kib(pid))
        await asyncio.sleep(0.1)
    completed = sum(1 for task in tasks if task.result() == "RunCompleted")
    rows.append(
        (
            f"memory per open stream, HTTP model ({streams} slow streams)",
            f"{(peak - before) / streams:6.1f} KiB  ({completed} of {streams} completed)",
        )
    )
    print(rows[-1][0], rows[-1][1], flush=True)
    for channel in channels:
        await channel.close()


SECTIONS = ("round-trip", "first-event", "events", "throughput", "memory")


async def main_async(args: argparse.Namespace, address: str, pid: int) -> list[Row]:
    rows: list[Row] = []
    only = set(args.only or SECTIONS)
    if "round-trip" in only:
        await round_trip(address, rows, 100 if args.quick else 500)
    if "first-event" in only:
        await first_event(address, rows, 50 if args.quick else 200)
    if "events" in only:
        await events_per_second(address, pid, rows, 2 if args.quick else 5)
    if "throughput" in only:
        await throughput(address, pid, args.runs, [1, 16, 64], rows, "bench", with_client=True)
        await throughput(address, pid, args.runs, [64], rows, "scripted", with_client=False)
    if "memory" in only:
        await memory_per_stream(address, pid, rows, 200 if args.quick else 1000)
        await memory_per_http_stream(address, pid, rows, 200 if args.quick else 1000)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=2000, help="runs per concurrency level")
    parser.add_argument("--quick", action="store_true", help="fewer runs and samples")
    parser.add_argument("--no-db", action="store_true", help="serve without SQLite storage")
    parser.add_argument("--no-events", action="store_true", help="do not persist run events to the db")
    parser.add_argument(
        "--only", nargs="+", choices=SECTIONS, help="measure only these sections (A/B runs of one workload)"
    )
    parser.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--model-url", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.model_url, args.db, not args.no_events)
        return
    if args.quick:
        args.runs = min(args.runs, 400)
    with processes(db=not args.no_db, persist_events=not args.no_events) as (address, pid):
        rows = asyncio.run(main_async(args, address, pid))
    width = max(len(name) for name, _ in rows)
    storage = "no db" if args.no_db else "SQLite" + (", events not persisted" if args.no_events else "")
    print(f"\nbench_served ({storage}; {os.cpu_count()} CPUs)")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    main()
