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


async def test_reasoning_agent_reasons_with_its_model_instructions_and_tools() -> None:
    reasoner_calls: list[tuple[list[Message], ModelCallInfo]] = []
    answer_calls: list[list[Message]] = []

    def think(messages: list[Message], info: ModelCallInfo) -> Any:
        reasoner_calls.append((messages, info))
        return STEPS

    def answer(messages: list[Message], info: ModelCallInfo) -> Any:
        answer_calls.append(messages)
        return "4"

    def lookup_fact(topic: str) -> str:
        """Look a fact up."""
        return topic

    def send_report(text: str) -> str:
        """Send a report."""
        return text

    reasoner = Agent(
        name="Math reasoner",
        model=FunctionModel(id="reasoner-model", fn=think),
        instructions=["Think like a mathematician.", "Check every sum twice."],
        tools=[lookup_fact],
    )
    agent = Agent(
        model=FunctionModel(id="answer-model", fn=answer),
        reasoning_agent=reasoner,
        reasoning_model=ScriptedModel(id="unused", steps=[]),
        instructions="Answer briefly.",
        tools=[send_report],
    )
    out = await agent.arun("What is 2+2?")
    assert out.status == RunStatus.completed and out.content == "4"
    assert [s.title for s in out.reasoning_steps or []] == ["Understand", "Compute"]
    # The reasoning agent's model did the reasoning, the agent's model only answered.
    assert len(reasoner_calls) == 1 and len(answer_calls) == 1
    messages, info = reasoner_calls[0]
    system = messages[0].content_text()
    assert system.index("Think like a mathematician.") < system.index("title")  # its role first
    assert "- Check every sum twice." in system
    assert "Answer briefly." in system  # the answering agent's instructions stay as context
    assert [t.name for t in info.tools] == ["lookup_fact"]  # its own tools, not the agent's
    assert "It asks for 2+2" in answer_calls[0][0].content_text()
    assert out.metrics is not None
    assert "scripted:reasoner-model" in out.metrics.details
    assert "scripted:unused" not in out.metrics.details
    assert agent.features["reasoning_agent"] == "active"


async def test_reasoning_agent_without_a_model_uses_the_reasoning_model() -> None:
    reasoner = Agent(system_message="You reason about arithmetic only.")
    seen: list[str] = []

    def think(messages: list[Message], info: ModelCallInfo) -> Any:
        seen.append(messages[0].content_text())
        return STEPS

    agent = Agent(
        model=ScriptedModel(steps=["ok"]),
        reasoning_agent=reasoner,
        reasoning_model=FunctionModel(id="thinker", fn=think),
    )
    out = await agent.arun("q")
    assert out.content == "ok" and len(out.reasoning_steps or []) == 2
    assert seen and seen[0].startswith("You reason about arithmetic only.")


async def test_a_reasoning_agent_that_is_not_an_agent_fails_the_run_clearly() -> None:
    agent = Agent(model=ScriptedModel(steps=["ok"]), reasoning_agent="not an agent")
    out = await agent.arun("q")
    assert out.status == RunStatus.error
    assert out.error is not None and "reasoning_agent must be an Agent" in out.error
