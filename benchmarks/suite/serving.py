"""Served workloads (4, 5, 6): Agno's AgentOS over REST/SSE vs ours over gRPC.

Every server under test runs in its own process, and so does the fake model server it calls
(``model_server.py``): the load generator (this process) never shares a CPU budget with the
server it measures except through the machine's cores. Server CPU per run is read from
``/proc/<pid>/stat``; memory per open stream from ``/proc/<pid>/status`` (VmRSS).

A ``Target`` is one way of reaching one runtime: Agno's REST API, our gRPC RunService through a
raw generated stub, or through ``AgentOSClient``. Each knows how to start its server and how to
do one run, unary or streamed; the workloads are written once against that interface, so our
side plugs in as soon as the runtime exists (until then its server reports NOT_RUN).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
OUR_PYTHON = str(ROOT / ".venv" / "bin" / "python")
AGNO_PYTHON = str(ROOT / "benchmarks" / ".venv-agno" / "bin" / "python")
PROMPT = "What is the weather like?"


class NotRun(Exception):
    """A side that cannot run yet; the message says why and lands in RESULTS.md."""


# Processes -----------------------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen[str]
    address: str

    def cpu_seconds(self) -> float:
        with open(f"/proc/{self.process.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_bytes(self) -> int:
        with open(f"/proc/{self.process.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS")


@contextlib.contextmanager
def started(command: list[str], *, timeout: float = 60.0) -> Iterator[Server]:
    """Start ``command`` (which prints ``READY <address>`` or ``NOT_RUN <reason>``); stop it after."""
    env = {**os.environ, "AGNO_TELEMETRY": "false", "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
    try:
        assert process.stdout is not None
        deadline = time.monotonic() + timeout
        seen: list[str] = []
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            seen.append(line.rstrip())
            if line.startswith("READY "):
                yield Server(process, line.split()[1])
                return
            if line.startswith("NOT_RUN "):
                raise NotRun(line[len("NOT_RUN ") :].strip())
        raise RuntimeError(f"{command[1]} did not start: {' | '.join(seen[-5:])}")
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def model_server(*, chars: int = 16, chunk_size: int = 16, chunk_delay: float = 0.0) -> Any:
    command = [OUR_PYTHON, str(HERE / "model_server.py"), "--chars", str(chars)]
    command += ["--chunk-size", str(chunk_size), "--chunk-delay", str(chunk_delay)]
    return started(command)


# Targets -------------------------------------------------------------------------------------


class Target(Protocol):
    label: str

    def server_command(self, model_url: str, db_file: str) -> list[str]: ...

    async def open(self, address: str, connections: int) -> None: ...

    async def close(self) -> None: ...

    async def run_once(self) -> None:
        """One unary run to completion; raises unless it completed."""

    def stream_run(self) -> AsyncIterator[str]:
        """One streamed run: yields the event names as they arrive."""


class AgnoRest:
    """Agno's AgentOS: ``POST /agents/{id}/runs`` (form fields), SSE when ``stream=true``."""

    label = "Agno AgentOS (REST, httpx)"

    def __init__(self) -> None:
        self._client: Any = None

    def server_command(self, model_url: str, db_file: str) -> list[str]:
        return [AGNO_PYTHON, str(HERE / "agno_os_app.py"), "--model-url", model_url, "--db", db_file]

    async def open(self, address: str, connections: int) -> None:
        import httpx

        limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
        self._client = httpx.AsyncClient(base_url=address, limits=limits, timeout=300.0)

    async def close(self) -> None:
        await self._client.aclose()

    async def run_once(self) -> None:
        response = await self._client.post("/agents/bench/runs", data={"message": PROMPT, "stream": "false"})
        response.raise_for_status()
        status = response.json().get("status")
        if status != "COMPLETED":
            raise RuntimeError(f"Agno run ended {status}")

    async def stream_run(self) -> AsyncIterator[str]:
        data = {"message": PROMPT, "stream": "true"}
        async with self._client.stream("POST", "/agents/bench/runs", data=data) as response:
            response.raise_for_status()
            async for line in response.aiter_lines():
                if line.startswith("event: "):
                    yield line[7:].strip()


@contextlib.contextmanager
def _pending_if_unimplemented(rpc: str) -> Iterator[None]:
    """An UNIMPLEMENTED RunService is the runtime still being built: report it as not run."""
    import grpc

    try:
        yield
    except grpc.aio.AioRpcError as exc:
        if exc.code() == grpc.StatusCode.UNIMPLEMENTED:
            raise NotRun(
                f"runtime pending: RunService.{rpc} answers UNIMPLEMENTED ({exc.details()})"
            ) from exc
        raise


