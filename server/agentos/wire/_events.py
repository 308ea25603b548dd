"""Run events <-> ``agentos.v1.RunEvent`` (envelope + one payload of the oneof).

Table-driven: each event class has one ``EventCodec`` naming its payload case, the functions
that fill and read the payload, and which of the class's fields the payload carries and which
the contract has no place for (``dropped``). The envelope (identity, workflow step context,
``created_at``, ``sequence``) is shared. The team and workflow families add their codecs to the
same table with ``register_event_codec`` when their classes exist; a test checks that every
event class of ``agentos.run`` has a codec and that every field of it is accounted for.

This runs once per streamed chunk, so it avoids json_format and generic reflection: payloads are
filled in place with attribute assignment (measured faster than keyword construction with upb),
and the codec of a class is looked up in a dict (subclasses are resolved once and cached).

Custom events travel as ``CustomEvent{name, data}``: the class name, and the instance's fields
(including the base ``content``/``tools`` when set) as JSON. The receiving side rebuilds the
class when it knows it (passed in ``custom_events``, or a loaded ``CustomEvent`` subclass with a
unique name), with the field values as JSON data (nested objects are not rebuilt, except
``tools``); otherwise it returns an ``UnknownCustomEvent`` holding the name and data, which
re-encodes to the same payload (so a gateway forwards it unchanged).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agentos.run import (
    BaseRunEvent,
    CustomEvent,
    IntermediateRunContentEvent,
    MemoryUpdateCompletedEvent,
    MemoryUpdateStartedEvent,
    OutputModelResponseCompletedEvent,
    OutputModelResponseStartedEvent,
    ParserModelResponseCompletedEvent,
    ParserModelResponseStartedEvent,
    PostHookCompletedEvent,
    PostHookStartedEvent,
    PreHookCompletedEvent,
    PreHookStartedEvent,
    ReasoningCompletedEvent,
    ReasoningStartedEvent,
    ReasoningStepEvent,
    RunCancelledEvent,
    RunCompletedEvent,
    RunContentCompletedEvent,
    RunContentEvent,
    RunContinuedEvent,
    RunErrorEvent,
    RunPausedEvent,
    RunStartedEvent,
    SessionSummaryCompletedEvent,
    SessionSummaryStartedEvent,
    ToolCallCompletedEvent,
    ToolCallErrorEvent,
    ToolCallStartedEvent,
)
from agentos.run._restore import tool_execution_from_dict
from agentos.v1 import events_pb2
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
from agentos.wire._runs import fill_run_input, run_input_from_proto
from agentos.wire._sessions import fill_session_summary, session_summary_from_proto
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
    jsonable,
)


class UnsupportedEventError(ValueError):
    """A RunEvent whose payload has no domain event class here (e.g. RunSnapshot, or a newer case)."""


@dataclass(slots=True, kw_only=True)
class UnknownCustomEvent(CustomEvent):
    """A custom event whose class this process does not know: its class name and fields as sent."""

    name: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class DecodeOptions:
    """What the receiving side knows: the run's output schema and its custom event classes."""

    output_schema: OutputSchema = None
    custom_events: Mapping[str, type[CustomEvent]] | None = None


@dataclass(frozen=True, slots=True)
class EventCodec:
    """How one event class travels: its payload case and the fields it carries or drops."""

    cls: type[BaseRunEvent]
    payload: str
    event: str
    fill: Callable[[Any, Any], None]
    read: Callable[[Any, DecodeOptions], dict[str, Any]]
    carried: frozenset[str]
    dropped: frozenset[str]
    fill_envelope: Callable[[events_pb2.RunEvent, Any], None]
    read_envelope: Callable[[events_pb2.RunEvent], dict[str, Any]]


# Envelope ------------------------------------------------------------------------------------

# Fields of BaseRunEvent/BaseAgentRunEvent that the envelope carries (``event`` is derived).
AGENT_ENVELOPE_FIELDS = frozenset(
    {
        "event",
        "created_at",
        "run_id",
        "parent_run_id",
        "session_id",
        "workflow_id",
        "workflow_run_id",
        "step_id",
        "step_name",
        "step_index",
        "sequence",
        "agent_id",
        "agent_name",
    }
)


