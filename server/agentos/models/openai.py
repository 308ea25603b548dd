"""OpenAI Chat Completions over httpx, and any OpenAI-compatible server (vLLM, Ollama, llama.cpp, ...).

``OpenAIChat(id="gpt-4o")`` reads ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` at call time, so
one definition works in every environment. A local compatible server needs no key:
``OpenAIChat(id="llama3", base_url="http://127.0.0.1:11434/v1")``.
"""

from __future__ import annotations

import asyncio
import os
import time
from collections.abc import AsyncIterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass, field
from typing import Any

import httpx
from agentos.exceptions import ModelNotConfiguredError
from agentos.models._base import Model, ToolChoice
from agentos.models._http import (
    Endpoint,
    HTTPCall,
    RetryPolicy,
    client_for,
    make_timeout,
    post_json,
    stream_sse,
)
from agentos.models._http import parse_event_json as _parse_event_json
from agentos.models._message import Message
from agentos.models._openai_request import (
    format_messages,
    format_response_format,
    format_tool_choice,
    format_tools,
    needs_file_reads,
)
from agentos.models._openai_response import StreamAssembler, parse_completion
from agentos.models._response import ModelResponse, ResponseFormat, ToolDefinition

__all__ = ["OpenAIChat"]

OPENAI_BASE_URL = "https://api.openai.com/v1"

# Sampling and output options sent as-is when set (field name == API name).
_BODY_FIELDS = (
    "temperature",
    "max_tokens",
    "max_completion_tokens",
    "top_p",
    "stop",
    "seed",
    "frequency_penalty",
    "presence_penalty",
    "logit_bias",
    "logprobs",
    "top_logprobs",
    "user",
    "service_tier",
    "store",
    "reasoning_effort",
    "verbosity",
    "metadata",
    "modalities",
    "audio",
)


