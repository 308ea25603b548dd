"""The performance suite against Agno (`make bench`): runs both sides, writes benchmarks/RESULTS.md.

Our engine runs in the project's .venv, Agno 3.1.10 in benchmarks/.venv-agno; every measurement
is a fresh subprocess of one side, so the two never share an interpreter. The in-process
workloads (1-3, 7) run ``--reps`` times, alternating which side goes first, and the table shows
the median over repetitions; the served workloads (4-6) run once per side (each is internally
repeated: hundreds of runs per concurrency level). Goals are reported as met or not; this is
not a test and never fails on a missed goal.

    .venv/bin/python benchmarks/run.py                  # what `make bench` runs
    .venv/bin/python benchmarks/run.py --quick          # a smoke run (~1 minute), same table
    .venv/bin/python benchmarks/run.py --only 1 2 7 --output /tmp/RESULTS.md
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SUITE = HERE / "suite"
ROOT = HERE.parent
sys.path.insert(0, str(SUITE))

import grpc_ceiling  # noqa: E402
import imports  # noqa: E402
import serving  # noqa: E402

OURS = serving.OUR_PYTHON
AGNO = serving.AGNO_PYTHON
ENV = {**os.environ, "AGNO_TELEMETRY": "false", "PYTHONHASHSEED": "0"}


@dataclass
class Settings:
    reps: int = 5
    iterations: int = 1000  # workload 1 timing (Agno's figure); memory uses memory_iterations
    memory_iterations: int = 50  # identical samples (allocation is deterministic); gc.collect() each
    run_iterations: int = 1000  # workload 2, per kind of run
    turns: int = 25
    sessions: int = 3  # workload 3, conversations per repetition
    import_samples: int = 7
    levels: list[int] = field(default_factory=lambda: [1, 16, 64])
    runs_per_client: int = 12  # workload 4: 12, 192 and 768 runs at 1, 16 and 64 clients
    streams: int = 1000
    event_repeat: int = 3


# Running one side ---------------------------------------------------------------------------


def side(python: str, script: str, workload: str, s: Settings) -> dict[str, Any]:
    args = [python, str(SUITE / script), workload, "--iterations"]
    args.append(str(s.iterations if workload == "construction" else s.run_iterations))
    args += ["--memory-iterations", str(s.memory_iterations), "--turns", str(s.turns)]
    args += ["--sessions", str(s.sessions)]
    done = subprocess.run(args, capture_output=True, text=True, env=ENV, cwd=ROOT, check=False)
    if done.returncode != 0:
        tail = (done.stderr.strip().splitlines() or ["(no output)"])[-1]
        return {"error": f"{script} {workload} exited {done.returncode}: {tail}"}
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def medians(samples: list[dict[str, Any]]) -> dict[str, Any]:
    """Per-key median of the numeric values; the first sample's value for anything else."""
    merged: dict[str, Any] = {}
    for sample in samples:
        for reason_key in ("not_run", "error"):
            if reason_key in sample:
                return {reason_key: sample[reason_key], **{k: v for k, v in sample.items() if k == "version"}}
    for key, value in samples[0].items():
        if isinstance(value, int | float) and not isinstance(value, bool):
            merged[key] = statistics.median(float(x[key]) for x in samples)
        else:
            merged[key] = value
    return merged


