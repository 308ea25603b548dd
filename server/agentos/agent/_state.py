"""Per-run state: everything that varies between runs of one Agent.

A ``RunState`` is created for each run (and each continuation) and dropped at its end; the
shared ``Agent`` is only read. It also owns event emission, so every event of a run gets the
run's identity and a strictly increasing ``sequence``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from agentos.agent._debug import RunDebug
from agentos.models import Message, Metrics, Model, ResponseFormat, ToolExecution
from agentos.run import BaseAgentRunEvent, RunContext, RunEvent, RunOutput
from agentos.run.cancellation import RunCancellation
from pydantic import BaseModel

if TYPE_CHECKING:
    from agentos.agent._agent import Agent
    from agentos.session import Session
    from agentos.tools import ResolvedTools

ContentMode = Literal["content", "intermediate", "silent"]

_E = TypeVar("_E", bound=BaseAgentRunEvent)

# What ``stream=True`` without ``stream_events`` delivers.
_BASIC_STREAM_EVENTS = frozenset(
    {
        RunEvent.run_content.value,
        RunEvent.run_intermediate_content.value,
        RunEvent.custom_event.value,
        RunEvent.run_completed.value,
        RunEvent.run_paused.value,
        RunEvent.run_cancelled.value,
        RunEvent.run_error.value,
    }
)
TERMINAL_EVENTS = frozenset(
    {
        RunEvent.run_completed.value,
        RunEvent.run_paused.value,
        RunEvent.run_cancelled.value,
        RunEvent.run_error.value,
    }
)
# Agno does not store content deltas unless asked to.
_DEFAULT_EVENTS_TO_SKIP = frozenset({RunEvent.run_content.value})


@dataclass(slots=True)
class RunOptions:
    """The per-run choices, resolved from the Agent's defaults and the call's arguments."""

    stream: bool = False
    stream_events: bool = False
    store_events: bool = False
    events_to_skip: frozenset[str] = _DEFAULT_EVENTS_TO_SKIP
    output_schema: type[BaseModel] | dict[str, Any] | None = None
    add_dependencies_to_context: bool = False
    add_session_state_to_context: bool = False
    add_history_to_context: bool = False
    debug_mode: bool = False
    debug_level: int = 1
    retries: int = 0

    def delivers(self, event: str) -> bool:
        """Whether the caller's stream receives this event."""
        if not self.stream:
            return False
        return self.stream_events or event in _BASIC_STREAM_EVENTS

    def wants(self, event: str) -> bool:
        """Whether an event is worth building at all (delivered, stored, or terminal)."""
        return (
            self.delivers(event)
            or (self.store_events and event not in self.events_to_skip)
            or event in TERMINAL_EVENTS
        )


class RunState:
    """The mutable state of one run."""

    __slots__ = (
        "agent",
        "cancel",
        "content_mode",
        "content_parts",
        "context",
        "debug",
        "duration_offset",
        "introduction",
        "last_content",
        "messages",
        "model",
        "options",
        "output",
        "requested_session_state",
        "response_format",
        "sequence",
        "session",
        "started_at",
        "system_message",
        "tool_call_count",
        "tools",
        "uses_json_mode",
    )

    def __init__(
        self,
        *,
        agent: Agent,
        context: RunContext,
        output: RunOutput,
        options: RunOptions,
        model: Model,
        tools: ResolvedTools,
    ) -> None:
        self.agent = agent
        self.context = context
        self.output = output
        self.options = options
        # Replaced by the registry's handle when the run starts (see _engine._register).
        self.cancel = RunCancellation(output.run_id or "")
        self.model = model
        self.tools = tools
        self.messages: list[Message] = []
        self.system_message: Message | None = None
        self.content_parts: list[str] = []
        self.last_content: str | None = None
        self.tool_call_count = 0
        self.sequence = 0
        # Structured output plan (set by the engine before the first model call).
        self.response_format: ResponseFormat | None = None
        self.uses_json_mode = False
        # How the main model's content is delivered: "content" (RunContent deltas),
        # "intermediate" (an output model writes the answer) or "silent" (parsed at the end).
        self.content_mode: ContentMode = "content"
        self.started_at = time.perf_counter()
        # The run's debug log; None unless the run is in debug mode (see _debug).
        self.debug = RunDebug.for_run(options.debug_mode, options.debug_level, output.run_id)
        # Time already spent before a pause, so a continued run's duration covers both parts.
        self.duration_offset = 0.0
        # With a db: the stored session this run belongs to (loaded when the run starts, saved
        # with the run when it ends), and the session_state the caller passed for this run
        # (merged over the stored state once it is loaded).
        self.session: Session | None = None
        self.requested_session_state: dict[str, Any] | None = None
        # The introduction run of a session this run creates, until it is stored (see _session).
        self.introduction: RunOutput | None = None
        if output.metrics is None:
            output.metrics = Metrics()
        if output.tools is None:
            output.tools = []

    @property
    def metrics(self) -> Metrics:
        assert self.output.metrics is not None
        return self.output.metrics

    @property
    def tool_executions(self) -> list[ToolExecution]:
        assert self.output.tools is not None
        return self.output.tools

    def elapsed(self) -> float:
        return time.perf_counter() - self.started_at

    def mark_first_token(self) -> None:
        if self.metrics.time_to_first_token is None:
            self.metrics.time_to_first_token = self.elapsed()

    def emit(self, event: _E) -> _E:
        """Stamp an event with the run's identity and the next sequence number; store it if asked."""
        self.sequence += 1
        event.sequence = self.sequence
        out = self.output
        event.run_id = out.run_id
        event.session_id = out.session_id
        event.parent_run_id = out.parent_run_id
        event.workflow_id = out.workflow_id
        event.workflow_run_id = self.context.workflow_run_id
        event.agent_id = out.agent_id or ""
        event.agent_name = out.agent_name or ""
        options = self.options
        if options.store_events and event.event not in options.events_to_skip:
            if out.events is None:
                out.events = []
            out.events.append(event)  # type: ignore[arg-type]
        return event
