"""Tool hooks (wrapping chain) and a Function's pre_hook / post_hook."""

from __future__ import annotations

import threading
from collections.abc import Awaitable, Callable
from typing import Any

from agentos.exceptions import RetryAgentRun
from agentos.run import RunContext
from agentos.tools import FunctionCall, execute_function, tool


def recorder(log: list[str], label: str) -> Callable[..., Any]:
    def hook(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        log.append(f"{label}:before:{function_name}")
        result = function_call(**arguments)
        log.append(f"{label}:after")
        return result

    return hook


async def test_first_hook_is_outermost_and_run_hooks_wrap_tool_hooks() -> None:
    log: list[str] = []

    @tool(tool_hooks=[recorder(log, "tool1"), recorder(log, "tool2")])
    def work() -> str:
        """Does work."""
        log.append("work")
        return "done"

    result = await execute_function(
        work, {}, call_id="1", run_context=None, tool_hooks=[recorder(log, "run")]
    )
    assert result.content == "done"
    assert log == [
        "run:before:work",
        "tool1:before:work",
        "tool2:before:work",
        "work",
        "tool2:after",
        "tool1:after",
        "run:after",
    ]


async def test_hooks_modify_arguments_and_results() -> None:
    def double_input(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        return function_call(**{**arguments, "x": arguments["x"] * 2})

    async def shout(
        function_name: str, function_call: Callable[..., Awaitable[Any]], arguments: dict[str, Any]
    ) -> Any:
        result = await function_call(**arguments)
        return f"{result}!"

    @tool(tool_hooks=[shout, double_input])
    def show(x: int) -> str:
        """Show x."""
        return f"x={x}"

    result = await execute_function(show, {"x": 4}, call_id="1", run_context=None)
    assert result.content == "x=8!"
    assert result.result == "x=8!"


async def test_hook_can_short_circuit() -> None:
    calls: list[int] = []

    def deny(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> str:
        return f"{function_name} is disabled"

    @tool(tool_hooks=[deny])
    def dangerous() -> str:
        """Never reached."""
        calls.append(1)
        return "boom"

    result = await execute_function(dangerous, {}, call_id="1", run_context=None)
    assert result.content == "dangerous is disabled"
    assert calls == []


async def test_sync_hooks_and_sync_tool_share_one_worker_thread() -> None:
    loop_thread = threading.get_ident()
    threads: dict[str, int] = {}

    def hook(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        threads["hook"] = threading.get_ident()
        return function_call(**arguments)

    @tool(tool_hooks=[hook])
    def work() -> str:
        """Work."""
        threads["tool"] = threading.get_ident()
        return "ok"

    await execute_function(work, {}, call_id="1", run_context=None)
    assert threads["hook"] != loop_thread
    assert threads["hook"] == threads["tool"]


async def test_mixed_sync_and_async_layers() -> None:
    log: list[str] = []

    async def outer(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        log.append("outer")
        return await function_call(**arguments)

    def middle(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        log.append("middle")
        return function_call(**arguments)

    async def inner(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        log.append("inner")
        return await function_call(**arguments)

    @tool(tool_hooks=[outer, middle, inner])
    async def work(n: int) -> int:
        """Async tool."""
        log.append("work")
        return n + 1

    result = await execute_function(work, {"n": 1}, call_id="1", run_context=None)
    assert result.result == 2
    assert log == ["outer", "middle", "inner", "work"]


async def test_hooks_receive_context_by_name() -> None:
    seen: dict[str, Any] = {}

    def hook(func: Callable[..., Any], args: dict[str, Any], run_context: RunContext, agent: Any) -> Any:
        seen.update(args=dict(args), run_id=run_context.run_id, agent=agent)
        return func(**args)

    @tool
    def work(a: int) -> int:
        """Work."""
        return a

    agent = object()
    run_context = RunContext(run_id="r1", session_id="s1")
    await execute_function(
        work, {"a": 1}, call_id="1", run_context=run_context, agent=agent, tool_hooks=[hook]
    )
    assert seen == {"args": {"a": 1}, "run_id": "r1", "agent": agent}


async def test_hook_raising_retry_is_captured() -> None:
    def guard(function_name: str, function_call: Callable[..., Any], arguments: dict[str, Any]) -> Any:
        raise RetryAgentRun("use a smaller number")

    @tool(tool_hooks=[guard])
    def work() -> str:
        """Work."""
        return "ok"

    result = await execute_function(work, {}, call_id="1", run_context=None)
    assert isinstance(result.retry, RetryAgentRun)
    assert result.content == "use a smaller number"


async def test_pre_and_post_hooks() -> None:
    log: list[str] = []

    def pre(fc: FunctionCall) -> None:
        log.append(f"pre:{fc.name}:{fc.arguments}")
        fc.arguments["x"] = fc.arguments["x"] + 1

    async def post(fc: FunctionCall, run_context: RunContext) -> None:
        log.append(f"post:{fc.result}:{run_context.run_id}")
        fc.result = f"[{fc.result}]"

    @tool(pre_hook=pre, post_hook=post)
    def show(x: int) -> str:
        """Show x."""
        log.append("tool")
        return str(x)

    result = await execute_function(
        show, {"x": 1}, call_id="c", run_context=RunContext(run_id="r", session_id="s")
    )
    assert result.content == "[2]"
    assert log == ["pre:show:{'x': 1}", "tool", "post:2:r"]


async def test_pre_hook_failure_is_an_error_result() -> None:
    def pre(function_name: str) -> None:
        raise PermissionError(f"{function_name} not allowed")

    @tool(pre_hook=pre)
    def work() -> str:
        """Work."""
        return "ok"

    result = await execute_function(work, {}, call_id="1", run_context=None)
    assert result.error == "tool 'work' failed: PermissionError: work not allowed"