def _fill_agent_envelope(pb: events_pb2.RunEvent, event: Any) -> None:
    value = event.run_id
    if value:
        pb.run_id = value
    value = event.parent_run_id
    if value:
        pb.parent_run_id = value
    value = event.session_id
    if value:
        pb.session_id = value
    value = event.agent_id
    if value:
        pb.agent_id = value
    value = event.agent_name
    if value:
        pb.agent_name = value
    value = event.workflow_id
    if value:
        pb.workflow_id = value
    value = event.workflow_run_id
    if value:
        pb.workflow_run_id = value
    value = event.step_id
    if value:
        pb.step_id = value
    value = event.step_name
    if value:
        pb.step_name = value
    if event.step_index is not None:
        pb.step_index = event.step_index
    pb.created_at.seconds = int(event.created_at)
    pb.sequence = event.sequence


def _read_agent_envelope(pb: events_pb2.RunEvent) -> dict[str, Any]:
    return {
        "created_at": pb.created_at.seconds,
        "run_id": pb.run_id or None,
        "parent_run_id": pb.parent_run_id or None,
        "session_id": pb.session_id or None,
        "workflow_id": pb.workflow_id or None,
        "workflow_run_id": pb.workflow_run_id or None,
        "step_id": pb.step_id or None,
        "step_name": pb.step_name or None,
        "step_index": pb.step_index if pb.HasField("step_index") else None,
        "sequence": pb.sequence,
        "agent_id": pb.agent_id,
        "agent_name": pb.agent_name,
    }


# Payloads ------------------------------------------------------------------------------------


def _nothing(_payload: Any, _event: Any) -> None:
    return None


def _read_nothing(_payload: Any, _options: DecodeOptions) -> dict[str, Any]:
    return {}


def _read_content(payload: Any, options: DecodeOptions) -> tuple[Any, str]:
    content_type = payload.content_type or "str"
    if not payload.HasField("content"):
        return None, content_type
    return content_from_value(payload.content, content_type, options.output_schema), content_type


def _fill_run_started(p: events_pb2.RunStarted, e: RunStartedEvent) -> None:
    if e.model:
        p.model = e.model
    if e.model_provider:
        p.model_provider = e.model_provider


def _read_run_started(p: events_pb2.RunStarted, _o: DecodeOptions) -> dict[str, Any]:
    return {"model": p.model, "model_provider": p.model_provider}


def _fill_run_content(p: events_pb2.RunContent, e: RunContentEvent) -> None:
    content = e.content
    if content is not None:
        if type(content) is str:
            p.content.string_value = content
        else:
            fill_value(p.content, content)
    p.content_type = e.content_type
    if e.reasoning_content:
        p.reasoning_content = e.reasoning_content
    if e.citations is not None:
        fill_citations(p.citations, e.citations)
    if e.model_provider_data is not None:
        fill_struct_any(p.model_provider_data, e.model_provider_data)
    if e.response_audio is not None:
        fill_audio(p.response_audio, e.response_audio)
    if e.image is not None:
        fill_image(p.image, e.image)
    if e.references:
        fill_references(p.references, e.references)
    if e.additional_input:
        add_messages(p.additional_input, e.additional_input)
    if e.reasoning_steps:
        fill_reasoning_steps(p.reasoning_steps, e.reasoning_steps)
    if e.reasoning_messages:
        add_messages(p.reasoning_messages, e.reasoning_messages)


