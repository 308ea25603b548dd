"""The scripted test models themselves: steps, chunks, failures, usage, structured replies."""

from __future__ import annotations

import asyncio

import pytest
from agentos.exceptions import ModelProviderError, ModelTimeoutError
from agentos.models import Message, Metrics, ResponseFormat
from agentos.models.scripted import (
    EchoModel,
    FunctionModel,
    ModelCallInfo,
    ScriptedModel,
    ScriptedReply,
    chunks,
    fail,
    hang,
    text,
    timeout,
    tool_call,
    tool_calls,
)
from pydantic import BaseModel


def convo(*roles: str) -> list[Message]:
    return [Message(role=r, content=f"{r} {i}") for i, r in enumerate(roles)]


async def test_step_is_chosen_by_the_replies_since_the_user_turn() -> None:
    model = ScriptedModel(steps=["first", "second"])
    assert (await model.ainvoke(convo("system", "user"))).content == "first"
    assert (await model.ainvoke(convo("system", "user", "assistant", "tool"))).content == "second"
    # A new user turn starts the script again: the same model can serve many runs.
    assert (await model.ainvoke(convo("user", "assistant", "user"))).content == "first"
    with pytest.raises(ModelProviderError, match="step 3"):
        await model.ainvoke(convo("user", "assistant", "assistant"))


async def test_tool_call_steps_have_stable_ids_and_json_arguments() -> None:
    model = ScriptedModel(steps=[tool_calls(tool_call("a", x=1), tool_call("b", {"y": [1]}))])
    response = await model.ainvoke(convo("user"))
    assert [(c.id, c.name, c.parsed_arguments()) for c in response.tool_calls] == [
        ("call_0_0", "a", {"x": 1}),
        ("call_0_1", "b", {"y": [1]}),
    ]
    assert response.finish_reason == "tool_calls"


async def test_streaming_follows_the_delta_contract() -> None:
    model = ScriptedModel(
        steps=[ScriptedReply(content="hello world", chunks=["hello ", "world"], reasoning_content="hmm")]
    )
    deltas = [d async for d in model.astream(convo("user"))]
    assert [d.reasoning_content for d in deltas if d.reasoning_content] == ["hmm"]
    assert [d.content for d in deltas if d.content] == ["hello ", "world"]
    assert deltas[-1].usage is not None and deltas[-1].finish_reason == "stop"


async def test_usage_is_deterministic_or_scripted() -> None:
    model = ScriptedModel(steps=["abcd" * 10])
    a = await model.ainvoke(convo("user"))
    b = await model.ainvoke(convo("user"))
    assert a.usage == b.usage and a.usage is not None and a.usage.output_tokens == 11
    fixed = Metrics(input_tokens=1, output_tokens=2, total_tokens=3)
    assert (await ScriptedModel(steps=[text("x", usage=fixed)]).ainvoke(convo("user"))).usage == fixed


async def test_failures_timeouts_and_partial_streams() -> None:
    with pytest.raises(ModelProviderError, match="boom") as info:
        await ScriptedModel(steps=[fail("boom", status_code=429)]).ainvoke(convo("user"))
    assert info.value.status_code == 429
    with pytest.raises(ModelTimeoutError):
        await ScriptedModel(steps=[timeout()]).ainvoke(convo("user"))
    received: list[str] = []
    with pytest.raises(ModelProviderError):
        async for delta in ScriptedModel(steps=[fail("cut", chunks=["a", "b", "c"], after_chunks=2)]).astream(
            convo("user")
        ):
            if delta.content:
                received.append(delta.content)
    assert received == ["a", "b"]
    with pytest.raises(ModelProviderError, match="an exception step"):
        await ScriptedModel(steps=[ModelProviderError("an exception step")]).ainvoke(convo("user"))


async def test_model_level_retries_apply_to_scripted_failures() -> None:
    calls = 0

    def fn(messages: list[Message], info: ModelCallInfo) -> object:
        nonlocal calls
        calls += 1
        return fail("retry me", retryable=True) if calls < 2 else "ok"

    model = FunctionModel(fn=fn, retries=1, delay_between_retries=0)
    assert (await model.ainvoke(convo("user"))).content == "ok"


async def test_hang_and_delay_are_cancellable() -> None:
    started = asyncio.Event()
    task = asyncio.create_task(ScriptedModel(steps=[hang(started=started)]).ainvoke(convo("user")))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task


async def test_structured_steps_become_json_text() -> None:
    class Point(BaseModel):
        x: int

    model = ScriptedModel(steps=[Point(x=1)])
    response = await model.ainvoke(
        convo("user"), response_format=ResponseFormat(kind="json_schema", schema={})
    )
    assert response.content == '{"x":1}'
    assert model.supports_native_structured_outputs
    assert (await ScriptedModel(steps=[{"a": 1}]).ainvoke(convo("user"))).content == '{"a": 1}'


async def test_function_and_echo_models() -> None:
    async def fn(messages: list[Message], info: ModelCallInfo) -> object:
        return chunks("tools:", str(len(info.tools)))

    assert (await FunctionModel(fn=fn).ainvoke(convo("user"))).content == "tools:0"
    assert (await EchoModel(prefix="> ").ainvoke(convo("system", "user"))).content == "> user 1"
    assert EchoModel().key == "scripted:echo"


def test_unsupported_step_is_rejected_at_construction() -> None:
    with pytest.raises(TypeError, match="unsupported script step"):
        ScriptedModel(steps=[42])  # type: ignore[list-item]
