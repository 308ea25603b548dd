"""Reasoning before the answer: events, stored steps, and the steps in the answer's context."""

from __future__ import annotations

from typing import Any

from agentos.agent import Agent
from agentos.models import Message
from agentos.models.scripted import FunctionModel, ModelCallInfo, ScriptedModel
from agentos.reasoning import ReasoningStep, ReasoningSteps
from agentos.run import ReasoningStepEvent, RunStatus

STEPS = {
    "reasoning_steps": [
        {
            "title": "Understand",
            "action": "I read the question",
            "result": "It asks for 2+2",
            "next_action": "continue",
        },
        {
            "title": "Compute",
            "action": "I add",
            "result": "4",
            "next_action": "final_answer",
            "confidence": 0.9,
        },
    ]
}


async def test_reasoning_steps_are_streamed_stored_and_given_to_the_answer() -> None:
    seen: list[list[Message]] = []

    def answer(messages: list[Message], info: ModelCallInfo) -> Any:
        seen.append(messages)
        return "The answer is 4."

    agent = Agent(
        model=FunctionModel(fn=answer),
        reasoning=True,
        reasoning_model=ScriptedModel(id="thinker", steps=[STEPS]),
        instructions="Answer math questions.",
    )
    events = [e async for e in agent.arun("What is 2+2?", stream=True, stream_events=True)]
    names = [e.event for e in events]
    assert names[:5] == [
        "RunStarted",
        "ReasoningStarted",
        "ReasoningStep",
        "ReasoningStep",
        "ReasoningCompleted",
    ]
    assert names[-1] == "RunCompleted"
    step_events = [e for e in events if isinstance(e, ReasoningStepEvent)]
    assert isinstance(step_events[0].content, ReasoningStep) and step_events[0].content.title == "Understand"
    assert "Compute" in step_events[1].reasoning_content
    completed = events[4]
    assert isinstance(completed.content, ReasoningSteps) and len(completed.content.reasoning_steps) == 2  # type: ignore[union-attr]
    system = seen[0][0].content_text()
    assert (
        "Answer math questions." in system and "<reasoning_steps>" in system and "It asks for 2+2" in system
    )

    out = await agent.arun("What is 2+2?")
    assert out.status == RunStatus.completed and out.content == "The answer is 4."
    assert [s.title for s in out.reasoning_steps or []] == ["Understand", "Compute"]
    assert out.reasoning_content and "Compute" in out.reasoning_content
    assert out.metrics is not None and "scripted:thinker" in out.metrics.details


async def test_reasoning_with_the_agents_own_model_and_no_system_message() -> None:
    def fn(messages: list[Message], info: ModelCallInfo) -> Any:
        if info.response_format is not None:
            return STEPS
        return "done"

    agent = Agent(model=FunctionModel(fn=fn), reasoning=True)
    out = await agent.arun("q")
    assert out.content == "done" and len(out.reasoning_steps or []) == 2
    assert out.messages is not None and out.messages[0].role == "system"
    assert "<reasoning_steps>" in out.messages[0].content_text()
