"""Cancellation by run id: in flight (streaming or not), before start, from another thread."""

from __future__ import annotations

import asyncio
import threading

from agentos.agent import Agent
from agentos.models.scripted import ScriptedModel, hang, tool_call
from agentos.run import (
    InProcessCancellationRegistry,
    RunCancelledEvent,
    RunContentEvent,
    RunStatus,
    get_cancellation_registry,
)


async def test_cancel_a_non_streaming_run_while_the_model_is_called() -> None:
    started = asyncio.Event()
    agent = Agent(model=ScriptedModel(steps=[hang(started=started)]))
    task = asyncio.create_task(agent.arun("hi", run_id="run-cancel-1"))
    await started.wait()
    assert Agent.cancel_run("run-cancel-1") is True
    out = await asyncio.wait_for(task, timeout=10)
    assert out.status == RunStatus.cancelled and out.is_cancelled
    assert not get_cancellation_registry().is_active("run-cancel-1")
    # The caller's task was not cancelled: it can go on awaiting.
    await asyncio.sleep(0)


async def test_cancel_a_stream_mid_content_keeps_partial_content() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[hang(chunks=["Hello ", "wor"], after_chunks=2)]), store_events=True
    )
    events = []
    async for event in agent.arun("hi", stream=True, stream_events=True):
        events.append(event)
        if isinstance(event, RunContentEvent) and event.content == "wor":
            assert Agent.cancel_run(event.run_id or "")
    assert isinstance(events[-1], RunCancelledEvent)
    assert [e.content for e in events if isinstance(e, RunContentEvent)] == ["Hello ", "wor"]
    sequences = [e.sequence for e in events]
    assert sequences == sorted(sequences)


async def test_cancel_while_tools_run() -> None:
    tool_started = asyncio.Event()

    async def slow() -> str:
        """Slow."""
        tool_started.set()
        await asyncio.Event().wait()
        return "never"

    agent = Agent(model=ScriptedModel(steps=[tool_call("slow"), "never"]), tools=[slow])
    task = asyncio.create_task(agent.arun("go", run_id="run-cancel-tools"))
    await tool_started.wait()
    assert Agent.cancel_run("run-cancel-tools")
    out = await asyncio.wait_for(task, timeout=10)
    assert out.status == RunStatus.cancelled


async def test_cancel_before_start_is_honoured() -> None:
    assert Agent.cancel_run("run-not-yet") is False
    agent = Agent(model=ScriptedModel(steps=["should not answer"]))
    out = await agent.arun("hi", run_id="run-not-yet")
    assert out.status == RunStatus.cancelled
    assert out.content is None
    # Only once: a later run with a fresh id is not affected.
    assert (await agent.arun("hi")).status == RunStatus.completed


async def test_cancel_before_start_streaming_ends_with_run_cancelled() -> None:
    Agent.cancel_run("run-not-yet-stream")
    agent = Agent(model=ScriptedModel(steps=["x"]))
    events = [e async for e in agent.arun("hi", stream=True, run_id="run-not-yet-stream")]
    assert [e.event for e in events] == ["RunCancelled"]


def test_cancel_a_sync_run_from_another_thread() -> None:
    started = threading.Event()

    class Flag:
        def set(self) -> None:
            started.set()

    agent = Agent(model=ScriptedModel(steps=[hang(started=Flag())]))  # type: ignore[arg-type]

    def cancel_when_started() -> None:
        started.wait(timeout=10)
        Agent.cancel_run("run-thread")

    thread = threading.Thread(target=cancel_when_started)
    thread.start()
    out = agent.run("hi", run_id="run-thread")
    thread.join()
    assert out.status == RunStatus.cancelled


def test_pending_cancellations_are_bounded_and_expire() -> None:
    registry = InProcessCancellationRegistry(pending_ttl=60, max_pending=3)
    for i in range(5):
        assert registry.cancel(f"r{i}") is False
    assert registry.pending_count() == 3
    assert not registry.register("r0").requested  # evicted (oldest)
    assert registry.register("r4").requested
    expired = InProcessCancellationRegistry(pending_ttl=-1)
    expired.cancel("gone")
    assert not expired.register("gone").requested


async def test_cancel_unknown_finished_run_returns_false() -> None:
    agent = Agent(model=ScriptedModel(steps=["done"]))
    out = await agent.arun("hi")
    assert Agent.cancel_run(out.run_id or "") is False


async def test_cancelling_a_paused_run_ends_it() -> None:
    import pytest
    from agentos.tools import tool

    @tool(requires_confirmation=True)
    def risky() -> str:
        """Risky."""
        return "done"

    agent = Agent(model=ScriptedModel(steps=[tool_call("risky"), "ok"]), tools=[risky])
    out = await agent.arun("go")
    assert out.is_paused
    assert Agent.cancel_run(out.run_id or "") is True
    assert out.status == RunStatus.cancelled
    with pytest.raises(ValueError, match="not paused"):
        await agent.acontinue_run(run_response=out)


async def test_a_continued_run_reports_its_whole_duration() -> None:
    from agentos.tools import tool

    @tool(requires_confirmation=True)
    def risky() -> str:
        """Risky."""
        return "done"

    agent = Agent(model=ScriptedModel(steps=[tool_call("risky"), "ok"]), tools=[risky])
    out = await agent.arun("go")
    first = out.metrics.duration if out.metrics else None
    assert first is not None
    out.requirements[0].confirm()  # type: ignore[index]
    done = await agent.acontinue_run(run_response=out)
    assert done.metrics is not None and done.metrics.duration is not None and done.metrics.duration >= first
