"""Claude against the local Anthropic-compatible server: request shape, replies, streams, errors."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from agentos.exceptions import (
    ModelNotConfiguredError,
    ModelProviderError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from agentos.media import Image
from agentos.models import Message, ModelResponse, ToolCall, ToolDefinition
from agentos.models.anthropic import Claude
from fake_anthropic import FakeAnthropic, Hang, ToolUse, Turn, Usage, error, sse

WEATHER = ToolDefinition(
    name="get_weather",
    description="Weather for a city.",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
HI = [Message(role="user", content="hi")]


def claude_for(server: FakeAnthropic, **kwargs: Any) -> Claude:
    kwargs.setdefault("retry_backoff", 0.001)
    return Claude(base_url=server.base_url, api_key="sk-ant-test", **kwargs)


async def collect(model: Claude, messages: list[Message] = HI, **kwargs: Any) -> list[ModelResponse]:
    return [delta async for delta in model.astream(messages, **kwargs)]


async def test_request_shape_system_merge_tool_results_and_headers(
    fake_anthropic_server: FakeAnthropic,
) -> None:
    fake_anthropic_server.script(Turn("done"))
    model = claude_for(
        fake_anthropic_server, temperature=0.3, top_k=5, stop=["STOP"], extra_headers={"x-a": "b"}
    )
    png = b"\x89PNG-fake"
    messages = [
        Message(role="system", content="You are terse."),
        Message(role="system", content="Answer in French."),
        Message(role="user", content="Weather?", images=[Image(content=png, mime_type="image/png")]),
        Message(role="user", content="In Paris and Lyon.", images=[Image(url="https://example.com/x.jpg")]),
        Message(
            role="assistant",
            content="Let me check.",
            tool_calls=[
                ToolCall(id="toolu_1", name="get_weather", arguments='{"city": "Paris"}'),
                ToolCall(id="toolu_2", name="get_weather", arguments='{"city": "Lyon"}'),
            ],
        ),
        Message(role="tool", tool_call_id="toolu_1", content="sunny"),
        Message(role="tool", tool_call_id="toolu_2", content="city not found", tool_call_error=True),
    ]
    await model.ainvoke(messages, tools=[WEATHER], tool_choice="required")

    request = fake_anthropic_server.requests[0]
    assert request.path == "/v1/messages"
    assert request.headers["x-api-key"] == "sk-ant-test"
    assert request.headers["anthropic-version"] == "2023-06-01"
    assert request.headers["x-a"] == "b"
    body = request.json()
    assert body["model"] == "claude-sonnet-4-5" and body["max_tokens"] == 8192
    assert body["system"] == "You are terse.\n\nAnswer in French."
    assert body["temperature"] == 0.3 and body["top_k"] == 5 and body["stop_sequences"] == ["STOP"]
    assert body["tools"] == [
        {"name": "get_weather", "input_schema": WEATHER.parameters, "description": "Weather for a city."}
    ]
    assert body["tool_choice"] == {"type": "any"}
    assert [m["role"] for m in body["messages"]] == ["user", "assistant", "user"]
    assert body["messages"][0]["content"] == [
        {"type": "text", "text": "Weather?"},
        {
            "type": "image",
            "source": {"type": "base64", "media_type": "image/png", "data": base64.b64encode(png).decode()},
        },
        {"type": "text", "text": "In Paris and Lyon."},
        {"type": "image", "source": {"type": "url", "url": "https://example.com/x.jpg"}},
    ]
    assert body["messages"][1]["content"] == [
        {"type": "text", "text": "Let me check."},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
        {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {"city": "Lyon"}},
    ]
    assert body["messages"][2]["content"] == [
        {"type": "tool_result", "tool_use_id": "toolu_1", "content": "sunny"},
        {"type": "tool_result", "tool_use_id": "toolu_2", "content": "city not found", "is_error": True},
    ]


async def test_whole_reply_text_thinking_tool_use_and_usage(fake_anthropic_server: FakeAnthropic) -> None:
    usage = Usage(
        input_tokens=20, output_tokens=9, cache_creation_input_tokens=100, cache_read_input_tokens=50
    )
    fake_anthropic_server.script(
        Turn(
            "Checking.",
            thinking="User wants weather.",
            tool_calls=[ToolUse("get_weather", {"city": "Oslo"})],
            usage=usage,
        )
    )
    response = await claude_for(fake_anthropic_server).ainvoke(HI, tools=[WEATHER])
    assert response.content == "Checking."
    assert response.reasoning_content == "User wants weather."
    assert [(c.name, c.parsed_arguments()) for c in response.tool_calls] == [
        ("get_weather", {"city": "Oslo"})
    ]
    assert response.tool_calls[0].id.startswith("toolu_")
    assert response.finish_reason == "tool_calls"
    assert response.provider_data is not None and response.provider_data["stop_reason"] == "tool_use"
    assert response.provider_data["thinking_blocks"][0]["signature"] == "sig-1"
    assert response.usage is not None
    assert response.usage.input_tokens == 170 and response.usage.output_tokens == 9
    assert response.usage.cache_write_tokens == 100 and response.usage.cache_read_tokens == 50
    assert response.usage.total_tokens == 179


async def test_thinking_blocks_are_sent_back_with_the_tool_turn(fake_anthropic_server: FakeAnthropic) -> None:
    fake_anthropic_server.script(
        Turn(thinking="plan", tool_calls=[ToolUse("get_weather", {"city": "Rome"})]), Turn("Hot.")
    )
    model = claude_for(fake_anthropic_server, thinking={"type": "enabled", "budget_tokens": 1024})
    messages = list(HI)
    first = await model.ainvoke(messages, tools=[WEATHER])
    messages.append(
        Message(
            role="assistant",
            content=first.content,
            tool_calls=first.tool_calls,
            provider_data=first.provider_data,
        )
    )
    messages.append(Message(role="tool", tool_call_id=first.tool_calls[0].id, content="35C"))
    assert (await model.ainvoke(messages, tools=[WEATHER])).content == "Hot."
    second = fake_anthropic_server.bodies[1]
    assert second["thinking"] == {"type": "enabled", "budget_tokens": 1024}
    assistant_blocks = second["messages"][1]["content"]
    assert assistant_blocks[0] == {"type": "thinking", "thinking": "plan", "signature": "sig-1"}
    assert assistant_blocks[1]["type"] == "tool_use"


async def test_streaming_text_thinking_and_tool_use(fake_anthropic_server: FakeAnthropic) -> None:
    calls = [ToolUse("get_weather", {"city": "San Francisco"}), ToolUse("get_weather", {"city": "Tokyo"})]
    usage = Usage(input_tokens=40, output_tokens=17, cache_read_input_tokens=10)
    fake_anthropic_server.script(
        Turn("Looking up both.", thinking="Two cities.", tool_calls=calls, usage=usage)
    )
    deltas = await collect(claude_for(fake_anthropic_server), tools=[WEATHER])
    assert fake_anthropic_server.bodies[0]["stream"] is True
    assert "".join(d.content or "" for d in deltas) == "Looking up both."
    assert "".join(d.reasoning_content or "" for d in deltas) == "Two cities."
    assert len([d for d in deltas if d.content]) > 1
    final = deltas[-1]
    assert [d for d in deltas if d.tool_calls] == [final]
    assert [c.parsed_arguments() for c in final.tool_calls] == [{"city": "San Francisco"}, {"city": "Tokyo"}]
    assert final.finish_reason == "tool_calls"
    assert final.usage is not None
    assert (final.usage.input_tokens, final.usage.output_tokens, final.usage.cache_read_tokens) == (
        50,
        17,
        10,
    )
    assert (
        final.provider_data is not None
        and final.provider_data["thinking_blocks"][0]["thinking"] == "Two cities."
    )


async def test_529_overloaded_is_retried_then_succeeds(fake_anthropic_server: FakeAnthropic) -> None:
    fake_anthropic_server.script(error(529, "Overloaded", type="overloaded_error"), Turn("fine"))
    assert (await claude_for(fake_anthropic_server).ainvoke(HI)).content == "fine"
    assert len(fake_anthropic_server.requests) == 2


async def test_429_retry_after_is_honoured(fake_anthropic_server: FakeAnthropic) -> None:
    fake_anthropic_server.script(
        error(429, "rate limited", type="rate_limit_error", headers={"retry-after": "1"}), Turn("ok")
    )
    assert (await claude_for(fake_anthropic_server).ainvoke(HI)).content == "ok"
    first, second = fake_anthropic_server.requests
    assert second.received_at - first.received_at >= 0.95


async def test_exhausted_retries_and_non_retryable_errors(fake_anthropic_server: FakeAnthropic) -> None:
    fake_anthropic_server.script(
        error(529, "Overloaded", type="overloaded_error"),
        error(529, "Overloaded", type="overloaded_error"),
        error(401, "invalid x-api-key", type="authentication_error"),
        Turn("unused"),
    )
    with pytest.raises(ModelProviderError) as overloaded:
        await claude_for(fake_anthropic_server, max_retries=1).ainvoke(HI)
    assert overloaded.value.status_code == 529 and overloaded.value.retryable
    with pytest.raises(ModelProviderError) as unauthorized:
        await claude_for(fake_anthropic_server, max_retries=3).ainvoke(HI)
    assert unauthorized.value.status_code == 401 and not unauthorized.value.retryable
    assert "invalid x-api-key" in str(unauthorized.value)
    assert len(fake_anthropic_server.requests) == 3


async def test_rate_limit_error_class(fake_anthropic_server: FakeAnthropic) -> None:
    fake_anthropic_server.script(error(429, "slow"))
    with pytest.raises(ModelRateLimitError):
        await claude_for(fake_anthropic_server, max_retries=0).ainvoke(HI)


async def test_timeout(fake_anthropic_server: FakeAnthropic) -> None:
    fake_anthropic_server.script(Hang())
    with pytest.raises(ModelTimeoutError):
        await claude_for(fake_anthropic_server, timeout=0.2, max_retries=0).ainvoke(HI)


async def test_error_event_in_stream_and_malformed_event(fake_anthropic_server: FakeAnthropic) -> None:
    overloaded = json.dumps({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})
    fake_anthropic_server.script(
        sse(
            ("message_start", json.dumps({"type": "message_start", "message": {"id": "m"}})),
            ("error", overloaded),
        ),
        sse(("message_start", "{broken")),
    )
    with pytest.raises(ModelProviderError) as in_band:
        await collect(claude_for(fake_anthropic_server))
    assert "Overloaded" in str(in_band.value) and in_band.value.retryable
    with pytest.raises(ModelProviderError) as malformed:
        await collect(claude_for(fake_anthropic_server))
    assert "malformed SSE event" in str(malformed.value)


async def test_stream_without_message_stop_is_an_error(fake_anthropic_server: FakeAnthropic) -> None:
    fake_anthropic_server.script(sse(("message_start", json.dumps({"type": "message_start", "message": {}}))))
    with pytest.raises(ModelProviderError) as info:
        await collect(claude_for(fake_anthropic_server, max_retries=0))
    assert "message_stop" in str(info.value)


async def test_missing_key_names_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    monkeypatch.delenv("ANTHROPIC_BASE_URL", raising=False)
    with pytest.raises(ModelNotConfiguredError) as info:
        await Claude().ainvoke(HI)
    assert "ANTHROPIC_API_KEY" in str(info.value)


async def test_capabilities_and_ignored_response_format(fake_anthropic_server: FakeAnthropic) -> None:
    model = claude_for(fake_anthropic_server)
    assert not model.supports_native_structured_outputs and not model.supports_json_mode
    assert "sk-ant-test" not in repr(model)
