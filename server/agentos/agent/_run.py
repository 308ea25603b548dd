"""The run loop: the one async implementation behind run, arun, continue_run and streaming.

``start_run`` and ``resume_run`` are async generators of every event a run produces; callers
filter what they deliver (``RunOptions.delivers``). Whatever happens, the last event is a
terminal one (RunCompleted, RunPaused, RunCancelled or RunError): errors are reported in-band,
not raised, because a streaming client (gRPC, SSE) must always learn how its run ended.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
import time
from collections.abc import AsyncIterator, Callable, Sequence
from typing import Any

from agentos.agent._compression import compress_before_model_call
from agentos.agent._history import history_messages
from agentos.agent._hitl import PAUSED_RUNS, PausedRun, pending_tool_executions, resolve_paused
from agentos.agent._hooks import run_post_hooks, run_pre_hooks
from agentos.agent._memory import MemoryUpdate
from agentos.agent._messages import (
    additional_input_messages,
    build_system_message,
    build_user_messages,
    call_with_injection,
    validate_input,
)
from agentos.agent._model_turn import ModelTurn, model_turn
from agentos.agent._reasoning import run_reasoning, wants_reasoning
from agentos.agent._session import SessionError, load_session, resume_session, store_run
from agentos.agent._state import ContentMode, RunState
from agentos.agent._structured import (
    StructuredOutputError,
    json_mode_instructions,
    parse_structured,
    response_format_for,
    schema_name,
    uses_json_mode,
)
from agentos.agent._summaries import update_session_summary
from agentos.agent._tools import ToolPhaseOutcome, plan_tool_calls, run_planned_calls
from agentos.db import StorageError
from agentos.exceptions import (
    InputCheckError,
    ModelNotConfiguredError,
    ModelProviderError,
    OutputCheckError,
    RunCancelledError,
)
from agentos.media import Audio, File, Image, Video
from agentos.models import Message
from agentos.run import (
    OutputModelResponseCompletedEvent,
    OutputModelResponseStartedEvent,
    ParserModelResponseCompletedEvent,
    ParserModelResponseStartedEvent,
    RunCancelledEvent,
    RunCompletedEvent,
    RunContentCompletedEvent,
    RunContentEvent,
    RunContinuedEvent,
    RunErrorEvent,
    RunEvent,
    RunOutputEvent,
    RunPausedEvent,
    RunRequirement,
    RunStartedEvent,
    RunStatus,
)
from agentos.run.cancellation import get_cancellation_registry

logger = logging.getLogger("agentos.agent")

_PARSER_PROMPT = "Turn the text the user gives you into the requested structured output. Keep its meaning."


def plan_structured_output(state: RunState) -> None:
    """Decide how the main model is asked for the answer (before the system message is built)."""
    agent = state.agent
    schema = state.options.output_schema
    if agent.output_model is not None:
        state.content_mode = "intermediate"
        return
    if schema is None:
        return
    if agent.parser_model is not None:
        # The main model answers freely; the parser model produces the structure.
        state.content_mode = "content"
        return
    state.uses_json_mode = uses_json_mode(
        state.model, use_json_mode=agent.use_json_mode, structured_outputs=agent.structured_outputs
    )
    state.response_format = response_format_for(schema, json_mode=state.uses_json_mode)
    state.content_mode = "silent" if agent.parse_response else "content"


def start_run(
    state: RunState,
    input: Any,
    *,
    images: Sequence[Image] | None,
    audio: Sequence[Audio] | None,
    videos: Sequence[Video] | None,
    files: Sequence[File] | None,
) -> AsyncIterator[RunOutputEvent]:
    # Plain functions returning the lifecycle generator, not generators of their own: every
    # event of a streamed run is passed on by each generator layer it goes through.
    body = _start_body(state, input, images=images, audio=audio, videos=videos, files=files)
    return _lifecycle(state, body)


def resume_run(state: RunState) -> AsyncIterator[RunOutputEvent]:
    return _lifecycle(state, _resume_body(state))


# Lifecycle ---------------------------------------------------------------------------------


def _register(state: RunState) -> None:
    # At the first step of the run, not when the call is made: an un-iterated stream must not
    # stay registered. A cancel that came earlier is picked up here.
    state.cancel = get_cancellation_registry().register(state.output.run_id or "")
    state.started_at = time.perf_counter()


async def _lifecycle(state: RunState, body: AsyncIterator[RunOutputEvent]) -> AsyncIterator[RunOutputEvent]:
    """Run ``body`` and always finish with exactly one terminal event."""
    output = state.output
    _register(state)
    try:
        try:
            async for event in body:
                yield event
        finally:
            aclose = getattr(body, "aclose", None)
            if aclose is not None:
                await aclose()
    except RunCancelledError as exc:
        output.status = RunStatus.cancelled
        _finalize(state)
        reason = exc.reason or str(exc)
        async for event in _end_run(state, lambda: RunCancelledEvent(reason=reason)):
            yield event
    except (InputCheckError, OutputCheckError) as exc:
        trigger = {"check_trigger": str(exc.check_trigger)}
        async for event in _errored(state, exc.message, type(exc).__name__, trigger):
            yield event
    except ModelProviderError as exc:
        data = {"status_code": exc.status_code} if exc.status_code is not None else None
        async for event in _errored(state, f"model provider error: {exc.message}", type(exc).__name__, data):
            yield event
    except StructuredOutputError as exc:
        async for event in _errored(state, str(exc), type(exc).__name__, None):
            yield event
    except asyncio.CancelledError:
        # Cancelled from outside (not through cancel_run): record it and let it propagate.
        output.status = RunStatus.cancelled
        _finalize(state)
        raise
    except Exception as exc:
        if not isinstance(exc, StorageError | SessionError):
            logger.exception("run %s failed", output.run_id)
        async for event in _errored(state, f"{type(exc).__name__}: {exc}", type(exc).__name__, None):
            yield event
    finally:
        get_cancellation_registry().unregister(output.run_id or "")


async def _errored(
    state: RunState, reason: str, error_type: str, data: dict[str, Any] | None
) -> AsyncIterator[RunOutputEvent]:
    state.output.status = RunStatus.error
    state.output.error = reason
    _finalize(state)
    async for event in _end_run(
        state, lambda: RunErrorEvent(content=reason, error_type=error_type, additional_data=data)
    ):
        yield event


async def _end_run(state: RunState, terminal: Callable[[], RunOutputEvent]) -> AsyncIterator[RunOutputEvent]:
    """The one way a run ends: build its terminal event, store the run, deliver the event.

    Named points, in order (keep work in the right one):

    1. "the run has ended, before it is stored": ``state.output`` is final (status set,
       ``_finalize`` done). Work that changes the session row (e.g. its summary) goes here, so
       it is written in the same transaction as the run; events it yields come before the
       terminal event.
    2. the terminal event is built (it is part of the stored run when events are stored);
    3. "store": one transaction, the run row and the session row (``_session.store_run``);
    4. "after the run is stored": work that needs the stored run and must not delay the answer
       is started here, before the terminal event is delivered (a streaming consumer stops at
       the terminal event: code after it may never run). Background memory updates start
       earlier, in ``_finish``, once the answer is ready: their MemoryUpdateStarted event must
       be emitted before the terminal event to keep sequence numbers in order.

    When the store fails, the terminal event is withdrawn and the run ends with a RunError that
    says it could not be saved; the output keeps its input and whatever content it had.
    """
    # (1) the run has ended, before it is stored.
    event = state.emit(terminal())  # (2)
    failure = await store_run(state)  # (3)
    if failure is not None:
        event = _not_stored(state, event, failure)
    # (4) after the run is stored.
    if state.debug is not None:
        state.debug.run_ended(state)
    yield event


def _not_stored(state: RunState, event: RunOutputEvent, failure: Exception) -> RunOutputEvent:
    """Replace a terminal event whose run could not be stored by a RunError (same sequence)."""
    output = state.output
    if output.events and output.events[-1] is event:
        output.events.pop()
    state.sequence -= 1
    if output.status == RunStatus.paused:
        PAUSED_RUNS.take(output.run_id or "")  # it could not be continued from the database
        output.requirements = None
    outcome = {
        RunStatus.completed: "completed",
        RunStatus.paused: "paused",
        RunStatus.cancelled: "was cancelled",
        RunStatus.error: "failed",
    }.get(output.status, "ended")
    reason = f"the run {outcome} but could not be saved: {failure}"
    if output.status == RunStatus.error and output.error:
        reason = f"{output.error}; and {reason}"
    output.status = RunStatus.error
    output.error = reason
    return state.emit(
        RunErrorEvent(content=reason, error_type=type(failure).__name__, additional_data={"stored": False})
    )


def _finalize(state: RunState) -> None:
    output = state.output
    if output.status != RunStatus.completed and output.content is None and state.content_parts:
        output.content = "".join(state.content_parts)  # partial content survives errors and cancels
    output.messages = state.messages
    output.session_state = state.context.session_state
    state.metrics.duration = state.duration_offset + state.elapsed()


# Bodies ------------------------------------------------------------------------------------


async def _start_body(
    state: RunState,
    input: Any,
    *,
    images: Sequence[Image] | None,
    audio: Sequence[Audio] | None,
    videos: Sequence[Video] | None,
    files: Sequence[File] | None,
) -> AsyncIterator[RunOutputEvent]:
    agent = state.agent
    options = state.options
    state.cancel.check()
    if options.wants(RunEvent.run_started.value):
        yield state.emit(RunStartedEvent(model=state.model.id, model_provider=state.model.provider or ""))
    if state.debug is not None:
        state.debug.run_started(state)
    run_input = state.output.input
    assert run_input is not None
    run_input.input_content = validate_input(agent, run_input.input_content)
    # With a db: the session (its state, the history's runs) is loaded before anything reads it.
    await load_session(state)
    await _resolve_dependencies(state)
    if agent.pre_hooks:
        async for event in run_pre_hooks(state):
            yield event
    state.cancel.check()
    plan_structured_output(state)
    system = await build_system_message(state)
    if system is not None:
        state.messages.append(system)
        state.system_message = system
    few_shot = additional_input_messages(agent)
    if few_shot:
        state.messages.extend(few_shot)
        state.output.additional_input = few_shot
    # When building history messages: earlier runs' messages go between the few-shot input and
    # the user's message.
    state.messages.extend(await history_messages(state))
    state.messages.extend(
        build_user_messages(
            state, run_input.input_content, images=images, audio=audio, videos=videos, files=files
        )
    )
    if wants_reasoning(agent):
        async for event in run_reasoning(state):
            yield event
    async for event in _loop(state):
        yield event
    if state.output.status == RunStatus.paused:
        return
    async for event in _finish(state):
        yield event


async def _resume_body(state: RunState) -> AsyncIterator[RunOutputEvent]:
    if state.options.wants(RunEvent.run_continued.value):
        yield state.emit(RunContinuedEvent())
    if state.debug is not None:
        state.debug.run_started(state, continued=True)
    await resume_session(state)
    state.cancel.check()
    pending = pending_tool_executions(state.tool_executions, state.messages)
    planned, waiting = resolve_paused(pending, dict(state.tools.functions))
    if waiting:
        async for event in _pause(state, waiting):
            yield event
        return
    outcome = ToolPhaseOutcome()
    async for event in run_planned_calls(state, planned, outcome):
        yield event
    if outcome.paused:
        async for event in _pause(state, outcome.paused):
            yield event
        return
    if outcome.stop:
        _stop_with(state, outcome)
    else:
        async for event in _loop(state):
            yield event
        if state.output.status == RunStatus.paused:
            return
    async for event in _finish(state):
        yield event


async def _loop(state: RunState) -> AsyncIterator[RunOutputEvent]:
    """Model turn, tools, repeat until a reply without tool calls (or a pause or a stop)."""
    agent = state.agent
    model = state.model
    definitions = state.tools.definitions or None
    limit = agent.tool_call_limit
    output = state.output
    while True:
        state.cancel.check()
        tool_choice = agent.tool_choice
        if definitions is not None and limit is not None and state.tool_call_count >= limit:
            tool_choice = "none"
        # Before each model call: compress tool results once a threshold is crossed.
        await compress_before_model_call(state)
        turn = ModelTurn()
        attempt = 0
        while True:
            try:
                async for event in model_turn(
                    state,
                    turn,
                    model=model,
                    messages=state.messages,
                    tools=definitions,
                    tool_choice=tool_choice,
                    response_format=state.response_format,
                    mode=state.content_mode,
                ):
                    yield event
                break
            except ModelProviderError as exc:
                # Agent-level retries: only when nothing reached the caller yet.
                if turn.content_parts or turn.tool_calls or attempt >= state.options.retries:
                    if turn.content is not None:
                        state.content_parts.append(turn.content)  # partial content is kept
                    raise
                if isinstance(exc, ModelNotConfiguredError):
                    raise
                delay = agent.delay_between_retries * (2**attempt if agent.exponential_backoff else 1)
                attempt += 1
                logger.info("run %s: model call failed (%s); retry %d", output.run_id, exc, attempt)
                await state.cancel.guard(asyncio.sleep(delay))
                turn = ModelTurn()
            except BaseException:
                if turn.content is not None:
                    state.content_parts.append(turn.content)
                raise
        if turn.content is not None:
            state.content_parts.append(turn.content)
        state.messages.append(turn.to_message(model))
        state.last_content = turn.content
        if turn.reasoning_content:
            output.reasoning_content = (output.reasoning_content or "") + turn.reasoning_content
        if turn.audio is not None:
            output.response_audio = turn.audio
        if turn.images:
            output.images = [*(output.images or []), *turn.images]
        if turn.provider_data:
            output.model_provider_data = turn.provider_data
        if not turn.tool_calls:
            return
        planned = plan_tool_calls(state, turn.tool_calls)
        outcome = ToolPhaseOutcome()
        async for event in run_planned_calls(state, planned, outcome):
            yield event
        if outcome.paused:
            async for event in _pause(state, outcome.paused):
                yield event
            return
        if outcome.stop:
            _stop_with(state, outcome)
            return


def _stop_with(state: RunState, outcome: ToolPhaseOutcome) -> None:
    for text in outcome.stop_content:
        state.content_parts.append(text if not state.content_parts else "\n" + text)
    state.last_content = "".join(state.content_parts) or None


async def _pause(state: RunState, paused: list[Any]) -> AsyncIterator[RunOutputEvent]:
    output = state.output
    output.status = RunStatus.paused
    requirements = [RunRequirement.for_tool(t) for t in paused]
    output.requirements = requirements
    output.content = "".join(state.content_parts) or None
    _finalize(state)
    PAUSED_RUNS.put(
        output.run_id or "",
        PausedRun(
            output=output,
            context=state.context,
            messages=state.messages,
            tool_call_count=state.tool_call_count,
            content_parts=list(state.content_parts),
            sequence=state.sequence + 1,
            output_schema=state.options.output_schema,
        ),
    )
    async for event in _end_run(state, lambda: RunPausedEvent(tools=list(paused), requirements=requirements)):
        yield event


async def _finish(state: RunState) -> AsyncIterator[RunOutputEvent]:
    agent = state.agent
    options = state.options
    output = state.output
    schema = options.output_schema
    if agent.output_model is not None:
        async for event in _output_model(state):
            yield event
    if schema is not None and agent.parse_response:
        text = state.last_content
        if agent.parser_model is not None:
            text = None
            async for event in _parser_model(state):
                if isinstance(event, str):
                    text = event
                else:
                    yield event
        value = parse_structured(text, schema)
        output.content = value
        output.content_type = schema_name(schema)
        if options.delivers(RunEvent.run_content.value):
            yield state.emit(RunContentEvent(content=value, content_type=output.content_type))
    else:
        output.content = "".join(state.content_parts) if state.content_parts else None
    # The answer is ready: automatic memory updates start now, off the answer's critical path.
    memory_update = MemoryUpdate.for_run(state)
    async for event in memory_update.start():
        yield event
    if options.wants(RunEvent.run_content_completed.value):
        yield state.emit(RunContentCompletedEvent())
    if agent.post_hooks:
        async for event in run_post_hooks(state):
            yield event
    if agent.save_response_to_file:
        await _save_response(state)
    # Before the run is stored: the session summary (saved with the session row of this turn),
    # then the memory update is reported if it already finished.
    async for event in update_session_summary(state):
        yield event
    for event in memory_update.before_completion():
        yield event
    output.status = RunStatus.completed
    _finalize(state)

    def completed() -> RunCompletedEvent:
        return RunCompletedEvent(
            content=output.content,
            content_type=output.content_type,
            reasoning_content=output.reasoning_content,
            model_provider_data=output.model_provider_data,
            images=output.images,
            videos=output.videos,
            audio=output.audio,
            files=output.files,
            response_audio=output.response_audio,
            additional_input=output.additional_input,
            reasoning_steps=output.reasoning_steps,
            reasoning_messages=output.reasoning_messages,
            metadata=output.metadata,
            metrics=output.metrics,
            session_state=output.session_state,
        )

    async for event in _end_run(state, completed):
        yield event


async def _output_model(state: RunState) -> AsyncIterator[RunOutputEvent]:
    """A second model writes the final answer from the conversation so far."""
    agent = state.agent
    options = state.options
    model = agent._resolve_model(agent.output_model)
    assert model is not None
    if options.wants(RunEvent.output_model_response_started.value):
        yield state.emit(OutputModelResponseStartedEvent())
    messages = list(state.messages)
    if messages and messages[-1].role == "assistant" and not messages[-1].tool_calls:
        messages.pop()  # the output model writes this answer itself
    response_format = None
    schema = options.output_schema
    if agent.output_model_prompt:
        prompt = agent.output_model_prompt
        if messages and messages[0].role == agent.system_message_role:
            messages[0] = Message(role=messages[0].role, content=prompt)
        else:
            messages.insert(0, Message(role=agent.system_message_role, content=prompt))
    if schema is not None and agent.parse_response and agent.parser_model is None:
        json_mode = uses_json_mode(
            model, use_json_mode=agent.use_json_mode, structured_outputs=agent.structured_outputs
        )
        response_format = response_format_for(schema, json_mode=json_mode)
        if json_mode:
            messages.append(Message(role="user", content=json_mode_instructions(schema)))
    mode: ContentMode = "silent" if response_format is not None else "content"
    turn = ModelTurn()
    async for event in model_turn(
        state,
        turn,
        model=model,
        messages=messages,
        tools=None,
        tool_choice=None,
        response_format=response_format,
        mode=mode,
    ):
        yield event
    state.content_parts = [turn.content] if turn.content else []
    state.last_content = turn.content
    if options.wants(RunEvent.output_model_response_completed.value):
        yield state.emit(OutputModelResponseCompletedEvent())


async def _parser_model(state: RunState) -> AsyncIterator[Any]:
    """A second model turns the answer into the schema; yields events, then the parsed text."""
    agent = state.agent
    options = state.options
    schema = options.output_schema
    assert schema is not None
    model = agent._resolve_model(agent.parser_model)
    assert model is not None
    if options.wants(RunEvent.parser_model_response_started.value):
        yield state.emit(ParserModelResponseStartedEvent())
    json_mode = uses_json_mode(
        model, use_json_mode=agent.use_json_mode, structured_outputs=agent.structured_outputs
    )
    prompt = agent.parser_model_prompt or _PARSER_PROMPT
    if json_mode:
        prompt = f"{prompt}\n\n{json_mode_instructions(schema)}"
    messages = [
        Message(role="system", content=prompt),
        Message(role="user", content="".join(state.content_parts) or state.last_content or ""),
    ]
    turn = ModelTurn()
    async for event in model_turn(
        state,
        turn,
        model=model,
        messages=messages,
        tools=None,
        tool_choice=None,
        response_format=response_format_for(schema, json_mode=json_mode),
        mode="silent",
    ):
        yield event
    if options.wants(RunEvent.parser_model_response_completed.value):
        yield state.emit(ParserModelResponseCompletedEvent())
    yield turn.content or ""


async def _resolve_dependencies(state: RunState) -> None:
    """Callable dependencies are evaluated once per run (with agent/run_context injected)."""
    deps = state.context.dependencies
    if not deps or not any(callable(v) for v in deps.values()):
        return
    resolved: dict[str, Any] = {}
    for key, value in deps.items():
        if callable(value) and not inspect.isclass(value):
            value = await state.cancel.guard(
                call_with_injection(value, {"agent": state.agent, "run_context": state.context})
            )
        resolved[key] = value
    state.context.dependencies = resolved


async def _save_response(state: RunState) -> None:
    agent = state.agent
    path_template = agent.save_response_to_file or ""
    ctx = state.context
    path = path_template.format(
        name=agent.name or "agent", session_id=ctx.session_id, user_id=ctx.user_id or "", run_id=ctx.run_id
    )
    text = state.output.get_content_as_string()

    def write() -> None:
        from pathlib import Path

        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    try:
        await asyncio.to_thread(write)
    except OSError as exc:
        logger.warning("could not save the response of run %s to %s: %s", ctx.run_id, path, exc)
