"""Between the Agent facade and the loop: build a run's state from the call, drive the loop.

``prepare_run`` turns call arguments into a ``RunState`` (merging the agent's defaults with
per-run values, copying what a run may mutate); ``prepare_continue`` checks a continue call and
``continue_state`` builds its RunState when the run is driven (it may read the paused run from
the database). The drivers then either
drain the loop into a RunOutput or deliver the events the caller asked for.
"""

from __future__ import annotations

import copy
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import uuid4

from agentos._ids import new_id
from agentos.agent._debug import debug_from_env
from agentos.agent._hitl import PAUSED_RUNS, PausedRun, apply_updates
from agentos.agent._run import plan_structured_output, resume_run, start_run
from agentos.agent._state import _DEFAULT_EVENTS_TO_SKIP, RunOptions, RunState
from agentos.media import Audio, File, Image, Video
from agentos.run import CustomEvent, RunContext, RunInput, RunOutput, RunOutputEvent, RunStatus

if TYPE_CHECKING:
    from agentos.agent._agent import Agent


@dataclass(slots=True)
class Media:
    images: Sequence[Image] | None = None
    audio: Sequence[Audio] | None = None
    videos: Sequence[Video] | None = None
    files: Sequence[File] | None = None


def _pick(value: Any, default: Any) -> Any:
    return default if value is None else value


def _events_to_skip(agent: Agent) -> frozenset[str]:
    if agent.events_to_skip is None:
        return _DEFAULT_EVENTS_TO_SKIP
    return frozenset(str(getattr(e, "value", e)) for e in agent.events_to_skip)


def _options(agent: Agent, stream: bool | None, kwargs: Mapping[str, Any]) -> RunOptions:
    return RunOptions(
        stream=bool(_pick(stream, agent.stream)),
        stream_events=bool(_pick(kwargs.get("stream_events"), agent.stream_events)),
        store_events=agent.store_events,
        events_to_skip=_events_to_skip(agent),
        output_schema=_pick(kwargs.get("output_schema"), agent.output_schema),
        add_dependencies_to_context=bool(
            _pick(kwargs.get("add_dependencies_to_context"), agent.add_dependencies_to_context)
        ),
        add_session_state_to_context=bool(
            _pick(kwargs.get("add_session_state_to_context"), agent.add_session_state_to_context)
        ),
        add_history_to_context=bool(
            _pick(kwargs.get("add_history_to_context"), agent.add_history_to_context)
        ),
        # The run's choice, else the Agent's, else AGENTOS_DEBUG (as Agno's AGNO_DEBUG).
        debug_mode=bool(_pick(kwargs.get("debug_mode"), agent.debug_mode or debug_from_env())),
        debug_level=int(agent.debug_level or 1),
        retries=int(_pick(kwargs.get("retries"), agent.retries)),
    )


def _merged(
    base: dict[str, Any] | None, override: dict[str, Any] | None, *, deep: bool
) -> dict[str, Any] | None:
    if not base and override is None:
        return None
    merged = (copy.deepcopy(base) if deep else dict(base)) if base else {}
    if override:
        merged.update(override)
    return merged


