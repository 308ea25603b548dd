"""Rendering reasoning steps as text for the answering model's context and for display."""

from __future__ import annotations

from collections.abc import Iterable

from agentos.reasoning._step import ReasoningStep


def reasoning_step_to_text(step: ReasoningStep, number: int | None = None) -> str:
    """One step as a short block: a heading, then only the fields the step has."""
    heading = f"Step {number}" if number is not None else "Step"
    lines = [f"## {heading}: {step.title}" if step.title else f"## {heading}"]
    for label, value in (("Action", step.action), ("Result", step.result), ("Reasoning", step.reasoning)):
        if value:
            lines.append(f"{label}: {value}")
    if step.next_action is not None:
        lines.append(f"Next action: {step.next_action.value}")
    if step.confidence is not None:
        lines.append(f"Confidence: {step.confidence:g}")
    return "\n".join(lines)


def reasoning_steps_to_text(steps: Iterable[ReasoningStep]) -> str:
    """All steps, numbered, separated by blank lines ("" for no steps).

    The agent puts this in the answering model's context so the final answer builds on the
    reasoning instead of redoing it.
    """
    return "\n\n".join(reasoning_step_to_text(step, index) for index, step in enumerate(steps, start=1))
