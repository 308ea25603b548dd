"""The tool phase of a model turn: plan every call, run the runnable ones concurrently, record.

Planning decides per call whether it can run (known tool, valid JSON, under the tool-call
limit), must wait for a human (confirmation, user input, external execution), or gets an error
result straight away. Runnable calls of one turn run concurrently (``asyncio.gather``); their
results are appended to the conversation in call order so the transcript is deterministic.
``CustomEvent``s yielded by generator tools are streamed while the tools are still running.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from agentos.agent._state import RunState
from agentos.models import Message, Metrics, ToolCall, ToolExecution
from agentos.run import (
    BaseAgentRunEvent,
    RunContentEvent,
    RunEvent,
    RunOutputEvent,
    ToolCallCompletedEvent,
    ToolCallErrorEvent,
    ToolCallStartedEvent,
)
from agentos.tools import Function, FunctionResult, execute_function


@dataclass(slots=True)
class PlannedCall:
    """One tool call and what to do with it."""

    execution: ToolExecution
    function: Function | None = None
    args: dict[str, Any] = field(default_factory=dict)
    # An immediate result instead of running the tool (error text, a rejection, an external result).
    preset: str | None = None
    preset_is_error: bool = False
    paused: bool = False

    @property
    def runnable(self) -> bool:
        return not self.paused and self.preset is None and self.function is not None


@dataclass(slots=True)
class ToolPhaseOutcome:
    paused: list[ToolExecution] = field(default_factory=list)
    stop: bool = False
    stop_content: list[str] = field(default_factory=list)


def plan_tool_calls(state: RunState, tool_calls: Sequence[ToolCall]) -> list[PlannedCall]:
    functions = state.tools.functions
    limit = state.agent.tool_call_limit
    planned: list[PlannedCall] = []
    for call in tool_calls:
        execution = ToolExecution(tool_call_id=call.id, tool_name=call.name)
        state.tool_executions.append(execution)
        item = PlannedCall(execution=execution)
        planned.append(item)
        function = functions.get(call.name)
        try:
            args = call.parsed_arguments()
        except ValueError as exc:
            execution.tool_args = {}
            item.preset = (
                f"Error: could not run tool '{call.name}': {exc}. Call it again with a valid JSON object."
            )
            item.preset_is_error = True
            continue
        execution.tool_args = args
        item.args = args
        if function is None:
            available = ", ".join(functions) or "none"
            item.preset = f"Error: tool '{call.name}' does not exist. Available tools: {available}."
            item.preset_is_error = True
            continue
        if limit is not None and state.tool_call_count >= limit:
            item.preset = (
                f"Error: the tool call limit of {limit} for this run is reached; '{call.name}' was not run. "
                "Answer with the information you already have."
            )
            item.preset_is_error = True
            continue
        state.tool_call_count += 1
        item.function = function
        execution.stop_after_tool_call = function.stop_after_tool_call
        execution.show_result = function.show_result
        if function.requires_confirmation:
            execution.requires_confirmation = True
            item.paused = True
        if function.requires_user_input:
            execution.requires_user_input = True
            execution.user_input_schema = function.user_input_schema(args)
            item.paused = True
        if function.external_execution or function.entrypoint is None:
            execution.external_execution_required = True
            item.paused = True
    return planned


async def run_planned_calls(
    state: RunState, planned: Sequence[PlannedCall], outcome: ToolPhaseOutcome
) -> AsyncIterator[RunOutputEvent]:
    """Run the runnable calls concurrently, then record every non-paused call in call order."""
    options = state.options
    runnable = [p for p in planned if p.runnable]
    if options.wants(RunEvent.tool_call_started.value):
        for item in runnable:
            # A snapshot: the execution gets its result later, and a stored or forwarded
            # ToolCallStarted event must keep showing the call as it was when it started.
            yield state.emit(ToolCallStartedEvent(tool=replace(item.execution)))
    results: list[FunctionResult] = []
    if runnable:
        async for event in _execute_concurrently(state, runnable, results):
            yield event
    by_call = dict(zip((id(p) for p in runnable), results, strict=True))

    debug = state.debug
    for item in planned:
        execution = item.execution
        if item.paused:
            outcome.paused.append(execution)
            if debug is not None:
                debug.tool_paused(execution)
            continue
        if item.preset is not None:
            execution.result = item.preset
            execution.tool_call_error = item.preset_is_error
            if debug is not None:
                debug.tool_call(execution)
            _append_tool_message(state, execution, item.preset, error=item.preset_is_error)
            if item.preset_is_error:
                if options.wants(RunEvent.tool_call_error.value):
                    yield state.emit(ToolCallErrorEvent(tool=execution, error=item.preset))
            elif options.wants(RunEvent.tool_call_completed.value):
                yield state.emit(ToolCallCompletedEvent(tool=execution, content=item.preset))
            continue
        result = by_call[id(item)]
        async for event in _record_result(state, item, result, outcome):
            yield event
        if debug is not None:
            debug.tool_call(execution)


async def _execute_concurrently(
    state: RunState, runnable: Sequence[PlannedCall], results: list[FunctionResult]
) -> AsyncIterator[RunOutputEvent]:
    agent = state.agent
    run_input = state.output.input
    pending_events: list[Any] = []
    wake = asyncio.Event()

    async def on_event(event: object) -> None:
        pending_events.append(event)
        wake.set()

    hooks = tuple(agent.tool_hooks or ())
    gathered = asyncio.ensure_future(
        asyncio.gather(
            *(
                execute_function(
                    item.function,  # type: ignore[arg-type]
                    item.args,
                    call_id=item.execution.tool_call_id or "",
                    run_context=state.context,
                    agent=agent,
                    tool_hooks=hooks,
                    on_event=on_event,
                    images=run_input.images if run_input else None,
                    videos=run_input.videos if run_input else None,
                    audio=run_input.audio if run_input else None,
                    files=run_input.files if run_input else None,
                )
                for item in runnable
            )
        )
    )
    gathered.add_done_callback(lambda _: wake.set())
    try:
        while True:
            while pending_events:
                event = pending_events.pop(0)
                if isinstance(event, BaseAgentRunEvent):
                    yield state.emit(event)  # type: ignore[misc]
            if gathered.done():
                break
            wake.clear()
            if pending_events or gathered.done():
                continue
            await state.cancel.guard(wake.wait())
        results.extend(gathered.result())
    finally:
        if not gathered.done():
            gathered.cancel()


def _append_tool_message(
    state: RunState, execution: ToolExecution, content: str, *, error: bool, stop: bool = False
) -> None:
    state.messages.append(
        Message(
            role="tool",
            content=content,
            tool_call_id=execution.tool_call_id,
            tool_name=execution.tool_name,
            tool_args=execution.tool_args,
            tool_call_error=error,
            stop_after_tool_call=stop,
            metrics=execution.metrics,
        )
    )


async def _record_result(
    state: RunState, item: PlannedCall, result: FunctionResult, outcome: ToolPhaseOutcome
) -> AsyncIterator[RunOutputEvent]:
    execution = item.execution
    function = item.function
    assert function is not None
    options = state.options
    failed = result.error is not None
    content = result.content
    control = result.retry or result.stop
    if control is not None:
        extra = [str(m) for m in (control.user_message, control.agent_message) if m]
        if extra:
            content = "\n".join([content, *extra]) if content else "\n".join(extra)
    execution.result = content
    execution.tool_call_error = failed
    execution.metrics = Metrics(duration=result.duration)
    stop = result.stop is not None or (function.stop_after_tool_call and not failed)
    _append_tool_message(state, execution, content, error=failed, stop=stop)
    if control is not None and control.messages:
        for extra_message in control.messages:
            state.messages.append(_as_message(extra_message))
    _collect_media(state, result)

    if failed and result.stop is None:
        if options.wants(RunEvent.tool_call_error.value):
            yield state.emit(ToolCallErrorEvent(tool=execution, error=result.error))
    elif options.wants(RunEvent.tool_call_completed.value):
        yield state.emit(
            ToolCallCompletedEvent(
                tool=execution,
                content=content,
                images=result.images,
                videos=result.videos,
                audio=result.audio,
                files=result.files,
            )
        )

    if function.show_result and not failed:
        shown = content if not state.content_parts else "\n" + content
        state.content_parts.append(shown)
        state.mark_first_token()
        if options.delivers(RunEvent.run_content.value) and state.content_mode != "silent":
            yield state.emit(RunContentEvent(content=shown))
    if stop:
        outcome.stop = True
        if result.stop is not None:
            outcome.stop_content.append(str(result.stop.agent_message or result.stop or content))
        elif not function.show_result:
            outcome.stop_content.append(content)


def _collect_media(state: RunState, result: FunctionResult) -> None:
    output = state.output
    if result.images:
        output.images = [*(output.images or []), *result.images]
    if result.videos:
        output.videos = [*(output.videos or []), *result.videos]
    if result.audio:
        output.audio = [*(output.audio or []), *result.audio]
    if result.files:
        output.files = [*(output.files or []), *result.files]


def _as_message(value: Any) -> Message:
    if isinstance(value, Message):
        return value
    if isinstance(value, dict):
        return Message(role=str(value.get("role", "user")), content=value.get("content"))
    return Message(role="user", content=str(value))
