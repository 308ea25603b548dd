"""A run's session: loaded (or created) when the run starts, stored with the run when it ends.

With ``Agent(db=...)`` every run belongs to a stored session:

1. ``load_session`` reads the session row and, when the run adds history to its context, the
   newest N completed runs the history replays (never all), in ONE storage operation
   (``db.get_session_with_runs``: one round trip and one snapshot; none with ``cache_session``
   when the cache has both). It refuses a session of another kind or of another user, and sets
   the run's session_state: the stored state, or the Agent's default ``session_state`` for a
   session that has none yet, with the run's own ``session_state`` merged over it
   (``overwrite_db_session_state`` replaces instead). The history runs are kept on the run's
   session object as ``session.runs`` (hooks see them there too): during a run, a session's
   ``runs`` are the runs its history was built from, not every run of the session, restored as
   history views (each run's identity, status, answer, tool calls and own messages, without
   its system prompt, the history it replayed itself, its metrics, input or events);
2. ``load_history_runs`` returns those runs (or reads them, for a session loaded without them);
3. ``store_run`` writes the run row and the session row in one transaction (``db.save_run``):
   the final session_state, the session's running metrics, the agent's identity. A failure is
   returned, not raised, so the run can end with a RunError that says its result was not saved.

Without a db none of this happens and runs keep their state in memory only.

``introduction`` (as in Agno): when a run creates its session, the Agent's introduction becomes
the session's first run, a completed run whose only message is the assistant saying it. It is
stored just before the run that created the session (so the first turn of such a session takes
two transactions) and it is part of that run's history, as it is of every later run's: the
model knows what it already told the user. Without a db there is no session to put it in.

Concurrent runs on one session each write their own run row, so both runs survive; the session
row (state, metrics) is last-writer-wins, as in Agno: the state a run saves is the state it
loaded plus its own changes.
"""

from __future__ import annotations

import copy
import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from agentos._ids import new_id
from agentos.db import CorruptRecordError, RunRecord, StorageError
from agentos.models import Message, Metrics
from agentos.run import RunOutput, RunStatus
from agentos.run._serialize import to_jsonable
from agentos.session import AgentSession, Session, SessionType
from agentos.session._messages import SYSTEM_ROLES

if TYPE_CHECKING:
    from agentos.agent._agent import Agent
    from agentos.agent._state import RunState

logger = logging.getLogger("agentos.agent")

DEFAULT_HISTORY_RUNS = 3
_MEDIA_KEYS = ("images", "videos", "audio", "files")


class SessionError(Exception):
    """A run cannot use the session it asked for (another user's, or another kind of session)."""


def deep_merge(base: dict[str, Any], updates: Mapping[str, Any]) -> dict[str, Any]:
    """Merge ``updates`` into ``base`` in place: nested dicts merge key by key, anything else
    replaces. Returns ``base``."""
    for key, value in updates.items():
        current = base.get(key)
        if isinstance(current, dict) and isinstance(value, Mapping):
            deep_merge(current, value)
        else:
            base[key] = copy.deepcopy(value)
    return base


def _session_table(agent: Agent) -> str:
    names = getattr(agent.db, "table_names", None)
    return str(getattr(names, "session_table", "sessions"))


def _run_table(agent: Agent) -> str:
    names = getattr(agent.db, "table_names", None)
    return str(getattr(names, "run_table", "runs"))


def check_session_access(agent: Agent, session: Session, user_id: str | None) -> None:
    """Refuse a session of another kind or another user, naming both."""
    if session.session_type != SessionType.AGENT:
        raise SessionError(
            f"session {session.session_id!r} is a {session.session_type.value} session; "
            "an agent cannot run in it (use another session_id)"
        )
    if session.user_id is not None and session.user_id != user_id:
        who = f"user {user_id!r}" if user_id is not None else "a run without user_id"
        raise SessionError(f"session {session.session_id!r} belongs to another user; {who} cannot use it")


