"""``RunOutput`` <-> ``agentos.v1.Run``, ``RunInput`` <-> ``agentos.v1.RunInput``, status <-> state.

Not in the ``Run`` message, so not carried (a client gets them from the stream instead):
``events``, and ``workflow_id`` of an agent run nested in a workflow (the contract's
``workflow_id`` is a target, exclusive with ``agent_id``). ``additional_input`` travels with the
messages, in the full view only. The error of a failed run
is sent with the reason derived from the run's last ``RunErrorEvent`` when events were stored
(the server may pass a complete ``ErrorDetail`` instead); ``cancellation_reason``,
``event_count`` and ``last_sequence`` likewise come from stored events unless given. ``tools``
comes back as a list even when empty (engine-made runs always have one), so ``tools=None``
comes back as ``[]``. Durations have nanosecond resolution (Duration). Team and
workflow runs (``TeamRunOutput``, ``WorkflowRunOutput``, ``StepResult``) are not converted yet
because those domain classes do not exist yet.
"""

from __future__ import annotations

from typing import Any

from agentos.models import Message
from agentos.run import (
    RunCancelledEvent,
    RunErrorEvent,
    RunInput,
    RunOutput,
    RunStatus,
)
from agentos.v1 import common_pb2, runs_pb2
from agentos.wire._content import (
    OutputSchema,
    citations_from_proto,
    content_from_value,
    fill_citations,
    fill_content,
    fill_reasoning_steps,
    fill_references,
    reasoning_steps_from_proto,
    references_from_proto,
)
from agentos.wire._errors import error_parts_from_proto, fill_error_detail
from agentos.wire._media import (
    add_all,
    audio_from_proto,
    file_from_proto,
    fill_audio,
    fill_file,
    fill_image,
    fill_video,
    image_from_proto,
    read_all,
    video_from_proto,
)
from agentos.wire._messages import add_messages, read_messages
from agentos.wire._metrics import fill_metrics, metrics_from_proto
from agentos.wire._tools import (
    fill_requirement,
    fill_tool_execution,
    requirement_from_proto,
    tool_execution_from_proto,
)
from agentos.wire._values import (
    fill_struct,
    fill_struct_any,
    fill_value,
    from_struct,
    from_value,
    set_timestamp,
)

_STATE_OF: dict[RunStatus, runs_pb2.RunState] = {
    RunStatus.pending: runs_pb2.RUN_STATE_PENDING,
    RunStatus.running: runs_pb2.RUN_STATE_RUNNING,
    RunStatus.paused: runs_pb2.RUN_STATE_PAUSED,
    RunStatus.completed: runs_pb2.RUN_STATE_COMPLETED,
    RunStatus.cancelled: runs_pb2.RUN_STATE_CANCELLED,
    RunStatus.error: runs_pb2.RUN_STATE_FAILED,
}
_STATUS_OF = {state: status for status, state in _STATE_OF.items()}


def run_status_to_state(status: RunStatus) -> runs_pb2.RunState:
    return _STATE_OF[status]


def run_state_to_status(state: runs_pb2.RunState) -> RunStatus:
    """The domain status; ``RUN_STATE_UNSPECIFIED`` (never sent by a server) is a ValueError."""
    try:
        return _STATUS_OF[state]
    except KeyError:
        raise ValueError(f"run state {state} has no RunStatus (unspecified or unknown)") from None


# RunInput ------------------------------------------------------------------------------------


def fill_run_input(target: runs_pb2.RunInput, run_input: RunInput) -> None:
    """Text goes to ``message``, a list of Messages (or one) to ``messages``, anything else to ``input``."""
    target.SetInParent()
    content = run_input.input_content
    if isinstance(content, str):
        if content:
            target.message = content
    elif isinstance(content, Message):
        add_messages(target.messages, [content])
    elif isinstance(content, list) and content and all(isinstance(m, Message) for m in content):
        add_messages(target.messages, content)
    elif content is not None:
        fill_value(target.input, content)
    add_all(target.images, run_input.images, fill_image)
    add_all(target.audio, run_input.audio, fill_audio)
    add_all(target.videos, run_input.videos, fill_video)
    add_all(target.files, run_input.files, fill_file)


def run_input_to_proto(run_input: RunInput) -> runs_pb2.RunInput:
    out = runs_pb2.RunInput()
    fill_run_input(out, run_input)
    return out