def _read_run_content(p: events_pb2.RunContent, o: DecodeOptions) -> dict[str, Any]:
    content_type = p.content_type or "str"
    if p.HasField("content"):
        value = p.content
        content = (
            value.string_value
            if value.WhichOneof("kind") == "string_value"
            else content_from_value(value, content_type, o.output_schema)
        )
    else:
        content = None
    return {
        "content": content,
        "content_type": content_type,
        "reasoning_content": p.reasoning_content or None,
        "citations": citations_from_proto(p.citations) if p.HasField("citations") else None,
        "model_provider_data": (
            from_struct(p.model_provider_data) if p.HasField("model_provider_data") else None
        ),
        "response_audio": audio_from_proto(p.response_audio) if p.HasField("response_audio") else None,
        "image": image_from_proto(p.image) if p.HasField("image") else None,
        "references": references_from_proto(p.references) if p.references else None,
        "additional_input": read_messages(p.additional_input) if p.additional_input else None,
        "reasoning_steps": reasoning_steps_from_proto(p.reasoning_steps) if p.reasoning_steps else None,
        "reasoning_messages": read_messages(p.reasoning_messages) if p.reasoning_messages else None,
    }


def _fill_content_and_type(p: Any, e: Any) -> None:
    if e.content is not None:
        fill_content(p.content, e.content)
    p.content_type = e.content_type


def _read_content_and_type(p: Any, o: DecodeOptions) -> dict[str, Any]:
    content, content_type = _read_content(p, o)
    return {"content": content, "content_type": content_type}


def _fill_run_completed(p: events_pb2.RunCompleted, e: RunCompletedEvent) -> None:
    _fill_content_and_type(p, e)
    if e.reasoning_content:
        p.reasoning_content = e.reasoning_content
    if e.citations is not None:
        fill_citations(p.citations, e.citations)
    if e.model_provider_data is not None:
        fill_struct_any(p.model_provider_data, e.model_provider_data)
    add_all(p.images, e.images, fill_image)
    add_all(p.videos, e.videos, fill_video)
    add_all(p.audio, e.audio, fill_audio)
    add_all(p.files, e.files, fill_file)
    if e.response_audio is not None:
        fill_audio(p.response_audio, e.response_audio)
    fill_references(p.references, e.references)
    add_messages(p.additional_input, e.additional_input)
    fill_reasoning_steps(p.reasoning_steps, e.reasoning_steps)
    add_messages(p.reasoning_messages, e.reasoning_messages)
    if e.metadata is not None:
        p.metadata.SetInParent()
        fill_struct(p.metadata, e.metadata)
    if e.metrics is not None:
        fill_metrics(p.metrics, e.metrics)
    if e.session_state is not None:
        p.session_state.SetInParent()
        fill_struct(p.session_state, e.session_state)


def _read_run_completed(p: events_pb2.RunCompleted, o: DecodeOptions) -> dict[str, Any]:
    content, content_type = _read_content(p, o)
    return {
        "content": content,
        "content_type": content_type,
        "reasoning_content": p.reasoning_content or None,
        "citations": citations_from_proto(p.citations) if p.HasField("citations") else None,
        "model_provider_data": (
            from_struct(p.model_provider_data) if p.HasField("model_provider_data") else None
        ),
        "images": read_all(p.images, image_from_proto),
        "videos": read_all(p.videos, video_from_proto),
        "audio": read_all(p.audio, audio_from_proto),
        "files": read_all(p.files, file_from_proto),
        "response_audio": audio_from_proto(p.response_audio) if p.HasField("response_audio") else None,
        "references": references_from_proto(p.references),
        "additional_input": read_messages(p.additional_input),
        "reasoning_steps": reasoning_steps_from_proto(p.reasoning_steps),
        "reasoning_messages": read_messages(p.reasoning_messages),
        "metadata": from_struct(p.metadata) if p.HasField("metadata") else None,
        "metrics": metrics_from_proto(p.metrics) if p.HasField("metrics") else None,
        "session_state": from_struct(p.session_state) if p.HasField("session_state") else None,
    }


def _fill_run_paused(p: events_pb2.RunPaused, e: RunPausedEvent) -> None:
    for tool in e.tools or ():
        fill_tool_execution(p.tools.add(), tool)
    run_id = e.run_id or ""
    for requirement in e.requirements or ():
        fill_requirement(p.requirements.add(), requirement, run_id)