async def fetch_session(agent: Agent, session_id: str) -> Session | None:
    """The stored session (from this Agent's cache when ``cache_session`` is on)."""
    cache = agent._cache() if agent.cache_session else None
    if cache is not None:
        cached = cache.session(session_id)
        if cached is not None:
            return cached
    # No user filter: a session of another user must be refused with a clear error, not be
    # mistaken for a new one (whose save would then fail on ownership).
    session: Session | None = await agent.db.get_session(session_id)
    if session is not None and cache is not None:
        cache.put_session(session)
    return session


async def fetch_session_with_history(
    agent: Agent, session_id: str, history_runs: int
) -> tuple[Session | None, list[RunOutput] | None]:
    """The stored session and, with ``history_runs`` > 0, the newest completed root runs its
    history replays (None when no runs were asked for), in one storage operation.

    With ``cache_session`` each part comes from the cache when it has it; only what is missing
    is read.
    """
    if history_runs <= 0:
        return await fetch_session(agent, session_id), None
    cache = agent._cache() if agent.cache_session else None
    if cache is not None:
        cached = cache.session(session_id)
        if cached is not None:
            return cached, await load_history_runs(agent, session_id, history_runs)
    # No user filter, as in fetch_session.
    session, records = await agent.db.get_session_with_runs(
        session_id, last_n_runs=history_runs, statuses=[RunStatus.completed], root_only=True
    )
    if session is None:
        return None, None
    runs = [run_from_record(agent, record, history_view=True) for record in records]
    if cache is not None:
        cache.put_session(session)
        cache.put_runs(session_id, runs, capacity=history_runs)
    return session, runs


def initial_state(
    agent: Agent, stored: dict[str, Any] | None, requested: dict[str, Any] | None
) -> dict[str, Any]:
    """The run's session_state: stored (else the Agent's default) with the run's state over it."""
    if requested is not None and agent.overwrite_db_session_state:
        return copy.deepcopy(requested)
    base = copy.deepcopy(stored) if stored is not None else copy.deepcopy(agent.session_state or {})
    if requested:
        deep_merge(base, requested)
    return base


def stored_state(agent: Agent, session: Session) -> dict[str, Any] | None:
    data = session.session_data or {}
    state = data.get("session_state")
    if state is None:
        return None
    if not isinstance(state, dict):
        raise CorruptRecordError(
            _session_table(agent),
            session.session_id,
            f"session_data.session_state is a {type(state).__name__}, not an object",
        )
    return state


async def load_session(state: RunState) -> None:
    """Bind the run to its stored session (or a new one) and set its session_state."""
    agent = state.agent
    if agent.db is None:
        return
    context = state.context
    history_runs = history_run_limit(agent) if state.options.add_history_to_context else 0
    session, runs = await fetch_session_with_history(agent, context.session_id, history_runs)
    if session is None:
        session = AgentSession(
            session_id=context.session_id, agent_id=agent.id, user_id=context.user_id, session_data={}
        )
        stored = None
        state.introduction = introduction_run(state)
        if history_runs > 0:
            session.runs = []  # a session this run creates has no stored runs yet
    else:
        check_session_access(agent, session, context.user_id)
        stored = stored_state(agent, session)
        if runs is not None:
            session.runs = runs
    state.session = session
    context.session_state = initial_state(agent, stored, state.requested_session_state)


def introduction_run(state: RunState) -> RunOutput | None:
    """The run that opens a new session with the Agent's introduction (None without one)."""
    agent = state.agent
    text = agent.introduction
    if not text:
        return None
    context = state.context
    output = state.output
    return RunOutput(
        run_id=new_id(),
        agent_id=agent.id,
        agent_name=agent.name,
        session_id=context.session_id,
        user_id=context.user_id,
        content=text,
        model=output.model,
        model_provider=output.model_provider,
        messages=[Message(role="assistant", content=text, created_at=output.created_at)],
        status=RunStatus.completed,
        created_at=output.created_at,
    )