def prepare_run(
    agent: Agent, input: Any, *, stream: bool | None, kwargs: Mapping[str, Any]
) -> tuple[RunState, Media]:
    model = agent._main_model()
    tools = agent._tools()
    run_id = kwargs.get("run_id") or new_id()
    session_id = kwargs.get("session_id") or agent.session_id or new_id()
    user_id = kwargs.get("user_id") or agent.user_id
    metadata = _merged(agent.metadata, kwargs.get("metadata"), deep=False)
    context = RunContext(
        run_id=run_id,
        session_id=session_id,
        user_id=user_id,
        # The agent's default state is copied: a run's tools must not change the shared default.
        session_state=_merged(agent.session_state, kwargs.get("session_state"), deep=True) or {},
        dependencies=_merged(agent.dependencies, kwargs.get("dependencies"), deep=False),
        knowledge_filters=_pick(kwargs.get("knowledge_filters"), agent.knowledge_filters),
        metadata=metadata,
    )
    media = Media(
        images=kwargs.get("images"),
        audio=kwargs.get("audio"),
        videos=kwargs.get("videos"),
        files=kwargs.get("files"),
    )
    output = RunOutput(
        run_id=run_id,
        agent_id=agent.id,
        agent_name=agent.name,
        session_id=session_id,
        user_id=user_id,
        model=model.id,
        model_provider=model.provider,
        metadata=metadata,
        input=RunInput(
            input_content=input,
            images=list(media.images) if media.images else None,
            videos=list(media.videos) if media.videos else None,
            audio=list(media.audio) if media.audio else None,
            files=list(media.files) if media.files else None,
        ),
    )
    state = RunState(
        agent=agent,
        context=context,
        output=output,
        options=_options(agent, stream, kwargs),
        model=model,
        tools=tools,
    )
    requested_state = kwargs.get("session_state")
    if requested_state is not None and agent.db is not None:
        # Merged over the stored state once the session is loaded (see _session.load_session).
        state.requested_session_state = copy.deepcopy(requested_state)
    return state, media


def _drive(state: RunState, input: Any, media: Media) -> AsyncIterator[RunOutputEvent]:
    # Not a generator of its own: every event of a streamed run passes through each layer.
    return start_run(
        state, input, images=media.images, audio=media.audio, videos=media.videos, files=media.files
    )


async def run_to_output(state: RunState, input: Any, media: Media) -> RunOutput:
    async for _ in _drive(state, input, media):
        pass
    return state.output


async def stream_events(
    state: RunState, input: Any, media: Media, *, yield_run_output: bool = False
) -> AsyncIterator[RunOutputEvent | RunOutput]:
    """The delivered events; with ``yield_run_output`` the final RunOutput follows the terminal
    event (a server relaying the stream also needs the whole run: messages, tools, metrics)."""
    delivers = state.options.delivers
    async for event in _drive(state, input, media):
        if delivers(event.event) or isinstance(event, CustomEvent):
            yield event
    if yield_run_output:
        yield state.output


# Continuing ----------------------------------------------------------------------------------


@dataclass(slots=True)
class ContinuePlan:
    """A ``continue_run`` call, checked; its RunState is built when the run is driven (loading a
    paused run from the database is async)."""

    agent: Agent
    run_id: str
    run_response: RunOutput | None
    paused: PausedRun | None
    options: RunOptions
    kwargs: Mapping[str, Any]


def prepare_continue(
    agent: Agent, run_response: RunOutput | str | None, *, stream: bool | None, kwargs: Mapping[str, Any]
) -> ContinuePlan:
    run_id = kwargs.get("run_id")
    if isinstance(run_response, str):
        run_id, run_response = run_response, None
    if run_response is not None:
        run_id = run_response.run_id
    if not run_id:
        raise ValueError("continue_run needs the paused run: pass run_response=<RunOutput> or run_id=<id>")
    paused = PAUSED_RUNS.take(run_id)
    if paused is None and run_response is None and agent.db is None:
        raise ValueError(
            f"no paused run {run_id!r} in this process (it may have expired or been continued already); "
            "pass run_response=<the paused RunOutput> instead"
        )
    agent._main_model()  # fail now, not when the run is driven, when the agent has no model
    return ContinuePlan(
        agent=agent,
        run_id=run_id,
        run_response=run_response,
        paused=paused,
        options=_options(agent, stream, kwargs),
        kwargs=kwargs,
    )


