"""One step of step-by-step reasoning, as produced by the reasoning model or ReasoningTools."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, Field


class NextAction(StrEnum):
    """What the reasoner intends after a step."""

    CONTINUE = "continue"
    VALIDATE = "validate"
    FINAL_ANSWER = "final_answer"
    RESET = "reset"


class ReasoningStep(BaseModel):
    """A reasoning step. A pydantic model because reasoning models are asked for it as structured output."""

    title: str | None = Field(default=None, description="A concise title summarizing the step's purpose")
    action: str | None = Field(
        default=None, description="The action derived from this step, in the first person"
    )
    result: str | None = Field(
        default=None, description="The result of executing the action, in the first person"
    )
    reasoning: str | None = Field(default=None, description="The thought process behind this step")
    next_action: NextAction | None = Field(
        default=NextAction.CONTINUE, description="continue, validate, final_answer or reset"
    )
    confidence: float | None = Field(default=None, description="Confidence in this step, 0.0 to 1.0")


class ReasoningSteps(BaseModel):
    """The structured output a reasoning model is asked for."""

    reasoning_steps: list[ReasoningStep] = Field(default_factory=list)
