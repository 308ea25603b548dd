"""Turn Chat Completions replies (whole, or streamed chunks) into ModelResponse objects."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass, field
from typing import Any
from uuid import uuid4

from agentos.exceptions import ModelProviderError
from agentos.media import Audio
from agentos.models._http import Endpoint, error_type_from_payload
from agentos.models._message import ToolCall
from agentos.models._metrics import Metrics
from agentos.models._response import ModelResponse

# Error types of in-band errors worth another attempt.
_RETRYABLE_ERROR_TYPES = frozenset({"server_error", "rate_limit_error", "overloaded_error", "timeout"})


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def usage_to_metrics(usage: dict[str, Any] | None) -> Metrics:
    """OpenAI usage (with its optional token-detail objects) as our Metrics counters."""
    metrics = Metrics()
    if not usage:
        return metrics
    metrics.input_tokens = _int(usage.get("prompt_tokens"))
    metrics.output_tokens = _int(usage.get("completion_tokens"))
    metrics.total_tokens = _int(usage.get("total_tokens")) or metrics.input_tokens + metrics.output_tokens
    prompt_details = usage.get("prompt_tokens_details") or {}
    completion_details = usage.get("completion_tokens_details") or {}
    metrics.cache_read_tokens = _int(prompt_details.get("cached_tokens"))
    metrics.audio_input_tokens = _int(prompt_details.get("audio_tokens"))
    metrics.reasoning_tokens = _int(completion_details.get("reasoning_tokens"))
    metrics.audio_output_tokens = _int(completion_details.get("audio_tokens"))
    metrics.audio_total_tokens = metrics.audio_input_tokens + metrics.audio_output_tokens
    return metrics


def _audio(payload: dict[str, Any] | None) -> Audio | None:
    if not payload:
        return None
    data = payload.get("data")
    content: bytes | None = None
    if isinstance(data, str) and data:
        try:
            content = base64.b64decode(data)
        except (binascii.Error, ValueError):
            content = None
    return Audio(
        id=str(payload.get("id") or uuid4()),
        content=content,
        transcript=payload.get("transcript"),
        format="pcm16" if content is not None else None,
    )


def _reasoning(message: dict[str, Any]) -> str | None:
    # "reasoning_content" (DeepSeek, vLLM, llama.cpp) or "reasoning" (Ollama, OpenRouter).
    value = message.get("reasoning_content")
    if value is None:
        value = message.get("reasoning")
    return value if isinstance(value, str) else None


def _provider_data(payload: dict[str, Any]) -> dict[str, Any] | None:
    data = {
        key: payload[key] for key in ("id", "model", "system_fingerprint", "service_tier") if payload.get(key)
    }
    return data or None


def parse_completion(endpoint: Endpoint, payload: Any) -> ModelResponse:
    if not isinstance(payload, dict):
        raise endpoint.error(f"unexpected response: expected a JSON object, got {type(payload).__name__}")
    if "error" in payload and not payload.get("choices"):
        raise _in_band_error(endpoint, payload)
    choices = payload.get("choices")
    if not isinstance(choices, list) or not choices:
        raise endpoint.error("response has no choices")
    choice = choices[0]
    message = choice.get("message") or {}
    tool_calls = [
        ToolCall(
            id=str(call.get("id") or f"call_{uuid4().hex[:24]}"),
            name=str((call.get("function") or {}).get("name") or ""),
            arguments=str((call.get("function") or {}).get("arguments") or "{}"),
        )
        for call in message.get("tool_calls") or ()
    ]
    content = message.get("content")
    provider_data = _provider_data(payload)
    if message.get("refusal"):
        provider_data = {**(provider_data or {}), "refusal": message["refusal"]}
    return ModelResponse(
        content=content if isinstance(content, str) else None,
        reasoning_content=_reasoning(message),
        tool_calls=tool_calls,
        audio=_audio(message.get("audio")),
        usage=usage_to_metrics(payload.get("usage")),
        finish_reason=choice.get("finish_reason"),
        provider_data=provider_data,
    )


def _in_band_error(endpoint: Endpoint, payload: Any) -> ModelProviderError:
    kind = error_type_from_payload(payload) or ""
    return endpoint.from_payload(payload, retryable=kind in _RETRYABLE_ERROR_TYPES)


@dataclass(slots=True)
class _PartialCall:
    id: str = ""
    name: str = ""
    arguments: list[str] = field(default_factory=list)


# Keys of a delta that carries (at most) text: nothing else of it needs looking at.
_TEXT_ONLY_DELTA = frozenset({"content", "role", "refusal"})


@dataclass(slots=True)
class StreamAssembler:
    """Accumulates streamed chunks: text deltas go out at once, tool calls only when complete."""

    endpoint: Endpoint
    calls: dict[int, _PartialCall] = field(default_factory=dict)
    usage: dict[str, Any] | None = None
    finish_reason: str | None = None
    audio_id: str | None = None
    audio_data: list[str] = field(default_factory=list)
    audio_transcript: list[str] = field(default_factory=list)
    provider_data: dict[str, Any] | None = None

    def feed(self, chunk: Any) -> ModelResponse | None:
        """One decoded chunk; returns a delta to emit, if it carried text."""
        if not isinstance(chunk, dict):
            raise self.endpoint.error(f"malformed stream chunk: expected an object, got {chunk!r:.200}")
        if "error" in chunk:
            raise _in_band_error(self.endpoint, chunk)
        if self.provider_data is None:
            self.provider_data = _provider_data(chunk)
        if chunk.get("usage"):
            self.usage = chunk["usage"]
        choices = chunk.get("choices") or ()
        if not choices:
            return None
        choice = choices[0]
        if choice.get("finish_reason"):
            self.finish_reason = choice["finish_reason"]
        delta = choice.get("delta") or {}
        if delta.keys() <= _TEXT_ONLY_DELTA:  # most chunks of a streamed answer: text and nothing else
            text = delta.get("content")
            return ModelResponse(content=text) if text else None
        for fragment in delta.get("tool_calls") or ():
            self._add_fragment(fragment)
        audio = delta.get("audio")
        if audio:
            self.audio_id = audio.get("id") or self.audio_id
            if audio.get("data"):
                self.audio_data.append(audio["data"])
            if audio.get("transcript"):
                self.audio_transcript.append(audio["transcript"])
        content = delta.get("content")
        reasoning = _reasoning(delta)
        if content or reasoning:
            return ModelResponse(content=content or None, reasoning_content=reasoning or None)
        return None

    def _add_fragment(self, fragment: dict[str, Any]) -> None:
        index = fragment.get("index")
        if not isinstance(index, int):
            # Some compatible servers omit the index: a fragment with a new id opens a new call.
            last = max(self.calls) if self.calls else -1
            new_id = fragment.get("id")
            index = last + 1 if last < 0 or (new_id and new_id != self.calls[last].id) else last
        call = self.calls.get(index)
        if call is None:
            self.calls[index] = call = _PartialCall()
        if fragment.get("id"):
            call.id = fragment["id"]
        function = fragment.get("function") or {}
        if function.get("name") and not call.name:
            call.name = function["name"]
        if function.get("arguments"):
            call.arguments.append(function["arguments"])

    def finish(self) -> ModelResponse:
        tool_calls = [
            ToolCall(
                id=call.id or f"call_{uuid4().hex[:24]}",
                name=call.name,
                arguments="".join(call.arguments) or "{}",
            )
            for _, call in sorted(self.calls.items())
        ]
        audio = None
        if self.audio_id or self.audio_data or self.audio_transcript:
            audio = _audio(
                {
                    "id": self.audio_id,
                    "data": "".join(self.audio_data),
                    "transcript": "".join(self.audio_transcript) or None,
                }
            )
        return ModelResponse(
            tool_calls=tool_calls,
            audio=audio,
            usage=usage_to_metrics(self.usage),
            finish_reason=self.finish_reason or ("tool_calls" if tool_calls else "stop"),
            provider_data=self.provider_data,
        )
