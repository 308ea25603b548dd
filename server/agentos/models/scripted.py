"""Deterministic models for tests: ours and users'.

- ``ScriptedModel(steps=[...])`` replays a script: step *i* answers the *i*-th model call of a
  run. The position is derived from the conversation it is given (the number of model replies
  since the user's turn), not stored on the instance, so one ScriptedModel can serve many
  concurrent runs and each replays the same script. A script describes one run (continuing a
  paused run carries on where it paused).
- ``FunctionModel(fn)`` computes each reply with ``fn(messages, info)``: the tool for tests whose
  replies depend on the input (e.g. many concurrent runs with different data).
- ``EchoModel()`` answers with the last user message.

All of them report deterministic token usage and accept structured-output requests (the reply
text is whatever the step says; a dict or pydantic step is sent as JSON).
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentos.exceptions import ModelProviderError, ModelTimeoutError
from agentos.models._base import Model, ToolChoice
from agentos.models._message import Message
from agentos.models._metrics import Metrics
from agentos.models._response import ModelResponse, ResponseFormat, ToolDefinition
from agentos.models._scripted_replies import (
    ScriptedReply,
    ScriptedToolCall,
    ScriptStep,
    play,
    play_stream,
    to_reply,
    turn_index,
)

__all__ = [
    "EchoModel",
    "FunctionModel",
    "ModelCallInfo",
    "ScriptStep",
    "ScriptedModel",
    "ScriptedReply",
    "ScriptedToolCall",
    "chunks",
    "fail",
    "hang",
    "text",
    "timeout",
    "tool_call",
    "tool_calls",
]


@dataclass(slots=True)
class ModelCallInfo:
    """What a FunctionModel's function is told about the call besides the messages."""

    tools: Sequence[ToolDefinition]
    tool_choice: ToolChoice
    response_format: ResponseFormat | None
    stream: bool
    turn: int


@dataclass(kw_only=True, slots=True)
class _TestModel(Model):
    id: str = "test"
    provider: str | None = "Scripted"
    supports_native_structured_outputs: bool = field(default=True, repr=False)
    supports_json_mode: bool = field(default=True, repr=False)

    async def _reply(
        self, messages: Sequence[Message], info: ModelCallInfo
    ) -> ScriptedReply | ModelResponse:  # pragma: no cover - abstract
        raise NotImplementedError

    async def _ainvoke(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
    ) -> ModelResponse:
        turn = turn_index(messages)
        info = ModelCallInfo(tools or (), tool_choice, response_format, False, turn)
        return await play(await self._reply(messages, info), turn, messages)

    async def _astream(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
    ) -> AsyncIterator[ModelResponse]:
        turn = turn_index(messages)
        info = ModelCallInfo(tools or (), tool_choice, response_format, True, turn)
        async for delta in play_stream(await self._reply(messages, info), turn, messages):
            yield delta


@dataclass(kw_only=True, slots=True)
class ScriptedModel(_TestModel):
    """Replays ``steps``; see the module docstring for how the position is chosen.

    Steps: a str (text reply), a ``ScriptedToolCall`` or a list of them (tool calls), a dict or
    pydantic model (JSON text, for structured output), an exception (raised), a
    ``ScriptedReply`` (full control: chunks, delays, failures, usage), or a ``ModelResponse``.
    Calling past the end raises ModelProviderError naming the step.
    """

    id: str = "scripted"
    steps: Sequence[ScriptStep] = ()
    # The normalised steps, derived in __post_init__ (a field so the slotted class has room for it).
    _replies: tuple[ScriptedReply | ModelResponse, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Normalise once: steps are immutable data shared by every run.
        self._replies = tuple(to_reply(step) for step in self.steps)

    async def _reply(self, messages: Sequence[Message], info: ModelCallInfo) -> ScriptedReply | ModelResponse:
        if info.turn >= len(self._replies):
            raise ModelProviderError(
                f"ScriptedModel has {len(self._replies)} step(s) but was called for step {info.turn + 1}",
                model_name="ScriptedModel",
                model_id=self.id,
            )
        return self._replies[info.turn]


FunctionModelFn = Callable[[list[Message], ModelCallInfo], "ScriptStep | Awaitable[ScriptStep]"]


@dataclass(kw_only=True, slots=True)
class FunctionModel(_TestModel):
    """Each reply is ``fn(messages, info)`` (sync or async), returning any ScriptedModel step."""

    id: str = "function"
    fn: FunctionModelFn

    async def _reply(self, messages: Sequence[Message], info: ModelCallInfo) -> ScriptedReply | ModelResponse:
        result = self.fn(list(messages), info)
        if inspect.isawaitable(result):
            result = await result
        return to_reply(result)


@dataclass(kw_only=True, slots=True)
class EchoModel(_TestModel):
    """Answers with the text of the last user message (prefixed with ``prefix``)."""

    id: str = "echo"
    prefix: str = ""

    async def _reply(self, messages: Sequence[Message], info: ModelCallInfo) -> ScriptedReply | ModelResponse:
        for message in reversed(messages):
            if message.role == "user":
                return ScriptedReply(content=self.prefix + message.content_text())
        return ScriptedReply(content=self.prefix)


# Step helpers -----------------------------------------------------------------------------


def text(content: str, *, chunks: Sequence[str] | None = None, usage: Metrics | None = None) -> ScriptedReply:
    """A text reply, optionally streamed in the given chunks."""
    return ScriptedReply(content=content, chunks=list(chunks) if chunks is not None else None, usage=usage)


def chunks(*parts: str, usage: Metrics | None = None) -> ScriptedReply:
    """A text reply streamed as exactly these chunks."""
    return ScriptedReply(content="".join(parts), chunks=list(parts), usage=usage)


def tool_call(name: str, args: dict[str, Any] | None = None, /, **kwargs: Any) -> ScriptedToolCall:
    """One tool call: ``tool_call("add", {"a": 1})`` or ``tool_call("add", a=1)``."""
    return ScriptedToolCall(name=name, args={**(args or {}), **kwargs})


def tool_calls(*calls: ScriptedToolCall, content: str | None = None) -> ScriptedReply:
    """A reply with several tool calls (optionally with some text)."""
    return ScriptedReply(content=content, tool_calls=list(calls))


def fail(
    message: str = "scripted provider failure",
    *,
    status_code: int | None = 500,
    after_chunks: int = 0,
    chunks: Sequence[str] | None = None,
    retryable: bool = False,
) -> ScriptedReply:
    """A provider failure, optionally after streaming some chunks (partial content)."""
    parts = list(chunks) if chunks is not None else None
    error = ModelProviderError(
        message, status_code=status_code, model_name="ScriptedModel", retryable=retryable
    )
    return ScriptedReply(
        content="".join(parts or []) or None, chunks=parts, error=error, error_after_chunks=after_chunks
    )


def timeout(message: str = "scripted provider timeout") -> ScriptedReply:
    return ScriptedReply(error=ModelTimeoutError(message, model_name="ScriptedModel", retryable=False))


def hang(*, after_chunks: int = 0, chunks: Sequence[str] | None = None, started: Any = None) -> ScriptedReply:
    """A reply that blocks forever (after some chunks): a model call only cancellation ends."""
    parts = list(chunks) if chunks is not None else None
    return ScriptedReply(
        content="".join(parts or []) or None, chunks=parts, hang_after_chunks=after_chunks, started=started
    )