class OursRawStub:
    """Our RunService through the generated stub: what any gRPC client pays."""

    label = "ours (gRPC, raw stub)"

    def __init__(self) -> None:
        self._channel: Any = None
        self._stub: Any = None

    def server_command(self, model_url: str, db_file: str) -> list[str]:
        return [OUR_PYTHON, str(HERE / "ours_os_app.py"), "--model-url", model_url, "--db", db_file]

    async def open(self, address: str, connections: int) -> None:
        import grpc
        from agentos.v1 import run_service_pb2_grpc

        self._channel = grpc.aio.insecure_channel(address)
        self._stub = run_service_pb2_grpc.RunServiceStub(self._channel)
        # The server process says READY before serve() binds; wait until it accepts calls.
        await asyncio.wait_for(self._channel.channel_ready(), 30)

    async def close(self) -> None:
        await self._channel.close()

    async def run_once(self) -> None:
        from agentos.v1 import run_service_pb2, runs_pb2

        with _pending_if_unimplemented("CreateRun"):
            response = await self._stub.CreateRun(
                run_service_pb2.CreateRunRequest(
                    agent_id="bench", message=PROMPT, session_id=str(uuid.uuid4())
                )
            )
        if response.run.state != runs_pb2.RUN_STATE_COMPLETED:
            raise RuntimeError(f"run ended {runs_pb2.RunState.Name(response.run.state)}")

    async def stream_run(self) -> AsyncIterator[str]:
        from agentos.v1 import run_service_pb2

        # Every event, as Agno's AgentOS streams by default: both sides' first event is RunStarted.
        request = run_service_pb2.StreamRunRequest(
            agent_id="bench", message=PROMPT, session_id=str(uuid.uuid4()), stream_events=True
        )
        with _pending_if_unimplemented("StreamRun"):
            async for event in self._stub.StreamRun(request):
                yield event.event


class OursClient(OursRawStub):
    """Our RunService through ``AgentOSClient`` (the documented ``run_agent``/``run_agent_stream``)."""

    label = "ours (gRPC, AgentOSClient)"

    async def open(self, address: str, connections: int) -> None:
        try:
            from agentos.client import AgentOSClient  # type: ignore[attr-defined]
        except ImportError as exc:
            raise NotRun(f"runtime pending: agentos.client.AgentOSClient is not available ({exc})") from exc
        self._client = AgentOSClient(address)
        # The server process says READY before serve() binds; wait until it answers.
        deadline = asyncio.get_running_loop().time() + 30
        while True:
            try:
                await self._client.list_agents()
                return
            except Exception:
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.1)

    async def close(self) -> None:
        closer = getattr(self._client, "aclose", None) or getattr(self._client, "close", None)
        if closer is not None:
            result = closer()
            if asyncio.iscoroutine(result):
                await result

    async def run_once(self) -> None:
        out = await self._client.run_agent(agent_id="bench", message=PROMPT, session_id=str(uuid.uuid4()))
        if str(getattr(out, "status", "")).upper().split(".")[-1] != "COMPLETED":
            raise RuntimeError(f"run ended {getattr(out, 'status', None)}")

    async def stream_run(self) -> AsyncIterator[str]:
        stream = self._client.run_agent_stream(
            agent_id="bench", message=PROMPT, session_id=str(uuid.uuid4()), stream_events=True
        )
        async for event in stream:
            yield str(getattr(event, "event", type(event).__name__))


TARGETS: dict[str, type[AgnoRest] | type[OursRawStub]] = {
    "agno": AgnoRest,
    "ours-stub": OursRawStub,
    "ours-client": OursClient,
}


# Workloads -----------------------------------------------------------------------------------

PROCESS_EVENT_RUNS = 8
"""Concurrent 1000-chunk runs for workload 5's per-process rate: enough that the server always
has a message to send while grpc waits on the one in flight of each stream (4 to 16 measured
alike on this machine), few enough that run start-up stays a small part of the batch."""


def _percentile(ordered: list[float], q: float) -> float:
    return ordered[min(len(ordered) - 1, int(q * (len(ordered) - 1) + 0.5))]