def input_content_from_parts(message: str, messages: list[Message] | None, value: Any) -> Any:
    """The domain input of message/messages/input fields (message first when both texts are given)."""
    if value is not None:
        return value
    if messages:
        return [Message(role="user", content=message), *messages] if message else messages
    return message or None


def run_input_from_proto(pb: runs_pb2.RunInput) -> RunInput:
    return RunInput(
        input_content=input_content_from_parts(
            pb.message, read_messages(pb.messages), from_value(pb.input) if pb.HasField("input") else None
        ),
        images=read_all(pb.images, image_from_proto),
        videos=read_all(pb.videos, video_from_proto),
        audio=read_all(pb.audio, audio_from_proto),
        files=read_all(pb.files, file_from_proto),
    )


# RunOutput -----------------------------------------------------------------------------------


def fill_run(
    target: runs_pb2.Run,
    output: RunOutput,
    *,
    full: bool = True,
    error: common_pb2.ErrorDetail | None = None,
    cancellation_reason: str | None = None,
    event_count: int | None = None,
    last_sequence: int | None = None,
    updated_at: int | None = None,
) -> None:
    """Write a run; ``full=False`` is RUN_VIEW_BASIC (no messages, no reasoning messages)."""
    if output.run_id:
        target.run_id = output.run_id
    if output.agent_id:
        target.agent_id = output.agent_id
    if output.agent_name:
        target.agent_name = output.agent_name
    if output.session_id:
        target.session_id = output.session_id
    if output.user_id:
        target.user_id = output.user_id
    if output.parent_run_id:
        target.parent_run_id = output.parent_run_id
    if output.workflow_step_id:
        target.workflow_step_id = output.workflow_step_id
    target.state = _STATE_OF[output.status]
    if output.input is not None:
        fill_run_input(target.input, output.input)
    if output.content is not None:
        fill_content(target.content, output.content)
    target.content_type = output.content_type
    if output.reasoning_content:
        target.reasoning_content = output.reasoning_content
    fill_reasoning_steps(target.reasoning_steps, output.reasoning_steps)
    if full:
        add_messages(target.reasoning_messages, output.reasoning_messages)
        add_messages(target.messages, output.messages)
        add_messages(target.additional_input, output.additional_input)
    for tool in output.tools or ():
        fill_tool_execution(target.tools.add(), tool)
    for requirement in output.requirements or ():
        fill_requirement(target.requirements.add(), requirement, output.run_id or "")
    if output.metrics is not None:
        fill_metrics(target.metrics, output.metrics)
    add_all(target.images, output.images, fill_image)
    add_all(target.videos, output.videos, fill_video)
    add_all(target.audio, output.audio, fill_audio)
    add_all(target.files, output.files, fill_file)
    if output.response_audio is not None:
        fill_audio(target.response_audio, output.response_audio)
    if output.citations is not None:
        fill_citations(target.citations, output.citations)
    fill_references(target.references, output.references)
    if output.model:
        target.model = output.model
    if output.model_provider:
        target.model_provider = output.model_provider
    if output.model_provider_data is not None:
        fill_struct_any(target.model_provider_data, output.model_provider_data)
    if output.metadata is not None:
        target.metadata.SetInParent()
        fill_struct(target.metadata, output.metadata)
    if output.session_state is not None:
        target.session_state.SetInParent()
        fill_struct(target.session_state, output.session_state)
    _fill_outcome(target, output, error, cancellation_reason)
    events = output.events or ()
    count = event_count if event_count is not None else len(events)
    if count:
        target.event_count = count
    last = last_sequence if last_sequence is not None else max((e.sequence for e in events), default=0)
    if last:
        target.last_sequence = last
    set_timestamp(target.created_at, output.created_at)
    if updated_at is not None:
        set_timestamp(target.updated_at, updated_at)


def _fill_outcome(
    target: runs_pb2.Run,
    output: RunOutput,
    error: common_pb2.ErrorDetail | None,
    cancellation_reason: str | None,
) -> None:
    if error is not None:
        target.error.CopyFrom(error)
    elif output.error is not None or output.status == RunStatus.error:
        last = _last_event(output, RunErrorEvent)
        fill_error_detail(
            target.error,
            output.error if output.error is not None else (last.content if last else None),
            last.error_type if last else None,
            last.additional_data if last else None,
        )
    if cancellation_reason is None and output.status == RunStatus.cancelled:
        cancelled = _last_event(output, RunCancelledEvent)
        cancellation_reason = cancelled.reason if cancelled else None
    if cancellation_reason:
        target.cancellation_reason = cancellation_reason


