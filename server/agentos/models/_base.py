"""The model interface every provider implements.

Providers implement ``_ainvoke`` and ``_astream`` (one HTTP round trip, with their own
transport-level retries that honour Retry-After). The public ``ainvoke`` / ``astream`` add the
model-level ``retries`` (Agno's ``retries`` / ``delay_between_retries`` /
``exponential_backoff``) for errors the provider marks retryable; a stream is retried only if
it failed before yielding anything.
"""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from agentos.exceptions import ModelProviderError
from agentos.models._message import Message
from agentos.models._response import ModelResponse, ResponseFormat, ToolDefinition
from agentos.models._usage import report_usage

ToolChoice = str | dict[str, Any] | None


@dataclass(kw_only=True, slots=True, weakref_slot=True)
class Model(ABC):
    """Base of every model. Instances are shared by concurrent runs: keep them free of per-run state.

    Slotted (as is every provider dataclass here): an agent is built per request in many apps,
    and a provider has ~45 settings, so a ``__dict__`` per model doubled the cost of building
    one and took ~1.4 KiB more (benchmarks/suite/NOTES.md). Subclasses that want attributes
    beyond their fields either leave out ``slots=True`` (they get a ``__dict__`` back) or
    declare them as ``field(init=False)``. Zero-argument ``super()`` does not work in methods of
    a slotted dataclass before Python 3.14 (the decorator makes a new class): name the class.
    """

    id: str
    name: str | None = None
    provider: str | None = None
    temperature: float | None = None
    max_tokens: int | None = None
    top_p: float | None = None
    stop: str | list[str] | None = None
    seed: int | None = None
    frequency_penalty: float | None = None
    presence_penalty: float | None = None
    request_params: dict[str, Any] | None = None
    retries: int = 0
    delay_between_retries: float = 1.0
    exponential_backoff: bool = False
    # Capabilities the engine consults for structured output.
    supports_native_structured_outputs: bool = field(default=False, repr=False)
    supports_json_mode: bool = field(default=False, repr=False)

    @property
    def key(self) -> str:
        """ "provider:id", used to key per-model metrics."""
        return f"{(self.provider or type(self).__name__).lower()}:{self.id}"

    @abstractmethod
    async def _ainvoke(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
    ) -> ModelResponse: ...

    @abstractmethod
    def _astream(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
    ) -> AsyncIterator[ModelResponse]: ...

    async def ainvoke(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None = None,
        tool_choice: ToolChoice = None,
        response_format: ResponseFormat | None = None,
    ) -> ModelResponse:
        attempt = 0
        while True:
            try:
                response = await self._ainvoke(
                    messages, tools=tools, tool_choice=tool_choice, response_format=response_format
                )
            except ModelProviderError as exc:
                if not exc.retryable or attempt >= self.retries:
                    raise
                await asyncio.sleep(self._retry_delay(attempt, exc))
                attempt += 1
                continue
            report_usage(self.key, response.usage)
            return response

    async def astream(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None = None,
        tool_choice: ToolChoice = None,
        response_format: ResponseFormat | None = None,
    ) -> AsyncIterator[ModelResponse]:
        attempt = 0
        while True:
            yielded = False
            usage = None
            try:
                async for delta in self._astream(
                    messages, tools=tools, tool_choice=tool_choice, response_format=response_format
                ):
                    yielded = True
                    if delta.usage is not None:
                        usage = delta.usage  # providers report it once, or cumulatively: last wins
                    yield delta
                report_usage(self.key, usage)
                return
            except ModelProviderError as exc:
                if yielded or not exc.retryable or attempt >= self.retries:
                    raise
                await asyncio.sleep(self._retry_delay(attempt, exc))
                attempt += 1

    def _retry_delay(self, attempt: int, exc: ModelProviderError) -> float:
        if exc.retry_after is not None:
            return exc.retry_after
        if self.exponential_backoff:
            return float(self.delay_between_retries * (2**attempt))
        return self.delay_between_retries

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name or type(self).__name__, "provider": self.provider}
