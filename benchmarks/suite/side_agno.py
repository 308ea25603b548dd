"""The Agno side of the in-process workloads; runs ONLY in benchmarks/.venv-agno.

Uses Agno's public API (``agno.agent.Agent``, ``agno.db.sqlite.SqliteDb``,
``agno.models.base.Model``). Agno ships no in-process test model, so ``LocalScriptModel``
below is a ``Model`` subclass written for this suite: it answers from memory in the same way as
our ``ScriptedModel`` (the reply index is the number of assistant replies since the user's
turn; a deterministic token-usage estimate), so both engines do the same work per model call.

    benchmarks/.venv-agno/bin/python benchmarks/suite/side_agno.py construction
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

os.environ.setdefault("AGNO_TELEMETRY", "false")  # no network calls from the engine

import measure
from agno.agent import Agent
from agno.metrics import MessageMetrics
from agno.models.base import Model
from agno.models.message import Message
from agno.models.response import ModelResponse

SIDE = "agno"


def get_weather(city: Literal["nyc", "sf"]) -> str:
    """Use this function to get the weather for a city."""
    return "It's cloudy" if city == "nyc" else "It's sunny"


TOOLS = [get_weather]

# A step is a text reply or ("tool", name, arguments-dict).
Step = str | tuple[str, str, dict[str, Any]]


def _turn_index(messages: list[Message]) -> int:
    count = 0
    for message in reversed(messages):
        if message.role == "assistant":
            count += 1
        elif message.role != "tool":
            break
    return count


def _usage(messages: list[Message], reply_chars: int) -> MessageMetrics:
    prompt = sum(len(str(m.content or "")) for m in messages) // 4 + 1
    output = reply_chars // 4 + 1
    return MessageMetrics(input_tokens=prompt, output_tokens=output, total_tokens=prompt + output)


@dataclass
class LocalScriptModel(Model):
    """Replays ``steps`` in process (no HTTP); the Agno counterpart of our ScriptedModel."""

    id: str = "scripted"
    name: str | None = "LocalScriptModel"
    provider: str | None = "Local"
    steps: list[Step] = field(default_factory=list)
    count_messages: bool = False  # reply "<text> [N messages]": proves history reached the model

    def _respond(self, messages: list[Message]) -> ModelResponse:
        turn = _turn_index(messages)
        step = self.steps[turn]
        if isinstance(step, tuple):
            _kind, name, arguments = step
            call = {
                "id": f"call_{turn}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(arguments)},
            }
            return ModelResponse(role="assistant", tool_calls=[call], response_usage=_usage(messages, 20))
        content = f"{step} [{len(messages)} messages]" if self.count_messages else step
        return ModelResponse(role="assistant", content=content, response_usage=_usage(messages, len(content)))

    def invoke(self, messages: list[Message], *args: Any, **kwargs: Any) -> ModelResponse:
        return self._respond(messages)

    async def ainvoke(self, messages: list[Message], *args: Any, **kwargs: Any) -> ModelResponse:
        return self._respond(messages)

    def invoke_stream(self, messages: list[Message], *args: Any, **kwargs: Any) -> Iterator[ModelResponse]:
        yield self._respond(messages)

    async def ainvoke_stream(
        self, messages: list[Message], *args: Any, **kwargs: Any
    ) -> AsyncIterator[ModelResponse]:
        yield self._respond(messages)

    def _parse_provider_response(self, response: Any, **kwargs: Any) -> ModelResponse:
        return response  # type: ignore[no-any-return]

    def _parse_provider_response_delta(self, response: Any) -> ModelResponse:
        return response  # type: ignore[no-any-return]


# Workloads ------------------------------------------------------------------------------------


def construction(iterations: int, memory_iterations: int) -> dict[str, Any]:
    """Workload 1, exactly Agno's published case: Agent(model=OpenAIChat(id="gpt-4o"), tools=[fn])."""
    from agno.models.openai import OpenAIChat

    def instantiate() -> Agent:
        return Agent(model=OpenAIChat(id="gpt-4o"), tools=TOOLS)

    seconds = measure.agno_method_time(instantiate, iterations=iterations)
    memory = measure.agno_method_memory(instantiate, iterations=memory_iterations)
    return {"construction_us": seconds * 1e6, "construction_kib": memory / 1024}


def runs(iterations: int) -> dict[str, Any]:
    """Workload 2: one single-turn arun(), and one arun() with a tool call then the answer."""
    single = Agent(model=LocalScriptModel(steps=["It's sunny in sf."]), instructions="Answer briefly.")
    with_tool = Agent(
        model=LocalScriptModel(steps=[("tool", "get_weather", {"city": "sf"}), "It's sunny in sf."]),
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


def history(turns: int, sessions: int, folder: str) -> dict[str, Any]:
    """Workload 3: ``sessions`` conversations of ``turns`` turns with history on SQLite."""
    from agno.db.sqlite import SqliteDb

    db_file = str(Path(folder) / "agno-history.db")
    agent = Agent(
        model=LocalScriptModel(steps=["Noted."], count_messages=True),
        db=SqliteDb(db_file=db_file),
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
        await conversation("warm-up")  # creates the tables outside the measurement
        return [await conversation(f"bench-{i}") for i in range(sessions)]

    return history_summary(measure.run_async(all_sessions()))


def history_summary(results: list[tuple[list[float], list[str]]]) -> dict[str, Any]:
    """Median over sessions of the total and of turn 25 / turn 1; and proof history was used."""
    import statistics

    totals = [sum(times) for times, _ in results]
    first = [times[0] for times, _ in results]
    last = [times[-1] for times, _ in results]
    replies = results[0][1]
    return {
        "history_total_ms": statistics.median(totals) * 1e3,
        "history_turn1_ms": statistics.median(first) * 1e3,
        "history_turnN_ms": statistics.median(last) * 1e3,
        "history_growth": statistics.median(last) / statistics.median(first),
        "history_first_reply": replies[0],
        "history_last_reply": replies[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("workload", choices=["construction", "runs", "history"])
    parser.add_argument("--iterations", type=int, default=1000)
    parser.add_argument("--memory-iterations", type=int, default=50)
    parser.add_argument("--turns", type=int, default=25)
    parser.add_argument("--sessions", type=int, default=3)
    args = parser.parse_args()
    import agno

    result: dict[str, Any] = {"side": SIDE, "workload": args.workload, "python": sys.version.split()[0]}
    result["version"] = getattr(agno, "__version__", None) or _dist_version("agno")
    if args.workload == "construction":
        result.update(construction(args.iterations, args.memory_iterations))
    elif args.workload == "runs":
        result.update(runs(args.iterations))
    else:
        with tempfile.TemporaryDirectory() as folder:
            result.update(history(args.turns, args.sessions, folder))
    measure.emit(result)


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    main()