@dataclass(kw_only=True, slots=True)
class OpenAIChat(Model):
    """An OpenAI (or OpenAI-compatible) chat model. Safe to share between concurrent runs."""

    id: str = "gpt-4o"
    name: str | None = "OpenAIChat"
    provider: str | None = "OpenAI"

    max_completion_tokens: int | None = None
    logit_bias: dict[str, Any] | None = None
    logprobs: bool | None = None
    top_logprobs: int | None = None
    user: str | None = None
    service_tier: str | None = None
    store: bool | None = None
    reasoning_effort: str | None = None
    verbosity: str | None = None
    metadata: dict[str, Any] | None = None
    modalities: list[str] | None = None
    audio: dict[str, Any] | None = None
    parallel_tool_calls: bool | None = None
    strict_output: bool = True

    api_key: str | None = field(default=None, repr=False)
    organization: str | None = None
    base_url: str | httpx.URL | None = None
    timeout: float | None = None
    max_retries: int = 2
    retry_backoff: float = 0.5
    retry_backoff_max: float = 8.0
    extra_headers: dict[str, str] | None = None
    extra_query: dict[str, Any] | None = None
    extra_body: dict[str, Any] | None = None
    default_headers: dict[str, str] | None = None
    default_query: dict[str, Any] | None = None
    role_map: dict[str, str] | None = None
    http_client: httpx.AsyncClient | None = field(default=None, repr=False)
    client_params: dict[str, Any] | None = None

    supports_native_structured_outputs: bool = field(default=True, repr=False)
    supports_json_mode: bool = field(default=True, repr=False)

    def __post_init__(self) -> None:
        if self.http_client is not None and not isinstance(self.http_client, httpx.AsyncClient):
            raise TypeError(
                "OpenAIChat.http_client must be an httpx.AsyncClient: the engine is async and a "
                f"sync client would block the event loop (got {type(self.http_client).__name__})"
            )

    # ------------------------------------------------------------------ request building

    def _resolved_base_url(self) -> str:
        base = self.base_url or os.environ.get("OPENAI_BASE_URL") or OPENAI_BASE_URL
        return str(base).rstrip("/")

    def _endpoint(self) -> Endpoint:
        return Endpoint(
            provider=self.provider or "OpenAI", model_id=self.id, model_name=self.name or "OpenAIChat"
        )

    def _headers(self, base_url: str) -> dict[str, str]:
        api_key = self.api_key or os.environ.get("OPENAI_API_KEY")
        if not api_key and httpx.URL(base_url).host == "api.openai.com":
            raise ModelNotConfiguredError(
                f"OpenAIChat({self.id}) has no API key: set OPENAI_API_KEY (or pass api_key=...), "
                "or point OPENAI_BASE_URL / base_url at an OpenAI-compatible server",
                model_name=self.name,
                model_id=self.id,
            )
        headers: dict[str, str] = {}
        if api_key:
            headers["authorization"] = f"Bearer {api_key}"
        if self.organization:
            headers["openai-organization"] = self.organization
        headers.update(self.default_headers or {})
        headers.update(self.extra_headers or {})
        return headers

    def request_body(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None = None,
        tool_choice: ToolChoice = None,
        response_format: ResponseFormat | None = None,
        stream: bool = False,
    ) -> dict[str, Any]:
        """The JSON body sent to ``/chat/completions`` (media files must be readable)."""
        body: dict[str, Any] = {"model": self.id, "messages": format_messages(messages, self.role_map)}
        for name in _BODY_FIELDS:
            value = getattr(self, name)
            if value is not None:
                body[name] = value
        if tools:
            body["tools"] = format_tools(tools)
            if tool_choice is not None:
                body["tool_choice"] = format_tool_choice(tool_choice)
            if self.parallel_tool_calls is not None:
                body["parallel_tool_calls"] = self.parallel_tool_calls
        elif tool_choice == "none":
            body["tool_choice"] = "none"
        if response_format is not None:
            body["response_format"] = format_response_format(response_format, self.strict_output)
        if stream:
            body["stream"] = True
            body["stream_options"] = {"include_usage": True}
        body.update(self.request_params or {})
        body.update(self.extra_body or {})
        return body

    async def _call(
        self,
        messages: Sequence[Message],
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
        stream: bool,
    ) -> HTTPCall:
        base_url = self._resolved_base_url()
        headers = self._headers(base_url)
        kwargs: dict[str, Any] = {
            "tools": tools,
            "tool_choice": tool_choice,
            "response_format": response_format,
            "stream": stream,
        }
        if needs_file_reads(messages):
            body = await asyncio.to_thread(lambda: self.request_body(messages, **kwargs))
        else:
            body = self.request_body(messages, **kwargs)
        params = {**(self.default_query or {}), **(self.extra_query or {})} or None
        return HTTPCall(
            url=f"{base_url}/chat/completions",
            headers=headers,
            body=body,
            params=params,
            timeout=make_timeout(self.timeout),
            retry=RetryPolicy(
                max_retries=self.max_retries,
                backoff_base=self.retry_backoff,
                backoff_max=self.retry_backoff_max,
            ),
            endpoint=self._endpoint(),
        )

    # ------------------------------------------------------------------ Model interface

    async def _ainvoke(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
    ) -> ModelResponse:
        call = await self._call(messages, tools, tool_choice, response_format, stream=False)
        source = await client_for(call.url, http_client=self.http_client, client_params=self.client_params)
        started = time.perf_counter()
        payload = await post_json(source, call)
        response = parse_completion(call.endpoint, payload)
        if response.usage is not None:
            response.usage.duration = time.perf_counter() - started
        return response

    async def _astream(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
    ) -> AsyncIterator[ModelResponse]:
        call = await self._call(messages, tools, tool_choice, response_format, stream=True)
        source = await client_for(call.url, http_client=self.http_client, client_params=self.client_params)
        started = time.perf_counter()
        first_token: float | None = None
        endpoint = call.endpoint
        assembler = StreamAssembler(endpoint)
        done = False
        events = stream_sse(source, call)
        # The request (its messages, headers, body) is not needed while the reply streams in;
        # only the endpoint is, for errors. A slow stream then holds no copy of the prompt.
        del call
        async with aclosing(events):
            async for event in events:
                if done:
                    continue  # read to the end so the connection goes back to the pool
                if event.data == "[DONE]":
                    done = True
                    continue
                delta = assembler.feed(_parse_event_json(endpoint, event))
                if delta is not None:
                    if first_token is None:
                        first_token = time.perf_counter() - started
                    yield delta
        if not done and assembler.finish_reason is None:
            raise endpoint.error("stream ended before the response was complete", retryable=True)
        final = assembler.finish()
        if final.usage is not None:
            final.usage.time_to_first_token = first_token
            final.usage.duration = time.perf_counter() - started
        yield final
