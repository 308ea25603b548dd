"""Anthropic Claude over the Messages API (httpx, async), sharing the HTTP policy of OpenAIChat.

``Claude()`` reads ``ANTHROPIC_API_KEY`` (and ``ANTHROPIC_BASE_URL``) at call time. Claude has
no JSON-schema response format here, so the model reports
``supports_native_structured_outputs=False`` and ``supports_json_mode=False``: the engine puts
the schema in the instructions and parses the text; a ``response_format`` passed anyway is not
sent.
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
from agentos.models._anthropic_request import format_messages, format_tool_choice, format_tools
from agentos.models._anthropic_response import StreamAssembler, parse_message
from agentos.models._base import Model, ToolChoice
from agentos.models._http import (
    Endpoint,
    HTTPCall,
    RetryPolicy,
    client_for,
    make_timeout,
    parse_event_json,
    post_json,
    stream_sse,
)
from agentos.models._message import Message
from agentos.models._openai_request import needs_file_reads
from agentos.models._response import ModelResponse, ResponseFormat, ToolDefinition

__all__ = ["Claude"]

ANTHROPIC_BASE_URL = "https://api.anthropic.com"
ANTHROPIC_VERSION = "2023-06-01"


@dataclass(kw_only=True, slots=True)
class Claude(Model):
    """An Anthropic model. Safe to share between concurrent runs."""

    id: str = "claude-sonnet-4-5"
    name: str | None = "Claude"
    provider: str | None = "Anthropic"

    max_tokens: int | None = 8192
    top_k: int | None = None
    stop_sequences: list[str] | None = None
    thinking: dict[str, Any] | None = None  # e.g. {"type": "enabled", "budget_tokens": 2048}
    disable_parallel_tool_use: bool | None = None
    metadata: dict[str, Any] | None = None
    betas: list[str] | None = None

    api_key: str | None = field(default=None, repr=False)
    base_url: str | httpx.URL | None = None
    anthropic_version: str = ANTHROPIC_VERSION
    timeout: float | None = None
    max_retries: int = 2
    retry_backoff: float = 0.5
    retry_backoff_max: float = 8.0
    default_headers: dict[str, str] | None = None
    extra_headers: dict[str, str] | None = None
    extra_query: dict[str, Any] | None = None
    extra_body: dict[str, Any] | None = None
    http_client: httpx.AsyncClient | None = field(default=None, repr=False)
    client_params: dict[str, Any] | None = None

    supports_native_structured_outputs: bool = field(default=False, repr=False)
    supports_json_mode: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        if self.http_client is not None and not isinstance(self.http_client, httpx.AsyncClient):
            raise TypeError(
                "Claude.http_client must be an httpx.AsyncClient: the engine is async and a sync "
                f"client would block the event loop (got {type(self.http_client).__name__})"
            )

    def _resolved_base_url(self) -> str:
        base = self.base_url or os.environ.get("ANTHROPIC_BASE_URL") or ANTHROPIC_BASE_URL
        return str(base).rstrip("/")

    def _headers(self, base_url: str) -> dict[str, str]:
        api_key = self.api_key or os.environ.get("ANTHROPIC_API_KEY")
        if not api_key and httpx.URL(base_url).host == "api.anthropic.com":
            raise ModelNotConfiguredError(
                f"Claude({self.id}) has no API key: set ANTHROPIC_API_KEY (or pass api_key=...), "
                "or point ANTHROPIC_BASE_URL / base_url at an Anthropic-compatible server",
                model_name=self.name,
                model_id=self.id,
            )
        headers = {"anthropic-version": self.anthropic_version}
        if api_key:
            headers["x-api-key"] = api_key
        if self.betas:
            headers["anthropic-beta"] = ",".join(self.betas)
        headers.update(self.default_headers or {})
        headers.update(self.extra_headers or {})
        return headers

    def request_body(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None = None,
        tool_choice: ToolChoice = None,
        stream: bool = False,
    ) -> dict[str, Any]:
        """The JSON body sent to ``/v1/messages`` (media files must be readable)."""
        system, formatted = format_messages(messages)
        body: dict[str, Any] = {
            "model": self.id,
            "max_tokens": self.max_tokens or 8192,
            "messages": formatted,
        }
        if system:
            body["system"] = system
        for name in ("temperature", "top_p", "top_k", "thinking", "metadata"):
            value = getattr(self, name)
            if value is not None:
                body[name] = value
        stops = list(self.stop_sequences or [])
        if self.stop:
            stops.extend([self.stop] if isinstance(self.stop, str) else self.stop)
        if stops:
            body["stop_sequences"] = stops
        if tools:
            body["tools"] = format_tools(tools)
            choice = format_tool_choice(tool_choice) if tool_choice is not None else None
            if self.disable_parallel_tool_use is not None:
                choice = {
                    **(choice or {"type": "auto"}),
                    "disable_parallel_tool_use": self.disable_parallel_tool_use,
                }
            if choice is not None:
                body["tool_choice"] = choice
        if stream:
            body["stream"] = True
        body.update(self.request_params or {})
        body.update(self.extra_body or {})
        return body

    async def _call(
        self,
        messages: Sequence[Message],
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        stream: bool,
    ) -> HTTPCall:
        base_url = self._resolved_base_url()
        headers = self._headers(base_url)
        if needs_file_reads(messages):
            body = await asyncio.to_thread(
                lambda: self.request_body(messages, tools=tools, tool_choice=tool_choice, stream=stream)
            )
        else:
            body = self.request_body(messages, tools=tools, tool_choice=tool_choice, stream=stream)
        return HTTPCall(
            url=f"{base_url}/v1/messages",
            headers=headers,
            body=body,
            params=dict(self.extra_query) if self.extra_query else None,
            timeout=make_timeout(self.timeout),
            retry=RetryPolicy(
                max_retries=self.max_retries,
                backoff_base=self.retry_backoff,
                backoff_max=self.retry_backoff_max,
            ),
            endpoint=Endpoint(
                provider=self.provider or "Anthropic", model_id=self.id, model_name=self.name or "Claude"
            ),
        )

    async def _ainvoke(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
    ) -> ModelResponse:
        call = await self._call(messages, tools, tool_choice, stream=False)
        source = await client_for(call.url, http_client=self.http_client, client_params=self.client_params)
        started = time.perf_counter()
        response = parse_message(call.endpoint, await post_json(source, call))
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
        call = await self._call(messages, tools, tool_choice, stream=True)
        source = await client_for(call.url, http_client=self.http_client, client_params=self.client_params)
        started = time.perf_counter()
        first_token: float | None = None
        assembler = StreamAssembler(call.endpoint)
        async with aclosing(stream_sse(source, call)) as events:
            async for event in events:
                if assembler.stopped:
                    continue  # read to the end so the connection goes back to the pool
                delta = assembler.feed(event.event, parse_event_json(call.endpoint, event))
                if delta is not None:
                    if first_token is None:
                        first_token = time.perf_counter() - started
                    yield delta
        if not assembler.stopped:
            raise call.endpoint.error("stream ended before message_stop", retryable=True)
        final = assembler.finish()
        if final.usage is not None:
            final.usage.time_to_first_token = first_token
            final.usage.duration = time.perf_counter() - started
        yield final
