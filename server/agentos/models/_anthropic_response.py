"""Turn Anthropic Messages API replies (whole, or SSE events) into ModelResponse objects.

Stop reasons are reported in the Chat Completions vocabulary the engine uses everywhere
(``stop``, ``tool_calls``, ``length``), the raw one kept in ``provider_data["stop_reason"]``.
Signed thinking blocks are kept in ``provider_data["thinking_blocks"]`` because the API wants
them back, unchanged, with the assistant turn that made tool calls.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from agentos.exceptions import ModelProviderError
from agentos.models._http import Endpoint, error_type_from_payload
from agentos.models._message import ToolCall
from agentos.models._metrics import Metrics
from agentos.models._response import ModelResponse

_FINISH_REASONS = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "tool_use": "tool_calls",
    "max_tokens": "length",
}
_RETRYABLE_ERROR_TYPES = frozenset({"overloaded_error", "api_error", "rate_limit_error", "timeout_error"})


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def usage_to_metrics(usage: dict[str, Any] | None) -> Metrics:
    """Anthropic usage as Metrics. ``input_tokens`` counts cached prompt tokens too (as OpenAI's
    ``prompt_tokens`` does), so the number means the same for every provider."""
    metrics = Metrics()
    if not usage:
        return metrics
    metrics.cache_read_tokens = _int(usage.get("cache_read_input_tokens"))
    metrics.cache_write_tokens = _int(usage.get("cache_creation_input_tokens"))
    metrics.input_tokens = (
        _int(usage.get("input_tokens")) + metrics.cache_read_tokens + metrics.cache_write_tokens
    )
    metrics.output_tokens = _int(usage.get("output_tokens"))
    metrics.total_tokens = metrics.input_tokens + metrics.output_tokens
    return metrics


def finish_reason(stop_reason: str | None) -> str | None:
    return _FINISH_REASONS.get(stop_reason, stop_reason) if stop_reason else None


def in_band_error(endpoint: Endpoint, payload: Any) -> ModelProviderError:
    kind = error_type_from_payload(payload) or ""
    return endpoint.from_payload(payload, retryable=kind in _RETRYABLE_ERROR_TYPES)


def _provider_data(message: dict[str, Any], thinking_blocks: list[dict[str, Any]]) -> dict[str, Any] | None:
    data: dict[str, Any] = {
        k: message[k] for k in ("id", "model", "stop_reason", "stop_sequence") if message.get(k)
    }
    if thinking_blocks:
        data["thinking_blocks"] = thinking_blocks
    return data or None


def parse_message(endpoint: Endpoint, payload: Any) -> ModelResponse:
    if not isinstance(payload, dict):
        raise endpoint.error(f"unexpected response: expected a JSON object, got {type(payload).__name__}")
    if payload.get("type") == "error":
        raise in_band_error(endpoint, payload)
    blocks = payload.get("content")
    if not isinstance(blocks, list):
        raise endpoint.error("response has no content blocks")
    text: list[str] = []
    thinking: list[str] = []
    thinking_blocks: list[dict[str, Any]] = []
    tool_calls: list[ToolCall] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "text":
            text.append(block.get("text") or "")
        elif kind == "thinking":
            thinking.append(block.get("thinking") or "")
            thinking_blocks.append(block)
        elif kind == "redacted_thinking":
            thinking_blocks.append(block)
        elif kind == "tool_use":
            arguments = json.dumps(block.get("input") or {})
            tool_calls.append(
                ToolCall(
                    id=str(block.get("id") or ""), name=str(block.get("name") or ""), arguments=arguments
                )
            )
    return ModelResponse(
        content="".join(text) if text else None,
        reasoning_content="".join(thinking) if thinking else None,
        tool_calls=tool_calls,
        usage=usage_to_metrics(payload.get("usage")),
        finish_reason=finish_reason(payload.get("stop_reason")),
        provider_data=_provider_data(payload, thinking_blocks),
    )


@dataclass(slots=True)
class _Block:
    kind: str
    data: dict[str, Any]
    parts: list[str] = field(default_factory=list)
    signature: str | None = None


@dataclass(slots=True)
class StreamAssembler:
    """Folds the SSE event sequence; text and thinking deltas go out at once, tool calls when complete."""

    endpoint: Endpoint
    blocks: dict[int, _Block] = field(default_factory=dict)
    message: dict[str, Any] = field(default_factory=dict)
    usage: dict[str, Any] = field(default_factory=dict)
    stop_reason: str | None = None
    stopped: bool = False

    def feed(self, event_name: str | None, payload: Any) -> ModelResponse | None:
        if not isinstance(payload, dict):
            raise self.endpoint.error(f"malformed stream event: expected an object, got {payload!r:.200}")
        kind = payload.get("type") or event_name
        if kind == "message_start":
            self.message = payload.get("message") or {}
            self.usage.update(self.message.get("usage") or {})
        elif kind == "content_block_start":
            block = payload.get("content_block") or {}
            self.blocks[_int(payload.get("index"))] = _Block(kind=str(block.get("type")), data=block)
            initial = block.get("text") if block.get("type") == "text" else None
            if initial:
                self.blocks[_int(payload.get("index"))].parts.append(initial)
                return ModelResponse(content=initial)
        elif kind == "content_block_delta":
            return self._delta(_int(payload.get("index")), payload.get("delta") or {})
        elif kind == "message_delta":
            delta = payload.get("delta") or {}
            self.stop_reason = delta.get("stop_reason") or self.stop_reason
            if delta.get("stop_sequence"):
                self.message["stop_sequence"] = delta["stop_sequence"]
            # Counts here are cumulative for the message: they replace the ones from message_start.
            self.usage.update({k: v for k, v in (payload.get("usage") or {}).items() if v is not None})
        elif kind == "message_stop":
            self.stopped = True
        elif kind == "error":
            raise in_band_error(self.endpoint, payload)
        return None  # ping, content_block_stop and unknown events carry nothing to emit

    def _delta(self, index: int, delta: dict[str, Any]) -> ModelResponse | None:
        block = self.blocks.get(index)
        if block is None:
            self.blocks[index] = block = _Block(kind="text", data={"type": "text"})
        kind = delta.get("type")
        if kind == "text_delta":
            text = delta.get("text") or ""
            block.parts.append(text)
            return ModelResponse(content=text) if text else None
        if kind == "thinking_delta":
            thinking = delta.get("thinking") or ""
            block.parts.append(thinking)
            return ModelResponse(reasoning_content=thinking) if thinking else None
        if kind == "input_json_delta":
            block.parts.append(delta.get("partial_json") or "")
        elif kind == "signature_delta":
            block.signature = delta.get("signature")
        return None

    def finish(self) -> ModelResponse:
        tool_calls: list[ToolCall] = []
        thinking_blocks: list[dict[str, Any]] = []
        for _, block in sorted(self.blocks.items()):
            if block.kind == "tool_use":
                arguments = "".join(block.parts).strip() or json.dumps(block.data.get("input") or {})
                tool_calls.append(
                    ToolCall(
                        id=str(block.data.get("id") or ""),
                        name=str(block.data.get("name") or ""),
                        arguments=arguments,
                    )
                )
            elif block.kind == "thinking":
                thinking_blocks.append(
                    {"type": "thinking", "thinking": "".join(block.parts), "signature": block.signature or ""}
                )
            elif block.kind == "redacted_thinking":
                thinking_blocks.append(block.data)
        message = {**self.message, "stop_reason": self.stop_reason}
        return ModelResponse(
            tool_calls=tool_calls,
            usage=usage_to_metrics(self.usage),
            finish_reason=finish_reason(self.stop_reason),
            provider_data=_provider_data(message, thinking_blocks),
        )
