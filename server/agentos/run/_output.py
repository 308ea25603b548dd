"""The result of an agent run.

``RunOutput`` is both what ``Agent.run`` returns and the record that storage keeps, so it has a
lossless-enough ``to_dict`` / ``from_dict``. While a run is paused it also carries what a human
must resolve (``requirements``) and the convenience views Agno users iterate over.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field, fields
from typing import Any

from agentos.media import Audio, File, Image, Video
from agentos.models import Message, Metrics, ToolExecution
from agentos.run._context import RunContext
from agentos.run._events import AGENT_EVENT_CLASSES, BaseAgentRunEvent, RunOutputEvent
from agentos.run._input import RunInput
from agentos.run._requirement import RunRequirement
from agentos.run._restore import (
    field_names,
    media_from_dict,
    media_list_from_dicts,
    message_from_dict,
    tool_execution_from_dict,
)
from agentos.run._serialize import to_jsonable
from agentos.run._status import RunStatus


@dataclass(slots=True)
class RunOutput:
    """Everything a run produced: content, messages, tool calls, metrics, status and events."""

    run_id: str | None = None
    agent_id: str | None = None
    agent_name: str | None = None
    session_id: str | None = None
    parent_run_id: str | None = None
    workflow_id: str | None = None
    workflow_step_id: str | None = None
    user_id: str | None = None
    content: Any = None
    content_type: str = "str"
    reasoning_content: str | None = None
    reasoning_steps: list[Any] | None = None
    reasoning_messages: list[Message] | None = None
    model: str | None = None
    model_provider: str | None = None
    messages: list[Message] | None = None
    metrics: Metrics | None = None
    additional_input: list[Message] | None = None
    tools: list[ToolExecution] | None = None
    images: list[Image] | None = None
    videos: list[Video] | None = None
    audio: list[Audio] | None = None
    files: list[File] | None = None
    response_audio: Audio | None = None
    input: RunInput | None = None
    citations: Any = None
    model_provider_data: Any = None
    references: list[Any] | None = None
    metadata: dict[str, Any] | None = None
    session_state: dict[str, Any] | None = None
    created_at: int = field(default_factory=lambda: int(time.time()))
    events: list[RunOutputEvent] | None = None
    status: RunStatus = RunStatus.running
    requirements: list[RunRequirement] | None = None
    # Why the run failed (status error); content keeps whatever partial answer there was.
    error: str | None = None

    # Views --------------------------------------------------------------------------------
    @property
    def is_paused(self) -> bool:
        return self.status == RunStatus.paused

    @property
    def is_cancelled(self) -> bool:
        return self.status == RunStatus.cancelled

    @property
    def tools_requiring_confirmation(self) -> list[ToolExecution]:
        return [t for t in self.tools or () if t.requires_confirmation and t.confirmed is None]

    @property
    def tools_requiring_user_input(self) -> list[ToolExecution]:
        return [t for t in self.tools or () if t.requires_user_input and not t.answered]

    @property
    def tools_awaiting_external_execution(self) -> list[ToolExecution]:
        return [t for t in self.tools or () if t.external_execution_required and t.result is None]

    @property
    def active_requirements(self) -> list[RunRequirement]:
        return [r for r in self.requirements or () if not r.is_resolved()]

    def get_content_as_string(self) -> str:
        import json

        if self.content is None:
            return ""
        if isinstance(self.content, str):
            return self.content
        return json.dumps(to_jsonable(self.content))

    # Storage ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None:
                continue
            out[f.name] = to_jsonable(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RunOutput:
        known = field_names(cls)
        kwargs: dict[str, Any] = {k: v for k, v in data.items() if k in known}
        for key in ("messages", "additional_input", "reasoning_messages"):
            if kwargs.get(key) is not None:
                kwargs[key] = [message_from_dict(m) for m in kwargs[key]]
        if kwargs.get("metrics") is not None:
            kwargs["metrics"] = Metrics.from_dict(kwargs["metrics"])
        if kwargs.get("tools") is not None:
            kwargs["tools"] = [tool_execution_from_dict(t) for t in kwargs["tools"]]
        if kwargs.get("input") is not None:
            kwargs["input"] = RunInput.from_dict(kwargs["input"])
        for key, media_cls in (("images", Image), ("videos", Video), ("audio", Audio), ("files", File)):
            if key in kwargs:
                kwargs[key] = media_list_from_dicts(media_cls, kwargs[key])
        if isinstance(kwargs.get("response_audio"), dict):
            kwargs["response_audio"] = media_from_dict(Audio, kwargs["response_audio"])
        if "status" in kwargs:
            kwargs["status"] = RunStatus(kwargs["status"])
        if kwargs.get("requirements") is not None:
            reqs = [RunRequirement.from_dict(r) for r in kwargs["requirements"]]
            # Requirements share their ToolExecution with ``tools`` so resolving one updates both.
            by_call = {t.tool_call_id: t for t in kwargs.get("tools") or ()}
            for req in reqs:
                shared = by_call.get(req.tool_execution.tool_call_id)
                if shared is not None:
                    req.tool_execution = shared
            kwargs["requirements"] = reqs
        if kwargs.get("events") is not None:
            kwargs["events"] = [event_from_dict(e) for e in kwargs["events"]]
        if kwargs.get("reasoning_steps") is not None:
            kwargs["reasoning_steps"] = _reasoning_steps_from_dicts(kwargs["reasoning_steps"])
        return cls(**kwargs)


def event_from_dict(data: dict[str, Any]) -> RunOutputEvent:
    """Rebuild a stored agent event (unknown event names become a plain CustomEvent)."""
    from agentos.run._events import CustomEvent

    cls: type[BaseAgentRunEvent] = AGENT_EVENT_CLASSES.get(str(data.get("event")), CustomEvent)
    known = field_names(cls)
    kwargs = {k: v for k, v in data.items() if k in known}
    if isinstance(kwargs.get("tool"), dict):
        kwargs["tool"] = tool_execution_from_dict(kwargs["tool"])
    if isinstance(kwargs.get("tools"), list):
        kwargs["tools"] = [tool_execution_from_dict(t) for t in kwargs["tools"]]
    if isinstance(kwargs.get("metrics"), dict):
        kwargs["metrics"] = Metrics.from_dict(kwargs["metrics"])
    if isinstance(kwargs.get("run_input"), dict):
        kwargs["run_input"] = RunInput.from_dict(kwargs["run_input"])
    if isinstance(kwargs.get("requirements"), list):
        kwargs["requirements"] = [RunRequirement.from_dict(r) for r in kwargs["requirements"]]
    return cls(**kwargs)  # type: ignore[return-value]


def _reasoning_steps_from_dicts(items: list[Any]) -> list[Any]:
    try:
        from agentos.reasoning._step import ReasoningStep
    except ImportError:  # pragma: no cover - reasoning package is part of the engine
        return items
    return [ReasoningStep.model_validate(i) if isinstance(i, dict) else i for i in items]


def new_run_output(run_context: RunContext, **kwargs: Any) -> RunOutput:
    """A RunOutput bound to a run context's identity."""
    return RunOutput(
        run_id=run_context.run_id,
        session_id=run_context.session_id,
        user_id=run_context.user_id,
        parent_run_id=run_context.parent_run_id,
        workflow_id=run_context.workflow_id,
        **kwargs,
    )
