"""Human in the loop: remembering paused runs and resolving their paused tool calls.

A paused run's conversation and context are kept in an in-process registry keyed by run_id, so
``continue_run(run_id=..., updated_tools=...)`` works without a database. The registry is
bounded (count and age) because a paused run may never be continued. With a db the paused run
is also stored (status paused, whole conversation), so any Agent object, in any process, can
continue it by run_id when this registry does not have it (see ``_engine.continue_state``).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

from agentos.agent._tools import PlannedCall
from agentos.models import Message, ToolExecution
from agentos.run import RunContext, RunOutput, RunRequirement
from pydantic import BaseModel


@dataclass(slots=True)
class PausedRun:
    output: RunOutput
    context: RunContext
    messages: list[Message]
    tool_call_count: int
    content_parts: list[str]
    sequence: int
    output_schema: type[BaseModel] | dict[str, object] | None
    expires_at: float = 0.0


class PausedRunRegistry:
    def __init__(self, *, ttl: float = 3600.0, max_runs: int = 1000) -> None:
        self._lock = threading.Lock()
        self._runs: OrderedDict[str, PausedRun] = OrderedDict()
        self._ttl = ttl
        self._max_runs = max_runs

    def put(self, run_id: str, paused: PausedRun) -> None:
        now = time.monotonic()
        paused.expires_at = now + self._ttl
        with self._lock:
            self._runs[run_id] = paused
            self._runs.move_to_end(run_id)
            while self._runs:
                oldest_id, oldest = next(iter(self._runs.items()))
                if len(self._runs) > self._max_runs or oldest.expires_at < now:
                    del self._runs[oldest_id]
                else:
                    break

    def take(self, run_id: str) -> PausedRun | None:
        with self._lock:
            paused = self._runs.pop(run_id, None)
        if paused is None or paused.expires_at < time.monotonic():
            return None
        return paused

    def __contains__(self, run_id: object) -> bool:
        with self._lock:
            return run_id in self._runs


PAUSED_RUNS = PausedRunRegistry()


def apply_updates(
    tools: Sequence[ToolExecution],
    updated_tools: Sequence[ToolExecution] | None,
    requirements: Sequence[RunRequirement] | None,
) -> None:
    """Copy the human's decisions onto the paused run's tool records (matched by tool_call_id)."""
    by_id = {t.tool_call_id: t for t in tools}
    updates = list(updated_tools or ()) + [r.tool_execution for r in requirements or ()]
    for update in updates:
        target = by_id.get(update.tool_call_id)
        if target is None:
            raise ValueError(
                f"tool call {update.tool_call_id!r} ({update.tool_name}) is not part of this run; "
                f"paused calls are {sorted(str(k) for k in by_id)}"
            )
        if target is update:
            continue
        target.confirmed = update.confirmed
        target.confirmation_note = update.confirmation_note
        if update.user_input_schema is not None:
            target.user_input_schema = update.user_input_schema
        target.answered = update.answered or target.answered
        if update.result is not None:
            target.result = update.result
        if update.tool_args is not None and target.requires_user_input:
            target.tool_args = update.tool_args


def pending_tool_executions(
    tools: Sequence[ToolExecution], messages: Sequence[Message]
) -> list[ToolExecution]:
    """Tool calls of the run that have no result in the conversation yet (the paused ones)."""
    answered = {m.tool_call_id for m in messages if m.role == "tool"}
    return [t for t in tools if t.tool_call_id not in answered]


def resolve_paused(
    pending: Sequence[ToolExecution], functions: dict[str, object]
) -> tuple[list[PlannedCall], list[ToolExecution]]:
    """Split paused calls into those the human resolved (planned) and those still waiting."""
    from agentos.tools import Function

    planned: list[PlannedCall] = []
    waiting: list[ToolExecution] = []
    for execution in pending:
        function = functions.get(execution.tool_name or "")
        fn = function if isinstance(function, Function) else None
        item = PlannedCall(execution=execution, function=fn, args=dict(execution.tool_args or {}))
        if execution.requires_confirmation:
            if execution.confirmed is None:
                waiting.append(execution)
                continue
            if execution.confirmed is False:
                note = f" Reason: {execution.confirmation_note}" if execution.confirmation_note else ""
                item.preset = f"The user rejected the call to '{execution.tool_name}'; it was not run.{note}"
                item.preset_is_error = True
                planned.append(item)
                continue
        if execution.requires_user_input:
            schema = execution.user_input_schema or []
            if not execution.answered and not all(f.value is not None for f in schema):
                waiting.append(execution)
                continue
            execution.answered = True
            if fn is not None:
                item.args = fn.apply_user_input(execution.tool_args, schema)
            else:
                item.args = {**item.args, **{f.name: f.value for f in schema}}
            execution.tool_args = item.args
        if execution.external_execution_required:
            if execution.result is None:
                waiting.append(execution)
                continue
            item.preset = execution.result
        elif fn is None:
            item.preset = f"Error: tool '{execution.tool_name}' is no longer available."
            item.preset_is_error = True
        planned.append(item)
    return planned, waiting