def history_run_limit(agent: Agent) -> int:
    """How many runs the history needs: ``num_history_runs``; else ``num_history_messages`` (each
    run has at least one message, so that many runs always hold enough); else 3, as in Agno."""
    if agent.num_history_runs is not None:
        return max(agent.num_history_runs, 0)
    if agent.num_history_messages is not None:
        return max(agent.num_history_messages, 0)
    return DEFAULT_HISTORY_RUNS


def run_from_record(agent: Agent, record: RunRecord, *, history_view: bool = False) -> RunOutput:
    """A stored run as a RunOutput; a row that does not rebuild is reported by table and id.

    ``history_view`` restores only what a later run's history reads of it: identity, status,
    answer, tool calls and its messages without the system prompt and without the history it
    replayed itself (stored with it by default, ``store_history_messages``). Those are most of a
    stored run's messages, and restoring them (and the run's metrics, input and events) only to
    leave them unread was most of the cost of a turn with history.
    """
    data = _history_view(record.run_data) if history_view else record.run_data
    try:
        return RunOutput.from_dict(data)
    except (TypeError, ValueError, KeyError, AttributeError) as exc:
        raise CorruptRecordError(
            _run_table(agent), record.run_id, f"run_data does not describe a run: {exc}"
        ) from exc


# What a history view keeps of a stored run: what history and its filters read (identity,
# status, the answer, the messages and tool calls), not its metrics, input, events or state.
_HISTORY_VIEW_KEYS = frozenset(
    {
        "run_id",
        "agent_id",
        "agent_name",
        "session_id",
        "parent_run_id",
        "workflow_id",
        "workflow_step_id",
        "user_id",
        "content",
        "content_type",
        "model",
        "model_provider",
        "messages",
        "additional_input",
        "tools",
        "created_at",
        "status",
    }
)


