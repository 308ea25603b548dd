"""OpenAIChat against the local OpenAI-compatible server: request shape, replies, streams, usage."""

from __future__ import annotations

import base64
import json
from typing import Any

import httpx
from agentos.media import Audio, Image
from agentos.models import Message, ModelResponse, ResponseFormat, ToolCall, ToolDefinition
from agentos.models.openai import OpenAIChat
from fake_openai import FakeOpenAI, FakeToolCall, Turn, Usage

WEATHER = ToolDefinition(
    name="get_weather",
    description="Weather for a city.",
    parameters={"type": "object", "properties": {"city": {"type": "string"}}, "required": ["city"]},
)
TIME = ToolDefinition(
    name="get_time", parameters={"type": "object", "properties": {"tz": {"type": "string"}}}
)


def model_for(server: FakeOpenAI, **kwargs: Any) -> OpenAIChat:
    return OpenAIChat(base_url=server.base_url, api_key="sk-test", **kwargs)


async def collect(model: OpenAIChat, messages: list[Message], **kwargs: Any) -> list[ModelResponse]:
    return [delta async for delta in model.astream(messages, **kwargs)]


async def test_request_carries_messages_tools_choice_format_and_headers(
    fake_openai_server: FakeOpenAI,
) -> None:
    fake_openai_server.script(Turn("fine"))
    model = model_for(
        fake_openai_server,
        id="gpt-4o-mini",
        organization="org-1",
        temperature=0.2,
        max_completion_tokens=99,
        seed=7,
        stop=["END"],
        reasoning_effort="low",
        parallel_tool_calls=False,
        extra_headers={"x-trace": "abc"},
        default_query={"api-version": "2024"},
        extra_body={"custom_field": 1},
        request_params={"logprobs": True},
    )
    messages = [
        Message(role="system", content="Be brief."),
        Message(role="user", content="Weather in Paris?"),
        Message(
            role="assistant",
            content="",
            tool_calls=[ToolCall(id="call_1", name="get_weather", arguments='{"city":"Paris"}')],
        ),
        Message(role="tool", tool_call_id="call_1", tool_name="get_weather", content="sunny, long text"),
        Message(role="tool", tool_call_id="call_2", content="ignored", compressed_content="short"),
    ]
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}, "required": ["answer"]}
    await model.ainvoke(
        messages,
        tools=[WEATHER, TIME],
        tool_choice="get_weather",
        response_format=ResponseFormat(kind="json_schema", schema=schema, name="Answer"),
    )

    request = fake_openai_server.requests[0]
    assert request.method == "POST" and request.path == "/v1/chat/completions"
    assert request.query == {"api-version": "2024"}
    assert request.headers["authorization"] == "Bearer sk-test"
    assert request.headers["openai-organization"] == "org-1"
    assert request.headers["x-trace"] == "abc"
    body = request.json()
    assert body["model"] == "gpt-4o-mini"
    assert body["messages"] == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "call_1", "content": "sunny, long text"},
        {"role": "tool", "tool_call_id": "call_2", "content": "short"},
    ]
    assert body["tools"][0] == {
        "type": "function",
        "function": {
            "name": "get_weather",
            "parameters": WEATHER.parameters,
            "description": "Weather for a city.",
        },
    }
    assert body["tools"][1]["function"]["name"] == "get_time"
    assert body["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert body["parallel_tool_calls"] is False
    assert body["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "Answer", "schema": schema, "strict": True},
    }
    assert body["temperature"] == 0.2 and body["max_completion_tokens"] == 99 and body["seed"] == 7
    assert body["stop"] == ["END"] and body["reasoning_effort"] == "low"
    assert body["logprobs"] is True and body["custom_field"] == 1
    assert "stream" not in body


async def test_json_mode_role_map_and_non_strict_output(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(Turn('{"a": 1}'), Turn("{}"))
    model = model_for(fake_openai_server, role_map={"system": "developer"}, strict_output=False)
    schema = {"type": "object"}
    await model.ainvoke(
        [Message(role="system", content="sys")], response_format=ResponseFormat(kind="json_object")
    )
    await model.ainvoke(
        [Message(role="user", content="x")], response_format=ResponseFormat("json_schema", schema)
    )
    first, second = fake_openai_server.bodies
    assert first["messages"] == [{"role": "developer", "content": "sys"}]
    assert first["response_format"] == {"type": "json_object"}
    assert second["response_format"]["json_schema"]["strict"] is False


async def test_images_and_audio_become_content_parts(fake_openai_server: FakeOpenAI, tmp_path: Any) -> None:
    fake_openai_server.script(Turn("a cat"))
    png = tmp_path / "cat.png"
    png.write_bytes(b"\x89PNG-fake")
    message = Message(
        role="user",
        content="What is this?",
        images=[Image(url="https://example.com/a.jpg", detail="low"), Image(filepath=str(png))],
        audio=[Audio(content=b"RIFF-fake", format="wav")],
    )
    await model_for(fake_openai_server).ainvoke([message])
    parts = fake_openai_server.bodies[0]["messages"][0]["content"]
    encoded = base64.b64encode(b"\x89PNG-fake").decode()
    assert parts == [
        {"type": "text", "text": "What is this?"},
        {"type": "image_url", "image_url": {"url": "https://example.com/a.jpg", "detail": "low"}},
        {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{encoded}"}},
        {
            "type": "input_audio",
            "input_audio": {"data": base64.b64encode(b"RIFF-fake").decode(), "format": "wav"},
        },
    ]


async def test_text_reply_and_usage_metrics(fake_openai_server: FakeOpenAI) -> None:
    usage = Usage(
        prompt_tokens=30, completion_tokens=12, cached_tokens=8, reasoning_tokens=4, audio_prompt_tokens=2
    )
    fake_openai_server.script(Turn("Hello there", usage=usage, reasoning_content="thought"))
    response = await model_for(fake_openai_server).ainvoke([Message(role="user", content="hi")])
    assert response.content == "Hello there"
    assert response.reasoning_content == "thought"
    assert response.tool_calls == []
    assert response.finish_reason == "stop"
    assert response.usage is not None
    assert (response.usage.input_tokens, response.usage.output_tokens, response.usage.total_tokens) == (
        30,
        12,
        42,
    )
    assert response.usage.cache_read_tokens == 8
    assert response.usage.reasoning_tokens == 4
    assert response.usage.audio_input_tokens == 2 and response.usage.audio_total_tokens == 2
    assert response.usage.duration is not None and response.usage.duration >= 0
    assert response.provider_data is not None and response.provider_data["id"].startswith("chatcmpl-")


async def test_tool_calls_in_a_whole_reply(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(
        Turn(
            tool_calls=[FakeToolCall("get_weather", {"city": "Oslo"}, id="c1"), FakeToolCall("get_time", {})]
        )
    )
    response = await model_for(fake_openai_server).ainvoke(
        [Message(role="user", content="?")], tools=[WEATHER, TIME]
    )
    assert response.finish_reason == "tool_calls"
    first = response.tool_calls[0]
    assert (first.id, first.name, first.parsed_arguments()) == ("c1", "get_weather", {"city": "Oslo"})
    assert response.tool_calls[1].name == "get_time" and response.tool_calls[1].id


async def test_streaming_text_deltas_then_usage_last(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(Turn("Streaming works fine", usage=Usage(prompt_tokens=5, completion_tokens=3)))
    deltas = await collect(model_for(fake_openai_server), [Message(role="user", content="go")])
    body = fake_openai_server.bodies[0]
    assert body["stream"] is True and body["stream_options"] == {"include_usage": True}
    texts = [d.content for d in deltas if d.content]
    assert len(texts) > 1 and "".join(texts) == "Streaming works fine"
    last = deltas[-1]
    assert last.content is None and last.finish_reason == "stop"
    assert last.usage is not None and (last.usage.input_tokens, last.usage.output_tokens) == (5, 3)
    assert last.usage.time_to_first_token is not None
    assert all(d.usage is None for d in deltas[:-1])


async def test_streamed_parallel_tool_calls_are_assembled_from_fragments(
    fake_openai_server: FakeOpenAI,
) -> None:
    calls = [
        FakeToolCall("get_weather", {"city": "San Francisco, California"}, id="call_a"),
        FakeToolCall("get_time", {"tz": "America/Los_Angeles"}, id="call_b"),
    ]
    fake_openai_server.script(Turn(content="Checking.", tool_calls=calls, chunk_size=3))
    deltas = await collect(
        model_for(fake_openai_server), [Message(role="user", content="?")], tools=[WEATHER, TIME]
    )
    with_calls = [d for d in deltas if d.tool_calls]
    assert len(with_calls) == 1 and with_calls[0] is deltas[-1]
    assembled = with_calls[0].tool_calls
    assert [(c.id, c.name) for c in assembled] == [("call_a", "get_weather"), ("call_b", "get_time")]
    assert assembled[0].parsed_arguments() == {"city": "San Francisco, California"}
    assert assembled[1].parsed_arguments() == {"tz": "America/Los_Angeles"}
    assert deltas[-1].finish_reason == "tool_calls"
    assert "".join(d.content or "" for d in deltas) == "Checking."


async def test_streamed_reasoning_content(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(Turn("42", reasoning_content="Let me think."))
    deltas = await collect(model_for(fake_openai_server), [Message(role="user", content="?")])
    assert "".join(d.reasoning_content or "" for d in deltas) == "Let me think."
    assert "".join(d.content or "" for d in deltas) == "42"


async def test_tool_call_loop_round_trips_ids_and_results(fake_openai_server: FakeOpenAI) -> None:
    """Two model turns as the engine drives them: tool calls, results appended, final answer."""
    fake_openai_server.script(
        Turn(
            tool_calls=[
                FakeToolCall("get_weather", {"city": "Rome"}),
                FakeToolCall("get_weather", {"city": "Nice"}),
            ]
        ),
        Turn("Rome is hot, Nice is mild."),
    )
    model = model_for(fake_openai_server)
    messages = [Message(role="user", content="Compare Rome and Nice.")]
    first = await model.ainvoke(messages, tools=[WEATHER])
    messages.append(Message(role="assistant", content=first.content, tool_calls=first.tool_calls))
    for call, result in zip(first.tool_calls, ["35C", "22C"], strict=True):
        messages.append(Message(role="tool", tool_call_id=call.id, tool_name=call.name, content=result))
    final = await model.ainvoke(messages, tools=[WEATHER])
    assert final.content == "Rome is hot, Nice is mild."
    sent = fake_openai_server.bodies[1]["messages"]
    ids = [c["id"] for c in sent[1]["tool_calls"]]
    assert len(set(ids)) == 2
    assert [(m["tool_call_id"], m["content"]) for m in sent[2:]] == list(
        zip(ids, ["35C", "22C"], strict=True)
    )


async def test_user_supplied_http_client_is_used(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(Turn("ok"))
    async with httpx.AsyncClient(headers={"x-from-user-client": "yes"}) as client:
        model = model_for(fake_openai_server, http_client=client)
        assert (await model.ainvoke([Message(role="user", content="x")])).content == "ok"
        assert not client.is_closed
    assert fake_openai_server.requests[0].headers["x-from-user-client"] == "yes"


async def test_raw_json_arguments_are_kept_verbatim(fake_openai_server: FakeOpenAI) -> None:
    fake_openai_server.script(Turn(tool_calls=[FakeToolCall("get_weather", '{"city": "Par')]))
    response = await model_for(fake_openai_server).ainvoke(
        [Message(role="user", content="?")], tools=[WEATHER]
    )
    assert response.tool_calls[0].arguments == '{"city": "Par'
    try:
        response.tool_calls[0].parsed_arguments()
    except ValueError as exc:
        assert "not valid JSON" in str(exc)
    else:
        raise AssertionError("malformed arguments must not parse")
    assert json.loads(fake_openai_server.requests[0].body)["tools"][0]["function"]["name"] == "get_weather"
