"""The history a run replays: messages of the session's previous runs, placed before the
user's message when ``add_history_to_context`` is on.

Only the newest ``num_history_runs`` completed runs are read (see ``_session``), so building the
history costs the same at turn 3 and at turn 300; they are read with the session, in the same
storage operation, when the run starts, and kept as the run's ``session.runs``. From those
runs, the conversation is taken as ``agentos.session`` defines it (no system messages, no
few-shot input, nothing the runs had themselves replayed), cut to ``num_history_messages`` and
to the last ``max_tool_calls_from_history`` tool calls, and copied with ``from_history=True``
so it is never read back as this run's own conversation. A session this run creates has no
stored runs yet, but it may open with the Agent's introduction (see ``_session``), which is
history already.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from agentos.agent._session import history_run_limit, load_history_runs
from agentos.models import Message
from agentos.session._messages import as_history, keep_last_tool_calls, session_messages, trim_to_last

if TYPE_CHECKING:
    from agentos.agent._state import RunState


async def history_messages(state: RunState) -> list[Message]:
    """The messages to replay for this run (empty without a db or when history is off)."""
    agent = state.agent
    if not state.options.add_history_to_context or agent.db is None:
        return []
    limit = history_run_limit(agent)
    session = state.session
    loaded = session.runs if session is not None else None
    if loaded is not None:
        runs: list[Any] = list(loaded[-limit:]) if limit > 0 else []
    else:  # a session loaded without its history runs (e.g. by a custom engine path)
        runs = await load_history_runs(agent, state.context.session_id, limit)
    if state.introduction is not None and limit > 0:
        runs = [state.introduction, *runs][-limit:]  # a new session: not stored yet
    messages = session_messages(runs)
    if agent.num_history_messages is not None:
        messages = trim_to_last(messages, agent.num_history_messages)
    if agent.max_tool_calls_from_history is not None:
        messages = keep_last_tool_calls(messages, agent.max_tool_calls_from_history)
    return as_history(messages)