def _history_view(data: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(data, dict):
        return data  # reported by from_dict
    view = {key: value for key, value in data.items() if key in _HISTORY_VIEW_KEYS}
    messages = view.get("messages")
    if isinstance(messages, list):
        view["messages"] = [
            m
            for m in messages
            if not (isinstance(m, dict) and (m.get("from_history") or m.get("role") in SYSTEM_ROLES))
        ]
    return view


async def load_history_runs(agent: Agent, session_id: str, limit: int) -> list[RunOutput]:
    """The newest ``limit`` completed runs of the session, oldest first (one indexed query)."""
    if agent.db is None or limit <= 0:
        return []
    cache = agent._cache() if agent.cache_session else None
    if cache is not None:
        cached = cache.runs(session_id, limit)
        if cached is not None:
            return cached
    records = await agent.db.get_runs(session_id, limit=limit, statuses=[RunStatus.completed], root_only=True)
    runs = [run_from_record(agent, record, history_view=True) for record in records]
    if cache is not None:
        cache.put_runs(session_id, runs, capacity=limit)
    return runs


# Storing ---------------------------------------------------------------------------------------


def _strip_media(item: dict[str, Any]) -> None:
    for key in (*_MEDIA_KEYS, "audio_output", "response_audio"):
        item.pop(key, None)


# Key of the stored run data holding the run's last event sequence, so that a run continued
# from the database (possibly by another process) carries on numbering its events.
SEQUENCE_KEY = "_sequence"


def storable_run(agent: Agent, output: RunOutput, sequence: int = 0) -> dict[str, Any]:
    """The run as stored: its ``to_dict`` minus what the ``store_*`` settings leave out.

    The RunOutput returned to the caller is untouched. A paused run is stored whole whatever the
    settings: continuing it (possibly elsewhere) needs its whole conversation.
    """
    data = output.to_dict()
    data[SEQUENCE_KEY] = sequence
    if output.status == RunStatus.paused:
        return data
    messages: list[dict[str, Any]] = list(data.get("messages") or [])
    if not agent.store_history_messages:
        messages = [m for m in messages if not m.get("from_history")]
    if not agent.store_tool_messages:
        kept: list[dict[str, Any]] = []
        for m in messages:
            if m.get("role") == "tool":
                continue
            if m.get("role") == "assistant" and m.get("tool_calls"):
                if m.get("content") in (None, "", []):
                    continue
                m = {**m, "tool_calls": []}
            kept.append(m)
        messages = kept
        for execution in data.get("tools") or []:
            execution.pop("result", None)
    if not agent.store_media:
        messages = [dict(m) for m in messages]
        for m in messages:
            _strip_media(m)
        _strip_media(data)
        if isinstance(data.get("input"), dict):
            _strip_media(data["input"])
    if "messages" in data:
        data["messages"] = messages
    return data


def _update_session(state: RunState, session: Session) -> None:
    """Write the run's outcome into the session row: state, metrics, agent identity."""
    agent = state.agent
    context = state.context
    output = state.output
    if isinstance(session, AgentSession):
        session.agent_id = agent.id
        session.agent_data = {
            **(session.agent_data or {}),
            "agent_id": agent.id,
            "name": agent.name,
            "model": {"id": state.model.id, "provider": state.model.provider},
        }
    if session.user_id is None:
        session.user_id = context.user_id
    data = dict(session.session_data or {})
    data["session_state"] = to_jsonable(context.session_state)
    if output.status.is_terminal and output.metrics is not None:
        # Counted once, when the run ends (a paused run counts when it is continued to its end).
        total = session.session_metrics or Metrics()
        total += output.metrics
        data["session_metrics"] = total.to_dict()
    session.session_data = data


async def store_run(state: RunState) -> Exception | None:
    """Save the run and its session in one transaction; the failure, if any, is returned."""
    agent = state.agent
    session = state.session
    if agent.db is None or session is None:
        return None
    output = state.output
    introduction = state.introduction
    intro_data: dict[str, Any] | None = None
    try:
        _update_session(state, session)
        if introduction is not None:
            # Before the run, so it comes first in the session's order.
            intro_data = storable_run(agent, introduction)
            await agent.db.save_run(session, intro_data)
            state.introduction = None
        data = storable_run(agent, output, state.sequence)
        await agent.db.save_run(session, data)
    except Exception as exc:
        if isinstance(exc, StorageError):
            logger.warning("run %s could not be saved: %s", output.run_id, exc)
        else:
            logger.exception("run %s could not be saved", output.run_id)
        if agent.cache_session:
            agent._cache().drop(session.session_id)
        return exc
    if agent.cache_session:
        cache = agent._cache()
        # The cache keeps the session without runs (it holds them separately): detach the
        # history runs rather than have them deep-copied only to be dropped.
        runs, session.runs = session.runs, None
        cache.put_session(session)
        session.runs = runs
        if intro_data is not None:
            cache.add_run(session.session_id, RunOutput.from_dict(_history_view(intro_data)))
        if output.status == RunStatus.completed and output.parent_run_id is None:
            cache.add_run(session.session_id, RunOutput.from_dict(_history_view(data)))
    return None


async def resume_session(state: RunState) -> None:
    """Bind a continued run to its stored session (re-read: it may have changed while the run
    was paused, possibly in another process). The stored session_state is the truth; a run
    continued without a stored session keeps the state it paused with."""
    agent = state.agent
    if agent.db is None:
        return
    context = state.context
    session = await fetch_session(agent, context.session_id)
    if session is None:
        session = AgentSession(
            session_id=context.session_id, agent_id=agent.id, user_id=context.user_id, session_data={}
        )
    else:
        check_session_access(agent, session, context.user_id)
        stored = stored_state(agent, session)
        if stored is not None:
            context.session_state = copy.deepcopy(stored)
    state.session = session
