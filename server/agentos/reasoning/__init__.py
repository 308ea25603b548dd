"""Reasoning: think step by step before answering.

- :func:`areason` runs a reasoning model over the conversation and yields
  :class:`ReasoningStep`\\ s (``Agent(reasoning=True, reasoning_model=...)`` uses it);
  :class:`ReasoningManager` holds an agent's reasoning settings;
- :func:`reasoning_steps_to_text` renders steps for the answering model's context;
- ``agentos.tools.reasoning.ReasoningTools`` lets the answering model itself think and analyse
  through tool calls; its steps are read back with :func:`reasoning_steps_from_state`.
"""

from agentos.reasoning._format import reasoning_step_to_text, reasoning_steps_to_text
from agentos.reasoning._parse import parse_reasoning_steps
from agentos.reasoning._prompts import REASONING_STEPS_SCHEMA
from agentos.reasoning._reason import FinishReason, ReasoningManager, ReasoningStream, areason
from agentos.reasoning._state import REASONING_STATE_KEY, reasoning_steps_from_state, record_reasoning_step
from agentos.reasoning._step import NextAction, ReasoningStep, ReasoningSteps

__all__ = [
    "REASONING_STATE_KEY",
    "REASONING_STEPS_SCHEMA",
    "FinishReason",
    "NextAction",
    "ReasoningManager",
    "ReasoningStep",
    "ReasoningSteps",
    "ReasoningStream",
    "areason",
    "parse_reasoning_steps",
    "reasoning_step_to_text",
    "reasoning_steps_from_state",
    "reasoning_steps_to_text",
    "record_reasoning_step",
]
