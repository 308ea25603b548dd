from __future__ import annotations

import asyncio
from typing import Any

import pytest
from agentos.exceptions import ModelProviderError
from agentos.models import Message, Metrics, ModelResponse
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel, ScriptedReply, tool_call
from agentos.reasoning import (
    REASONING_STEPS_SCHEMA,
    NextAction,
    ReasoningManager,
    ReasoningStep,
    areason,
)
from agentos.run import RunContext
from agentos.tools import tool


def step(title: str, next_action: str = "continue", **extra: Any) -> dict[str, Any]:
    return {"title": title, "reasoning": f"why {title}", "next_action": next_action, **extra}


def steps_reply(*items: dict[str, Any]) -> dict[str, Any]:
    return {"reasoning_steps": list(items)}


def conversation(question: str = "What is 6 x 7?") -> list[Message]:
    return [
        Message(role="system", content="You are a maths tutor."),
        Message(role="user", content=question),
    ]


def rounds_so_far(messages: list[Message]) -> int:
    """How many reasoning replies the model has already given (assistant messages without tool calls)."""
    return sum(1 for m in messages if m.role == "assistant" and not m.tool_calls)


async def test_structured_steps_are_yielded_in_order_until_final_answer() -> None:
    seen: list[ModelCallInfo] = []
    prompts: list[list[Message]] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        seen.append(info)
        prompts.append(messages)
        return steps_reply(step("Multiply"), step("Check", "validate"), step("Answer", "final_answer"))

    model = FunctionModel(fn=reply)
    stream = areason(model=model, messages=conversation())
    titles = [s.title async for s in stream]

    assert titles == ["Multiply", "Check", "Answer"]
    assert stream.finish_reason == "final_answer"
    assert [s.title for s in stream.steps] == titles
    assert len(seen) == 1
    fmt = seen[0].response_format
    assert fmt is not None and fmt.kind == "json_schema" and fmt.schema == REASONING_STEPS_SCHEMA
    # One system message: the reasoning role, with the agent's own instructions folded in.
    sent = prompts[0]
    assert [m.role for m in sent] == ["system", "user"]
    assert "step by step" in sent[0].content_text()
    assert "You are a maths tutor." in sent[0].content_text()
    assert sent[1].content == "What is 6 x 7?"


async def test_reasoning_continues_over_rounds_with_continuation_prompts() -> None:
    script = [
        steps_reply(step("Understand")),
        steps_reply(step("Compute", "validate")),
        steps_reply(step("Verify"), step("Answer", "final_answer")),
    ]

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        return script[rounds_so_far(messages)]

    stream = areason(model=FunctionModel(fn=reply), messages=conversation())
    titles = [s.title async for s in stream]

    assert titles == ["Understand", "Compute", "Verify", "Answer"]
    assert [m.role for m in stream.messages] == ["assistant", "user", "assistant", "user", "assistant"]
    assert "Validate the result" in stream.messages[3].content_text()
    assert "Continue your reasoning" in stream.messages[1].content_text()


async def test_final_answer_before_min_steps_asks_for_more() -> None:
    prompts: list[str] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        prompts.append(messages[-1].content_text())
        n = rounds_so_far(messages)
        return steps_reply(step(f"Step {n}", "final_answer"))

    stream = areason(model=FunctionModel(fn=reply), messages=conversation(), min_steps=3)
    steps = await stream.collect()

    assert [s.title for s in steps] == ["Step 0", "Step 1", "Step 2"]
    assert stream.finish_reason == "final_answer"
    assert "at least 3 are required" in prompts[1]


async def test_max_steps_caps_the_number_of_steps() -> None:
    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        n = rounds_so_far(messages)
        return steps_reply(step(f"a{n}"), step(f"b{n}"))

    stream = areason(model=FunctionModel(fn=reply), messages=conversation(), max_steps=3)
    titles = [s.title async for s in stream]

    assert titles == ["a0", "b0", "a1"]
    assert stream.finish_reason == "max_steps"


async def test_reset_discards_the_earlier_attempt() -> None:
    script = [
        steps_reply(step("Wrong path"), step("Dead end", "reset")),
        steps_reply(step("Better path"), step("Answer", "final_answer")),
    ]
    prompts: list[str] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        prompts.append(messages[-1].content_text())
        return script[rounds_so_far(messages)]

    stream = areason(model=FunctionModel(fn=reply), messages=conversation(), min_steps=2)
    await stream.collect()

    assert [s.title for s in stream.all_steps] == ["Wrong path", "Dead end", "Better path", "Answer"]
    assert [s.title for s in stream.steps] == ["Better path", "Answer"]
    assert "reset" in prompts[1]
    assert "Better path" in stream.text() and "Wrong path" not in stream.text()


