"""execute_function: validation, threads, async, generators, errors, cancellation, media."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import pytest
from agentos.exceptions import RetryAgentRun, StopAgentRun
from agentos.media import Image
from agentos.run import CustomEvent, RunContext
from agentos.tools import Function, ToolResult, execute_function, function_from_dict, tool
from pydantic import BaseModel, Field


class Address(BaseModel):
    street: str
    city: str


@dataclass(kw_only=True)
class Progress(CustomEvent):
    step: int = 0


def ctx(**state: Any) -> RunContext:
    return RunContext(run_id="run-1", session_id="session-1", session_state=dict(state))


# --------------------------------------------------------------------------- validation


@tool
def book(city: str, nights: int, address: Address | None = None) -> str:
    """Book a hotel."""
    suffix = f" at {address.street}" if address is not None else ""
    return f"{nights} nights in {city}{suffix}"


async def test_missing_and_unknown_parameters_are_named() -> None:
    result = await execute_function(book, {"city": "Rome", "nite": 2}, call_id="1", run_context=None)
    assert result.error is not None
    assert "missing required parameter(s): nights" in result.error
    assert "unknown parameter(s): nite" in result.error
    assert result.content == result.error
    assert result.result is None


async def test_type_errors_name_the_field_including_nested() -> None:
    result = await execute_function(
        book,
        {"city": "Rome", "nights": "many", "address": {"street": "Via Roma 1"}},
        call_id="1",
        run_context=None,
    )
    assert result.error is not None
    assert "nights: Input should be a valid integer" in result.error
    assert "address.city" in result.error


async def test_lax_coercion_and_model_instances() -> None:
    result = await execute_function(
        book,
        {"city": "Rome", "nights": "3", "address": {"street": "Via Roma 1", "city": "Rome"}},
        call_id="1",
        run_context=None,
    )
    assert result.error is None
    assert result.content == "3 nights in Rome at Via Roma 1"


async def test_model_cannot_pass_injected_parameters() -> None:
    @tool
    def whoami(run_context: RunContext) -> str:
        """The run id."""
        return run_context.run_id

    result = await execute_function(whoami, {"run_context": "forged"}, call_id="1", run_context=ctx())
    assert result.error is not None and "run_context" in result.error


async def test_var_kwargs_tool_receives_extra_arguments() -> None:
    @tool
    def echo(prefix: str, **rest: Any) -> dict[str, Any]:
        """Echo."""
        return {"prefix": prefix, **rest}

    result = await execute_function(echo, {"prefix": "p", "a": 1}, call_id="1", run_context=None)
    assert result.result == {"prefix": "p", "a": 1}
    assert result.content == '{"prefix":"p","a":1}'


# --------------------------------------------------------------------------- threads and async


async def test_sync_tool_runs_in_a_worker_thread_without_blocking_the_loop() -> None:
    gate = threading.Event()

    @tool
    def wait_for_gate() -> str:
        """Blocks until the event loop opens the gate: deadlocks if run on the loop."""
        if not gate.wait(timeout=10):
            return "gate never opened: the tool blocked the event loop"
        return "opened"

    async def open_gate() -> None:
        await asyncio.sleep(0)
        gate.set()

    result, _ = await asyncio.gather(
        execute_function(wait_for_gate, {}, call_id="1", run_context=None), open_gate()
    )
    assert result.content == "opened"


async def test_async_tool_is_awaited_on_the_loop() -> None:
    loop_thread = threading.get_ident()

    @tool
    async def where() -> bool:
        """True when running on the event loop thread."""
        await asyncio.sleep(0)
        return threading.get_ident() == loop_thread

    result = await execute_function(where, {}, call_id="1", run_context=None)
    assert result.result is True


async def test_independent_sync_tools_run_concurrently() -> None:
    barrier = threading.Barrier(2, timeout=10)

    @tool
    def meet() -> str:
        """Both calls must be inside the tool at the same time to pass the barrier."""
        barrier.wait()
        return "met"

    results = await asyncio.gather(
        execute_function(meet, {}, call_id="1", run_context=None),
        execute_function(meet, {}, call_id="2", run_context=None),
    )
    assert [r.content for r in results] == ["met", "met"]


# --------------------------------------------------------------------------- generators


async def test_sync_generator_events_and_content() -> None:
    loop_thread = threading.get_ident()
    threads: list[int] = []

    @tool
    def steps(n: int) -> Iterator[Any]:
        """Work in steps, reporting progress."""
        threads.append(threading.get_ident())
        for i in range(n):
            yield Progress(step=i)
            yield f"part{i};"

    events: list[object] = []

    async def on_event(event: object) -> None:
        events.append(event)

    result = await execute_function(steps, {"n": 3}, call_id="1", run_context=None, on_event=on_event)
    assert result.error is None
    assert result.content == "part0;part1;part2;"
    assert [e.step for e in events if isinstance(e, Progress)] == [0, 1, 2]
    assert threads and threads[0] != loop_thread


async def test_async_generator_events_and_content() -> None:
    @tool
    async def steps(n: int) -> AsyncIterator[Any]:
        """Work in steps."""
        for i in range(n):
            yield Progress(step=i)
            await asyncio.sleep(0)
            yield {"i": i}

    events: list[object] = []

    async def on_event(event: object) -> None:
        events.append(event)

    result = await execute_function(steps, {"n": 2}, call_id="1", run_context=None, on_event=on_event)
    assert result.content == '{"i":0}{"i":1}'
    assert [e.step for e in events if isinstance(e, Progress)] == [0, 1]


async def test_events_are_dropped_without_a_sink() -> None:
    @tool
    def steps() -> Iterator[Any]:
        """Events only go to on_event."""
        yield Progress(step=1)
        yield "done"

    result = await execute_function(steps, {}, call_id="1", run_context=None)
    assert result.content == "done"


# --------------------------------------------------------------------------- results


async def test_content_rendering() -> None:
    values: list[Any] = [None, "text", 3, 2.5, True, {"a": [1, 2]}, Address(street="s", city="c")]
    expected = ["", "text", "3", "2.5", "true", '{"a":[1,2]}', '{"street":"s","city":"c"}']
    for value, text in zip(values, expected, strict=True):

        def give(value: Any = value) -> Any:
            return value

        fn = Function.from_callable(give, name="give")
        result = await execute_function(fn, {}, call_id="1", run_context=None)
        assert result.content == text
        assert result.result == value


async def test_tool_result_carries_media() -> None:
    picture = Image(url="https://example.invalid/cat.png")

    @tool
    def draw() -> ToolResult:
        """Draw a cat."""
        return ToolResult(content="drew a cat", images=[picture])

    result = await execute_function(draw, {}, call_id="1", run_context=None)
    assert result.content == "drew a cat"
    assert result.images == [picture]
    assert isinstance(result.result, ToolResult)


# --------------------------------------------------------------------------- injection


async def test_injected_parameters() -> None:
    seen: dict[str, Any] = {}

    @tool
    def inspect_all(
        q: str,
        run_context: RunContext,
        agent: Any,
        team: Any,
        session_state: dict[str, Any],
        dependencies: dict[str, Any] | None,
        images: list[Image] | None,
    ) -> str:
        """Record what was injected."""
        seen.update(
            run_context=run_context,
            agent=agent,
            team=team,
            session_state=session_state,
            dependencies=dependencies,
            images=images,
        )
        session_state["touched"] = q
        return "ok"

    run_context = ctx(a=1)
    run_context.dependencies = {"db": "x"}
    agent, team, picture = object(), object(), Image(url="u")
    result = await execute_function(
        inspect_all,
        {"q": "yes"},
        call_id="1",
        run_context=run_context,
        agent=agent,
        team=team,
        images=[picture],
    )
    assert result.error is None
    assert seen["run_context"] is run_context
    assert seen["agent"] is agent and seen["team"] is team
    assert seen["session_state"] is run_context.session_state
    assert run_context.session_state == {"a": 1, "touched": "yes"}
    assert seen["dependencies"] == {"db": "x"}
    assert seen["images"] == [picture]


# --------------------------------------------------------------------------- errors


async def test_tool_exception_becomes_error_result() -> None:
    @tool
    def broken(x: int) -> int:
        """Always fails."""
        raise ValueError(f"bad x={x}")

    result = await execute_function(broken, {"x": 1}, call_id="1", run_context=None)
    assert result.error == "tool 'broken' failed: ValueError: bad x=1"
    assert result.content == result.error
    assert result.stop is None and result.retry is None


async def test_retry_and_stop_are_captured() -> None:
    @tool
    def picky(x: int) -> str:
        """Retries below 10, stops at 100."""
        if x < 10:
            raise RetryAgentRun("x must be at least 10")
        if x == 100:
            raise StopAgentRun("enough", user_message="stopped")
        return "fine"

    retry = await execute_function(picky, {"x": 1}, call_id="1", run_context=None)
    assert isinstance(retry.retry, RetryAgentRun) and retry.stop is None
    assert retry.error == "x must be at least 10" and retry.content == "x must be at least 10"
    stop = await execute_function(picky, {"x": 100}, call_id="2", run_context=None)
    assert isinstance(stop.stop, StopAgentRun) and stop.retry is None
    assert stop.stop.user_message == "stopped"
    ok = await execute_function(picky, {"x": 50}, call_id="3", run_context=None)
    assert (ok.content, ok.error, ok.stop, ok.retry) == ("fine", None, None, None)


async def test_external_tool_cannot_be_executed_here() -> None:
    fn = function_from_dict({"name": "remote", "parameters": {"type": "object", "properties": {}}})
    result = await execute_function(fn, {}, call_id="1", run_context=None)
    assert result.error is not None and "externally" in result.error


async def test_cancellation_propagates_from_async_tool() -> None:
    started = asyncio.Event()

    @tool
    async def forever() -> str:
        """Never finishes on its own."""
        started.set()
        await asyncio.Event().wait()
        return "unreachable"

    task = asyncio.create_task(execute_function(forever, {}, call_id="1", run_context=None))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_cancellation_propagates_and_stops_a_sync_generator() -> None:
    entered = threading.Event()
    release = threading.Event()
    closed = threading.Event()
    produced: list[int] = []

    @tool
    def stream() -> Iterator[str]:
        """Yields until cancelled."""
        try:
            for i in range(1000):
                produced.append(i)
                entered.set()
                release.wait(timeout=10)
                yield str(i)
        finally:
            closed.set()

    task = asyncio.create_task(execute_function(stream, {}, call_id="1", run_context=None))
    await asyncio.to_thread(entered.wait, 10)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    release.set()
    # The worker notices the cancellation at the next item and closes the generator.
    assert await asyncio.to_thread(closed.wait, 10)
    assert len(produced) <= 2


async def test_annotated_constraints_are_in_schema_and_enforced() -> None:
    @tool
    def pick(n: Annotated[int, Field(ge=1, le=10, description="How many.")] = 1) -> int:
        """Pick n."""
        return n

    assert pick.parameters["properties"]["n"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 10,
        "default": 1,
        "description": "How many.",
    }
    result = await execute_function(pick, {"n": 11}, call_id="1", run_context=None)
    assert result.error is not None and "n: Input should be less than or equal to 10" in result.error


async def test_non_object_arguments_and_sys_exit_are_errors() -> None:
    @tool
    def quit_now() -> None:
        """Tries to stop the process."""
        raise SystemExit(3)

    bad = await execute_function(book, ["Rome", 2], call_id="1", run_context=None)  # type: ignore[arg-type]
    assert bad.error is not None and "expected a JSON object, got list" in bad.error
    exited = await execute_function(quit_now, {}, call_id="2", run_context=None)
    assert exited.error == "tool 'quit_now' failed: SystemExit: 3"
