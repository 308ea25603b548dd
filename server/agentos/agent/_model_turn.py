"""One call of a model within a run, streamed or not.

The reply is accumulated in a ``ModelTurn``; streamed content deltas are yielded as events as
they arrive (as RunContent, or RunIntermediateContent when an output model will write the
final answer, or not at all when the whole answer is parsed into a structured object).
Each wait on the provider is guarded so that a cancel interrupts it at once.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentos.agent._state import ContentMode, RunState
from agentos.media import Audio, Image
from agentos.models import (
    Message,
    Metrics,
    Model,
    ModelResponse,
    ResponseFormat,
    ToolCall,
    ToolChoice,
    ToolDefinition,
)
from agentos.run import IntermediateRunContentEvent, RunContentEvent, RunEvent, RunOutputEvent


@dataclass(slots=True)
class ModelTurn:
    """What one model call produced (filled progressively, so partial content survives errors)."""

    content_parts: list[str] = field(default_factory=list)
    reasoning_parts: list[str] = field(default_factory=list)
    tool_calls: list[ToolCall] = field(default_factory=list)
    usage: Metrics | None = None
    finish_reason: str | None = None
    provider_data: dict[str, Any] | None = None
    audio: Audio | None = None
    images: list[Image] | None = None
    started: float = field(default_factory=time.perf_counter)
    first_token: float | None = None

    @property
    def content(self) -> str | None:
        return "".join(self.content_parts) if self.content_parts else None

    @property
    def reasoning_content(self) -> str | None:
        return "".join(self.reasoning_parts) if self.reasoning_parts else None

    def absorb(self, delta: ModelResponse) -> None:
        if delta.content:
            if self.first_token is None:
                self.first_token = time.perf_counter()
            self.content_parts.append(delta.content)
        if delta.reasoning_content:
            self.reasoning_parts.append(delta.reasoning_content)
        if delta.tool_calls:
            self.tool_calls.extend(delta.tool_calls)
        if delta.usage is not None:
            self.usage = delta.usage
        if delta.finish_reason is not None:
            self.finish_reason = delta.finish_reason
        if delta.provider_data:
            self.provider_data = {**(self.provider_data or {}), **delta.provider_data}
        if delta.audio is not None:
            self.audio = delta.audio
        if delta.images:
            self.images = [*(self.images or []), *delta.images]

    def to_message(self, model: Model) -> Message:
        metrics = self.usage.copy() if self.usage is not None else Metrics()
        metrics.duration = time.perf_counter() - self.started
        if self.first_token is not None:
            metrics.time_to_first_token = self.first_token - self.started
        return Message(
            role="assistant",
            content=self.content,
            tool_calls=list(self.tool_calls),
            reasoning_content=self.reasoning_content,
            provider_data=self.provider_data,
            audio_output=self.audio,
            images=self.images,
            metrics=metrics,
        )


async def model_turn(
    state: RunState,
    turn: ModelTurn,
    *,
    model: Model,
    messages: Sequence[Message],
    tools: Sequence[ToolDefinition] | None,
    tool_choice: ToolChoice,
    response_format: ResponseFormat | None,
    mode: ContentMode,
) -> AsyncIterator[RunOutputEvent]:
    """Call ``model`` and yield content events; the reply ends up in ``turn``."""
    guard = state.cancel.guard
    if state.debug is not None:
        state.debug.model_request(model, messages, [t.name for t in tools or ()])
    if not state.options.stream:
        response = await guard(
            model.ainvoke(messages, tools=tools, tool_choice=tool_choice, response_format=response_format)
        )
        turn.absorb(response)
        if response.content and mode != "silent":
            state.mark_first_token()
        _account(state, model, turn)
        return

    deliver_content = mode == "content" and state.options.delivers(RunEvent.run_content.value)
    deliver_intermediate = mode == "intermediate" and state.options.delivers(
        RunEvent.run_intermediate_content.value
    )
    stream = model.astream(messages, tools=tools, tool_choice=tool_choice, response_format=response_format)
    iterator = stream.__aiter__()
    try:
        while True:
            try:
                delta = await guard(iterator.__anext__())
            except StopAsyncIteration:
                break
            turn.absorb(delta)
            if delta.content and mode != "silent":
                state.mark_first_token()
            if deliver_content and (delta.content or delta.reasoning_content):
                yield state.emit(
                    RunContentEvent(content=delta.content, reasoning_content=delta.reasoning_content)
                )
            elif deliver_intermediate and delta.content:
                yield state.emit(IntermediateRunContentEvent(content=delta.content))
    finally:
        aclose = getattr(iterator, "aclose", None)
        if aclose is not None:
            await aclose()
    _account(state, model, turn)


def _account(state: RunState, model: Model, turn: ModelTurn) -> None:
    if turn.usage is not None:
        state.metrics.add_usage(model.key, turn.usage)
    if state.debug is not None:
        state.debug.model_response(
            model, turn.started, turn.usage, turn.content, [c.name for c in turn.tool_calls]
        )