def in_process(s: Settings, workloads: list[str], log: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    samples: dict[str, dict[str, list[dict[str, Any]]]] = {w: {"ours": [], "agno": []} for w in workloads}
    for rep in range(s.reps):
        for workload in workloads:
            order = [("ours", OURS, "side_ours.py"), ("agno", AGNO, "side_agno.py")]
            if rep % 2:
                order.reverse()
            for name, python, script in order:
                start = time.perf_counter()
                samples[workload][name].append(side(python, script, workload, s))
                log(f"rep {rep + 1}/{s.reps} {workload:<12} {name:<4} {time.perf_counter() - start:5.1f} s")
    return {f"{w}.{n}": medians(samples[w][n]) for w in workloads for n in ("ours", "agno")}


def cold_imports(s: Settings, log: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    pairs = {
        "import_agent": ("agentos.agent", "agno.agent"),
        "import_client": ("agentos.client", "agno.client"),
    }
    samples: dict[str, list[dict[str, Any]]] = {}
    for rep in range(s.reps):
        for key, (ours, agno) in pairs.items():
            order = [("ours", OURS, ours), ("agno", AGNO, agno)]
            if rep % 2:
                order.reverse()
            for name, python, module in order:
                samples.setdefault(f"{key}.{name}", []).append(
                    imports.import_ms(python, module, max(1, s.import_samples // s.reps + 1), ENV)
                )
        log(f"rep {rep + 1}/{s.reps} cold imports")
    return {key: medians(values) for key, values in samples.items()}


def rest_gateway(runs: int, log: Callable[[str], None]) -> str:
    """Workload 8 (ours only): run latency added by the REST gateway (Envoy) compared with direct
    gRPC, at 1 and 64 clients. ``benchmarks/bench_rest.py`` prints the tables kept verbatim."""
    log(f"8: REST gateway overhead ({runs} runs per row)")
    done = subprocess.run(
        [OURS, str(HERE / "bench_rest.py"), "--runs", str(runs)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    if done.returncode != 0:
        return f"not run: bench_rest.py failed ({done.stderr.strip().splitlines()[-1:]})"
    return done.stdout.strip()


def served(s: Settings, log: Callable[[str], None]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for workload in ("served", "events", "process-events", "streams"):
        for index, target in enumerate(("agno", "ours-stub", "ours-client")):
            if workload != "served" and target == "ours-client":
                continue  # workloads 5 and 6 measure the server; the raw stub is the thinnest client
            start = time.perf_counter()
            out[f"{workload}.{target}"] = serving.run_workload(
                workload,
                target,
                levels=s.levels,
                runs_per_client=s.runs_per_client,
                streams=s.streams,
                repeat=s.event_repeat,
            )
            log(f"{workload:<8} {target:<11} {time.perf_counter() - start:5.1f} s (order {index + 1})")
    start = time.perf_counter()
    out["ceiling"] = grpc_ceiling.measure(s.levels, 4000, 20000)
    log(f"grpc ceiling {time.perf_counter() - start:5.1f} s")
    return out


# The table ----------------------------------------------------------------------------------


@dataclass
class Row:
    workload: str
    metric: str
    ours: float | str | None
    agno: float | str | None
    unit: str
    goal: str = ""
    met: bool | None = None  # None: no goal, or not measurable yet

    def cells(self) -> list[str]:
        ratio = ""
        if isinstance(self.ours, float) and isinstance(self.agno, float) and self.agno:
            ratio = f"{self.ours / self.agno:.2f}x"
        verdict = (
            "" if not self.goal else ("n/a" if self.met is None else ("met" if self.met else "**missed**"))
        )
        return [
            self.workload,
            self.metric,
            _fmt(self.ours, self.unit),
            _fmt(self.agno, self.unit),
            ratio,
            self.goal,
            verdict,
        ]


def _fmt(value: float | str | None, unit: str) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    digits = 2 if abs(value) < 10 else (1 if abs(value) < 1000 else 0)
    return f"{value:,.{digits}f} {unit}".strip()


def _get(results: dict[str, dict[str, Any]], key: str, *path: str) -> float | str | None:
    entry = results.get(key)
    if entry is None:
        return None
    if "not_run" in entry:
        return f"not run: {entry['not_run']}"
    if "error" in entry:
        return f"error: {entry['error']}"
    value: Any = entry
    for part in path:
        if not isinstance(value, dict) or part not in value:
            return None
        value = value[part]
    return float(value) if isinstance(value, int | float) else value


def _ratio_goal(ours: Any, agno: Any, limit: float, *, at_least: bool = False) -> bool | None:
    if not isinstance(ours, float) or not isinstance(agno, float) or not agno:
        return None
    return ours / agno >= limit if at_least else ours / agno <= limit


def _abs_goal(ours: Any, limit: float, *, at_least: bool = False) -> bool | None:
    if not isinstance(ours, float):
        return None
    return ours >= limit if at_least else ours <= limit


def rows(results: dict[str, dict[str, Any]]) -> list[Row]:
    r: list[Row] = []
    g = _get
    if "construction.ours" in results:
        o, a = (
            g(results, "construction.ours", "construction_us"),
            g(results, "construction.agno", "construction_us"),
        )
        r.append(
            Row(
                "1 construction",
                "Agent(model=OpenAIChat, tools=[fn]): time",
                o,
                a,
                "µs",
                "≤ 0.25x",
                _ratio_goal(o, a, 0.25),
            )
        )
        o, a = (
            g(results, "construction.ours", "construction_kib"),
            g(results, "construction.agno", "construction_kib"),
        )
        r.append(
            Row(
                "1 construction",
                "same: memory (tracemalloc peak minus baseline)",
                o,
                a,
                "KiB",
                "≤ 0.5x",
                _ratio_goal(o, a, 0.5),
            )
        )
    if "runs.ours" in results:
        o, a = g(results, "runs.ours", "single_turn_us"), g(results, "runs.agno", "single_turn_us")
        r.append(Row("2 arun", "single turn, in-process model", o, a, "µs", "≤ 0.5x", _ratio_goal(o, a, 0.5)))
        o, a = g(results, "runs.ours", "tool_turn_us"), g(results, "runs.agno", "tool_turn_us")
        r.append(
            Row("2 arun", "tool call + answer (2 model calls)", o, a, "µs", "≤ 0.5x", _ratio_goal(o, a, 0.5))
        )
    if "history.ours" in results:
        o, a = g(results, "history.ours", "history_total_ms"), g(results, "history.agno", "history_total_ms")
        r.append(Row("3 history", "25 turns on SQLite: total", o, a, "ms", "≤ 0.5x", _ratio_goal(o, a, 0.5)))
        o, a = g(results, "history.ours", "history_growth"), g(results, "history.agno", "history_growth")
        r.append(Row("3 history", "turn 25 / turn 1", o, a, "", "≤ 1.5", _abs_goal(o, 1.5)))
    if "served.agno" in results:
        for level in (1, 16, 64):
            c = f"c{level}"
            for tkey, label in (("served.ours-stub", "raw stub"), ("served.ours-client", "AgentOSClient")):
                o, a = g(results, tkey, c, "runs_per_s"), g(results, "served.agno", c, "runs_per_s")
                goal = "≥ 5x" if level == 64 else ""
                met = _ratio_goal(o, a, 5.0, at_least=True) if level == 64 else None
                r.append(Row("4 served", f"runs/s, {level} clients ({label})", o, a, "/s", goal, met))
            o, a = g(results, "served.ours-stub", c, "p50_ms"), g(results, "served.agno", c, "p50_ms")
            r.append(Row("4 served", f"p50 latency, {level} clients (raw stub)", o, a, "ms"))
            o, a = g(results, "served.ours-stub", c, "p99_ms"), g(results, "served.agno", c, "p99_ms")
            goal = "≤ 0.2x" if level == 64 else ""
            r.append(
                Row(
                    "4 served",
                    f"p99 latency, {level} clients (raw stub)",
                    o,
                    a,
                    "ms",
                    goal,
                    _ratio_goal(o, a, 0.2) if level == 64 else None,
                )
            )
            o, a = (
                g(results, "served.ours-stub", c, "server_cpu_ms_per_run"),
                g(results, "served.agno", c, "server_cpu_ms_per_run"),
            )
            r.append(Row("4 served", f"server CPU per run, {level} clients", o, a, "ms"))
        o, a = g(results, "served.ours-stub", "first_event_ms"), g(results, "served.agno", "first_event_ms")
        r.append(
            Row("4 served", "time to first streamed event, 1 client", o, a, "ms", "< 1 ms", _abs_goal(o, 1.0))
        )
    if "ceiling" in results:
        for level in (1, 16, 64):
            v = g(results, "ceiling", f"unary_c{level}", "calls_per_s")
            r.append(Row("4 ceiling", f"no-op grpc.aio unary calls/s, {level} clients", v, None, "/s"))
        v = g(results, "ceiling", "first_message_ms")
        r.append(Row("4 ceiling", "bare grpc.aio server stream: first message, 1 client", v, None, "ms"))
        r.append(
            Row(
                "5 ceiling",
                "bare grpc.aio server stream, messages/s",
                g(results, "ceiling", "stream_msgs_per_s"),
                None,
                "/s",
            )
        )
        r.append(
            Row(
                "5 ceiling",
                "bare grpc.aio server, 8 streams at once: messages/s out of the process",
                g(results, "ceiling", "streams_c8", "msgs_per_s"),
                None,
                "/s",
            )
        )
        r.append(
            Row(
                "5 ceiling",
                "bare grpc.aio server, 8 streams at once: server CPU per message",
                g(results, "ceiling", "streams_c8", "server_cpu_us_per_msg"),
                None,
                "µs",
            )
        )
    if "events.agno" in results:
        o, a = g(results, "events.ours-stub", "events_per_s"), g(results, "events.agno", "events_per_s")
        r.append(Row("5 streaming", "events/s of one run, model in 1000 chunks", o, a, "/s"))
    if "process-events.agno" in results:
        key_o, key_a = "process-events.ours-stub", "process-events.agno"
        o, a = g(results, key_o, "events_per_s"), g(results, key_a, "events_per_s")
        r.append(
            Row(
                "5 streaming",
                "events/s per server process: 8 such runs at once",
                o,
                a,
                "/s",
                "≥ 20,000/s",
                _abs_goal(o, 20000, at_least=True),
            )
        )
        o, a = g(results, key_o, "server_cpu_us_per_event"), g(results, key_a, "server_cpu_us_per_event")
        r.append(Row("5 streaming", "server CPU per streamed event, 8 runs at once", o, a, "µs"))
    if "streams.agno" in results:
        o, a = g(results, "streams.ours-stub", "kib_per_stream"), g(results, "streams.agno", "kib_per_stream")
        r.append(
            Row(
                "6 open streams",
                "server memory per open stream (peak RSS growth / streams)",
                o,
                a,
                "KiB",
                "≤ 50 KiB",
                _abs_goal(o, 50),
            )
        )
        o, a = g(results, "streams.ours-stub", "completed"), g(results, "streams.agno", "completed")
        total = g(results, "streams.agno", "streams")
        r.append(
            Row(
                "6 open streams",
                f"streams completed (of {total:.0f})" if isinstance(total, float) else "streams completed",
                o,
                a,
                "",
                "all",
                None if not isinstance(o, float) else o == total,
            )
        )
    if "import_agent.ours" in results:
        o, a = g(results, "import_agent.ours", "import_ms"), g(results, "import_agent.agno", "import_ms")
        r.append(Row("7 import", "cold import agentos.agent (Agno: agno.agent)", o, a, "ms"))
        o, a = g(results, "import_client.ours", "import_ms"), g(results, "import_client.agno", "import_ms")
        r.append(
            Row(
                "7 import",
                "cold import agentos.client (Agno: agno.client)",
                o,
                a,
                "ms",
                "< 150 ms",
                _abs_goal(o, 150),
            )
        )
    return r


def footnoted(table: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Cells saying why a side did not run become "not run [n]"; the reasons are listed once."""
    reasons: list[str] = []
    out = []
    for cells in table:
        row = []
        for cell in cells:
            for prefix in ("not run: ", "error: "):
                if cell.startswith(prefix):
                    reason = cell[len(prefix) :]
                    if reason not in reasons:
                        reasons.append(reason)
                    cell = f"{prefix[:-2]} [{reasons.index(reason) + 1}]"
            row.append(cell)
        out.append(row)
    return out, reasons


# RESULTS.md ---------------------------------------------------------------------------------


def _machine() -> list[str]:
    cpu = "unknown"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kib = 0
    with open("/proc/meminfo") as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kib = int(line.split()[1])
    return [
        f"- CPU: {cpu}, {os.cpu_count()} logical cores",
        f"- memory: {mem_kib / 1024 / 1024:.1f} GiB",
        f"- OS: {platform.system()} {platform.release()}",
    ]


_DIST = "importlib.metadata.version({!r})"


def _version(python: str, expr: str) -> str:
    code = f"import importlib.metadata, platform; print({expr})"
    done = subprocess.run([python, "-c", code], capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


def _git() -> str:
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "server", "client", "generated"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return head.stdout.strip() + (" (+ uncommitted changes in server/client)" if dirty.stdout.strip() else "")


def write_results(
    path: Path,
    results: dict[str, dict[str, Any]],
    s: Settings,
    argv: list[str],
    elapsed: float,
    load: tuple[float, float],
    rest: str | None = None,
) -> None:
    lines = [
        "# Performance suite: agentos vs Agno",
        "",
        "Generated by `make bench` (`benchmarks/run.py`); do not edit by hand: the hand-written",
        "notes at the end come from `benchmarks/suite/NOTES.md`.",
        "",
        f"Run: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}, took {elapsed / 60:.1f} min. "
        f"Load average (1 min) at start {load[0]:.1f}, at end {load[1]:.1f} on {os.cpu_count()} cores: "
        "anything above ~0.5 means other work shared the machine and absolute figures are inflated.",
        "",
        "## Machine and versions",
        "",
        *_machine(),
        f"- Python (ours): {_version(OURS, 'platform.python_version()')}",
        f"- Python (Agno venv): {_version(AGNO, 'platform.python_version()')}",
        f"- agentos {_version(OURS, _DIST.format('agentos'))} at commit {_git()}",
        f"- agno {_version(AGNO, _DIST.format('agno'))}"
        " (benchmarks/.venv-agno, from benchmarks/requirements-agno.txt)",
        "",
        "## Commands",
        "",
        "```",
        "make bench   # make install; create benchmarks/.venv-agno; .venv/bin/python benchmarks/run.py",
        f".venv/bin/python benchmarks/run.py {' '.join(argv)}".rstrip(),
        "```",
        "",
        "Per workload (each prints one JSON line; the runner takes medians and writes this file):",
        "",
        "```",
        ".venv/bin/python benchmarks/suite/side_ours.py construction|runs|history",
        "benchmarks/.venv-agno/bin/python benchmarks/suite/side_agno.py construction|runs|history",
        ".venv/bin/python benchmarks/suite/serving.py served|events|process-events|streams "
        "agno|ours-stub|ours-client",
        ".venv/bin/python benchmarks/suite/grpc_ceiling.py measure",
        "```",
        "",
        "Settings: "
        f"{s.reps} repetitions of workloads 1-3 and 7, alternating which side goes first, median reported; "
        f"construction timed over {s.iterations} calls (each timed alone, after 10 warm-up calls; median), "
        f"memory over {s.memory_iterations} calls; {s.run_iterations} runs of each kind for workload 2 "
        f"(20 warm-up); {s.sessions} conversations of {s.turns} turns per repetition for workload 3 "
        f"(plus one warm-up conversation); cold imports: {s.reps * (s.import_samples // s.reps + 1)} fresh "
        "processes per side and module (after one untimed); "
        f"served runs: {s.runs_per_client} runs per client at {', '.join(map(str, s.levels))} clients "
        f"after 20 warm-up runs, 50 streamed runs for the first event; {s.streams} concurrent streams "
        f"for workload 6; {s.event_repeat} streamed runs for workload 5, and {s.event_repeat} batches of 8 "
        "such runs at once for its per-process rate (after one warm-up batch).",
        "",
        "## Results",
        "",
        "| workload | measurement | ours | Agno | ours/Agno | goal | goal met |",
        "|---|---|---|---|---|---|---|",
    ]
    table, reasons = footnoted([row.cells() for row in rows(results)])
    for cells in table:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    if reasons:
        lines += ["", "Not run:", ""]
        lines += [f"- [{n}] {reason}" for n, reason in enumerate(reasons, 1)]
    if rest is not None:
        lines += [
            "",
            "## REST gateway overhead (ours only, workload 8)",
            "",
            "A unary CreateRun of a scripted agent with no database, and streamed runs, directly over",
            "gRPC, over gRPC through Envoy, and as REST/JSON (SSE for streams) through Envoy",
            "(`.venv/bin/python benchmarks/bench_rest.py`). CPU columns are per run.",
            "",
            rest,
        ]
    lines += [
        "",
        "## Raw results (medians)",
        "",
        "```json",
        json.dumps(results, indent=1, sort_keys=True),
        "```",
    ]
    notes = SUITE / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().rstrip()]
    path.write_text("\n".join(lines) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="few repetitions and iterations: a smoke run")
    parser.add_argument("--reps", type=int)
    parser.add_argument(
        "--only",
        nargs="+",
        choices=["1", "2", "3", "4", "5", "6", "7", "8"],
        help="workload numbers (4, 5 and 6 run together; 8 is the REST gateway overhead, ours only)",
    )
    parser.add_argument("--output", type=Path, default=HERE / "RESULTS.md")
    args = parser.parse_args()
    s = Settings()
    if args.quick:
        s = Settings(
            reps=1,
            iterations=200,
            memory_iterations=50,
            run_iterations=200,
            sessions=1,
            import_samples=3,
            runs_per_client=5,
            streams=200,
            event_repeat=1,
        )
    if args.reps:
        s.reps = args.reps
    only = set(args.only or "12345678")
    for python in (OURS, AGNO):
        if not Path(python).exists():
            sys.exit(f"{python} is missing: run `make bench` (it creates both environments)")

    def log(message: str) -> None:
        print(f"[bench] {message}", file=sys.stderr, flush=True)

    started, load_start = time.perf_counter(), os.getloadavg()[0]
    results: dict[str, dict[str, Any]] = {}
    workloads = [w for n, w in (("1", "construction"), ("2", "runs"), ("3", "history")) if n in only]
    if workloads:
        results.update(in_process(s, workloads, log))
    if "7" in only:
        results.update(cold_imports(s, log))
    if only & {"4", "5", "6"}:
        results.update(served(s, log))
    rest = rest_gateway(200 if args.quick else 1000, log) if "8" in only else None
    elapsed = time.perf_counter() - started
    write_results(args.output, results, s, sys.argv[1:], elapsed, (load_start, os.getloadavg()[0]), rest)
    header = ["workload", "measurement", "ours", "Agno", "ours/Agno", "goal", "goal met"]
    table, reasons = footnoted([r.cells() for r in rows(results)])
    for cells in [header, *table]:
        print(" | ".join(cells))
    for n, reason in enumerate(reasons, 1):
        print(f"[{n}] {reason}")
    print(f"\nwrote {args.output} in {elapsed:.0f} s")


if __name__ == "__main__":
    main()
