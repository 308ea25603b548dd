"""get_model: "provider:model_id" strings, the built-in providers, and user registrations."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass

import pytest
from agentos.models import (
    Message,
    Model,
    ModelResponse,
    ResponseFormat,
    ToolChoice,
    ToolDefinition,
    get_model,
    model_providers,
    register_model_provider,
)
from agentos.models.anthropic import Claude
from agentos.models.openai import OpenAIChat
from fake_openai import FakeOpenAI, Turn


def test_builtin_provider_strings() -> None:
    openai = get_model("openai:gpt-4o-mini")
    assert isinstance(openai, OpenAIChat) and openai.id == "gpt-4o-mini"
    claude = get_model("anthropic:claude-sonnet-4-5")
    assert isinstance(claude, Claude) and claude.id == "claude-sonnet-4-5"
    assert {"openai", "openai-compatible", "anthropic"} <= set(model_providers())


def test_model_instances_pass_through() -> None:
    model = OpenAIChat(id="gpt-4.1")
    assert get_model(model) is model


@pytest.mark.parametrize("bad", ["gpt-4o", "openai:", ":gpt-4o", ""])
def test_malformed_strings_explain_the_form(bad: str) -> None:
    with pytest.raises(ValueError, match="provider:model_id"):
        get_model(bad)


def test_unknown_provider_lists_the_known_ones() -> None:
    with pytest.raises(ValueError) as info:
        get_model("nope:model-1")
    assert "nope" in str(info.value) and "openai" in str(info.value) and "anthropic" in str(info.value)


def test_none_is_an_error_that_says_what_to_pass() -> None:
    with pytest.raises(ValueError, match="openai:gpt-4o"):
        get_model(None)


async def test_openai_compatible_uses_the_base_url_from_env(
    fake_openai_server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", fake_openai_server.base_url)
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    fake_openai_server.script(Turn("from a local server"))
    model = get_model("openai-compatible:qwen2.5")
    response = await model.ainvoke([Message(role="user", content="hi")])
    assert response.content == "from a local server"
    assert fake_openai_server.bodies[0]["model"] == "qwen2.5"


@dataclass(kw_only=True)
class EchoModel(Model):
    """A user-defined provider: answers with the last message."""

    async def _ainvoke(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
    ) -> ModelResponse:
        return ModelResponse(content=f"{self.id}: {messages[-1].content_text()}")

    async def _astream(
        self,
        messages: Sequence[Message],
        *,
        tools: Sequence[ToolDefinition] | None,
        tool_choice: ToolChoice,
        response_format: ResponseFormat | None,
    ) -> AsyncIterator[ModelResponse]:
        yield await self._ainvoke(
            messages, tools=tools, tool_choice=tool_choice, response_format=response_format
        )


async def test_users_can_register_providers() -> None:
    register_model_provider("Echo-Test", lambda model_id: EchoModel(id=model_id))
    model = get_model("echo-test:v1")
    assert isinstance(model, EchoModel)
    assert (await model.ainvoke([Message(role="user", content="ping")])).content == "v1: ping"
    assert "echo-test" in model_providers()
    with pytest.raises(ValueError):
        register_model_provider("bad:name", lambda model_id: EchoModel(id=model_id))
