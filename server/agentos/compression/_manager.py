"""``CompressionManager``: shorter stand-ins for bulky tool results, written by a model.

Tool results (search hits, web pages, API dumps) dominate long tool loops: every later model
call re-sends them. Compression asks a model to rewrite each result into the facts that matter
and stores the rewrite in ``Message.compressed_content``; providers send that instead of the
original, which stays in the run's messages for storage and inspection.

When to compress (``should_compress``): when the conversation holds at least
``compress_tool_results_limit`` uncompressed tool results, or when its estimated size reaches
``compress_token_limit`` tokens. With neither limit given the count limit defaults to 3, as in
Agno. What is compressed (``acompress``): every tool result not compressed yet (errors and empty
results are left alone), each by its own model call, several at once.

The manager holds configuration and ``stats`` (running totals across every run that uses it,
updated under a lock because sync runs may use it from several threads); nothing per run.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from agentos.compression._tokens import estimate_tokens
from agentos.exceptions import ModelNotConfiguredError, ModelProviderError
from agentos.models import Message, Model

logger = logging.getLogger("agentos.compression")

DEFAULT_TOOL_RESULTS_LIMIT = 3
# Concurrent compression calls of one ``acompress``: enough to overlap model latency, few enough
# not to trip provider rate limits when a turn returned many results.
MAX_CONCURRENT_COMPRESSIONS = 8

DEFAULT_INSTRUCTIONS = (
    "You shorten the result of a tool call so that an assistant can keep working with it in less "
    "space. Keep every fact the assistant may need: names, numbers, dates, identifiers, URLs, "
    "errors, and anything that answers the request the tool was called for. Drop boilerplate, "
    "repetition, formatting and fields that carry no information. Do not add commentary or "
    "anything that is not in the result. Reply with the shortened result only."
)

_STATS_LOCK = threading.Lock()


def _is_candidate(message: Message) -> bool:
    return (
        message.role == "tool"
        and message.compressed_content is None
        and not message.tool_call_error
        and bool(message.content_text().strip())
    )


@dataclass(eq=False)
class CompressionManager:
    """Decides when tool results are compressed and compresses them (see the module docstring)."""

    model: Model | str | None = None
    compress_tool_results: bool = True
    compress_tool_results_limit: int | None = None
    compress_token_limit: int | None = None
    compress_tool_call_instructions: str | None = None
    stats: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("compress_tool_results_limit", "compress_token_limit"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ValueError(f"{name} must be at least 1, got {value}")
        if self.compress_tool_results_limit is None and self.compress_token_limit is None:
            self.compress_tool_results_limit = DEFAULT_TOOL_RESULTS_LIMIT

    def with_defaults(self, *, model: Model | None = None) -> CompressionManager:
        """This manager, or a copy using ``model`` when it has none; the copy shares ``stats``."""
        if self.model is None and model is not None:
            return dataclasses.replace(self, model=model)
        return self

    def _model(self) -> Model:
        model = self.model
        if isinstance(model, str):
            from agentos.models import get_model

            resolved = get_model(model)
            if not isinstance(resolved, Model):
                raise ModelNotConfiguredError(f"get_model({model!r}) did not return a Model")
            return resolved
        if model is None:
            raise ModelNotConfiguredError(
                "CompressionManager has no model: pass model=<Model> (an Agent lends its own model)"
            )
        return model

    # -- when --------------------------------------------------------------------------------------

    def should_compress(
        self, messages: Sequence[Message], tools: Sequence[Any] | None = None, model: Model | None = None
    ) -> bool:
        """True when either threshold is reached (see the module docstring).

        ``model`` is accepted for Agno compatibility: the token estimate does not depend on it.
        """
        if not self.compress_tool_results:
            return False
        candidates = sum(1 for m in messages if _is_candidate(m))
        if candidates == 0:
            return False
        limit = self.compress_tool_results_limit
        if limit is not None and candidates >= limit:
            return True
        token_limit = self.compress_token_limit
        return token_limit is not None and estimate_tokens(messages, tools) >= token_limit

    async def ashould_compress(
        self, messages: Sequence[Message], tools: Sequence[Any] | None = None, model: Model | None = None
    ) -> bool:
        """``should_compress`` (it does no I/O; the async form exists for symmetry with Agno)."""
        return self.should_compress(messages, tools, model)

    # -- how ---------------------------------------------------------------------------------------

    async def acompress(self, messages: Sequence[Message]) -> int:
        """Compress, in place, every tool result not compressed yet; returns how many were.

        A result the model fails on stays uncompressed (it is retried next time) and the failure
        is logged and counted; a rewrite that is not shorter than the original is not used, and
        the original is marked as its own compressed form so it is not sent to the model again.
        """
        if not self.compress_tool_results:
            return 0
        targets = [m for m in messages if _is_candidate(m)]
        if not targets:
            return 0
        model = self._model()
        calls = _tool_calls_by_id(messages)
        instructions = self.compress_tool_call_instructions or DEFAULT_INSTRUCTIONS
        gate = asyncio.Semaphore(MAX_CONCURRENT_COMPRESSIONS)

        async def one(message: Message) -> bool:
            async with gate:
                return await self._compress_one(model, instructions, message, calls)

        results = await asyncio.gather(*(one(m) for m in targets))
        return sum(results)

    def compress(self, messages: Sequence[Message]) -> int:
        from agentos.memory._sync import call_sync

        return call_sync("CompressionManager", "compress", lambda: self.acompress(messages))

    async def _compress_one(
        self, model: Model, instructions: str, message: Message, calls: dict[str, tuple[str, str]]
    ) -> bool:
        original = message.content_text()
        name, arguments = calls.get(message.tool_call_id or "", (message.tool_name or "unknown", ""))
        if not arguments and message.tool_args:
            arguments = json.dumps(message.tool_args, default=str)
        prompt = f"Tool: {name}\nArguments: {arguments or '{}'}\n<tool_result>\n{original}\n</tool_result>"
        request = [Message(role="system", content=instructions), Message(role="user", content=prompt)]
        try:
            response = await model.ainvoke(request)
        except ModelProviderError as exc:
            logger.warning("could not compress the result of tool call %s: %s", message.tool_call_id, exc)
            self._count(failures=1)
            return False
        shorter = (response.content or "").strip()
        if not shorter or len(shorter) >= len(original):
            message.compressed_content = original
            self._count(not_shortened=1)
            return False
        message.compressed_content = shorter
        self._count(tool_results_compressed=1, original_chars=len(original), compressed_chars=len(shorter))
        return True

    def _count(self, **increments: int) -> None:
        with _STATS_LOCK:
            for key, value in increments.items():
                self.stats[key] = self.stats.get(key, 0) + value


def _tool_calls_by_id(messages: Sequence[Message]) -> dict[str, tuple[str, str]]:
    """tool_call_id -> (tool name, raw JSON arguments), from the assistant messages."""
    found: dict[str, tuple[str, str]] = {}
    for message in messages:
        for call in message.tool_calls:
            found[call.id] = (call.name, call.arguments)
    return found
