from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from agentos.exceptions import (
    CheckTrigger,
    InputCheckError,
    ModelNotConfiguredError,
    ModelProviderError,
    ModelRateLimitError,
    OutputCheckError,
)
from agentos.guardrails import OpenAIModerationGuardrail
from agentos.media import Image
from agentos.run import RunInput, RunOutput
from fake_moderation import FakeModeration, fake_moderation_server


@pytest.fixture
def server() -> Iterator[FakeModeration]:
    with fake_moderation_server() as state:
        yield state


def guard(server: FakeModeration, **kwargs: object) -> OpenAIModerationGuardrail:
    return OpenAIModerationGuardrail(api_key="sk-test", base_url=server.base_url, **kwargs)  # type: ignore[arg-type]


async def test_flagged_input_is_refused_with_categories(server: FakeModeration) -> None:
    with pytest.raises(InputCheckError) as info:
        await guard(server).async_check(RunInput(input_content="I will kill the process... and you"))
    err = info.value
    assert err.check_trigger == CheckTrigger.MODERATION_FLAGGED
    assert err.additional_data == {
        "flagged_categories": ["violence"],
        "moderation_model": "omni-moderation-latest",
    }
    assert server.requests == [
        {"model": "omni-moderation-latest", "input": "I will kill the process... and you"}
    ]
    assert server.headers[0]["authorization"] == "Bearer sk-test"


async def test_clean_input_passes(server: FakeModeration) -> None:
    await guard(server, moderation_model="text-moderation-stable").async_check(
        RunInput(input_content="hello there")
    )
    assert server.requests[0]["model"] == "text-moderation-stable"


def test_sync_check_uses_the_same_endpoint(server: FakeModeration) -> None:
    with pytest.raises(InputCheckError):
        guard(server).check(RunInput(input_content="hateful words"))
    guard(server).check(RunInput(input_content="kind words"))
    assert len(server.requests) == 2


async def test_raise_for_categories_limits_what_blocks(server: FakeModeration) -> None:
    only_hate = guard(server, raise_for_categories=["hate"])
    await only_hate.async_check(RunInput(input_content="kill"))  # violence only: allowed
    with pytest.raises(InputCheckError) as info:
        await only_hate.async_check(RunInput(input_content="hateful"))
    assert info.value.additional_data is not None
    assert info.value.additional_data["flagged_categories"] == ["hate"]


async def test_parent_category_covers_sub_categories(server: FakeModeration) -> None:
    with pytest.raises(InputCheckError) as info:
        await guard(server, raise_for_categories=["violence"]).async_check(RunInput(input_content="gore"))
    assert info.value.additional_data is not None
    assert info.value.additional_data["flagged_categories"] == ["violence/graphic"]
    await guard(server, raise_for_categories=["violence/graphic"]).async_check(RunInput(input_content="kill"))


async def test_output_position_raises_output_error(server: FakeModeration) -> None:
    with pytest.raises(OutputCheckError):
        await guard(server).async_check_output(RunOutput(content="kill them all"))


async def test_empty_input_skips_the_request(server: FakeModeration) -> None:
    await guard(server).async_check(RunInput(input_content="   "))
    assert server.requests == []


async def test_images_are_sent_as_multimodal_parts(server: FakeModeration) -> None:
    run_input = RunInput(
        input_content="look",
        images=[
            Image(url="https://example.invalid/cat.png"),
            Image(content=b"\x89PNG", mime_type="image/png"),
        ],
    )
    await guard(server).async_check(run_input)
    assert server.requests[0]["input"] == [
        {"type": "text", "text": "look"},
        {"type": "image_url", "image_url": {"url": "https://example.invalid/cat.png"}},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw=="}},
    ]


async def test_env_configuration(server: FakeModeration, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    monkeypatch.setenv("OPENAI_BASE_URL", server.base_url + "/")
    await OpenAIModerationGuardrail().async_check(RunInput(input_content="hi"))
    assert server.headers[0]["authorization"] == "Bearer sk-env"


async def test_missing_api_key_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ModelNotConfiguredError, match="OPENAI_API_KEY"):
        await OpenAIModerationGuardrail(base_url="http://127.0.0.1:9/v1").async_check(
            RunInput(input_content="hi")
        )


async def test_http_errors_become_provider_errors(server: FakeModeration) -> None:
    server.fail_status = 500
    with pytest.raises(ModelProviderError) as info:
        await guard(server).async_check(RunInput(input_content="hi"))
    assert info.value.status_code == 500
    assert info.value.retryable

    server.fail_status = 401
    with pytest.raises(ModelProviderError) as info:
        guard(server).check(RunInput(input_content="hi"))
    assert info.value.status_code == 401
    assert not info.value.retryable


async def test_rate_limit_carries_retry_after(server: FakeModeration) -> None:
    server.fail_status = 429
    server.fail_headers = {"Retry-After": "7"}
    with pytest.raises(ModelRateLimitError) as info:
        await guard(server).async_check(RunInput(input_content="hi"))
    assert info.value.retry_after == 7.0


@pytest.mark.parametrize("body", ["not json", '{"results": "nope"}', "[1, 2]"])
async def test_malformed_responses_are_provider_errors(server: FakeModeration, body: str) -> None:
    server.raw_body = body
    with pytest.raises(ModelProviderError, match="moderation request failed"):
        await guard(server).async_check(RunInput(input_content="hi"))


async def test_connection_failure_is_a_retryable_provider_error() -> None:
    with fake_moderation_server() as state:
        dead_url = state.base_url
    with pytest.raises(ModelProviderError) as info:
        await OpenAIModerationGuardrail(api_key="k", base_url=dead_url).async_check(
            RunInput(input_content="hi")
        )
    assert info.value.retryable


async def test_shared_clients_are_used(server: FakeModeration) -> None:
    async with httpx.AsyncClient() as async_client:
        shared = guard(server, async_http_client=async_client)
        with pytest.raises(InputCheckError):
            await shared.async_check(RunInput(input_content="kill"))
    with httpx.Client() as client:
        guard(server, http_client=client).check(RunInput(input_content="fine"))
    assert len(server.requests) == 2
