"""Structured output: pydantic and dict schemas, native vs JSON mode, parser and output models."""

from __future__ import annotations

from typing import Any

from agentos.agent import Agent
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, chunks, tool_call
from agentos.run import (
    IntermediateRunContentEvent,
    RunContentEvent,
    RunStatus,
)
from pydantic import BaseModel


class City(BaseModel):
    name: str
    population: int


CITY_JSON = '{"name": "Paris", "population": 2100000}'


def recording(reply: Any, calls: list[tuple[list[Message], ModelCallInfo]], **kwargs: Any) -> FunctionModel:
    def fn(messages: list[Message], info: ModelCallInfo) -> Any:
        calls.append((messages, info))
        return reply(messages, info) if callable(reply) else reply

    return FunctionModel(fn=fn, **kwargs)


async def test_pydantic_schema_with_native_structured_outputs() -> None:
    calls: list[tuple[list[Message], ModelCallInfo]] = []
    out = await Agent(model=recording(CITY_JSON, calls), output_schema=City).arun("a city")
    assert isinstance(out.content, City) and out.content.population == 2100000
    assert out.content_type == "City"
    fmt = calls[0][1].response_format
    assert fmt is not None and fmt.kind == "json_schema" and fmt.schema is not None
    assert "population" in fmt.schema["properties"]


async def test_json_mode_puts_the_schema_in_the_system_message() -> None:
    calls: list[tuple[list[Message], ModelCallInfo]] = []
    model = recording(CITY_JSON, calls, supports_native_structured_outputs=False)
    out = await Agent(model=model, output_schema=City).arun("a city")
    assert isinstance(out.content, City)
    messages, info = calls[0]
    assert info.response_format is not None and info.response_format.kind == "json_object"
    assert "population" in messages[0].content_text() and "<json_schema>" in messages[0].content_text()
    calls.clear()
    await Agent(model=recording(CITY_JSON, calls), output_schema=City, use_json_mode=True).arun("a city")
    assert calls[0][1].response_format.kind == "json_object"  # type: ignore[union-attr]


async def test_dict_schema_and_fenced_json() -> None:
    schema = {"title": "Pair", "type": "object", "properties": {"a": {"type": "integer"}}, "required": ["a"]}
    out = await Agent(model=ScriptedModel(steps=['```json\n{"a": 1}\n```']), output_schema=schema).arun("x")
    assert out.content == {"a": 1} and out.content_type == "Pair"
    bad = await Agent(model=ScriptedModel(steps=['{"b": 1}']), output_schema=schema).arun("x")
    assert bad.status == RunStatus.error and "required" in (bad.error or "")


async def test_per_run_output_schema_override() -> None:
    out = await Agent(model=ScriptedModel(steps=[CITY_JSON])).arun("x", output_schema=City)
    assert isinstance(out.content, City)


async def test_parse_failure_is_a_clear_run_error_and_parse_response_false_keeps_text() -> None:
    out = await Agent(model=ScriptedModel(steps=["not json at all"]), output_schema=City).arun("x")
    assert out.status == RunStatus.error and "City" in (out.error or "")
    assert out.content == "not json at all"
    raw = await Agent(model=ScriptedModel(steps=[CITY_JSON]), output_schema=City, parse_response=False).arun(
        "x"
    )
    assert raw.status == RunStatus.completed and raw.content == CITY_JSON and raw.content_type == "str"


async def test_streamed_structured_output_arrives_as_one_content_event() -> None:
    agent = Agent(
        model=ScriptedModel(steps=[chunks('{"name": "Rome", ', '"population": 2800000}')]), output_schema=City
    )
    events = [e async for e in agent.arun("x", stream=True)]
    content = [e for e in events if isinstance(e, RunContentEvent)]
    assert len(content) == 1
    assert isinstance(content[0].content, City) and content[0].content_type == "City"
    assert events[-1].event == "RunCompleted"


async def test_structured_output_after_tool_calls() -> None:
    def lookup(city: str) -> int:
        """Population."""
        return 100

    agent = Agent(
        model=ScriptedModel(steps=[tool_call("lookup", city="X"), '{"name": "X", "population": 100}']),
        tools=[lookup],
        output_schema=City,
    )
    out = await agent.arun("x")
    assert out.content == City(name="X", population=100)


async def test_parser_model_turns_free_text_into_the_schema() -> None:
    parser_calls: list[tuple[list[Message], ModelCallInfo]] = []
    agent = Agent(
        model=ScriptedModel(steps=["Paris has about 2.1 million people."]),
        parser_model=recording(CITY_JSON, parser_calls),
        parser_model_prompt="Extract the city.",
        output_schema=City,
    )
    events = [e async for e in agent.arun("x", stream=True, stream_events=True)]
    names = [e.event for e in events]
    assert names.index("ParserModelResponseStarted") < names.index("ParserModelResponseCompleted")
    final = events[-1]
    assert final.event == "RunCompleted" and isinstance(final.content, City)  # type: ignore[union-attr]
    messages, info = parser_calls[0]
    assert messages[0].content == "Extract the city."
    assert messages[1].content == "Paris has about 2.1 million people."
    assert info.response_format is not None and info.response_format.kind == "json_schema"
    # The main model's prose was streamed as content before the parsed object.
    assert [type(e.content).__name__ for e in events if isinstance(e, RunContentEvent)] == ["str", "City"]


async def test_output_model_writes_the_final_answer() -> None:
    output_calls: list[tuple[list[Message], ModelCallInfo]] = []
    agent = Agent(
        model=ScriptedModel(steps=[chunks("draft ", "answer")]),
        output_model=recording("polished answer", output_calls),
        output_model_prompt="Polish it.",
    )
    events = [e async for e in agent.arun("q", stream=True, stream_events=True)]
    intermediate = [e.content for e in events if isinstance(e, IntermediateRunContentEvent)]
    assert intermediate == ["draft ", "answer"]
    content = [e.content for e in events if isinstance(e, RunContentEvent)]
    assert content == ["polished answer"]
    names = [e.event for e in events]
    assert (
        names.index("OutputModelResponseStarted")
        < names.index("OutputModelResponseCompleted")
        < names.index("RunCompleted")
    )
    out = await agent.arun("q")
    assert out.content == "polished answer"
    messages = output_calls[-1][0]
    assert messages[0].content == "Polish it." and messages[-1].role == "user"


async def test_output_model_with_schema() -> None:
    agent = Agent(
        model=ScriptedModel(steps=["Paris, big"]),
        output_model=ScriptedModel(steps=[CITY_JSON]),
        output_schema=City,
    )
    out = await agent.arun("x")
    assert out.content == City(name="Paris", population=2100000)