async def test_scripted_model_with_a_tool_call_while_reasoning() -> None:
    @tool
    def multiply(a: int, b: int) -> int:
        """Multiply two integers."""
        return a * b

    @tool(requires_confirmation=True)
    def launch_rocket() -> str:
        """Needs a human: never offered while reasoning."""
        return "launched"

    offered: list[list[str]] = []
    tool_results: list[str] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        offered.append([d.name for d in info.tools])
        if info.turn == 0:
            return tool_call("multiply", a=6, b=7)
        tool_results.extend(m.content_text() for m in messages if m.role == "tool")
        return steps_reply(step("Use the product", "final_answer", result="42"))

    stream = areason(
        model=FunctionModel(fn=reply),
        messages=conversation(),
        tools=[multiply, launch_rocket],
        run_context=RunContext(run_id="r", session_id="s"),
    )
    steps = await stream.collect()

    assert offered[0] == ["multiply"]
    assert tool_results == ["42"]
    assert steps[0].result == "42"
    assert [m.role for m in stream.messages] == ["assistant", "tool", "assistant"]
    assert stream.messages[1].tool_name == "multiply" and not stream.messages[1].tool_call_error


async def test_scripted_model_plays_tool_then_steps() -> None:
    @tool
    def lookup(term: str) -> str:
        """Look a term up."""
        return f"definition of {term}"

    model = ScriptedModel(
        steps=[
            tool_call("lookup", term="prime"),
            tool_call("missing_tool"),
            steps_reply(step("Done", "final_answer")),
        ]
    )
    stream = areason(model=model, messages=conversation("Is 7 prime?"), tools=[lookup])
    steps = await stream.collect()

    assert [s.title for s in steps] == ["Done"]
    tool_messages = [m for m in stream.messages if m.role == "tool"]
    assert tool_messages[0].content == "definition of prime"
    assert tool_messages[1].tool_call_error
    assert "not available" in tool_messages[1].content_text()


async def test_tool_rounds_are_bounded() -> None:
    @tool
    def ping() -> str:
        """Ping."""
        return "pong"

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        if info.tools:
            return tool_call("ping")
        return steps_reply(step("Stop calling tools", "final_answer"))

    stream = areason(model=FunctionModel(fn=reply), messages=conversation(), tools=[ping], max_tool_rounds=2)
    steps = await stream.collect()
    assert [s.title for s in steps] == ["Stop calling tools"]
    assert sum(1 for m in stream.messages if m.role == "tool") == 2


async def test_unoffered_tool_calls_are_dropped_from_the_conversation() -> None:
    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        n = rounds_so_far(messages)
        if n == 0:
            return ScriptedReply(
                content='{"reasoning_steps": [{"title": "first"}]}', tool_calls=[tool_call("ghost")]
            )
        assert all(not m.tool_calls for m in messages)
        return steps_reply(step("second", "final_answer"))

    stream = areason(model=FunctionModel(fn=reply), messages=conversation())
    assert [s.title for s in await stream.collect()] == ["first", "second"]


async def test_json_mode_model_gets_json_instructions() -> None:
    seen: list[tuple[Any, str]] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        seen.append((info.response_format, messages[0].content_text()))
        return "```json\n" + '{"reasoning_steps": [{"title": "T", "next_action": "Final Answer"}]}' + "\n```"

    model = FunctionModel(fn=reply, supports_native_structured_outputs=False, supports_json_mode=True)
    steps = await areason(model=model, messages=conversation()).collect()

    assert steps == [ReasoningStep(title="T", next_action=NextAction.FINAL_ANSWER)]
    fmt, system = seen[0]
    assert fmt is not None and fmt.kind == "json_object"
    assert "single JSON object" in system


async def test_plain_model_gets_no_response_format() -> None:
    formats: list[Any] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        formats.append(info.response_format)
        return steps_reply(step("Only", "final_answer"))

    model = FunctionModel(fn=reply, supports_native_structured_outputs=False, supports_json_mode=False)
    await areason(model=model, messages=conversation()).collect()
    assert formats == [None]


async def test_unstructured_text_becomes_a_concluding_step() -> None:
    model = ScriptedModel(steps=["The product of 6 and 7 is 42."])
    stream = areason(model=model, messages=conversation())
    steps = await stream.collect()

    assert len(steps) == 1
    assert steps[0].reasoning == "The product of 6 and 7 is 42."
    assert steps[0].next_action == NextAction.FINAL_ANSWER
    assert stream.finish_reason == "final_answer"


async def test_strict_mode_rejects_unstructured_text() -> None:
    model = ScriptedModel(steps=["no json here"])
    with pytest.raises(ModelProviderError, match="no reasoning steps"):
        await areason(model=model, messages=conversation(), strict=True).collect()


async def test_empty_reply_is_a_provider_error() -> None:
    model = ScriptedModel(steps=[ModelResponse(content="")])
    with pytest.raises(ModelProviderError, match="empty reply"):
        await areason(model=model, messages=conversation()).collect()


