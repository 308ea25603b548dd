from __future__ import annotations

import pytest
from agentos.reasoning import (
    NextAction,
    ReasoningStep,
    parse_reasoning_steps,
    reasoning_step_to_text,
    reasoning_steps_to_text,
)


@pytest.mark.parametrize(
    "text",
    [
        '{"reasoning_steps": [{"title": "A"}, {"title": "B", "next_action": "final_answer"}]}',
        'Sure! Here you go:\n```json\n{"reasoning_steps": [{"title": "A"}, '
        '{"title": "B", "next_action": "final_answer"}]}\n```\nHope that helps.',
        '[{"title": "A"}, {"title": "B", "next_action": "FINAL-ANSWER"}]',
        '{"steps": [{"title": "A", "next_action": "continue"}, '
        '{"title": "B", "next_action": "Final Answer"}]}',
    ],
)
def test_common_reply_shapes_parse(text: str) -> None:
    steps = parse_reasoning_steps(text)
    assert steps is not None
    assert [(s.title, s.next_action) for s in steps] == [
        ("A", NextAction.CONTINUE),
        ("B", NextAction.FINAL_ANSWER),
    ]


def test_single_step_object_and_loose_values() -> None:
    text = '{"title": "Only", "result": 42, "confidence": "high", "next_action": "done"}'
    expected = ReasoningStep(title="Only", result="42", confidence=None, next_action=NextAction.FINAL_ANSWER)
    assert parse_reasoning_steps(text) == [expected]


def test_unknown_next_action_means_continue() -> None:
    steps = parse_reasoning_steps('{"reasoning_steps": [{"title": "X", "next_action": "ponder"}]}')
    assert steps is not None and steps[0].next_action == NextAction.CONTINUE


@pytest.mark.parametrize(
    "text", [None, "", "   ", "just prose", '{"answer": 42}', "[1, 2]", '{"steps": [1]}']
)
def test_unparseable_replies_give_none(text: str | None) -> None:
    assert parse_reasoning_steps(text) is None


def test_empty_step_list_is_not_an_error() -> None:
    assert parse_reasoning_steps('{"reasoning_steps": []}') == []


def test_steps_to_text_numbers_steps_and_skips_missing_fields() -> None:
    steps = [
        ReasoningStep(title="Plan", action="I will add", reasoning="sum first", confidence=0.9),
        ReasoningStep(result="5", next_action=NextAction.FINAL_ANSWER),
    ]
    assert reasoning_steps_to_text(steps) == (
        "## Step 1: Plan\nAction: I will add\nReasoning: sum first\nNext action: continue\nConfidence: 0.9"
        "\n\n## Step 2\nResult: 5\nNext action: final_answer"
    )
    assert reasoning_steps_to_text([]) == ""
    assert reasoning_step_to_text(ReasoningStep(title="T", next_action=None)) == "## Step: T"