def _last_event(output: RunOutput, cls: type[Any]) -> Any:
    for event in reversed(output.events or ()):
        if isinstance(event, cls):
            return event
    return None


def run_to_proto(
    output: RunOutput,
    *,
    full: bool = True,
    error: common_pb2.ErrorDetail | None = None,
    cancellation_reason: str | None = None,
    event_count: int | None = None,
    last_sequence: int | None = None,
    updated_at: int | None = None,
) -> runs_pb2.Run:
    """The ``Run`` resource of an agent run (see ``fill_run`` for the options)."""
    out = runs_pb2.Run()
    fill_run(
        out,
        output,
        full=full,
        error=error,
        cancellation_reason=cancellation_reason,
        event_count=event_count,
        last_sequence=last_sequence,
        updated_at=updated_at,
    )
    return out


def run_from_proto(pb: runs_pb2.Run, *, output_schema: OutputSchema = None) -> RunOutput:
    """The ``RunOutput`` of an agent run; ``output_schema`` rebuilds structured content.

    Team and workflow runs raise NotImplementedError until ``TeamRunOutput`` and
    ``WorkflowRunOutput`` exist in ``agentos.run``.
    """
    target = pb.WhichOneof("target")
    if target in ("team_id", "workflow_id"):
        raise NotImplementedError(
            f"converting a {target.removesuffix('_id')} Run needs TeamRunOutput/WorkflowRunOutput, "
            "which agentos.run does not have yet"
        )
    # Always a list, as on every RunOutput the engine produces (``[]`` for a run without tools).
    tools = [tool_execution_from_proto(t) for t in pb.tools]
    requirements = [requirement_from_proto(r) for r in pb.requirements] or None
    if requirements and tools:
        # As in RunOutput.from_dict: a requirement shares its ToolExecution with ``tools``, so
        # resolving the requirement updates the record the engine reads on continue.
        by_call = {t.tool_call_id: t for t in tools}
        for requirement in requirements:
            shared = by_call.get(requirement.tool_execution.tool_call_id)
            if shared is not None:
                _copy_decisions(requirement.tool_execution, shared)
                requirement.tool_execution = shared
    error_message = error_parts_from_proto(pb.error)[0] if pb.HasField("error") else None
    content_type = pb.content_type or "str"
    return RunOutput(
        run_id=pb.run_id or None,
        agent_id=pb.agent_id or None,
        agent_name=pb.agent_name or None,
        session_id=pb.session_id or None,
        parent_run_id=pb.parent_run_id or None,
        workflow_step_id=pb.workflow_step_id or None,
        user_id=pb.user_id or None,
        content=content_from_value(pb.content, content_type, output_schema)
        if pb.HasField("content")
        else None,
        content_type=content_type,
        reasoning_content=pb.reasoning_content or None,
        reasoning_steps=reasoning_steps_from_proto(pb.reasoning_steps),
        reasoning_messages=read_messages(pb.reasoning_messages),
        model=pb.model or None,
        model_provider=pb.model_provider or None,
        messages=read_messages(pb.messages),
        additional_input=read_messages(pb.additional_input),
        metrics=metrics_from_proto(pb.metrics) if pb.HasField("metrics") else None,
        tools=tools,
        images=read_all(pb.images, image_from_proto),
        videos=read_all(pb.videos, video_from_proto),
        audio=read_all(pb.audio, audio_from_proto),
        files=read_all(pb.files, file_from_proto),
        response_audio=audio_from_proto(pb.response_audio) if pb.HasField("response_audio") else None,
        input=run_input_from_proto(pb.input) if pb.HasField("input") else None,
        citations=citations_from_proto(pb.citations) if pb.HasField("citations") else None,
        model_provider_data=(
            from_struct(pb.model_provider_data) if pb.HasField("model_provider_data") else None
        ),
        references=references_from_proto(pb.references),
        metadata=from_struct(pb.metadata) if pb.HasField("metadata") else None,
        session_state=from_struct(pb.session_state) if pb.HasField("session_state") else None,
        created_at=int(pb.created_at.seconds),
        status=run_state_to_status(pb.state) if pb.state else RunStatus.running,
        requirements=requirements,
        error=error_message,
    )


def _copy_decisions(source: Any, target: Any) -> None:
    """Requirement-level decisions win over the copy in ``tools`` (they are what the client set)."""
    target.confirmed = source.confirmed
    target.confirmation_note = source.confirmation_note
    target.user_input_schema = source.user_input_schema
    target.result = source.result
