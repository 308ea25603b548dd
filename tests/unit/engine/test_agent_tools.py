"""The tool loop: concurrency, errors, limits, RetryAgentRun/StopAgentRun, stop/show flags, hooks."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from agentos.agent import Agent
from agentos.exceptions import RetryAgentRun, StopAgentRun
from agentos.models import Message
from agentos.models.scripted import (
    FunctionModel,
    ModelCallInfo,
    ScriptedModel,
    ScriptedToolCall,
    tool_call,
    tool_calls,
)
from agentos.run import RunContext, RunStatus, ToolCallErrorEvent
from agentos.tools import tool


def tool_messages(messages: list[Message] | None) -> list[Message]:
    return [m for m in messages or [] if m.role == "tool"]


async def test_independent_tool_calls_of_one_turn_run_concurrently() -> None:
    # Each tool waits for the other: only concurrent execution can finish.
    ping_seen = asyncio.Event()
    pong_seen = asyncio.Event()

    async def ping() -> str:
        """Ping."""
        ping_seen.set()
        await pong_seen.wait()
        return "ping done"

    async def pong() -> str:
        """Pong."""
        pong_seen.set()
        await ping_seen.wait()
        return "pong done"

    agent = Agent(
        model=ScriptedModel(steps=[tool_calls(tool_call("ping"), tool_call("pong")), "both done"]),
        tools=[ping, pong],
    )
    out = await asyncio.wait_for(agent.arun("go"), timeout=10)
    assert out.content == "both done"
    # Results are appended in call order.
    assert [m.content for m in tool_messages(out.messages)] == ["ping done", "pong done"]


async def test_sync_tools_run_in_worker_threads_concurrently() -> None:
    import threading

    barrier = threading.Barrier(2, timeout=10)

    def left() -> str:
        """Left."""
        barrier.wait()
        return "L"

    def right() -> str:
        """Right."""
        barrier.wait()
        return "R"

    agent = Agent(
        model=ScriptedModel(steps=[tool_calls(tool_call("left"), tool_call("right")), "ok"]),
        tools=[left, right],
    )
    out = await agent.arun("go")
    assert [m.content for m in tool_messages(out.messages)] == ["L", "R"]


async def test_unknown_tool_and_malformed_arguments_become_tool_errors_and_the_loop_continues() -> None:
    def known(x: int) -> int:
        """Known."""
        return x

    seen: list[list[Message]] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        seen.append(messages)
        if info.turn == 0:
            return tool_calls(
                tool_call("missing_tool"),
                ScriptedToolCall(name="known", raw_arguments="{not json"),
                tool_call("known", x="not-an-int"),
                tool_call("known", x=4),
            )
        return "recovered"

    agent = Agent(model=FunctionModel(fn=reply), tools=[known])
    events = [e async for e in agent.arun("go", stream=True, stream_events=True)]
    errors = [e for e in events if isinstance(e, ToolCallErrorEvent)]
    assert len(errors) == 3
    assert "does not exist" in (errors[0].error or "")
    assert "not valid JSON" in (errors[1].error or "")
    assert "x" in (errors[2].error or "")
    assert events[-1].event == "RunCompleted" and events[-1].content == "recovered"  # type: ignore[union-attr]
    results = tool_messages(seen[1])
    assert [m.tool_call_error for m in results] == [True, True, True, False]
    assert results[3].content == "4"


async def test_tool_exception_is_reported_to_the_model() -> None:
    def boom() -> str:
        """Fails."""
        raise RuntimeError("kaput")

    out = await Agent(model=ScriptedModel(steps=[tool_call("boom"), "sorry"]), tools=[boom]).arun("go")
    assert out.status == RunStatus.completed and out.content == "sorry"
    result = tool_messages(out.messages)[0]
    assert result.tool_call_error and "kaput" in str(result.content)
    assert out.tools is not None and out.tools[0].tool_call_error


async def test_tool_call_limit_gives_error_results_beyond_the_limit() -> None:
    calls: list[int] = []

    def count(n: int) -> int:
        """Count."""
        calls.append(n)
        return n

    choices: list[object] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        choices.append(info.tool_choice)
        if info.turn == 0:
            return tool_calls(tool_call("count", n=1), tool_call("count", n=2), tool_call("count", n=3))
        return "done"

    out = await Agent(model=FunctionModel(fn=reply), tools=[count], tool_call_limit=2).arun("go")
    assert calls == [1, 2]
    results = tool_messages(out.messages)
    assert "limit of 2" in str(results[2].content) and results[2].tool_call_error
    assert choices == [None, "none"]


async def test_retry_agent_run_feeds_the_error_back_and_continues() -> None:
    attempts: list[int] = []

    def flaky(n: int) -> str:
        """Needs n >= 2."""
        attempts.append(n)
        if n < 2:
            raise RetryAgentRun("n must be at least 2", user_message="try a larger n")
        return "accepted"

    model = ScriptedModel(steps=[tool_call("flaky", n=1), tool_call("flaky", n=2), "all good"])
    out = await Agent(model=model, tools=[flaky]).arun("go")
    assert attempts == [1, 2]
    assert out.status == RunStatus.completed and out.content == "all good"
    first = tool_messages(out.messages)[0]
    assert "n must be at least 2" in str(first.content) and "larger n" in str(first.content)


async def test_stop_agent_run_leaves_the_loop_completed() -> None:
    def halt() -> str:
        """Stop everything."""
        raise StopAgentRun("stopping here")

    model = ScriptedModel(steps=[tool_call("halt"), "never reached"])
    out = await Agent(model=model, tools=[halt]).arun("go")
    assert out.status == RunStatus.completed
    assert out.content == "stopping here"
    assert [m.role for m in out.messages or []][-1] == "tool"


async def test_stop_after_tool_call_ends_with_the_tool_result() -> None:
    @tool(stop_after_tool_call=True)
    def final_answer(text: str) -> str:
        """Give the final answer."""
        return f"FINAL: {text}"

    model = ScriptedModel(steps=[tool_call("final_answer", text="42"), "never reached"])
    out = await Agent(model=model, tools=[final_answer]).arun("go")
    assert out.status == RunStatus.completed
    assert out.content == "FINAL: 42"


async def test_show_result_adds_the_tool_result_to_the_content_stream() -> None:
    @tool(show_result=True, stop_after_tool_call=True)
    def lookup(key: str) -> str:
        """Look up."""
        return f"value of {key}"

    agent = Agent(model=ScriptedModel(steps=[tool_call("lookup", key="k")]), tools=[lookup])
    events = [e async for e in agent.arun("go", stream=True)]
    assert [e.event for e in events] == ["RunContent", "RunCompleted"]
    assert events[0].content == "value of k"  # type: ignore[union-attr]
    assert events[-1].content == "value of k"  # type: ignore[union-attr]


async def test_tool_hooks_wrap_every_call() -> None:
    log: list[str] = []

    def audit(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        log.append(f"before {function_name} {arguments}")
        result = function_call(**arguments)
        log.append(f"after {function_name}")
        return result

    def double(x: int) -> int:
        """Double."""
        return 2 * x

    out = await Agent(
        model=ScriptedModel(steps=[tool_call("double", x=3), "6"]), tools=[double], tool_hooks=[audit]
    ).arun("go")
    assert out.content == "6"
    assert log == ["before double {'x': 3}", "after double"]
    assert tool_messages(out.messages)[0].content == "6"


async def test_tools_receive_the_run_context_and_may_change_session_state() -> None:
    def remember(item: str, run_context: RunContext) -> str:
        """Remember an item."""
        run_context.session_state.setdefault("items", []).append(item)
        return "ok"

    agent = Agent(
        model=ScriptedModel(steps=[tool_call("remember", item="milk"), "noted"]),
        tools=[remember],
        session_state={"items": []},
    )
    out = await agent.arun("remember milk")
    assert out.session_state == {"items": ["milk"]}
    assert agent.session_state == {"items": []}  # the agent's default is not touched
