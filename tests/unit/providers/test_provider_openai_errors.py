"""OpenAIChat failure handling: HTTP errors, retries with Retry-After, timeouts, broken replies."""

from __future__ import annotations

import email.utils
import math
import time
from typing import Any

import pytest
from agentos.exceptions import (
    ModelNotConfiguredError,
    ModelProviderError,
    ModelRateLimitError,
    ModelTimeoutError,
)
from agentos.models import Message, ModelResponse
from agentos.models.openai import OpenAIChat
from fake_openai import FakeOpenAI, Hang, Reply, StreamReply, Turn, error, sse

HI = [Message(role="user", content="hi")]


def model_for(server: FakeOpenAI, **kwargs: Any) -> OpenAIChat:
    kwargs.setdefault("retry_backoff", 0.001)
    return OpenAIChat(base_url=server.base_url, api_key="sk-test", **kwargs)


async def collect(model: OpenAIChat) -> list[ModelResponse]:
    return [delta async for delta in model.astream(HI)]


async def test_429_with_retry_after_seconds_is_waited_then_succeeds(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(
        error(429, "Rate limit reached for gpt-4o", type="rate_limit_error", headers={"retry-after": "1"}),
        Turn("after the wait"),
    )
    response = await model_for(fake_openai_server).ainvoke(HI)
    assert response.content == "after the wait"
    first, second = fake_openai_server.requests
    # The backoff is set to 1 ms, so only the header can explain a gap of a second.
    assert second.received_at - first.received_at >= 0.95


async def test_retry_after_ms_and_http_date_forms(fake_openai_server: FakeOpenAI) -> None:
    # At least one second after the 300 ms wait below (HTTP dates have one-second resolution).
    later = email.utils.formatdate(math.ceil(time.time()) + 1, usegmt=True)
    fake_openai_server.script(
        error(429, "slow down", headers={"retry-after-ms": "300"}),
        error(503, "busy", headers={"retry-after": later}),
        Turn("ok"),
    )
    response = await model_for(fake_openai_server).ainvoke(HI)
    assert response.content == "ok"
    times = [r.received_at for r in fake_openai_server.requests]
    assert times[1] - times[0] >= 0.29
    assert times[2] - times[1] >= 0.5


async def test_500_until_retries_run_out_raises_retryable_error(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(*(error(500, "The server had an error", type="server_error") for _ in range(3)))
    with pytest.raises(ModelProviderError) as info:
        await model_for(fake_openai_server, max_retries=2).ainvoke(HI)
    assert len(fake_openai_server.requests) == 3
    assert info.value.status_code == 500 and info.value.retryable
    assert "The server had an error" in str(info.value)
    assert info.value.model_id == "gpt-4o"


async def test_model_level_retries_wrap_transport_retries(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(error(502, "bad gateway"), error(502, "bad gateway"), Turn("third time"))
    model = model_for(fake_openai_server, max_retries=0, retries=2, delay_between_retries=0.001)
    assert (await model.ainvoke(HI)).content == "third time"
    assert len(fake_openai_server.requests) == 3


@pytest.mark.parametrize("status", [400, 401, 403, 404])
async def test_client_errors_are_not_retried(fake_openai_server: FakeOpenAI, status: int) -> None:
    fake_openai_server.script(error(status, "Incorrect API key provided: sk-test"), Turn("never sent"))
    with pytest.raises(ModelProviderError) as info:
        await model_for(fake_openai_server, max_retries=3, retries=3).ainvoke(HI)
    assert len(fake_openai_server.requests) == 1
    assert info.value.status_code == status and not info.value.retryable
    assert "Incorrect API key provided" in info.value.message


async def test_429_exhausted_is_a_rate_limit_error(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(error(429, "quota"), error(429, "quota"))
    with pytest.raises(ModelRateLimitError) as info:
        await model_for(fake_openai_server, max_retries=1).ainvoke(HI)
    assert info.value.retryable and info.value.status_code == 429


async def test_x_should_retry_header_overrides_the_status(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(error(500, "do not retry me", headers={"x-should-retry": "false"}), Turn("no"))
    with pytest.raises(ModelProviderError) as info:
        await model_for(fake_openai_server).ainvoke(HI)
    assert not info.value.retryable and len(fake_openai_server.requests) == 1


async def test_timeout_raises_model_timeout_error_after_retries(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(Hang(), Hang())
    with pytest.raises(ModelTimeoutError) as info:
        await model_for(fake_openai_server, timeout=0.2, max_retries=1).ainvoke(HI)
    assert info.value.retryable
    assert len(fake_openai_server.requests) == 2


async def test_stream_that_stalls_mid_way_times_out(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(
        sse('{"choices":[{"index":0,"delta":{"content":"Hel"}}]}', '{"choices":[]}', hang_after=1)
    )
    received: list[str] = []
    with pytest.raises(ModelTimeoutError):
        async for delta in model_for(fake_openai_server, timeout=0.3, max_retries=0).astream(HI):
            received.append(delta.content or "")
    assert received == ["Hel"]


async def test_malformed_sse_event_is_a_provider_error(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(sse('{"choices":[{"index":0,"delta":{"content":"ok"}}]}', "{not json"))
    with pytest.raises(ModelProviderError) as info:
        await collect(model_for(fake_openai_server))
    assert "malformed SSE event" in str(info.value) and "{not json" in str(info.value)


async def test_malformed_json_body_is_a_provider_error(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(Reply(body=b"<html>oops</html>", headers={"content-type": "application/json"}))
    with pytest.raises(ModelProviderError) as info:
        await model_for(fake_openai_server).ainvoke(HI)
    assert "malformed JSON" in str(info.value) and "<html>oops" in str(info.value)


async def test_truncated_stream_is_a_retryable_provider_error(fake_openai_server: FakeOpenAI) -> None:
    chunk = b'data: {"choices":[{"index":0,"delta":{"content":"partial"}}]}\n\n'
    fake_openai_server.script(StreamReply(chunks=[chunk, chunk], close_after=1))
    with pytest.raises(ModelProviderError) as info:
        await collect(model_for(fake_openai_server, max_retries=0))
    assert info.value.retryable


async def test_error_event_inside_a_stream(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(sse('{"error": {"message": "model overloaded", "type": "server_error"}}'))
    with pytest.raises(ModelProviderError) as info:
        await collect(model_for(fake_openai_server))
    assert "model overloaded" in str(info.value) and info.value.retryable


async def test_stream_error_status_is_retried_before_the_first_byte(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(error(503, "warming up"), Turn("streamed"))
    deltas = await collect(model_for(fake_openai_server))
    assert "".join(d.content or "" for d in deltas) == "streamed"
    assert len(fake_openai_server.requests) == 2


async def test_missing_api_key_for_openai_names_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    with pytest.raises(ModelNotConfiguredError) as info:
        await OpenAIChat().ainvoke(HI)
    assert "OPENAI_API_KEY" in str(info.value) and "OPENAI_BASE_URL" in str(info.value)


async def test_compatible_server_needs_no_key(
    fake_openai_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai_server.base_url)
    fake_openai_server.script(Turn("local"))
    assert (await OpenAIChat(id="llama3").ainvoke(HI)).content == "local"
    assert "authorization" not in fake_openai_server.requests[0].headers


async def test_env_api_key_is_read_at_call_time(
    fake_openai_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = OpenAIChat(base_url=fake_openai_server.base_url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-from-env")
    fake_openai_server.script(Turn("ok"))
    await model.ainvoke(HI)
    assert fake_openai_server.requests[0].headers["authorization"] == "Bearer sk-from-env"
