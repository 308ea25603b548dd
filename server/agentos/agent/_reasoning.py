"""Reasoning before the answer: step-by-step reasoning whose result joins the answer's context.

Delegates the reasoning itself to ``agentos.reasoning.areason``; this module turns its steps
into events, stores them on the RunOutput and adds them to the system message so the final
answer builds on them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from agentos.agent._state import RunState
from agentos.models import Message, Model
from agentos.run import (
    ReasoningCompletedEvent,
    ReasoningStartedEvent,
    ReasoningStepEvent,
    RunEvent,
    RunOutputEvent,
)


async def run_reasoning(state: RunState, model: Model) -> AsyncIterator[RunOutputEvent]:
    from agentos.reasoning import ReasoningSteps, areason, reasoning_step_to_text, reasoning_steps_to_text

    agent = state.agent
    options = state.options
    if options.wants(RunEvent.reasoning_started.value):
        yield state.emit(ReasoningStartedEvent())
    stream = areason(
        model=model,
        messages=list(state.messages),
        min_steps=agent.reasoning_min_steps,
        max_steps=agent.reasoning_max_steps,
        tools=state.tools,
        run_context=state.context,
        agent=agent,
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
