"""The ``Run`` of a run still in progress, folded from its events.

A live run has no final ``RunOutput`` yet, so GetRun and WatchRun's ``RunSnapshot`` rebuild what
is known from the events so far: the content streamed (text chunks joined), reasoning text,
the tool calls (latest state of each), the model, and the position in the log. Folding happens
only when someone asks, never per event, so the streaming path pays nothing for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from agentos.v1 import common_pb2, events_pb2, runs_pb2

_TOOL_CASES = ("tool_call_started", "tool_call_completed", "tool_call_error")


def fold_events(base: runs_pb2.Run, events: Iterable[events_pb2.RunEvent]) -> runs_pb2.Run:
    """``base`` (identity, input, state) completed with what ``events`` tell about the run."""
    run = runs_pb2.Run()
    run.CopyFrom(base)
    run_id = base.run_id
    text: list[str] = []
    reasoning: list[str] = []
    structured: events_pb2.RunContent | None = None
    tools: dict[str, common_pb2.ToolExecution] = {}
    count = 0
    last = 0
    for event in events:
        count += 1
        last = event.sequence
        if event.run_id and event.run_id != run_id:
            continue  # nested runs' events (members, steps) do not fold into this run
        case = event.WhichOneof("payload")
        if case == "run_content":
            payload = event.run_content
            kind = payload.content.WhichOneof("kind") if payload.HasField("content") else None
            if kind == "string_value":
                text.append(payload.content.string_value)
            elif kind not in (None, "null_value"):
                structured = payload
            if payload.reasoning_content:
                reasoning.append(payload.reasoning_content)
        elif case in _TOOL_CASES:
            tool = getattr(event, case).tool
            if tool.tool_call_id:
                tools[tool.tool_call_id] = tool
        elif case == "run_started":
            started = event.run_started
            if started.model:
                run.model = started.model
            if started.model_provider:
                run.model_provider = started.model_provider
        if event.HasField("created_at"):
            run.updated_at.CopyFrom(event.created_at)
    if structured is not None:
        run.content.CopyFrom(structured.content)
        run.content_type = structured.content_type
    elif text:
        run.content.string_value = "".join(text)
        run.content_type = "str"
    if reasoning:
        run.reasoning_content = "".join(reasoning)
    if tools:
        del run.tools[:]
        run.tools.extend(tools.values())
    run.event_count = max(run.event_count, count)
    run.last_sequence = max(run.last_sequence, last)
    return run
