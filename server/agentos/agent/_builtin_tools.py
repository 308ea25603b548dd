"""Tools the Agent adds itself, from its settings, under Agno's names:

* ``read_chat_history`` → ``get_chat_history(num_chats=None)``: the session's earlier user and
  assistant messages (the model can read further back than the history in its context);
* ``read_tool_call_history`` → ``get_tool_call_history(num_calls=3)``: earlier tool calls,
  newest first;
* ``search_session_history`` → ``get_previous_session_messages()``: the conversation of the
  user's ``num_history_sessions`` most recent other sessions;
* ``enable_agentic_state`` → ``update_session_state(session_state_updates)``: the model
  changes the session state, which is saved with the run.

They are plain functions shared by every Agent: what they need of a run comes from the
``run_context`` and ``agent`` the engine injects, so they hold no state of their own. The
history tools read the database at call time (the current run is not in it yet).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from agentos.agent._session import deep_merge, run_from_record
from agentos.run import RunContext, RunStatus
from agentos.run._serialize import to_jsonable
from agentos.session import SessionType
from agentos.session._messages import chat_history, recent_tool_calls
from agentos.tools import Function

if TYPE_CHECKING:
    from agentos.agent._agent import Agent

DEFAULT_HISTORY_SESSIONS = 2
# Per previous session, the newest runs read by get_previous_session_messages.
RUNS_PER_PREVIOUS_SESSION = 20


def _dump(value: Any) -> str:
    return json.dumps(to_jsonable(value), ensure_ascii=False)


def _chat_dicts(messages: list[Any]) -> list[dict[str, Any]]:
    return [{"role": m.role, "content": m.content_text()} for m in messages]


async def get_chat_history(agent: Any, run_context: RunContext, num_chats: int | None = None) -> str:
    """Read the earlier messages of this conversation (user messages and your answers), oldest
    first, as JSON.

    Args:
        num_chats: How many of the most recent exchanges to return; all when omitted.
    """
    db = agent.db
    if db is None:
        return "[]"
    limit = num_chats if num_chats is not None and num_chats > 0 else None
    records = await db.get_runs(
        run_context.session_id, limit=limit, statuses=[RunStatus.completed], root_only=True
    )
    runs = [run_from_record(agent, r) for r in records]
    return _dump(_chat_dicts(chat_history(runs)))


async def get_tool_call_history(agent: Any, run_context: RunContext, num_calls: int = 3) -> str:
    """Read the tool calls made earlier in this conversation, newest first, as JSON.

    Args:
        num_calls: How many tool calls to return.
    """
    db = agent.db
    if db is None:
        return "[]"
    wanted = max(num_calls, 0)
    calls: list[dict[str, Any]] = []
    token: str | None = None
    # Newest runs first, a page at a time, until enough calls are found (runs without tool
    # calls are common, so a fixed number of runs would not do).
    while len(calls) < wanted:
        page = await db.list_runs(
            session_id=run_context.session_id, root_only=True, limit=10, page_token=token
        )
        for record in page.items:
            run = run_from_record(agent, record)
            calls.extend(recent_tool_calls([run], wanted - len(calls)))
            if len(calls) >= wanted:
                break
        token = page.next_page_token
        if token is None:
            break
    return _dump(calls)


async def get_previous_session_messages(agent: Any, run_context: RunContext) -> str:
    """Read the conversations of this user's most recent previous sessions, as JSON: a list of
    sessions (newest first), each with its messages."""
    db = agent.db
    if db is None:
        return "[]"
    wanted = agent.num_history_sessions or DEFAULT_HISTORY_SESSIONS
    page = await db.get_sessions(
        session_type=SessionType.AGENT, user_id=run_context.user_id, limit=wanted + 1
    )
    out: list[dict[str, Any]] = []
    for session in page.items:
        if session.session_id == run_context.session_id or session.user_id != run_context.user_id:
            continue
        records = await db.get_runs(
            session.session_id,
            limit=RUNS_PER_PREVIOUS_SESSION,
            statuses=[RunStatus.completed],
            root_only=True,
        )
        runs = [run_from_record(agent, r) for r in records]
        out.append(
            {
                "session_id": session.session_id,
                "session_name": session.session_name,
                "messages": _chat_dicts(chat_history(runs)),
            }
        )
        if len(out) >= wanted:
            break
    return _dump(out)


async def update_session_state(run_context: RunContext, session_state_updates: dict[str, Any]) -> str:
    """Update the session state shared across this conversation: give the keys to set and their
    new values, e.g. {"shopping_list": ["milk", "eggs"]}. Nested objects are merged key by key.

    Args:
        session_state_updates: The keys and values to set.
    """
    deep_merge(run_context.session_state, session_state_updates)
    return f"Updated session state: {_dump(run_context.session_state)}"


def builtin_tools(agent: Agent) -> list[Function]:
    """The tools this Agent's settings ask for (none by default)."""
    tools: list[Function] = []
    if agent.read_chat_history:
        tools.append(Function.from_callable(get_chat_history))
    if agent.read_tool_call_history:
        tools.append(Function.from_callable(get_tool_call_history))
    if agent.search_session_history:
        tools.append(Function.from_callable(get_previous_session_messages))
    if agent.enable_agentic_state:
        tools.append(Function.from_callable(update_session_state))
    return tools
