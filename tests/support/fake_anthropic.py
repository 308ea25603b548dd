"""A local Anthropic-compatible Messages API server for tests and benchmarks.

Scripted like ``fake_openai``: ``script(Turn(...), error(529, "Overloaded"), ...)``, one item per
request. A ``Turn`` renders as a Messages API JSON reply, or, when the request says
``"stream": true``, as the SSE event sequence (message_start, content_block_start/delta/stop
for thinking, text and tool_use blocks, message_delta with usage, message_stop).
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from fake_http import FakeHTTPServer, Hang, RecordedRequest, Reply, Response, StreamReply

__all__ = [
    "FakeAnthropic",
    "Hang",
    "RecordedRequest",
    "Reply",
    "StreamReply",
    "ToolUse",
    "Turn",
    "Usage",
    "error",
    "sse",
]


@dataclass(slots=True)
class Usage:
    input_tokens: int = 12
    output_tokens: int = 6
    cache_creation_input_tokens: int = 0
    cache_read_input_tokens: int = 0


@dataclass(slots=True)
class ToolUse:
    name: str
    input: dict[str, Any] = field(default_factory=dict)
    id: str | None = None


@dataclass(slots=True)
class Turn:
    content: str | None = None
    tool_calls: list[ToolUse] = field(default_factory=list)
    thinking: str | None = None
    usage: Usage = field(default_factory=Usage)
    stop_reason: str | None = None
    chunk_size: int = 4


Item = Turn | Response | Callable[[RecordedRequest], "Turn | Response"]


def error(
    status: int, message: str, *, type: str = "api_error", headers: dict[str, str] | None = None
) -> Reply:
    body = {"type": "error", "error": {"type": type, "message": message}}
    return Reply.json(body, status=status, headers=headers or {})


def sse(*events: tuple[str, str], **kwargs: Any) -> StreamReply:
    """A raw SSE stream from ``(event_name, data)`` pairs."""
    return StreamReply(
        chunks=[f"event: {name}\ndata: {data}\n\n".encode() for name, data in events], **kwargs
    )


def _split(text: str, size: int) -> list[str]:
    return [text[i : i + size] for i in range(0, len(text), size)] or [""]


class FakeAnthropic(FakeHTTPServer):
    """Anthropic-compatible server; ``base_url`` is the origin (the client adds ``/v1/messages``)."""

    def __init__(self, default: Turn | None = None) -> None:
        super().__init__(self._handle)
        self.default = default
        self._script: deque[Item] = deque()
        self._counter = 0

    @property
    def base_url(self) -> str:
        return self.url

    def script(self, *items: Item) -> FakeAnthropic:
        self._script.extend(items)
        return self

    @property
    def bodies(self) -> list[Any]:
        return [r.json() for r in self.requests if r.path == "/v1/messages"]

    def _handle(self, request: RecordedRequest) -> Response:
        if request.path != "/v1/messages":
            return error(404, f"unknown path {request.path}", type="not_found_error")
        item: Item | None = self._script.popleft() if self._script else self.default
        if item is None:
            return error(400, "fake Anthropic server: no scripted reply left", type="invalid_request_error")
        if callable(item) and not isinstance(item, Turn | Reply | StreamReply | Hang):
            item = item(request)
        if not isinstance(item, Turn):
            return item
        self._counter += 1
        body = request.json() or {}
        if body.get("stream"):
            return self._render_stream(item, body.get("model", ""))
        return Reply.json(self._render_message(item, body.get("model", "")))

    def _blocks(self, turn: Turn) -> list[dict[str, Any]]:
        blocks: list[dict[str, Any]] = []
        if turn.thinking is not None:
            blocks.append({"type": "thinking", "thinking": turn.thinking, "signature": "sig-1"})
        if turn.content is not None:
            blocks.append({"type": "text", "text": turn.content})
        for i, call in enumerate(turn.tool_calls):
            call_id = call.id or f"toolu_{self._counter}_{i}"
            blocks.append({"type": "tool_use", "id": call_id, "name": call.name, "input": call.input})
        return blocks

    @staticmethod
    def _stop_reason(turn: Turn) -> str:
        return turn.stop_reason or ("tool_use" if turn.tool_calls else "end_turn")

    def _render_message(self, turn: Turn, model: str) -> dict[str, Any]:
        u = turn.usage
        return {
            "id": f"msg_{self._counter}",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": self._blocks(turn),
            "stop_reason": self._stop_reason(turn),
            "stop_sequence": None,
            "usage": {
                "input_tokens": u.input_tokens,
                "output_tokens": u.output_tokens,
                "cache_creation_input_tokens": u.cache_creation_input_tokens,
                "cache_read_input_tokens": u.cache_read_input_tokens,
            },
        }

    def _render_stream(self, turn: Turn, model: str) -> StreamReply:
        def ev(name: str, payload: dict[str, Any]) -> bytes:
            return f"event: {name}\ndata: {json.dumps(payload)}\n\n".encode()

        u = turn.usage
        message = self._render_message(turn, model)
        start = {
            **message,
            "content": [],
            "stop_reason": None,
            "usage": {
                "input_tokens": u.input_tokens,
                "output_tokens": 1,
                "cache_creation_input_tokens": u.cache_creation_input_tokens,
                "cache_read_input_tokens": u.cache_read_input_tokens,
            },
        }
        chunks = [
            ev("message_start", {"type": "message_start", "message": start}),
            b"event: ping\ndata: {}\n\n",
        ]
        for index, block in enumerate(self._blocks(turn)):
            if block["type"] == "thinking":
                opener = {"type": "thinking", "thinking": ""}
                deltas = [
                    {"type": "thinking_delta", "thinking": p}
                    for p in _split(block["thinking"], turn.chunk_size)
                ]
                deltas.append({"type": "signature_delta", "signature": block["signature"]})
            elif block["type"] == "text":
                opener = {"type": "text", "text": ""}
                deltas = [{"type": "text_delta", "text": p} for p in _split(block["text"], turn.chunk_size)]
            else:
                opener = {"type": "tool_use", "id": block["id"], "name": block["name"], "input": {}}
                deltas = [
                    {"type": "input_json_delta", "partial_json": p}
                    for p in _split(json.dumps(block["input"]), turn.chunk_size)
                ]
            chunks.append(
                ev(
                    "content_block_start",
                    {"type": "content_block_start", "index": index, "content_block": opener},
                )
            )
            chunks += [
                ev("content_block_delta", {"type": "content_block_delta", "index": index, "delta": d})
                for d in deltas
            ]
            chunks.append(ev("content_block_stop", {"type": "content_block_stop", "index": index}))
        chunks.append(
            ev(
                "message_delta",
                {
                    "type": "message_delta",
                    "delta": {"stop_reason": self._stop_reason(turn), "stop_sequence": None},
                    "usage": {"output_tokens": u.output_tokens},
                },
            )
        )
        chunks.append(ev("message_stop", {"type": "message_stop"}))
        return StreamReply(chunks=chunks)
