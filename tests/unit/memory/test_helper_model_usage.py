"""The token usage of the helper models (memory, session summary, compression) in run metrics."""

from __future__ import annotations

import asyncio
import re
from typing import Any

from agentos.agent import Agent, RunStatus
from agentos.compression import CompressionManager
from agentos.db import InMemoryDb
from agentos.memory import MemoryManager
from agentos.models import Message, Metrics, record_model_usage
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, ScriptedReply, tool_call
from agentos.session import SessionSummaryManager

GUARD = 30  # a deadlock guard, not a timing assertion


def usage(tokens: int) -> Metrics:
    return Metrics(input_tokens=tokens, output_tokens=1, total_tokens=tokens + 1)


def remember(messages: list[Message], info: ModelCallInfo) -> Any:
    """A memory model that stores "my name is X" (one tool call, then done), 100 tokens a call."""
    if info.turn > 0:
        return ScriptedReply(content="saved", usage=usage(100))
    name = re.search(r"my name is (\S+)", messages[-1].content_text(), re.I)
    assert name is not None
    return ScriptedReply(
        tool_calls=[tool_call("add_memory", memory=f"name: {name.group(1)}")], usage=usage(100)
    )


def summarize(messages: list[Message], info: ModelCallInfo) -> Any:
    return ScriptedReply(content='{"summary": "talked", "topics": ["names"]}', usage=usage(1000))


def answer(messages: list[Message], info: ModelCallInfo) -> Any:
    return ScriptedReply(content="ok", usage=usage(10))


def assert_totals_are_the_sum_of_details(metrics: Metrics) -> None:
    assert metrics.input_tokens == sum(m.input_tokens for m in metrics.details.values())
    assert metrics.total_tokens == sum(m.total_tokens for m in metrics.details.values())


def test_memory_model_usage_is_in_the_metrics_of_a_sync_run() -> None:
    agent = Agent(
        model=FunctionModel(id="answer", fn=answer),
        db=InMemoryDb(),
        enable_user_memories=True,
        memory_manager=MemoryManager(model=FunctionModel(id="memory", fn=remember)),
    )
    output = agent.run("my name is Ann", user_id="ann")
    assert output.status == RunStatus.completed and output.metrics is not None
    details = output.metrics.details
    assert details["scripted:answer"].input_tokens == 10
    assert details["scripted:memory"].input_tokens == 200  # two memory model calls
    assert_totals_are_the_sum_of_details(output.metrics)
    stored = agent.get_run_output(output.run_id or "", session_id=output.session_id)
    assert stored is not None and stored.metrics is not None
    assert stored.metrics.details["scripted:memory"].input_tokens == 200


async def test_background_memory_usage_counts_only_when_it_finishes_before_the_run_is_stored() -> None:
    release = asyncio.Event()

    async def slow_memory(messages: list[Message], info: ModelCallInfo) -> Any:
        await release.wait()
        return remember(messages, info)

    db = InMemoryDb()
    late = Agent(
        model=FunctionModel(id="answer", fn=answer),
        db=db,
        enable_user_memories=True,
        memory_manager=MemoryManager(model=FunctionModel(id="memory", fn=slow_memory)),
    )
    output = await asyncio.wait_for(late.arun("my name is Bo", user_id="bo"), GUARD)
    assert output.metrics is not None and "scripted:memory" not in output.metrics.details
    release.set()
    await asyncio.wait_for(late.await_background_tasks(), GUARD)
    assert "scripted:memory" not in output.metrics.details  # a delivered run is not changed later

    async def summary_after_memory(messages: list[Message], info: ModelCallInfo) -> Any:
        # The summary runs before the run is stored: waiting here lets the memory update finish first.
        await Agent.await_background_tasks()
        return summarize(messages, info)

    early = Agent(
        model=FunctionModel(id="answer", fn=answer),
        db=db,
        enable_user_memories=True,
        memory_manager=MemoryManager(model=FunctionModel(id="memory", fn=remember)),
        enable_session_summaries=True,
        session_summary_manager=SessionSummaryManager(
            model=FunctionModel(id="summary", fn=summary_after_memory)
        ),
    )
    output = await asyncio.wait_for(early.arun("my name is Cy", user_id="cy"), GUARD)
    assert output.metrics is not None
    details = output.metrics.details
    assert details["scripted:memory"].input_tokens == 200
    assert details["scripted:summary"].input_tokens == 1000
    assert_totals_are_the_sum_of_details(output.metrics)


async def test_session_summary_usage_is_in_the_run_metrics_and_the_completed_event() -> None:
    agent = Agent(
        model=FunctionModel(id="answer", fn=answer),
        db=InMemoryDb(),
        enable_session_summaries=True,
        session_summary_manager=SessionSummaryManager(model=FunctionModel(id="summary", fn=summarize)),
    )
    events = [e async for e in agent.arun("hello", session_id="s", stream=True)]
    completed = events[-1]
    assert completed.event == "RunCompleted"
    metrics = completed.metrics  # type: ignore[attr-defined]
    assert metrics.details["scripted:summary"].input_tokens == 1000
    assert metrics.input_tokens == 1010


async def test_compression_model_usage_is_in_the_run_metrics() -> None:
    def fetch(page: int) -> str:
        """Fetch a page.

        Args:
            page: The page number.
        """
        return f"page{page} " + "lorem " * 50

    def reader(messages: list[Message], info: ModelCallInfo) -> Any:
        if info.turn < 2:
            return ScriptedReply(tool_calls=[tool_call("fetch", page=info.turn + 1)], usage=usage(10))
        return answer(messages, info)

    def shorten(messages: list[Message], info: ModelCallInfo) -> Any:
        return ScriptedReply(content="short", usage=usage(5000))

    manager = CompressionManager(
        model=FunctionModel(id="compress", fn=shorten), compress_tool_results_limit=2
    )
    agent = Agent(
        model=FunctionModel(id="answer", fn=reader),
        tools=[fetch],
        compress_tool_results=True,
        compression_manager=manager,
    )
    output = await agent.arun("read")
    assert output.status == RunStatus.completed and output.metrics is not None
    assert manager.stats["tool_results_compressed"] == 2
    assert output.metrics.details["scripted:compress"].input_tokens == 10000
    assert output.metrics.details["scripted:answer"].input_tokens == 30
    assert_totals_are_the_sum_of_details(output.metrics)


async def test_record_model_usage_sees_only_the_calls_made_inside_it() -> None:
    model = ScriptedModel(id="m", steps=[ScriptedReply(content="a", usage=usage(7))])
    recorded = Metrics()
    await model.ainvoke([Message(role="user", content="outside")])
    with record_model_usage(recorded):
        await model.ainvoke([Message(role="user", content="inside")])
        async for _ in model.astream([Message(role="user", content="streamed")]):
            pass
    await model.ainvoke([Message(role="user", content="outside again")])
    assert recorded.details["scripted:m"].input_tokens == 14
    assert recorded.input_tokens == 14
