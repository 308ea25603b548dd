from __future__ import annotations

import asyncio

import pytest
from agentos.reasoning import REASONING_STATE_KEY, NextAction, reasoning_steps_from_state
from agentos.run import RunContext
from agentos.tools import execute_function, resolve_tools
from agentos.tools.reasoning import DEFAULT_FEW_SHOT_EXAMPLES, DEFAULT_INSTRUCTIONS, ReasoningTools


def context(run_id: str = "run-1", state: dict[str, object] | None = None) -> RunContext:
    return RunContext(run_id=run_id, session_id="session-1", session_state=state if state is not None else {})


async def test_think_and_analyze_accumulate_steps_for_the_run() -> None:
    tools = ReasoningTools()
    ctx = context()
    first = await execute_function(
        tools.functions["think"],
        {"title": "Plan", "thought": "Split the bill three ways", "action": "Divide 90 by 3"},
        call_id="c1",
        run_context=ctx,
    )
    second = await execute_function(
        tools.functions["analyze"],
        {"title": "Check", "result": "30", "analysis": "3 x 30 = 90", "next_action": "final_answer"},
        call_id="c2",
        run_context=ctx,
    )
    assert first.error is None and second.error is None
    assert "## Step 1: Plan" in first.content and "Step 2" not in first.content
    assert "## Step 1: Plan" in second.content and "## Step 2: Check" in second.content

    steps = reasoning_steps_from_state(ctx.session_state, "run-1")
    assert [(s.title, s.next_action) for s in steps] == [
        ("Plan", NextAction.CONTINUE),
        ("Check", NextAction.FINAL_ANSWER),
    ]
    assert steps[0].action == "Divide 90 by 3" and steps[0].reasoning == "Split the bill three ways"
    assert steps[1].result == "30" and steps[1].reasoning == "3 x 30 = 90"
    # Stored as plain JSON data, so the session state persists like any other.
    assert ctx.session_state[REASONING_STATE_KEY]["run-1"][1]["next_action"] == "final_answer"


async def test_runs_sharing_a_session_state_keep_separate_steps() -> None:
    tools = ReasoningTools()
    shared: dict[str, object] = {"other": "kept"}
    a, b = context("run-a", shared), context("run-b", shared)
    think = tools.functions["think"]
    await asyncio.gather(
        execute_function(think, {"title": "A1", "thought": "a"}, call_id="1", run_context=a),
        execute_function(think, {"title": "B1", "thought": "b"}, call_id="2", run_context=b),
        execute_function(think, {"title": "A2", "thought": "a"}, call_id="3", run_context=a),
    )
    assert [s.title for s in reasoning_steps_from_state(shared, "run-a")] == ["A1", "A2"]
    assert [s.title for s in reasoning_steps_from_state(shared, "run-b")] == ["B1"]
    assert shared["other"] == "kept"


async def test_bad_arguments_are_reported_to_the_model() -> None:
    tools = ReasoningTools()
    result = await execute_function(
        tools.functions["analyze"],
        {"title": "t", "result": "r", "analysis": "a", "next_action": "give_up"},
        call_id="c",
        run_context=context(),
    )
    assert result.error is not None and "next_action" in result.error
    missing = await execute_function(
        tools.functions["think"], {"title": "t"}, call_id="c", run_context=context()
    )
    assert missing.error is not None and "thought" in missing.error


async def test_without_a_run_context_only_the_step_is_returned() -> None:
    result = await execute_function(
        ReasoningTools().functions["think"], {"title": "Solo", "thought": "x"}, call_id="c", run_context=None
    )
    assert result.error is None
    assert result.content.startswith("## Step 1: Solo")


async def test_confidence_is_clamped() -> None:
    ctx = context()
    await execute_function(
        ReasoningTools().functions["think"],
        {"title": "t", "thought": "x", "confidence": 7},
        call_id="c",
        run_context=ctx,
    )
    assert reasoning_steps_from_state(ctx.session_state, "run-1")[0].confidence == 1.0


def test_schema_hides_the_injected_run_context() -> None:
    definitions = {d.name: d for d in resolve_tools([ReasoningTools()]).definitions}
    assert set(definitions) == {"think", "analyze"}
    think = definitions["think"].parameters
    assert "run_context" not in think["properties"]
    assert set(think["required"]) == {"title", "thought"}
    analyze = definitions["analyze"].parameters
    assert analyze["properties"]["next_action"]["enum"] == ["continue", "validate", "final_answer"]


def test_instructions_options() -> None:
    assert resolve_tools([ReasoningTools()]).instructions == [DEFAULT_INSTRUCTIONS]
    assert resolve_tools([ReasoningTools(add_instructions=False)]).instructions == []
    with_examples = resolve_tools([ReasoningTools(add_few_shot=True)]).instructions
    assert with_examples == [f"{DEFAULT_INSTRUCTIONS}\n\n{DEFAULT_FEW_SHOT_EXAMPLES}"]
    custom = ReasoningTools(instructions="Think hard.", add_few_shot=True, few_shot_examples="Example: none")
    assert resolve_tools([custom]).instructions == ["Think hard.\n\nExample: none"]


def test_tool_selection() -> None:
    assert list(ReasoningTools(think=False).functions) == ["analyze"]
    assert list(ReasoningTools(analyze=False).functions) == ["think"]
    with pytest.raises(ValueError, match="at least one"):
        ReasoningTools(think=False, analyze=False)


def test_steps_from_state_tolerates_missing_and_corrupt_entries() -> None:
    assert reasoning_steps_from_state(None, "r") == []
    assert reasoning_steps_from_state({REASONING_STATE_KEY: "junk"}, "r") == []
    state = {REASONING_STATE_KEY: {"r": [{"title": "ok"}, {"confidence": "not a number"}, 3]}}
    assert [s.title for s in reasoning_steps_from_state(state, "r")] == ["ok"]