def _read_run_paused(p: events_pb2.RunPaused, _o: DecodeOptions) -> dict[str, Any]:
    tools = [tool_execution_from_proto(t) for t in p.tools] or None
    requirements = [requirement_from_proto(r) for r in p.requirements] or None
    if tools and requirements:
        by_call = {t.tool_call_id: t for t in tools}
        for requirement in requirements:
            shared = by_call.get(requirement.tool_execution.tool_call_id)
            if shared is not None:
                requirement.tool_execution = shared  # one record, as the engine emits it
    return {"tools": tools, "requirements": requirements}


def _fill_run_error(p: events_pb2.RunError, e: RunErrorEvent) -> None:
    fill_error_detail(p.error, e.content, e.error_type, e.additional_data)


def _read_run_error(p: events_pb2.RunError, _o: DecodeOptions) -> dict[str, Any]:
    message, error_type, data = error_parts_from_proto(p.error)
    return {"content": message, "error_type": error_type, "additional_data": data}


def _fill_run_cancelled(p: events_pb2.RunCancelled, e: RunCancelledEvent) -> None:
    if e.reason:
        p.reason = e.reason


def _read_run_cancelled(p: events_pb2.RunCancelled, _o: DecodeOptions) -> dict[str, Any]:
    return {"reason": p.reason or None}


def _fill_pre_hook(p: Any, e: Any) -> None:
    if e.pre_hook_name:
        p.pre_hook_name = e.pre_hook_name
    if e.run_input is not None:
        fill_run_input(p.run_input, e.run_input)


def _read_pre_hook(p: Any, _o: DecodeOptions) -> dict[str, Any]:
    return {
        "pre_hook_name": p.pre_hook_name or None,
        "run_input": run_input_from_proto(p.run_input) if p.HasField("run_input") else None,
    }


def _fill_post_hook(p: Any, e: Any) -> None:
    if e.post_hook_name:
        p.post_hook_name = e.post_hook_name


def _read_post_hook(p: Any, _o: DecodeOptions) -> dict[str, Any]:
    return {"post_hook_name": p.post_hook_name or None}


def _fill_reasoning_step(p: events_pb2.ReasoningStep, e: ReasoningStepEvent) -> None:
    _fill_content_and_type(p, e)
    if e.reasoning_content:
        p.reasoning_content = e.reasoning_content


def _read_reasoning_step(p: events_pb2.ReasoningStep, o: DecodeOptions) -> dict[str, Any]:
    content, content_type = _read_content(p, o)
    return {"content": content, "content_type": content_type, "reasoning_content": p.reasoning_content}


def _fill_tool_call_started(p: events_pb2.ToolCallStarted, e: ToolCallStartedEvent) -> None:
    if e.tool is not None:
        fill_tool_execution(p.tool, e.tool)


def _read_tool(p: Any) -> Any:
    return tool_execution_from_proto(p.tool) if p.HasField("tool") else None


def _read_tool_call_started(p: events_pb2.ToolCallStarted, _o: DecodeOptions) -> dict[str, Any]:
    return {"tool": _read_tool(p)}


def _fill_tool_call_completed(p: events_pb2.ToolCallCompleted, e: ToolCallCompletedEvent) -> None:
    if e.tool is not None:
        fill_tool_execution(p.tool, e.tool)
    if e.content is not None:
        fill_content(p.content, e.content)
    add_all(p.images, e.images, fill_image)
    add_all(p.videos, e.videos, fill_video)
    add_all(p.audio, e.audio, fill_audio)
    add_all(p.files, e.files, fill_file)


def _read_tool_call_completed(p: events_pb2.ToolCallCompleted, _o: DecodeOptions) -> dict[str, Any]:
    return {
        "tool": _read_tool(p),
        "content": from_value(p.content) if p.HasField("content") else None,
        "images": read_all(p.images, image_from_proto),
        "videos": read_all(p.videos, video_from_proto),
        "audio": read_all(p.audio, audio_from_proto),
        "files": read_all(p.files, file_from_proto),
    }


def _fill_tool_call_error(p: events_pb2.ToolCallError, e: ToolCallErrorEvent) -> None:
    if e.tool is not None:
        fill_tool_execution(p.tool, e.tool)
    if e.error:
        p.error = e.error


def _read_tool_call_error(p: events_pb2.ToolCallError, _o: DecodeOptions) -> dict[str, Any]:
    return {"tool": _read_tool(p), "error": p.error or None}


