"""The reply vocabulary of the scripted test models and how a reply is played back.

A script step is normalised to one ``ScriptedReply``; playing it back as a complete response
or as a stream shares one implementation so the two modes cannot drift apart.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentos.exceptions import ModelProviderError
from agentos.models._message import Message, ToolCall
from agentos.models._metrics import Metrics
from agentos.models._response import ModelResponse
from pydantic import BaseModel


@dataclass(slots=True)
class ScriptedToolCall:
    """A tool call the scripted model makes. ``raw_arguments`` overrides ``args`` verbatim
    (use it to send malformed JSON)."""

    name: str
    args: dict[str, Any] | None = None
    raw_arguments: str | None = None
    id: str | None = None

    def arguments_text(self) -> str:
        if self.raw_arguments is not None:
            return self.raw_arguments
        return json.dumps(self.args or {})


@dataclass(slots=True)
class ScriptedReply:
    """One model reply, with control over how it is delivered.

    - ``content`` / ``tool_calls`` / ``reasoning_content``: what the model answers.
    - ``chunks``: how ``content`` is split when streamed (default: one chunk).
    - ``delay``: seconds to wait before answering (``asyncio.sleep``, so cancellable).
    - ``hang_after_chunks``: block forever after that many chunks (0: before answering);
      for cancellation tests.
    - ``error`` / ``error_after_chunks``: raise this provider error (after that many chunks).
    - ``usage``: token usage reported; when None a deterministic estimate is used.
    - ``started``: an ``asyncio.Event`` set when the reply starts, so tests can act mid-call.
    """

    content: str | None = None
    tool_calls: list[ScriptedToolCall] = field(default_factory=list)
    reasoning_content: str | None = None
    chunks: list[str] | None = None
    delay: float = 0.0
    hang_after_chunks: int | None = None
    error: BaseException | None = None
    error_after_chunks: int = 0
    usage: Metrics | None = None
    finish_reason: str | None = None
    started: asyncio.Event | None = None


# What a script step may be.
ScriptStep = (
    str
    | ScriptedToolCall
    | list[ScriptedToolCall]
    | ScriptedReply
    | dict[str, Any]
    | BaseModel
    | BaseException
    | ModelResponse
)


def to_reply(step: Any) -> ScriptedReply | ModelResponse:
    """Normalise a script step."""
    if isinstance(step, ScriptedReply | ModelResponse):
        return step
    if isinstance(step, str):
        return ScriptedReply(content=step)
    if isinstance(step, ScriptedToolCall):
        return ScriptedReply(tool_calls=[step])
    if isinstance(step, list) and all(isinstance(s, ScriptedToolCall) for s in step):
        return ScriptedReply(tool_calls=list(step))
    if isinstance(step, BaseModel):
        return ScriptedReply(content=step.model_dump_json())
    if isinstance(step, dict):
        return ScriptedReply(content=json.dumps(step))
    if isinstance(step, BaseException):
        return ScriptedReply(error=step)
    raise TypeError(
        f"unsupported script step {step!r}: use str, ScriptedToolCall(s), ScriptedReply, dict or BaseModel"
    )


def estimate_usage(
    messages: Sequence[Message], content: str | None, tool_calls: Sequence[ToolCall]
) -> Metrics:
    """A deterministic stand-in for provider token counts (about 4 characters per token)."""
    prompt_chars = sum(len(m.content_text()) for m in messages)
    completion_chars = len(content or "") + sum(len(tc.name) + len(tc.arguments) for tc in tool_calls)
    input_tokens = prompt_chars // 4 + len(messages)
    output_tokens = completion_chars // 4 + 1
    return Metrics(
        input_tokens=input_tokens, output_tokens=output_tokens, total_tokens=input_tokens + output_tokens
    )


def _tool_calls(reply: ScriptedReply, turn: int) -> list[ToolCall]:
    return [
        ToolCall(id=tc.id or f"call_{turn}_{i}", name=tc.name, arguments=tc.arguments_text())
        for i, tc in enumerate(reply.tool_calls)
    ]


def _chunks(reply: ScriptedReply) -> list[str]:
    if reply.chunks is not None:
        return list(reply.chunks)
    return [reply.content] if reply.content else []


async def _block_forever() -> None:
    await asyncio.Event().wait()


async def _maybe_fail_or_hang(reply: ScriptedReply, emitted: int) -> None:
    if reply.error is not None and reply.error_after_chunks == emitted:
        raise reply.error
    if reply.hang_after_chunks is not None and reply.hang_after_chunks == emitted:
        await _block_forever()


async def play(reply: ScriptedReply | ModelResponse, turn: int, messages: Sequence[Message]) -> ModelResponse:
    """Deliver a reply as one complete response."""
    if isinstance(reply, ModelResponse):
        return reply
    if reply.started is not None:
        reply.started.set()
    if reply.delay:
        await asyncio.sleep(reply.delay)
    await _maybe_fail_or_hang(reply, 0)
    chunks = _chunks(reply)
    # A failure or hang scheduled after some chunks still happens in a non-streamed call.
    if chunks:
        await _maybe_fail_or_hang(reply, len(chunks))
    content = "".join(chunks) if reply.chunks is not None else reply.content
    calls = _tool_calls(reply, turn)
    return ModelResponse(
        content=content,
        reasoning_content=reply.reasoning_content,
        tool_calls=calls,
        usage=reply.usage if reply.usage is not None else estimate_usage(messages, content, calls),
        finish_reason=reply.finish_reason or ("tool_calls" if calls else "stop"),
    )


async def play_stream(
    reply: ScriptedReply | ModelResponse, turn: int, messages: Sequence[Message]
) -> AsyncIterator[ModelResponse]:
    """Deliver a reply as deltas, following the ``ModelResponse`` streaming contract."""
    if isinstance(reply, ModelResponse):
        yield reply
        return
    if reply.started is not None:
        reply.started.set()
    if reply.delay:
        await asyncio.sleep(reply.delay)
    await _maybe_fail_or_hang(reply, 0)
    if reply.reasoning_content:
        yield ModelResponse(reasoning_content=reply.reasoning_content)
    text: list[str] = []
    for emitted, chunk in enumerate(_chunks(reply), start=1):
        yield ModelResponse(content=chunk)
        text.append(chunk)
        await _maybe_fail_or_hang(reply, emitted)
    calls = _tool_calls(reply, turn)
    content = "".join(text) or None
    yield ModelResponse(
        tool_calls=calls,
        usage=reply.usage if reply.usage is not None else estimate_usage(messages, content, calls),
        finish_reason=reply.finish_reason or ("tool_calls" if calls else "stop"),
    )


def turn_index(messages: Sequence[Message]) -> int:
    """How many model replies this run has already had: the assistant messages after the last
    message that is neither an assistant reply nor a tool result (the user's turn)."""
    count = 0
    for message in reversed(messages):
        if message.role == "assistant":
            count += 1
        elif message.role != "tool":
            break
    return count


def provider_error(
    message: str, *, status_code: int | None = 500, retryable: bool = False
) -> ModelProviderError:
    return ModelProviderError(message, status_code=status_code, model_name="scripted", retryable=retryable)
