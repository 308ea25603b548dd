"""Where ReasoningTools keep a run's steps: the session state, under one reserved key.

Steps are stored as JSON-ready dicts keyed by run id (``session_state["reasoning_steps"][run_id]``)
so they persist with the session like any other state, survive a paused-and-continued run, and
never mix between concurrent runs of the same session. The run loop reads them back with
:func:`reasoning_steps_from_state` to fill ``RunOutput.reasoning_steps``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from agentos.reasoning._step import ReasoningStep

REASONING_STATE_KEY = "reasoning_steps"


def record_reasoning_step(
    session_state: dict[str, Any], run_id: str, step: ReasoningStep
) -> list[ReasoningStep]:
    """Append ``step`` to the run's steps and return all of them, oldest first."""
    by_run = session_state.get(REASONING_STATE_KEY)
    if not isinstance(by_run, dict):
        by_run = {}
        session_state[REASONING_STATE_KEY] = by_run
    entries = by_run.get(run_id)
    if not isinstance(entries, list):
        entries = []
        by_run[run_id] = entries
    entries.append(step.model_dump(mode="json"))
    return reasoning_steps_from_state(session_state, run_id)


def reasoning_steps_from_state(session_state: Mapping[str, Any] | None, run_id: str) -> list[ReasoningStep]:
    """The steps ReasoningTools recorded for ``run_id`` (entries that no longer validate are skipped)."""
    by_run = (session_state or {}).get(REASONING_STATE_KEY)
    entries = by_run.get(run_id) if isinstance(by_run, Mapping) else None
    steps: list[ReasoningStep] = []
    for entry in entries if isinstance(entries, list) else []:
        if isinstance(entry, ReasoningStep):
            steps.append(entry)
        elif isinstance(entry, Mapping):
            try:
                steps.append(ReasoningStep.model_validate(dict(entry)))
            except ValueError:
                continue
    return steps
