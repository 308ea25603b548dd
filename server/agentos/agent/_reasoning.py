"""Reasoning before the answer: step-by-step reasoning whose result joins the answer's context.

Delegates the reasoning itself to ``agentos.reasoning.areason``; this module turns its steps
into events, stores them on the RunOutput and adds them to the system message so the final
answer builds on them.

Who reasons, as in Agno: a ``reasoning_agent`` when one is given (its model, its instructions
at the top of the reasoning prompt, and its tools: the reasoning agent is a specialist with its
own toolbox, so the answering agent's tools are not lent to it); otherwise the
``reasoning_model`` (or the agent's own model with ``reasoning=True``) with the agent's tools.
A reasoning agent without a model reasons with the ``reasoning_model`` or the agent's model.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from agentos.agent._state import RunState
from agentos.models import Message, Model
from agentos.run import (
    ReasoningCompletedEvent,
    ReasoningStartedEvent,
    ReasoningStepEvent,
    RunEvent,
    RunOutputEvent,
)

if TYPE_CHECKING:
    from agentos.agent._agent import Agent
    from agentos.tools import ResolvedTools


def wants_reasoning(agent: Agent) -> bool:
    return agent.reasoning or agent.reasoning_model is not None or agent.reasoning_agent is not None


@dataclass(slots=True)
class _Reasoner:
    """Who reasons for this run: the model, its extra instructions, its tools, the injected agent."""

    model: Model
    instructions: str | None
    tools: ResolvedTools
    agent: Any


async def _reasoner(state: RunState) -> _Reasoner:
    from agentos.agent._agent import Agent

    agent = state.agent
    fallback = agent._resolve_model(agent.reasoning_model) or state.model
    reasoner = agent.reasoning_agent
    if reasoner is None:
        return _Reasoner(model=fallback, instructions=None, tools=state.tools, agent=agent)
    if not isinstance(reasoner, Agent):
        raise TypeError(f"reasoning_agent must be an Agent, got {type(reasoner).__name__}")
    return _Reasoner(
        model=reasoner._resolve_model(reasoner.model) or fallback,
        instructions=await _instructions_of(reasoner, state),
        tools=reasoner._tools(),
        agent=reasoner,
    )


async def _instructions_of(reasoner: Agent, state: RunState) -> str | None:
    """The reasoning agent's own prompt: its ``system_message``, else description + instructions."""
    from agentos.agent._messages import call_with_injection

    available = {"agent": reasoner, "run_context": state.context}
    system = reasoner.system_message
    if system is not None:
        if callable(system):
            system = await call_with_injection(system, available)
        text = system.content_text() if isinstance(system, Message) else str(system or "")
        return text or None
    parts: list[str] = [reasoner.description] if reasoner.description else []
    instructions = reasoner.instructions
    if callable(instructions):
        instructions = await call_with_injection(instructions, available)
    if isinstance(instructions, str):
        parts.append(instructions)
    elif instructions:
        parts.append("\n".join(f"- {item}" for item in instructions))
    return "\n\n".join(parts) or None


async def run_reasoning(state: RunState) -> AsyncIterator[RunOutputEvent]:
    from agentos.reasoning import ReasoningSteps, areason, reasoning_step_to_text, reasoning_steps_to_text

    agent = state.agent
    options = state.options
    reasoner = await _reasoner(state)
    model = reasoner.model
    if options.wants(RunEvent.reasoning_started.value):
        yield state.emit(ReasoningStartedEvent())
    stream = areason(
        model=model,
        messages=list(state.messages),
        min_steps=agent.reasoning_min_steps,
        max_steps=agent.reasoning_max_steps,
        tools=reasoner.tools,
        run_context=state.context,
        agent=reasoner.agent,
        instructions=reasoner.instructions,
    )
    iterator = stream.__aiter__()
    number = 0
    try:
        while True:
            try:
                step = await state.cancel.guard(iterator.__anext__())
            except StopAsyncIteration:
                break
            number += 1
            if options.wants(RunEvent.reasoning_step.value):
                yield state.emit(
                    ReasoningStepEvent(
                        content=step,
                        content_type=type(step).__name__,
                        reasoning_content=reasoning_step_to_text(step, number),
                    )
                )
    finally:
        await stream.aclose()

    steps = list(stream.steps)
    if state.debug is not None:
        state.debug.reasoning_done(model, steps, stream.metrics)
    output = state.output
    output.reasoning_steps = steps
    output.reasoning_messages = list(stream.messages) or None
    text = reasoning_steps_to_text(steps)
    output.reasoning_content = stream.reasoning_content or text or None
    details = stream.metrics.details
    if details:
        for key, usage in details.items():
            state.metrics.add_usage(key, usage)
    else:
        state.metrics.add_usage(model.key, stream.metrics)
    context_text = text or stream.reasoning_content
    if context_text:
        _add_to_context(state, context_text)
    if options.wants(RunEvent.reasoning_completed.value):
        yield state.emit(
            ReasoningCompletedEvent(
                content=ReasoningSteps(reasoning_steps=steps), content_type="ReasoningSteps"
            )
        )


def _add_to_context(state: RunState, reasoning: str) -> None:
    block = (
        "<reasoning_steps>\n"
        "You already reasoned about this task step by step; build your answer on these steps.\n"
        f"{reasoning}\n</reasoning_steps>"
    )
    system = state.system_message
    if system is None:
        system = Message(role=state.agent.system_message_role, content=block)
        state.messages.insert(0, system)
        state.system_message = system
        return
    # Replace rather than mutate: a system Message given by the user may be shared by runs.
    updated = Message(role=system.role, content=f"{system.content_text()}\n\n{block}")
    index = state.messages.index(system)
    state.messages[index] = updated
    state.system_message = updated