def _fill_session_summary_completed(
    p: events_pb2.SessionSummaryCompleted, e: SessionSummaryCompletedEvent
) -> None:
    if e.session_summary is not None:
        fill_session_summary(p.session_summary, e.session_summary)


def _read_session_summary_completed(
    p: events_pb2.SessionSummaryCompleted, _o: DecodeOptions
) -> dict[str, Any]:
    return {
        "session_summary": (
            session_summary_from_proto(p.session_summary) if p.HasField("session_summary") else None
        )
    }


# Custom events -------------------------------------------------------------------------------


def _custom_event_fields(event: CustomEvent) -> dict[str, Any]:
    if isinstance(event, UnknownCustomEvent):
        return event.data
    data: dict[str, Any] = {}
    for f in dataclasses.fields(event):
        if f.name in AGENT_ENVELOPE_FIELDS:
            continue
        value = getattr(event, f.name)
        if value is not None:
            data[f.name] = jsonable(value)
    return data


def _fill_custom(p: events_pb2.CustomEvent, e: CustomEvent) -> None:
    p.name = e.name if isinstance(e, UnknownCustomEvent) else type(e).__name__
    p.data.SetInParent()
    fill_struct(p.data, _custom_event_fields(e))


def _custom_class(name: str, options: DecodeOptions) -> type[CustomEvent] | None:
    if options.custom_events is not None and name in options.custom_events:
        return options.custom_events[name]
    if name == CustomEvent.__name__:
        return CustomEvent
    found = [
        cls for cls in _subclasses(CustomEvent) if cls.__name__ == name and cls is not UnknownCustomEvent
    ]
    return found[0] if len(found) == 1 else None


