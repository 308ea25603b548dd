"""CompressionManager: thresholds, in-place concurrent compression, stats and failures."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from agentos.compression import CompressionManager, estimate_tokens
from agentos.models import Message, ToolCall, ToolDefinition
from agentos.models.scripted import FunctionModel, ModelCallInfo, fail


def conversation(*results: str, error_last: bool = False) -> list[Message]:
    """A system message, a user turn and one assistant call + tool result per result."""
    messages = [Message(role="system", content="sys"), Message(role="user", content="go")]
    for i, result in enumerate(results):
        call = ToolCall(id=f"c{i}", name="search", arguments=f'{{"q": "query {i}"}}')
        messages.append(Message(role="assistant", tool_calls=[call]))
        messages.append(Message(role="tool", content=result, tool_call_id=call.id, tool_name="search"))
    if error_last:
        messages[-1].tool_call_error = True
    return messages


def shortener(messages: list[Message], info: ModelCallInfo) -> str:
    """Keeps the first word of the tool result."""
    result = messages[-1].content_text().split("<tool_result>\n")[1].split("\n</tool_result>")[0]
    return "short:" + result.split()[0]


LONG = "alpha " + "filler " * 50


def test_the_count_threshold_defaults_to_three_uncompressed_results() -> None:
    manager = CompressionManager()
    assert manager.compress_tool_results_limit == 3
    assert not manager.should_compress(conversation(LONG, LONG))
    assert manager.should_compress(conversation(LONG, LONG, LONG))
    compressed = conversation(LONG, LONG, LONG)
    compressed[3].compressed_content = "x"
    assert not manager.should_compress(compressed)  # only uncompressed results count
    assert not manager.should_compress(conversation(LONG, LONG, LONG, error_last=True))
    assert not CompressionManager(compress_tool_results=False).should_compress(conversation(LONG, LONG, LONG))


def test_the_token_threshold_counts_messages_and_tool_schemas() -> None:
    manager = CompressionManager(compress_token_limit=200)
    assert manager.compress_tool_results_limit is None
    small = conversation("tiny result")
    assert not manager.should_compress(small)
    assert manager.should_compress(conversation("x" * 1000))
    schema = ToolDefinition(name="t", description="d" * 1000)
    assert estimate_tokens(small, [schema]) > estimate_tokens(small)
    assert manager.should_compress(small, tools=[schema])
    # No tool result to compress: never worth a compression pass, however large.
    assert not manager.should_compress([Message(role="user", content="x" * 5000)])


async def test_either_threshold_triggers() -> None:
    manager = CompressionManager(compress_tool_results_limit=5, compress_token_limit=300)
    assert await manager.ashould_compress(conversation("y" * 2000))
    assert await manager.ashould_compress(conversation(*["r"] * 5))
    assert not await manager.ashould_compress(conversation("r", "r"))


def test_limits_must_be_positive() -> None:
    with pytest.raises(ValueError, match="compress_tool_results_limit"):
        CompressionManager(compress_tool_results_limit=0)
    with pytest.raises(ValueError, match="compress_token_limit"):
        CompressionManager(compress_token_limit=-1)


async def test_compress_rewrites_tool_results_in_place_concurrently() -> None:
    started: list[str] = []
    all_started = asyncio.Event()

    async def model_fn(messages: list[Message], info: ModelCallInfo) -> str:
        started.append(messages[-1].content_text())
        if len(started) == 3:
            all_started.set()
        # Every call waits for the others: this only finishes if the three run at once.
        await all_started.wait()
        return shortener(messages, info)

    manager = CompressionManager(model=FunctionModel(fn=model_fn))
    messages = conversation("alpha " + "x " * 100, "beta " + "y " * 100, "gamma " + "z " * 100)
    originals = [m.content for m in messages if m.role == "tool"]
    assert await asyncio.wait_for(manager.acompress(messages), timeout=30) == 3
    tool_messages = [m for m in messages if m.role == "tool"]
    assert [m.compressed_content for m in tool_messages] == ["short:alpha", "short:beta", "short:gamma"]
    # The originals stay (stored with the run); providers send the stand-in.
    assert [m.content for m in tool_messages] == originals
    assert [m.content_for_model() for m in tool_messages] == ["short:alpha", "short:beta", "short:gamma"]
    # The model was told which tool produced the result and with which arguments.
    assert any('Tool: search\nArguments: {"q": "query 0"}\n<tool_result>\nalpha' in s for s in started)
    assert manager.stats["tool_results_compressed"] == 3
    assert manager.stats["compressed_chars"] < manager.stats["original_chars"]
    # Nothing left to compress.
    assert await manager.acompress(messages) == 0
    assert not manager.should_compress(messages)


async def test_custom_instructions_are_the_system_message() -> None:
    systems: list[str] = []

    def model_fn(messages: list[Message], info: ModelCallInfo) -> str:
        systems.append(messages[0].content_text())
        return "s"

    manager = CompressionManager(
        model=FunctionModel(fn=model_fn), compress_tool_call_instructions="Be brief."
    )
    await manager.acompress(conversation(LONG))
    assert systems == ["Be brief."]


async def test_failures_and_useless_rewrites() -> None:
    def model_fn(messages: list[Message], info: ModelCallInfo) -> Any:
        text = messages[-1].content_text()
        if "boom" in text:
            return fail("provider down")
        return text + " and more"  # longer than the original: not used

    manager = CompressionManager(model=FunctionModel(fn=model_fn))
    messages = conversation("boom " * 20, "fine " * 20)
    assert await manager.acompress(messages) == 0
    failed, longer = (m for m in messages if m.role == "tool")
    assert failed.compressed_content is None  # retried next time
    assert longer.compressed_content == longer.content  # kept as is, not sent for compression again
    assert manager.stats == {"failures": 1, "not_shortened": 1}


def test_compress_has_a_sync_twin() -> None:
    manager = CompressionManager(model=FunctionModel(fn=shortener))
    messages = conversation(LONG)
    assert manager.compress(messages) == 1
    assert messages[-1].compressed_content == "short:alpha"


async def test_with_defaults_lends_a_model_and_shares_stats() -> None:
    shared = CompressionManager()
    lent = shared.with_defaults(model=FunctionModel(fn=shortener))
    assert lent is not shared and shared.model is None
    await lent.acompress(conversation(LONG))
    assert shared.stats["tool_results_compressed"] == 1
    own = CompressionManager(model=FunctionModel(fn=shortener))
    assert own.with_defaults(model=FunctionModel(fn=shortener)) is own
