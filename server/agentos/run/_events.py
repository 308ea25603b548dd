"""The typed events a run emits, named as in Agno (class ``<Name>Event``, string ``"<Name>"``).

``BaseRunEvent`` holds what every run event carries, whichever kind of runner emitted it
(agent now; team and workflow families later subclass it too): identity of the run, workflow
step context, ``created_at`` and ``sequence``. The engine assigns ``sequence`` when it emits an
event; it increases strictly within a run, so a client re-attaching to a stream can say where
it left off.

Events are slotted, keyword-only dataclasses because runs create many of them (one per streamed
delta). ``CustomEvent`` is meant to be subclassed by users with a plain ``@dataclass``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, ClassVar

from agentos.media import Audio, File, Image, Video
from agentos.models import Message, Metrics, ToolExecution
from agentos.run._input import RunInput
from agentos.run._requirement import RunRequirement
from agentos.run._serialize import dataclass_to_dict


def _now() -> int:
    return int(time.time())


class RunEvent(StrEnum):
    """Names of the agent run events (the ``event`` field of each event)."""

    run_started = "RunStarted"
    run_content = "RunContent"
    run_content_completed = "RunContentCompleted"
    run_intermediate_content = "RunIntermediateContent"
    run_completed = "RunCompleted"
    run_error = "RunError"
    run_cancelled = "RunCancelled"
    run_paused = "RunPaused"
    run_continued = "RunContinued"
    pre_hook_started = "PreHookStarted"
    pre_hook_completed = "PreHookCompleted"
    post_hook_started = "PostHookStarted"
    post_hook_completed = "PostHookCompleted"
    reasoning_started = "ReasoningStarted"
    reasoning_step = "ReasoningStep"
    reasoning_completed = "ReasoningCompleted"
    tool_call_started = "ToolCallStarted"
    tool_call_completed = "ToolCallCompleted"
    tool_call_error = "ToolCallError"
    memory_update_started = "MemoryUpdateStarted"
    memory_update_completed = "MemoryUpdateCompleted"
    session_summary_started = "SessionSummaryStarted"
    session_summary_completed = "SessionSummaryCompleted"
    parser_model_response_started = "ParserModelResponseStarted"
    parser_model_response_completed = "ParserModelResponseCompleted"
    output_model_response_started = "OutputModelResponseStarted"
    output_model_response_completed = "OutputModelResponseCompleted"
    custom_event = "CustomEvent"


@dataclass(slots=True, kw_only=True)
class BaseRunEvent:
    """Fields shared by agent, team and workflow run events."""

    event: str = ""
    created_at: int = field(default_factory=_now)
    run_id: str | None = None
    parent_run_id: str | None = None
    session_id: str | None = None
    workflow_id: str | None = None
    workflow_run_id: str | None = None
    step_id: str | None = None
    step_name: str | None = None
    step_index: int | None = None
    # Assigned by the engine at emission; strictly increasing within one run.
    sequence: int = 0

    # True for the events that end a stream (completed, paused, cancelled, error).
    is_terminal: ClassVar[bool] = False

    def to_dict(self) -> dict[str, Any]:
        return dataclass_to_dict(self)


@dataclass(slots=True, kw_only=True)
class BaseAgentRunEvent(BaseRunEvent):
    """Base of every agent event: which agent emitted it."""

    agent_id: str = ""
    agent_name: str = ""
    tools: list[ToolExecution] | None = None
    content: Any = None


@dataclass(slots=True, kw_only=True)
class RunStartedEvent(BaseAgentRunEvent):
    event: str = RunEvent.run_started.value
    model: str = ""
    model_provider: str = ""


@dataclass(slots=True, kw_only=True)
class RunContentEvent(BaseAgentRunEvent):
    """A delta of the answer while streaming (or the whole parsed object for structured output)."""

    event: str = RunEvent.run_content.value
    content: Any = None
    content_type: str = "str"
    reasoning_content: str | None = None
    citations: Any = None
    model_provider_data: Any = None
    response_audio: Audio | None = None
    image: Image | None = None
    references: list[Any] | None = None
    additional_input: list[Message] | None = None
    reasoning_steps: list[Any] | None = None
    reasoning_messages: list[Message] | None = None


@dataclass(slots=True, kw_only=True)
class RunContentCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.run_content_completed.value


@dataclass(slots=True, kw_only=True)
class IntermediateRunContentEvent(BaseAgentRunEvent):
    """Content of the main model when an ``output_model`` writes the final answer."""

    event: str = RunEvent.run_intermediate_content.value
    content: Any = None
    content_type: str = "str"


@dataclass(slots=True, kw_only=True)
class RunCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.run_completed.value
    content: Any = None
    content_type: str = "str"
    reasoning_content: str | None = None
    citations: Any = None
    model_provider_data: Any = None
    images: list[Image] | None = None
    videos: list[Video] | None = None
    audio: list[Audio] | None = None
    files: list[File] | None = None
    response_audio: Audio | None = None
    references: list[Any] | None = None
    additional_input: list[Message] | None = None
    reasoning_steps: list[Any] | None = None
    reasoning_messages: list[Message] | None = None
    metadata: dict[str, Any] | None = None
    metrics: Metrics | None = None
    session_state: dict[str, Any] | None = None

    is_terminal: ClassVar[bool] = True


@dataclass(slots=True, kw_only=True)
class RunPausedEvent(BaseAgentRunEvent):
    """The run waits for a human: ``tools`` are the paused calls, ``requirements`` what to resolve."""

    event: str = RunEvent.run_paused.value
    requirements: list[RunRequirement] | None = None

    is_terminal: ClassVar[bool] = True

    @property
    def is_paused(self) -> bool:
        return True


@dataclass(slots=True, kw_only=True)
class RunContinuedEvent(BaseAgentRunEvent):
    event: str = RunEvent.run_continued.value


@dataclass(slots=True, kw_only=True)
class RunErrorEvent(BaseAgentRunEvent):
    """The run failed; ``content`` is the reason, ``error_type`` the exception class name."""

    event: str = RunEvent.run_error.value
    content: str | None = None
    error_type: str | None = None
    additional_data: dict[str, Any] | None = None

    is_terminal: ClassVar[bool] = True


@dataclass(slots=True, kw_only=True)
class RunCancelledEvent(BaseAgentRunEvent):
    event: str = RunEvent.run_cancelled.value
    reason: str | None = None

    is_terminal: ClassVar[bool] = True


@dataclass(slots=True, kw_only=True)
class PreHookStartedEvent(BaseAgentRunEvent):
    event: str = RunEvent.pre_hook_started.value
    pre_hook_name: str | None = None
    run_input: RunInput | None = None


@dataclass(slots=True, kw_only=True)
class PreHookCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.pre_hook_completed.value
    pre_hook_name: str | None = None
    run_input: RunInput | None = None


@dataclass(slots=True, kw_only=True)
class PostHookStartedEvent(BaseAgentRunEvent):
    event: str = RunEvent.post_hook_started.value
    post_hook_name: str | None = None


@dataclass(slots=True, kw_only=True)
class PostHookCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.post_hook_completed.value
    post_hook_name: str | None = None


@dataclass(slots=True, kw_only=True)
class ReasoningStartedEvent(BaseAgentRunEvent):
    event: str = RunEvent.reasoning_started.value


@dataclass(slots=True, kw_only=True)
class ReasoningStepEvent(BaseAgentRunEvent):
    """One reasoning step: ``content`` is the ReasoningStep, ``reasoning_content`` its text."""

    event: str = RunEvent.reasoning_step.value
    content: Any = None
    content_type: str = "str"
    reasoning_content: str = ""


@dataclass(slots=True, kw_only=True)
class ReasoningCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.reasoning_completed.value
    content: Any = None
    content_type: str = "str"


@dataclass(slots=True, kw_only=True)
class ToolCallStartedEvent(BaseAgentRunEvent):
    event: str = RunEvent.tool_call_started.value
    tool: ToolExecution | None = None


@dataclass(slots=True, kw_only=True)
class ToolCallCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.tool_call_completed.value
    tool: ToolExecution | None = None
    content: Any = None
    images: list[Image] | None = None
    videos: list[Video] | None = None
    audio: list[Audio] | None = None
    files: list[File] | None = None


@dataclass(slots=True, kw_only=True)
class ToolCallErrorEvent(BaseAgentRunEvent):
    """A tool call failed (unknown tool, bad arguments, or the tool raised); the loop goes on."""

    event: str = RunEvent.tool_call_error.value
    tool: ToolExecution | None = None
    error: str | None = None


@dataclass(slots=True, kw_only=True)
class MemoryUpdateStartedEvent(BaseAgentRunEvent):
    event: str = RunEvent.memory_update_started.value


@dataclass(slots=True, kw_only=True)
class MemoryUpdateCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.memory_update_completed.value


@dataclass(slots=True, kw_only=True)
class SessionSummaryStartedEvent(BaseAgentRunEvent):
    event: str = RunEvent.session_summary_started.value


@dataclass(slots=True, kw_only=True)
class SessionSummaryCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.session_summary_completed.value
    session_summary: Any = None


@dataclass(slots=True, kw_only=True)
class ParserModelResponseStartedEvent(BaseAgentRunEvent):
    event: str = RunEvent.parser_model_response_started.value


@dataclass(slots=True, kw_only=True)
class ParserModelResponseCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.parser_model_response_completed.value


@dataclass(slots=True, kw_only=True)
class OutputModelResponseStartedEvent(BaseAgentRunEvent):
    event: str = RunEvent.output_model_response_started.value


@dataclass(slots=True, kw_only=True)
class OutputModelResponseCompletedEvent(BaseAgentRunEvent):
    event: str = RunEvent.output_model_response_completed.value


@dataclass(slots=True, kw_only=True)
class CustomEvent(BaseAgentRunEvent):
    """Subclass with a plain ``@dataclass`` and yield instances from a generator tool."""

    event: str = RunEvent.custom_event.value


RunOutputEvent = (
    RunStartedEvent
    | RunContentEvent
    | RunContentCompletedEvent
    | IntermediateRunContentEvent
    | RunCompletedEvent
    | RunPausedEvent
    | RunContinuedEvent
    | RunErrorEvent
    | RunCancelledEvent
    | PreHookStartedEvent
    | PreHookCompletedEvent
    | PostHookStartedEvent
    | PostHookCompletedEvent
    | ReasoningStartedEvent
    | ReasoningStepEvent
    | ReasoningCompletedEvent
    | ToolCallStartedEvent
    | ToolCallCompletedEvent
    | ToolCallErrorEvent
    | MemoryUpdateStartedEvent
    | MemoryUpdateCompletedEvent
    | SessionSummaryStartedEvent
    | SessionSummaryCompletedEvent
    | ParserModelResponseStartedEvent
    | ParserModelResponseCompletedEvent
    | OutputModelResponseStartedEvent
    | OutputModelResponseCompletedEvent
    | CustomEvent
)


# Event string -> class, for rebuilding stored events.
def event_name(cls: type[BaseRunEvent]) -> str:
    """The ``event`` string of an event class (its default; slotted classes hide it)."""
    for f in fields(cls):
        if f.name == "event":
            return str(f.default)
    raise TypeError(f"{cls.__name__} is not a run event class")


AGENT_EVENT_CLASSES: dict[str, type[BaseAgentRunEvent]] = {
    event_name(cls): cls
    for cls in (
        RunStartedEvent,
        RunContentEvent,
        RunContentCompletedEvent,
        IntermediateRunContentEvent,
        RunCompletedEvent,
        RunPausedEvent,
        RunContinuedEvent,
        RunErrorEvent,
        RunCancelledEvent,
        PreHookStartedEvent,
        PreHookCompletedEvent,
        PostHookStartedEvent,
        PostHookCompletedEvent,
        ReasoningStartedEvent,
        ReasoningStepEvent,
        ReasoningCompletedEvent,
        ToolCallStartedEvent,
        ToolCallCompletedEvent,
        ToolCallErrorEvent,
        MemoryUpdateStartedEvent,
        MemoryUpdateCompletedEvent,
        SessionSummaryStartedEvent,
        SessionSummaryCompletedEvent,
        ParserModelResponseStartedEvent,
        ParserModelResponseCompletedEvent,
        OutputModelResponseStartedEvent,
        OutputModelResponseCompletedEvent,
        CustomEvent,
    )
}
