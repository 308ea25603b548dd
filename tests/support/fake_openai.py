"""A local OpenAI-compatible Chat Completions server for tests and benchmarks.

Script it per test with ``script(...)``: each item answers one request, in order.

- ``Turn(content=..., tool_calls=[FakeToolCall(...)], usage=Usage(...))`` renders as a JSON
  completion, or as an SSE stream when the request says ``"stream": true`` (content and tool-call
  arguments are split into small fragments, parallel calls interleaved, the usage chunk sent
  when ``stream_options.include_usage`` is set, and ``data: [DONE]`` last);
- ``error(status, message, headers=...)`` renders an OpenAI-style error body;
- ``Reply`` / ``StreamReply`` / ``Hang`` (from ``fake_http``) for anything raw: malformed
  JSON, broken SSE, delays, connections that never answer;
- a callable ``(RecordedRequest) -> item`` decides from the request itself.

When the script is empty the server answers ``default`` (a ``Turn`` answering instantly, for
benchmarks) or, if there is none, a 400 error saying the script ran out, so a test that makes
an unexpected call fails loudly.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fake_http import FakeHTTPServer, Hang, RecordedRequest, Reply, Response, StreamReply

__all__ = [
    "FakeOpenAI",
    "FakeToolCall",
    "Hang",
    "RecordedRequest",
    "Reply",
    "StreamReply",
    "Turn",
    "Usage",
    "error",
    "sse",
]


@dataclass(slots=True)
class Usage:
    prompt_tokens: int = 10
    completion_tokens: int = 5
    cached_tokens: int = 0
    reasoning_tokens: int = 0
    audio_prompt_tokens: int = 0
    audio_completion_tokens: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "prompt_tokens": self.prompt_tokens,
            "completion_tokens": self.completion_tokens,
            "total_tokens": self.prompt_tokens + self.completion_tokens,
            "prompt_tokens_details": {
                "cached_tokens": self.cached_tokens,
                "audio_tokens": self.audio_prompt_tokens,
            },
            "completion_tokens_details": {
                "reasoning_tokens": self.reasoning_tokens,
                "audio_tokens": self.audio_completion_tokens,
            },
        }


@dataclass(slots=True)
class FakeToolCall:
    name: str
    arguments: dict[str, Any] | str = field(default_factory=dict)
    id: str | None = None

    def arguments_text(self) -> str:
        return self.arguments if isinstance(self.arguments, str) else json.dumps(self.arguments)


@dataclass(slots=True)
class Turn:
    """One assistant turn; rendered as JSON or SSE depending on the request."""

    content: str | None = None
    tool_calls: list[FakeToolCall] = field(default_factory=list)
    reasoning_content: str | None = None
    usage: Usage | None = field(default_factory=Usage)
    finish_reason: str | None = None
    audio: dict[str, Any] | None = None
    chunk_size: int = 4  # characters per streamed fragment
    chunk_delay: float = 0.0


Item = Turn | Response | Callable[[RecordedRequest], "Turn | Response"]


def error(
    status: int,
    message: str,
    *,
    type: str = "invalid_request_error",
    code: str | None = None,
    headers: dict[str, str] | None = None,
) -> Reply:
    """An OpenAI-style error response."""
    body = {"error": {"message": message, "type": type, "param": None, "code": code}}
    return Reply.json(body, status=status, headers=headers or {})


def sse(*events: str, **kwargs: Any) -> StreamReply:
    """A raw SSE stream: each event string becomes a ``data:`` line (one chunk each)."""
    return StreamReply(chunks=[f"data: {event}\n\n".encode() for event in events], **kwargs)


def _split(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


class FakeOpenAI(FakeHTTPServer):
    """OpenAI-compatible server; ``base_url`` ends in ``/v1`` like the real one."""

    def __init__(self, default: Turn | None = None) -> None:
        super().__init__(self._handle)
        self.default = default
        self._script: deque[Item] = deque()
        self._counter = 0

    @property
    def base_url(self) -> str:
        return f"{self.url}/v1"

    def script(self, *items: Item) -> FakeOpenAI:
        self._script.extend(items)
        return self

    @property
    def bodies(self) -> list[Any]:
        """The JSON bodies of the chat completion requests received so far."""
        return [r.json() for r in self.requests if r.path.endswith("/chat/completions")]

    def _handle(self, request: RecordedRequest) -> Response:
        if not request.path.endswith("/chat/completions"):
            return error(404, f"unknown path {request.path}", type="not_found")
        item: Item | None = self._script.popleft() if self._script else self.default
        if item is None:
            return error(400, "fake OpenAI server: no scripted reply left for this request")
        if callable(item) and not isinstance(item, Turn | Reply | StreamReply | Hang):
            item = item(request)
        if not isinstance(item, Turn):
            return item
        body = request.json() or {}
        self._counter += 1
        if body.get("stream"):
            include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
            return self._render_stream(item, body.get("model", ""), include_usage)
        return Reply.json(self._render_completion(item, body.get("model", "")))

    def _call_ids(self, turn: Turn) -> list[str]:
        return [call.id or f"call_{self._counter}_{i}" for i, call in enumerate(turn.tool_calls)]

    @staticmethod
    def _finish_reason(turn: Turn) -> str:
        return turn.finish_reason or ("tool_calls" if turn.tool_calls else "stop")

    def _render_completion(self, turn: Turn, model: str) -> dict[str, Any]:
        message: dict[str, Any] = {"role": "assistant", "content": turn.content, "refusal": None}
        if turn.tool_calls:
            message["tool_calls"] = [
                {
                    "id": call_id,
                    "type": "function",
                    "function": {"name": call.name, "arguments": call.arguments_text()},
                }
                for call_id, call in zip(self._call_ids(turn), turn.tool_calls, strict=True)
            ]
        if turn.reasoning_content is not None:
            message["reasoning_content"] = turn.reasoning_content
        if turn.audio is not None:
            message["audio"] = turn.audio
        out: dict[str, Any] = {
            "id": f"chatcmpl-{self._counter}",
            "object": "chat.completion",
            "created": 1700000000,
            "model": model,
            "choices": [{"index": 0, "message": message, "finish_reason": self._finish_reason(turn)}],
        }
        if turn.usage is not None:
            out["usage"] = turn.usage.to_json()
        return out

    def _render_stream(self, turn: Turn, model: str, include_usage: bool) -> StreamReply:
        base = {
            "id": f"chatcmpl-{self._counter}",
            "object": "chat.completion.chunk",
            "created": 1700000000,
            "model": model,
        }

        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            payload = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
            return b"data: " + json.dumps(payload).encode() + b"\n\n"

        chunks = [chunk({"role": "assistant", "content": ""})]
        if turn.reasoning_content:
            chunks += [
                chunk({"reasoning_content": p}) for p in _split(turn.reasoning_content, turn.chunk_size)
            ]
        if turn.content:
            chunks += [chunk({"content": p}) for p in _split(turn.content, turn.chunk_size)]
        if turn.tool_calls:
            ids = self._call_ids(turn)
            fragments = [_split(call.arguments_text(), turn.chunk_size) for call in turn.tool_calls]
            # Each call opens with its id and name, then argument fragments of all calls are
            # interleaved by index, as parallel tool calls arrive from real servers.
            for index, call in enumerate(turn.tool_calls):
                opener = {
                    "index": index,
                    "id": ids[index],
                    "type": "function",
                    "function": {"name": call.name, "arguments": ""},
                }
                chunks.append(chunk({"tool_calls": [opener]}))
            for step in range(max(len(f) for f in fragments)):
                for index, parts in enumerate(fragments):
                    if step < len(parts):
                        frag = {"index": index, "function": {"arguments": parts[step]}}
                        chunks.append(chunk({"tool_calls": [frag]}))
        chunks.append(chunk({}, self._finish_reason(turn)))
        if include_usage and turn.usage is not None:
            usage_chunk = {**base, "choices": [], "usage": turn.usage.to_json()}
            chunks.append(b"data: " + json.dumps(usage_chunk).encode() + b"\n\n")
        chunks.append(b"data: [DONE]\n\n")
        return StreamReply(chunks=chunks, chunk_delay=turn.chunk_delay)
