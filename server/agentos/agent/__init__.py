"""Agents: ``Agent`` and the run types users handle with it.

``from agentos.agent import Agent`` is the entry point; run outputs and events are re-exported
here as in Agno (``from agentos.agent import Agent, RunEvent, RunOutput``).
"""

from agentos.agent._agent import Agent
from agentos.run import (
    CustomEvent,
    RunContext,
    RunEvent,
    RunInput,
    RunOutput,
    RunOutputEvent,
    RunRequirement,
    RunStatus,
    ToolExecution,
)

__all__ = [
    "Agent",
    "CustomEvent",
    "RunContext",
    "RunEvent",
    "RunInput",
    "RunOutput",
    "RunOutputEvent",
    "RunRequirement",
    "RunStatus",
    "ToolExecution",
]
