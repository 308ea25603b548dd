"""What the reasoning model is told, and the JSON schema it answers in.

The schema is written out by hand rather than taken from ``ReasoningSteps.model_json_schema()``
because providers' strict structured-output modes need every property listed as required
(nullable instead of optional) and ``additionalProperties: false``, which pydantic's schema
for fields with defaults does not give.
"""

from __future__ import annotations

from typing import Any

from agentos.reasoning._step import NextAction


def _nullable(kind: str, description: str) -> dict[str, Any]:
    return {"type": [kind, "null"], "description": description}


REASONING_STEP_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": _nullable("string", "A concise title summarising the step's purpose"),
        "action": _nullable("string", "The action derived from this step, in the first person"),
        "result": _nullable("string", "The result of executing the action, in the first person"),
        "reasoning": _nullable("string", "The thought process behind this step"),
        "next_action": {
            "type": "string",
            "enum": [action.value for action in NextAction],
            "description": "continue, validate, final_answer or reset",
        },
        "confidence": _nullable("number", "Confidence in this step, 0.0 to 1.0"),
    },
    "required": ["title", "action", "result", "reasoning", "next_action", "confidence"],
    "additionalProperties": False,
}

REASONING_STEPS_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"reasoning_steps": {"type": "array", "items": REASONING_STEP_SCHEMA}},
    "required": ["reasoning_steps"],
    "additionalProperties": False,
}


def reasoning_instructions(*, min_steps: int, max_steps: int, has_tools: bool, json_in_prompt: bool) -> str:
    """The system prompt of the reasoning model."""
    lines = [
        "You are a meticulous reasoner. Work through the user's request step by step before anyone "
        "answers it; you do not write the final answer yourself.",
        "",
        "For each step give:",
        "- title: what the step is about;",
        "- action: what you will do, in the first person ('I will ...');",
        "- result: what doing it gave, in the first person;",
        "- reasoning: why, including assumptions and doubts;",
        "- next_action: 'continue' when more steps are needed, 'validate' when the result should be "
        "checked next, 'final_answer' when the reasoning is complete, 'reset' when the approach is "
        "wrong and you must start over;",
        "- confidence: a number from 0.0 to 1.0.",
        "",
        f"Use at least {min_steps} and at most {max_steps} steps in total. Validate a result before "
        "declaring 'final_answer'. Consider alternative interpretations and look for errors in "
        "earlier steps.",
    ]
    if has_tools:
        lines += [
            "",
            "You may call the available tools to gather facts or compute results; use what they "
            "return in your steps.",
        ]
    if json_in_prompt:
        lines += [
            "",
            "Reply with a single JSON object and nothing else, of this form:",
            '{"reasoning_steps": [{"title": "...", "action": "...", "result": "...", "reasoning": "...", '
            '"next_action": "continue", "confidence": 0.9}]}',
        ]
    return "\n".join(lines)


def continue_prompt(*, steps_so_far: int, min_steps: int, last_action: NextAction | None) -> str:
    """The user turn that asks for the next round of steps."""
    if last_action == NextAction.RESET:
        return (
            "You chose to reset: the previous approach is discarded. Start the reasoning over with a "
            "different approach, avoiding the mistakes above."
        )
    if last_action == NextAction.FINAL_ANSWER and steps_so_far < min_steps:
        return (
            f"You reached a conclusion after {steps_so_far} step(s), but at least {min_steps} are "
            "required. Re-examine and validate your reasoning with further steps before the final answer."
        )
    if last_action == NextAction.VALIDATE:
        return "Validate the result of your last step: check it independently, then continue."
    return "Continue your reasoning with the next step(s)."


def merged_system_prompt(reasoning: str, original: str | None) -> str:
    """One system message for providers that accept only one: the reasoning role first, the agent's
    own instructions kept as context for what the final answer must satisfy."""
    if not original:
        return reasoning
    return (
        f"{reasoning}\n\nThe assistant who will write the final answer follows these instructions; take "
        f"them into account:\n<assistant_instructions>\n{original}\n</assistant_instructions>"
    )