async def test_empty_step_list_ends_reasoning() -> None:
    stream = areason(model=ScriptedModel(steps=[{"reasoning_steps": []}]), messages=conversation())
    assert await stream.collect() == []
    assert stream.finish_reason == "no_steps"


async def test_native_reasoning_content_becomes_one_step() -> None:
    model = ScriptedModel(steps=[ScriptedReply(content="42", reasoning_content="6 sevens are 42")])
    stream = areason(model=model, messages=conversation())
    steps = await stream.collect()

    assert [(s.reasoning, s.next_action) for s in steps] == [("6 sevens are 42", NextAction.FINAL_ANSWER)]
    assert stream.finish_reason == "native"
    assert stream.reasoning_content == "6 sevens are 42"
    assert stream.text()  # the agent can always put something in context


async def test_native_mode_sends_the_conversation_unchanged() -> None:
    calls: list[tuple[list[Message], ModelCallInfo]] = []

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        calls.append((messages, info))
        return ScriptedReply(content="42", reasoning_content="thinking hard")

    original = conversation()
    stream = areason(model=FunctionModel(fn=reply), messages=original, native=True)
    steps = await stream.collect()

    assert steps[0].reasoning == "thinking hard"
    sent, info = calls[0]
    assert sent == original
    assert info.response_format is None and not info.tools


async def test_native_mode_without_reasoning_content_uses_the_text() -> None:
    stream = areason(model=ScriptedModel(steps=["Because 6 x 7 = 42"]), messages=conversation(), native=True)
    assert [s.reasoning for s in await stream.collect()] == ["Because 6 x 7 = 42"]


async def test_structured_steps_win_over_reasoning_content_when_both_are_present() -> None:
    reply = ScriptedReply(
        content='{"reasoning_steps": [{"title": "S", "next_action": "final_answer"}]}',
        reasoning_content="hidden chain",
    )
    stream = areason(model=ScriptedModel(steps=[reply]), messages=conversation())
    assert [s.title for s in await stream.collect()] == ["S"]
    assert stream.reasoning_content == "hidden chain"
    assert stream.finish_reason == "final_answer"


async def test_native_false_never_falls_back_to_reasoning_content() -> None:
    reply = ScriptedReply(content="plain words", reasoning_content="hidden chain")
    stream = areason(model=ScriptedModel(steps=[reply]), messages=conversation(), native=False)
    assert [s.reasoning for s in await stream.collect()] == ["plain words"]


async def test_usage_is_collected_per_model() -> None:
    usage = Metrics(input_tokens=10, output_tokens=5, total_tokens=15)
    script = [
        ScriptedReply(content='{"reasoning_steps": [{"title": "a"}]}', usage=usage),
        ScriptedReply(
            content='{"reasoning_steps": [{"title": "b", "next_action": "final_answer"}]}', usage=usage
        ),
    ]

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        return script[rounds_so_far(messages)]

    model = FunctionModel(fn=reply, id="reasoner")
    stream = areason(model=model, messages=conversation())
    await stream.collect()
    assert stream.metrics.total_tokens == 30
    assert stream.metrics.details[model.key].input_tokens == 20


async def test_provider_errors_propagate() -> None:
    model = ScriptedModel(steps=[ModelProviderError("down", status_code=503)])
    with pytest.raises(ModelProviderError, match="down"):
        await areason(model=model, messages=conversation()).collect()


async def test_closing_early_stops_further_model_calls() -> None:
    calls = 0

    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        nonlocal calls
        calls += 1
        return steps_reply(step("one"), step("two"))

    stream = areason(model=FunctionModel(fn=reply), messages=conversation())
    first = await stream.__anext__()
    await stream.aclose()
    assert first.title == "one" and calls == 1
    with pytest.raises(StopAsyncIteration):
        await stream.__anext__()


@pytest.mark.parametrize(("min_steps", "max_steps"), [(0, 0), (5, 4), (-1, 3)])
def test_step_bounds_are_validated(min_steps: int, max_steps: int) -> None:
    with pytest.raises(ValueError):
        areason(model=ScriptedModel(), messages=[], min_steps=min_steps, max_steps=max_steps)
    with pytest.raises(ValueError):
        ReasoningManager(model=ScriptedModel(), min_steps=min_steps, max_steps=max_steps)


async def test_manager_serves_concurrent_runs_independently() -> None:
    def reply(messages: list[Message], info: ModelCallInfo) -> Any:
        question = next(m.content_text() for m in messages if m.role == "user")
        return steps_reply(step(question, "final_answer"))

    @tool
    def noop() -> str:
        """Does nothing."""
        return ""

    manager = ReasoningManager(model=FunctionModel(fn=reply), max_steps=3, tools=[noop])
    streams = [manager.areason(conversation(f"question {i}")) for i in range(5)]
    results = await asyncio.gather(*(s.collect() for s in streams))
    assert [[s.title for s in r] for r in results] == [[f"question {i}"] for i in range(5)]
