"""How long one ``save_run`` takes at turn 1, 25 and 200 of a conversation.

The storage layer writes one run row and updates one session row per turn, so the cost of a
turn should not depend on how many turns came before. This script measures it: it grows
several sessions turn by turn and reports, for chosen turns, the median and p90 wall time and
the CPU time of ``save_run`` across those sessions.

    .venv/bin/python benchmarks/bench_storage.py                 # SQLite in a temp folder
    .venv/bin/python benchmarks/bench_storage.py --sessions 40 --turns 1,25,200,400
    .venv/bin/python benchmarks/bench_storage.py --postgres-url postgresql+psycopg://u@127.0.0.1:5432/db

Recorded (2 cores, shared, load ~6; SQLite, defaults): ``save_run`` median at turn 1/25/200 was
0.585/0.586/0.588 ms through SQLAlchemy async over aiosqlite, and is 0.138/0.131/0.129 ms on the
sqlite3 fast path (one hop to the connection thread, one transaction of two upserts).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from agentos.db import BaseDb, PostgresDb, SqliteDb
from agentos.session import AgentSession


def make_run(session_id: str, turn: int) -> dict[str, Any]:
    """A run of realistic size (~2 KB): a few messages, metrics, a tool call."""
    return {
        "run_id": f"{session_id}-run-{turn:05}",
        "session_id": session_id,
        "agent_id": "bench-agent",
        "user_id": "bench-user",
        "status": "COMPLETED",
        "created_at": 1_700_000_000 + turn,
        "content": f"Answer number {turn}: " + "lorem ipsum dolor sit amet " * 10,
        "messages": [
            {"role": "system", "content": "You are a helpful assistant. " * 5},
            {"role": "user", "content": f"Question {turn}: what is the weather like?"},
            {
                "role": "assistant",
                "tool_calls": [
                    {"id": f"call-{turn}", "name": "get_weather", "arguments": '{"city": "Lisbon"}'}
                ],
            },
            {"role": "tool", "tool_call_id": f"call-{turn}", "content": '{"temp": 21, "sky": "clear"}'},
            {"role": "assistant", "content": "It is 21 degrees and clear in Lisbon. " * 3},
        ],
        "metrics": {"input_tokens": 412, "output_tokens": 57, "total_tokens": 469, "duration": 1.25},
    }


async def measure(db: BaseDb, sessions: int, turns: list[int]) -> dict[int, tuple[list[float], list[float]]]:
    last_turn = max(turns)
    wall: dict[int, list[float]] = {turn: [] for turn in turns}
    cpu: dict[int, list[float]] = {turn: [] for turn in turns}
    # Provision the schema outside the measurement.
    await db.save_run(AgentSession(session_id="warm-up"), make_run("warm-up", 0))
    for index in range(sessions):
        session = AgentSession(
            session_id=f"bench-{index}",
            agent_id="bench-agent",
            user_id="bench-user",
            session_data={"session_name": "Benchmark", "session_state": {"cart": ["apples"], "turns": 0}},
        )
        for turn in range(1, last_turn + 1):
            run = make_run(session.session_id, turn)
            wall_start, cpu_start = time.perf_counter(), time.process_time()
            await db.save_run(session, run)
            if turn in wall:
                wall[turn].append(time.perf_counter() - wall_start)
                cpu[turn].append(time.process_time() - cpu_start)
    return {turn: (wall[turn], cpu[turn]) for turn in turns}


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def report(name: str, results: dict[int, tuple[list[float], list[float]]]) -> None:
    print(f"\n{name}: save_run per turn ({len(next(iter(results.values()))[0])} sessions)")
    print(f"{'turn':>6} | {'median ms':>10} | {'p90 ms':>8} | {'cpu median ms':>13}")
    print(f"{'-' * 6}-+-{'-' * 10}-+-{'-' * 8}-+-{'-' * 13}")
    for turn, (wall, cpu) in sorted(results.items()):
        print(
            f"{turn:>6} | {statistics.median(wall) * 1000:>10.3f} | {p90(wall) * 1000:>8.3f} | "
            f"{statistics.median(cpu) * 1000:>13.3f}"
        )


async def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sessions", type=int, default=20, help="conversations to grow (default 20)")
    parser.add_argument("--turns", default="1,25,200", help="turns to report, comma-separated")
    parser.add_argument("--postgres-url", help="also measure PostgresDb on this database")
    args = parser.parse_args()
    turns = sorted({int(t) for t in args.turns.split(",")})

    with tempfile.TemporaryDirectory(prefix="agentos-bench-") as folder:
        sqlite = SqliteDb(db_file=Path(folder) / "bench.db")
        try:
            report("SqliteDb (WAL, synchronous=NORMAL)", await measure(sqlite, args.sessions, turns))
        finally:
            await sqlite.close()
    if args.postgres_url:
        postgres = PostgresDb(args.postgres_url, db_schema=f"bench_{int(time.time())}")
        try:
            report("PostgresDb", await measure(postgres, args.sessions, turns))
        finally:
            await postgres.close()


if __name__ == "__main__":
    asyncio.run(main())