def _subclasses(cls: type[CustomEvent]) -> Iterable[type[CustomEvent]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def _decode_custom(pb: events_pb2.RunEvent, envelope: dict[str, Any], options: DecodeOptions) -> BaseRunEvent:
    payload = pb.custom_event
    data = from_struct(payload.data)
    cls = _custom_class(payload.name, options)
    if cls is None:
        return UnknownCustomEvent(**envelope, name=payload.name, data=data)
    names = {f.name for f in dataclasses.fields(cls) if f.init} - AGENT_ENVELOPE_FIELDS
    kwargs = {k: v for k, v in data.items() if k in names}
    if isinstance(kwargs.get("tools"), list):
        kwargs["tools"] = [tool_execution_from_dict(t) for t in kwargs["tools"] if isinstance(t, dict)]
    try:
        return cls(**envelope, **kwargs)
    except TypeError:
        # The class needs arguments the sender did not give (or differs): keep what was sent.
        return UnknownCustomEvent(**envelope, name=payload.name, data=data)


# The table -----------------------------------------------------------------------------------

_BY_CLASS: dict[type, EventCodec] = {}
_BY_PAYLOAD: dict[str, EventCodec] = {}


def register_event_codec(
    cls: type[BaseRunEvent],
    payload: str,
    fill: Callable[[Any, Any], None],
    read: Callable[[Any, DecodeOptions], dict[str, Any]],
    *,
    carried: Iterable[str] = (),
    dropped: Iterable[str] = (),
    fill_envelope: Callable[[events_pb2.RunEvent, Any], None] = _fill_agent_envelope,
    read_envelope: Callable[[events_pb2.RunEvent], dict[str, Any]] = _read_agent_envelope,
) -> EventCodec:
    """Map an event class to its payload case (used by the agent table below; teams and workflows next)."""
    if events_pb2.RunEvent.DESCRIPTOR.fields_by_name.get(payload) is None:
        raise ValueError(f"RunEvent has no payload field {payload!r}")
    event = next(f.default for f in dataclasses.fields(cls) if f.name == "event")
    codec = EventCodec(
        cls=cls,
        payload=payload,
        event=str(event),
        fill=fill,
        read=read,
        carried=frozenset(carried),
        dropped=frozenset(dropped),
        fill_envelope=fill_envelope,
        read_envelope=read_envelope,
    )
    _BY_CLASS[cls] = codec
    _BY_PAYLOAD[payload] = codec
    return codec


_NO_CONTENT = ("tools", "content")  # base fields of agent events that most payloads lack

for _cls, _payload in (
    (RunContentCompletedEvent, "run_content_completed"),
    (RunContinuedEvent, "run_continued"),
    (ReasoningStartedEvent, "reasoning_started"),
    (MemoryUpdateStartedEvent, "memory_update_started"),
    (MemoryUpdateCompletedEvent, "memory_update_completed"),
    (SessionSummaryStartedEvent, "session_summary_started"),
    (ParserModelResponseStartedEvent, "parser_model_response_started"),
    (ParserModelResponseCompletedEvent, "parser_model_response_completed"),
    (OutputModelResponseStartedEvent, "output_model_response_started"),
    (OutputModelResponseCompletedEvent, "output_model_response_completed"),
):
    register_event_codec(_cls, _payload, _nothing, _read_nothing, dropped=_NO_CONTENT)

register_event_codec(
    RunStartedEvent,
    "run_started",
    _fill_run_started,
    _read_run_started,
    carried=("model", "model_provider"),
    dropped=_NO_CONTENT,
)
register_event_codec(
    RunContentEvent,
    "run_content",
    _fill_run_content,
    _read_run_content,
    carried=(
        "content",
        "content_type",
        "reasoning_content",
        "citations",
        "model_provider_data",
        "response_audio",
        "image",
        "references",
        "additional_input",
        "reasoning_steps",
        "reasoning_messages",
    ),
    dropped=("tools",),
)
register_event_codec(
    IntermediateRunContentEvent,
    "run_intermediate_content",
    _fill_content_and_type,
    _read_content_and_type,
    carried=("content", "content_type"),
    dropped=("tools",),
)
register_event_codec(
    RunCompletedEvent,
    "run_completed",
    _fill_run_completed,
    _read_run_completed,
    carried=(
        "content",
        "content_type",
        "reasoning_content",
        "citations",
        "model_provider_data",
        "images",
        "videos",
        "audio",
        "files",
        "response_audio",
        "references",
        "additional_input",
        "reasoning_steps",
        "reasoning_messages",
        "metadata",
        "metrics",
        "session_state",
    ),
    dropped=("tools",),
)
register_event_codec(
    RunPausedEvent,
    "run_paused",
    _fill_run_paused,
    _read_run_paused,
    carried=("tools", "requirements"),
    dropped=("content",),
)
register_event_codec(
    RunErrorEvent,
    "run_error",
    _fill_run_error,
    _read_run_error,
    carried=("content", "error_type", "additional_data"),
    dropped=("tools",),
)
register_event_codec(
    RunCancelledEvent,
    "run_cancelled",
    _fill_run_cancelled,
    _read_run_cancelled,
    carried=("reason",),
    dropped=_NO_CONTENT,
)
register_event_codec(
    PreHookStartedEvent,
    "pre_hook_started",
    _fill_pre_hook,
    _read_pre_hook,
    carried=("pre_hook_name", "run_input"),
    dropped=_NO_CONTENT,
)
register_event_codec(
    PreHookCompletedEvent,
    "pre_hook_completed",
    _fill_pre_hook,
    _read_pre_hook,
    carried=("pre_hook_name", "run_input"),
    dropped=_NO_CONTENT,
)
register_event_codec(
    PostHookStartedEvent,
    "post_hook_started",
    _fill_post_hook,
    _read_post_hook,
    carried=("post_hook_name",),
    dropped=_NO_CONTENT,
)
register_event_codec(
    PostHookCompletedEvent,
    "post_hook_completed",
    _fill_post_hook,
    _read_post_hook,
    carried=("post_hook_name",),
    dropped=_NO_CONTENT,
)
register_event_codec(
    ReasoningStepEvent,
    "reasoning_step",
    _fill_reasoning_step,
    _read_reasoning_step,
    carried=("content", "content_type", "reasoning_content"),
    dropped=("tools",),
)
register_event_codec(
    ReasoningCompletedEvent,
    "reasoning_completed",
    _fill_content_and_type,
    _read_content_and_type,
    carried=("content", "content_type"),
    dropped=("tools",),
)
register_event_codec(
    ToolCallStartedEvent,
    "tool_call_started",
    _fill_tool_call_started,
    _read_tool_call_started,
    carried=("tool",),
    dropped=_NO_CONTENT,
)
register_event_codec(
    ToolCallCompletedEvent,
    "tool_call_completed",
    _fill_tool_call_completed,
    _read_tool_call_completed,
    carried=("tool", "content", "images", "videos", "audio", "files"),
    dropped=("tools",),
)
register_event_codec(
    ToolCallErrorEvent,
    "tool_call_error",
    _fill_tool_call_error,
    _read_tool_call_error,
    carried=("tool", "error"),
    dropped=_NO_CONTENT,
)
register_event_codec(
    SessionSummaryCompletedEvent,
    "session_summary_completed",
    _fill_session_summary_completed,
    _read_session_summary_completed,
    carried=("session_summary",),
    dropped=_NO_CONTENT,
)
# CustomEvent carries every non-envelope field of the instance (decoded by _decode_custom).
register_event_codec(CustomEvent, "custom_event", _fill_custom, _read_nothing, carried=_NO_CONTENT)


def event_codec(cls: type[BaseRunEvent]) -> EventCodec | None:
    """The codec of an event class (subclasses of a mapped class use their base's codec)."""
    codec = _BY_CLASS.get(cls)
    if codec is None:
        for base in cls.__mro__[1:]:
            codec = _BY_CLASS.get(base)
            if codec is not None:
                _BY_CLASS[cls] = codec
                break
    return codec


def mapped_event_classes() -> frozenset[type[BaseRunEvent]]:
    """Event classes with a codec of their own (not inherited)."""
    return frozenset(codec.cls for codec in _BY_PAYLOAD.values())


# Public conversion -----------------------------------------------------------------------------


def fill_event(target: events_pb2.RunEvent, event: BaseRunEvent, *, user_id: str = "") -> None:
    codec = _BY_CLASS.get(type(event)) or event_codec(type(event))
    if codec is None:
        raise TypeError(f"{type(event).__name__} has no RunEvent mapping")
    codec.fill_envelope(target, event)
    if user_id:
        target.user_id = user_id
    target.event = codec.event
    payload = getattr(target, codec.payload)
    payload.SetInParent()
    codec.fill(payload, event)


def event_to_proto(event: BaseRunEvent, *, user_id: str = "") -> events_pb2.RunEvent:
    """The RunEvent of a domain event; ``user_id`` fills the envelope field the domain lacks."""
    out = events_pb2.RunEvent()
    fill_event(out, event, user_id=user_id)
    return out


def event_from_proto(
    pb: events_pb2.RunEvent,
    *,
    output_schema: OutputSchema = None,
    custom_events: Mapping[str, type[CustomEvent]] | None = None,
) -> BaseRunEvent:
    """The domain event of a RunEvent (the same classes a local run yields).

    ``output_schema`` rebuilds structured content; ``custom_events`` maps class names to the
    caller's CustomEvent subclasses. Raises UnsupportedEventError for payloads without a domain
    class (``run_snapshot``: read its Run with ``run_from_proto``; team and workflow events until
    their classes exist; cases added by a newer server).
    """
    case = pb.WhichOneof("payload")
    codec = _BY_PAYLOAD.get(case) if case is not None else None
    if codec is None:
        raise UnsupportedEventError(
            f"RunEvent payload {case or '<unknown>'!r} (event {pb.event!r}) has no domain event class"
        )
    options = (
        _DEFAULT_OPTIONS
        if output_schema is None and custom_events is None
        else DecodeOptions(output_schema=output_schema, custom_events=custom_events)
    )
    envelope = codec.read_envelope(pb)
    if codec.cls is CustomEvent:
        return _decode_custom(pb, envelope, options)
    return codec.cls(**envelope, **codec.read(getattr(pb, case), options))


_DEFAULT_OPTIONS = DecodeOptions()