async def _stored_paused_run(agent: Agent, run_id: str, user_id: str | None) -> tuple[RunOutput, int]:
    """A paused run from the database (any process may have paused it) and its last sequence."""
    from agentos.agent._session import SEQUENCE_KEY, run_from_record

    record = await agent.db.get_run(run_id, user_id=user_id)
    if record is None:
        raise ValueError(f"no paused run {run_id!r} in this process or in the database")
    sequence = record.run_data.get(SEQUENCE_KEY)
    return run_from_record(agent, record), int(sequence) if isinstance(sequence, int) else 0


async def continue_state(plan: ContinuePlan) -> RunState:
    """The RunState of a continued run: from this process's paused runs, the given RunOutput, or
    the database."""
    agent = plan.agent
    kwargs = plan.kwargs
    run_id = plan.run_id
    run_response = plan.run_response
    paused = plan.paused
    model = agent._main_model()
    tools = agent._tools()
    if paused is not None:
        output = paused.output
        if run_response is not None and run_response is not output:
            # A copy of the paused output (e.g. deserialized): take the human's decisions from it.
            apply_updates(output.tools or [], run_response.tools, run_response.requirements)
        context = paused.context
        messages = paused.messages
        tool_call_count = paused.tool_call_count
        content_parts = paused.content_parts
        sequence = paused.sequence
        output_schema = paused.output_schema
    else:
        stored_sequence = 0
        if run_response is None:
            run_response, stored_sequence = await _stored_paused_run(agent, run_id, kwargs.get("user_id"))
        output = run_response
        context = RunContext(
            run_id=run_id,
            session_id=output.session_id or str(uuid4()),
            user_id=output.user_id,
            session_state=dict(output.session_state or {}),
            dependencies=_merged(agent.dependencies, None, deep=False),
            metadata=output.metadata,
        )
        messages = list(output.messages or [])
        tool_call_count = sum(1 for t in output.tools or () if not t.tool_call_error)
        content_parts = [output.content] if isinstance(output.content, str) and output.content else []
        sequence = max(max((e.sequence for e in output.events or ()), default=0) + 1, stored_sequence)
        output_schema = agent.output_schema
    if output.status != RunStatus.paused:
        raise ValueError(f"run {run_id!r} is not paused (status {output.status.value})")
    apply_updates(output.tools or [], kwargs.get("updated_tools"), kwargs.get("requirements"))
    if kwargs.get("user_id"):
        context.user_id = kwargs["user_id"]
    if kwargs.get("dependencies"):
        context.dependencies = {**(context.dependencies or {}), **kwargs["dependencies"]}
    if kwargs.get("knowledge_filters") is not None:
        context.knowledge_filters = kwargs["knowledge_filters"]
    options = plan.options
    options.output_schema = output_schema
    output.status = RunStatus.running
    output.requirements = None
    output.error = None
    state = RunState(agent=agent, context=context, output=output, options=options, model=model, tools=tools)
    state.messages = messages
    state.tool_call_count = tool_call_count
    state.content_parts = list(content_parts)
    state.sequence = sequence
    state.duration_offset = state.metrics.duration or 0.0
    plan_structured_output(state)
    return state


def cancel_paused(run_id: str, reason: str | None = None) -> bool:
    """Cancel a run that is paused in this process: it can no longer be continued."""
    paused = PAUSED_RUNS.take(run_id)
    if paused is None:
        return False
    paused.output.status = RunStatus.cancelled
    paused.output.requirements = None
    return True


def _drive_continue(state: RunState) -> AsyncIterator[RunOutputEvent]:
    return resume_run(state)


async def continue_to_output(plan: ContinuePlan) -> RunOutput:
    state = await continue_state(plan)
    async for _ in _drive_continue(state):
        pass
    return state.output


async def stream_continue(
    plan: ContinuePlan, *, yield_run_output: bool = False
) -> AsyncIterator[RunOutputEvent | RunOutput]:
    state = await continue_state(plan)
    delivers = state.options.delivers
    async for event in _drive_continue(state):
        if delivers(event.event) or isinstance(event, CustomEvent):
            yield event
    if yield_run_output:
        yield state.output
