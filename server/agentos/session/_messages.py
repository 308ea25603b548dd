"""Messages out of a session's runs: the conversation, the chat history, recent tool calls.

These work on any run objects with ``messages`` (``agentos.models.Message``), ``status`` and
the run's ids (a ``RunOutput`` or a team/workflow run), so the session package does not depend
on the run package. They are shared by the session objects (``session.get_messages()``),
the Agent's session methods and the history the engine adds to a run's context.

Rules, as in Agno:

* the system message of each run is never part of the conversation;
* messages a run replayed from earlier runs (``from_history``) are skipped by default: they are
  already in the run they came from, and counting them again would repeat the conversation;
* few-shot messages (``additional_input``) are configuration, not conversation;
* member runs of a team (runs with a ``parent_run_id``) are skipped by default.
"""

from __future__ import annotations

import dataclasses
import operator
from collections.abc import Iterable, Sequence
from typing import Any

from agentos.models import Message

SYSTEM_ROLES = frozenset({"system", "developer"})


def _status_value(status: Any) -> str | None:
    if status is None:
        return None
    return str(getattr(status, "value", status))


def select_runs(
    runs: Iterable[Any],
    *,
    agent_id: str | None = None,
    team_id: str | None = None,
    last_n_runs: int | None = None,
    skip_statuses: Sequence[Any] | None = None,
    skip_member_runs: bool = True,
) -> list[Any]:
    """The runs to read messages from, oldest first; ``last_n_runs`` keeps the newest N."""
    skipped = {_status_value(s) for s in skip_statuses or ()}
    chosen = [
        run
        for run in runs
        if (agent_id is None or getattr(run, "agent_id", None) == agent_id)
        and (team_id is None or getattr(run, "team_id", None) == team_id)
        and (not skip_member_runs or getattr(run, "parent_run_id", None) is None)
        and _status_value(getattr(run, "status", None)) not in skipped
    ]
    if last_n_runs is not None:
        chosen = chosen[-last_n_runs:] if last_n_runs > 0 else []
    return chosen


def run_messages(
    run: Any, *, skip_roles: Sequence[str] | None = None, skip_history_messages: bool = True
) -> list[Message]:
    """One run's own conversation: no system message, no few-shot input, no replayed history."""
    few_shot = {m.id for m in getattr(run, "additional_input", None) or ()}
    roles = set(skip_roles or ())
    out: list[Message] = []
    for message in getattr(run, "messages", None) or ():
        if message.role in SYSTEM_ROLES or message.role in roles or message.id in few_shot:
            continue
        if skip_history_messages and message.from_history:
            continue
        out.append(message)
    return out


def session_messages(
    runs: Iterable[Any],
    *,
    agent_id: str | None = None,
    team_id: str | None = None,
    last_n_runs: int | None = None,
    limit: int | None = None,
    skip_roles: Sequence[str] | None = None,
    skip_statuses: Sequence[Any] | None = None,
    skip_history_messages: bool = True,
    skip_member_runs: bool = True,
) -> list[Message]:
    """The messages of the selected runs in order; ``limit`` keeps the newest N messages."""
    selected = select_runs(
        runs,
        agent_id=agent_id,
        team_id=team_id,
        last_n_runs=last_n_runs,
        skip_statuses=skip_statuses,
        skip_member_runs=skip_member_runs,
    )
    messages: list[Message] = []
    for run in selected:
        messages.extend(run_messages(run, skip_roles=skip_roles, skip_history_messages=skip_history_messages))
    if limit is not None:
        messages = trim_to_last(messages, limit)
    return messages


def trim_to_last(messages: Sequence[Message], limit: int) -> list[Message]:
    """The newest ``limit`` messages, never starting with a tool result whose call was cut off
    (providers reject a tool message that does not follow its assistant tool call)."""
    kept = list(messages[-limit:]) if limit > 0 else []
    while kept and kept[0].role == "tool":
        kept.pop(0)
    return kept


def chat_history(runs: Iterable[Any], *, last_n_runs: int | None = None) -> list[Message]:
    """User messages and the assistant's answers (assistant turns that only called tools are
    left out: they say nothing to a reader)."""
    return [
        m
        for m in session_messages(runs, last_n_runs=last_n_runs)
        if m.role == "user" or (m.role == "assistant" and m.content not in (None, "", []))
    ]


def keep_last_tool_calls(messages: Sequence[Message], max_tool_calls: int) -> list[Message]:
    """Drop all but the newest ``max_tool_calls`` tool calls: their results and their entries in
    the assistant messages that made them (an assistant message left with neither content nor
    calls is dropped too), so the conversation stays valid for every provider.

    Calls are told apart by position, not only by id: ids are unique within a run but some
    providers (and test models) reuse them across runs.
    """
    total = sum(len(m.tool_calls) for m in messages if m.role == "assistant")
    first_kept = total - max(max_tool_calls, 0)
    if first_kept <= 0:
        return list(messages)
    out: list[Message] = []
    ordinal = 0
    current: dict[str | None, int] = {}  # tool_call_id -> ordinal, for the latest assistant turn
    for message in messages:
        if message.role == "assistant" and message.tool_calls:
            current = {}
            calls = []
            for call in message.tool_calls:
                current[call.id] = ordinal
                if ordinal >= first_kept:
                    calls.append(call)
                ordinal += 1
            if len(calls) != len(message.tool_calls):
                if not calls and message.content in (None, "", []):
                    continue
                message = dataclasses.replace(message, tool_calls=calls)
        elif message.role == "tool" and current.get(message.tool_call_id, first_kept) < first_kept:
            continue
        out.append(message)
    return out


def as_history(messages: Iterable[Message]) -> list[Message]:
    """Copies flagged ``from_history``, to place in a new run's conversation (shallow, like
    ``dataclasses.replace``, which costs five times more: every turn with history copies its
    messages)."""
    return [
        _history_copy(m) if type(m) is Message else dataclasses.replace(m, from_history=True)
        for m in messages
    ]


# Every field of Message in declaration order, read in one C call: Message(*values) is its own
# __init__ with nothing left to default.
_message_values = operator.attrgetter(*(f.name for f in dataclasses.fields(Message)))


def _history_copy(message: Message) -> Message:
    copied = Message(*_message_values(message))
    copied.from_history = True
    return copied


def recent_tool_calls(runs: Sequence[Any], num_calls: int | None = None) -> list[dict[str, Any]]:
    """The newest tool calls first: name, arguments, result and whether it failed."""
    calls: list[dict[str, Any]] = []
    for run in reversed(list(runs)):
        for execution in reversed(getattr(run, "tools", None) or []):
            calls.append(
                {
                    "tool_call_id": execution.tool_call_id,
                    "tool_name": execution.tool_name,
                    "tool_args": execution.tool_args,
                    "result": execution.result,
                    "error": bool(execution.tool_call_error),
                }
            )
            if num_calls is not None and len(calls) >= num_calls:
                return calls
    return calls
