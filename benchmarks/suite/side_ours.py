"""Our side of the in-process workloads; runs in the project's .venv.

The mirror of ``side_agno.py``: same workloads, same tool, same instructions, same measurement
code (``measure.py``), a model that answers from memory (``ScriptedModel`` / ``FunctionModel``).

    .venv/bin/python benchmarks/suite/side_ours.py construction
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

import measure
from agentos.agent import Agent
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, tool_call

SIDE = "ours"


class NotRun(Exception):
    """The workload cannot run yet on our side; the message says why (reported, not hidden)."""


def get_weather(city: Literal["nyc", "sf"]) -> str:
    """Use this function to get the weather for a city."""
    return "It's cloudy" if city == "nyc" else "It's sunny"


TOOLS = [get_weather]


def construction(iterations: int, memory_iterations: int) -> dict[str, Any]:
    """Workload 1, Agno's published case: Agent(model=OpenAIChat(id="gpt-4o"), tools=[fn])."""
    from agentos.models.openai import OpenAIChat

    def instantiate() -> Agent:
        return Agent(model=OpenAIChat(id="gpt-4o"), tools=TOOLS)

    seconds = measure.agno_method_time(instantiate, iterations=iterations)
    memory = measure.agno_method_memory(instantiate, iterations=memory_iterations)
    return {"construction_us": seconds * 1e6, "construction_kib": memory / 1024}


def runs(iterations: int) -> dict[str, Any]:
    """Workload 2: one single-turn arun(), and one arun() with a tool call then the answer."""
    single = Agent(model=ScriptedModel(steps=["It's sunny in sf."]), instructions="Answer briefly.")
    with_tool = Agent(
        model=ScriptedModel(steps=[tool_call("get_weather", city="sf"), "It's sunny in sf."]),
        tools=TOOLS,
        instructions="Answer briefly.",
    )

    async def one(agent: Agent) -> None:
        out = await agent.arun("What is the weather in sf?")
        if out.content is None or "sunny" not in str(out.content):
            raise RuntimeError(f"unexpected run output: {out.status} {out.content!r}")

    async def both() -> tuple[float, float]:
        a = await measure.async_time_per_call(lambda: one(single), iterations=iterations)
        b = await measure.async_time_per_call(lambda: one(with_tool), iterations=iterations)
        return a, b

    single_s, tool_s = measure.run_async(both())
    return {"single_turn_us": single_s * 1e6, "tool_turn_us": tool_s * 1e6}


def _noted(messages: Sequence[Message], info: ModelCallInfo) -> str:
    # The message count in the reply proves that the history reached the model.
    return f"Noted. [{len(messages)} messages]"


def history(turns: int, sessions: int, folder: str) -> dict[str, Any]:
    """Workload 3: ``sessions`` conversations of ``turns`` turns with history on SQLite."""
    from agentos.db import SqliteDb

    agent = Agent(
        model=FunctionModel(fn=_noted),
        db=SqliteDb(db_file=str(Path(folder) / "ours-history.db")),
        add_history_to_context=True,
        num_history_runs=3,
        instructions="Answer briefly.",
    )

    async def conversation(session_id: str) -> tuple[list[float], list[str]]:
        times, replies = [], []
        for turn in range(1, turns + 1):
            start = time.perf_counter()
            out = await agent.arun(f"Turn {turn}: remember the number {turn}.", session_id=session_id)
            times.append(time.perf_counter() - start)
            replies.append(str(out.content))
        return times, replies

    async def all_sessions() -> list[tuple[list[float], list[str]]]:
        _, warm_replies = await conversation("warm-up")  # creates the tables outside the measurement
        if warm_replies[-1] == warm_replies[0]:
            raise NotRun(
                "Agent(db=SqliteDb(...), add_history_to_context=True) does not bring earlier turns "
                f"into the model's context yet (turn 1 and turn {turns} both saw: {warm_replies[0]!r})"
            )
        return [await conversation(f"bench-{i}") for i in range(sessions)]

    results = measure.run_async(all_sessions())
    totals = [sum(times) for times, _ in results]
    first = [times[0] for times, _ in results]
    last = [times[-1] for times, _ in results]
    return {
        "history_total_ms": statistics.median(totals) * 1e3,
        "history_turn1_ms": statistics.median(first) * 1e3,
        "history_turnN_ms": statistics.median(last) * 1e3,
        "history_growth": statistics.median(last) / statistics.median(first),
        "history_first_reply": results[0][1][0],
        "history_last_reply": results[0][1][-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=["construction", "runs", "history"])
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--memory-iterations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=25)
    parser.add_argument("--sessions", type=int, default=3)
    args = parser.parse_args()
    from importlib.metadata import version

    result: dict[str, Any] = {
        "side": SIDE,
        "workload": args.workload,
        "python": sys.version.split()[0],
        "version": version("agentos"),
    }
    try:
        if args.workload == "construction":
            result.update(construction(args.iterations, args.memory_iterations))
        elif args.workload == "runs":
            result.update(runs(args.iterations))
        else:
            with tempfile.TemporaryDirectory() as folder:
                result.update(history(args.turns, args.sessions, folder))
    except NotRun as exc:
        result["not_run"] = str(exc)
    measure.emit(result)


if __name__ == "__main__":
    main()