async def _served_runs(
    target: Target, server: Server, levels: list[int], runs_per_client: int
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    await target.open(server.address, max(levels) * 2)
    try:
        for _ in range(20):  # warm-up: connections, tables, caches
            await target.run_once()
        for clients in levels:
            latencies: list[float] = []

            async def client(latencies: list[float] = latencies) -> None:
                for _ in range(runs_per_client):
                    start = time.perf_counter()
                    await target.run_once()
                    latencies.append(time.perf_counter() - start)

            cpu0, start = server.cpu_seconds(), time.perf_counter()
            await asyncio.gather(*(client() for _ in range(clients)))
            elapsed, cpu = time.perf_counter() - start, server.cpu_seconds() - cpu0
            latencies.sort()
            result[f"c{clients}"] = {
                "runs": len(latencies),
                "runs_per_s": len(latencies) / elapsed,
                "p50_ms": statistics.median(latencies) * 1e3,
                "p99_ms": _percentile(latencies, 0.99) * 1e3,
                "server_cpu_ms_per_run": cpu / len(latencies) * 1e3,
            }
        first_event = []
        for _ in range(50):
            start, first = time.perf_counter(), 0.0
            async for _name in target.stream_run():
                first = first or time.perf_counter()
            # Drained, not abandoned: the next stream reuses the connection, as a client would.
            first_event.append(first - start)
        result["first_event_ms"] = statistics.median(first_event) * 1e3
    finally:
        await target.close()
    return result


async def _event_rate(target: Target, server: Server, repeat: int) -> dict[str, Any]:
    await target.open(server.address, 4)
    try:
        rates, counts = [], []
        for _ in range(repeat + 1):
            count, first, last = 0, 0.0, 0.0
            async for _name in target.stream_run():
                last = time.perf_counter()
                if count == 0:
                    first = last
                count += 1
            rates.append((count - 1) / (last - first))
            counts.append(count)
        return {"events_per_s": statistics.median(rates[1:]), "events_per_run": counts[-1]}
    finally:
        await target.close()


async def _process_event_rate(target: Target, server: Server, runs: int, repeat: int) -> dict[str, Any]:
    """Events/s that one server process streams out with ``runs`` such runs at once.

    The rate is every event of every run over the wall time of the whole batch, from the
    moment the runs are asked for to the last event of the last run (run start-up included),
    with the server's CPU (all its threads) per event read from /proc around the batch."""
    await target.open(server.address, runs + 4)
    try:

        async def one() -> int:
            count, last = 0, ""
            async for name in target.stream_run():
                count += 1
                last = name
            if last not in ("RunCompleted", "run_completed"):  # a failed run is not a fast one
                raise RuntimeError(f"a streamed run ended with {last or 'no event'}")
            return count

        await asyncio.gather(*(one() for _ in range(runs)))  # warm-up batch
        rates, cpus = [], []
        for _ in range(repeat):
            cpu0, start = server.cpu_seconds(), time.perf_counter()
            events = sum(await asyncio.gather(*(one() for _ in range(runs))))
            elapsed, cpu = time.perf_counter() - start, server.cpu_seconds() - cpu0
            rates.append(events / elapsed)
            cpus.append(cpu / events * 1e6)
        return {
            "runs": runs,
            "events_per_s": statistics.median(rates),
            "server_cpu_us_per_event": statistics.median(cpus),
        }
    finally:
        await target.close()


async def _open_streams(target: Target, server: Server, streams: int) -> dict[str, Any]:
    await target.open(server.address, streams + 8)
    try:
        async for _name in target.stream_run():  # warm-up run
            pass
        rss_before = server.rss_bytes()
        peak = rss_before
        finals: list[str] = []

        async def one() -> None:
            last = ""
            async for name in target.stream_run():
                last = name
            finals.append(last)  # the terminal event, when the stream ended properly

        tasks = [asyncio.create_task(one()) for _ in range(streams)]
        start = time.perf_counter()
        while not all(task.done() for task in tasks):
            peak = max(peak, server.rss_bytes())
            await asyncio.sleep(0.1)
        elapsed = time.perf_counter() - start
        errors = [task.exception() for task in tasks if task.exception() is not None]
        completed = sum(1 for name in finals if name in ("RunCompleted", "run_completed"))
        return {
            "streams": streams,
            "completed": completed,
            "errors": len(errors),
            "first_error": repr(errors[0]) if errors else None,
            "kib_per_stream": (peak - rss_before) / streams / 1024,
            "wall_s": elapsed,
        }
    finally:
        await target.close()


def run_workload(
    workload: str, target_name: str, *, levels: list[int], runs_per_client: int, streams: int, repeat: int
) -> dict[str, Any]:
    """Run one served workload against one target; ``{"not_run": reason}`` when it cannot run."""
    target = TARGETS[target_name]()
    with tempfile.TemporaryDirectory() as folder:
        db_file = str(Path(folder) / f"{target_name}.db")
        if workload == "served":
            model = model_server(chars=16, chunk_size=16)
        elif workload in ("events", "process-events"):
            model = model_server(chars=4000, chunk_size=4)  # 1000 content chunks
        else:
            model = model_server(chars=24, chunk_size=4, chunk_delay=0.5)  # ~3 s per stream
        try:
            with model as model_srv, started(target.server_command(model_srv.address, db_file)) as server:
                if workload == "served":
                    return asyncio.run(_served_runs(target, server, levels, runs_per_client))
                if workload == "events":
                    return asyncio.run(_event_rate(target, server, repeat))
                if workload == "process-events":
                    return asyncio.run(_process_event_rate(target, server, PROCESS_EVENT_RUNS, repeat))
                return asyncio.run(_open_streams(target, server, streams))
        except NotRun as exc:
            return {"not_run": str(exc)}
        except Exception as exc:  # one broken side must not lose the other results
            return {"error": f"{type(exc).__name__}: {exc}"}


if __name__ == "__main__":
    import argparse
    import json

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", choices=["served", "events", "process-events", "streams"])
    parser.add_argument("target", choices=sorted(TARGETS))
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--runs-per-client", type=int, default=20)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    out = run_workload(
        args.workload,
        args.target,
        levels=args.levels,
        runs_per_client=args.runs_per_client,
        streams=args.streams,
        repeat=args.repeat,
    )
    print(json.dumps(out, indent=2))
